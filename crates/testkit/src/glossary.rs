//! The Norwegian glossary (`GLOSSARY.md`, the seed's vocabulary) as a check: what in a
//! Norwegian text breaks it. One term per concept, no English code word, plurals that agree.

use regex::Regex;
use std::sync::OnceLock;

/// Words a Norwegian text must not contain (whole words, any case), and why.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "sak|saken|saker|sakene",
        "the glossary's word is \"hendelse\", not \"sak\"",
    ),
    ("mainstream", "code word: \"grunnleggende støtte\""),
    ("extended", "code word: \"utvidet støtte\""),
    ("out", "code word: \"utenfor livssyklus\""),
    ("resolved|unresolved", "code word: \"løst\" / \"uløst\""),
    ("acknowledged|acknowledge", "code word: \"kvittert\" / \"kvitter\""),
    ("opened|open", "code word: \"åpnet\" / \"åpen\""),
    ("current", "code word: \"gjeldende versjon\""),
    ("incident|incidents", "English: \"hendelse\""),
    ("unit|units|enhet|enheter", "a pack counts \"hendelser\""),
    ("severity", "English: \"alvorlighetsgrad\""),
    ("business hours|business", "English: \"arbeidstid\""),
    ("breached|breach", "English: \"frist brutt\""),
    ("waiting", "English: \"venter på første svar\""),
    ("five-pack|fivepack", "English: \"fempakning\""),
    ("pay per incident", "English: \"betal per hendelse\""),
    ("on-call|on call", "English: \"vaktkontakt\""),
    ("the|and|is|not|your|you", "an English sentence"),
    (
        "døgnåpen|hele døgnet rundt|24x7|24/7-dekning",
        "24x7 has one name: \"døgnet rundt (24/7)\"",
    ),
];

fn forbidden() -> &'static [(Regex, &'static str)] {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RES.get_or_init(|| {
        FORBIDDEN
            .iter()
            .map(|(words, why)| {
                (
                    Regex::new(&format!(r"(?i)(^|[^\p{{L}}\d_-])({words})($|[^\p{{L}}\d_-])")).unwrap(),
                    *why,
                )
            })
            .collect()
    })
}

fn plural() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(^|[^\d,.])(\d+) (hendelser|hendelse|delhendelser|delhendelse)\b").unwrap())
}

/// "24/7" alone, not inside the one name "døgnet rundt (24/7)".
fn bare_24_7(text: &str) -> bool {
    text.replace("døgnet rundt (24/7)", "")
        .replace("Døgnet rundt (24/7)", "")
        .contains("24/7")
}

/// Every way `text` (meant to be Norwegian) breaks the glossary; empty when it keeps it.
/// Product names and what a member typed are the caller's to leave out.
pub fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (re, why) in forbidden() {
        if let Some(m) = re.captures(text) {
            found.push(format!("{:?}: {why}", &m[2]));
        }
    }
    for c in plural().captures_iter(text) {
        let n: u64 = c[2].parse().unwrap_or(0);
        let singular = !c[3].ends_with('r');
        if (n == 1) != singular {
            found.push(format!("{:?}: number and noun disagree", &c[0].trim()));
        }
    }
    if bare_24_7(text) {
        found.push("\"24/7\" without \"døgnet rundt\": one name only".to_string());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn the_glossary_catches_what_it_should() {
        assert!(problems("Åpnet INC-000001; 3 hendelser igjen. Døgnet rundt (24/7) krever en vaktkontakt.").is_empty());
        assert_eq!(problems("Saken er åpnet").len(), 1);
        assert_eq!(problems("1 hendelser igjen").len(), 1);
        assert_eq!(problems("2 hendelse igjen").len(), 1);
        assert_eq!(problems("SQL Server 2019 (extended)").len(), 1);
        assert_eq!(problems("nå acknowledged").len(), 1);
        assert_eq!(problems("følges opp 24/7").len(), 1);
        assert!(
            problems("utenfor livssyklus").is_empty(),
            "\"out\" only as a whole word"
        );
    }
}
