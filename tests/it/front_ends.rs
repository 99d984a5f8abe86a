//! Discord and the console only translate: one script of commands, run through both front ends
//! against the same configuration and clock, gets the same replies from the app, as data
//! (who sees each, its language and time zone, its words, cards, buttons and pings).

use crate::helpers::bot::{customer, engineer, manager, set_channel, snowflake, spawn_bot_with, Bot};
use chrono::{DateTime, TimeZone, Utc};
use intakebot::app::request::Request;
use intakebot::app::{App, FixedClock, Reply};
use intakebot::console::{Session, SimClock, User, UserRole};
use intakebot::core::ids::{AccountId, IncidentNumber, OrgId};
use intakebot::core::plan::SignInKind;
use intakebot::store::Store;
use intakebot_testkit::builders::{self, option_int, option_str, MemberSpec};
use intakebot_testkit::Mode;
use serde_json::Value;
use std::sync::{Arc, Mutex};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 8, 55, 0).unwrap()
}

#[derive(Clone, Copy)]
enum Who {
    Customer,
    Engineer,
    Manager,
}

impl Who {
    fn spec(self) -> MemberSpec {
        match self {
            Who::Customer => customer(),
            Who::Engineer => engineer(),
            Who::Manager => manager(),
        }
    }

    /// The interaction locale: each as their console self reads (Contoso's Norwegian, staff English).
    fn locale(self) -> &'static str {
        match self {
            Who::Customer => "no",
            Who::Engineer | Who::Manager => "en-US",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Who::Customer => "carla",
            Who::Engineer => "erik",
            Who::Manager => "maria",
        }
    }
}

/// The same action as Discord delivers it.
enum Discord {
    Command {
        name: &'static str,
        sub: Option<&'static str>,
        options: Vec<Value>,
    },
    /// Fills in the form the previous step's interaction showed.
    Submit(&'static [(&'static str, &'static str)]),
    Message(&'static str),
    /// Presses the first button of the previous step's answer.
    PressFirstButton,
}

struct Step {
    who: Who,
    console: &'static str,
    discord: Discord,
    /// The command the app sees last for this step (what to wait for on Discord).
    last: &'static str,
}

fn script() -> Vec<Step> {
    let owner = customer().user_id.to_string();
    let owner: &'static str = Box::leak(owner.into_boxed_str());
    let grant =
        format!("/pack grant plan:five-pack organisation:contoso owner:{owner} order:ORD-1 purchased:2027-02-01");
    vec![
        Step {
            who: Who::Manager,
            console: Box::leak(grant.into_boxed_str()),
            discord: Discord::Command {
                name: "pack",
                sub: Some("grant"),
                options: vec![
                    option_str("plan", "five-pack"),
                    option_str("organisation", "contoso"),
                    builders::option_user("owner", customer().user_id),
                    option_str("order", "ORD-1"),
                    option_str("purchased", "2027-02-01"),
                ],
            },
            last: "grant",
        },
        Step {
            who: Who::Customer,
            console: "/incident open product:sql-server version:2022 severity:B",
            discord: Discord::Command {
                name: "incident",
                sub: Some("open"),
                options: vec![
                    option_str("product", "sql-server"),
                    option_str("version", "2022"),
                    option_int("severity", 1),
                ],
            },
            last: "open",
        },
        Step {
            who: Who::Customer,
            console: ":submit title:\"Backups fail\" problem:\"Nightly backup fails since Monday\"",
            discord: Discord::Submit(&[
                ("title", "Backups fail"),
                ("problem", "Nightly backup fails since Monday"),
            ]),
            last: "thread-ready",
        },
        Step {
            who: Who::Customer,
            console: "question about my credit card invoice",
            discord: Discord::Message("question about my credit card invoice"),
            last: "message",
        },
        Step {
            who: Who::Engineer,
            console: "/incident ack incident:INC-000001",
            discord: Discord::Command {
                name: "incident",
                sub: Some("ack"),
                options: vec![option_str("incident", "INC-000001")],
            },
            last: "ack",
        },
        Step {
            who: Who::Customer,
            console: "/plans product:\"Windows Server\" version:2022",
            discord: Discord::Command {
                name: "plans",
                sub: None,
                options: vec![option_str("product", "Windows Server"), option_str("version", "2022")],
            },
            last: "plans",
        },
        Step {
            who: Who::Customer,
            console: ":press 1",
            discord: Discord::PressFirstButton,
            last: "press",
        },
        Step {
            who: Who::Engineer,
            console: "/incident note incident:INC-000001 text:\"The customer sent the logs\"",
            discord: Discord::Command {
                name: "incident",
                sub: Some("note"),
                options: vec![
                    option_str("incident", "INC-000001"),
                    option_str("text", "The customer sent the logs"),
                ],
            },
            last: "note",
        },
        Step {
            who: Who::Manager,
            console: "/incident list which:open",
            discord: Discord::Command {
                name: "incident",
                sub: Some("list"),
                options: vec![option_int("which", 0)],
            },
            last: "list",
        },
        Step {
            who: Who::Customer,
            console: "/incident status incident:INC-000001",
            discord: Discord::Command {
                name: "incident",
                sub: Some("status"),
                options: vec![option_str("incident", "INC-000001")],
            },
            last: "status",
        },
        Step {
            who: Who::Customer,
            console: "/pack balance",
            discord: Discord::Command {
                name: "pack",
                sub: Some("balance"),
                options: vec![],
            },
            last: "balance",
        },
        Step {
            who: Who::Customer,
            console: "/faq",
            discord: Discord::Command {
                name: "faq",
                sub: None,
                options: vec![],
            },
            last: "faq",
        },
    ]
}

/// Each request's command and the replies it got, in order.
type Journal = Vec<(String, Vec<Reply>)>;

/// What one front end made the app say: each request's command and its replies, with the ids
/// only one front end knows (its thread ids, its interaction ids) written as names.
fn normalise(journal: &Journal, thread: u64) -> Vec<(String, String)> {
    let source = regex::Regex::new(r#"SourceId\("[^"]*"\)"#).unwrap();
    journal
        .iter()
        .map(|(command, replies)| {
            let text = format!("{replies:?}").replace(&thread.to_string(), "THREAD-OF-INC-000001");
            (command.clone(), source.replace_all(&text, "SourceId(..)").into_owned())
        })
        .collect()
}

async fn run_discord(clock: Arc<FixedClock>) -> (Bot, Vec<(String, String)>) {
    let bot = spawn_bot_with(Mode::Proxy, Some(clock)).await;
    let mut previous: Option<Value> = None;
    for step in script() {
        let who = step.who.spec();
        let channel = match step.who {
            Who::Customer => bot.ids.contoso_intake,
            Who::Engineer => bot.ids.engineers,
            Who::Manager => bot.ids.managers,
        };
        let source = match step.discord {
            Discord::Command { name, sub, options } => {
                let mut cmd = bot.command_value(name, sub, options, &who, step.who.locale(), channel);
                Bot::with_resolved_user(&mut cmd, &customer());
                bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).expect("dispatch");
                cmd
            }
            Discord::Submit(fields) => {
                let shown = previous.as_ref().expect("a form shown");
                let mut submit = builders::interaction_modal_submit(
                    bot.fake.scene(),
                    &snowflake(shown).to_string(),
                    fields,
                    &who,
                    step.who.locale(),
                );
                set_channel(&mut submit, channel);
                bot.fake
                    .dispatch("INTERACTION_CREATE", submit.clone())
                    .expect("dispatch");
                submit
            }
            Discord::Message(text) => bot.say(channel, &who, text).0,
            Discord::PressFirstButton => {
                let answered = previous.as_ref().expect("an answer with buttons");
                bot.responses(answered, 1).await;
                let message = bot.fake.original_response(snowflake(answered)).expect("the answer");
                let button = message["components"][0]["components"][0]["custom_id"]
                    .as_str()
                    .expect("a button")
                    .to_string();
                bot.press(&button, message, &who, step.who.locale())
            }
        };
        bot.wait_handled(&source, step.last, 1).await;
        previous = Some(source);
    }
    let thread = bot.incident(1).await.discord.thread.expect("thread");
    let journal: Journal = bot
        .journal()
        .into_iter()
        .map(|h| (h.command.to_string(), h.replies))
        .collect();
    let normalised = normalise(&journal, thread);
    (bot, normalised)
}

async fn run_console(bot: &Bot, clock: Arc<SimClock>) -> Vec<(String, String)> {
    let journal: Arc<Mutex<Journal>> = Arc::default();
    let record = journal.clone();
    let observer = Arc::new(move |request: &Request, replies: &[Reply]| {
        record
            .lock()
            .unwrap()
            .push((request.command.name().to_string(), replies.to_vec()));
    });
    let store = Store::connect("sqlite::memory:").await.expect("store");
    let app = App::new(Arc::new(bot.app.config().clone()), store)
        .with_clock(clock.clone())
        .with_observer(observer);
    let user = |who: Who, role: UserRole| User {
        name: who.name().to_string(),
        account: AccountId::new(who.spec().user_id.to_string()),
        role,
        sign_in: SignInKind::Work,
    };
    let users = vec![
        user(Who::Customer, UserRole::Customer(OrgId::new("contoso"))),
        user(Who::Engineer, UserRole::Engineer),
        user(Who::Manager, UserRole::Manager),
    ];
    let mut session = Session::with_users(app, clock, users);
    let mut transcript = Vec::new();
    for step in script() {
        session
            .handle(&format!(":as {}", step.who.name()), &mut transcript)
            .await
            .unwrap();
        session.handle(step.console, &mut transcript).await.unwrap();
    }
    let thread = intakebot::console::THREAD_BASE + IncidentNumber(1).0 as u64;
    let journal = journal.lock().unwrap().clone();
    normalise(&journal, thread)
}

#[tokio::test]
async fn the_same_script_gets_the_same_replies_through_discord_and_the_console() {
    let (bot, discord) = run_discord(Arc::new(FixedClock::new(start()))).await;
    let console = run_console(&bot, Arc::new(SimClock::load(None, start()))).await;
    assert_eq!(discord.len(), console.len(), "requests: {discord:#?}\nvs {console:#?}");
    for (d, c) in discord.iter().zip(&console) {
        assert_eq!(d, c, "the front ends differ");
    }
    // The script reached every kind of reply: a form, a new thread, private and public answers,
    // posts to staff, in Norwegian for Contoso's customer and English for staff.
    let all: String = discord.iter().map(|(_, r)| r.as_str()).collect();
    for part in [
        "Form(",
        "NewThread(",
        "Private",
        "Here",
        "Engineers",
        "language: No",
        "language: En",
    ] {
        assert!(all.contains(part), "the script never produced {part}");
    }
    bot.stop().await;
}
