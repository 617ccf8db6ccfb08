//! Any bytes given as a county table (CSV in any encoding, a workbook, GeoJSON): the reader
//! returns a table or an error, never panics or hangs, and a table's report agrees with it.
#![no_main]

use county_atlas::atlas::Atlas;
use county_atlas::io::county_table::{TableOptions, read_county_table_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| Atlas::builtin().expect("the embedded atlas"))
}

fuzz_target!(|data: &[u8]| {
    // A path in a folder that holds no sidecar file.
    let path = Path::new("/nonexistent-county-atlas-fuzz/table.csv");
    if let Ok(table) = read_county_table_bytes(path, data.to_vec(), atlas(), &TableOptions::default()) {
        let report = &table.report;
        assert!(report.coverage.n <= report.coverage.of);
        assert!(report.matched <= report.rows);
        assert!(report.unmatched.len() <= report.unmatched_count);
        assert_eq!(table.layers.len(), report.layers.len());
        let _ = report.lines();
    }
});
