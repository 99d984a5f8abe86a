//! Roles, members and channel permission overwrites on the local Discord server: served on the
//! guild and channel routes, sent in GUILD_CREATE after READY so serenity's cache computes the
//! same permissions, enforced on the routes that need them, and used to decide who is pinged.

use crate::helpers::bare_client::{BareClient, Seen};
use intakebot_testkit::{FakeDiscord, Mode, Overwrite};
use serenity::all::{ChannelId, ChannelType, CreateThread, GuildId, Permissions, UserId};
use serenity::http::HttpError;

const TOKEN: &str = "fake-bot-token";

#[tokio::test]
async fn serenitys_cache_computes_the_permissions_the_server_enforces() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let channel = fake.scene().channel_id;
    let deny = Overwrite::role(fake.bot_role_id()).deny(Permissions::CREATE_PRIVATE_THREADS);
    fake.set_overwrites(channel, &[deny]);

    let mut client = BareClient::start(&fake, TOKEN).await;
    let Seen::Guild(guild) = client.next_matching(|s| matches!(s, Seen::Guild(_))).await else {
        unreachable!()
    };

    let bot = &guild.members[&UserId::new(fake.scene().bot_user_id)];
    let cached = guild.user_permissions_in(&guild.channels[&ChannelId::new(channel)], bot);
    assert_eq!(Some(cached), fake.bot_permissions(channel));
    assert!(!cached.create_private_threads());
    assert!(cached.create_public_threads() && cached.send_messages());
    client.stop().await;
}

#[tokio::test]
async fn a_denied_private_thread_is_403_missing_permissions() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.add_text_channel("intake-contoso"));
    let deny = Overwrite::role(fake.bot_role_id()).deny(Permissions::CREATE_PRIVATE_THREADS);
    fake.set_overwrites(channel.get(), &[deny]);

    let err = channel
        .create_thread(&http, CreateThread::new("INC-1"))
        .await
        .unwrap_err();
    let public = CreateThread::new("INC-2").kind(ChannelType::PublicThread);

    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = err else {
        panic!("unexpected error: {err:?}");
    };
    assert_eq!((response.status_code.as_u16(), response.error.code), (403, 50013));
    assert!(channel.create_thread(&http, public).await.is_ok());
    let other = ChannelId::new(fake.scene().channel_id);
    assert!(
        other.create_thread(&http, CreateThread::new("INC-3")).await.is_ok(),
        "only that channel"
    );
}

#[tokio::test]
async fn roles_member_and_channels_are_served_with_overwrites() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let guild = GuildId::new(fake.scene().guild_id);
    let engineers = fake.add_role("engineers", Permissions::VIEW_CHANNEL);
    let channel = fake.scene().channel_id;
    fake.set_overwrites(channel, &[Overwrite::role(engineers).allow(Permissions::SEND_MESSAGES)]);

    let roles = http.get_guild_roles(guild).await.unwrap();
    let bot = http
        .get_member(guild, UserId::new(fake.scene().bot_user_id))
        .await
        .unwrap();
    let channels = http.get_channels(guild).await.unwrap();
    let one = http
        .get_channel(ChannelId::new(channel))
        .await
        .unwrap()
        .guild()
        .unwrap();

    assert!(roles.iter().any(|r| r.id.get() == engineers && r.name == "engineers"));
    assert!(roles.iter().any(|r| r.id.get() == guild.get()), "@everyone");
    assert_eq!(
        bot.roles.iter().map(|r| r.get()).collect::<Vec<_>>(),
        [fake.bot_role_id()]
    );
    assert!(channels.iter().any(|c| c.id.get() == channel));
    assert_eq!(one.permission_overwrites.len(), 1);
    assert_eq!(one.permission_overwrites[0].allow, Permissions::SEND_MESSAGES);
}

#[tokio::test]
async fn a_role_that_is_not_mentionable_is_only_pinged_with_mention_everyone() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);
    let on_call = fake.add_role("on-call", Permissions::empty());
    fake.set_role_mentionable(on_call, false);
    let without_ping = Permissions::SEND_MESSAGES | Permissions::VIEW_CHANNEL;
    fake.set_role_permissions(fake.bot_role_id(), without_ping);

    channel.say(&http, format!("<@&{on_call}> new incident")).await.unwrap();
    fake.set_role_permissions(fake.bot_role_id(), without_ping | Permissions::MENTION_EVERYONE);
    channel.say(&http, format!("<@&{on_call}> new incident")).await.unwrap();

    let posts = fake.bot_posts(channel.get());
    assert!(
        posts[0].mention_roles.is_empty(),
        "not mentionable, no Mention Everyone"
    );
    assert_eq!(posts[1].mention_roles, [on_call]);
}

#[tokio::test]
async fn a_role_change_after_ready_reaches_the_client() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let mut client = BareClient::start(&fake, TOKEN).await;
    client.next_matching(|s| matches!(s, Seen::Guild(_))).await;

    fake.set_role_permissions(fake.bot_role_id(), Permissions::VIEW_CHANNEL);

    let Seen::RoleUpdate(role) = client.next_matching(|s| matches!(s, Seen::RoleUpdate(_))).await else {
        unreachable!()
    };
    assert_eq!(role.permissions, Permissions::VIEW_CHANNEL);
    client.stop().await;
}
