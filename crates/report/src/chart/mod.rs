//! The PNG chart: % met per severity per ISO week over the last 12 weeks with the 100 % line,
//! and the breaches per week as bars below it, sharing the weeks' axis.
//!
//! Drawn at 1100 × 700 px (11:7, about 2× Discord's chat preview of ~550 × 350) so that text of
//! 24-38 px stays 12-19 px in the preview and sharp when opened.

mod font;
mod header;
mod panels;
mod style;

use crate::error::ReportError;
use crate::figures::SlaReport;
use plotters::prelude::*;

pub const CHART_WIDTH: u32 = 1100;
pub const CHART_HEIGHT: u32 = 700;

/// Height of the title and legend band.
const HEADER_PX: u32 = 140;
/// Height of the % met panel; the breaches panel (with the week labels) takes the rest.
const PCT_PANEL_PX: u32 = 330;

/// The chart of `report.weeks` as PNG bytes.
pub fn chart_png(report: &SlaReport) -> Result<Vec<u8>, ReportError> {
    font::register()?;
    let mut rgb = vec![0u8; (CHART_WIDTH * CHART_HEIGHT * 3) as usize];
    draw(&mut rgb, report).map_err(ReportError::Chart)?;
    encode_png(&rgb)
}

fn draw(rgb: &mut [u8], report: &SlaReport) -> Result<(), String> {
    let root = BitMapBackend::with_buffer(rgb, (CHART_WIDTH, CHART_HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (head, body) = root.split_vertically(HEADER_PX);
    let (pct, bars) = body.split_vertically(PCT_PANEL_PX);
    header::draw(&head, report).map_err(|e| e.to_string())?;
    panels::pct_met(&pct, &report.weeks).map_err(|e| e.to_string())?;
    panels::breaches(&bars, &report.weeks).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, CHART_WIDTH, CHART_HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}
