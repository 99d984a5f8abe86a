//! What the bot needs from Discord, in one place: the invite link's `permissions=` integer in
//! the README (a test computes it from here) and what each configured channel must allow.

use poise::serenity_prelude::Permissions;

/// Each permission the bot needs and what it is for; the README's table says the same.
pub const NEEDED: [(Permissions, &str); 9] = [
    (
        Permissions::VIEW_CHANNEL,
        "see the intake, engineers' and managers' channels",
    ),
    (
        Permissions::SEND_MESSAGES,
        "answer requests and post reminders, breach alerts and digests",
    ),
    (
        Permissions::SEND_MESSAGES_IN_THREADS,
        "post the incident card and its reminders in the incident's thread",
    ),
    (
        Permissions::CREATE_PRIVATE_THREADS,
        "open each incident's private thread",
    ),
    (
        Permissions::MANAGE_THREADS,
        "add the customer to that thread, which is invite-only",
    ),
    (Permissions::EMBED_LINKS, "show incident cards and plan views as embeds"),
    (Permissions::ATTACH_FILES, "attach reports (exports) to messages"),
    (
        Permissions::READ_MESSAGE_HISTORY,
        "reply to the intake message that opened an incident",
    ),
    (
        Permissions::MENTION_EVERYONE,
        "ping the engineer, manager and on-call roles when they are not mentionable",
    ),
];

/// All of [`NEEDED`]: the invite link's `permissions=` value.
pub const REQUIRED: Permissions = {
    let mut all = Permissions::empty();
    let mut i = 0;
    while i < NEEDED.len() {
        all = all.union(NEEDED[i].0);
        i += 1;
    }
    all
};

/// What the bot lacks of [`REQUIRED`], given its effective permissions in a channel (role
/// permissions with the channel's overwrites applied).
pub fn missing(effective: Permissions) -> Permissions {
    missing_of(REQUIRED, effective)
}

/// What the bot lacks of `needed`; Administrator has everything.
pub fn missing_of(needed: Permissions, effective: Permissions) -> Permissions {
    if effective.contains(Permissions::ADMINISTRATOR) {
        return Permissions::empty();
    }
    needed.difference(effective)
}

/// What a staff channel (engineers', managers') must allow: no incident threads are made there.
pub const STAFF: Permissions = REQUIRED.difference(
    Permissions::CREATE_PRIVATE_THREADS
        .union(Permissions::MANAGE_THREADS)
        .union(Permissions::SEND_MESSAGES_IN_THREADS),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_missing_is_named() {
        let effective = REQUIRED.difference(Permissions::CREATE_PRIVATE_THREADS | Permissions::MENTION_EVERYONE);
        assert_eq!(
            missing(effective).get_permission_names(),
            ["Mention @everyone, @here, and All Roles", "Create Private Threads"]
        );
        assert!(missing(REQUIRED | Permissions::ADD_REACTIONS).is_empty());
        assert!(missing(Permissions::ADMINISTRATOR).is_empty());
    }
}
