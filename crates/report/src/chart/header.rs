//! The title, the subtitle (scope, weeks, zone) and the legend, drawn by hand so each entry
//! shows the colour, the marker and the dash of its series.

use super::font::FAMILY;
use super::panels::{draw_marker, draw_segment};
use super::style::{self, BAR, LABEL_PX, MUTED, SUBTITLE_PX, TEXT, TITLE_PX};
use crate::figures::SlaReport;
use intakebot_core::severity::Severity;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
type DrawError = DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>;
type DrawResult = Result<(), DrawError>;

pub(super) fn draw(area: &Area, report: &SlaReport) -> DrawResult {
    let scope = report
        .organisation
        .as_ref()
        .map_or("All organisations".to_string(), |o| o.to_string());
    let title = format!("First responses met per week: {scope}");
    area.draw(&Text::new(title, (36, 16), (FAMILY, TITLE_PX).into_font().color(&TEXT)))?;
    let subtitle = match (report.weeks.first(), report.weeks.last()) {
        (Some(a), Some(b)) => format!(
            "{} ISO weeks, {}-W{:02} to {}-W{:02}, ending {} ({})",
            report.weeks.len(),
            a.week.year,
            a.week.week,
            b.week.year,
            b.week.week,
            report.period.last_day.format("%a %-d %b %Y"),
            report.period.zone
        ),
        _ => String::new(),
    };
    area.draw(&Text::new(
        subtitle,
        (36, 62),
        (FAMILY, SUBTITLE_PX).into_font().color(&MUTED),
    ))?;
    legend(area, report)
}

/// `● A  ▲ B  ■ C  - - 100 %  ▮ breaches`; a severity without any point in the 12 weeks says so.
fn legend(area: &Area, report: &SlaReport) -> DrawResult {
    let y = 112;
    let mut x = 36;
    let font = (FAMILY, LABEL_PX)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for severity in Severity::ALL {
        let colour = style::colour(severity);
        draw_segment(area, (x, y), (x + 56, y), colour, style::dash(severity))?;
        draw_marker(area, (x + 28, y), colour, style::marker(severity))?;
        let has_data = report.weeks.iter().any(|w| {
            w.severities
                .iter()
                .any(|s| s.severity == severity && s.pct_met.is_some())
        });
        let label = if has_data {
            format!("{severity}")
        } else {
            format!("{severity} (none)")
        };
        x += 66 + label_then_width(area, &label, (x + 66, y), &font)? + 40;
    }
    draw_segment(area, (x, y), (x + 56, y), BLACK, style::Dash::Dashed)?;
    x += 66 + label_then_width(area, "100 %", (x + 66, y), &font)? + 40;
    area.draw(&Rectangle::new([(x, y - 12), (x + 24, y + 12)], BAR.filled()))?;
    area.draw(&Text::new("breaches", (x + 36, y), font))
}

/// Draws `label` at `at` and returns its width in pixels.
fn label_then_width(area: &Area, label: &str, at: (i32, i32), font: &TextStyle) -> Result<i32, DrawError> {
    area.draw(&Text::new(label.to_string(), at, font.clone()))?;
    let (w, _) = area.estimate_text_size(label, font)?;
    Ok(w as i32)
}
