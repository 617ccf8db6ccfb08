use county_atlas::analysis::classify::Method;
use county_atlas::atlas::Atlas;
use county_atlas::render::offscreen::{Gpu, Target};
use county_atlas::render::{FrameParams, MapRenderer, flags};
use county_atlas::scene::{Camera, Choropleth, MapGeometry, Palette, Theme};
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let atlas = Atlas::builtin().unwrap();
    let geometry = MapGeometry::build(&atlas);
    let gpu = Gpu::headless().unwrap();
    println!(
        "adapter {:?} {:?} setup {:?}",
        gpu.info.name,
        gpu.info.backend,
        t.elapsed()
    );
    let theme = Theme::default();
    let t = Instant::now();
    let mut renderer = MapRenderer::new(
        &gpu.device,
        &gpu.queue,
        county_atlas::render::offscreen::FORMAT,
        1,
        &geometry,
        &theme,
    );
    let layer = atlas.layer("population_density").unwrap();
    let ch = Choropleth::new(&atlas, layer, 2020, Method::Quantile, 5, Palette::YlOrRd).unwrap();
    let colours: Vec<_> = ch
        .colours
        .iter()
        .map(|c| c.unwrap_or(theme.no_data))
        .collect();
    let fl: Vec<u8> = ch
        .colours
        .iter()
        .map(|c| if c.is_none() { flags::NO_DATA } else { 0 })
        .collect();
    renderer.set_unit_tables(&gpu.queue, &colours, &fl);
    let (w, h) = (1200u32, 900u32);
    let camera = Camera::fit(geometry.bounds, [w as f64, h as f64], 30.0);
    let centre = geometry.to_scene(camera.centre);
    let frame = FrameParams {
        centre,
        metres_per_pixel: camera.metres_per_pixel as f32,
        viewport: [w as f32, h as f32],
        pixels_per_point: 1.0,
        fill_opacity: 1.0,
        region_borders: true,
        overlay_outlines: false,
        hovered: None,
        selected: Some(10),
        points: vec![],
    };
    let target = Target::new(&gpu.device, w, h);
    let img = target
        .render(&gpu, &mut renderer, &frame, theme.background)
        .unwrap();
    println!("render {:?}", t.elapsed());
    let file = std::fs::File::create("/tmp/map.png").unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()
        .unwrap()
        .write_image_data(&img.rgba)
        .unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        target
            .render(&gpu, &mut renderer, &frame, theme.background)
            .unwrap();
        println!("frame {:?}", t.elapsed());
    }
}
