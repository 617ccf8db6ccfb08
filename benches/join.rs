//! `county-atlas join` end to end: the release binary counting 1,000,000 seeded points of a
//! CSV file per county (start, atlas, index, the file streamed through, 183 counts written).
//! Target (2-core machine): ≤ 0.5 s, peak memory ≤ 200 MB; 5,000,000 points must not need
//! more memory than 1,000,000 (the file is streamed, never held). The peak resident memory
//! of each size is printed after the timing.
//!
//! `cargo bench --bench join`

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Writes `n` seeded points over Sichuan's bounding box (SplitMix64) as `id,lng,lat`.
fn write_points(path: &Path, n: usize) {
    let mut state = 0x5EED_u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "id,lng,lat").expect("write");
    for i in 0..n {
        writeln!(
            out,
            "{i},{:.6},{:.6}",
            97.35 + next() * 11.2,
            26.05 + next() * 8.3
        )
        .expect("write");
    }
}

/// Runs `join` on `path`; its peak resident memory in MB.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its resource usage"
)]
fn join_peak_mb(path: &Path) -> f64 {
    let child = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .arg("join")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not yet reaped; wait4 writes into values we own.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    assert_eq!(status, 0, "join failed");
    // ru_maxrss is in kilobytes on Linux.
    usage.ru_maxrss as f64 / 1024.0
}

fn join(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let million = dir.path().join("points_1m.csv");
    write_points(&million, 1_000_000);
    let mut group = c.benchmark_group("join");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("csv_1m_points_end_to_end", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
                .arg("join")
                .arg(&million)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("the binary runs");
            assert!(status.success());
        })
    });
    group.finish();
    let five = dir.path().join("points_5m.csv");
    write_points(&five, 5_000_000);
    println!(
        "join peak memory: 1,000,000 points {:.1} MB; 5,000,000 points {:.1} MB",
        join_peak_mb(&million),
        join_peak_mb(&five)
    );
}

criterion_group!(benches, join);
criterion_main!(benches);
