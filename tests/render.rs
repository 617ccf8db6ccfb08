//! The map renderer offscreen, on the real wgpu device (lavapipe without a GPU): the pixels
//! that come back must be the counties' class colours, no-data hatching, and the outlines.

use county_atlas::render::offscreen::{FORMAT, Gpu, Image, Target};
use county_atlas::render::{FrameParams, LineBuffers, MapPipelines, MapRenderer, MissingLevel};
use county_atlas::scene::{
    Camera, Choropleth, MapDocument, MapSpec, MapStyle, Rgba, Theme, Workspace,
};
use std::sync::{Arc, OnceLock};

const SIZE: [u32; 2] = [1200, 900];

fn data() -> Arc<Workspace> {
    static DATA: OnceLock<Arc<Workspace>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Workspace::builtin().expect("atlas")))
        .clone()
}

struct Rendered {
    image: Image,
    camera: Camera,
    choropleth: Choropleth,
}

fn render(layer: &str, selected: Option<u32>) -> Rendered {
    render_as(layer, selected, None)
}

/// A renderer with `layer`'s classes and a frame fitting Sichuan into [`SIZE`].
struct Scene {
    gpu: Gpu,
    renderer: MapRenderer,
    frame: FrameParams,
    camera: Camera,
    choropleth: Choropleth,
    background: Rgba,
}

impl Scene {
    /// Renders the scene's frame into a new `width` × `height` target.
    fn render(&mut self, (width, height): (u32, u32)) -> Image {
        Target::new(&self.gpu.device, width, height)
            .render(&self.gpu, &mut self.renderer, &self.frame, self.background)
            .expect("render")
    }
}

/// The scene of `layer` with `selected` outlined, line segments laid out as `lines` or as the
/// adapter prefers.
fn scene(layer: &str, selected: Option<u32>, lines: Option<LineBuffers>) -> Scene {
    let data = data();
    let theme = Theme::default();
    let gpu = Gpu::headless().expect("a wgpu adapter; install mesa-vulkan-drivers");
    let pipelines = MapPipelines::new(&gpu.device, FORMAT, 1, lines.unwrap_or(gpu.line_buffers));
    let mut renderer = MapRenderer::with_pipelines(
        pipelines,
        (&gpu.device, &gpu.queue),
        (Arc::clone(&data.geometry), MissingLevel::Build),
        &theme,
    );
    let layer = data.atlas.layer(layer).expect("layer");
    let year = layer.latest_year().expect("a year");
    let spec = MapSpec {
        layer: layer.id.clone(),
        year: Some(year),
        ..MapSpec::default()
    };
    let style = MapStyle::new(&data.atlas, layer, &MapDocument::of(spec), &theme).expect("classes");
    renderer.set_unit_tables(&gpu.queue, &style.colours, &style.flags);
    let choropleth = style.choropleth.expect("a choropleth");
    let camera = Camera::fit(
        data.geometry.bounds,
        [f64::from(SIZE[0]), f64::from(SIZE[1])],
        20.0,
    );
    let frame = FrameParams {
        centre: data.geometry.to_scene(camera.centre),
        metres_per_pixel: camera.metres_per_pixel as f32,
        viewport: [SIZE[0] as f32, SIZE[1] as f32],
        selected,
        ..FrameParams::default()
    };
    Scene {
        gpu,
        renderer,
        frame,
        camera,
        choropleth,
        background: theme.background,
    }
}

/// Renders with line segments laid out as `lines`, or as the adapter prefers.
fn render_as(layer: &str, selected: Option<u32>, lines: Option<LineBuffers>) -> Rendered {
    let Scene {
        gpu,
        mut renderer,
        frame,
        camera,
        choropleth,
        background,
    } = scene(layer, selected, lines);
    let target = Target::new(&gpu.device, SIZE[0], SIZE[1]);
    let image = target
        .render(&gpu, &mut renderer, &frame, background)
        .expect("render");
    Rendered {
        image,
        camera,
        choropleth,
    }
}

fn close(a: Rgba, b: Rgba) -> bool {
    a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 2)
}

fn pixel_at(r: &Rendered, world: [f64; 2]) -> Rgba {
    let s = r
        .camera
        .world_to_screen(world, [f64::from(SIZE[0]), f64::from(SIZE[1])]);
    r.image.pixel(s[0] as u32, s[1] as u32)
}

#[test]
fn each_county_is_filled_with_its_class_colour() {
    let data = data();
    let r = render("population_density", None);
    let mut checked = 0;
    for unit in data.atlas.units() {
        let anchor = data.geometry.labels().units[unit.id.index()];
        // Only where the county is wide enough that no border line reaches the anchor pixel.
        if anchor.clearance / r.camera.metres_per_pixel < 4.0 {
            continue;
        }
        let expected = r.choropleth.colours[unit.id.index()].expect("density covers every county");
        let got = pixel_at(&r, anchor.position);
        assert!(
            close(got, expected),
            "{}: pixel {got:?}, class colour {expected:?}",
            unit.name
        );
        checked += 1;
    }
    assert!(
        checked > 100,
        "only {checked} counties were wide enough to check"
    );
}

#[test]
fn outside_sichuan_shows_the_backdrop_and_the_background() {
    let theme = Theme::default();
    let r = render("population_density", None);
    let corner = r.image.pixel(3, 3);
    assert!(
        close(corner, theme.backdrop_fill) || close(corner, theme.background),
        "{corner:?}"
    );
    let backdrop = r
        .image
        .rgba
        .chunks(4)
        .filter(|p| close([p[0], p[1], p[2], p[3]], theme.backdrop_fill))
        .count();
    assert!(
        backdrop > 50_000,
        "neighbouring provinces cover much of the frame: {backdrop} px"
    );
}

#[test]
fn counties_without_data_are_hatched_not_drawn_as_the_lowest_class() {
    let data = data();
    let theme = Theme::default();
    // County GDP exists for 10 counties only: most of the map is "no data".
    let r = render("gdp", None);
    let lowest = r.choropleth.legend[0].colour;
    let shiqu = data
        .atlas
        .units()
        .iter()
        .find(|u| u.name == "石渠县")
        .expect("石渠县");
    assert!(r.choropleth.colours[shiqu.id.index()].is_none());
    let s = r.camera.world_to_screen(
        data.geometry.labels().units[shiqu.id.index()].position,
        [f64::from(SIZE[0]), f64::from(SIZE[1])],
    );
    let mut plain = 0;
    let mut hatch = 0;
    for dy in 0..24 {
        for dx in 0..24 {
            let p = r.image.pixel(s[0] as u32 + dx - 12, s[1] as u32 + dy - 12);
            assert!(
                !close(p, lowest),
                "a no-data pixel has the lowest class's colour"
            );
            plain += usize::from(close(p, theme.no_data));
            hatch += usize::from(p[0] < theme.no_data[0] - 30);
        }
    }
    assert!(
        plain > 200 && hatch > 30,
        "no-data base {plain} px, hatch {hatch} px"
    );
}

#[test]
fn the_selected_county_is_outlined() {
    let theme = Theme::default();
    let count = |r: &Rendered| {
        r.image
            .rgba
            .chunks(4)
            .filter(|p| close([p[0], p[1], p[2], p[3]], theme.selection.0))
            .count()
    };
    let plain = render("population_density", None);
    let selected = render("population_density", Some(0));
    assert_eq!(count(&plain), 0);
    assert!(
        count(&selected) > 60,
        "{} selection-coloured pixels",
        count(&selected)
    );
}

#[test]
fn a_renderer_uploads_the_level_it_draws_and_the_outlines_of_the_units_it_outlines() {
    let data = data();
    let mut scene = scene("population_density", Some(0), None);
    let image = scene.render((SIZE[0], SIZE[1]));
    let level = data
        .geometry
        .level_for(f64::from(scene.frame.metres_per_pixel));
    let tolerance = data.geometry.levels[level].tolerance;
    assert_eq!(scene.renderer.uploaded_levels(), vec![tolerance]);
    assert!(scene.renderer.draws_wanted_level());
    // Only the selected county's outline is on the device, at the level drawn.
    let own = data.geometry.levels[level].unit_outline(0).count() as u32;
    assert!(own > 10);
    assert_eq!(scene.renderer.outline_segments(), own);
    // Hovering another county adds its outline; the selection is kept.
    scene.frame.hovered = Some(5);
    let hovered = scene.render((SIZE[0], SIZE[1]));
    let theirs = data.geometry.levels[level].unit_outline(5).count() as u32;
    assert_eq!(scene.renderer.outline_segments(), own + theirs);
    assert_ne!(hovered, image, "the hovered county is outlined");
    // A close-up draws a finer level, uploaded beside the first.
    scene.frame.metres_per_pixel = 40.0;
    scene.render((64, 64));
    assert_eq!(scene.renderer.uploaded_levels(), vec![0.0, tolerance]);
}

#[test]
fn a_level_without_triangles_is_stood_in_for_until_they_are_made() {
    // As the window draws while its finer levels are triangulated on another thread.
    let data = data();
    let theme = Theme::default();
    let geometry = Arc::new(county_atlas::scene::MapGeometry::build_levels(
        &data.atlas,
        &county_atlas::scene::LEVEL_TOLERANCES,
    ));
    let gpu = Gpu::headless().expect("a wgpu adapter; install mesa-vulkan-drivers");
    let mut renderer = MapRenderer::new(
        (&gpu.device, &gpu.queue),
        (FORMAT, 1),
        gpu.line_buffers,
        (Arc::clone(&geometry), MissingLevel::StandIn),
        &theme,
    );
    let colours = vec![[200, 100, 50, 255]; data.atlas.units().len()];
    renderer.set_unit_tables(&gpu.queue, &colours, &vec![0; colours.len()]);
    let camera = Camera::fit(
        geometry.bounds,
        [f64::from(SIZE[0]), f64::from(SIZE[1])],
        20.0,
    );
    let mut frame = FrameParams {
        centre: geometry.to_scene(camera.centre),
        metres_per_pixel: camera.metres_per_pixel as f32,
        viewport: [SIZE[0] as f32, SIZE[1] as f32],
        ..FrameParams::default()
    };
    let target = Target::new(&gpu.device, SIZE[0], SIZE[1]);
    let draw = |renderer: &mut MapRenderer, frame: &FrameParams| {
        target
            .render(&gpu, renderer, frame, theme.background)
            .expect("render")
    };
    // Nothing is triangulated: the first frame makes the level it wants.
    draw(&mut renderer, &frame);
    let first = geometry.levels[geometry.level_for(f64::from(frame.metres_per_pixel))].tolerance;
    assert!(renderer.draws_wanted_level());
    assert_eq!(renderer.uploaded_levels(), vec![first]);
    // Zoomed in, the finest level has no triangles yet: the first level stands in, and the
    // counties are still filled.
    frame.metres_per_pixel = 40.0;
    assert_eq!(geometry.level_for(40.0), 0);
    let stand_in = draw(&mut renderer, &frame);
    assert!(!renderer.draws_wanted_level());
    assert_eq!(renderer.uploaded_levels(), vec![first]);
    let filled = |image: &Image| {
        image
            .rgba
            .chunks_exact(4)
            .filter(|p| close([p[0], p[1], p[2], p[3]], [200, 100, 50, 255]))
            .count()
    };
    assert!(filled(&stand_in) > 100_000, "{}", filled(&stand_in));
    // Once its triangles are made, the next frame draws it.
    geometry.levels[0].fills();
    let fine = draw(&mut renderer, &frame);
    assert!(renderer.draws_wanted_level());
    assert_eq!(renderer.uploaded_levels(), vec![0.0, first]);
    // The window draws from the device's copy: the CPU's triangles are gone, and the level
    // still counts as made (nothing triangulates it again).
    assert!(!geometry.levels[0].fills_held());
    assert!(geometry.levels[0].fills_ready());
    assert!(filled(&fine) > 100_000);
}

#[test]
fn a_one_level_geometry_matches_the_windows_and_builds_its_parts_on_demand() {
    let data = data();
    let window = &data.geometry;
    let tolerance = county_atlas::scene::LEVEL_TOLERANCES[2];
    let export = county_atlas::scene::MapGeometry::build_levels(&data.atlas, &[tolerance]);
    let level = window
        .levels
        .iter()
        .find(|l| l.tolerance == tolerance)
        .expect("the window has the level");
    assert_eq!(export.levels.len(), 1);
    assert_eq!(export.levels[0].unit_shapes, level.unit_shapes);
    assert_eq!(export.levels[0].border_lines, level.border_lines);
    // Triangles and label anchors, made on first use, are those the window built up front.
    assert_eq!(
        export.levels[0].fills().units.indices,
        level.fills().units.indices
    );
    assert_eq!(
        export.levels[0].fills().backdrop.positions,
        level.fills().backdrop.positions
    );
    assert_eq!(export.labels().units, window.labels().units);
    assert_eq!(export.labels().prefectures, window.labels().prefectures);
    assert_eq!(export.backdrop_labels, window.backdrop_labels);
}

#[test]
fn instanced_and_pulled_line_buffers_draw_the_same_pixels() {
    // Every border and a selection outline, once from instances and once pulled from a storage
    // buffer: the same quads, so the same pixels to the rounding of a level.
    let instanced = render_as("population_density", Some(7), Some(LineBuffers::Instanced));
    let pulled = render_as("population_density", Some(7), Some(LineBuffers::Pulled));
    let differences: Vec<u8> = instanced
        .image
        .rgba
        .chunks_exact(4)
        .zip(pulled.image.rgba.chunks_exact(4))
        .map(|(a, b)| {
            a.iter()
                .zip(b)
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0)
        })
        .filter(|&d| d > 0)
        .collect();
    // The software rasteriser rounds a few blended edge pixels differently by one level.
    assert!(differences.iter().all(|&d| d <= 1), "{differences:?}");
    assert!(
        differences.len() < 1_000,
        "{} pixels differ",
        differences.len()
    );
    // And the lines are there: county borders are white, the selection blue.
    let bluish = |p: &[u8]| p[2] > 150 && p[0] < 80;
    assert!(
        pulled
            .image
            .rgba
            .chunks_exact(4)
            .filter(|p| bluish(p))
            .count()
            > 60
    );
}

/// Pixels of `layer`'s whole view that differ when it is drawn as tiles cut at `cuts` (fractions
/// of the width and height), as a page's frame is drawn in strips or a page larger than the
/// device's textures in tiles: each tile sends the device only the runs of triangles and
/// segments that meet it, and its hatches start at the frame's corner, not the tile's.
fn tiles_differing(layer: &str, cuts: [u32; 2]) -> usize {
    let mut scene = scene(layer, Some(0), None);
    let [width, height] = SIZE;
    let whole = scene.render((width, height));
    let (tile_w, tile_h) = (width / cuts[0], height / cuts[1]);
    let mut differing = 0;
    for top in (0..height).step_by(tile_h as usize) {
        for left in (0..width).step_by(tile_w as usize) {
            let (w, h) = (tile_w.min(width - left), tile_h.min(height - top));
            let tile = Target::new(&scene.gpu.device, w, h);
            let region = [-(left as i32), -(top as i32), width as i32, height as i32];
            tile.draw_in(
                &scene.gpu,
                &mut scene.renderer,
                &scene.frame,
                scene.background,
                Some(region),
            );
            let image = tile.read(&scene.gpu).expect("read back");
            for y in 0..h {
                for x in 0..w {
                    if !close(image.pixel(x, y), whole.pixel(left + x, top + y)) {
                        differing += 1;
                    }
                }
            }
        }
    }
    differing
}

#[test]
fn tiles_drawn_apart_match_the_whole_view() {
    assert_eq!(
        tiles_differing("population_density", [2, 2]),
        0,
        "pixels differing between the tiles and the whole"
    );
}

#[test]
fn hatches_run_on_across_strips() {
    // Most prefectures have no R&D value in the latest year: hatched. Strips of 128 rows
    // (not a multiple of the hatch's 7 px period) must show one pattern.
    let differing = tiles_differing("rd_intensity", [1, 7]);
    assert_eq!(
        differing, 0,
        "pixels differing between the strips and the whole"
    );
}
