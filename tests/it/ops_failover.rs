//! Failover under load (issue 21): three `intakebot run` processes on one PostgreSQL database
//! against one local Discord server. The leader is killed (`kill -9`) while customers' messages
//! and form opens are being handled and about 500 due notices are being posted; customers go on
//! posting through the gap, and an engineer answers one of them in its thread in the gap.
//! Afterwards: the gateway sessions never overlapped; every message is exactly one incident
//! charged one unit; every message was answered, those posted in the gap exactly once; every
//! answered form names its own incident; the engineer's reply acknowledged once, at its own
//! time; every notice was posted once and none is left behind.

use crate::helpers::bot::{customer, engineer, manager, other_customer, set_channel, Ids};
use crate::helpers::db::{Backend, TestDb};
use crate::helpers::process::{leader_of, ConfigDir, RunProcess, Target};
use crate::ops_leader::TAKEOVER_BOUND;
use crate::ops_run::STOP_DEADLINE;
use chrono::{Duration as Days, Utc};
use intakebot::app::request::{Actor, GrantCommand, OpenCommand, Place, Request};
use intakebot::app::{App, Audience, Command, SourceId};
use intakebot::config::Config;
use intakebot::core::ids::{AccountId, OrderNumber, OrgId};
use intakebot::core::plan::PlanId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::{DiscordIds, Store};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, Mode};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Customers' messages, each a request the grammar opens at once.
const MESSAGES: usize = 200;
/// `/incident open` through its form, one after every fifth message.
const COMMANDS: usize = MESSAGES / 5;
/// The leader is killed after this many of them.
const KILL_AFTER: usize = 50;
/// Severity A incidents opened a day ago on 24x7: each has three reminders and a breach due,
/// to its thread and to the engineers (8 notices), plus escalations: about 500 in all.
const NOTICE_INCIDENTS: usize = 60;
/// How long everything may take to settle after the kill.
const SETTLE: Duration = Duration::from_secs(120);

/// The config the processes and this test share: the shipped one on the fake's channels, this
/// database and a port of its own.
struct Setup {
    dir: ConfigDir,
}

/// One post per notice, so posts and sent rows can be counted against each other.
const ENV: [(&str, &str); 2] = [
    ("INTAKEBOT_REMINDERS__DIGEST_THRESHOLD", "100000"),
    ("INTAKEBOT_REMINDERS__WEEKLY_REPORT", "false"),
];

impl Setup {
    fn new(fake: &FakeDiscord, ids: &Ids, db_url: &str) -> Setup {
        let target = Target {
            rest_url: &fake.rest_url(),
            guild_id: ids.guild,
            database_url: Some(db_url),
        };
        Setup {
            dir: ConfigDir::on_channels(&target, Some(ids.channels())),
        }
    }

    fn start(&self) -> RunProcess {
        RunProcess::start(&self.dir, &ENV)
    }

    fn config(&self) -> Config {
        let env = ENV.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::load_with_env(&self.dir.path(), env).expect("test config loads")
    }
}

fn actor(who: &MemberSpec) -> Actor {
    Actor {
        account: AccountId::new(who.user_id.to_string()),
        name: who.username.clone(),
        roles: who.roles.clone(),
        locale: None,
    }
}

/// `count` five-packs for `org`, owned by `owner`, granted by a manager through the app.
async fn grant(app: &App, ids: &Ids, org: &str, owner: &MemberSpec, count: usize) {
    for i in 0..count {
        let request = Request {
            actor: actor(&manager()),
            place: Place {
                guild: Some(ids.guild),
                channel: ids.managers,
            },
            source: SourceId(format!("grant-{org}-{i}")),
            at: Utc::now(),
            command: Command::Grant(GrantCommand {
                plan: PlanId::FivePack,
                organisation: OrgId::new(org),
                owner: AccountId::new(owner.user_id.to_string()),
                purchased: Some(Utc::now().date_naive()),
                order: OrderNumber::new(format!("ORD-{org}-{i}")),
            }),
        };
        app.handle(request).await;
    }
}

/// A Fabrikam severity-A incident on 24x7 opened a day ago, with its thread in the fake: its
/// reminders and breach are all due.
async fn open_overdue(app: &App, store: &Store, fake: &FakeDiscord, ids: &Ids, i: usize) {
    let who = other_customer();
    let request = Request {
        actor: actor(&who),
        place: Place {
            guild: Some(ids.guild),
            channel: ids.fabrikam_intake,
        },
        source: SourceId(format!("overdue-{i}")),
        at: Utc::now() - Days::days(1),
        command: Command::Open(OpenCommand {
            product: "SQL Server".into(),
            version: "2022".into(),
            severity: Some(Severity::A),
            coverage: Some(Coverage::TwentyFourSeven),
            on_call: Some(AccountId::new(who.user_id.to_string())),
            plan: None,
            title: Some(format!("Cluster {i} down")),
            problem: Some("The cluster does not start".into()),
        }),
    };
    let replies = app.handle(request).await;
    let number = replies
        .iter()
        .find_map(|r| match &r.audience {
            Audience::NewThread(spec) => Some(spec.incident),
            _ => None,
        })
        .unwrap_or_else(|| panic!("not opened: {replies:#?}"));
    let thread = fake.add_text_channel(&format!("inc-{}", number.0));
    let ids = DiscordIds {
        channel: Some(ids.fabrikam_intake),
        thread: Some(thread),
        message: None,
    };
    store.set_discord_ids(number, &ids).await.expect("thread");
}

fn message_id(message: &Value) -> u64 {
    message["id"].as_str().and_then(|s| s.parse().ok()).expect("message id")
}

/// The bot's answers to each message in `channel`, by the message they answer.
fn answers(fake: &FakeDiscord, channel: u64, bot: u64) -> HashMap<u64, Vec<String>> {
    let mut by_message: HashMap<u64, Vec<String>> = HashMap::new();
    for post in fake.posts(channel).into_iter().filter(|p| p.author_id == bot) {
        let reference = post.message["message_reference"]["message_id"]
            .as_str()
            .and_then(|s| s.parse().ok());
        if let Some(reference) = reference {
            by_message.entry(reference).or_default().push(post.message.to_string());
        }
    }
    by_message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_leader_under_load_loses_nothing_and_doubles_nothing() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let fake = Arc::new(FakeDiscord::start(Mode::Proxy).await.unwrap());
    // Discord's own nonce window (minutes) is kept: a notice the dead leader posted but could
    // not mark sent is posted again by the next one under the same nonce, and Discord drops it.
    let ids = Ids::made_in(&fake);
    for member in [customer(), other_customer(), engineer(), manager()] {
        fake.set_member(member);
    }
    let setups: Vec<Setup> = (0..3).map(|_| Setup::new(&fake, &ids, &db.url)).collect();
    let app = App::new(Arc::new(setups[0].config()), db.store.clone());
    let contoso_packs = (MESSAGES + COMMANDS) / 5 + 1;
    grant(&app, &ids, "contoso", &customer(), contoso_packs).await;
    grant(&app, &ids, "fabrikam", &other_customer(), NOTICE_INCIDENTS / 5 + 1).await;

    let pool = sqlx::PgPool::connect(&db.url).await.expect("PostgreSQL");
    let mut bots: Vec<RunProcess> = setups.iter().map(Setup::start).collect();
    let first = leader_of(&bots, Duration::from_secs(60)).await;
    assert_eq!(fake.gateway_spans().len(), 1);

    for i in 0..NOTICE_INCIDENTS {
        open_overdue(&app, &db.store, &fake, &ids, i).await;
    }
    // The leader is posting them when the customers start.
    let posting = Instant::now();
    while outbox_states(&pool).await.get("sent").copied().unwrap_or(0) < 20 {
        assert!(posting.elapsed() < SETTLE, "the leader posts no notice");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut messages = Vec::new();
    let mut commands = Vec::new();
    let mut in_gap = Vec::new();
    let mut killed_at = None;
    let mut engineer_reply = None;
    let mut notices_before_kill = BTreeMap::new();
    for i in 0..MESSAGES {
        if i == KILL_AFTER {
            notices_before_kill = outbox_states(&pool).await;
            bots[first].signal("KILL");
            killed_at = Some(Instant::now());
            bots[first].exit_within(STOP_DEADLINE).await;
            // An engineer answers the first customer in their incident's thread, in the gap.
            engineer_reply = Some(reply_in_thread(&fake, &pool, messages[0]).await);
        }
        let gap = killed_at.is_some() && fake.live_sessions() == 0;
        let text = format!("prio C: Windows Server 2022 print spooler crashes on node {i}");
        // Posted as on Discord: kept in the channel, and sent to the sessions there are (none
        // in the gap: then only the history has it).
        let message = builders::message_create(fake.scene(), ids.contoso_intake, &customer(), &text);
        let _not_connected_in_the_gap = fake.dispatch("MESSAGE_CREATE", message.clone());
        if gap {
            in_gap.push(message_id(&message));
        }
        messages.push(message_id(&message));
        if i % 5 == 0 {
            commands.push(tokio::spawn(open_by_command(fake.clone(), ids.contoso_intake)));
        }
        // 25 messages a second up to the kill (many in flight when it comes), then 10 a second,
        // so that some land in the gap and some after the takeover.
        let pause = if killed_at.is_some() { 100 } else { 40 };
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    fake.identified_nth(2, SETTLE).await.expect("a standby took over");
    let took = fake.gateway_spans()[1].started - killed_at.expect("killed");
    assert!(!in_gap.is_empty(), "no message was posted in the gap");
    assert!(took < TAKEOVER_BOUND, "takeover took {took:?}");

    // Settled: every message is an answered incident and no due notice is left.
    let started = Instant::now();
    let bot_user = fake.scene().bot_user_id;
    loop {
        let opened: Vec<String> = sqlx::query_scalar("SELECT source_id FROM incidents")
            .fetch_all(&pool)
            .await
            .unwrap();
        let opened = messages.iter().filter(|m| opened.contains(&m.to_string())).count();
        let answered = answers(&fake, ids.contoso_intake, bot_user);
        let (_, oldest_due) = db.store.outbox_backlog(Utc::now()).await.unwrap();
        let claimed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'claimed'")
            .fetch_one(&pool)
            .await
            .unwrap();
        if opened == MESSAGES
            && messages.iter().all(|m| answered.contains_key(m))
            && oldest_due.is_none()
            && claimed == 0
        {
            break;
        }
        let unanswered: Vec<usize> = (0..MESSAGES)
            .filter(|i| !answered.contains_key(&messages[*i]))
            .collect();
        assert!(
            started.elapsed() < SETTLE,
            "not settled: {opened} of {MESSAGES} messages opened, unanswered (by index) {unanswered:?}, \
             oldest due notice {oldest_due:?}, {claimed} claimed"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "takeover {:.1} s after the kill; {} of {MESSAGES} messages posted in the gap; notices by state at the kill {:?}, at the end {:?}",
        took.as_secs_f64(),
        in_gap.len(),
        notices_before_kill,
        outbox_states(&pool).await,
    );

    // Sessions: one at a time, and only the one takeover.
    assert_eq!(fake.overlapping_sessions(), None, "two gateway sessions at once");
    assert_eq!(fake.gateway_spans().len(), 2, "{:#?}", fake.gateway_spans());

    // Every message: one incident, one unit, answered; in the gap, answered once.
    let per_source: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.source_id, (SELECT COUNT(*) FROM ledger l WHERE l.incident = i.id AND l.kind = 'consume') \
         FROM incidents i WHERE i.organisation = 'contoso'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let per_source: BTreeMap<u64, i64> = per_source.into_iter().map(|(s, n)| (s.parse().unwrap(), n)).collect();
    for m in &messages {
        assert_eq!(
            per_source.get(m),
            Some(&1),
            "message {m}: one incident charged one unit"
        );
    }
    assert!(
        per_source.values().all(|units| *units == 1),
        "every incident charged one unit"
    );
    let mut acknowledged = Vec::new();
    for command in commands {
        acknowledged.extend(command.await.unwrap());
    }
    let numbers: BTreeMap<i64, usize> = acknowledged.iter().fold(BTreeMap::new(), |mut n, i| {
        *n.entry(*i).or_default() += 1;
        n
    });
    println!("{} of {COMMANDS} form opens answered", acknowledged.len());
    assert!(
        acknowledged.len() >= COMMANDS / 4,
        "form opens before and after the gap are answered"
    );
    assert!(
        numbers.values().all(|n| *n == 1),
        "two forms answered with one incident: {numbers:?}"
    );
    for number in numbers.keys() {
        let units: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ledger WHERE incident = $1 AND kind = 'consume' \
             AND EXISTS (SELECT 1 FROM incidents WHERE id = $1 AND organisation = 'contoso')",
        )
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(
            units, 1,
            "INC-{number:06}: an acknowledged open is one incident with one unit"
        );
    }
    let left: i64 =
        sqlx::query_scalar("SELECT SUM(units_left)::BIGINT FROM entitlements WHERE organisation = 'contoso'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(left as usize, contoso_packs * 5 - per_source.len(), "units left");
    assert!(
        db.store.check_all_ledgers().await.unwrap().is_empty(),
        "ledgers balance"
    );
    let answered = answers(&fake, ids.contoso_intake, bot_user);
    for m in &in_gap {
        assert_eq!(
            answered[m].len(),
            1,
            "posted in the gap, answered once: {:?}",
            answered[m]
        );
    }
    for m in &messages {
        // A message the killed leader had opened but not yet answered is read again and
        // answered by the next leader ("already opened"), never opened twice.
        let number = answered[m]
            .iter()
            .filter_map(|a| a.split("INC-").nth(1)?.get(..6))
            .collect::<Vec<_>>();
        assert!(
            number.windows(2).all(|w| w[0] == w[1]),
            "message {m}: answers name one incident: {:?}",
            answered[m]
        );
    }

    // The engineer's reply in the gap acknowledged the incident once, at its own time.
    let (incident, written_at) = engineer_reply.expect("the engineer replied");
    let acknowledged: Option<chrono::DateTime<Utc>> =
        sqlx::query_scalar("SELECT acknowledged_at FROM incidents WHERE id = $1")
            .bind(incident)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(acknowledged, Some(written_at), "acknowledged at the reply's own time");
    let acks: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM incident_events WHERE incident = $1 AND kind = 'acknowledged'")
            .bind(incident)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(acks, 1, "acknowledged once");

    // Every notice: posted once under its own nonce, or folded into a later one of its
    // incident (a reminder overtaken by the breach; no message id); none failed or left.
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT state, nonce, message_id FROM outbox WHERE due_at <= now()")
            .fetch_all(&pool)
            .await
            .unwrap();
    for (state, nonce, _) in &rows {
        assert!(state == "sent" || state == "cancelled", "notice {nonce} is {state}");
    }
    let mut posts_per_nonce: HashMap<String, usize> = HashMap::new();
    for post in fake.all_posts() {
        if let Some(nonce) = post.nonce {
            *posts_per_nonce.entry(nonce).or_default() += 1;
        }
    }
    let posted: Vec<&String> = rows
        .iter()
        .filter(|(state, _, id)| state == "sent" && id.is_some())
        .map(|(_, nonce, _)| nonce)
        .collect();
    assert!(
        posted.len() >= NOTICE_INCIDENTS * 2,
        "{} notices posted; at least a breach to the thread and the engineers each",
        posted.len()
    );
    for nonce in &posted {
        assert_eq!(posts_per_nonce.get(*nonce), Some(&1), "notice {nonce} posted once");
    }
    assert!(posts_per_nonce.values().all(|n| *n == 1), "a nonce posted twice");

    for bot in &bots {
        if bot.listen != bots[first].listen {
            bot.signal("TERM");
        }
    }
    for (i, bot) in bots.iter_mut().enumerate() {
        if i != first {
            let (status, _) = bot.exit_within(STOP_DEADLINE).await;
            assert!(status.success(), "log:\n{}", bot.log().join("\n"));
        }
    }
    let _ = fake.take_failures();
    drop(bots);
    pool.close().await;
    db.finish().await;
}

/// How many outbox rows are in each state.
async fn outbox_states(pool: &sqlx::PgPool) -> BTreeMap<String, i64> {
    sqlx::query_as("SELECT state, COUNT(*) FROM outbox GROUP BY state")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// `/incident open` through its form, as a customer does it: the command, the form's submit
/// once it is shown, and the answer. The incident number the bot confirmed, or `None` when an
/// answer never came (sent to the killed leader, or in the gap: Discord's "did not respond").
async fn open_by_command(fake: Arc<FakeDiscord>, channel: u64) -> Option<i64> {
    let wait = Duration::from_secs(10);
    let options = vec![builders::option_subcommand(
        "open",
        vec![
            builders::option_str("product", "sql-server"),
            builders::option_str("version", "2022"),
            builders::option_int("severity", 2),
        ],
    )];
    let mut command = builders::interaction_command(fake.scene(), "incident", options, &customer(), "en-US");
    set_channel(&mut command, channel);
    fake.dispatch("INTERACTION_CREATE", command.clone()).ok()?;
    let form = fake.wait_for_responses(message_id(&command), 1, wait).await.ok()?;
    if form[0].body["type"] != 9 {
        return None;
    }
    let fields = [("title", "Backups fail"), ("problem", "The nightly backup fails")];
    let mut submit = builders::interaction_modal_submit(
        fake.scene(),
        &message_id(&command).to_string(),
        &fields,
        &customer(),
        "en-US",
    );
    set_channel(&mut submit, channel);
    fake.dispatch("INTERACTION_CREATE", submit.clone()).ok()?;
    let answers = fake.wait_for_responses(message_id(&submit), 2, wait).await.ok()?;
    let text: String = answers.iter().map(|a| a.body.to_string()).collect();
    text.split("INC-").nth(1)?.get(..6)?.parse().ok()
}

/// An engineer's first reply in the thread of the incident `message` opened, posted as on
/// Discord; the incident's number and when the reply was written.
async fn reply_in_thread(fake: &FakeDiscord, pool: &sqlx::PgPool, message: u64) -> (i64, chrono::DateTime<Utc>) {
    let (incident, thread): (i64, Option<String>) =
        sqlx::query_as("SELECT id, discord_thread_id FROM incidents WHERE source_id = $1")
            .bind(message.to_string())
            .fetch_one(pool)
            .await
            .expect("the first message was opened before the kill");
    let thread: u64 = thread.and_then(|t| t.parse().ok()).expect("its thread");
    let reply = builders::message_create(fake.scene(), thread, &engineer(), "Looking at it now");
    let _not_connected_in_the_gap = fake.dispatch("MESSAGE_CREATE", reply.clone());
    let written_at = reply["timestamp"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .expect("timestamp")
        .with_timezone(&Utc);
    (incident, written_at)
}
