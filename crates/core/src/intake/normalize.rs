//! Normalisation before matching: cap the length, strip invisible controls, NFKC,
//! lower-case, map typographic punctuation to ASCII, then blank out quoted text (of two words or more).
//!
//! Every step is a single pass (quote search included), so time is linear in the input.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Longest message read, in characters (Discord allows 4,000 for some users).
pub const MAX_INPUT_CHARS: usize = 4000;

/// The text patterns are matched against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Lower-case, NFKC, ASCII punctuation; quotes, code and `>` lines replaced by spaces.
    pub text: String,
    /// The input had more than [`MAX_INPUT_CHARS`] characters.
    pub truncated: bool,
}

/// Zero-width and bidi controls and the soft hyphen: invisible, so they are dropped.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}' | '\u{00AD}')
}

/// The input cut at [`MAX_INPUT_CHARS`] characters (always at a char boundary).
pub fn capped(input: &str) -> (&str, bool) {
    // A char is at least one byte: short inputs need no counting.
    if input.len() <= MAX_INPUT_CHARS {
        return (input, false);
    }
    match input.char_indices().nth(MAX_INPUT_CHARS) {
        Some((cut, _)) => (&input[..cut], true),
        None => (input, false),
    }
}

/// The original text as a problem statement: capped, invisibles removed, trimmed.
pub fn clean_statement(input: &str) -> String {
    let (text, _) = capped(input);
    // Every invisible control is outside ASCII: an ASCII text needs no char-by-char search.
    if text.is_ascii() || !text.contains(is_invisible) {
        return text.trim().to_string();
    }
    text.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

pub fn normalize(input: &str) -> Normalized {
    let (text, truncated) = capped(input);
    let out = if text.is_ascii() {
        // ASCII is already NFKC and has no invisible controls; each byte maps to one ASCII byte.
        let bytes: Vec<u8> = text
            .bytes()
            .map(|b| map_ascii(char::from(b.to_ascii_lowercase())) as u8)
            .collect();
        String::from_utf8(bytes).expect("ASCII maps to ASCII")
    } else {
        let mut out = String::with_capacity(text.len() + 8);
        if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            // Most non-ASCII text ("på", "døgnet") is already NFKC: skip the composer.
            for c in text.chars().filter(|c| !is_invisible(*c)) {
                push_lower(&mut out, c);
            }
        } else {
            for c in text.chars().filter(|c| !is_invisible(*c)).nfkc() {
                push_lower(&mut out, c);
            }
        }
        out
    };
    Normalized {
        text: mask_quotes(out),
        truncated,
    }
}

fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(map_ascii(c.to_ascii_lowercase()));
    } else {
        out.extend(c.to_lowercase().map(map_char));
    }
}

fn map_ascii(c: char) -> char {
    match c {
        '\r' => '\n',
        '\t' => ' ',
        c if c.is_ascii_control() && c != '\n' => ' ',
        c => c,
    }
}

fn map_char(c: char) -> char {
    if c.is_ascii() {
        return map_ascii(c);
    }
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2022}' | '\u{2023}' | '\u{25E6}' | '\u{25AA}' => '-',
        '\u{2028}' | '\u{2029}' | '\u{0085}' => '\n',
        c if c.is_alphanumeric() || is_combining_mark(c) => c,
        _ => ' ',
    }
}

/// Blanks (with spaces) ``` fences, `code`, "quotes", 'quotes' and `>` quote lines; a quote of
/// one word is kept (it names a term rather than citing someone).
/// An opener with no closer is left as it is; a failed search remembers that no
/// closer follows, so no byte is scanned twice for the same kind of quote.
fn mask_quotes(text: String) -> String {
    // Most messages quote nothing: one quick scan spares them the byte-by-byte walk below.
    if !text.bytes().any(|c| matches!(c, b'`' | b'"' | b'\'' | b'>')) {
        return text;
    }
    let mut b = text.into_bytes();
    let n = b.len();
    let mut i = 0;
    let mut line_start = true;
    let mut no_fence = false;
    // Per line: no closing `, " or ' left on this line.
    let mut no_close = [false; 3];
    while i < n {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            no_close = [false; 3];
            i += 1;
            continue;
        }
        if line_start && c == b' ' {
            i += 1;
            continue;
        }
        if line_start && c == b'>' {
            let end = line_end(&b, i);
            blank(&mut b, i, end);
            i = end;
            continue;
        }
        line_start = false;
        if c == b'`' && b[i..].starts_with(b"```") {
            if !no_fence {
                if let Some(j) = find_fence(&b, i + 3) {
                    blank(&mut b, i, j + 3);
                    i = j + 3;
                    continue;
                }
                no_fence = true;
            }
            i += 3;
            continue;
        }
        let kind = match c {
            b'`' => Some(0),
            b'"' => Some(1),
            b'\'' if is_apostrophe_opener(&b, i) => Some(2),
            _ => None,
        };
        if let Some(k) = kind {
            if !no_close[k] {
                match find_closer(&b, i, k) {
                    // A quoted single word names a term ('what is an "incident"?'): it stays.
                    Some(j) if k != 0 && !b[i + 1..j].contains(&b' ') => {
                        i = j + 1;
                        continue;
                    }
                    Some(j) => {
                        blank(&mut b, i, j + 1);
                        i = j + 1;
                        continue;
                    }
                    None => no_close[k] = true,
                }
            }
        }
        i += 1;
    }
    // Only whole UTF-8 sequences were replaced by ASCII spaces, so this cannot fail;
    // the lossy fallback keeps the function total anyway.
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn blank(b: &mut [u8], from: usize, to: usize) {
    for byte in &mut b[from..to] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| from + p)
}

fn find_fence(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?.windows(3).position(|w| w == b"```").map(|p| from + p)
}

fn find_closer(b: &[u8], open: usize, kind: usize) -> Option<usize> {
    let quote = [b'`', b'"', b'\''][kind];
    let mut j = open + 1;
    while j < b.len() && b[j] != b'\n' {
        if b[j] == quote && (kind != 2 || is_apostrophe_closer(b, j)) && j > open + 1 {
            return Some(j);
        }
        j += 1;
    }
    None
}

/// `'` opens a quote only after a space or bracket and before a word ("'sev a'"),
/// never inside a word ("can't").
fn is_apostrophe_opener(b: &[u8], i: usize) -> bool {
    let before_ok = i == 0 || matches!(b[i - 1], b' ' | b'\n' | b'(' | b'[' | b':');
    let after_ok = b.get(i + 1).is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80);
    before_ok && after_ok
}

fn is_apostrophe_closer(b: &[u8], j: usize) -> bool {
    let before_ok = b[j - 1] != b' ';
    let after_ok = b.get(j + 1).map_or(true, |&c| {
        c == b' ' || c == b'\n' || (c.is_ascii_punctuation() && c != b'\'')
    });
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn zero_width_bidi_and_soft_hyphen_are_removed() {
        assert_eq!(norm("s\u{200b}ev A"), "sev a");
        assert_eq!(norm("s\u{202e}e\u{00ad}v\u{2066} \u{feff}B"), "sev b");
    }

    #[test]
    fn fullwidth_letters_fold_to_ascii() {
        assert_eq!(norm("Ｓｅｖ Ａ"), "sev a");
    }

    #[test]
    fn typographic_punctuation_maps_to_ascii() {
        assert_eq!(norm("Sev A – down"), "sev a - down");
        assert_eq!(norm("Kan ikke åpne"), "kan ikke åpne");
    }

    #[test]
    fn quotes_code_and_quote_lines_are_blanked() {
        assert_eq!(norm("he said \"sev a\" ok").trim_end(), "he said         ok");
        assert!(!norm("x `sev a` y").contains("sev"));
        assert!(!norm("x ```\nsev a\n``` y").contains("sev"));
        assert!(!norm("> sev a\nhello").contains("sev"));
        assert!(!norm("the “sev a” label").contains("sev"));
        assert!(!norm("the «sev a» label").contains("sev"));
        assert!(!norm("the 'sev a' label").contains("sev"));
    }

    #[test]
    fn a_quoted_single_word_stays() {
        assert_eq!(norm("what is an \"incident\"?"), "what is an \"incident\"?");
        assert!(!norm("x `incident` y").contains("incident"));
    }

    #[test]
    fn apostrophes_inside_words_are_not_quotes() {
        assert_eq!(norm("can't log in, it's sev a"), "can't log in, it's sev a");
        assert_eq!(norm("customers' sev a"), "customers' sev a");
    }

    #[test]
    fn unmatched_quotes_leave_the_text_alone() {
        assert_eq!(norm("\"sev a is down"), "\"sev a is down");
        assert_eq!(norm("```sev a"), "```sev a");
    }

    #[test]
    fn long_input_is_truncated_at_a_char_boundary() {
        let long = "ø".repeat(MAX_INPUT_CHARS + 10);
        let n = normalize(&long);
        assert!(n.truncated);
        assert_eq!(n.text.chars().count(), MAX_INPUT_CHARS);
        assert!(!normalize("short").truncated);
    }
}
