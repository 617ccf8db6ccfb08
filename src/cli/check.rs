//! `county-atlas check FILE`: read a county table as `--data` would and report what matched,
//! what did not (with the closest names), which cells are wrong, and what was noticed.

use super::table_args::{TableArgs, write_report};
use county_atlas::atlas::Atlas;
use county_atlas::io::county_table::read_county_table;
use std::io::Write;
use std::path::Path;

/// Reads `file` and writes its report, as text or JSON (keys `matched`, `unmatched`, `errors`,
/// `coverage`, `layers`, `notes`, ...).
pub fn run(
    atlas: &Atlas,
    file: &Path,
    columns: Vec<String>,
    year: Option<i32>,
    table: &TableArgs,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let read = read_county_table(file, atlas, &table.options(columns, year))?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &read.report)?;
        writeln!(out)?;
    } else {
        write_report(&read.report, out)?;
    }
    Ok(())
}
