//! The validation report of a county table: what matched, what did not (with the closest
//! names), which cells are wrong, and what the reader noticed. The same report serves
//! `county-atlas check` (text or JSON), `--data` on every command, and the window.

use serde::Serialize;

/// How many rows are listed under `unmatched` and `errors`; the rest are counted.
pub const MAX_LISTED: usize = 200;

/// A row whose key names no county.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unmatched {
    /// 1-based line (the sheet's row for a workbook).
    pub line: u64,
    /// The key as written.
    pub text: String,
    /// Why it matched nothing.
    pub reason: String,
    /// The closest names, "名称 (adcode, 地市)".
    pub suggestions: Vec<String>,
}

/// A cell or row that cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowError {
    /// 1-based line.
    pub line: u64,
    /// The column's header, where one cell is at fault.
    pub column: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Something worth knowing that did not stop a row: an area that changed, a unit row passed
/// over, bytes that are no character.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    /// 1-based line, where one line is meant.
    pub line: Option<u64>,
    /// What was noticed.
    pub message: String,
}

/// How many of the atlas's counties have a value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Coverage {
    /// Counties with at least one value.
    pub n: usize,
    /// The atlas's counties.
    pub of: usize,
}

/// A year of a layer and how many counties have a value in it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearCount {
    /// The year (0 where the table names none).
    pub year: i32,
    /// Counties with a value.
    pub counties: usize,
}

/// One layer the table gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerSummary {
    /// The layer's id (`user:<indicator>`).
    pub id: String,
    /// The indicator's name.
    pub name: String,
    /// Its unit, where the table gives one.
    pub unit: Option<String>,
    /// Its years (0 where the table gives none), each with its counties' count.
    pub years: Vec<YearCount>,
    /// The columns it was read from.
    pub columns: Vec<String>,
}

/// What a report's row numbers count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    /// The file's lines (a workbook's sheet rows).
    #[default]
    Line,
    /// Features, 1-based, in the order the source gives them (GeoJSON, GDAL sources).
    Feature,
}

impl LayerSummary {
    /// Its years and their counties' counts: "2019: 4, 2020: 4", or "5" without a year.
    pub fn years_text(&self) -> String {
        self.years
            .iter()
            .map(|y| {
                if y.year == 0 {
                    y.counties.to_string()
                } else {
                    format!("{}: {}", y.year, y.counties)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The file read.
    pub file: String,
    /// The encoding of a text file ("UTF-8", "GB18030", ...), or "Excel" for a workbook.
    pub encoding: String,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// Every sheet of the workbook (empty for other files), so that another can be chosen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// What `line` counts in `unmatched`, `errors` and `notes`.
    pub numbering: Numbering,
    /// The key columns used.
    pub key_columns: Vec<String>,
    /// The year column of a long table.
    pub year_column: Option<String>,
    /// Data rows read (not counting the header, a unit row, or blank rows).
    pub rows: usize,
    /// Rows whose key matched a county.
    pub matched: usize,
    /// Counties with a value.
    pub coverage: Coverage,
    /// The layers read.
    pub layers: Vec<LayerSummary>,
    /// Rows whose key matched no county (the first [`MAX_LISTED`]).
    pub unmatched: Vec<Unmatched>,
    /// Unmatched rows in all.
    pub unmatched_count: usize,
    /// Cells and rows that cannot be used (the first [`MAX_LISTED`]).
    pub errors: Vec<RowError>,
    /// Errors in all.
    pub error_count: usize,
    /// What the reader noticed.
    pub notes: Vec<Note>,
}

impl Report {
    pub(super) fn new(file: String, encoding: String, sheet: Option<String>, of: usize) -> Self {
        Report {
            file,
            encoding,
            sheet,
            sheets: Vec::new(),
            numbering: Numbering::Line,
            key_columns: Vec::new(),
            year_column: None,
            rows: 0,
            matched: 0,
            coverage: Coverage { n: 0, of },
            layers: Vec::new(),
            unmatched: Vec::new(),
            unmatched_count: 0,
            errors: Vec::new(),
            error_count: 0,
            notes: Vec::new(),
        }
    }

    pub(super) fn unmatched(&mut self, entry: impl FnOnce() -> Unmatched) {
        self.unmatched_count += 1;
        if self.unmatched.len() < MAX_LISTED {
            self.unmatched.push(entry());
        }
    }

    /// Counts an error; its message is made only while errors are still listed.
    pub(super) fn error(
        &mut self,
        line: u64,
        column: Option<&str>,
        message: impl FnOnce() -> String,
    ) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED {
            self.errors.push(RowError {
                line,
                column: column.map(str::to_owned),
                message: message(),
            });
        }
    }

    pub(super) fn note(&mut self, line: Option<u64>, message: String) {
        if self.notes.len() < MAX_LISTED {
            self.notes.push(Note { line, message });
        }
    }

    /// The report as lines for a terminal or a panel: a summary, then each problem as
    /// `FILE:LINE: ...`, Chinese first. Text from the file is passed through
    /// [`crate::format::terminal_safe`] by the caller that prints it.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let at = |n: u64| match self.numbering {
            Numbering::Line => format!("{}:{n}", self.file),
            Numbering::Feature => format!("{} 要素 / feature {n}", self.file),
        };
        let read_as = match &self.sheet {
            Some(sheet) => format!("工作表“{sheet}” / sheet '{sheet}'"),
            None => format!("{} 编码 / {} encoding", self.encoding, self.encoding),
        };
        out.push(format!(
            "{}: {} 行,{} 行匹配,{}/{} 个县有数值({read_as})/ {} rows, {} matched, {} of {} counties with a value",
            self.file,
            self.rows,
            self.matched,
            self.coverage.n,
            self.coverage.of,
            self.rows,
            self.matched,
            self.coverage.n,
            self.coverage.of
        ));
        for layer in &self.layers {
            out.push(format!(
                "  {} [{}]{}: {}",
                layer.name,
                layer.id,
                layer
                    .unit
                    .as_ref()
                    .map(|u| format!(" ({u})"))
                    .unwrap_or_default(),
                layer.years_text()
            ));
        }
        for u in &self.unmatched {
            let suggestions = if u.suggestions.is_empty() {
                String::new()
            } else {
                format!(";是否为 / did you mean: {}", u.suggestions.join(", "))
            };
            out.push(format!(
                "{}: 未匹配 / unmatched: {}{suggestions}",
                at(u.line),
                u.reason
            ));
        }
        if self.unmatched_count > self.unmatched.len() {
            out.push(format!(
                "{}: 另有 {} 行未匹配 / {} more unmatched rows",
                self.file,
                self.unmatched_count - self.unmatched.len(),
                self.unmatched_count - self.unmatched.len()
            ));
        }
        for e in &self.errors {
            let column = e
                .column
                .as_ref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            out.push(format!("{}{column}: {}", at(e.line), e.message));
        }
        if self.error_count > self.errors.len() {
            out.push(format!(
                "{}: 另有 {} 处错误 / {} more errors",
                self.file,
                self.error_count - self.errors.len(),
                self.error_count - self.errors.len()
            ));
        }
        for n in &self.notes {
            match n.line {
                Some(line) => out.push(format!("{}: 注意 / note: {}", at(line), n.message)),
                None => out.push(format!("{}: 注意 / note: {}", self.file, n.message)),
            }
        }
        out
    }
}
