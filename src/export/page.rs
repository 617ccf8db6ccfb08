//! The briefing layout, independent of the output format: the map frame (camera, colours,
//! flags) and a display list of furniture in page points (title, legend with counts and its
//! no-data, overlay and point swatches, names and point symbols, scale bar, north arrow,
//! footer with sources). The map and its legend come from the scene ([`MapStyle`],
//! [`compose`]), as the window's do; each backend draws this same page.

use super::metrics::TextWidths;
use super::options::{ExportOptions, Orientation};
use super::page_compare::CompareBlock;
use super::record::{Record, RecordOverlay, RecordPoints};
use crate::analysis::group_compare::GroupComparison;
use crate::atlas::{Atlas, Document, Layer, Level};
use crate::i18n::{Lang, tr};
use crate::scene::furniture::north_arrow;
use crate::scene::labels::LabelKind;
use crate::scene::points::SymbolShape;
use crate::scene::{
    Camera, Frame, MapDocument, MapGeometry, MapScene, MapStyle, NameSizes, Rgba, Swatch, Theme,
    Workspace, bounds_of, compose,
};

/// A rectangle in page points (origin top-left, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// The centre.
    pub fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }
}

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// The position is the text's left end.
    Left,
    /// The position is the text's centre.
    Centre,
    /// The position is the text's right end.
    Right,
}

/// One piece of furniture.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A line of text; `y` is the baseline.
    Text {
        /// Anchor position.
        x: f32,
        /// Baseline.
        y: f32,
        /// The text.
        text: String,
        /// Size in points.
        size: f32,
        /// Horizontal anchoring.
        align: Align,
        /// Colour.
        colour: Rgba,
        /// A halo behind the text, for names over the map.
        halo: Option<Rgba>,
    },
    /// A rectangle, filled and/or stroked.
    Rect {
        /// Where.
        rect: Rect,
        /// Fill.
        fill: Option<Rgba>,
        /// Stroke colour and width.
        stroke: Option<(Rgba, f32)>,
    },
    /// A swatch filled with one of the map's patterns over a base colour.
    Pattern {
        /// Where.
        rect: Rect,
        /// Base colour.
        base: Rgba,
        /// Which pattern.
        pattern: Pattern,
    },
    /// A point symbol, drawn as the renderer's shader draws it: the shape in its colour with
    /// a halo, or (hollow) a ring of its colour between two halos.
    Symbol {
        /// Centre.
        centre: [f32; 2],
        /// Radius.
        radius: f32,
        /// Shape.
        shape: SymbolShape,
        /// Colour.
        fill: Rgba,
        /// A ring, not a filled shape.
        hollow: bool,
        /// The halo's colour and width.
        halo: (Rgba, f32),
    },
    /// A polyline.
    Line {
        /// Vertices.
        points: Vec<[f32; 2]>,
        /// Colour.
        colour: Rgba,
        /// Width in points.
        width: f32,
    },
    /// A filled polygon.
    Polygon {
        /// Vertices.
        points: Vec<[f32; 2]>,
        /// Fill.
        fill: Rgba,
        /// Stroke colour and width.
        stroke: Option<(Rgba, f32)>,
    },
}

/// The patterns the map draws over fills, each with its legend swatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// No value: grey stripes.
    NoData,
    /// A designation names the county: dark stripes the other way.
    Designation,
    /// A designation names the whole prefecture: dots.
    WholePrefecture,
}

/// The map inside the page.
#[derive(Clone, Debug, PartialEq)]
pub struct MapFrame {
    /// Where the map is drawn, points.
    pub rect: Rect,
    /// The view: metres per point, centred on the frame.
    pub camera: Camera,
    /// Fill of each unit (sRGB).
    pub colours: Vec<Rgba>,
    /// Flags of each unit (no data, muted).
    pub flags: Vec<u8>,
    /// Line widths are scaled by this (1 on an A4 page).
    pub line_scale: f32,
    /// Fill opacity.
    pub opacity: f32,
    /// Region borders in their own (boldest) style.
    pub region_borders: bool,
    /// Units flagged with an outline overlay are outlined.
    pub overlay_outlines: bool,
    /// Borders between counties of one prefecture drawn faint.
    pub faint_county_borders: bool,
    /// In the vector drawing, vertices closer than this to the last one written are dropped,
    /// points ([`MIN_STEP`] for a map read closely).
    pub min_step: f32,
}

/// A map's vertices closer than this to the last one written are dropped from its vector
/// drawing, points: 0.035 mm, under a quarter of a 300 dpi pixel. The finest level of detail
/// keeps vertices metres apart, which on a page are hundredths of a point: writing, parsing
/// and compressing them is most of a vector map's cost, and none of it shows.
pub const MIN_STEP: f32 = 0.1;

impl MapFrame {
    /// World metres → page points.
    pub fn to_page(&self, world: [f64; 2]) -> [f32; 2] {
        let [cx, cy] = self.rect.centre();
        let mpp = self.camera.metres_per_pixel;
        [
            cx + ((world[0] - self.camera.centre[0]) / mpp) as f32,
            cy - ((world[1] - self.camera.centre[1]) / mpp) as f32,
        ]
    }

    /// The geometry level for drawing at `pixels_per_point` output pixels per point.
    pub fn level(&self, geometry: &MapGeometry, pixels_per_point: f32) -> usize {
        geometry.level_for(self.camera.metres_per_pixel / f64::from(pixels_per_point))
    }
}

/// A whole briefing page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Width, points.
    pub width: f32,
    /// Height, points.
    pub height: f32,
    /// Output pixels per point (PNG).
    pub pixels_per_point: f32,
    /// The map.
    pub map: MapFrame,
    /// The inset, a second map at a larger scale (in the legend column), if asked for.
    pub inset: Option<MapFrame>,
    /// Furniture drawn over and around the map, in order.
    pub items: Vec<Item>,
    /// The title (also the document title).
    pub title: String,
    /// The reproducibility record.
    pub record: Record,
    /// The language of the furniture.
    pub lang: Lang,
    /// Characters of the page's texts the bundled font cannot draw, each drawn as
    /// [`MISSING_GLYPH`](super::metrics::MISSING_GLYPH) instead; for the caller to say so.
    pub missing_glyphs: Vec<char>,
}

/// Everything a page is made from, apart from the geometry its names are placed on.
pub struct PageInput<'a> {
    /// The atlas.
    pub atlas: &'a Atlas,
    /// The layer mapped (built-in or the user's).
    pub layer: &'a Layer,
    /// The map.
    pub doc: &'a MapDocument,
    /// The map styled (its layer's choropleth must have been made).
    pub style: &'a MapStyle,
    /// Page options.
    pub options: &'a ExportOptions,
    /// Colours and widths.
    pub theme: &'a Theme,
    /// A regional comparison of the layer to set beside the map
    /// ([`ExportOptions::compare`]), made by the caller.
    pub comparison: Option<&'a GroupComparison>,
}

/// The furniture's colours: text, notes, frames, backgrounds.
pub(super) const INK: Rgba = [30, 30, 30, 255];
pub(super) const MUTED_INK: Rgba = [95, 95, 95, 255];
pub(super) const FRAME: Rgba = [150, 150, 150, 255];
pub(super) const WHITE: Rgba = [255, 255, 255, 255];
const BACKING: Rgba = [255, 255, 255, 220];

/// A page before its map is composed: everything else, and where in the drawing order the
/// map's furniture goes (over the map, under the legend).
struct Layout {
    page: Page,
    map_items_at: usize,
    label_size: f32,
    /// The page's type scale (1 on an A4 page).
    s: f32,
    widths: TextWidths,
}

impl Page {
    /// Lays out the briefing page: the map composed for its frame ([`compose`]) gives the
    /// names, point symbols, scale bar and north arrow.
    pub fn briefing(input: &PageInput<'_>, workspace: &Workspace) -> Page {
        let Layout {
            mut page,
            map_items_at,
            label_size,
            s,
            widths,
        } = layout(input);
        let measure =
            |text: &str, size: f32| [f64::from(widths.of(text, size)), f64::from(size * 1.2)];
        let map = &page.map;
        let frame = Frame {
            camera: map.camera,
            size: [f64::from(map.rect.w), f64::from(map.rect.h)],
            scale: map.line_scale,
            names: NameSizes {
                unit: label_size,
                prefecture: label_size * 1.2,
                backdrop: label_size * 1.5,
            },
            prefecture_names: false,
            selected: None,
            backdrop_clear_of_edges: true,
            scale_bar_max: f64::from(map.rect.w * 0.22),
            measure: &measure,
            lang: page.lang,
        };
        let scene = compose(workspace, input.style, &frame);
        let mut items = map_items(&scene, map, input.theme, s, page.lang, &widths);
        if let Some(inset) = &page.inset {
            // The inset names every district it can, whatever the main map does.
            let style = MapStyle {
                unit_names: true,
                ..input.style.clone()
            };
            let frame = Frame {
                camera: inset.camera,
                size: [f64::from(inset.rect.w), f64::from(inset.rect.h)],
                selected: None,
                ..frame
            };
            let scene = compose(workspace, &style, &frame);
            items.extend(inset_items(&scene, inset, input.theme, &widths));
        }
        page.items.splice(map_items_at..map_items_at, items);
        page.missing_glyphs = boxed_missing_glyphs(&mut page.items, &widths);
        // A map of the index says which definition made it.
        if input
            .layer
            .id
            .starts_with(crate::analysis::composite::layers::PREFIX)
        {
            page.record.index = workspace.index_source().cloned();
        }
        page
    }

    /// The map frames the page would have (the map, then the inset if any): what an export
    /// needs to know before any geometry is built (a frame's scale sets its level of detail).
    pub fn frames(input: &PageInput<'_>) -> Vec<MapFrame> {
        let page = layout(input).page;
        std::iter::once(page.map).chain(page.inset).collect()
    }
}

/// Lays out everything but the map's furniture.
fn layout(input: &PageInput<'_>) -> Layout {
    let PageInput {
        atlas,
        layer,
        doc,
        style,
        options,
        theme,
        comparison,
    } = *input;
    let lang = options.lang;
    let widths = TextWidths::bundled();
    let width_of = |text: &str, size: f32| widths.of(text, size);
    let (page_w, page_h, pixels_per_point) = options.page();
    let short = page_w.min(page_h);
    let s = short / 595.0;
    let margin = 0.045 * short;
    let (title_size, subtitle_size, legend_size, footer_size, label_size) =
        (18.0 * s, 10.5 * s, 8.5 * s, 6.2 * s, 6.5 * s);
    let mut items = Vec::new();
    let choropleth = style.choropleth.as_ref();
    let year = choropleth.map_or(0, |c| c.year);

    // Title and subtitle.
    let method = choropleth.and_then(|c| c.method_text(lang));
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| style.legend.title.get(lang).to_owned());
    let focus_name = doc.focus.as_ref().map(|f| f.name(atlas, lang));
    let subtitle = options.subtitle.clone().unwrap_or_else(|| {
        let scope = focus_name.clone().unwrap_or_else(|| match layer.level {
            Level::County => tr(
                lang,
                "四川省183个县级单位",
                "Sichuan's 183 county-level units",
            )
            .to_owned(),
            Level::Prefecture => tr(
                lang,
                "四川省21个市州(市级数值)",
                "Sichuan's 21 prefectures (prefecture-level values)",
            )
            .to_owned(),
        });
        [
            Some(scope),
            Some(format!("{year}{}", tr(lang, "年", ""))).filter(|_| year > 0),
            method.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    });
    // A title or subtitle too long for the page wraps, and past two lines ends in an ellipsis.
    let text_w = page_w - 2.0 * margin;
    let mut y = margin;
    for (i, line) in wrap(&title, text_w, title_size, &width_of, HEADING_LINES)
        .iter()
        .enumerate()
    {
        y += if i == 0 { title_size } else { title_size * 1.2 };
        items.push(text(margin, y, line, title_size, Align::Left, INK));
    }
    for (i, line) in wrap(&subtitle, text_w, subtitle_size, &width_of, HEADING_LINES)
        .iter()
        .enumerate()
    {
        y += if i == 0 {
            subtitle_size * 1.6
        } else {
            subtitle_size * 1.25
        };
        items.push(text(margin, y, line, subtitle_size, Align::Left, MUTED_INK));
    }
    let top = y + subtitle_size * 0.9;

    // Footer: data, boundaries and method, date and version.
    let footer = footer_lines(input, lang);
    let footer_line = footer_size * 1.45;
    let footer_top = page_h - margin - footer_line * footer.len() as f32;

    // The legend: the scene's, classes (counted in the focus and the province when there is
    // a focus), no data, overlays and points.
    let legend_title = style.legend.title.get(lang).to_owned();
    let entries: Vec<(Swatch, String)> = style
        .legend
        .items
        .iter()
        .map(|item| (item.swatch, item.text(lang)))
        .collect();
    let notes: Vec<String> = style
        .legend
        .notes
        .iter()
        .map(|n| n.get(lang).to_owned())
        .collect();
    let swatch = [legend_size * 2.2, legend_size * 1.3];
    let row = legend_size * 1.75;
    let legend_text_w = entries
        .iter()
        .map(|(_, t)| width_of(t, legend_size))
        .fold(width_of(&legend_title, legend_size * 1.05), f32::max);
    let legend_text_w = notes
        .iter()
        .map(|n| width_of(n, legend_size * 0.8))
        .fold(legend_text_w, f32::max);
    // With an inset the column is wide enough for a map worth reading.
    let column_min = if options.inset.is_some() {
        page_w * 0.2
    } else {
        0.0
    };
    let mut legend_w = (swatch[0] + legend_size * 0.8 + legend_text_w + legend_size)
        .min(page_w * 0.32)
        .max(column_min);
    let landscape =
        page_w >= page_h || options.orientation == Orientation::Landscape && page_w > page_h;
    let gap = margin * 0.4;
    // The comparison: in the legend column, which widens for it (landscape), or beside the
    // legend (portrait); its type shrinks where the room is short.
    let block_size = legend_size * 0.85;
    let mut block = comparison.map(|table| {
        let block = CompareBlock::new(table, lang, block_size, &width_of);
        let room = if landscape {
            page_w * 0.36
        } else {
            let inset_room = if options.inset.is_some() {
                page_w * 0.2 + gap
            } else {
                0.0
            };
            page_w - 2.0 * margin - legend_w - gap - inset_room
        };
        if block.width > room {
            CompareBlock::new(table, lang, block_size * room / block.width, &width_of)
        } else {
            block
        }
    });
    if landscape && let Some(block) = &block {
        legend_w = legend_w.max(block.width);
    }
    // The layer's caveat, wrapped to the legend's width: what the data are, read with the map.
    let note_size = legend_size * 0.8;
    let caveat: Vec<String> = layer
        .caveat
        .as_ref()
        .map(|c| {
            wrap(
                c.get(lang),
                legend_w - legend_size * 1.2,
                note_size,
                &width_of,
                CAVEAT_LINES,
            )
        })
        .unwrap_or_default();
    // An entry wider than the legend (a long list's name) wraps onto a second line rather
    // than running off the page; its count stays on the last.
    let label_width = legend_w - swatch[0] - legend_size * 2.0;
    let entries: Vec<(Swatch, Vec<String>)> = entries
        .into_iter()
        .map(|(swatch, label)| (swatch, wrap(&label, label_width, legend_size, &width_of, 3)))
        .collect();
    let entry_rows: f32 = entries
        .iter()
        .map(|(_, lines)| 1.0 + 0.75 * (lines.len().max(1) - 1) as f32)
        .sum();
    let note_rows = notes.len() as f32 + caveat.len() as f32 * 0.8;
    let legend_h = row * (entry_rows + 1.6) + row * note_rows;

    // The comparison's height is held to the room left: below the legend (and above a
    // minimal inset) in landscape, a third of the page in portrait.
    if let (Some(table), Some(b)) = (comparison, &block) {
        let room = if landscape {
            let inset_room = if options.inset.is_some() {
                legend_w * 0.5 + gap
            } else {
                0.0
            };
            footer_top - gap - top - legend_h - gap - inset_room
        } else {
            (page_h - top - margin) / 3.0
        };
        if b.height > room && room > 0.0 {
            let size = b.size() * room / b.height;
            block = Some(CompareBlock::new(table, lang, size, &width_of));
        }
    }
    let strip_h = if landscape {
        legend_h
    } else {
        block.as_ref().map_or(legend_h, |b| legend_h.max(b.height))
    };
    let (map_rect, legend_origin) = if landscape {
        let map = Rect {
            x: margin,
            y: top,
            w: page_w - 2.0 * margin - legend_w - gap,
            h: footer_top - gap - top,
        };
        (map, [map.x + map.w + gap, top])
    } else {
        let map = Rect {
            x: margin,
            y: top,
            w: page_w - 2.0 * margin,
            h: footer_top - gap * 2.0 - strip_h - top,
        };
        (map, [margin, map.y + map.h + gap])
    };

    // Map frame: camera on Sichuan or the focus, the scene's colours and flags.
    let camera = Camera::fit(
        bounds_of(atlas, style.focus_units.as_deref()),
        [f64::from(map_rect.w), f64::from(map_rect.h)],
        f64::from(short * 0.025),
    );
    let map = MapFrame {
        rect: map_rect,
        camera,
        colours: style.colours.clone(),
        flags: style.flags.clone(),
        line_scale: s * 0.8,
        opacity: style.opacity,
        region_borders: style.region_borders,
        overlay_outlines: style.overlay_outlines,
        faint_county_borders: style.faint_county_borders,
        min_step: MIN_STEP,
    };
    items.push(Item::Rect {
        rect: map_rect,
        fill: None,
        stroke: Some((FRAME, 0.5 * s)),
    });

    // The inset: at the bottom of the legend column (landscape) or beside the legend
    // (portrait), with a box on the main map where it lies.
    let inset = options.inset.map(|inset| {
        let units = inset.units(atlas);
        let bounds = bounds_of(atlas, Some(&units));
        let block_h = block.as_ref().map_or(0.0, |b| b.height + gap);
        let rect = if landscape {
            let w = legend_w;
            let h =
                (w * 0.95).min((footer_top - gap - (top + legend_h + gap + block_h)).max(w * 0.5));
            Rect {
                x: legend_origin[0],
                y: footer_top - gap - h,
                w,
                h,
            }
        } else {
            let block_w = block.as_ref().map_or(0.0, |b| b.width + gap);
            let w = (page_w - 2.0 * margin - legend_w - gap - block_w).min(strip_h * 1.4);
            Rect {
                x: page_w - margin - w,
                y: legend_origin[1],
                w,
                h: strip_h,
            }
        };
        let title_room = legend_size * 1.6;
        let frame_rect = Rect {
            y: rect.y + title_room,
            h: rect.h - title_room,
            ..rect
        };
        let inset_camera = Camera::fit(
            bounds,
            [f64::from(frame_rect.w), f64::from(frame_rect.h)],
            f64::from(short * 0.01),
        );
        (inset, frame_rect, inset_camera, bounds)
    });
    if let Some((inset, frame_rect, _, bounds)) = &inset {
        // Where the inset lies on the main map.
        let [x0, y0] = map.to_page([bounds.min[0], bounds.max[1]]);
        let [x1, y1] = map.to_page([bounds.max[0], bounds.min[1]]);
        items.push(Item::Rect {
            rect: Rect {
                x: x0,
                y: y0,
                w: x1 - x0,
                h: y1 - y0,
            },
            fill: None,
            stroke: Some((INK, 0.6 * s)),
        });
        items.push(text(
            frame_rect.x,
            frame_rect.y - legend_size * 0.5,
            inset.title(lang),
            legend_size * 1.05,
            Align::Left,
            INK,
        ));
        items.push(Item::Rect {
            rect: *frame_rect,
            fill: None,
            stroke: Some((FRAME, 0.5 * s)),
        });
    }
    let inset = inset.map(|(_, rect, camera, _)| MapFrame {
        rect,
        camera,
        ..map.clone()
    });

    // The map's furniture (names, points, north arrow, scale bar) goes here once composed.
    let map_items_at = items.len();

    // Legend.
    let [lx, mut ly] = legend_origin;
    items.push(Item::Rect {
        rect: Rect {
            x: lx,
            y: ly,
            w: legend_w,
            h: legend_h,
        },
        fill: Some(WHITE),
        stroke: Some((FRAME, 0.4 * s)),
    });
    let inner_x = lx + legend_size * 0.6;
    ly += row;
    items.push(text(
        inner_x,
        ly,
        &legend_title,
        legend_size * 1.05,
        Align::Left,
        INK,
    ));
    ly += row * 0.4;
    for (kind, lines) in entries {
        let r = Rect {
            x: inner_x,
            y: ly + (row - swatch[1]) / 2.0,
            w: swatch[0],
            h: swatch[1],
        };
        items.push(swatch_item(kind, r, theme, s));
        for (i, line) in lines.iter().enumerate() {
            items.push(text(
                inner_x + swatch[0] + legend_size * 0.8,
                ly + row * 0.5 + legend_size * 0.35,
                line,
                legend_size,
                Align::Left,
                INK,
            ));
            if i + 1 < lines.len() {
                ly += row * 0.75;
            }
        }
        ly += row;
    }
    for note in &notes {
        items.push(text(
            inner_x,
            ly + row * 0.6,
            note,
            note_size,
            Align::Left,
            MUTED_INK,
        ));
        ly += row;
    }
    for line in &caveat {
        items.push(text(
            inner_x,
            ly + row * 0.6,
            line,
            note_size,
            Align::Left,
            MUTED_INK,
        ));
        ly += row * 0.8;
    }

    // The comparison.
    if let Some(block) = &block {
        let (origin, width) = if landscape {
            ([lx, legend_origin[1] + legend_h + gap], legend_w)
        } else {
            ([lx + legend_w + gap, legend_origin[1]], block.width)
        };
        items.extend(block.items(origin, width, s));
    }

    // Footer.
    for (i, line) in footer.iter().enumerate() {
        let fitted = fit(line, page_w - 2.0 * margin, footer_size, &width_of);
        items.push(text(
            margin,
            footer_top + footer_line * (i as f32 + 0.8),
            &fitted,
            footer_size,
            Align::Left,
            MUTED_INK,
        ));
    }

    let record = record(input, focus_name);
    Layout {
        page: Page {
            width: page_w,
            height: page_h,
            pixels_per_point,
            map,
            inset,
            items,
            title,
            record,
            lang,
            missing_glyphs: Vec::new(),
        },
        map_items_at,
        label_size,
        s,
        widths,
    }
}

/// A legend swatch drawn as the map draws what it stands for.
pub(super) fn swatch_item(swatch: Swatch, r: Rect, theme: &Theme, s: f32) -> Item {
    let pattern = |base, pattern| Item::Pattern {
        rect: r,
        base,
        pattern,
    };
    match swatch {
        Swatch::Fill(c) => Item::Rect {
            rect: r,
            fill: Some(c),
            stroke: Some((FRAME, 0.3 * s)),
        },
        Swatch::NoData => pattern(theme.no_data, Pattern::NoData),
        Swatch::Hatch => pattern(WHITE, Pattern::Designation),
        Swatch::WideHatch => pattern(WHITE, Pattern::WholePrefecture),
        Swatch::Outline => Item::Rect {
            rect: r,
            fill: Some(WHITE),
            stroke: Some((theme.overlay_outline, 1.4 * s)),
        },
        Swatch::Point { layer, hollow } => {
            let (shape, fill) = theme.point_style(layer);
            Item::Symbol {
                centre: r.centre(),
                radius: r.h * 0.4,
                shape,
                fill,
                hollow,
                halo: (WHITE, 0.6 * s),
            }
        }
    }
}

/// Characters the font lacks would silently vanish from a page: each is drawn as a box
/// instead, and the characters are returned (sorted, once each) for the caller to say so.
pub(super) fn boxed_missing_glyphs(items: &mut [Item], widths: &TextWidths) -> Vec<char> {
    let mut missing = Vec::new();
    for item in items {
        if let Item::Text { text, .. } = item {
            let (drawn, lacking) = widths.drawable(text);
            if !lacking.is_empty() {
                *text = drawn;
                missing.extend(lacking);
            }
        }
    }
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// A line of text without a halo.
pub(super) fn text(x: f32, y: f32, text: &str, size: f32, align: Align, colour: Rgba) -> Item {
    Item::Text {
        x,
        y,
        text: text.to_owned(),
        size,
        align,
        colour,
        halo: None,
    }
}

/// The most lines a title or a subtitle takes.
const HEADING_LINES: usize = 2;

/// The most lines a layer's caveat takes in the legend.
const CAVEAT_LINES: usize = 6;

/// Breaks `text` into lines no wider than `width`: between any two characters of Chinese, at
/// spaces in other text; at most `max_lines`, the last ellipsised if the text runs on.
pub(super) fn wrap(
    text: &str,
    width: f32,
    size: f32,
    width_of: &dyn Fn(&str, f32) -> f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Pieces that may not be split: a word of other scripts (with the space after it), or
    // one Chinese character.
    let is_cjk = |c: char| c > '\u{2E80}';
    let mut pieces: Vec<String> = Vec::new();
    for c in text.chars() {
        // Closing punctuation never starts a line.
        let closing = matches!(
            c,
            ')' | '）' | ',' | '，' | '、' | '。' | ':' | '：' | ';' | '；'
        );
        let joins = |last: &String| {
            closing
                || (!is_cjk(c)
                    && !last.ends_with(' ')
                    && last.chars().last().is_some_and(|l| !is_cjk(l)))
        };
        match pieces.last_mut() {
            Some(last) if joins(last) => last.push(c),
            _ => pieces.push(c.to_string()),
        }
    }
    for piece in pieces {
        let candidate = format!("{line}{piece}");
        if width_of(candidate.trim_end(), size) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_owned());
            line = piece.trim_start().to_owned();
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = fit(&format!("{last}…"), width, size, width_of);
        }
    }
    // A piece wider than the line (a word of hundreds of letters) is cut too.
    for line in &mut lines {
        *line = fit(line, width, size, width_of);
    }
    lines
}

/// Cuts `line` with an ellipsis to fit `width`: the longest start that fits, found by
/// bisection (a title of thousands of characters is measured a dozen times, not thousands).
fn fit(line: &str, width: f32, size: f32, width_of: &dyn Fn(&str, f32) -> f32) -> String {
    if width_of(line, size) <= width {
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    let cut = |n: usize| format!("{}…", chars[..n].iter().collect::<String>());
    // Invariant: `lo` characters fit (zero always does, as far as it can), `hi` do not.
    let (mut lo, mut hi) = (0, chars.len());
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if width_of(&cut(mid), size) <= width {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    cut(lo)
}

/// The official documents behind the mapped values, distinct, in first-use order.
pub fn layer_documents(atlas: &Atlas, layer: &Layer, year: i32) -> Vec<Document> {
    let mut documents: Vec<Document> = Vec::new();
    // A user's layer cites the document its sidecar file names.
    if let Some(document) = layer.citation.as_ref().and_then(|c| c.document.as_ref()) {
        documents.push(document.clone());
    }
    if let Some(values) = layer.values.get(&year) {
        for observation in values.iter().flatten() {
            if let Some(document) = atlas.document(observation.source)
                && !documents.contains(document)
            {
                documents.push(document.clone());
            }
        }
    }
    for document in layer
        .derived_from
        .iter()
        .filter_map(|c| c.document.as_ref())
    {
        if !documents.contains(document) {
            documents.push(document.clone());
        }
    }
    documents
}

/// The sources behind the mapped values, distinct, in first-use order.
pub fn layer_sources(atlas: &Atlas, layer: &Layer, year: i32) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !sources.contains(&s) {
            sources.push(s);
        }
    };
    if let Some(values) = layer.values.get(&year) {
        for observation in values.iter().flatten() {
            if observation.source == crate::atlas::SourceId::DERIVED {
                // Cited below, through what the layer was computed from.
                continue;
            }
            if observation.source == crate::atlas::SourceId::USER {
                // The copy's address from the sidecar file, else the file the data was read from.
                let address = layer.citation.as_ref().and_then(|c| c.address.clone());
                push(address.unwrap_or_else(|| {
                    layer
                        .caveat
                        .as_ref()
                        .map_or_else(|| "user data".to_owned(), |c| c.en.clone())
                }));
            } else {
                push(atlas.source(observation.source).to_owned());
            }
        }
    }
    for address in layer.derived_from.iter().filter_map(|c| c.address.clone()) {
        push(address);
    }
    sources
}

fn footer_lines(input: &PageInput<'_>, lang: Lang) -> Vec<String> {
    let PageInput {
        atlas,
        layer,
        doc,
        style,
        options,
        ..
    } = *input;
    let year = style.choropleth.as_ref().map_or(0, |c| c.year);
    let sources = layer_sources(atlas, layer, year);
    // The official documents are what a briefing cites; an address only where none is known.
    let documents = layer_documents(atlas, layer, year);
    let first = documents.first().map(Document::cite).unwrap_or_else(|| {
        sources
            .first()
            .map(|s| s.split(" (").next().unwrap_or(s).to_owned())
            .unwrap_or_default()
    });
    let sources = if documents.is_empty() {
        sources
    } else {
        documents.iter().map(Document::cite).collect()
    };
    let more = if sources.len() > 1 {
        format!(
            " {} {} {}",
            tr(lang, "等", "and"),
            sources.len() - 1,
            tr(
                lang,
                "个来源(全部见文件元数据)",
                "more (all in the file's metadata)"
            )
        )
    } else {
        String::new()
    };
    let level = if layer.level == Level::Prefecture {
        tr(lang, "(市州级数值)", " (prefecture-level values)")
    } else {
        ""
    };
    let year_text = if year > 0 {
        format!(" {year}{}", tr(lang, "年", ""))
    } else {
        String::new()
    };
    let data = format!(
        "{}{}{year_text}{level}: {first}{more}",
        tr(lang, "数据:", "Data: "),
        layer.name.get(lang)
    );
    let mut lines = vec![data];
    let shown: Vec<String> = doc
        .overlays
        .iter()
        .filter_map(|o| atlas.designation(&o.designation))
        .map(|d| d.name.get(lang).to_owned())
        .chain(
            doc.point_layers
                .iter()
                .filter_map(|id| atlas.point_layers().iter().find(|l| &l.id == id))
                .map(|l| l.name.get(lang).to_owned()),
        )
        .collect();
    if !shown.is_empty() {
        lines.push(format!(
            "{}{}{}",
            tr(lang, "叠加:", "Overlays: "),
            shown.join(tr(lang, "、", ", ")),
            tr(
                lang,
                "(名单与点位来源见文件元数据)",
                " (sources of the lists and points in the file's metadata)"
            )
        ));
    }
    if let Some(target) = input.comparison.and_then(|c| c.target.as_ref()) {
        lines.push(format!(
            "{}{}: {}",
            tr(lang, "目标:", "Target: "),
            target.statement.get(lang),
            target.document
        ));
    }
    let b = atlas.boundary_provenance();
    lines.push(format!(
        "{}{} ({}; {}); {}; {}",
        tr(lang, "边界:", "Boundaries: "),
        b.source.get(lang),
        b.licence,
        b.vintage.get(lang),
        tr(lang, "GCJ-02 转 WGS84", "GCJ-02 converted to WGS84"),
        tr(
            lang,
            "Albers 等积圆锥投影(中央经线103°E,标准纬线27.5°N、33°N)",
            "Albers equal-area conic (103°E; 27.5°N, 33°N)"
        ),
    ));
    let method = style
        .choropleth
        .as_ref()
        .and_then(|c| c.method_text(lang))
        .unwrap_or_else(|| tr(lang, "分类着色", "categories").to_owned());
    let review = options
        .review_number
        .as_ref()
        .map(|r| format!("; {}{r}", tr(lang, "审图号:", "Review number: ")))
        .unwrap_or_default();
    let palette = style
        .choropleth
        .as_ref()
        .map_or(doc.map.palette, |c| c.palette);
    lines.push(format!(
        "{}{method}; {} {}{}; {} county-atlas {}{review}",
        tr(lang, "分级:", "Classes: "),
        tr(lang, "配色", "palette"),
        palette.name(),
        if doc.map.reversed {
            tr(lang, "(反转)", " (reversed)")
        } else {
            ""
        },
        options.date(),
        env!("CARGO_PKG_VERSION"),
    ));
    lines
}

pub(super) fn record(input: &PageInput<'_>, focus: Option<String>) -> Record {
    let PageInput {
        atlas,
        layer,
        doc,
        style,
        options,
        ..
    } = *input;
    let spec = &doc.map;
    let choropleth = style.choropleth.as_ref();
    let classification = choropleth.and_then(|c| c.classification.as_ref());
    let method_parameters = serde_json::to_value(&spec.method).unwrap_or_default();
    let year = choropleth.map_or(0, |c| c.year);
    let entries = choropleth.map_or(&[][..], |c| c.legend.as_slice());
    let no_data: usize = entries.iter().filter(|e| e.no_data).map(|e| e.count).sum();
    let overlays = doc
        .overlays
        .iter()
        .filter_map(|o| {
            let d = atlas.designation(&o.designation)?;
            let (counties, prefectures) = d.targets();
            Some(RecordOverlay {
                id: d.id.clone(),
                name: d.name.zh.clone(),
                style: o.style,
                counties: counties.len(),
                prefectures: prefectures.len(),
                sources: atlas.distinct_sources(d.members.iter().map(|m| m.source)),
            })
        })
        .collect();
    let points = doc
        .point_layers
        .iter()
        .filter_map(|id| {
            let l = atlas.point_layers().iter().find(|l| &l.id == id)?;
            Some(RecordPoints {
                id: l.id.clone(),
                name: l.name.zh.clone(),
                placed: l.features.iter().filter(|f| f.drawable()).count(),
                features: l.features.len(),
                sources: atlas.distinct_sources(l.features.iter().map(|f| f.source)),
            })
        })
        .collect();
    Record {
        software: "county-atlas".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        date: options.date(),
        layer: layer.id.clone(),
        layer_name: layer.name.zh.clone(),
        year,
        normalization: spec.normalization,
        method: classification
            .map_or("categories", |c| c.method.id())
            .into(),
        method_parameters,
        breaks: classification.map(|c| c.breaks.clone()).unwrap_or_default(),
        counts: entries
            .iter()
            .filter(|e| !e.no_data)
            .map(|e| e.count)
            .collect(),
        no_data,
        coverage: atlas.units().len() - no_data,
        units: atlas.units().len(),
        palette: choropleth.map_or(spec.palette, |c| c.palette).name().into(),
        reversed: spec.reversed,
        sources: layer_sources(atlas, layer, year),
        documents: layer_documents(atlas, layer, year),
        boundary: atlas.boundary_provenance().clone(),
        projection: atlas.projection().proj_string(),
        focus,
        review_number: options.review_number.clone(),
        overlays,
        points,
        compare: input.comparison.and(options.compare.clone()),
        index: None,
        document: doc.clone(),
    }
}

/// The composed map's furniture on the page: point symbols, names, north arrow, scale bar.
pub(super) fn map_items(
    scene: &MapScene<'_>,
    map: &MapFrame,
    theme: &Theme,
    s: f32,
    lang: Lang,
    widths: &TextWidths,
) -> Vec<Item> {
    let mut items = Vec::new();
    let at = |p: [f64; 2]| [map.rect.x + p[0] as f32, map.rect.y + p[1] as f32];
    for symbol in &scene.symbols {
        let centre = at(symbol.centre);
        let (shape, fill) = theme.point_style(symbol.layer);
        items.push(Item::Symbol {
            centre,
            radius: symbol.radius,
            shape,
            fill,
            hollow: symbol.hollow,
            halo: (theme.point_outline, 1.5 * map.line_scale),
        });
        if symbol.count() > 1 {
            let size = symbol.radius * 0.9;
            items.push(text(
                centre[0],
                centre[1] + size * 0.35,
                &symbol.count().to_string(),
                size,
                Align::Centre,
                if symbol.hollow {
                    theme.label_text
                } else {
                    WHITE
                },
            ));
        }
    }
    items.extend(ring_items(scene, map, theme, s));
    for label in &scene.labels {
        let backdrop = matches!(label.kind, LabelKind::Backdrop(_));
        let size = label.size;
        let [x, y] = at(label.centre);
        items.push(Item::Text {
            x,
            y: y + size * 0.35,
            text: label.text.clone(),
            size,
            align: Align::Centre,
            colour: if backdrop {
                theme.backdrop_label
            } else {
                theme.label_text
            },
            halo: (!backdrop).then_some(theme.label_halo),
        });
    }
    items.extend(north_arrow_items(scene.north, map, s, lang));
    items.extend(scale_bar_items(scene, map, s, widths));
    items
}

/// The distance rings inside the map's frame (a page does not clip its furniture, so each
/// ring is cut to the frame here), each labelled at its top, the centres marked and named.
fn ring_items(scene: &MapScene<'_>, map: &MapFrame, theme: &Theme, s: f32) -> Vec<Item> {
    let mut items = Vec::new();
    let (colour, width) = theme.rings;
    let at = |p: [f64; 2]| [map.rect.x + p[0] as f32, map.rect.y + p[1] as f32];
    let inside = |p: [f32; 2]| {
        p[0] >= map.rect.x
            && p[0] <= map.rect.x + map.rect.w
            && p[1] >= map.rect.y
            && p[1] <= map.rect.y + map.rect.h
    };
    let size = 6.0 * s;
    for centre in &scene.rings {
        for circle in &centre.circles {
            let points: Vec<[f32; 2]> = circle.points.iter().map(|&p| at(p)).collect();
            for run in super::clip::polyline_in_rect(&points, map.rect) {
                items.push(Item::Line {
                    points: run,
                    colour,
                    width: width * s * 0.8,
                });
            }
            let top = at(circle.label_at);
            if inside(top) {
                items.push(Item::Text {
                    x: top[0],
                    y: top[1] - size * 0.3,
                    text: format!("{} km", crate::format::number(circle.km, 1)),
                    size,
                    align: Align::Centre,
                    colour,
                    halo: Some(theme.label_halo),
                });
            }
        }
        let c = at(centre.centre);
        if inside(c) {
            items.push(Item::Symbol {
                centre: c,
                radius: 2.4 * s,
                shape: crate::scene::points::SymbolShape::Circle,
                fill: colour,
                hollow: false,
                halo: (WHITE, 0.8 * s),
            });
            items.push(Item::Text {
                x: c[0] + 4.0 * s,
                y: c[1] + size * 1.2,
                text: centre.name.clone(),
                size,
                align: Align::Left,
                colour,
                halo: Some(theme.label_halo),
            });
        }
    }
    items
}

/// The inset's names and point symbols (its frame and title are laid out with the page); a
/// name must lie wholly inside the small frame, which does not clip text.
fn inset_items(
    scene: &MapScene<'_>,
    inset: &MapFrame,
    theme: &Theme,
    widths: &TextWidths,
) -> Vec<Item> {
    let at = |p: [f64; 2]| [inset.rect.x + p[0] as f32, inset.rect.y + p[1] as f32];
    let mut items = Vec::new();
    for symbol in &scene.symbols {
        let (shape, fill) = theme.point_style(symbol.layer);
        items.push(Item::Symbol {
            centre: at(symbol.centre),
            radius: symbol.radius,
            shape,
            fill,
            hollow: symbol.hollow,
            halo: (theme.point_outline, 1.5 * inset.line_scale),
        });
    }
    for label in &scene.labels {
        let half_width = f64::from(widths.of(&label.text, label.size)) / 2.0;
        let half_height = f64::from(label.size) * 0.6;
        let inside = label.centre[0] - half_width > 0.0
            && label.centre[0] + half_width < f64::from(inset.rect.w)
            && label.centre[1] - half_height > 0.0
            && label.centre[1] + half_height < f64::from(inset.rect.h);
        if matches!(label.kind, LabelKind::Backdrop(_)) || !inside {
            continue;
        }
        let [x, y] = at(label.centre);
        items.push(Item::Text {
            x,
            y: y + label.size * 0.35,
            text: label.text.clone(),
            size: label.size,
            align: Align::Centre,
            colour: theme.label_text,
            halo: Some(theme.label_halo),
        });
    }
    items
}

fn north_arrow_items(angle: f64, map: &MapFrame, s: f32, lang: Lang) -> Vec<Item> {
    let arrow = north_arrow(angle);
    let centre = [map.rect.x + map.rect.w - 22.0 * s, map.rect.y + 30.0 * s];
    let place = |v: [f32; 2]| [centre[0] + v[0] * s, centre[1] + v[1] * s];
    let letter = place(arrow.letter);
    let size = 8.0 * s;
    vec![
        Item::Rect {
            rect: Rect {
                x: centre[0] - 15.0 * s,
                y: centre[1] - 27.0 * s,
                w: 30.0 * s,
                h: 40.0 * s,
            },
            fill: Some(BACKING),
            stroke: None,
        },
        Item::Polygon {
            points: arrow.dark.map(place).to_vec(),
            fill: INK,
            stroke: None,
        },
        Item::Polygon {
            points: arrow.light.map(place).to_vec(),
            fill: WHITE,
            stroke: Some((INK, 0.6 * s)),
        },
        text(
            letter[0],
            letter[1] + size * 0.35,
            tr(lang, "北", "N"),
            size,
            Align::Centre,
            INK,
        ),
    ]
}

fn scale_bar_items(scene: &MapScene<'_>, map: &MapFrame, s: f32, widths: &TextWidths) -> Vec<Item> {
    let bar = scene.scale_bar;
    let length = bar.pixels as f32;
    let label = bar.label();
    let size = 7.0 * s;
    let label_w = widths.of(&label, size);
    let right = map.rect.x + map.rect.w - 8.0 * s - label_w / 2.0;
    let base = map.rect.y + map.rect.h - 10.0 * s;
    let left = right - length;
    let half = length / 2.0;
    vec![
        // The labels are centred on the bar's ends: the backing reaches half a label beyond.
        Item::Rect {
            rect: Rect {
                x: left - 6.0 * s,
                y: base - 16.0 * s,
                w: length + label_w / 2.0 + 10.0 * s,
                h: 21.0 * s,
            },
            fill: Some(BACKING),
            stroke: None,
        },
        Item::Rect {
            rect: Rect {
                x: left,
                y: base - 3.0 * s,
                w: half,
                h: 3.0 * s,
            },
            fill: Some(INK),
            stroke: Some((INK, 0.5 * s)),
        },
        Item::Rect {
            rect: Rect {
                x: left + half,
                y: base - 3.0 * s,
                w: half,
                h: 3.0 * s,
            },
            fill: Some(WHITE),
            stroke: Some((INK, 0.5 * s)),
        },
        text(left, base - 5.0 * s, "0", size, Align::Centre, INK),
        text(right, base - 5.0 * s, &label, size, Align::Centre, INK),
    ]
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_breaks_chinese_anywhere_and_other_text_at_spaces() {
        // Every character one unit wide.
        let width_of = |text: &str, size: f32| text.chars().count() as f32 * size;
        assert_eq!(
            wrap("由本图集计算非官方统计", 4.0, 1.0, &width_of, 6),
            ["由本图集", "计算非官", "方统计"]
        );
        assert_eq!(
            wrap("not an official statistic", 12.0, 1.0, &width_of, 6),
            ["not an", "official", "statistic"]
        );
        assert_eq!(
            wrap("整个市州 (1 市州)", 10.0, 1.0, &width_of, 6),
            ["整个市州 (1 市", "州)"],
            "a closing bracket stays with what it closes"
        );
        let cut = wrap("一二三四五六七八九十", 3.0, 1.0, &width_of, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
    }
}
