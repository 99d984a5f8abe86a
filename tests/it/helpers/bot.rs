//! The end-to-end harness: the local Discord server, a fresh SQLite database, the shipped
//! config re-pointed at the fake's ids, and the bot started through `cli::run::run_with`
//! (the real binary's code path). `spawn_bot` returns once READY and the commands PUT are seen.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use intakebot::app::{App, Grant, Member};
use intakebot::config::Config;
use intakebot::core::entitlement::Entitlement;
#[allow(unused_imports)]
use intakebot::core::ids::IncidentNumber;
use intakebot::core::ids::{AccountId, OrderNumber, OrgId};
use intakebot::core::incident::Role;
use intakebot::core::language::Language;
use intakebot::core::plan::{PlanId, SignInKind};
use intakebot::store::{Account, Incident, Store};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, InteractionResponse, Mode};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "e2e-bot-token";
pub const WAIT: Duration = Duration::from_secs(5);
/// Pause before a modal submit: poise starts listening for it only after its type-9
/// callback returns, and a person needs seconds to fill in a form anyway.
pub const MODAL_THINK_TIME: Duration = Duration::from_millis(30);

/// Role ids the test config gives the fake's guild.
pub const ENGINEER_ROLE: u64 = 9_000_000_000_000_000_100;
pub const MANAGER_ROLE: u64 = 9_000_000_000_000_000_101;
pub const ON_CALL_ROLE: u64 = 9_000_000_000_000_000_102;
pub const CONTOSO_ROLE: u64 = 9_000_000_000_000_000_200;
pub const FABRIKAM_ROLE: u64 = 9_000_000_000_000_000_201;

/// Channel ids created in the fake and written into the config.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub guild: u64,
    pub contoso_intake: u64,
    pub fabrikam_intake: u64,
    pub engineers: u64,
    pub managers: u64,
}

/// A running bot and what a test needs to drive and observe it.
pub struct Bot {
    pub fake: FakeDiscord,
    pub app: App,
    pub store: Store,
    pub ids: Ids,
    shutdown: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<Result<(), intakebot::cli::run::RunError>>,
    _dir: tempfile::TempDir,
}

pub fn customer() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_001, "carla").with_roles(&[CONTOSO_ROLE])
}
pub fn other_customer() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_002, "fred").with_roles(&[FABRIKAM_ROLE])
}
pub fn engineer() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_003, "erik").with_roles(&[ENGINEER_ROLE])
}
pub fn manager() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_004, "maria").with_roles(&[MANAGER_ROLE])
}

/// Starts everything in proxy mode.
pub async fn spawn_bot() -> Bot {
    spawn_bot_in(Mode::Proxy).await
}

/// Starts everything; `Mode::Tls` keeps serenity's ratelimiter on (429 handling).
pub async fn spawn_bot_in(mode: Mode) -> Bot {
    let fake = FakeDiscord::start(mode).await.expect("fake discord");
    let ids = Ids {
        guild: fake.scene().guild_id,
        contoso_intake: fake.add_text_channel("contoso-support"),
        fabrikam_intake: fake.add_text_channel("fabrikam-support"),
        engineers: fake.add_text_channel("engineers"),
        managers: fake.add_text_channel("managers"),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    write_config(dir.path(), &ids);
    let config = Config::load_with_env(dir.path(), std::iter::empty()).expect("test config loads");
    let store = Store::connect(&config.app.database.url).await.expect("sqlite store");
    let app = App::new(Arc::new(config), store.clone());
    let http = fake.http_for_bot(TOKEN).expect("http for bot");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(intakebot::cli::run::run_with(app.clone(), http, async {
        let _ = stopped.await;
    }));
    fake.identified().await.expect("identify");
    fake.wait_for_call(
        |c| c.is("PUT", "/applications/*/guilds/*/commands"),
        Duration::from_secs(10),
    )
    .await
    .expect("commands registered");
    Bot {
        fake,
        app,
        store,
        ids,
        shutdown: Some(stop),
        task,
        _dir: dir,
    }
}

/// The shipped `config/` with the fake's ids, a temp database, and HTTP on port 0.
fn write_config(dir: &Path, ids: &Ids) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for name in ["calendars.toml", "catalog.toml", "policy.toml"] {
        std::fs::copy(shipped.join(name), dir.join(name)).expect("copy config");
    }
    let text = std::fs::read_to_string(shipped.join("intakebot.toml")).expect("intakebot.toml");
    let mut t: toml::Table = text.parse().expect("toml");
    let s = |v: u64| toml::Value::String(v.to_string());
    let db = dir.join("intakebot.db");
    t["database"]["url"] = toml::Value::String(format!("sqlite://{}", db.display()));
    let d = t["discord"].as_table_mut().expect("[discord]");
    d.insert("guild_id".into(), s(ids.guild));
    d.insert("engineers_channel".into(), s(ids.engineers));
    d.insert("managers_channel".into(), s(ids.managers));
    let roles = d["roles"].as_table_mut().expect("[discord.roles]");
    roles.insert("engineer".into(), s(ENGINEER_ROLE));
    roles.insert("manager".into(), s(MANAGER_ROLE));
    roles.insert("on_call".into(), s(ON_CALL_ROLE));
    t["http"]["listen"] = toml::Value::String("127.0.0.1:0".into());
    let orgs = t["organisations"].as_array_mut().expect("[[organisations]]");
    for org in orgs.iter_mut() {
        let org = org.as_table_mut().expect("organisation");
        let (role, channel) = match org["id"].as_str() {
            Some("contoso") => (CONTOSO_ROLE, ids.contoso_intake),
            _ => (FABRIKAM_ROLE, ids.fabrikam_intake),
        };
        org.insert("role".into(), s(role));
        org.insert("intake_channels".into(), toml::Value::Array(vec![s(channel)]));
    }
    std::fs::write(dir.join("intakebot.toml"), toml::to_string(&t).expect("toml out")).expect("write config");
}

pub fn snowflake(value: &Value) -> u64 {
    value["id"].as_str().and_then(|s| s.parse().ok()).expect("snowflake id")
}

impl Bot {
    /// Stops the bot and waits for `run_with` to return.
    pub async fn stop(self) {
        let _ = self.shutdown_and_join().await;
    }

    /// Triggers the shutdown; `run_with`'s result, or `None` if it did not return in time.
    pub async fn shutdown_and_join(mut self) -> Option<Result<(), intakebot::cli::run::RunError>> {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        match tokio::time::timeout(WAIT, &mut self.task).await {
            Ok(Ok(result)) => Some(result),
            _ => None,
        }
    }

    /// Drops the fake's recorded protocol problems (a test that provokes them on purpose).
    pub fn take_failures_quietly(&self) -> Vec<String> {
        self.fake.take_failures()
    }

    /// A manager member for seeding through the app.
    pub fn manager_member(&self) -> Member {
        Member {
            account: AccountId::new(manager().user_id.to_string()),
            name: "maria".into(),
            role: Role::Manager,
            organisation: None,
            sign_in: SignInKind::Work,
            language: Language::En,
        }
    }

    /// Grants `plan` to `org` owned by `owner`, bought on `purchased_on`.
    pub async fn grant_on(
        &self,
        plan: PlanId,
        org: &str,
        owner: &MemberSpec,
        order: &str,
        purchased_on: NaiveDate,
    ) -> Entitlement {
        // The owner is a known customer account of the organisation, as after their first message.
        let org_cfg = self
            .app
            .config
            .app
            .organisations
            .iter()
            .find(|o| o.id.as_str() == org)
            .expect("configured organisation");
        self.store
            .upsert_organisation(&org_cfg.id, &org_cfg.name)
            .await
            .expect("organisation");
        if self
            .store
            .account(&AccountId::new(owner.user_id.to_string()))
            .await
            .expect("account")
            .is_none()
        {
            let account = Account {
                id: AccountId::new(owner.user_id.to_string()),
                organisation: org_cfg.id.clone(),
                role: Role::Customer,
                sign_in: org_cfg.sign_in,
            };
            self.store.upsert_account(&account).await.expect("account");
        }
        let grant = Grant {
            plan,
            organisation: OrgId::new(org),
            owner: AccountId::new(owner.user_id.to_string()),
            purchased_on,
            order_number: OrderNumber::new(order),
        };
        self.app
            .grant(&self.manager_member(), grant, Utc::now())
            .await
            .expect("grant")
    }

    pub async fn grant(&self, plan: PlanId, org: &str, owner: &MemberSpec) -> Entitlement {
        self.grant_on(plan, org, owner, "ORD-1", Utc::now().date_naive()).await
    }

    /// Sends a slash command `/incident <sub> …` and returns the interaction.
    pub fn command(
        &self,
        name: &str,
        sub: Option<&str>,
        options: Vec<Value>,
        who: &MemberSpec,
        locale: &str,
        channel: u64,
    ) -> Value {
        let options = match sub {
            Some(sub) => vec![builders::option_subcommand(sub, options)],
            None => options,
        };
        let mut interaction = builders::interaction_command(self.fake.scene(), name, options, who, locale);
        set_channel(&mut interaction, channel);
        self.fake
            .dispatch("INTERACTION_CREATE", interaction.clone())
            .expect("dispatch");
        interaction
    }

    /// Adds a resolved user to a command interaction (for `User` options such as `owner`).
    pub fn with_resolved_user(interaction: &mut Value, user: &MemberSpec) {
        let id = user.user_id.to_string();
        interaction["data"]["resolved"] = serde_json::json!({
            "users": { id.clone(): builders::user_json(user.user_id, &user.username, false) },
            "members": { id: { "roles": user.roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(), "joined_at": "2024-01-01T00:00:00.000Z", "deaf": false, "mute": false, "flags": 0, "pending": false, "permissions": "0" } },
        });
    }

    /// Builds (without sending) a `/name sub …` command in `channel`.
    pub fn command_value(
        &self,
        name: &str,
        sub: Option<&str>,
        options: Vec<Value>,
        who: &MemberSpec,
        locale: &str,
        channel: u64,
    ) -> Value {
        let options = match sub {
            Some(sub) => vec![builders::option_subcommand(sub, options)],
            None => options,
        };
        let mut interaction = builders::interaction_command(self.fake.scene(), name, options, who, locale);
        set_channel(&mut interaction, channel);
        interaction
    }

    /// Waits for `n` answers to an interaction.
    pub async fn responses(&self, interaction: &Value, n: usize) -> Vec<InteractionResponse> {
        self.fake
            .wait_for_responses(snowflake(interaction), n, WAIT)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "waiting for {n} responses: {e}; got {:?}",
                    self.fake.interaction_responses(snowflake(interaction))
                )
            })
    }

    /// `/incident open` through its modal; returns the command interaction and all answers.
    pub async fn open_by_command(
        &self,
        who: &MemberSpec,
        locale: &str,
        options: Vec<Value>,
        title: &str,
        problem: &str,
    ) -> (Value, Vec<InteractionResponse>) {
        let cmd = self.command("incident", Some("open"), options, who, locale, self.ids.contoso_intake);
        let first = self.responses(&cmd, 1).await;
        if first[0].body["type"] != 9 {
            return (cmd, first);
        }
        let modal_id = snowflake(&cmd).to_string();
        tokio::time::sleep(MODAL_THINK_TIME).await;
        let mut submit = builders::interaction_modal_submit(
            self.fake.scene(),
            &modal_id,
            &[("title", title), ("problem", problem)],
            who,
            locale,
        );
        set_channel(&mut submit, self.ids.contoso_intake);
        self.fake
            .dispatch("INTERACTION_CREATE", submit)
            .expect("dispatch modal");
        let all = self.responses(&cmd, 2).await;
        (cmd, all)
    }

    /// Opens SQL Server 2022 severity B for the Contoso customer (five-pack granted); returns
    /// the incident number, its thread and the card message.
    pub async fn open_sample(&self) -> (i64, u64, Value) {
        self.grant(PlanId::FivePack, "contoso", &customer()).await;
        self.open_sample_again().await
    }

    /// Opens one more sample incident on the packs already granted.
    pub async fn open_sample_again(&self) -> (i64, u64, Value) {
        let options = vec![
            builders::option_str("product", "sql-server"),
            builders::option_str("version", "2022"),
            builders::option_int("severity", 1),
        ];
        let (_, responses) = self
            .open_by_command(&customer(), "en-US", options, "Backups fail", "Nightly backup fails")
            .await;
        let text = text_of(&responses);
        let number: i64 = text
            .split("INC-")
            .nth(1)
            .and_then(|rest| rest.get(..6))
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("opened: {text}"));
        let incident = self.incident(number).await;
        let thread = incident.discord.thread.expect("thread");
        let path = format!("/channels/{thread}/messages");
        self.fake
            .wait_for_call(|c| c.is("POST", &path), WAIT)
            .await
            .expect("card posted");
        let card = self
            .fake
            .messages(thread)
            .into_iter()
            .find(|m| m["embeds"].as_array().is_some_and(|e| !e.is_empty()))
            .expect("card");
        (number, thread, card)
    }

    /// Presses a button on `message` (a full message object).
    pub fn press(&self, custom_id: &str, message: Value, who: &MemberSpec, locale: &str) -> Value {
        let channel = message["channel_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("message channel");
        let mut press = builders::interaction_button(self.fake.scene(), custom_id, message, who, locale);
        set_channel(&mut press, channel);
        self.fake
            .dispatch("INTERACTION_CREATE", press.clone())
            .expect("dispatch press");
        press
    }

    /// A member writes `content` in `channel`; returns the message and the call count before it.
    pub fn say(&self, channel: u64, who: &MemberSpec, content: &str) -> (Value, u64) {
        let before = self.fake.call_count();
        let message = builders::message_create(self.fake.scene(), channel, who, content);
        self.fake
            .dispatch("MESSAGE_CREATE", message.clone())
            .expect("dispatch message");
        (message, before)
    }

    /// The next message the bot posts in `channel` after call number `after`.
    pub async fn bot_post(&self, channel: u64, after: u64) -> intakebot_testkit::RecordedCall {
        let path = format!("/channels/{channel}/messages");
        self.fake
            .wait_for_call(|c| c.seq >= after && c.is("POST", &path), WAIT)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no bot message in {channel}: {e}; calls: {:#?}",
                    self.fake
                        .calls()
                        .iter()
                        .filter(|c| c.seq >= after)
                        .map(|c| (&c.method, &c.path, c.status))
                        .collect::<Vec<_>>()
                )
            })
    }

    /// Asserts the bot stays quiet in `channel` for a moment after call number `after`.
    pub async fn assert_no_post(&self, channel: u64, after: u64) {
        let path = format!("/channels/{channel}/messages");
        let posted = self
            .fake
            .wait_for_call(|c| c.seq >= after && c.is("POST", &path), Duration::from_millis(500))
            .await;
        assert!(posted.is_err(), "unexpected post: {posted:?}");
    }

    /// The newest incident in the store.
    pub async fn incident(&self, number: i64) -> Incident {
        self.store
            .incident(intakebot::core::ids::IncidentNumber(number))
            .await
            .expect("store")
            .expect("incident exists")
    }
}

/// Puts an interaction in `channel` (the builders use the scene's default channel).
pub fn set_channel(interaction: &mut Value, channel: u64) {
    interaction["channel_id"] = Value::String(channel.to_string());
    if interaction.get("channel").is_some() {
        interaction["channel"]["id"] = Value::String(channel.to_string());
    }
}

/// Text of every answer joined, for content checks.
pub fn text_of(responses: &[InteractionResponse]) -> String {
    responses
        .iter()
        .map(|r| {
            let data = if r.body.get("data").is_some() {
                &r.body["data"]
            } else {
                &r.body
            };
            format!("{} {}", data["content"].as_str().unwrap_or(""), data["embeds"])
        })
        .collect::<Vec<_>>()
        .join("\n")
}
