//! The metrics the bot exports, named in one place so dashboards and code agree.

pub const INCIDENTS_OPENED: &str = "intakebot_incidents_opened_total";
pub const INCIDENTS_REFUSED: &str = "intakebot_incidents_refused_total";
pub const INCIDENTS_CLOSED: &str = "intakebot_incidents_closed_total";
pub const FIRST_RESPONSES: &str = "intakebot_first_responses_total";
pub const NOTIFICATIONS: &str = "intakebot_notifications_total";
pub const OUTBOX_DEPTH: &str = "intakebot_outbox_depth";
pub const OUTBOX_OLDEST_DUE_SECONDS: &str = "intakebot_outbox_oldest_due_seconds";
pub const DISCORD_REST_SECONDS: &str = "intakebot_discord_rest_seconds";
pub const DISCORD_RATE_LIMITED: &str = "intakebot_discord_rate_limited_total";
pub const GATEWAY_SHARD_UP: &str = "intakebot_gateway_shard_up";
pub const MESSAGES_CAUGHT_UP: &str = "intakebot_messages_caught_up_total";

/// Describes each metric to the installed recorder (help texts on `/metrics`).
pub fn describe() {
    metrics::describe_counter!(INCIDENTS_OPENED, "Incidents opened, by severity and source");
    metrics::describe_counter!(INCIDENTS_REFUSED, "Requests refused by the policy");
    metrics::describe_counter!(INCIDENTS_CLOSED, "Incidents closed, by outcome");
    metrics::describe_counter!(FIRST_RESPONSES, "First responses, by result (met, breached)");
    metrics::describe_counter!(
        NOTIFICATIONS,
        "Reminders and alerts, by kind and result (sent, late, failed)"
    );
    metrics::describe_gauge!(OUTBOX_DEPTH, "Notifications waiting to be sent");
    metrics::describe_gauge!(OUTBOX_OLDEST_DUE_SECONDS, "Age of the oldest due, unsent notification");
    metrics::describe_histogram!(DISCORD_REST_SECONDS, "Discord REST call latency");
    metrics::describe_counter!(DISCORD_RATE_LIMITED, "Discord REST answers 429");
    metrics::describe_gauge!(GATEWAY_SHARD_UP, "1 while a gateway shard is connected");
    metrics::describe_counter!(
        MESSAGES_CAUGHT_UP,
        "Messages read from history after a (re)connect, posted while no session was open"
    );
}
