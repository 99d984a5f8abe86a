//! Runs the compiled patterns over a normalised message and collects what they found.

use super::config::{IntakePatterns, Signal};
use super::draft::DiscordUserId;
use super::types::{ExclusionKey, Language, MatchExplanation, MatchGroup, PointerKind};
use crate::severity::{Coverage, Severity};
use regex::Regex;
use std::ops::Range;

/// An impact word: the severity it suggests, where it stands, what it says, which pattern.
#[derive(Debug)]
pub(crate) struct Impact {
    pub severity: Severity,
    pub span: Range<usize>,
    pub text: String,
    pub key: String,
}

/// Everything the patterns found in one message.
#[derive(Debug, Default)]
pub(crate) struct Signals {
    /// Distinct explicit severities, in order of first appearance.
    pub explicit: Vec<Severity>,
    /// Impact words with their spans (for dropping "kritisk" inside "ikke kritisk").
    pub impact: Vec<Impact>,
    pub coverage: Vec<Coverage>,
    pub contact: Option<DiscordUserId>,
    pub clear_exclusion: Option<ExclusionKey>,
    pub borderline_exclusion: Option<ExclusionKey>,
    pub pointer: Option<PointerKind>,
    pub faq: Option<usize>,
    pub small_talk: bool,
    pub problem: bool,
    pub split: bool,
    pub markers: [usize; 2],
    pub matched: Vec<MatchExplanation>,
    /// Whether to fill `matched` (each simple pattern then costs a second search for its text).
    explaining: bool,
}

impl Signals {
    /// `words` are `text`'s tokens (`product::tokens`), computed once by the caller.
    pub fn collect(patterns: &IntakePatterns, text: &str, words: &[&str], explaining: bool) -> Signals {
        let mut s = Signals {
            explaining,
            ..Signals::default()
        };
        for i in patterns.set.matches(text).iter() {
            let entry = &patterns.entries[i];
            let re = &entry.regex;
            match entry.signal {
                Signal::Severity => s.severities(re, text, &entry.key),
                Signal::Impact(level) => {
                    for_each_match(re, text, |m| {
                        s.impact.push(Impact {
                            severity: level,
                            span: m.clone(),
                            text: word(text, m),
                            key: entry.key.clone(),
                        });
                    });
                }
                Signal::Contact => {
                    for_each_captures(re, text, "user", |_, user| {
                        let user = user.and_then(|u| text[u].parse().ok());
                        if s.contact.is_none() {
                            s.contact = user.map(DiscordUserId);
                        }
                    });
                    s.explain(MatchGroup::OnCallContact, re, text, &entry.key);
                }
                other => s.simple(other, re, text, &entry.key),
            }
        }
        s.keep_outermost_impact();
        for word in words {
            if let Some(languages) = patterns.markers.get(*word) {
                for (count, marks) in s.markers.iter_mut().zip(languages) {
                    *count += usize::from(*marks);
                }
            }
        }
        s
    }

    fn simple(&mut self, signal: Signal, re: &Regex, text: &str, key: &str) {
        let group = match signal {
            Signal::SmallTalk => {
                self.small_talk = true;
                MatchGroup::SmallTalk
            }
            Signal::Problem => {
                self.problem = true;
                MatchGroup::Problem
            }
            Signal::Split => {
                self.split = true;
                MatchGroup::Split
            }
            Signal::Coverage(c) => {
                if !self.coverage.contains(&c) {
                    self.coverage.push(c);
                }
                MatchGroup::Coverage
            }
            Signal::Exclusion(key, true) => {
                self.clear_exclusion.get_or_insert(key);
                MatchGroup::Exclusion
            }
            Signal::Exclusion(key, false) => {
                self.borderline_exclusion.get_or_insert(key);
                MatchGroup::BorderlineExclusion
            }
            Signal::Pointer(kind) => {
                self.pointer.get_or_insert(kind);
                MatchGroup::Pointer
            }
            Signal::Faq(topic) => {
                self.faq.get_or_insert(topic);
                MatchGroup::Faq
            }
            Signal::Severity | Signal::Impact(_) | Signal::Contact => return,
        };
        self.explain(group, re, text, key);
    }

    fn severities(&mut self, re: &Regex, text: &str, key: &str) {
        let mut found = Vec::new();
        for_each_captures(re, text, "level", |whole, level| {
            if let Some(level) = level.and_then(|l| text[l].parse::<Severity>().ok()) {
                found.push((level, whole));
            }
        });
        for (level, whole) in found {
            if !self.explicit.contains(&level) {
                self.explicit.push(level);
            }
            if self.explaining {
                self.matched.push(MatchExplanation {
                    group: MatchGroup::Severity,
                    pattern: key.to_string(),
                    text: word(text, &whole),
                });
            }
        }
    }

    fn explain(&mut self, group: MatchGroup, re: &Regex, text: &str, key: &str) {
        if !self.explaining {
            return;
        }
        if let Some(m) = re.find(text) {
            self.matched.push(MatchExplanation {
                group,
                pattern: key.to_string(),
                text: word(text, &m.range()),
            });
        }
    }

    /// Drops impact matches lying inside a longer one, then explains the rest.
    fn keep_outermost_impact(&mut self) {
        let spans: Vec<Range<usize>> = self.impact.iter().map(|i| i.span.clone()).collect();
        self.impact.retain(|i| {
            let r = &i.span;
            !spans.iter().any(|o| o != r && o.start <= r.start && r.end <= o.end)
        });
        if !self.explaining {
            return;
        }
        for i in &self.impact {
            self.matched.push(MatchExplanation {
                group: MatchGroup::Impact,
                pattern: i.key.clone(),
                text: i.text.clone(),
            });
        }
    }

    /// The language with more marker words (and æ, ø, å count for Norwegian); the
    /// channel's language on a tie.
    pub fn language(&self, text: &str, hint: Language) -> Language {
        let [en, mut no] = self.markers;
        if text.contains(['æ', 'ø', 'å']) {
            no += 1;
        }
        match en.cmp(&no) {
            std::cmp::Ordering::Greater => Language::En,
            std::cmp::Ordering::Less => Language::No,
            std::cmp::Ordering::Equal => hint,
        }
    }
}

/// The matched text without the boundary characters the wrapper consumed.
fn word(text: &str, range: &Range<usize>) -> String {
    text[range.clone()]
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '<' && c != '>' && c != '/')
        .to_string()
}

/// All matches, letting the boundary character a match consumed at its end start
/// the next one ("sev a sev b" holds two).
fn for_each_match(re: &Regex, text: &str, mut f: impl FnMut(&Range<usize>)) {
    let mut at = 0;
    while let Some(m) = re.find_at(text, at) {
        f(&m.range());
        at = next_start(text, m.start(), m.end());
        if at >= text.len() {
            break;
        }
    }
}

/// Like [`for_each_match`], with where the named group matched. One set of capture slots is
/// reused for every match (`captures_at` allocates a new one each time).
fn for_each_captures(re: &Regex, text: &str, group: &str, mut f: impl FnMut(Range<usize>, Option<Range<usize>>)) {
    let index = re.capture_names().position(|name| name == Some(group));
    let mut slots = re.capture_locations();
    let mut at = 0;
    while let Some(whole) = re.captures_read_at(&mut slots, text, at) {
        let found = index.and_then(|i| slots.get(i)).map(|(start, end)| start..end);
        f(whole.range(), found);
        at = next_start(text, whole.start(), whole.end());
        if at >= text.len() {
            break;
        }
    }
}

/// Restart one character before the end (the consumed boundary), but always
/// after the start, so the loop advances.
fn next_start(text: &str, start: usize, end: usize) -> usize {
    let back = text[..end].chars().next_back().map_or(0, char::len_utf8);
    let candidate = end.saturating_sub(back);
    if candidate > start {
        candidate
    } else {
        // Move at least one character forward.
        end.max(start + text[start..].chars().next().map_or(1, char::len_utf8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_matches_share_one_boundary() {
        let re = Regex::new(r"(?:^|[^a-z])(?:sev (?P<level>[abc]))(?:[^a-z]|$)").unwrap();
        let mut levels = Vec::new();
        let text = "sev a sev b sev c";
        for_each_captures(&re, text, "level", |_, level| {
            levels.push(text[level.unwrap()].to_string())
        });
        assert_eq!(levels, ["a", "b", "c"]);
    }

    #[test]
    fn next_start_always_advances() {
        assert_eq!(next_start("ab", 0, 1), 1);
        assert_eq!(next_start(" sev a ", 0, 7), 6);
        assert_eq!(next_start("ø", 0, 2), 2);
    }
}
