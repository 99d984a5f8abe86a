//! The languages the bot answers in.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    No,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::No => "no",
        }
    }

    /// Maps a Discord locale (`en-US`, `no`, `nb`…) to the nearest language we speak.
    pub fn from_discord_locale(locale: &str) -> Language {
        match locale.split('-').next().unwrap_or_default() {
            "no" | "nb" | "nn" => Language::No,
            _ => Language::En,
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, no: &'a str) -> &'a str {
        match self {
            Language::En => en,
            Language::No => no,
        }
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Language::En),
            "no" | "nb" | "nn" => Ok(Language::No),
            other => Err(format!("unknown language {other:?}: use en or no")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_locales_map_to_our_languages() {
        assert_eq!(Language::from_discord_locale("no"), Language::No);
        assert_eq!(Language::from_discord_locale("en-US"), Language::En);
        assert_eq!(Language::from_discord_locale("de"), Language::En);
    }
}
