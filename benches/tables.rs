//! Benchmarks of the county-table reader: a table the size of the province's (183 rows) read
//! and joined from CSV and from an Excel workbook, and 1,000,000 rows whose keys match no
//! county against 1,000,000 whose keys do (suggestions are sought once per distinct key, for
//! the first few only, so the two must cost about the same). Targets (2-core machine):
//! ≤ 5 ms (CSV), ≤ 30 ms (xlsx).
//!
//! `cargo bench --bench tables`

use county_atlas::atlas::Atlas;
use county_atlas::io::county_table::{TableOptions, read_county_table};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tables")
        .join(name)
}

fn county_183(c: &mut Criterion) {
    let atlas = Atlas::builtin().expect("atlas");
    let dir = tempfile::tempdir().expect("temp dir");
    // The same table as the workbook, as CSV: adcode, name, row number.
    let csv = dir.path().join("county_183.csv");
    let mut text = String::from("行政区划代码,县区,序号\n");
    for (i, unit) in atlas.units().iter().enumerate() {
        text.push_str(&format!("{},{},{}\n", unit.adcode, unit.name, i + 1));
    }
    std::fs::write(&csv, text).expect("write");
    let options = TableOptions::default();
    let mut group = c.benchmark_group("tables");
    group.bench_function("csv_183", |b| {
        b.iter(|| {
            let read = read_county_table(&csv, &atlas, &options).expect("read");
            assert_eq!(read.report.coverage.n, 183);
            black_box(read)
        })
    });
    let xlsx = fixture("county_183.xlsx");
    group.bench_function("xlsx_183", |b| {
        b.iter(|| {
            let read = read_county_table(&xlsx, &atlas, &options).expect("read");
            assert_eq!(read.report.coverage.n, 183);
            black_box(read)
        })
    });
    group.finish();
}

fn million_rows(c: &mut Criterion) {
    let atlas = Atlas::builtin().expect("atlas");
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, key: &dyn Fn(usize) -> String| {
        let path = dir.path().join(name);
        let mut text = String::with_capacity(24 << 20);
        text.push_str("name,value\n");
        for i in 0..1_000_000 {
            text.push_str(&key(i));
            text.push_str(&format!(",{}\n", i % 997));
        }
        std::fs::write(&path, text).expect("write");
        path
    };
    let names: Vec<String> = atlas.units().iter().map(|u| u.name.clone()).collect();
    // Known keys repeat (many rows per county, as a firm list keyed by county has); unknown
    // keys are 5,000 distinct misspellings.
    let known = write("known.csv", &|i| names[i % names.len()].clone());
    let unknown = write("unknown.csv", &|i| format!("无此县{}", i % 5000));
    let options = TableOptions::default();
    let mut group = c.benchmark_group("tables_1m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("known_keys", |b| {
        b.iter(|| black_box(read_county_table(&known, &atlas, &options).expect("read")))
    });
    group.bench_function("unknown_keys", |b| {
        b.iter(|| black_box(read_county_table(&unknown, &atlas, &options).expect("read")))
    });
    group.finish();
}

criterion_group!(benches, county_183, million_rows);
criterion_main!(benches);
