//! Who a message really pings, as Discord decides it (allowed mentions docs): mentions in the
//! content, filtered by `allowed_mentions` (default: everything in channel messages, users only
//! in interaction responses and webhooks); a role is pinged only if it is mentionable or the
//! sender has Mention Everyone, and `@everyone`/`@here` need Mention Everyone.

use serde_json::Value;
use serenity::model::Permissions;

use super::super::builders;
use super::super::state::Inner;

/// Where the message is sent from, which sets the default `allowed_mentions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Channel,
    /// Interaction responses and follow-ups (webhooks).
    Webhook,
}

/// Fills `mentions`, `mention_roles` and `mention_everyone` of `message` from its content.
pub fn apply(inner: &Inner, message: &mut Value, body: &Value, context: Context, sender: Permissions) {
    let content = message["content"].as_str().unwrap_or_default().to_string();
    let allowed = Allowed::from(body.get("allowed_mentions"), context);
    let can_ping_all = sender.contains(Permissions::MENTION_EVERYONE);
    let roles: Vec<Value> = ids_after(&content, "<@&")
        .into_iter()
        .filter(|id| allowed.role(*id))
        .filter(|id| can_ping_all || inner.guild.roles.get(id).is_some_and(|r| r.mentionable))
        .map(|id| Value::from(id.to_string()))
        .collect();
    let users: Vec<Value> = ids_after(&content, "<@")
        .into_iter()
        .filter(|id| allowed.user(*id))
        .map(|id| user(inner, id))
        .collect();
    let everyone = allowed.everyone && can_ping_all && (content.contains("@everyone") || content.contains("@here"));
    message["mention_roles"] = Value::from(roles);
    message["mentions"] = Value::from(users);
    message["mention_everyone"] = Value::Bool(everyone);
}

fn user(inner: &Inner, id: u64) -> Value {
    let name = inner
        .guild
        .members
        .get(&id)
        .map_or_else(|| format!("user{id}"), |m| m.username.clone());
    builders::user_json(id, &name, false)
}

/// Ids in `<@123>`, `<@!123>` or `<@&123>` mentions that start with `prefix`, deduplicated.
fn ids_after(content: &str, prefix: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    for (start, _) in content.match_indices(prefix) {
        let rest = content[start + prefix.len()..].trim_start_matches('!');
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let closed = rest[digits.len()..].starts_with('>');
        if let (true, Ok(id)) = (closed, digits.parse::<u64>()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The parsed `allowed_mentions`.
struct Allowed {
    parse_users: bool,
    parse_roles: bool,
    everyone: bool,
    users: Vec<u64>,
    roles: Vec<u64>,
}

impl Allowed {
    fn from(value: Option<&Value>, context: Context) -> Self {
        let Some(value) = value.filter(|v| v.is_object()) else {
            let channel = context == Context::Channel;
            return Allowed {
                parse_users: true,
                parse_roles: channel,
                everyone: channel,
                users: Vec::new(),
                roles: Vec::new(),
            };
        };
        let parse: Vec<&str> = value["parse"]
            .as_array()
            .map_or_else(Vec::new, |p| p.iter().filter_map(Value::as_str).collect());
        let ids = |key: &str| -> Vec<u64> {
            value[key].as_array().map_or_else(Vec::new, |list| {
                list.iter().filter_map(|v| v.as_str()?.parse().ok()).collect()
            })
        };
        Allowed {
            parse_users: parse.contains(&"users"),
            parse_roles: parse.contains(&"roles"),
            everyone: parse.contains(&"everyone"),
            users: ids("users"),
            roles: ids("roles"),
        }
    }

    fn role(&self, id: u64) -> bool {
        self.parse_roles || self.roles.contains(&id)
    }

    fn user(&self, id: u64) -> bool {
        self.parse_users || self.users.contains(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::Scene;
    use crate::guild::RoleSpec;
    use serde_json::json;

    #[test]
    fn a_role_that_is_not_mentionable_needs_mention_everyone() {
        let scene = Scene::new();
        let mut inner = Inner::new(&scene);
        inner
            .guild
            .roles
            .insert(7, RoleSpec::new(7, "oncall", Permissions::empty()).mentionable(false));
        let mut message = json!({ "content": "<@&7> and <@42> @everyone" });
        apply(
            &inner,
            &mut message,
            &json!({}),
            Context::Channel,
            Permissions::SEND_MESSAGES,
        );
        assert_eq!(message["mention_roles"], json!([]));
        assert_eq!(message["mentions"][0]["id"], "42");
        assert_eq!(message["mention_everyone"], false);
        apply(
            &inner,
            &mut message,
            &json!({}),
            Context::Channel,
            Permissions::MENTION_EVERYONE,
        );
        assert_eq!(message["mention_roles"], json!(["7"]));
        assert_eq!(message["mention_everyone"], true);
    }

    #[test]
    fn allowed_mentions_and_webhook_defaults_filter() {
        let scene = Scene::new();
        let mut inner = Inner::new(&scene);
        inner
            .guild
            .roles
            .insert(7, RoleSpec::new(7, "oncall", Permissions::empty()));
        let mut message = json!({ "content": "<@&7>" });
        apply(&inner, &mut message, &json!({}), Context::Webhook, Permissions::all());
        assert_eq!(message["mention_roles"], json!([]));
        let only_role = json!({ "allowed_mentions": { "parse": [], "roles": ["7"] } });
        apply(&inner, &mut message, &only_role, Context::Webhook, Permissions::all());
        assert_eq!(message["mention_roles"], json!(["7"]));
    }
}
