//! `intake explain --jsonl`: one message per stdin line, one JSON object per stdout line, for
//! operators checking patterns against a file of messages (issue 22).
//!
//! A line that cannot be read (not UTF-8) gets `{"line": N, "error": "…"}` and the stream goes
//! on; the run then ends with exit 1. One input buffer and one output buffer serve every line.

use super::explain::ExplainRecord;
use super::{IntakeCliError, IntakeOutcome};
use crate::core::intake::{explain, IntakeContext};
use crate::core::policy::Policy;
use serde::Serialize;
use std::io::{BufRead, BufWriter, Write};

/// The output is written in blocks of this size (stdout is line-buffered otherwise).
const OUT_BUFFER: usize = 1 << 16;

/// The object written for a line that cannot be read.
#[derive(Debug, Serialize)]
struct LineError {
    line: u64,
    error: String,
}

pub(super) fn run(
    ctx: &IntakeContext<'_>,
    policy: &Policy,
    mut stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<IntakeOutcome, IntakeCliError> {
    let mut out = BufWriter::with_capacity(OUT_BUFFER, out);
    let mut bytes = Vec::with_capacity(4096);
    let mut line = 0u64;
    let mut failed = false;
    loop {
        bytes.clear();
        if stdin.read_until(b'\n', &mut bytes).map_err(IntakeCliError::Stdin)? == 0 {
            break;
        }
        line += 1;
        let text = trim_line_end(&bytes);
        match std::str::from_utf8(text) {
            Ok(text) => {
                let reading = explain(text, ctx);
                let record = ExplainRecord {
                    line: Some(line),
                    ..ExplainRecord::new(&reading, policy)
                };
                serde_json::to_writer(&mut out, &record)?;
            }
            Err(e) => {
                failed = true;
                let error = format!("not UTF-8 text: invalid byte at offset {}", e.valid_up_to());
                serde_json::to_writer(&mut out, &LineError { line, error })?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed {
        IntakeOutcome::Failed
    } else {
        IntakeOutcome::Success
    })
}

/// The line without its `\n` or `\r\n`.
fn trim_line_end(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}
