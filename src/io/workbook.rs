//! Excel and OpenDocument workbooks (.xlsx, .xls, .ods; read by calamine) for the table
//! readers: one sheet, from its header row, as the CSV text they already read, with the sheet's
//! row numbers kept for messages. Recognised by content, not by name: an .xlsx is a zip file,
//! an .xls an OLE compound file.

use std::fmt::Write;

/// What a workbook file starts with.
const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether `bytes` are a workbook (by their signature).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP) || bytes.starts_with(OLE)
}

/// One sheet as CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Every sheet of the workbook, in its order (a picker offers them).
    pub sheets: Vec<String>,
    /// Sheets in front of it without a header, passed over because no sheet was named.
    pub passed_over: Vec<String>,
    /// The rows from the header on, as CSV (cells with line breaks joined by spaces, so that
    /// each row is one line).
    pub csv: String,
    /// The sheet row (1-based, as Excel numbers them) of the header, the CSV's first line.
    pub header_row: u64,
}

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// calamine could not open it.
    #[error("无法读取工作簿 / the workbook cannot be read: {0}")]
    Unreadable(String),
    /// The sheet asked for does not exist.
    #[error("没有工作表“{name}”;工作表有:{} / no sheet named '{name}'; the sheets are: {}", sheets.join("、"), sheets.join(", "))]
    NoSuchSheet {
        /// The name asked for.
        name: String,
        /// The sheets there are.
        sheets: Vec<String>,
    },
    /// No row has two filled cells.
    #[error(
        "工作表“{0}”中没有表头(至少两个非空单元格的一行) / sheet '{0}' has no header (a row with at least two filled cells)"
    )]
    NoHeader(String),
}

/// The sheet `name` of the workbook in `bytes`, from its header: the first row with at least
/// two filled cells (title rows above it, typical of 统计年鉴 tables, are passed over). With no
/// name, the first sheet that has a header: a note sheet in front (说明, 填表说明) is passed
/// over and named in [`Sheet::passed_over`].
pub fn sheet_as_csv(bytes: Vec<u8>, name: Option<&str>) -> Result<Sheet, WorkbookError> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| WorkbookError::Unreadable(e.to_string()))?;
    let sheets = workbook.sheet_names();
    let candidates: Vec<String> = match name {
        Some(name) => vec![
            sheets
                .iter()
                .find(|s| s.trim() == name.trim())
                .cloned()
                .ok_or_else(|| WorkbookError::NoSuchSheet {
                    name: name.to_owned(),
                    sheets: sheets.clone(),
                })?,
        ],
        None if sheets.is_empty() => {
            return Err(WorkbookError::Unreadable(
                "没有工作表 / no sheets".to_owned(),
            ));
        }
        None => sheets.clone(),
    };
    let mut passed_over = Vec::new();
    for chosen in candidates {
        let range = workbook
            .worksheet_range(&chosen)
            .map_err(|e| WorkbookError::Unreadable(e.to_string()))?;
        let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
        let Some(header) = rows.iter().position(|row| filled(row) >= 2) else {
            passed_over.push(chosen);
            continue;
        };
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for row in &rows[header..] {
            // Writing to a Vec cannot fail.
            let _ = writer.write_record(row);
        }
        let csv = writer
            .into_inner()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        return Ok(Sheet {
            name: chosen,
            sheets,
            passed_over,
            csv,
            header_row: first_row + header as u64 + 1,
        });
    }
    Err(WorkbookError::NoHeader(passed_over.join("、")))
}

/// A cell as the CSV readers take it: whole numbers without a decimal point (an adcode stored
/// as the number 510104 reads "510104", not "510104.0"), other numbers in their shortest
/// exact form, text with line breaks made spaces, errors as Excel shows them.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", *f as i64)
        }
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        // A date is not a value: marked so, a value column's reader refuses it by its line,
        // and a key column matches no county.
        Data::DateTime(d) => format!("{}(日期/date)", d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            let mut text = String::new();
            let _ = write!(text, "{e}");
            text
        }
    }
}
