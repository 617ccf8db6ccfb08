//! Benchmarks of the foundation: load and index, one point → county, 1,000,000 points →
//! counts, contiguity. Targets (2-core machine): ≤ 150 ms, ≤ 0.3 µs, ≤ 100 ms.
//!
//! `cargo bench --bench spatial`

use county_atlas::atlas::Atlas;
use county_atlas::crs::LonLat;
use county_atlas::spatial::{Contiguity, ContiguityKind, SpatialIndex};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use geo::MultiPolygon;
use std::hint::black_box;
use std::time::Duration;

/// Seeded uniform points over Sichuan's bounding box (SplitMix64, so no rand dependency).
fn sichuan_points(n: usize, seed: u64) -> Vec<LonLat> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| [97.35 + next() * 11.2, 26.05 + next() * 8.3])
        .collect()
}

fn load_and_index(c: &mut Criterion) {
    c.bench_function("load_and_index", |b| {
        b.iter(|| {
            let atlas = Atlas::builtin().unwrap();
            let index = SpatialIndex::build(&atlas);
            black_box((atlas, index))
        })
    });
    c.bench_function("load_atlas_only", |b| {
        b.iter(|| black_box(Atlas::builtin().unwrap()))
    });
}

fn point_to_county(c: &mut Criterion) {
    let atlas = Atlas::builtin().unwrap();
    let index = SpatialIndex::build(&atlas);
    let points = sichuan_points(1 << 16, 1);
    let mut i = 0;
    c.bench_function("point_to_county", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 16) - 1);
            black_box(index.unit_at(black_box(points[i])))
        })
    });
}

fn million_points(c: &mut Criterion) {
    let atlas = Atlas::builtin().unwrap();
    let index = SpatialIndex::build(&atlas);
    let points = sichuan_points(1_000_000, 2);
    let mut group = c.benchmark_group("points_1m");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("count", |b| {
        b.iter(|| black_box(index.count(black_box(&points))))
    });
    group.finish();
}

fn contiguity(c: &mut Criterion) {
    let atlas = Atlas::builtin().unwrap();
    let polygons: Vec<&MultiPolygon<f64>> = atlas.units().iter().map(|u| &u.geometry).collect();
    let mut group = c.benchmark_group("contiguity");
    group.sample_size(30);
    for kind in [ContiguityKind::Queen, ContiguityKind::Rook] {
        group.bench_function(format!("{kind:?}").to_lowercase(), |b| {
            b.iter_batched(
                || (),
                |()| black_box(Contiguity::build(&polygons, kind)),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    load_and_index,
    point_to_county,
    million_points,
    contiguity
);
criterion_main!(benches);
