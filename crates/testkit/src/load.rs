//! A steady load of slash command → modal → modal submit, driven from the server's side: each
//! command is dispatched on the gateway at a fixed rate and timed until the bot answers it
//! (the modal), then the submit until its answer names the result. Used by the whole-bot bench
//! (`benches/whole_bot/`) through [`crate::remote`]; figures in docs/performance.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::builders::{self, MemberSpec};
use crate::FakeDiscord;

/// What to send, how often and for how long.
#[derive(Debug, Clone, Deserialize)]
pub struct ModalLoad {
    pub command: String,
    pub subcommand: Option<String>,
    /// The command's options as Discord sends them (`builders::option_*`).
    pub options: Vec<Value>,
    pub user_id: u64,
    pub username: String,
    pub roles: Vec<u64>,
    pub locale: String,
    pub channel: u64,
    /// The modal's text inputs: (custom id, value).
    pub fields: Vec<(String, String)>,
    /// The submit's answers must contain this text (e.g. `INC-`).
    pub expect: String,
    /// Answers the submit gets before the one that carries `expect` (a deferral: 1).
    pub submit_answers: usize,
    pub per_second: u64,
    pub seconds: u64,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

/// What the load measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    pub sent: u64,
    pub done: u64,
    pub failed: u64,
    pub seconds: f64,
    pub first_failure: Option<String>,
    /// Command dispatched → modal (type 9) received.
    pub modal: Percentiles,
    /// Submit dispatched → the answer carrying `expect` received.
    pub confirm: Percentiles,
}

#[derive(Default)]
struct Samples {
    modal: Vec<Duration>,
    confirm: Vec<Duration>,
    failed: u64,
    first_failure: Option<String>,
}

impl Samples {
    fn fail(&mut self, why: String) {
        self.failed += 1;
        self.first_failure.get_or_insert(why);
    }
}

const ANSWER_WAIT: Duration = Duration::from_secs(10);

/// Runs the load to the end and reports it.
pub async fn run(fake: Arc<FakeDiscord>, spec: ModalLoad) -> LoadReport {
    let total = spec.per_second.max(1) * spec.seconds;
    let spec = Arc::new(spec);
    let samples = Arc::new(Mutex::new(Samples::default()));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / spec.per_second.max(1) as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for _ in 0..total {
        tick.tick().await;
        let (fake, spec, samples) = (fake.clone(), spec.clone(), samples.clone());
        tasks.push(tokio::spawn(async move { one(&fake, &spec, &samples).await }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut s = samples.lock().await;
    LoadReport {
        sent: total,
        done: s.confirm.len() as u64,
        failed: s.failed,
        seconds,
        first_failure: s.first_failure.take(),
        modal: percentiles(&mut s.modal),
        confirm: percentiles(&mut s.confirm),
    }
}

async fn one(fake: &FakeDiscord, spec: &ModalLoad, samples: &Mutex<Samples>) {
    let member = MemberSpec::new(spec.user_id, &spec.username).with_roles(&spec.roles);
    let options = match &spec.subcommand {
        Some(sub) => vec![builders::option_subcommand(sub, spec.options.clone())],
        None => spec.options.clone(),
    };
    let mut command = builders::interaction_command(fake.scene(), &spec.command, options, &member, &spec.locale);
    set_channel(&mut command, spec.channel);
    let id = snowflake(&command);
    let t0 = Instant::now();
    if let Err(e) = fake.dispatch("INTERACTION_CREATE", command) {
        return samples.lock().await.fail(format!("dispatch: {e}"));
    }
    let modal = fake.wait_for_responses(id, 1, ANSWER_WAIT).await;
    let modal_latency = t0.elapsed();
    match modal {
        Ok(r) if r[0].body["type"] == 9 => {}
        other => return samples.lock().await.fail(format!("no modal: {other:?}")),
    }
    let fields: Vec<(&str, &str)> = spec.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut submit = builders::interaction_modal_submit(fake.scene(), &id.to_string(), &fields, &member, &spec.locale);
    set_channel(&mut submit, spec.channel);
    let submit_id = snowflake(&submit);
    let t1 = Instant::now();
    if let Err(e) = fake.dispatch("INTERACTION_CREATE", submit) {
        return samples.lock().await.fail(format!("dispatch submit: {e}"));
    }
    let answered = fake
        .wait_for_responses(submit_id, spec.submit_answers + 1, ANSWER_WAIT)
        .await;
    let confirm_latency = t1.elapsed();
    let mut s = samples.lock().await;
    match answered {
        Ok(r) if r.iter().any(|x| x.body.to_string().contains(&spec.expect)) => {
            s.modal.push(modal_latency);
            s.confirm.push(confirm_latency);
        }
        other => s.fail(format!("no confirmation: {other:?}")),
    }
}

fn set_channel(interaction: &mut Value, channel: u64) {
    interaction["channel_id"] = Value::String(channel.to_string());
    if interaction.get("channel").is_some() {
        interaction["channel"]["id"] = Value::String(channel.to_string());
    }
}

fn snowflake(value: &Value) -> u64 {
    value["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default()
}

fn percentiles(v: &mut [Duration]) -> Percentiles {
    v.sort();
    let at = |p: f64| {
        if v.is_empty() {
            return 0.0;
        }
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i].as_secs_f64() * 1e3
    };
    Percentiles {
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        max: at(1.0),
    }
}
