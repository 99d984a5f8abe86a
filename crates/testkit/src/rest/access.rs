//! The bot's permissions enforced on the routes that need them, with Discord's answers: a channel
//! it cannot see is 403 / 50001 Missing Access, a missing permission 403 / 50013. Interaction
//! responses and webhooks need no channel permissions and are not checked.

use serenity::model::Permissions;

use super::super::builders::Scene;
use super::super::state::Inner;
use super::reply::Reply;

fn effective(inner: &Inner, scene: &Scene, channel: u64) -> Result<Permissions, Reply> {
    let permissions = inner.bot_permissions(scene, channel).unwrap_or(Permissions::empty());
    if permissions.contains(Permissions::VIEW_CHANNEL) {
        Ok(permissions)
    } else {
        Err(Reply::missing_access())
    }
}

fn require(permissions: Permissions, needed: Permissions) -> Result<Permissions, Reply> {
    if permissions.contains(needed) {
        Ok(permissions)
    } else {
        Err(Reply::missing_permissions())
    }
}

fn is_thread(inner: &Inner, channel: u64) -> bool {
    inner
        .channels
        .get(&channel)
        .is_some_and(|c| c.channel.get("thread_metadata").is_some())
}

/// Sending a message: Send Messages (Send Messages in Threads in a thread), plus Attach Files
/// with files. Returns the permissions (for mentions).
pub fn send(inner: &Inner, scene: &Scene, channel: u64, with_files: bool) -> Result<Permissions, Reply> {
    let mut needed = if is_thread(inner, channel) {
        Permissions::SEND_MESSAGES_IN_THREADS
    } else {
        Permissions::SEND_MESSAGES
    };
    if with_files {
        needed |= Permissions::ATTACH_FILES;
    }
    require(effective(inner, scene, channel)?, needed)
}

/// Creating a thread of `kind` (11 public, 12 private) under `parent`.
pub fn create_thread(inner: &Inner, scene: &Scene, parent: u64, kind: u64) -> Result<(), Reply> {
    let needed = if kind == 12 {
        Permissions::CREATE_PRIVATE_THREADS
    } else {
        Permissions::CREATE_PUBLIC_THREADS
    };
    require(effective(inner, scene, parent)?, needed).map(|_| ())
}

/// Reading history: `Ok(false)` without Read Message History (Discord then returns no messages).
pub fn read_history(inner: &Inner, scene: &Scene, channel: u64) -> Result<bool, Reply> {
    Ok(effective(inner, scene, channel)?.contains(Permissions::READ_MESSAGE_HISTORY))
}

/// Adding a reaction that is not there yet.
pub fn react(inner: &Inner, scene: &Scene, channel: u64) -> Result<(), Reply> {
    require(effective(inner, scene, channel)?, Permissions::ADD_REACTIONS).map(|_| ())
}

/// Seeing the channel at all.
pub fn view(inner: &Inner, scene: &Scene, channel: u64) -> Result<(), Reply> {
    effective(inner, scene, channel).map(|_| ())
}
