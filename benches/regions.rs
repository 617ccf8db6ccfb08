//! Benchmarks of regional comparison and spatial statistics on the 183 counties: global
//! Moran's I and LISA with 999 permutations (queen weights), Getis-Ord G* with 999, Theil's
//! decomposition with 999 permutations, accessibility of every county to 10,000 points, and a
//! compare table. Targets (2-core machine): Moran ≤ 20 ms, LISA ≤ 100 ms, access ≤ 5 ms,
//! compare ≤ 1 ms.
//!
//! `cargo bench --bench regions`

use county_atlas::analysis::access::accessibility;
use county_atlas::analysis::autocorrelation::{getis_ord, local_moran, moran};
use county_atlas::analysis::group_compare::compare_groups;
use county_atlas::analysis::grouping::{BuiltinGrouping, Grouping};
use county_atlas::analysis::inequality::inequality;
use county_atlas::analysis::mapped::{MappedValues, Normalization};
use county_atlas::atlas::Atlas;
use county_atlas::spatial::{SpatialIndex, SpatialWeights, WeightsKind};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn statistics(c: &mut Criterion) {
    let atlas = Atlas::builtin().expect("atlas");
    let index = SpatialIndex::build(&atlas);
    let layer = atlas.layer("professional_share").expect("layer");
    let mapped = MappedValues::new(&atlas, layer, None, Normalization::None).expect("values");
    let (units, values) = mapped.with_values();
    let weights = SpatialWeights::build(&index, &units, WeightsKind::Queen);
    let mut group = c.benchmark_group("regions");
    group.bench_function("weights_queen", |b| {
        b.iter(|| black_box(SpatialWeights::build(&index, &units, WeightsKind::Queen)))
    });
    group.bench_function("weights_knn6", |b| {
        b.iter(|| {
            black_box(SpatialWeights::build(
                &index,
                &units,
                WeightsKind::Knn { k: 6 },
            ))
        })
    });
    group.bench_function("moran_999", |b| {
        b.iter(|| black_box(moran(&values, &weights, 999, 1).expect("moran")))
    });
    group.bench_function("lisa_999", |b| {
        b.iter(|| black_box(local_moran(&values, &weights, 999, 1).expect("lisa")))
    });
    group.bench_function("gstar_999", |b| {
        b.iter(|| black_box(getis_ord(&values, &weights, true, 999, 1).expect("gstar")))
    });
    let regions = Grouping::builtin(&atlas, BuiltinGrouping::Region);
    let of_unit: Vec<usize> = units
        .iter()
        .map(|u| regions.of_unit[u.index()].expect("every county in a region"))
        .collect();
    group.bench_function("theil_d_999", |b| {
        b.iter(|| {
            black_box(inequality(&values, None, Some((&of_unit, 5)), 999, 1).expect("inequality"))
        })
    });
    group.bench_function("compare_regions", |b| {
        b.iter(|| {
            black_box(
                compare_groups(&atlas, layer, None, Normalization::None, &regions, None)
                    .expect("compare"),
            )
        })
    });
    // 10,000 points on a grid over Sichuan's box.
    let points: Vec<[f64; 2]> = (0..100)
        .flat_map(|i| (0..100).map(move |j| [97.4 + i as f64 * 0.11, 26.0 + j as f64 * 0.08]))
        .collect();
    group.bench_function("access_10k_points", |b| {
        b.iter(|| black_box(accessibility(&atlas, &index, &points, 50.0)))
    });
    group.finish();
}

criterion_group!(benches, statistics);
criterion_main!(benches);
