//! Scoring the grammar against a labelled corpus (issue 18): how many messages are read right,
//! and each category's precision and recall. Pure: the caller reads the file.
//!
//! The corpus format (one message a line, `LANG[@] LABEL | MESSAGE`) is described in the
//! header of `tests/intake/corpus.txt`; [`Label`]'s `Display` writes labels in that syntax.

use super::draft::{MissingField, SeverityFinding};
use super::types::{ExclusionKey, Interpretation, Language, NotForUsReason, PointerKind, Reading};
use super::{interpret, IntakeContext};
use crate::severity::Severity;
use std::collections::BTreeMap;
use std::fmt;

/// The floor the corpus must meet: the share of messages read right ...
pub const FLOOR_ACCURACY: f64 = 0.95;
/// ... and every category's precision and recall.
pub const FLOOR_CATEGORY: f64 = 0.90;

/// What a message says about severity, as a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeverityLabel {
    Declared(Severity),
    Suggested(Severity),
    Conflicting(Vec<Severity>),
    None,
}

/// What the bot must do with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Request {
        severity: SeverityLabel,
        product: Option<String>,
        version: Option<String>,
        missing: Vec<MissingField>,
        split: bool,
    },
    Question(String),
    Pointer(PointerKind),
    OutOfScope(ExclusionKey),
    Chatter,
    Resolved,
    NotUnderstood,
}

impl Label {
    /// The label of what the grammar read.
    pub fn of(reading: &Reading) -> Label {
        match &reading.interpretation {
            Interpretation::NotForUs(NotForUsReason::ProblemGone) => Label::Resolved,
            Interpretation::NotForUs(_) => Label::Chatter,
            Interpretation::NotUnderstood => Label::NotUnderstood,
            Interpretation::Question { topic, .. } => Label::Question(topic.clone()),
            Interpretation::Pointer(kind) => Label::Pointer(*kind),
            Interpretation::OutOfScope(key) => Label::OutOfScope(*key),
            Interpretation::Request(d) => Label::Request {
                severity: match &d.severity {
                    Some(SeverityFinding::Explicit(s)) => SeverityLabel::Declared(*s),
                    Some(SeverityFinding::Suggested { severity, .. }) => SeverityLabel::Suggested(*severity),
                    Some(SeverityFinding::Conflicting(all)) => SeverityLabel::Conflicting(all.clone()),
                    None => SeverityLabel::None,
                },
                product: d.product.clone(),
                version: d.version.clone(),
                missing: d.missing.clone(),
                split: d.split_hint,
            },
        }
    }

    /// The category precision and recall are counted by: the kind, with the FAQ topic,
    /// pointer or exclusion (a request's details count only for "read right").
    pub fn category(&self) -> String {
        match self {
            Label::Request { .. } => "request".into(),
            Label::Question(topic) => format!("question {topic}"),
            Label::Pointer(kind) => format!("pointer {}", kind.as_str()),
            Label::OutOfScope(key) => format!("out_of_scope {key}"),
            Label::Chatter => "chatter".into(),
            Label::Resolved => "resolved".into(),
            Label::NotUnderstood => "not_understood".into(),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Label::Request {
            severity,
            product,
            version,
            missing,
            split,
        } = self
        else {
            return f.write_str(&self.category());
        };
        let sev = match severity {
            SeverityLabel::Declared(s) => s.to_string(),
            SeverityLabel::Suggested(s) => format!("~{s}"),
            SeverityLabel::Conflicting(all) => all.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("+"),
            SeverityLabel::None => "none".into(),
        };
        let missing = match missing.as_slice() {
            [] => "-".to_string(),
            all => all.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","),
        };
        write!(
            f,
            "request sev={sev} product={} version={} missing={missing}",
            product.as_deref().unwrap_or("none"),
            version.as_deref().unwrap_or("none"),
        )?;
        if *split {
            f.write_str(" split=yes")?;
        }
        Ok(())
    }
}

/// One labelled message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// 1-based line in the corpus file.
    pub line: usize,
    pub language: Language,
    pub addressed_to_bot: bool,
    pub expected: Label,
    pub text: String,
}

/// A corpus line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct CorpusError {
    pub line: usize,
    pub reason: String,
}

/// Reads a whole corpus; the first bad line is an error naming it.
pub fn parse_corpus(text: &str) -> Result<Vec<Case>, CorpusError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            parse_line(l)
                .map_err(|reason| CorpusError { line: i + 1, reason })
                .map(|c| Case { line: i + 1, ..c })
        })
        .collect()
}

fn parse_line(line: &str) -> Result<Case, String> {
    let (head, message) = line.split_once(" | ").ok_or("no ` | ` before the message")?;
    let mut fields = head.split_whitespace();
    let lang = fields.next().ok_or("no language")?;
    let (lang, addressed) = match lang.strip_suffix('@') {
        Some(l) => (l, true),
        None => (lang, false),
    };
    let language: Language = lang.parse().map_err(|e| format!("{e}"))?;
    let expected = parse_label(fields)?;
    Ok(Case {
        line: 0,
        language,
        addressed_to_bot: addressed,
        expected,
        text: unescape(message.trim()),
    })
}

fn parse_label<'a>(mut fields: impl Iterator<Item = &'a str>) -> Result<Label, String> {
    let kind = fields.next().ok_or("no label")?;
    let mut one = |what: &str| {
        fields
            .next()
            .map(str::to_string)
            .ok_or(format!("`{kind}` needs a {what}"))
    };
    let label = match kind {
        "chatter" => Label::Chatter,
        "resolved" => Label::Resolved,
        "not_understood" => Label::NotUnderstood,
        "question" => Label::Question(one("topic")?),
        "pointer" => Label::Pointer(match one("pointer kind")?.as_str() {
            "billing" => PointerKind::Billing,
            "tax_exemption" => PointerKind::TaxExemption,
            other => return Err(format!("unknown pointer {other:?}")),
        }),
        "out_of_scope" => {
            let key = one("exclusion")?;
            let found = ExclusionKey::ALL.into_iter().find(|k| k.as_str() == key);
            Label::OutOfScope(found.ok_or(format!("unknown exclusion {key:?}"))?)
        }
        "request" => return parse_request(fields),
        other => return Err(format!("unknown label {other:?}")),
    };
    Ok(label)
}

fn parse_request<'a>(fields: impl Iterator<Item = &'a str>) -> Result<Label, String> {
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    let mut last = None;
    for field in fields {
        match field.split_once('=') {
            Some((key, value)) => {
                values.insert(key, value.to_string());
                last = Some(key);
            }
            // A version name with a space ("2013 R2") continues the field before.
            None => match last.and_then(|k| values.get_mut(k)) {
                Some(v) => *v = format!("{v} {field}"),
                None => return Err(format!("{field:?} is not key=value")),
            },
        }
    }
    let mut take = |key: &str| values.remove(key).ok_or(format!("request needs {key}="));
    let severity = parse_severity(&take("sev")?)?;
    let none_is_none = |v: String| (v != "none").then_some(v);
    let product = none_is_none(take("product")?);
    let version = match values.remove("version") {
        Some(v) => none_is_none(v),
        None if product.is_none() => None,
        None => return Err("request with a product needs version=".into()),
    };
    let missing = parse_missing(&values.remove("missing").ok_or("request needs missing=")?)?;
    let split = match values.remove("split").as_deref() {
        None | Some("no") => false,
        Some("yes") => true,
        Some(other) => return Err(format!("split={other}: use yes or no")),
    };
    if let Some(key) = values.keys().next() {
        return Err(format!("unknown request field {key:?}"));
    }
    Ok(Label::Request {
        severity,
        product,
        version,
        missing,
        split,
    })
}

fn parse_severity(v: &str) -> Result<SeverityLabel, String> {
    let level = |s: &str| s.parse::<Severity>().map_err(|e| e.to_string());
    Ok(match v {
        "none" => SeverityLabel::None,
        v if v.starts_with('~') => SeverityLabel::Suggested(level(&v[1..])?),
        v if v.contains('+') => SeverityLabel::Conflicting(v.split('+').map(level).collect::<Result<_, _>>()?),
        v => SeverityLabel::Declared(level(v)?),
    })
}

fn parse_missing(v: &str) -> Result<Vec<MissingField>, String> {
    if v == "-" {
        return Ok(Vec::new());
    }
    v.split(',')
        .map(|name| {
            MissingField::ALL
                .into_iter()
                .find(|m| m.as_str() == name)
                .ok_or(format!("unknown missing field {name:?}"))
        })
        .collect()
}

/// `\n` is a line break, `\\` a backslash.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// A message read wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub case: Case,
    pub got: Label,
    pub got_language: Language,
    /// The precedence rule that decided the reading.
    pub rule: &'static str,
}

/// Counts of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryCount {
    /// Messages labelled with the category.
    pub labelled: usize,
    /// Messages read as the category.
    pub read_as: usize,
    /// Both.
    pub agreed: usize,
}

impl CategoryCount {
    /// 1.0 when nothing was read as the category (no false hits).
    pub fn precision(&self) -> f64 {
        ratio(self.agreed, self.read_as)
    }

    /// 1.0 when nothing is labelled with it.
    pub fn recall(&self) -> f64 {
        ratio(self.agreed, self.labelled)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The result of a whole corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub total: usize,
    /// Label (every request detail included) and language both right.
    pub right: usize,
    pub categories: BTreeMap<String, CategoryCount>,
    pub misses: Vec<Miss>,
}

impl Report {
    pub fn accuracy(&self) -> f64 {
        ratio(self.right, self.total)
    }

    /// The categories under [`FLOOR_CATEGORY`] in precision or recall.
    pub fn weak_categories(&self) -> Vec<&str> {
        self.categories
            .iter()
            .filter(|(_, c)| c.precision() < FLOOR_CATEGORY || c.recall() < FLOOR_CATEGORY)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    pub fn meets_floor(&self) -> bool {
        self.accuracy() >= FLOOR_ACCURACY && self.weak_categories().is_empty()
    }
}

/// Reads every case with `ctx` (its language hint and addressing set per case) and scores it.
pub fn evaluate(cases: &[Case], ctx: &IntakeContext<'_>) -> Report {
    let mut report = Report {
        total: cases.len(),
        ..Report::default()
    };
    for case in cases {
        let ctx = IntakeContext {
            language_hint: case.language,
            addressed_to_bot: case.addressed_to_bot,
            in_incident_thread: false,
            ..*ctx
        };
        let reading = interpret(&case.text, &ctx);
        let got = Label::of(&reading);
        let (want_cat, got_cat) = (case.expected.category(), got.category());
        report.categories.entry(want_cat.clone()).or_default().labelled += 1;
        report.categories.entry(got_cat.clone()).or_default().read_as += 1;
        if want_cat == got_cat {
            report.categories.entry(want_cat).or_default().agreed += 1;
        }
        if got == case.expected && reading.language == case.language {
            report.right += 1;
        } else {
            report.misses.push(Miss {
                case: case.clone(),
                got,
                got_language: reading.language,
                rule: reading.decided_by.as_str(),
            });
        }
    }
    report
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.meets_floor() { "meets" } else { "BELOW" };
        writeln!(
            f,
            "read right: {} of {} ({:.1} %); {verdict} the floor ({:.0} %, every category {:.0} %)",
            self.right,
            self.total,
            100.0 * self.accuracy(),
            100.0 * FLOOR_ACCURACY,
            100.0 * FLOOR_CATEGORY
        )?;
        writeln!(
            f,
            "\n{:<40} {:>5} {:>5} {:>10} {:>8}",
            "category", "n", "read", "precision", "recall"
        )?;
        for (name, c) in &self.categories {
            let flag = if c.precision() < FLOOR_CATEGORY || c.recall() < FLOOR_CATEGORY {
                "  <"
            } else {
                ""
            };
            writeln!(
                f,
                "{name:<40} {:>5} {:>5} {:>9.1}% {:>7.1}%{flag}",
                c.labelled,
                c.read_as,
                100.0 * c.precision(),
                100.0 * c.recall()
            )?;
        }
        writeln!(f, "\nmisses: {}", self.misses.len())?;
        for m in &self.misses {
            let lang = if m.got_language == m.case.language {
                String::new()
            } else {
                format!(" (read as {})", m.got_language)
            };
            writeln!(f, "line {} [{}]{lang} {:?}", m.case.line, m.case.language, m.case.text)?;
            writeln!(
                f,
                "    expected {}\n    got      {}  (rule {})",
                m.case.expected, m.got, m.rule
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_into_a_case() {
        let cases = parse_corpus(
            "# header\n\nno@ request sev=~A product=biztalk-server version=2013 R2 missing=severity split=yes | a\\nb\n",
        )
        .unwrap();
        let case = &cases[0];
        assert_eq!(
            (case.line, case.language, case.addressed_to_bot),
            (3, Language::No, true)
        );
        assert_eq!(case.text, "a\nb");
        let Label::Request {
            severity,
            version,
            missing,
            split,
            ..
        } = &case.expected
        else {
            panic!("not a request")
        };
        assert_eq!(severity, &SeverityLabel::Suggested(Severity::A));
        assert_eq!(version.as_deref(), Some("2013 R2"));
        assert_eq!(
            (missing.as_slice(), *split),
            ([MissingField::Severity].as_slice(), true)
        );
        assert_eq!(
            case.expected.to_string(),
            "request sev=~A product=biztalk-server version=2013 R2 missing=severity split=yes"
        );
    }

    #[test]
    fn bad_lines_name_their_line_and_fault() {
        let err = parse_corpus("en chatter | ok\nen request sev=A | x\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("product="), "{err}");
        assert!(parse_corpus("de chatter | x").is_err());
        assert!(parse_corpus("en chatter hello").unwrap_err().reason.contains("` | `"));
        assert!(parse_corpus("en out_of_scope on-prem | x").is_err());
    }

    #[test]
    fn precision_and_recall_count_per_category() {
        let c = CategoryCount {
            labelled: 10,
            read_as: 8,
            agreed: 8,
        };
        assert_eq!((c.precision(), c.recall()), (1.0, 0.8));
        assert_eq!(CategoryCount::default().precision(), 1.0);
    }
}
