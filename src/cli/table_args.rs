//! How to read a user's county table, shared by `check` and the map commands' `--data`.

use clap::Args;
use county_atlas::format::terminal_safe;
use county_atlas::io::county_table::{Report, TableOptions};
use county_atlas::io::text::TextEncoding;
use std::io::Write;

/// The reading options of a county table.
#[derive(Clone, Debug, Args)]
pub struct TableArgs {
    /// The sheet of a workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The layer or table of a GeoPackage, KML or PostGIS source (`--data "PG:host=...
    /// dbname=..." --table T`; default: the only one). Needs the `gdal` feature.
    #[arg(long)]
    pub table: Option<String>,
    /// The county column (guessed from adcode, 代码, name, 名称, 县区, ... when not given).
    #[arg(long = "key-col")]
    pub key_col: Option<String>,
    /// The year column of a long table (guessed from year, 年份, 年度 when not given).
    #[arg(long = "year-col")]
    pub year_col: Option<String>,
    /// The text encoding of a CSV file: utf-8, utf-16le, utf-16be or gb18030 (gbk); decided
    /// from the bytes when not given.
    #[arg(long, value_parser = encoding)]
    pub encoding: Option<TextEncoding>,
    /// The sidecar file saying what the data is (names, units, years, source document);
    /// default: TABLE.atlas.toml beside the table, where there is one.
    #[arg(long)]
    pub meta: Option<std::path::PathBuf>,
    /// The values are amounts (counts, totals), not rates (guessed from units such as 万元,
    /// 个, 人 when not given).
    #[arg(long)]
    pub amounts: bool,
}

impl TableArgs {
    /// The reader's options for these arguments, the value columns and the default year.
    pub fn options(&self, columns: Vec<String>, year: Option<i32>) -> TableOptions {
        TableOptions {
            columns,
            key_column: self.key_col.clone(),
            year_column: self.year_col.clone(),
            year,
            amounts: self.amounts,
            sheet: self.sheet.clone(),
            table: self.table.clone(),
            encoding: self.encoding,
            metadata: self.meta.clone(),
        }
    }
}

fn encoding(text: &str) -> Result<TextEncoding, String> {
    TextEncoding::parse(text).ok_or_else(|| {
        "须为 utf-8、utf-16le、utf-16be 或 gb18030 / must be utf-8, utf-16le, utf-16be or gb18030"
            .to_owned()
    })
}

/// Writes the report's lines, text from the file escaped for the terminal.
pub fn write_report(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for line in report.lines() {
        writeln!(out, "{}", terminal_safe(&line))?;
    }
    Ok(())
}
