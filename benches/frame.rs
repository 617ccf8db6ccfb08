//! Frame benchmark: the map at 1920×1080 rendered offscreen through the same pipelines as the
//! window, full resolution (279k triangles, 160k border segments).
//!
//! * `frame/cpu`: CPU time of the rendering thread per frame (uniforms, point instances,
//!   command encoding, submit), measured with the thread's CPU clock so that the GPU's (or
//!   lavapipe's worker threads') rasterisation is not counted. Target: ≤ 1 ms.
//! * `frame/total`: wall time per frame including waiting for the GPU to finish: the frame
//!   time of the device (on lavapipe, CPU rasterisation).
//!
//! `cargo bench --bench frame`

use county_atlas::atlas::Atlas;
use county_atlas::render::offscreen::{FORMAT, Gpu, Target};
use county_atlas::render::{
    FrameParams, LineBuffers, MapRenderer, PointInstance, choropleth_tables,
};
use county_atlas::scene::{Camera, Choropleth, MapGeometry, MapSpec, Theme};
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
    let geometry = MapGeometry::build(&atlas);
    let gpu = Gpu::headless().expect("a wgpu adapter (install mesa-vulkan-drivers)");
    eprintln!(
        "adapter: {} ({:?}, {:?})",
        gpu.info.name, gpu.info.backend, gpu.info.device_type
    );
    let theme = Theme::default();
    let mut renderer = MapRenderer::new(
        &gpu.device,
        &gpu.queue,
        (FORMAT, 1),
        LineBuffers::for_adapter(&gpu.info),
        &geometry,
        &theme,
    );
    let layer = atlas.layer("population_density").expect("layer");
    let choropleth = Choropleth::new(&atlas, layer, &MapSpec::default()).expect("classes");
    let (colours, unit_flags) = choropleth_tables(&choropleth, theme.no_data);
    renderer.set_unit_tables(&gpu.queue, &colours, &unit_flags);
    let size = [f64::from(WIDTH), f64::from(HEIGHT)];
    let camera = Camera::fit(geometry.bounds, size, 30.0);
    let frame = FrameParams {
        centre: geometry.to_scene(camera.centre),
        metres_per_pixel: camera.metres_per_pixel as f32,
        viewport: [WIDTH as f32, HEIGHT as f32],
        hovered: Some(10),
        selected: Some(20),
        points: (0..12)
            .map(|i| PointInstance {
                centre: [100.0 + 60.0 * i as f32, 500.0],
                radius: 6.0,
            })
            .collect(),
        ..FrameParams::default()
    };
    let target = Target::new(&gpu.device, WIDTH, HEIGHT);
    (gpu, renderer, target, frame, camera, geometry.origin)
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

criterion_group!(benches, frames);
criterion_main!(benches);
