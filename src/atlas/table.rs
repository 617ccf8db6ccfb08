//! A small CSV table reader for the atlas's own data files, with errors that name the file,
//! line and column.

use super::LoadError;
use crate::csv_lines::LineCounter;

/// A whole CSV file read into memory, with its header.
pub(crate) struct Table {
    file: String,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// One row of a [`Table`], with the line it came from.
pub(crate) struct Row<'t> {
    table: &'t Table,
    line: u64,
    record: &'t csv::StringRecord,
}

impl Table {
    /// Parses UTF-8 CSV text (a leading byte-order mark is ignored).
    pub(crate) fn parse(file: &str, text: &str) -> Result<Self, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let csv_error = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line());
            LoadError::Table {
                file: file.to_owned(),
                line,
                column: None,
                message: e.to_string(),
            }
        };
        let headers = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut rows = Vec::new();
        let mut lines = LineCounter::new(text);
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = lines.line_of(record.position());
            rows.push((line, record));
        }
        Ok(Self {
            file: file.to_owned(),
            headers,
            rows,
        })
    }

    /// The index of a required column.
    pub(crate) fn column(&self, name: &str) -> Result<usize, LoadError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| LoadError::MissingColumn {
                file: self.file.clone(),
                column: name.to_owned(),
                available: self.headers.clone(),
            })
    }

    /// The rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, record)| Row {
            table: self,
            line: *line,
            record,
        })
    }
}

impl<'t> Row<'t> {
    /// A cell, trimmed; empty cells are `None`.
    pub(crate) fn get(&self, column: usize) -> Option<&'t str> {
        self.record
            .get(column)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// A cell that must not be empty.
    pub(crate) fn required(&self, column: usize) -> Result<&'t str, LoadError> {
        self.get(column)
            .ok_or_else(|| self.error(column, "this cell is empty but is required".to_owned()))
    }

    /// A numeric cell; empty cells are `None`.
    pub(crate) fn number(&self, column: usize) -> Result<Option<f64>, LoadError> {
        match self.get(column) {
            None => Ok(None),
            Some(text) => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(self.error(
                    column,
                    format!("'{text}' is not a number; write a plain decimal such as 12.5"),
                )),
            },
        }
    }

    /// An error about one cell of this row.
    pub(crate) fn error(&self, column: usize, message: String) -> LoadError {
        LoadError::Table {
            file: self.table.file.clone(),
            line: self.line,
            column: self.table.headers.get(column).cloned(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_line_and_column() {
        let table = Table::parse("t.csv", "adcode,value\n510104,1.5\n510105,abc\n").unwrap();
        let value = table.column("value").unwrap();
        let rows: Vec<_> = table.rows().collect();
        assert_eq!(rows[0].number(value).unwrap(), Some(1.5));
        let err = rows[1].number(value).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv:3: column 'value': 'abc' is not a number; write a plain decimal such as 12.5"
        );
        let missing = table.column("year").unwrap_err().to_string();
        assert_eq!(
            missing,
            "t.csv:1: no column named 'year'; the header has: adcode, value"
        );
    }

    #[test]
    fn ragged_rows_are_an_error_with_a_line() {
        let err = Table::parse("t.csv", "a,b\n1,2\n3\n")
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("t.csv:3:"), "{err}");
    }
}
