//! The window's frame with the Compare panel open: CPU time of one UI frame (layout of the
//! top bar, the layers and profile panels, the Compare panel's table and chart, and the map's
//! composition) for each chart, against the same window with the panel closed. Measured with
//! the thread's CPU clock in an egui_kittest harness without a renderer, so the GPU's work is
//! not counted (benches/frame measures that). Target: ≤ 4 ms with every chart.
//!
//! `cargo bench --bench compare_panel`

use county_atlas::app::AtlasApp;
use county_atlas::scene::Workspace;
use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::time::Duration;

fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is valid on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn window() -> Harness<'static, AtlasApp> {
    let workspace = Arc::new(Workspace::builtin().expect("atlas"));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 860.0))
        .build_eframe(move |cc| AtlasApp::new(cc, workspace));
    harness.run();
    // A county selected: the profile panel shows, and the charts mark it.
    harness.state_mut().view.selected = Some("511529".into());
    harness.run();
    harness
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare_panel");
    let mut harness = window();
    group.bench_function("closed", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                harness.step();
            }
            thread_cpu_time() - start
        })
    });
    harness.get_by_label("区域比较").click();
    harness.run();
    for (chart, id) in [
        ("柱状图", "bars"),
        ("箱线图", "boxes"),
        ("直方图", "histogram"),
        ("莫兰散点图", "moran_scatter"),
        ("双图层散点", "two_layers"),
    ] {
        harness.get_by_label(chart).click();
        harness.run();
        group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let start = thread_cpu_time();
                for _ in 0..iters {
                    harness.step();
                }
                thread_cpu_time() - start
            })
        });
    }
    // Distance rings around each region's centre, over the map.
    harness.state_mut().view.doc.rings =
        county_atlas::scene::Rings::new(county_atlas::scene::RingsAround::Regions, &[50.0, 100.0]);
    harness.run();
    group.bench_function("two_layers_rings", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                harness.step();
            }
            thread_cpu_time() - start
        })
    });
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
