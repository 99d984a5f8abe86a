//! One intake pattern from the config into a regex: the two shorthands (`~N` word windows and
//! `%` stems inside compound words) expanded, whole-word boundaries added, and the checks that
//! keep a pattern from matching everything or hitting short English words.
//!
//! Expanding to a plain regex keeps every pattern in the one `RegexSet`, so a message is still
//! scanned once whatever the number of patterns.

use regex::{Regex, RegexBuilder};
use std::collections::BTreeSet;

/// A letter or digit of the normalised text: the normaliser leaves only ASCII punctuation, so
/// every non-ASCII character is part of a word. Usable by the lazy DFA (no Unicode `\b`).
const WORD_CHAR: &str = r"[0-9a-z\x{80}-\x{10FFFF}]";
/// Word boundary: anything that is not a word character.
pub(crate) const EDGE: &str = r"[^0-9A-Za-z\x{80}-\x{10FFFF}]";
/// Between two words of a window: spaces and punctuation, but no sentence end or line break.
const GAP_SEPARATOR: &str = r"[^0-9a-z\x{80}-\x{10FFFF}.!?\n]+";
/// One word inside a window ("team's" is one word).
const GAP_WORD: &str = r"[0-9a-z\x{80}-\x{10FFFF}']+";
/// The most words a `~N` window may skip.
const MAX_GAP: u32 = 9;
/// A `%` stem must touch at least this many letters, so `%sky%` cannot hit "risky".
pub(crate) const MIN_STEM_LETTERS: usize = 4;
const SIZE_LIMIT: usize = 64 << 20;

/// Expands `~N` (up to N words in between, 1..=9, standing alone between spaces) and `%` (any
/// further letters of the same word: `%faktura%` matches "fakturaadressen"). The reason on error.
pub(crate) fn expand(pattern: &str) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() * 2);
    let tokens: Vec<&str> = pattern.split(' ').collect();
    for (i, token) in tokens.iter().enumerate() {
        if let Some(n) = gap_size(token)? {
            if i == 0 || i + 1 == tokens.len() {
                return Err(format!("`{token}` needs a word on each side"));
            }
            out.push_str(&format!("(?:{GAP_SEPARATOR}{GAP_WORD}){{0,{n}}}{GAP_SEPARATOR}"));
            continue;
        }
        let joins_previous = i > 0 && gap_size(tokens[i - 1])?.is_none();
        if joins_previous {
            out.push(' ');
        }
        out.push_str(&expand_stems(token)?);
    }
    Ok(out)
}

/// `Some(n)` for a `~n` token.
fn gap_size(token: &str) -> Result<Option<u32>, String> {
    let Some(n) = token.strip_prefix('~') else {
        return Ok(None);
    };
    match n.parse::<u32>() {
        Ok(n) if (1..=MAX_GAP).contains(&n) => Ok(Some(n)),
        _ => Err(format!("`~{n}`: a window is ~1 to ~{MAX_GAP} words")),
    }
}

fn expand_stems(token: &str) -> Result<String, String> {
    if !token.contains('%') {
        return Ok(token.to_string());
    }
    let chars: Vec<char> = token.chars().collect();
    let mut out = String::with_capacity(token.len() + 32);
    for (i, &c) in chars.iter().enumerate() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let before = chars[..i].iter().rev().take_while(|c| c.is_alphabetic()).count();
        let after = chars[i + 1..].iter().take_while(|c| c.is_alphabetic()).count();
        if before.max(after) < MIN_STEM_LETTERS {
            return Err(format!(
                "`%` must touch a stem of at least {MIN_STEM_LETTERS} letters (like %faktura%), \
                 so it cannot hit short words of another language"
            ));
        }
        out.push_str(WORD_CHAR);
        out.push('*');
    }
    Ok(out)
}

/// Compiles one pattern as whole words; `group` names a capture group it must have.
pub(crate) fn compile(key: &str, pattern: &str, group: Option<&str>) -> Result<Regex, (String, String)> {
    let fail = |reason: String| (key.to_string(), reason);
    if pattern.trim().is_empty() {
        return Err(fail("empty pattern".into()));
    }
    if pattern.contains(r"\b") || pattern.contains(r"\B") {
        return Err(fail(r"patterns already match whole words: remove \b".into()));
    }
    let expanded = expand(pattern).map_err(fail)?;
    let wrapped = format!("(?:^|{EDGE})(?:{expanded})(?:{EDGE}|$)");
    let regex = RegexBuilder::new(&wrapped)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| fail(format!("not a valid regex: {e}")))?;
    let groups: BTreeSet<&str> = regex.capture_names().flatten().collect();
    if let Some(name) = group.filter(|name| !groups.contains(name)) {
        return Err(fail(format!("needs a capture group named `{name}`")));
    }
    if regex.is_match("") || regex.is_match(" ") {
        return Err(fail("matches empty text, so it would match every message".into()));
    }
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile("k", pattern, None).unwrap().is_match(text)
    }

    #[test]
    fn a_window_skips_up_to_n_words_within_a_sentence() {
        assert!(matches("check ~3 code", "could you check the team's go code"));
        assert!(matches("check ~3 code", "check code"));
        assert!(!matches("check ~2 code", "check the team's new go code"));
        assert!(!matches("check ~3 code", "check it. the code"));
        assert!(!matches("check ~3 code", "check it\ncode"));
    }

    #[test]
    fn a_stem_matches_inside_compound_words_only_from_its_letters() {
        assert!(matches("%faktura%", "hvordan endrer jeg fakturaadressen"));
        assert!(matches("%betaling%", "kortbetalingen feilet"));
        assert!(matches("%forslag", "forbedringsforslag: x"));
        assert!(!matches("%forslag", "forslagene"));
        assert!(matches("skript%", "se gjennom bash-skriptene"));
    }

    #[test]
    fn short_stems_and_loose_windows_are_refused() {
        assert!(expand("%sky%").unwrap_err().contains("at least 4 letters"));
        assert!(expand("(?:a|b)%").is_err());
        assert!(expand("~2 code").unwrap_err().contains("a word on each side"));
        assert!(expand("a ~0 b").unwrap_err().contains("~1 to ~9"));
        assert!(expand("a ~12 b").is_err());
    }

    #[test]
    fn plain_regexes_pass_unchanged() {
        assert_eq!(expand("sev (?P<level>[abc])").unwrap(), "sev (?P<level>[abc])");
        assert_eq!(expand("a  b").unwrap(), "a  b");
    }
}
