//! Line numbers of CSV records, for error messages.
//!
//! The `csv` crate's record positions sometimes start on the previous line's terminator
//! (after a header longer than its first buffer fill, the first record reports line 1), so
//! the line is recomputed from the byte offset: skip terminators, count newlines before.

/// Counts newlines incrementally, so numbering every record of a large file stays linear.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// A counter over the text the CSV reader reads.
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line where the record at `position` starts. Positions must not go
    /// backwards between calls.
    pub(crate) fn line_of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = (position.byte() as usize).min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\n' | b'\r') {
            start += 1;
        }
        if start >= self.byte {
            self.line += self.text[self.byte..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = start;
        }
        self.line
    }
}

/// Newline positions of a stream a CSV reader reads, kept only for the bytes it has read
/// ahead of the last record asked about, so that numbering the records of a file that is
/// never held whole takes constant memory.
#[derive(Clone, Default)]
pub(crate) struct StreamLines {
    state: std::rc::Rc<std::cell::RefCell<Tracked>>,
}

#[derive(Default)]
struct Tracked {
    /// Bytes read so far.
    read: u64,
    /// Whether the last byte read was a carriage return.
    last_was_cr: bool,
    /// Newlines read but not yet passed: their byte offset, and whether a '\r' precedes them.
    ahead: std::collections::VecDeque<(u64, bool)>,
    /// Newlines passed.
    passed: u64,
}

/// A reader that tells a [`StreamLines`] where its newlines are.
pub(crate) struct Tracking<R> {
    inner: R,
    lines: StreamLines,
}

impl<R: std::io::Read> std::io::Read for Tracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self.lines.state.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = state.read + i as u64;
            if b == b'\n' {
                let after_cr = if i == 0 {
                    state.last_was_cr
                } else {
                    buf[i - 1] == b'\r'
                };
                state.ahead.push_back((at, after_cr));
            }
        }
        if n > 0 {
            state.last_was_cr = buf[n - 1] == b'\r';
        }
        state.read += n as u64;
        Ok(n)
    }
}

impl StreamLines {
    /// Wraps `inner` so that its newlines are tracked.
    pub(crate) fn track<R: std::io::Read>(&self, inner: R) -> Tracking<R> {
        Tracking {
            inner,
            lines: self.clone(),
        }
    }

    /// The 1-based line of the record starting at `byte` (which may point at the previous
    /// line's terminator and blank lines after it, as the csv crate's positions do). Bytes
    /// must not go backwards between calls.
    pub(crate) fn line_of(&self, byte: u64) -> u64 {
        let mut state = self.state.borrow_mut();
        // Newlines before the position are passed; so are the terminators of blank lines the
        // reader skipped, which start at the position itself.
        let mut start = byte;
        while let Some(&(at, after_cr)) = state.ahead.front() {
            let terminator_here = at == start || (after_cr && at == start + 1);
            if at < start || terminator_here {
                state.ahead.pop_front();
                state.passed += 1;
                if terminator_here {
                    start = at + 1;
                }
            } else {
                break;
            }
        }
        state.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_records_after_a_long_header() {
        let header = format!("{}\n", vec!["column"; 40].join(","));
        let text = format!(
            "{header}{}\n{}\n",
            vec!["1"; 40].join(","),
            vec!["2"; 40].join(",")
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut lines = LineCounter::new(&text);
        let numbers: Vec<u64> = reader
            .records()
            .map(|r| lines.line_of(r.unwrap().position()))
            .collect();
        assert_eq!(numbers, vec![2, 3]);
    }

    #[test]
    fn streamed_records_are_numbered_past_blank_lines_and_crlf() {
        let text = "a,b\r\n1,2\r\n\r\n3,4\n\n\n5,\"x\ny\"\n6,7\n";
        let lines = StreamLines::default();
        let mut reader = csv::Reader::from_reader(lines.track(text.as_bytes()));
        let mut record = csv::ByteRecord::new();
        let mut numbers = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            numbers.push(lines.line_of(record.position().unwrap().byte()));
        }
        assert_eq!(numbers, vec![2, 4, 7, 9]);
    }
}
