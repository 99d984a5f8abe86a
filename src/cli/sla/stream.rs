//! The `sla deadline` stream's input and output: lines split in the reader's own buffer and
//! instants printed into one reused buffer, so a line costs no allocation.

use super::rfc3339;
use crate::core::sla::UnixNanos;
use std::io::{self, BufRead, BufReader, Write};

/// How much is read from stdin, and written to stdout, at a time.
const CHUNK: usize = 64 * 1024;

/// Calls `each(line number, line)` for every line of `input`, trimmed of ASCII white space
/// (so `\r\n` ends a line too). Lines are borrowed from the reader's buffer; only a line that
/// straddles two reads is copied, into one reused buffer.
pub fn lines(input: impl BufRead, mut each: impl FnMut(usize, &[u8]) -> io::Result<()>) -> io::Result<()> {
    let mut input = BufReader::with_capacity(CHUNK, input);
    let mut carry = Vec::with_capacity(64);
    let mut n = 0;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            n += 1;
            if carry.is_empty() {
                each(n, rest[..end].trim_ascii())?;
            } else {
                carry.extend_from_slice(&rest[..end]);
                each(n, carry.trim_ascii())?;
                carry.clear();
            }
            rest = &rest[end + 1..];
        }
        carry.extend_from_slice(rest);
        input.consume(len);
    }
    if !carry.is_empty() {
        each(n + 1, carry.trim_ascii())?;
    }
    Ok(())
}

/// Buffered output of deadline lines.
pub struct Output<W: Write> {
    buf: Vec<u8>,
    out: W,
}

impl<W: Write> Output<W> {
    pub fn new(out: W) -> Self {
        Output {
            buf: Vec::with_capacity(CHUNK + rfc3339::MAX_LINE),
            out,
        }
    }

    /// Appends `t` and a newline.
    pub fn instant(&mut self, t: UnixNanos) -> io::Result<()> {
        let mut line = [0; rfc3339::MAX_LINE];
        let n = rfc3339::write_line(&mut line, t).ok_or_else(|| {
            // Unreachable from the SLA clock, whose answers end in 2101.
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} has no RFC 3339 form", t.to_datetime()),
            )
        })?;
        self.push(&line[..n])
    }

    /// Appends an empty line (the place of an input line without a deadline).
    pub fn empty_line(&mut self) -> io::Result<()> {
        self.push(b"\n")
    }

    fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is buffered and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }
}
