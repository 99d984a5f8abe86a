//! Fuzzing `interpret` with proptest: arbitrary strings and near-miss strings built
//! from the grammar's own words must never panic. 2,000 cases by default; set
//! `INTAKE_FUZZ_CASES=20000` for the long run. Crash inputs found are kept below.

use crate::helpers::intake::Fixture;
use intakebot::core::intake::{normalize, Interpretation, Language, MAX_INPUT_CHARS};
use proptest::prelude::*;
use std::sync::OnceLock;

fn fixture() -> &'static Fixture {
    static FX: OnceLock<Fixture> = OnceLock::new();
    FX.get_or_init(Fixture::new)
}

fn cases() -> u32 {
    std::env::var("INTAKE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// Pieces that sit close to what the patterns and the normaliser look for.
const PIECES: &[&str] = &[
    "sev",
    "sev a",
    "Ｓｅｖ Ａ",
    "severity:",
    "prio",
    "alvorlighetsgrad",
    " a",
    " b",
    " c",
    "-",
    ":",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{00ad}",
    "\"",
    "“",
    "”",
    "'",
    "`",
    "```",
    "\n",
    "> ",
    "- ",
    "1. ",
    "<@",
    "<@!",
    "123",
    "99999999999999999999999",
    ">",
    "on call",
    "24/7",
    "døgnet rundt",
    "sql",
    "server",
    "sever",
    "2019",
    "exchnage",
    "se",
    "on site",
    "på stedet",
    "root cause",
    "invoice",
    "skattefritak",
    "n-1",
    "what counts as an incident",
    "and also",
    "i tillegg",
    "production down",
    "kritisk",
    "ikke kritisk",
    "é",
    "\u{0301}",
    "ß",
    "İ",
    "🙂",
    "\r\n",
    "\t",
    "\0",
    " ",
    "ø",
    "Å",
    "ǅ",
    "ﬁ",
];

fn near_miss() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
}

fn check(text: &str) {
    let fx = fixture();
    for lang in Language::ALL {
        let r = fx.read(text, lang, false);
        if let Interpretation::Request(d) = &r.interpretation {
            assert!(d.problem.chars().count() <= MAX_INPUT_CHARS);
        }
    }
    let n = normalize(text);
    assert_eq!(n.truncated, text.chars().count() > MAX_INPUT_CHARS);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn near_miss_strings_never_panic(text in near_miss()) {
        check(&text);
    }

    #[test]
    fn invisible_characters_never_change_the_reading(text in near_miss(), at in any::<prop::sample::Index>()) {
        let fx = fixture();
        let clean: String = text.chars().filter(|c| !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')).collect();
        let mut chars: Vec<char> = clean.chars().collect();
        if !chars.is_empty() {
            chars.insert(at.index(chars.len()), '\u{200b}');
        }
        let evasive: String = chars.into_iter().collect();
        prop_assume!(evasive.chars().count() <= MAX_INPUT_CHARS);
        let a = fx.read(&clean, Language::En, false);
        let b = fx.read(&evasive, Language::En, false);
        prop_assert_eq!(a.interpretation.kind(), b.interpretation.kind());
    }
}

#[test]
fn very_long_and_pathological_inputs_do_not_panic() {
    for text in [
        "\"".repeat(10_000),
        "'a ".repeat(5_000),
        "`".repeat(9_999),
        "```".repeat(3_333),
        "sev a ".repeat(2_000),
        format!("{}ø", "a".repeat(MAX_INPUT_CHARS - 1)),
        "> \n".repeat(4_000),
        "<@".repeat(3_000),
        "\u{200b}".repeat(8_000),
        "ǅ\u{0301}".repeat(3_000),
    ] {
        check(&text);
    }
}

/// This thread's CPU time: unlike the wall clock, it does not grow while the thread waits for
/// a core that the other tests hold.
fn thread_cpu_time() -> std::time::Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The least CPU time of seven readings of `text` in both languages.
fn fastest_reading(text: &str) -> std::time::Duration {
    let fx = fixture();
    (0..7)
        .map(|_| {
            let started = thread_cpu_time();
            for lang in Language::ALL {
                std::hint::black_box(fx.read(text, lang, false));
            }
            thread_cpu_time() - started
        })
        .min()
        .unwrap()
}

// Reading is linear in the input: eight times the text never takes more than eight times as
// long in CPU time, with a factor of three for caches and noise (a quadratic pattern would take
// 64 times). A ratio of the same run, not a wall-clock budget; the speed itself is benched.
#[test]
fn reading_time_grows_linearly_with_length() {
    let short = MAX_INPUT_CHARS / 8;
    for piece in ["sev a ", "<@", "'a ", "`", "alvorlighetsgrad ", "SQL Server 2022 ", "x"] {
        let text = |chars: usize| piece.repeat(chars / piece.chars().count());
        let (small, large) = (fastest_reading(&text(short)), fastest_reading(&text(short * 8)));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        assert!(
            ratio <= 24.0,
            "{piece:?}: {short} chars in {small:?}, {} in {large:?} ({ratio:.1}x)",
            short * 8
        );
    }
}
