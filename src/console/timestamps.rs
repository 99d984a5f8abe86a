//! Discord's `<t:UNIX:R>` / `<t:UNIX:F>` markup, written out for a terminal reader.

use chrono::{DateTime, Utc};
use regex::Regex;
use std::sync::OnceLock;

fn markup() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"<t:(-?\d+):([a-zA-Z])>").expect("valid regex"))
}

/// Replaces timestamp markup: `F` as a UTC date and time, `R` relative to `now`.
pub fn humanize(text: &str, now: DateTime<Utc>) -> String {
    markup()
        .replace_all(text, |caps: &regex::Captures<'_>| {
            let Some(t) = caps[1].parse::<i64>().ok().and_then(|s| DateTime::from_timestamp(s, 0)) else {
                return caps[0].to_string();
            };
            match &caps[2] {
                "R" => relative(t, now),
                _ => t.format("%Y-%m-%d %H:%M UTC").to_string(),
            }
        })
        .into_owned()
}

fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (t - now).num_minutes();
    let span = crate::scheduler::render::span(
        chrono::Duration::minutes(minutes.abs()),
        crate::core::language::Language::En,
    );
    if minutes >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_read_as_text() {
        let now = Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap();
        let due = now + chrono::Duration::minutes(125);
        let text = format!("due <t:{0}:F> (<t:{0}:R>)", due.timestamp());
        assert_eq!(humanize(&text, now), "due 2027-03-01 10:05 UTC (in 2 h 5 min)");
        assert_eq!(
            humanize(
                &format!("<t:{}:R>", (now - chrono::Duration::minutes(7)).timestamp()),
                now
            ),
            "7 min ago"
        );
    }
}
