//! A report as a message: the card in the reader's language, the chart (PNG) and the figures
//! (CSV) as files. The same message answers `/report sla` and makes the Monday post.

use super::ReportFailure;
use crate::reply::{Attachment, Message, Text};
use crate::say::report_card;
use intakebot_core::language::Language;
use intakebot_report::{chart_png, csv_rows, SlaReport};

pub(crate) fn report_message(report: &SlaReport, text: Text, lang: Language) -> Result<Message, ReportFailure> {
    let stem = file_stem(report);
    let files = vec![
        Attachment {
            filename: format!("{stem}.png"),
            bytes: chart_png(report)?,
        },
        Attachment {
            filename: format!("{stem}.csv"),
            bytes: csv_rows(report)?.into_bytes(),
        },
    ];
    Ok(Message {
        text,
        cards: vec![report_card(report, lang)],
        files,
        ..Message::default()
    })
}

/// `sla-report-2027-03-01-2027-03-07` (and `-contoso` for one organisation): ASCII, so a
/// filename Discord and every file system take as it is.
fn file_stem(report: &SlaReport) -> String {
    let p = &report.period;
    let mut stem = format!(
        "sla-report-{}-{}",
        p.from.format("%Y-%m-%d"),
        p.last_day.format("%Y-%m-%d")
    );
    if let Some(org) = &report.organisation {
        let safe: String = org
            .as_str()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        stem.push('-');
        stem.push_str(&safe);
    }
    stem
}
