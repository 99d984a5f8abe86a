//! The two panels on the weeks' axis: % met per severity (lines with markers, the 100 % line)
//! and breaches per week (bars with their counts).

use super::font::FAMILY;
use super::style::{self, Dash, Marker, BAR, GRID, LABEL_PX, LINE_PX, MARKER_PX, MUTED, TEXT, TICK_PX};
use crate::figures::WeekFigures;
use intakebot_core::severity::Severity;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
type Backend = BitMapBackend<'static>;
type DrawError = DrawingAreaErrorKind<<Backend as DrawingBackend>::ErrorType>;
type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Room for the y labels and the axis name, the same in both panels so the weeks line up.
const Y_LABELS_PX: u32 = 130;
const RIGHT_PX: u32 = 36;

pub(super) fn pct_met(area: &Area, weeks: &[WeekFigures]) -> Result<(), DrawError> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(RIGHT_PX)
        .margin_top(6)
        .y_label_area_size(Y_LABELS_PX)
        .build_cartesian_2d(-0.5..(weeks.len() as f64 - 0.5), -3.0..108.0)?;
    chart
        .configure_mesh()
        .x_labels(weeks.len())
        .y_labels(6)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| format!("{v:.0} %"))
        .y_desc("% met")
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FAMILY, TICK_PX).into_font().color(&TEXT))
        .axis_desc_style((FAMILY, LABEL_PX).into_font().color(&TEXT))
        .draw()?;
    let right = weeks.len() as f64 - 0.5;
    draw_segment(
        chart.plotting_area(),
        (-0.5, 100.0),
        (right, 100.0),
        BLACK,
        Dash::Dashed,
    )?;
    let mut any = false;
    for severity in Severity::ALL {
        any |= series(&mut chart, weeks, severity)?;
    }
    if !any {
        centred_note(&chart, "No incident answered or overdue in these 12 weeks")?;
    }
    Ok(())
}

/// One severity's line (broken where a week has no decided incident) and markers.
fn series(chart: &mut Chart, weeks: &[WeekFigures], severity: Severity) -> Result<bool, DrawError> {
    let points: Vec<Option<(f64, f64)>> = weeks
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let s = w.severities.iter().find(|s| s.severity == severity)?;
            s.pct_met.map(|p| (k as f64 + style::dodge(severity), p))
        })
        .collect();
    let (colour, dash) = (style::colour(severity), style::dash(severity));
    let area = chart.plotting_area();
    for pair in points.windows(2) {
        if let [Some(a), Some(b)] = pair {
            draw_segment(area, *a, *b, colour, dash)?;
        }
    }
    for p in points.iter().flatten() {
        draw_marker(area, *p, colour, style::marker(severity))?;
    }
    Ok(points.iter().any(Option::is_some))
}

pub(super) fn breaches(area: &Area, weeks: &[WeekFigures]) -> Result<(), DrawError> {
    let most = weeks.iter().map(|w| w.breaches).max().unwrap_or(0);
    let top = f64::from(nice_top(most));
    let labels: Vec<String> = weeks.iter().map(|w| w.week.label()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(RIGHT_PX)
        .margin_top(14)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(Y_LABELS_PX)
        .build_cartesian_2d(-0.5..(weeks.len() as f64 - 0.5), 0.0..top * 1.18)?;
    let label_of = |v: &f64| labels.get(v.round() as usize).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .x_labels(weeks.len())
        .y_labels(nice_top(most) as usize + 1)
        .x_label_formatter(&label_of)
        .y_label_formatter(&|v| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .y_desc("Breaches")
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FAMILY, TICK_PX).into_font().color(&TEXT))
        .axis_desc_style((FAMILY, LABEL_PX).into_font().color(&TEXT))
        .draw()?;
    let counts = (FAMILY, TICK_PX)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for (k, w) in weeks.iter().enumerate().filter(|(_, w)| w.breaches > 0) {
        let (x, n) = (k as f64, f64::from(w.breaches));
        chart.draw_series([Rectangle::new([(x - 0.32, 0.0), (x + 0.32, n)], BAR.filled())])?;
        chart.draw_series([Text::new(w.breaches.to_string(), (x, n + top * 0.03), counts.clone())])?;
    }
    if most == 0 {
        centred_note(&chart, "No breaches in these 12 weeks")?;
    }
    Ok(())
}

/// The y axis top for `n` bars: at least 4, else `n` rounded up to a multiple of a step that
/// gives at most 5 whole-number labels.
fn nice_top(n: u32) -> u32 {
    let step = n.div_ceil(4).max(1);
    (n.div_ceil(step) * step).max(4)
}

fn centred_note(chart: &Chart, note: &str) -> Result<(), DrawError> {
    let area = chart.plotting_area();
    let (x, y) = (area.get_x_range(), area.get_y_range());
    let at = ((x.start + x.end) / 2.0, (y.start + y.end) / 2.0);
    let font = (FAMILY, LABEL_PX)
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(note.to_string(), at, font))
}

/// A segment in `area`'s coordinates, solid, long-dashed or short-dashed.
pub(super) fn draw_segment<CT>(
    area: &DrawingArea<BitMapBackend, CT>,
    a: CT::From,
    b: CT::From,
    colour: RGBColor,
    dash: Dash,
) -> Result<(), DrawError>
where
    CT: CoordTranslate,
    CT::From: Clone + 'static,
{
    let line = colour.stroke_width(LINE_PX);
    match dash {
        Dash::Solid => area.draw(&PathElement::new(vec![a, b], line)),
        Dash::Dashed => area.draw(&DashedPathElement::new(vec![a, b], 16, 10, line)),
        Dash::Dotted => area.draw(&DashedPathElement::new(vec![a, b], 5, 7, line)),
    }
}

/// A filled marker centred on `at` in `area`'s coordinates.
pub(super) fn draw_marker<CT>(
    area: &DrawingArea<BitMapBackend, CT>,
    at: CT::From,
    colour: RGBColor,
    marker: Marker,
) -> Result<(), DrawError>
where
    CT: CoordTranslate,
    CT::From: Clone + 'static,
{
    let fill = colour.filled();
    let s = MARKER_PX as i32;
    match marker {
        Marker::Circle => area.draw(&Circle::new(at, MARKER_PX, fill)),
        Marker::Triangle => area.draw(&TriangleMarker::new(at, MARKER_PX + 3, fill)),
        Marker::Square => area.draw(&(EmptyElement::at(at) + Rectangle::new([(-s, -s), (s, s)], fill))),
    }
}
