//! User text at the edge: what a member typed is cleaned once, before it is stored. Control
//! characters have no place in a title or a problem text (a NUL cannot even be stored in
//! PostgreSQL, and the store refuses one on both databases); newline and tab are kept, since a
//! problem text has lines. Each field is bounded in characters, at Discord's limits for the forms
//! the bot shows, so a chat message cannot store more than a form would accept.

use unicode_segmentation::UnicodeSegmentation;

/// A field a member types, with its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserField {
    Title,
    Problem,
    Product,
    Version,
    /// A reason or a proposed solution.
    Reason,
}

impl UserField {
    /// The most characters (Unicode scalar values) the field keeps.
    pub const fn max_chars(self) -> usize {
        match self {
            UserField::Title | UserField::Product | UserField::Version => 100,
            UserField::Problem | UserField::Reason => 4000,
        }
    }
}

/// `raw` cleaned for `field`: see `clean_to`.
pub fn clean(field: UserField, raw: &str) -> String {
    clean_to(raw, field.max_chars())
}

/// `raw` without NUL, the other C0 control characters (U+0000–U+001F) except newline and tab,
/// and DEL (U+007F), then cut safely (see `cut`) to at most `max_chars` characters.
pub fn clean_to(raw: &str, max_chars: usize) -> String {
    let cleaned: String = raw.chars().filter(|&c| kept(c)).collect();
    cut(&cleaned, max_chars)
}

/// `text` in at most `max` characters: cut between words where a word ends in the second half,
/// never inside an emoji or other grapheme cluster, a mention, channel link or timestamp
/// (`<@…>`, `<#…>`, `<t:…>`), and never leaving a markdown marker open; an ellipsis says it
/// was cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let head: String = text
        .graphemes(true)
        .scan(0, |n, g| {
            *n += g.chars().count();
            (*n < max).then_some(g)
        })
        .collect();
    let at_space = head.rfind(char::is_whitespace).filter(|i| *i >= head.len() / 2);
    let mut kept = at_space.map_or(head.as_str(), |i| &head[..i]).trim_end().to_string();
    if let Some(open) = kept.rfind('<').filter(|o| !kept[*o..].contains('>')) {
        kept.truncate(open);
        kept = kept.trim_end().to_string();
    }
    for marker in ["```", "**", "__", "~~", "||", "`"] {
        if kept.matches(marker).count() % 2 == 1 {
            if let Some(at) = kept.rfind(marker) {
                kept.replace_range(at..at + marker.len(), "");
            }
        }
    }
    format!("{kept}…")
}

fn kept(c: char) -> bool {
    !c.is_ascii_control() || c == '\n' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_words_and_keep_markdown_closed() {
        let long = format!("**bold words** and <@123456789> {}", "word ".repeat(500));
        let short = cut(&long, 100);
        assert!(short.chars().count() <= 100);
        assert!(short.ends_with('…'));
        assert_eq!(short.matches("**").count() % 2, 0);
        assert_eq!(cut("see <@123456789012345678> now", 12), "see…");
        assert_eq!(cut("a **bold claim that runs on", 16), "a bold claim…");
        let family = "👨‍👩‍👧‍👦".repeat(10);
        let cut_family = cut(&family, 20);
        assert!(
            cut_family.trim_end_matches('…').graphemes(true).all(|g| g == "👨‍👩‍👧‍👦"),
            "{cut_family}"
        );
        assert_eq!(clean_to("short\0 title", 100), "short title");
    }

    #[test]
    fn nul_and_other_controls_go_newline_and_tab_stay() {
        assert_eq!(
            clean_to("Back\0ups\u{7}\r\n\tfail\u{1b}[31m\u{7f}!", 100),
            "Backups\n\tfail[31m!"
        );
    }

    #[test]
    fn every_c0_control_but_newline_and_tab_is_removed() {
        for code in (0u32..0x20).chain([0x7f]) {
            let c = char::from_u32(code).unwrap();
            let expected = if c == '\n' || c == '\t' {
                format!("a{c}b")
            } else {
                "ab".to_string()
            };
            assert_eq!(clean_to(&format!("a{c}b"), 10), expected, "U+{code:04X}");
        }
    }

    #[test]
    fn other_text_is_kept_as_it_is() {
        let text = "Sikkerhetskopien feiler – «feil 3041» på SQL Server 2022 ✓ 😀 e\u{301}";
        assert_eq!(clean_to(text, 1000), text);
        // C1 controls and other format characters are not C0: left for the front ends.
        assert_eq!(clean_to("a\u{85}b\u{200b}c", 10), "a\u{85}b\u{200b}c");
    }

    #[test]
    fn length_is_bounded_in_characters_at_a_boundary() {
        assert_eq!(clean_to("æøå😀x", 4), "æøå…");
        assert_eq!(clean_to("abc", 0), "");
        // Counted after the controls are gone.
        assert_eq!(clean_to("\0\0\0abc", 3), "abc");
        let long = "é".repeat(5000);
        let cut = clean(UserField::Problem, &long);
        assert_eq!(cut.chars().count(), 4000);
        assert!(cut.ends_with('…'), "a cut says so");
    }

    #[test]
    fn each_field_has_its_bound() {
        let long = "x".repeat(5000);
        for (field, max) in [
            (UserField::Title, 100),
            (UserField::Product, 100),
            (UserField::Version, 100),
            (UserField::Problem, 4000),
            (UserField::Reason, 4000),
        ] {
            assert_eq!(clean(field, &long).chars().count(), max, "{field:?}");
            assert_eq!(field.max_chars(), max);
        }
    }
}
