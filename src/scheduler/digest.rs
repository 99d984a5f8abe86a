//! Bursts: many notices for one channel become one digest, split at Discord's 2,000 characters.

/// Discord's message content limit.
pub const MAX_CONTENT: usize = 2000;

/// Joins lines into messages of at most `MAX_CONTENT` characters, never splitting a line
/// (a longer line is cut at a character boundary).
pub fn split_for_discord(header: &str, lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = header.to_string();
    for line in lines {
        let line = truncate(line, MAX_CONTENT - header.chars().count() - 1);
        if current.chars().count() + 1 + line.chars().count() > MAX_CONTENT {
            out.push(std::mem::replace(&mut current, header.to_string()));
        }
        current.push('\n');
        current.push_str(&line);
    }
    out.push(current);
    out
}

fn truncate(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        line.to_string()
    } else {
        let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_split_below_discords_limit_without_losing_lines() {
        let lines: Vec<String> = (0..500)
            .map(|i| format!("INC-{i:06} · Sev B · due <t:1800000000:R>"))
            .collect();
        let parts = split_for_discord("**Due now**", &lines);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_CONTENT));
        let joined: usize = parts.iter().map(|p| p.lines().count() - 1).sum();
        assert_eq!(joined, 500);
    }

    #[test]
    fn an_overlong_line_is_cut_not_dropped() {
        let parts = split_for_discord("h", &["x".repeat(5000)]);
        assert_eq!(parts.len(), 1);
        assert!(parts[0].chars().count() <= MAX_CONTENT);
    }
}
