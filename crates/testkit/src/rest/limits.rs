//! Discord's documented size limits on what the bot sends, answered with 400 / 50035 like the
//! real API so tests see the bot's handling of an oversized reply.

use serde_json::Value;

use super::reply::Reply;

pub const MAX_CONTENT_CHARS: usize = 2000;
pub const MAX_EMBEDS: usize = 10;
pub const MAX_EMBED_TOTAL_CHARS: usize = 6000;

/// `Some(400)` when a message body (create, edit, follow-up or callback data) breaks a limit.
pub fn check_message(body: &Value) -> Option<Reply> {
    let content = body.get("content").and_then(Value::as_str).unwrap_or_default();
    if content.chars().count() > MAX_CONTENT_CHARS {
        return Some(invalid("content: Must be 2000 or fewer in length."));
    }
    let embeds = body
        .get("embeds")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if embeds.len() > MAX_EMBEDS {
        return Some(invalid("embeds: Must be 10 or fewer in length."));
    }
    if embeds.iter().map(embed_chars).sum::<usize>() > MAX_EMBED_TOTAL_CHARS {
        return Some(invalid("embeds: Embed size exceeds maximum size of 6000"));
    }
    None
}

fn invalid(detail: &str) -> Reply {
    Reply::error(400, 50035, &format!("Invalid Form Body ({detail})"))
}

/// Characters Discord counts toward the 6,000 total: title, description, field names and
/// values, footer text and author name.
fn embed_chars(embed: &Value) -> usize {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map_or(0, |s| s.chars().count());
    let fields = embed.get("fields").and_then(Value::as_array).map_or(0, |fields| {
        fields.iter().map(|f| text(f.get("name")) + text(f.get("value"))).sum()
    });
    text(embed.get("title"))
        + text(embed.get("description"))
        + fields
        + text(embed.get("footer").and_then(|f| f.get("text")))
        + text(embed.get("author").and_then(|a| a.get("name")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_of_2000_chars_passes_and_2001_fails() {
        assert!(check_message(&json!({ "content": "é".repeat(2000) })).is_none());
        let reply = check_message(&json!({ "content": "x".repeat(2001) })).map(|r| r.status);
        assert_eq!(reply, Some(400));
    }

    #[test]
    fn eleven_embeds_fail() {
        let embeds: Vec<Value> = (0..11).map(|_| json!({ "title": "t" })).collect();
        assert!(check_message(&json!({ "embeds": embeds })).is_some());
    }

    #[test]
    fn embed_text_over_6000_fails() {
        let embeds = json!([{ "description": "x".repeat(4000) }, { "description": "x".repeat(2001) }]);
        assert!(check_message(&json!({ "embeds": embeds })).is_some());
    }
}
