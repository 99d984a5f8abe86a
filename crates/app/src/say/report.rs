//! The SLA report as a card, in English and Norwegian: the period, first responses per
//! severity, per organisation, the breached incidents and the packs running out. The chart
//! and the CSV go with it as files (English column names, as the command line writes them).

use super::{date, span, units_left, Label};
use crate::reply::{Card, Field, Text, TimeStyle};
use chrono::Duration;
use intakebot_core::language::Language;
use intakebot_report::{BreachedIncident, Counts, PackUsage, SlaReport, SlaRow, EXPIRY_WARNING_DAYS};

/// The most breached incidents and packs listed one by one (a field holds 1,024 characters).
const LISTED: usize = 8;

/// What the Monday post says above the card.
pub(crate) fn weekly_intro(lang: Language) -> Text {
    Text::plain(lang.pick(
        "**Last week's SLA report** (first responses). The chart and the CSV are attached.",
        "**SLA-rapporten for forrige uke** (første svar). Diagrammet og CSV-filen er vedlagt.",
    ))
}

/// The report's card: totals per severity, per organisation, breaches, packs.
pub(crate) fn report_card(report: &SlaReport, lang: Language) -> Card {
    let p = &report.period;
    let mut title = format!(
        "{}: {} – {}",
        lang.pick("SLA report, first responses", "SLA-rapport, første svar"),
        date(p.from, lang),
        date(p.last_day, lang)
    );
    if let Some(org) = &report.organisation {
        title.push_str(&format!(" · {org}"));
    }
    let scope = match &report.organisation {
        Some(org) => format!("{} {org}. ", lang.pick("Organisation", "Organisasjon")),
        None => lang.pick("All organisations. ", "Alle organisasjoner. ").to_string(),
    };
    let description = Text::plain(scope)
        .push(lang.pick("Figures as of ", "Tall per "))
        .time(report.as_of, TimeStyle::Full)
        .push(format!(" ({}).", p.zone));
    let mut fields: Vec<Field> = overall_rows(report)
        .map(|row| Field::new(row_name(row, lang), row_value(row, lang)))
        .collect();
    if report.organisation.is_none() {
        fields.extend(organisations_field(report, lang));
    }
    fields.extend(breached_field(&report.breached, lang));
    fields.extend(packs_field(&report.packs, lang));
    Card {
        title: Text::plain(title),
        description: Some(description),
        fields,
        footer: Some(Text::plain(lang.pick(
            "% met = met / (met + breached); times on each incident's own clock (business hours unless 24x7).",
            "% overholdt = overholdt / (overholdt + frist brutt); tider på hendelsens egen klokke (arbeidstid unntatt døgnet rundt (24/7)).",
        ))),
    }
}

/// The rows over all organisations (or the one asked): A, B, C, then all severities.
fn overall_rows(report: &SlaReport) -> impl Iterator<Item = &SlaRow> {
    report.rows.iter().filter(|r| r.organisation.is_none())
}

fn row_name(row: &SlaRow, lang: Language) -> String {
    match row.severity {
        Some(severity) => format!("{} {severity}", Label::SeverityShort.words(lang)),
        None => lang.pick("All severities", "Alle alvorlighetsgrader").to_string(),
    }
}

/// "3 opened · 2 met · 1 breached · 0 waiting" and "66.7 % met · median 1 h 5 min · p90 2 h".
fn row_value(row: &SlaRow, lang: Language) -> String {
    let times = [("median", row.median_response_secs), ("p90", row.p90_response_secs)]
        .into_iter()
        .filter_map(|(name, secs)| secs.map(|s| format!(" · {name} {}", span(Duration::seconds(s), lang))))
        .collect::<String>();
    format!("{}\n{}{times}", counts(&row.counts, lang), pct_met(row.pct_met, lang))
}

fn counts(c: &Counts, lang: Language) -> String {
    match lang {
        Language::En => format!(
            "{} opened · {} met · {} breached · {} waiting",
            c.opened, c.met, c.breached, c.waiting
        ),
        Language::No => format!(
            "{} {} · {} overholdt · {} frist brutt · {} venter på første svar",
            c.opened,
            if c.opened == 1 { "ny hendelse" } else { "nye hendelser" },
            c.met,
            c.breached,
            c.waiting
        ),
    }
}

fn pct_met(pct: Option<f64>, lang: Language) -> String {
    match (pct, lang) {
        (None, _) => lang
            .pick(
                "% met: none met or breached yet",
                "% overholdt: ingen overholdt eller frist brutt ennå",
            )
            .to_string(),
        (Some(p), Language::En) => format!("{p:.1} % met"),
        (Some(p), Language::No) => format!("{} % overholdt", format!("{p:.1}").replace('.', ",")),
    }
}

/// Each organisation's totals, one line each.
fn organisations_field(report: &SlaReport, lang: Language) -> Option<Field> {
    let lines: Vec<String> = report
        .rows
        .iter()
        .filter(|r| r.severity.is_none())
        .filter_map(|r| {
            let org = r.organisation.as_ref()?;
            Some(format!(
                "{org}: {} · {}",
                counts(&r.counts, lang),
                pct_met(r.pct_met, lang)
            ))
        })
        .collect();
    (!lines.is_empty()).then(|| Field::new(lang.pick("Per organisation", "Per organisasjon"), lines.join("\n")))
}

/// The breached incidents with how late, the first few of them.
fn breached_field(list: &[BreachedIncident], lang: Language) -> Option<Field> {
    if list.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = list
        .iter()
        .take(LISTED)
        .map(|b| {
            let late = span(Duration::seconds(b.late_secs), lang);
            let answer = match b.responded_at {
                Some(_) => "",
                None => lang.pick(", no first response yet", ", venter på første svar"),
            };
            let late_words = lang.pick("late", "for sent");
            format!(
                "{} · {} · {} {}: {late} {late_words}{answer}",
                b.number,
                b.organisation,
                Label::SeverityShort.words(lang),
                b.severity
            )
        })
        .collect();
    if list.len() > LISTED {
        lines.push(format!("{} {}", lang.pick("… and", "… og"), list.len() - LISTED));
    }
    let name = format!("{} ({})", lang.pick("Breached", "Frist brutt"), list.len());
    Some(Field::new(name, lines.join("\n")))
}

/// Packs with units left that expire within 30 days of the period's end (P-PLAN-2).
fn packs_field(packs: &[PackUsage], lang: Language) -> Option<Field> {
    let soon: Vec<String> = packs
        .iter()
        .filter(|p| p.expiring_soon)
        .take(LISTED)
        .map(|p| {
            let left = units_left(u32::try_from(p.units_left.max(0)).unwrap_or(u32::MAX), lang);
            let expires = p
                .expires_on
                .map(|d| format!(", {} {}", Label::Expires.words(lang), date(d, lang)))
                .unwrap_or_default();
            format!("{} · {}: {left}{expires}", p.entitlement, p.organisation)
        })
        .collect();
    let name = match lang {
        Language::En => format!("Packs expiring within {EXPIRY_WARNING_DAYS} days"),
        Language::No => format!("Pakker som utløper innen {EXPIRY_WARNING_DAYS} dager"),
    };
    (!soon.is_empty()).then(|| Field::new(name, soon.join("\n")))
}
