//! The chart's one font, DejaVu Sans, bundled in the binary (license: `fonts/LICENSE-DejaVu.txt`)
//! and registered with plotters once, so drawing never looks for a system font.

use crate::error::ReportError;
use plotters::style::{register_font, FontStyle};
use std::sync::OnceLock;

/// The family name the chart's text styles use (also plotters' default family).
pub(super) const FAMILY: &str = "sans-serif";

static DEJAVU_SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// Registers the font the first time; later calls return the first answer.
pub(super) fn register() -> Result<(), ReportError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ReportError::Chart("the bundled font does not parse".into()))
    }
}
