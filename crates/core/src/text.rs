//! User text at the edge: what a member typed is cleaned once, before it is stored. Control
//! characters have no place in a title or a problem text (a NUL cannot even be stored in
//! PostgreSQL, and the store refuses one on both databases); newline and tab are kept, since a
//! problem text has lines. Each field is bounded in characters, at Discord's limits for the forms
//! the bot shows, so a chat message cannot store more than a form would accept.

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
/// and DEL (U+007F), then cut to at most `max_chars` characters (never inside a character).
pub fn clean_to(raw: &str, max_chars: usize) -> String {
    raw.chars().filter(|&c| kept(c)).take(max_chars).collect()
}

fn kept(c: char) -> bool {
    !c.is_ascii_control() || c == '\n' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(clean_to("æøå😀x", 4), "æøå😀");
        assert_eq!(clean_to("abc", 0), "");
        // Counted after the controls are gone.
        assert_eq!(clean_to("\0\0\0abc", 3), "abc");
        let long = "é".repeat(5000);
        let cut = clean(UserField::Problem, &long);
        assert_eq!(cut.chars().count(), 4000);
        assert_eq!(cut.len(), 8000, "two bytes each, none split");
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
