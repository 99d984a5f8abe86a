//! Colours, markers and line styles: the Okabe-Ito palette (distinct for the common kinds of
//! colour blindness), and each severity told apart by marker and dash as well as by colour.

use intakebot_core::severity::Severity;
use plotters::style::RGBColor;

/// Okabe-Ito vermillion, blue and bluish green.
pub(super) fn colour(severity: Severity) -> RGBColor {
    match severity {
        Severity::A => RGBColor(213, 94, 0),
        Severity::B => RGBColor(0, 114, 178),
        Severity::C => RGBColor(0, 158, 115),
    }
}

/// How a severity's line is drawn besides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dash {
    Solid,
    /// Long dashes (B).
    Dashed,
    /// Short dashes (C).
    Dotted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Circle,
    Triangle,
    Square,
}

pub(super) fn dash(severity: Severity) -> Dash {
    match severity {
        Severity::A => Dash::Solid,
        Severity::B => Dash::Dashed,
        Severity::C => Dash::Dotted,
    }
}

/// Where a severity's points sit in a week (fraction of a week), so equal values stay visible.
pub(super) fn dodge(severity: Severity) -> f64 {
    match severity {
        Severity::A => -0.14,
        Severity::B => 0.0,
        Severity::C => 0.14,
    }
}

pub(super) fn marker(severity: Severity) -> Marker {
    match severity {
        Severity::A => Marker::Circle,
        Severity::B => Marker::Triangle,
        Severity::C => Marker::Square,
    }
}

/// The breach bars: Okabe-Ito reddish purple, apart from the three severities' colours.
pub(super) const BAR: RGBColor = RGBColor(204, 121, 167);
pub(super) const TEXT: RGBColor = RGBColor(20, 20, 20);
pub(super) const MUTED: RGBColor = RGBColor(100, 100, 100);
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);

/// Pixel sizes at the PNG's full size (1100 px wide); Discord shows it at about half.
pub(super) const TITLE_PX: u32 = 38;
pub(super) const SUBTITLE_PX: u32 = 26;
pub(super) const LABEL_PX: u32 = 26;
pub(super) const TICK_PX: u32 = 24;
pub(super) const LINE_PX: u32 = 4;
pub(super) const MARKER_PX: u32 = 8;
