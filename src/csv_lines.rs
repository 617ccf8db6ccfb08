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
}
