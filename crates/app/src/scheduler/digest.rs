//! Bursts: many notices for one channel become one digest, split below Discord's 2,000
//! characters per message (counting each instant or reference as its longest rendering).

use crate::reply::{Span, Text};

/// Discord's message content limit.
pub const MAX_CONTENT: usize = 2000;

/// The most characters a span can take once a front end writes it (`<t:1800000000:F>`).
const REFERENCE_CHARS: usize = 24;

fn length(text: &Text) -> usize {
    text.0
        .iter()
        .map(|s| match s {
            Span::Plain(p) | Span::Typed(p) => p.chars().count(),
            _ => REFERENCE_CHARS,
        })
        .sum()
}

/// Joins lines under `header` into messages of at most `MAX_CONTENT` characters, never
/// splitting a line (a longer line is cut at a character boundary).
pub fn split_for_discord(header: &Text, lines: &[Text]) -> Vec<Text> {
    let mut out = Vec::new();
    let mut current = header.clone();
    let mut current_len = length(header);
    let room = MAX_CONTENT - length(header) - 1;
    for line in lines {
        let line = cut(line, room);
        let line_len = length(&line);
        if current_len + 1 + line_len > MAX_CONTENT {
            out.push(std::mem::replace(&mut current, header.clone()));
            current_len = length(header);
        }
        current = current.push("\n").append(line);
        current_len += 1 + line_len;
    }
    out.push(current);
    out
}

/// A line cut to `max` characters: plain spans are shortened, references dropped at the end.
fn cut(line: &Text, max: usize) -> Text {
    if length(line) <= max {
        return line.clone();
    }
    let mut out = Text::new();
    let mut used = 0;
    for span in &line.0 {
        let room = max.saturating_sub(used + 1);
        match span {
            Span::Plain(p) if p.chars().count() <= room => {
                used += p.chars().count();
                out = out.push(p.clone());
            }
            Span::Plain(p) => {
                out = out.push(p.chars().take(room).collect::<String>());
                break;
            }
            other if REFERENCE_CHARS <= room => {
                used += REFERENCE_CHARS;
                out.0.push(other.clone());
            }
            _ => break,
        }
    }
    out.push("…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::TimeStyle;
    use chrono::DateTime;

    #[test]
    fn digests_split_below_discords_limit_without_losing_lines() {
        let due = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let lines: Vec<Text> = (0..500)
            .map(|i| Text::plain(format!("INC-{i:06} · Sev B · due ")).time(due, TimeStyle::Relative))
            .collect();
        let parts = split_for_discord(&Text::plain("**Due now**"), &lines);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| length(p) <= MAX_CONTENT));
        let joined: usize = parts.iter().map(|p| p.words().lines().count() - 1).sum();
        assert_eq!(joined, 500);
    }

    #[test]
    fn an_overlong_line_is_cut_not_dropped() {
        let parts = split_for_discord(&Text::plain("h"), &[Text::plain("x".repeat(5000))]);
        assert_eq!(parts.len(), 1);
        assert!(length(&parts[0]) <= MAX_CONTENT);
    }
}
