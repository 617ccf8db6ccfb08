//! Export benchmarks: the briefing page of 2020 population density, A4 landscape.
//!
//! * `export/process_png_a4_300dpi`: the whole command, process start to file written
//!   (`county-atlas export --layer population_density --out x.png`, 3508 × 2480 px): atlas
//!   load, geometry, device, wgpu map, furniture, PNG encoding. Target on a 2-core machine with
//!   lavapipe: ≤ 0.25 s.
//! * `export/process_svg_a4`: the same for SVG. Target: ≤ 0.1 s.
//! * `export/png_a4_300dpi`, `export/svg_a4`, `export/pdf_a4`: one export inside a running
//!   process (atlas, geometry and device ready), as a batch or the window pays it.
//! * `export/process_png_a4_300dpi_compare_rings`: the whole command with the comparison by
//!   economic region beside the map and distance rings around 成都 (`--compare region
//!   --rings chengdu:50,100,200`). Target: as the plain page, ≤ 0.25 s.
//! * `…_overlays`: the same with two designation overlays (a hatch, and an outline whose list
//!   also names a whole prefecture) and two point layers, as the window can show them.
//!
//! `cargo bench --bench export`

use county_atlas::export::{ExportOptions, Exporter, Format};
use county_atlas::scene::{MapDocument, MapSpec, Overlay, OverlayStyle, Workspace};
use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;

/// The comparison by region beside the map and rings around 成都, of the `…_compare_rings`
/// cases.
const COMPARE_ARGS: [&str; 4] = ["--compare", "region", "--rings", "chengdu:50,100,200"];

/// The overlays and point layers of the `…_overlays` cases, as command-line arguments.
const OVERLAY_ARGS: [&str; 8] = [
    "--overlay",
    "innovative_county",
    "--overlay",
    "eco_demo:outline",
    "--points",
    "hightech_zones_national",
    "--points",
    "hightech_zones_provincial",
];

fn overlaid() -> MapDocument {
    MapDocument {
        overlays: vec![
            Overlay {
                designation: "innovative_county".into(),
                style: OverlayStyle::Hatch,
            },
            Overlay {
                designation: "eco_demo".into(),
                style: OverlayStyle::Outline,
            },
        ],
        point_layers: vec![
            "hightech_zones_national".into(),
            "hightech_zones_provincial".into(),
        ],
        ..MapDocument::of(MapSpec::default())
    }
}

fn in_process(c: &mut Criterion) {
    let workspace = Workspace::builtin().expect("atlas");
    let plain = MapDocument::of(MapSpec::default());
    let overlaid = overlaid();
    let mut exporter = Exporter::new(&workspace);
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for (doc, suffix) in [(&plain, ""), (&overlaid, "_overlays")] {
        for format in [Format::Png, Format::Svg, Format::Pdf] {
            let options = ExportOptions {
                format,
                ..ExportOptions::default()
            };
            // The first PNG opens the device; later ones reuse it.
            exporter.render(doc, &options).expect("export");
            let name = match format {
                Format::Png => "png_a4_300dpi",
                Format::Svg => "svg_a4",
                Format::Pdf => "pdf_a4",
            };
            group.bench_function(format!("{name}{suffix}"), |b| {
                b.iter(|| exporter.render(doc, &options).expect("export"))
            });
        }
    }
    group.finish();
}

fn process(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for (name, file, extra) in [
        ("process_png_a4_300dpi", "map.png", &[][..]),
        ("process_svg_a4", "map.svg", &[][..]),
        (
            "process_png_a4_300dpi_overlays",
            "map.png",
            &OVERLAY_ARGS[..],
        ),
        ("process_svg_a4_overlays", "map.svg", &OVERLAY_ARGS[..]),
        (
            "process_png_a4_300dpi_compare_rings",
            "map.png",
            &COMPARE_ARGS[..],
        ),
    ] {
        let out = dir.path().join(file);
        group.bench_function(name, |b| {
            b.iter(|| {
                let status = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
                    .args(["export", "--layer", "population_density"])
                    .args(extra)
                    .arg("--out")
                    .arg(&out)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("the binary runs");
                assert!(status.success());
            })
        });
    }
    group.finish();
}

criterion_group!(benches, process, in_process);
criterion_main!(benches);
