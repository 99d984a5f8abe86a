//! The languages the bot answers in.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    No,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::No];

    /// A dense index, for per-language tables.
    pub(crate) fn index(self) -> usize {
        match self {
            Language::En => 0,
            Language::No => 1,
        }
    }

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

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: use en or no")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Language::En),
            "no" | "nb" | "nn" | "norwegian" | "norsk" => Ok(Language::No),
            _ => Err(UnknownLanguage(s.to_string())),
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
