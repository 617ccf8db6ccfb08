//! Frame benchmark: the map at 1920×1080 rendered offscreen through the same pipelines as the
//! window, full resolution (279k triangles, 160k border segments).
//!
//! * `frame/cpu`: CPU time of the rendering thread per frame (uniforms, point instances,
//!   command encoding, submit), measured with the thread's CPU clock so that the GPU's (or
//!   lavapipe's worker threads') rasterisation is not counted. Target: ≤ 1 ms.
//! * `frame/total`: wall time per frame including waiting for the GPU to finish: the frame
//!   time of the device (on lavapipe, CPU rasterisation).
//! * `frame/compose`: what the window's UI thread spends per frame on the map before drawing:
//!   [`compose`] for a 1400×860 window over the whole province with names, two overlays and
//!   two point layers (names placed, points clustered, scale bar, north). With `frame/cpu`,
//!   the map's share of a frame's CPU time. Target for the two: ≤ 1 ms.
//!
//! `cargo bench --bench frame`

use county_atlas::atlas::Atlas;
use county_atlas::render::offscreen::{FORMAT, Gpu, Target};
use county_atlas::render::{FrameParams, MapRenderer, MissingLevel, PointInstance};
use county_atlas::scene::{
    Camera, Frame, MapDocument, MapGeometry, MapSpec, MapStyle, NameSizes, Overlay, OverlayStyle,
    Theme, Workspace, compose,
};
use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;

fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is valid on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn setup() -> (Gpu, MapRenderer, Target, FrameParams, Camera, [f64; 2]) {
    let atlas = Atlas::builtin().expect("atlas");
    let geometry = std::sync::Arc::new(MapGeometry::build(&atlas));
    let gpu = Gpu::headless().expect("a wgpu adapter (install mesa-vulkan-drivers)");
    eprintln!(
        "adapter: {} ({:?}, {:?})",
        gpu.info.name, gpu.info.backend, gpu.info.device_type
    );
    let theme = Theme::default();
    let mut renderer = MapRenderer::new(
        (&gpu.device, &gpu.queue),
        (FORMAT, 1),
        gpu.line_buffers,
        (std::sync::Arc::clone(&geometry), MissingLevel::Build),
        &theme,
    );
    let layer = atlas.layer("population_density").expect("layer");
    // Two overlays on, as a planner's map has them: a hatch and an outline.
    let doc = MapDocument {
        overlays: overlays(),
        ..MapDocument::of(MapSpec::default())
    };
    let style = MapStyle::new(&atlas, layer, &doc, &theme).expect("classes");
    renderer.set_unit_tables(&gpu.queue, &style.colours, &style.flags);
    let size = [f64::from(WIDTH), f64::from(HEIGHT)];
    let camera = Camera::fit(geometry.bounds, size, 30.0);
    let frame = FrameParams {
        centre: geometry.to_scene(camera.centre),
        metres_per_pixel: camera.metres_per_pixel as f32,
        viewport: [WIDTH as f32, HEIGHT as f32],
        overlay_outlines: style.overlay_outlines,
        hovered: Some(10),
        selected: Some(20),
        points: (0..12)
            .map(|i| {
                let (shape, fill) = theme.point_style(i);
                PointInstance {
                    centre: [100.0 + 60.0 * i as f32, 500.0],
                    radius: 6.0,
                    shape,
                    hollow: i % 2 == 0,
                    fill,
                }
            })
            .collect(),
        ..FrameParams::default()
    };
    let target = Target::new(&gpu.device, WIDTH, HEIGHT);
    (gpu, renderer, target, frame, camera, geometry.origin)
}

/// Two overlays on, as a planner's map has them: a hatch and an outline (whose list also
/// names a whole prefecture).
fn overlays() -> Vec<Overlay> {
    vec![
        Overlay {
            designation: "innovative_county".into(),
            style: OverlayStyle::Hatch,
        },
        Overlay {
            designation: "eco_demo".into(),
            style: OverlayStyle::Outline,
        },
    ]
}

fn composition(c: &mut Criterion) {
    let workspace = Workspace::builtin().expect("atlas");
    let theme = Theme::default();
    let doc = MapDocument {
        overlays: overlays(),
        point_layers: vec![
            "hightech_zones_national".into(),
            "hightech_zones_provincial".into(),
        ],
        ..MapDocument::default()
    };
    let layer = workspace.layer(&doc.map.layer).expect("layer");
    let style = MapStyle::new(&workspace.atlas, layer, &doc, &theme).expect("style");
    let size = [1400.0, 860.0];
    let camera = Camera::fit(workspace.geometry.bounds, size, 24.0);
    // egui measures text with its own font; the bundled font's widths are as good a stand-in.
    let measure = |text: &str, size: f32| [f64::from(size) * text.chars().count() as f64, 14.0];
    c.bench_function("frame/compose", |b| {
        b.iter(|| {
            let frame = Frame {
                camera,
                size,
                scale: 1.0,
                names: NameSizes {
                    unit: 12.0,
                    prefecture: 13.0,
                    backdrop: 14.0,
                },
                prefecture_names: false,
                selected: Some(county_atlas::atlas::UnitId(20)),
                backdrop_clear_of_edges: false,
                scale_bar_max: 140.0,
                measure: &measure,
                lang: county_atlas::i18n::Lang::Zh,
            };
            compose(&workspace, &style, &frame).labels.len()
        })
    });
}

fn frames(c: &mut Criterion) {
    let (gpu, mut renderer, target, mut frame, camera, origin) = setup();
    // Warm-up: pipelines compiled, buffers resident.
    for _ in 0..3 {
        target
            .render(&gpu, &mut renderer, &frame, Theme::default().background)
            .expect("render");
    }
    let background = Theme::default().background;
    let mut group = c.benchmark_group("frame");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("cpu", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for i in 0..iterations {
                // Pan a little each frame, as a user dragging the map would.
                frame.centre = [
                    (camera.centre[0] - origin[0]) as f32 + (i % 50) as f32 * 100.0,
                    (camera.centre[1] - origin[1]) as f32,
                ];
                let start = thread_cpu_time();
                target.draw(&gpu, &mut renderer, &frame, background);
                spent += thread_cpu_time() - start;
                // Let the device finish outside the measurement, so frames do not queue up.
                let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
            }
            spent
        })
    });
    group.bench_function("total", |b| {
        b.iter(|| {
            target.draw(&gpu, &mut renderer, &frame, background);
            gpu.device
                .poll(wgpu::PollType::wait_indefinitely())
                .expect("the device finishes");
        })
    });
    group.finish();
}

criterion_group!(benches, frames, composition);
criterion_main!(benches);
