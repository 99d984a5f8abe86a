//! A bare serenity client (no framework) for the local Discord server's own tests: it reports
//! what it receives over a channel and can be shut down to end its gateway session.

use std::sync::Arc;
use std::time::Duration;

use intakebot_testkit::FakeDiscord;
use serenity::all::{Context, EventHandler, GatewayIntents, Guild, Message, Ready, Role, ShardManager};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What the client received, in order.
#[derive(Debug, Clone)]
pub enum Seen {
    Ready,
    /// The guild as serenity's cache holds it right after GUILD_CREATE.
    Guild(Box<Guild>),
    Message(Box<Message>),
    RoleUpdate(Box<Role>),
}

struct Reporter(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Reporter {
    async fn ready(&self, _ctx: Context, _ready: Ready) {
        let _ = self.0.send(Seen::Ready);
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let cached = ctx.cache.guild(guild.id).map(|g| g.clone()).unwrap_or(guild);
        let _ = self.0.send(Seen::Guild(Box::new(cached)));
    }

    async fn message(&self, _ctx: Context, message: Message) {
        let _ = self.0.send(Seen::Message(Box::new(message)));
    }

    async fn guild_role_update(&self, _ctx: Context, _old: Option<Role>, new: Role) {
        let _ = self.0.send(Seen::RoleUpdate(Box::new(new)));
    }
}

/// A running bare client.
pub struct BareClient {
    pub seen: mpsc::UnboundedReceiver<Seen>,
    shards: Arc<ShardManager>,
    task: JoinHandle<()>,
}

impl BareClient {
    /// Starts a client with `token` against `fake` and waits for its READY.
    pub async fn start(fake: &FakeDiscord, token: &str) -> BareClient {
        let intents = GatewayIntents::non_privileged() | GatewayIntents::MESSAGE_CONTENT;
        let (tx, seen) = mpsc::unbounded_channel();
        let builder = fake.client_builder(token, intents).expect("client builder");
        let mut client = builder.event_handler(Reporter(tx)).await.expect("client");
        let shards = Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move {
            let _ = client.start().await;
        });
        let mut bare = BareClient { seen, shards, task };
        bare.next_matching(|s| matches!(s, Seen::Ready)).await;
        bare
    }

    /// The next received item for which `wanted` holds (others are skipped).
    pub async fn next_matching(&mut self, wanted: impl Fn(&Seen) -> bool) -> Seen {
        let wait = async {
            loop {
                match self.seen.recv().await {
                    Some(seen) if wanted(&seen) => return seen,
                    Some(_) => {}
                    None => panic!("the client stopped"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .expect("the client received it in time")
    }

    /// Closes the gateway session and waits for the client to stop.
    pub async fn stop(self) {
        self.shards.shutdown_all().await;
        let _ = self.task.await;
    }
}
