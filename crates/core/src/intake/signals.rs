//! Runs the compiled patterns over a normalised message and collects what they found:
//! severities (withdrawn when negated, replaced by a correction), impact words (dropped when
//! negated or inside a longer one), and the simple signals.

use super::config::{IntakePatterns, Signal};
use super::draft::DiscordUserId;
use super::types::{ExclusionKey, Language, MatchExplanation, MatchGroup, PointerKind};
use crate::severity::{Coverage, Severity};
use regex::Regex;
use std::ops::Range;

/// A negation counts among this many words before a severity, impact or resolved match ...
const NEGATION_WINDOW: usize = 2;
/// ... when the word between is this short ("a", "the", "så").
const SHORT_WORD_CHARS: usize = 3;
/// Punctuation that ends the clause a negation governs.
const CLAUSE_ENDS: [char; 7] = ['.', '!', '?', '\n', ',', ';', ':'];

/// An impact word: the severity it suggests, where it stands, what it says, which pattern.
#[derive(Debug)]
pub(crate) struct Impact {
    pub severity: Severity,
    pub span: Range<usize>,
    pub text: String,
    pub key: String,
}

/// A declared severity: where, and whether it corrects the ones before it.
#[derive(Debug)]
struct Declared {
    level: Severity,
    span: Range<usize>,
    correction: bool,
    key: String,
}

/// Everything the patterns found in one message.
#[derive(Debug, Default)]
pub(crate) struct Signals {
    /// Distinct explicit severities in order of first appearance, after negations and corrections.
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
    /// One of the customer's systems is named ("server", "fakturasystemet").
    pub system: bool,
    /// The problem and impact patterns that matched, for reading list items one by one.
    pub problem_entries: Vec<usize>,
    /// Where the last un-negated "problem is gone" match ends.
    pub resolved_end: Option<usize>,
    pub split: bool,
    pub markers: [usize; 2],
    pub matched: Vec<MatchExplanation>,
    declared: Vec<Declared>,
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
        let mut negation = Negation::new(patterns, text);
        for i in patterns.set.matches(text).iter() {
            let entry = &patterns.entries[i];
            let re = &entry.regex;
            match entry.signal {
                Signal::Severity => s.severities(re, text, &entry.key, false),
                Signal::Correction => s.severities(re, text, &entry.key, true),
                Signal::Impact(level) => {
                    s.problem_entries.push(i);
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
                Signal::Resolved => s.resolved(re, text, &entry.key, &mut negation),
                Signal::Problem => {
                    s.problem_entries.push(i);
                    s.simple(Signal::Problem, re, text, &entry.key)
                }
                other => s.simple(other, re, text, &entry.key),
            }
        }
        s.keep_outermost_impact();
        s.drop_negated_impact(&mut negation);
        s.settle_severity(&mut negation);
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
            Signal::System => {
                self.system = true;
                MatchGroup::System
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
                // Topics are in config order, specific first: the earliest topic wins in
                // every language (entries of all English topics come before Norwegian ones).
                self.faq = Some(self.faq.map_or(topic, |t| t.min(topic)));
                MatchGroup::Faq
            }
            Signal::Severity | Signal::Correction | Signal::Resolved | Signal::Impact(_) | Signal::Contact => return,
        };
        self.explain(group, re, text, key);
    }

    fn severities(&mut self, re: &Regex, text: &str, key: &str, correction: bool) {
        let mut found = Vec::new();
        for_each_captures(re, text, "level", |whole, level| {
            if let Some(level) = level.and_then(|l| text[l].parse::<Severity>().ok()) {
                found.push((level, whole));
            }
        });
        for (level, span) in found {
            self.declared.push(Declared {
                level,
                span,
                correction,
                key: key.to_string(),
            });
        }
    }

    /// A correction decides alone (the last one); otherwise every declared severity that no
    /// negation withdraws counts ("not sev A" withdraws A).
    fn settle_severity(&mut self, negation: &mut Negation<'_>) {
        self.declared.sort_by_key(|d| d.span.start);
        let last_correction = self.declared.iter().rposition(|d| d.correction);
        for (i, d) in self.declared.iter().enumerate() {
            let inner = inner(negation.text, &d.span);
            let negated = negation.before(inner.start);
            let replaced = last_correction.is_some_and(|c| c != i);
            let counts = !negated && !replaced;
            if counts && !self.explicit.contains(&d.level) {
                self.explicit.push(d.level);
            }
            if self.explaining {
                let group = match (negated || replaced, d.correction) {
                    (true, _) => MatchGroup::Negated,
                    (false, true) => MatchGroup::Correction,
                    (false, false) => MatchGroup::Severity,
                };
                self.matched.push(MatchExplanation {
                    group,
                    pattern: d.key.clone(),
                    text: negation.text[negation.quote_start(inner.clone(), negated)..inner.end].to_string(),
                });
            }
        }
    }

    fn resolved(&mut self, re: &Regex, text: &str, key: &str, negation: &mut Negation<'_>) {
        for_each_match(re, text, |m| {
            let inner = inner(text, m);
            if negation.before(inner.start) {
                return;
            }
            self.resolved_end = Some(self.resolved_end.map_or(inner.end, |e| e.max(inner.end)));
        });
        if self.resolved_end.is_some() {
            self.explain(MatchGroup::Resolved, re, text, key);
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

    /// Drops impact matches lying inside a longer one ("kritisk" in "ikke kritisk").
    fn keep_outermost_impact(&mut self) {
        let spans: Vec<Range<usize>> = self.impact.iter().map(|i| i.span.clone()).collect();
        self.impact.retain(|i| {
            let r = &i.span;
            !spans.iter().any(|o| o != r && o.start <= r.start && r.end <= o.end)
        });
    }

    /// Drops A and B impact words with a negation just before or right after ("det haster
    /// ikke", "production is not down"), then explains the rest. C words carry their own
    /// negation ("not urgent") and stay.
    fn drop_negated_impact(&mut self, negation: &mut Negation<'_>) {
        let mut dropped = Vec::new();
        self.impact.retain(|i| {
            if i.severity == Severity::C {
                return true;
            }
            let r = inner(negation.text, &i.span);
            let negated = negation.before(r.start) || negation.after(r.end);
            if negated {
                dropped.push((i.key.clone(), i.text.clone()));
            }
            !negated
        });
        if !self.explaining {
            return;
        }
        for (key, text) in dropped {
            self.matched.push(MatchExplanation {
                group: MatchGroup::Negated,
                pattern: key,
                text,
            });
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

/// Finds negation words near a span. The message's words (letters, digits, `'`) are listed
/// the first time a match needs them: most messages have none to check.
struct Negation<'a> {
    text: &'a str,
    words: &'a rustc_hash::FxHashSet<String>,
    spans: Option<Vec<Range<usize>>>,
}

impl<'a> Negation<'a> {
    fn new(patterns: &'a IntakePatterns, text: &'a str) -> Negation<'a> {
        Negation {
            text,
            words: &patterns.negations,
            spans: None,
        }
    }

    fn spans(&mut self) -> &[Range<usize>] {
        let text = self.text;
        self.spans.get_or_insert_with(|| word_spans(text))
    }

    /// A negation right before `at` in the same clause, or one short word earlier ("not a
    /// sev A", "ikke så kritisk"); a longer word or punctuation between ends the search.
    fn before(&mut self, at: usize) -> bool {
        let (text, words) = (self.text, self.words);
        let spans = self.spans();
        let end = spans.partition_point(|w| w.end <= at);
        let mut from = at;
        for w in spans[..end].iter().rev().take(NEGATION_WINDOW) {
            if text[w.end..from].contains(CLAUSE_ENDS) {
                return false;
            }
            let word = &text[w.clone()];
            if words.contains(word) {
                return true;
            }
            if word.chars().count() > SHORT_WORD_CHARS {
                return false;
            }
            from = w.start;
        }
        false
    }

    /// The word right after `at` is a negation ("haster ikke").
    fn after(&mut self, at: usize) -> bool {
        let (text, words) = (self.text, self.words);
        let spans = self.spans();
        let next = spans.partition_point(|w| w.start < at);
        spans
            .get(next)
            .is_some_and(|w| !text[at..w.start].contains(CLAUSE_ENDS) && words.contains(&text[w.clone()]))
    }

    /// Where an explanation's quote starts: at the negation word when there is one.
    fn quote_start(&mut self, inner: Range<usize>, negated: bool) -> usize {
        if !negated {
            return inner.start;
        }
        let spans = self.spans();
        let end = spans.partition_point(|w| w.end <= inner.start);
        spans[end.saturating_sub(NEGATION_WINDOW)..end]
            .first()
            .map_or(inner.start, |w| w.start)
    }
}

/// The words of a normalised text: runs of letters, digits and apostrophes.
fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || c == '\'';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }
    spans
}

/// A match's range without the boundary characters the wrapper consumed.
fn inner(text: &str, range: &Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let trail = s.len() - s.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    let start = range.start + lead;
    start..(range.end - trail).max(start)
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
