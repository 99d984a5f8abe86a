//! The end-to-end harness: the local Discord server, a fresh SQLite database, the shipped
//! config re-pointed at the fake's ids, and the bot started through `cli::run::run_with`
//! (the real binary's code path). `spawn_bot` returns once READY and the commands PUT are seen.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use intakebot::app::request::{Actor, GrantCommand, Place, Request};
use intakebot::app::{App, Command, SourceId};
use intakebot::config::Config;
use intakebot::core::entitlement::Entitlement;
use intakebot::core::ids::{AccountId, OrderNumber, OrgId};
use intakebot::core::plan::PlanId;
use intakebot::store::{Incident, Store};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{Channels, ConfigOptions, FakeDiscord, InteractionResponse, Mode};
use serde_json::Value;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "e2e-bot-token";
pub const WAIT: Duration = Duration::from_secs(5);

/// Role ids the test config gives the fake's guild.
pub use intakebot_testkit::config_dir::{CONTOSO_ROLE, ENGINEER_ROLE, FABRIKAM_ROLE, MANAGER_ROLE};

/// Channel ids created in the fake and written into the config.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub guild: u64,
    pub contoso_intake: u64,
    pub fabrikam_intake: u64,
    pub engineers: u64,
    pub managers: u64,
}

impl Ids {
    /// The config's channels, made in `fake`.
    pub fn made_in(fake: &FakeDiscord) -> Ids {
        Ids {
            guild: fake.scene().guild_id,
            contoso_intake: fake.add_text_channel("contoso-support"),
            fabrikam_intake: fake.add_text_channel("fabrikam-support"),
            engineers: fake.add_text_channel("engineers"),
            managers: fake.add_text_channel("managers"),
        }
    }

    /// The same ids as the testkit's config helper takes them.
    pub fn channels(&self) -> Channels {
        Channels {
            engineers: self.engineers,
            managers: self.managers,
            contoso_intake: self.contoso_intake,
            fabrikam_intake: self.fabrikam_intake,
        }
    }
}

/// A running bot and what a test needs to drive and observe it.
pub struct Bot {
    pub fake: FakeDiscord,
    pub app: App,
    pub store: Store,
    pub ids: Ids,
    /// Every request the app has handled, as (source, command): tests wait on it instead of
    /// sleeping to prove that something did not happen.
    handled: tokio::sync::watch::Receiver<Vec<Handled>>,
    shutdown: Option<intakebot::app::stop::StopHandle>,
    /// The bot's `run`, while it is up.
    pub task: Option<JoinHandle<Result<(), intakebot::cli::run::RunError>>>,
    _dir: tempfile::TempDir,
}

/// A request the app handled: its source, its command, and the replies it got.
#[derive(Debug, Clone)]
pub struct Handled {
    pub source: String,
    pub command: &'static str,
    pub replies: Vec<intakebot::app::Reply>,
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
    spawn_bot_with(mode, None).await
}

/// Starts everything with the app reading `clock` (the real time when `None`).
pub async fn spawn_bot_with(mode: Mode, clock: Option<Arc<dyn intakebot::app::Clock>>) -> Bot {
    let mut bot = bot_down(mode, clock).await;
    bot.come_back().await;
    bot
}

/// Everything but the bot's `run`: the fake Discord, the database, the app (which already
/// answers requests handed to it); `Bot::come_back` starts the bot.
pub async fn bot_down(mode: Mode, clock: Option<Arc<dyn intakebot::app::Clock>>) -> Bot {
    let fake = FakeDiscord::start(mode).await.expect("fake discord");
    let ids = Ids::made_in(&fake);
    let dir = tempfile::tempdir().expect("temp dir");
    write_config(dir.path(), &ids, None, ([127, 0, 0, 1], 0).into());
    let config = Config::load_with_env(dir.path(), std::iter::empty()).expect("test config loads");
    let store = Store::connect(&config.app.database.url).await.expect("sqlite store");
    let (seen, handled) = tokio::sync::watch::channel(Vec::new());
    let observer = Arc::new(move |request: &Request, replies: &[intakebot::app::Reply]| {
        let entry = Handled {
            source: request.source.0.clone(),
            command: request.command.name(),
            replies: replies.to_vec(),
        };
        seen.send_modify(|all| all.push(entry));
    });
    let mut app = App::new(Arc::new(config), store.clone()).with_observer(observer);
    if let Some(clock) = clock {
        app = app.with_clock(clock);
    }
    Bot {
        fake,
        app,
        store,
        ids,
        handled,
        shutdown: None,
        task: None,
        _dir: dir,
    }
}

/// The shipped `config/` with the fake's ids, a temp database and HTTP on `listen`; REST goes
/// through `rest_url` when given (a bot in another process), else the harness wires it.
pub fn write_config(dir: &Path, ids: &Ids, rest_url: Option<&str>, listen: SocketAddr) {
    let db = format!("sqlite://{}", dir.join("intakebot.db").display());
    let options = ConfigOptions {
        source: &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        database_url: &db,
        rest_url,
        guild_id: ids.guild,
        listen,
        channels: Some(ids.channels()),
    };
    intakebot_testkit::write_config(dir, &options).expect("test config");
}

/// The member as the app sees them from Discord: account, name, role ids.
pub fn actor_of(who: &MemberSpec) -> Actor {
    Actor {
        account: AccountId::new(who.user_id.to_string()),
        name: who.username.clone(),
        roles: who.roles.clone(),
        locale: None,
    }
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
        self.go_down().await
    }

    /// Stops the bot's `run` as a process exit would; the fake Discord and the database stay,
    /// and the journal goes on. `run_with`'s result, or `None` if it did not return in time.
    pub async fn go_down(&mut self) -> Option<Result<(), intakebot::cli::run::RunError>> {
        if let Some(stop) = self.shutdown.take() {
            stop.stop();
        }
        let mut task = self.task.take()?;
        match tokio::time::timeout(WAIT, &mut task).await {
            Ok(Ok(result)) => Some(result),
            _ => None,
        }
    }

    /// Starts the bot's `run` (again) through `cli::run::run_with`; returns once it has
    /// identified and registered its commands.
    pub async fn come_back(&mut self) {
        let before = self.fake.call_count();
        let sessions = self.fake.gateway_spans().len();
        let http = self.fake.http_factory(TOKEN).expect("http for bot");
        let (stop, stopped) = intakebot::app::stop::channel();
        self.task = Some(tokio::spawn(intakebot::cli::run::run_with(
            self.app.clone(),
            http,
            stopped,
        )));
        self.shutdown = Some(stop);
        // Commands are registered after READY, so a new session is up once they are.
        self.fake
            .wait_for_call(
                |c| c.seq >= before && c.is("PUT", "/applications/*/guilds/*/commands"),
                Duration::from_secs(10),
            )
            .await
            .expect("commands registered");
        assert!(self.fake.gateway_spans().len() > sessions, "a new session");
    }

    /// Drops the fake's recorded protocol problems (a test that provokes them on purpose).
    pub fn take_failures_quietly(&self) -> Vec<String> {
        self.fake.take_failures()
    }

    /// Grants `plan` to `org` owned by `owner`, bought on `purchased_on`: a manager's
    /// `/pack grant` through the app.
    pub async fn grant_on(
        &self,
        plan: PlanId,
        org: &str,
        owner: &MemberSpec,
        order: &str,
        purchased_on: NaiveDate,
    ) -> Entitlement {
        let request = Request {
            actor: actor_of(&manager()),
            place: Place {
                guild: Some(self.ids.guild),
                channel: self.ids.managers,
            },
            source: SourceId(format!("grant-{}", rand::random::<u64>())),
            at: Utc::now(),
            command: Command::Grant(GrantCommand {
                plan,
                organisation: OrgId::new(org),
                owner: AccountId::new(owner.user_id.to_string()),
                purchased: Some(purchased_on),
                order: OrderNumber::new(order),
            }),
        };
        let replies = self.app.handle(request).await;
        let packs = self.store.list_entitlements(&OrgId::new(org)).await.expect("packs");
        packs
            .into_iter()
            .max_by_key(|e| e.id)
            .unwrap_or_else(|| panic!("not granted: {replies:#?}"))
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
        // The bot keeps the form before it shows it, so the submit can follow at once.
        let modal_id = snowflake(&cmd).to_string();
        let mut submit = builders::interaction_modal_submit(
            self.fake.scene(),
            &modal_id,
            &[("title", title), ("problem", problem)],
            who,
            locale,
        );
        set_channel(&mut submit, self.ids.contoso_intake);
        self.fake
            .dispatch("INTERACTION_CREATE", submit.clone())
            .expect("dispatch modal");
        let mut all = first;
        all.extend(self.responses(&submit, 2).await);
        (cmd, all)
    }

    /// Fills in the modal a command or button (`origin`) showed; returns every answer to the
    /// origin and to the submit (at least `n` of the submit's).
    pub async fn submit_modal(
        &self,
        origin: &Value,
        fields: &[(&str, &str)],
        who: &MemberSpec,
        locale: &str,
        channel: u64,
        n: usize,
    ) -> Vec<InteractionResponse> {
        let mut submit =
            builders::interaction_modal_submit(self.fake.scene(), &snowflake(origin).to_string(), fields, who, locale);
        set_channel(&mut submit, channel);
        self.fake
            .dispatch("INTERACTION_CREATE", submit.clone())
            .expect("dispatch modal");
        let mut all = self.fake.interaction_responses(snowflake(origin));
        all.extend(self.responses(&submit, n).await);
        all
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

    /// Everything the app has handled so far, in order.
    pub fn journal(&self) -> Vec<Handled> {
        self.handled.borrow().clone()
    }

    /// Waits until the app has handled a request from `source` (an interaction or message id)
    /// `times` times, then until the front end has finished delivering the replies.
    pub async fn wait_handled(&self, source: &Value, command: &str, times: usize) -> Vec<Handled> {
        let id = snowflake(source).to_string();
        let matching = |all: &Vec<Handled>| -> Vec<Handled> {
            all.iter()
                .filter(|h| h.source == id && h.command == command)
                .cloned()
                .collect()
        };
        let mut handled = self.handled.clone();
        let seen = handled.wait_for(|all| matching(all).len() >= times);
        let all = match tokio::time::timeout(WAIT, seen).await {
            Ok(all) => all.expect("the bot is running").clone(),
            Err(_) => panic!(
                "{command} from {id} was not handled {times} times; handled: {:#?}",
                self.handled.borrow()
            ),
        };
        matching(&all)
    }

    /// Asserts the bot answers nothing to `message` (a message it was sent): once the app has
    /// handled it, it had no reply, and nothing was posted in `channel` after call `after`.
    pub async fn assert_no_post(&self, channel: u64, after: u64, message: &Value) {
        let handled = self.wait_handled(message, "message", 1).await;
        assert!(handled[0].replies.is_empty(), "the app answered: {handled:?}");
        let path = format!("/channels/{channel}/messages");
        let posted: Vec<_> = self
            .fake
            .calls()
            .into_iter()
            .filter(|c| c.seq >= after && c.is("POST", &path))
            .collect();
        assert!(posted.is_empty(), "unexpected post: {posted:?}");
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
