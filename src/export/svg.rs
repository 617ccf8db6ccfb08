//! The page as SVG: real text in the bundled font's family, vector shapes, the record in
//! `<metadata>`. The PDF is drawn from this same SVG, and the PNG rasterises its furniture
//! (everything but the map) over the map the GPU drew.

use super::page::{Align, Item, MapFrame, Page, Pattern, Rect};
use crate::scene::flags;
use crate::scene::geometry::BorderKind;
use crate::scene::{MapGeometry, Rgba, Theme};
use geo::{BoundingRect, MultiPolygon};
use std::fmt::Write;

/// The font families text asks for: the bundled subset first, then the common CJK system
/// fonts, for viewers of the SVG file that do not have it.
pub const FONT_FAMILIES: &str = "'Noto Sans SC Sichuan Subset', 'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// The id of the `<metadata>` element holding the record.
pub const RECORD_ID: &str = "county-atlas-record";

/// Whether the SVG carries the map itself or only what lies around and over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// The whole page (SVG and PDF).
    Everything,
    /// Furniture only, on a transparent page: the PNG's raster makes the paper and the map
    /// frame (drawn on the GPU) beneath it.
    Furniture,
    /// The whole page, to be rasterised on the CPU in place of the device: each pattern is one
    /// tile as large as its frame. A rasteriser may draw a tile at a whole number of pixels
    /// (resvg does), and repeating a rounded tile drifts the pattern off the device's by up to
    /// two pixels across a 72 dpi page; vector viewers tile exactly, so the files keep their
    /// small one-period tiles.
    RasterPage,
}

/// Writes the page as an SVG document, each map frame (the map, the inset) at the level of
/// detail drawing at `pixels_per_point` needs.
pub fn to_svg(
    page: &Page,
    geometry: &MapGeometry,
    pixels_per_point: f32,
    theme: &Theme,
    content: Content,
) -> String {
    let whole = content != Content::Furniture;
    let mut svg = String::with_capacity(if whole { 1 << 20 } else { 1 << 14 });
    let (w, h) = (page.width, page.height);
    // Writing into a String cannot fail.
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}pt" height="{}pt" viewBox="0 0 {} {}" font-family="{}">"#,
        num(w),
        num(h),
        num(w),
        num(h),
        escape(FONT_FAMILIES)
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(&page.title));
    let _ = writeln!(
        svg,
        r#"<metadata id="{RECORD_ID}">{}</metadata>"#,
        escape(&page.record.to_json())
    );
    swatch_patterns(&mut svg, page.map.line_scale, theme);
    if whole {
        svg.push_str(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        svg.push('\n');
        let tiles = match content {
            Content::RasterPage => Tiles::FrameSized,
            _ => Tiles::OnePeriod,
        };
        let level = page.map.level(geometry, pixels_per_point);
        map(&mut svg, &page.map, geometry, level, theme, "", tiles);
        if let Some(inset) = &page.inset {
            let level = inset.level(geometry, pixels_per_point);
            map(&mut svg, inset, geometry, level, theme, "inset-", tiles);
        }
    }
    for item in &page.items {
        furniture(&mut svg, item, theme);
    }
    svg.push_str("</svg>\n");
    svg
}

/// How large a map pattern's tile is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tiles {
    /// One period: small files, exact in vector viewers.
    OnePeriod,
    /// The whole frame: never repeated ([`Content::RasterPage`]).
    FrameSized,
}

/// The map: backdrop, units, borders, clipped to the frame; its clip path and patterns are
/// named with `ids` before their names (the page's map: none; the inset: `inset-`).
fn map(
    svg: &mut String,
    frame: &MapFrame,
    geometry: &MapGeometry,
    level: usize,
    theme: &Theme,
    ids: &str,
    tiles: Tiles,
) {
    let Some(level) = geometry.levels.get(level) else {
        return;
    };
    let Rect { x, y, w, h } = frame.rect;
    let s = frame.line_scale;
    let _ = writeln!(
        svg,
        r#"<defs><clipPath id="{ids}map-frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        num(x),
        num(y),
        num(w),
        num(h),
    );
    // The patterns start at the frame's corner, as the renderer's start at its target's.
    let periods = |period: f32| match tiles {
        Tiles::OnePeriod => 1,
        Tiles::FrameSized => (w.max(h) / period).ceil() as usize + 1,
    };
    let no_data = Stripes {
        period: 7.0 * s,
        width: 1.2 * s,
        rising: false,
    };
    no_data.pattern(
        svg,
        &format!("{ids}no-data"),
        (x, y),
        periods(no_data.period),
        Some(theme.no_data),
        theme.no_data_hatch,
    );
    patterns(
        svg,
        &format!("{ids}overlay"),
        (x, y),
        periods(8.0 * s),
        s,
        theme,
    );
    let _ = writeln!(
        svg,
        r#"<g clip-path="url(#{ids}map-frame)" stroke-linejoin="round" stroke-linecap="round">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
        num(x),
        num(y),
        num(w),
        num(h),
        colour(theme.background)
    );

    let _ = write!(
        svg,
        r#"<g fill="{}" stroke="{}" stroke-width="{}" stroke-linejoin="round">"#,
        colour(theme.backdrop_fill),
        colour(theme.backdrop_outline),
        num(0.8 * s)
    );
    // Only what meets the frame is written: an inset's frame shows a few districts of the
    // province's full-resolution shapes.
    let visible = frame.camera.visible([f64::from(w), f64::from(h)]);
    let meets = |shape: &MultiPolygon<f64>| {
        shape.bounding_rect().is_some_and(|r| {
            r.min().x <= visible.max[0]
                && r.max().x >= visible.min[0]
                && r.min().y <= visible.max[1]
                && r.max().y >= visible.min[1]
        })
    };
    let in_view: Vec<bool> = level.unit_shapes.iter().map(meets).collect();
    for shape in level.backdrop_shapes.iter().filter(|s| meets(s)) {
        svg.push_str("<path d=\"");
        path(svg, frame, shape);
        svg.push_str("\"/>");
    }
    svg.push_str("</g>\n");

    let fill_opacity = if frame.opacity < 1.0 {
        format!(r#" fill-opacity="{}""#, num(frame.opacity))
    } else {
        String::new()
    };
    let _ = write!(svg, r#"<g fill-rule="evenodd"{fill_opacity}>"#);
    for (unit, shape) in level
        .unit_shapes
        .iter()
        .enumerate()
        .filter(|(u, _)| in_view[*u])
    {
        let unit_flags = frame.flags.get(unit).copied().unwrap_or(0);
        let fill = if unit_flags & flags::NO_DATA != 0 {
            format!("url(#{ids}no-data)")
        } else {
            let c = frame.colours.get(unit).copied().unwrap_or(theme.no_data);
            colour(if unit_flags & flags::MUTED != 0 {
                muted(c)
            } else {
                c
            })
        };
        let _ = write!(svg, r#"<path fill="{fill}" d=""#);
        path(svg, frame, shape);
        svg.push_str("\"/>");
        if unit_flags & flags::NO_DATA != 0 && unit_flags & flags::MUTED != 0 {
            let _ = write!(
                svg,
                r#"<path fill="{}" fill-opacity="0.7" d=""#,
                colour([245, 245, 245, 255])
            );
            path(svg, frame, shape);
            svg.push_str("\"/>");
        }
    }
    svg.push_str("</g>\n");

    // Designations over the fills, as the renderer's overlay pass draws them.
    svg.push_str(r#"<g fill-rule="evenodd">"#);
    for (unit, shape) in level
        .unit_shapes
        .iter()
        .enumerate()
        .filter(|(u, _)| in_view[*u])
    {
        let unit_flags = frame.flags.get(unit).copied().unwrap_or(0);
        for (bit, pattern) in [
            (flags::OVERLAY_WIDE, "overlay-wide"),
            (flags::OVERLAY_HATCH, "overlay-designation"),
        ] {
            if unit_flags & bit != 0 {
                let _ = write!(svg, r#"<path fill="url(#{ids}{pattern})" d=""#);
                path(svg, frame, shape);
                svg.push_str("\"/>");
            }
        }
    }
    svg.push_str("</g>\n");

    for (kind, lines) in BorderKind::ALL.iter().zip(&level.border_lines) {
        let (c, width) = match kind {
            BorderKind::Region if !frame.region_borders => {
                theme.borders[BorderKind::Prefecture as usize]
            }
            BorderKind::County if frame.faint_county_borders => theme.faint_county_border,
            _ => theme.borders[*kind as usize],
        };
        let _ = write!(
            svg,
            r#"<path fill="none" stroke="{}"{} stroke-width="{}" stroke-linejoin="round" stroke-linecap="round" d=""#,
            colour(c),
            stroke_opacity(c),
            num(width * s)
        );
        // A line whose extent misses the frame cannot cross it.
        for line in lines.iter().filter(|line| {
            let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for p in line.iter() {
                for axis in 0..2 {
                    min[axis] = min[axis].min(p[axis]);
                    max[axis] = max[axis].max(p[axis]);
                }
            }
            min[0] <= visible.max[0]
                && max[0] >= visible.min[0]
                && min[1] <= visible.max[1]
                && max[1] >= visible.min[1]
        }) {
            polyline(svg, frame, line);
        }
        svg.push_str("\"/>\n");
    }
    if frame.overlay_outlines {
        let _ = write!(
            svg,
            r#"<g fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round">"#,
            colour(theme.overlay_outline),
            num(2.0 * s)
        );
        for (unit, shape) in level
            .unit_shapes
            .iter()
            .enumerate()
            .filter(|(u, _)| in_view[*u])
        {
            if frame
                .flags
                .get(unit)
                .is_some_and(|f| f & flags::OVERLAY_OUTLINE != 0)
            {
                svg.push_str("<path d=\"");
                path(svg, frame, shape);
                svg.push_str("\"/>");
            }
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n");
}

/// The designation patterns, ids `{prefix}-designation` (stripes) and `{prefix}-wide` (dots),
/// at the renderer's spacing scaled by `s`, starting at `origin`, tiles of `periods` dot
/// periods (or more stripe periods, to cover as much).
fn patterns(
    svg: &mut String,
    prefix: &str,
    origin: (f32, f32),
    periods: usize,
    s: f32,
    theme: &Theme,
) {
    let designation = Stripes {
        period: 9.0 * s,
        width: 1.6 * s,
        rising: true,
    };
    let stripe_periods = if periods == 1 {
        1
    } else {
        (periods as f32 * 8.0 / 9.0).ceil() as usize + 1
    };
    designation.pattern(
        svg,
        &format!("{prefix}-designation"),
        origin,
        stripe_periods,
        None,
        theme.overlay_hatch,
    );
    // Dots centred in each cell of the period's grid, as the renderer's `dots` draws them.
    let dot = 8.0 * s;
    let tile = dot * periods as f32;
    let mut d = String::new();
    let r = 1.4 * s;
    for row in 0..periods {
        for column in 0..periods {
            let (cx, cy) = ((column as f32 + 0.5) * dot, (row as f32 + 0.5) * dot);
            let _ = write!(
                d,
                "M{} {}a{} {} 0 1 0 {} 0a{} {} 0 1 0 {} 0",
                num(cx - r),
                num(cy),
                num(r),
                num(r),
                num(2.0 * r),
                num(r),
                num(r),
                num(-2.0 * r)
            );
        }
    }
    let _ = writeln!(
        svg,
        r#"<defs><pattern id="{prefix}-wide" patternUnits="userSpaceOnUse" x="{}" y="{}" width="{}" height="{}"><path d="{d}" fill="{}"{}/></pattern></defs>"#,
        num(origin.0),
        num(origin.1),
        num(tile),
        num(tile),
        colour(theme.overlay_hatch),
        opacity(theme.overlay_hatch),
    );
}

/// Diagonal stripes as the renderer's `stripes` draws them: centred where `x ± y` is an odd
/// multiple of half the `period` (measured along x from the pattern's origin), `width` wide
/// along x; rising to the right (`x + y`), or falling (`x - y`).
struct Stripes {
    period: f32,
    width: f32,
    rising: bool,
}

impl Stripes {
    /// Writes the pattern `id`, a square tile of `periods` periods with the stripes through it
    /// (drawn past its edges, so that tiles join without seams), over `ground` if given.
    fn pattern(
        &self,
        svg: &mut String,
        id: &str,
        origin: (f32, f32),
        periods: usize,
        ground: Option<Rgba>,
        ink: Rgba,
    ) {
        let p = self.period;
        let tile = p * periods as f32;
        let ground = ground
            .map(|c| {
                format!(
                    r#"<rect width="{}" height="{}" fill="{}"/>"#,
                    num(tile),
                    num(tile),
                    colour(c)
                )
            })
            .unwrap_or_default();
        // The centre lines crossing one tile: x + y = (k + 1/2) p for k from 0 (rising), or
        // x - y = (k + 1/2) p for k from -n (falling), each drawn well past the tile.
        let mut d = String::new();
        let n = periods as i32;
        let ks = if self.rising { 0..2 * n } else { -n..n };
        for k in ks {
            let c = (k as f32 + 0.5) * p;
            let reach = 2.0 * tile;
            let (x0, y0, x1, y1) = if self.rising {
                (c + reach, -reach, -reach, c + reach)
            } else {
                (c - reach, -reach, c + reach, reach)
            };
            let _ = write!(d, "M{} {}L{} {}", num(x0), num(y0), num(x1), num(y1));
        }
        let _ = writeln!(
            svg,
            r#"<defs><pattern id="{id}" patternUnits="userSpaceOnUse" x="{}" y="{}" width="{}" height="{}">{ground}<path d="{d}" fill="none" stroke="{}"{} stroke-width="{}"/></pattern></defs>"#,
            num(origin.0),
            num(origin.1),
            num(tile),
            num(tile),
            colour(ink),
            stroke_opacity(ink),
            // The stripe is `width` wide along x: across itself, a √2 less.
            num(self.width * std::f32::consts::FRAC_1_SQRT_2),
        );
    }
}

/// The legend swatches' patterns: no data, a designation, a whole prefecture.
fn swatch_patterns(svg: &mut String, s: f32, theme: &Theme) {
    // A third of the swatch's height (8.5 pt type, swatches 1.3 times as tall, on a line scale
    // of 0.8 per type unit).
    let period = 8.5 * 1.3 / 3.0 / 0.8 * s;
    let _ = writeln!(
        svg,
        r#"<defs><pattern id="swatch-no-data" patternUnits="userSpaceOnUse" width="{}" height="{}" patternTransform="rotate(45)"><rect width="{}" height="{}" fill="{}"/></pattern></defs>"#,
        num(period),
        num(period),
        num(period * 0.25),
        num(period),
        colour(theme.no_data_hatch)
    );
    patterns(svg, "swatch", (0.0, 0.0), 1, s, theme);
}

/// The mix the renderer's overlay pass gives a muted unit (70% of a light grey over it).
fn muted(c: Rgba) -> Rgba {
    let mix = |v: u8| (f32::from(v) * 0.3 + 245.0 * 0.7).round() as u8;
    [mix(c[0]), mix(c[1]), mix(c[2]), 255]
}

/// How far past the frame the map's shapes are kept, points: wider than any stroke, so the
/// edges the clip adds along it stay under the frame's own clip.
const CLIP_MARGIN: f32 = 8.0;

/// The frame grown by [`CLIP_MARGIN`]: what the map's shapes are cut to.
fn kept(frame: &MapFrame) -> Rect {
    let r = frame.rect;
    Rect {
        x: r.x - CLIP_MARGIN,
        y: r.y - CLIP_MARGIN,
        w: r.w + 2.0 * CLIP_MARGIN,
        h: r.h + 2.0 * CLIP_MARGIN,
    }
}

fn path(svg: &mut String, frame: &MapFrame, shape: &MultiPolygon<f64>) {
    let rect = kept(frame);
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let points: Vec<[f32; 2]> = ring.0.iter().map(|c| frame.to_page([c.x, c.y])).collect();
            points_d(
                svg,
                &super::clip::ring_in_rect(&points, rect),
                frame.min_step,
                true,
            );
        }
    }
}

/// Appends a line's parts within the frame (and its margin) as `M x y L …`.
fn polyline(svg: &mut String, frame: &MapFrame, points: &[[f64; 2]]) {
    let page: Vec<[f32; 2]> = points.iter().map(|p| frame.to_page(*p)).collect();
    for run in super::clip::polyline_in_rect(&page, kept(frame)) {
        points_d(svg, &run, frame.min_step, false);
    }
}

/// Appends `M x y L …` (and `Z` when closed), in page points at 0.1 pt, skipping vertices
/// within `min_step` of the previous one written (a line's last vertex is always written); a
/// ring left with fewer than three vertices is not written at all.
///
/// Tenths, not hundredths: a map's vertices are already up to `min_step` (0.1 pt or more) from
/// the simplified line, and the half tenth rounding adds, 0.018 mm, is a fifth of a 300 dpi
/// dot. Written in hundredths, an A4 map's PDF content stream was 821 kB; in tenths it is
/// 694 kB, the PDF a fifth smaller and the SVG page 7% quicker to write and read.
fn points_d(svg: &mut String, points: &[[f32; 2]], min_step: f32, closed: bool) {
    let near =
        |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).abs() < min_step && (p[1] - q[1]).abs() < min_step;
    let start = svg.len();
    let mut last: Option<[f32; 2]> = None;
    let mut written = 0;
    let end = points.len().saturating_sub(1);
    for (i, &p) in points.iter().enumerate() {
        if last.is_some_and(|l| near(p, l)) && (closed || i < end) {
            continue;
        }
        svg.push(if written == 0 { 'M' } else { 'L' });
        push_decimal(svg, (f64::from(p[0]) * 10.0).round() as i64, 1);
        svg.push(' ');
        push_decimal(svg, (f64::from(p[1]) * 10.0).round() as i64, 1);
        last = Some(p);
        written += 1;
    }
    if closed {
        // Rings repeat their first vertex (always written) at the end.
        let repeats_first =
            written > 1 && matches!((points.first(), last), (Some(&f), Some(l)) if near(f, l));
        if written - usize::from(repeats_first) >= 3 {
            svg.push('Z');
        } else {
            // A ring the step left as a point or a line encloses nothing.
            svg.truncate(start);
        }
    }
}

fn furniture(svg: &mut String, item: &Item, theme: &Theme) {
    match item {
        Item::Text {
            x,
            y,
            text,
            size,
            align,
            colour: c,
            halo,
        } => {
            let anchor = match align {
                Align::Left => "start",
                Align::Centre => "middle",
                Align::Right => "end",
            };
            let halo = halo.map_or_else(String::new, |h| {
                format!(r#" stroke="{}"{} stroke-width="{}" stroke-linejoin="round" paint-order="stroke""#, colour(h), stroke_opacity(h), num(size * 0.28))
            });
            let _ = writeln!(
                svg,
                r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}"{}{halo}>{}</text>"#,
                num(*x),
                num(*y),
                num(*size),
                colour(*c),
                opacity(*c),
                escape(text)
            );
        }
        Item::Rect { rect, fill, stroke } => {
            let _ = writeln!(
                svg,
                r#"<rect x="{}" y="{}" width="{}" height="{}"{}{}/>"#,
                num(rect.x),
                num(rect.y),
                num(rect.w),
                num(rect.h),
                fill_attr(*fill),
                stroke_attr(*stroke)
            );
        }
        Item::Pattern {
            rect,
            base,
            pattern,
        } => {
            let id = match pattern {
                Pattern::NoData => "swatch-no-data",
                Pattern::Designation => "swatch-designation",
                Pattern::WholePrefecture => "swatch-wide",
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/><rect x="{}" y="{}" width="{}" height="{}" fill="url(#{id})" stroke="{}" stroke-width="0.3"/>"#,
                num(rect.x),
                num(rect.y),
                num(rect.w),
                num(rect.h),
                colour(*base),
                num(rect.x),
                num(rect.y),
                num(rect.w),
                num(rect.h),
                colour(theme.no_data_hatch)
            );
        }
        Item::Symbol {
            centre,
            radius,
            shape,
            fill,
            hollow,
            halo: (halo, halo_width),
        } => {
            let outline = |svg: &mut String, grow: f32, paint: &str| {
                let r = radius + grow;
                match shape.polygon() {
                    None => {
                        let _ = writeln!(
                            svg,
                            r#"<circle cx="{}" cy="{}" r="{}"{paint}/>"#,
                            num(centre[0]),
                            num(centre[1]),
                            num(r.max(0.0))
                        );
                    }
                    Some(corners) => {
                        svg.push_str("<polygon points=\"");
                        for [x, y] in corners {
                            let _ = write!(
                                svg,
                                "{},{} ",
                                num(centre[0] + x * r),
                                num(centre[1] + y * r)
                            );
                        }
                        let _ = writeln!(svg, "\"{paint}/>");
                    }
                }
            };
            if *hollow {
                // A ring of the colour, 2.2 halo-widths wide, between two halos.
                let ring = halo_width * 2.2 / 1.5;
                let mid = -halo_width - ring / 2.0;
                outline(
                    svg,
                    mid,
                    &format!(
                        r#" fill="none" stroke="{}"{} stroke-width="{}""#,
                        colour(*halo),
                        stroke_opacity(*halo),
                        num(ring + 2.0 * halo_width)
                    ),
                );
                outline(
                    svg,
                    mid,
                    &format!(
                        r#" fill="none" stroke="{}"{} stroke-width="{}""#,
                        colour(*fill),
                        stroke_opacity(*fill),
                        num(ring)
                    ),
                );
            } else {
                outline(svg, 0.0, &fill_attr(Some(*halo)));
                outline(svg, -halo_width, &fill_attr(Some(*fill)));
            }
        }
        Item::Line {
            points,
            colour: c,
            width,
        } => {
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{}"{} stroke-width="{}" points=""#,
                colour(*c),
                stroke_opacity(*c),
                num(*width)
            );
            for p in points {
                let _ = write!(svg, "{},{} ", num(p[0]), num(p[1]));
            }
            svg.push_str("\"/>\n");
        }
        Item::Polygon {
            points,
            fill,
            stroke,
        } => {
            svg.push_str("<polygon points=\"");
            for p in points {
                let _ = write!(svg, "{},{} ", num(p[0]), num(p[1]));
            }
            let _ = writeln!(
                svg,
                "\"{}{}/>",
                fill_attr(Some(*fill)),
                stroke_attr(*stroke)
            );
        }
    }
}

fn fill_attr(fill: Option<Rgba>) -> String {
    fill.map_or_else(
        || r#" fill="none""#.to_owned(),
        |c| format!(r#" fill="{}"{}"#, colour(c), opacity(c)),
    )
}

fn stroke_attr(stroke: Option<(Rgba, f32)>) -> String {
    stroke.map_or_else(String::new, |(c, w)| {
        format!(
            r#" stroke="{}"{} stroke-width="{}""#,
            colour(c),
            stroke_opacity(c),
            num(w)
        )
    })
}

/// `#rrggbb` (alpha goes into an opacity attribute).
fn colour(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn opacity(c: Rgba) -> String {
    if c[3] == 255 {
        String::new()
    } else {
        format!(r#" fill-opacity="{}""#, num(f32::from(c[3]) / 255.0))
    }
}

fn stroke_opacity(c: Rgba) -> String {
    if c[3] == 255 {
        String::new()
    } else {
        format!(r#" stroke-opacity="{}""#, num(f32::from(c[3]) / 255.0))
    }
}

/// A number with at most two decimals and no trailing zeros.
fn num(v: f32) -> String {
    hundredths((f64::from(v) * 100.0).round() as i64)
}

fn hundredths(v: i64) -> String {
    let mut text = String::new();
    push_decimal(&mut text, v, 2);
    text
}

/// Appends `v / 10^places` with at most `places` decimals and no trailing zeros (paths have
/// tens of thousands of these, so no intermediate strings).
fn push_decimal(out: &mut String, v: i64, places: u32) {
    if v < 0 {
        out.push('-');
    }
    let scale = 10u64.pow(places);
    let (whole, mut frac) = (v.unsigned_abs() / scale, v.unsigned_abs() % scale);
    push_digits(out, whole);
    if frac != 0 {
        out.push('.');
        let mut unit = scale / 10;
        while frac != 0 {
            out.push(char::from(b'0' + (frac / unit) as u8));
            frac %= unit;
            unit /= 10;
        }
    }
}

fn push_digits(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // Characters XML 1.0 cannot carry at all: dropped, so that the document stays
            // well-formed whatever text reached it (callers clean and report user text first).
            '\t' | '\n' | '\r' => out.push(' '),
            c if crate::format::unfit_for_a_page(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.256), "-0.26");
        assert_eq!(num(12.05), "12.05");
        assert_eq!(num(-0.05), "-0.05");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(12345.6), "12345.6");
    }

    #[test]
    fn map_paths_are_written_in_tenths_without_rings_that_enclose_nothing() {
        let mut d = String::new();
        let ring = [
            [0.0, 0.0],
            [10.26, 0.0],
            [10.26, -5.04],
            [10.3, -5.0],
            [0.0, 0.0],
        ];
        points_d(&mut d, &ring, 0.1, true);
        // The fourth vertex is within 0.1 pt of the third.
        assert_eq!(d, "M0 0L10.3 0L10.3 -5L0 0Z");
        // A ring the step shrinks to a point or a line is left out; a line is not.
        let speck = [[5.0, 5.0], [5.04, 5.03], [5.05, 5.0], [5.0, 5.0]];
        points_d(&mut d, &speck, 0.1, true);
        let sliver = [[5.0, 5.0], [7.0, 5.0], [5.0, 5.0]];
        points_d(&mut d, &sliver, 0.1, true);
        assert_eq!(d, "M0 0L10.3 0L10.3 -5L0 0Z");
        points_d(&mut d, &[[1.0, 1.0], [1.04, 1.0]], 0.1, false);
        assert_eq!(d, "M0 0L10.3 0L10.3 -5L0 0ZM1 1L1 1");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"a<b & "c""#), "a&lt;b &amp; &quot;c&quot;");
    }
}
