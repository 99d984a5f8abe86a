//! `intake eval CORPUS`: reads a labelled corpus and prints how well the grammar reads it
//! (accuracy, per-category precision and recall, the misses); exit 1 below the floor.

use super::{IntakeCliError, IntakeOutcome};
use crate::core::intake::eval::{evaluate, parse_corpus};
use crate::core::intake::IntakeContext;
use std::io::Write;
use std::path::Path;

pub(super) fn run(path: &Path, ctx: &IntakeContext<'_>, out: &mut impl Write) -> Result<IntakeOutcome, IntakeCliError> {
    let text = std::fs::read_to_string(path).map_err(|error| IntakeCliError::CorpusFile {
        path: path.to_path_buf(),
        error,
    })?;
    let cases = parse_corpus(&text).map_err(|error| IntakeCliError::Corpus {
        path: path.to_path_buf(),
        error,
    })?;
    let report = evaluate(&cases, ctx);
    write!(out, "{report}")?;
    Ok(if report.meets_floor() {
        IntakeOutcome::Success
    } else {
        IntakeOutcome::Failed
    })
}
