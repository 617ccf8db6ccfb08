//! Benchmarks of the innovation index (issue 15's figures, 2-core machine): the index of 183
//! counties × 20 indicators ≤ 1 ms; 10,000 Monte Carlo draws ≤ 0.5 s; one county's report as
//! PDF ≤ 0.3 s, and all 183 ≤ 20 s; the province's report (one page) beside them.
//!
//! The 20 indicators are seeded values (the built-in county layers are too few), with one
//! value in twenty missing so that the re-weighting runs; the reports use the example
//! definition on the built-in data.
//!
//! `cargo bench --bench index`

use county_atlas::analysis::composite::area_report::{Area, AreaReport};
use county_atlas::analysis::composite::report::{CountyReport, ReportContext};
use county_atlas::analysis::composite::{Engine, IndexData, IndexDefinition, IndexRun, compute};
use county_atlas::atlas::{Atlas, UnitId};
use county_atlas::export::area_report::area_page;
use county_atlas::export::report::{render_report, report_page, score_style};
use county_atlas::export::{ExportOptions, Format};
use county_atlas::scene::{MapGeometry, Theme, Workspace};
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Duration;

const UNITS: usize = 183;
const INDICATORS: usize = 20;

/// A definition of 20 indicators in four dimensions, and seeded values for them.
fn synthetic(aggregation: &str, outliers: &str) -> (IndexDefinition, IndexData) {
    let mut text = format!(
        "name = \"bench\"\nyear = 2020\n[method]\nnormalisation = \"minmax\"\naggregation = \"{aggregation}\"\noutliers = \"{outliers}\"\n"
    );
    for d in 0..4 {
        text.push_str(&format!(
            "[[dimension]]\nname = \"d{d}\"\nweight = {}\n",
            d + 1
        ));
    }
    for i in 0..INDICATORS {
        text.push_str(&format!(
            "[[indicator]]\nlayer = \"x{i}\"\ndimension = \"d{}\"\nweight = {}\ndirection = \"{}\"\n",
            i % 4,
            1 + i % 3,
            if i % 5 == 0 { "lower" } else { "higher" }
        ));
    }
    let def = IndexDefinition::parse(&text, &|_| true).expect("a definition");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let values = (0..INDICATORS)
        .map(|_| {
            (0..UNITS)
                .map(|_| {
                    let v = next();
                    (next() > 0.05).then(|| (v * 3.0).exp())
                })
                .collect()
        })
        .collect();
    let data = IndexData {
        values,
        regions: (0..UNITS).map(|u| Some(u % 5)).collect(),
        ..IndexData::default()
    };
    (def, data)
}

fn index(c: &mut Criterion) {
    let mut group = c.benchmark_group("index");
    let (def, data) = synthetic("arithmetic", "none");
    group.bench_function("compute_183x20", |b| {
        b.iter(|| black_box(compute(&def, &data).expect("an index")))
    });
    let (jrc, jrc_data) = synthetic("geometric", "jrc");
    group.bench_function("compute_183x20_geometric_jrc", |b| {
        b.iter(|| black_box(compute(&jrc, &jrc_data).expect("an index")))
    });
    let engine = Engine::new(&def, &data).expect("an engine");
    group.sample_size(20);
    group.bench_function("monte_carlo_10000", |b| {
        b.iter(|| black_box(engine.monte_carlo(10_000, 1)))
    });
    group.bench_function("sensitivity", |b| {
        b.iter(|| black_box(engine.sensitivity()))
    });
    group.finish();
}

fn reports(c: &mut Criterion) {
    let atlas = Atlas::builtin().expect("atlas");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/innovation-foundations.toml"
    ))
    .expect("the example");
    // The example's distance layer is computed; the benchmark keeps to built-in layers.
    let text = text.replace("access:hightech_zones_national", "population_density");
    let def = IndexDefinition::parse(&text, &|id| atlas.layer(id).is_some()).expect("definition");
    let lookup = |id: &str| atlas.layer(id);
    let run = IndexRun::new(&atlas, &lookup, def, None, Some((1000, 1))).expect("an index");
    let source = county_atlas::analysis::composite::StoredIndex {
        file: "innovation-foundations.toml".into(),
        text,
        year: run.definition.year,
        classes: None,
        draws: run.draws,
        from_year: None,
    };
    let geometry = MapGeometry::build(&atlas);
    let mut workspace = Workspace::new(atlas, geometry);
    workspace.set_index_layers(run.layers(), source);
    let theme = Theme::default();
    let style = score_style(&workspace, &theme).expect("style");
    let context = ReportContext::new(&run, workspace.index());
    let options = ExportOptions {
        format: Format::Pdf,
        ..ExportOptions::default()
    };
    let one = |unit: UnitId| {
        let report = CountyReport::new(&workspace.atlas, workspace.index(), &run, &context, unit);
        let page = report_page(&workspace, &report, &style, &options, &theme).expect("page");
        render_report(&workspace, &page, Format::Pdf, &theme).expect("pdf")
    };
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    let fucheng = workspace.atlas.resolve("涪城区").expect("涪城区").unit;
    group.bench_function("one_county_pdf", |b| b.iter(|| black_box(one(fucheng))));
    group.bench_function("province_pdf", |b| {
        b.iter(|| {
            let report = AreaReport::new(&workspace.atlas, &run, Area::Province);
            let page = area_page(&workspace, &report, &style, &options, &theme).expect("page");
            black_box(render_report(&workspace, &page, Format::Pdf, &theme).expect("pdf"))
        })
    });
    let units: Vec<UnitId> = workspace.atlas.units().iter().map(|u| u.id).collect();
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("all_183_pdf", |b| {
        b.iter(|| {
            let sizes: usize = units.par_iter().map(|&u| one(u).len()).sum();
            black_box(sizes)
        })
    });
    group.finish();
}

criterion_group!(benches, index, reports);
criterion_main!(benches);
