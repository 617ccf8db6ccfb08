//! The map: pan and zoom, hover and click through the spatial index, the wgpu paint callback,
//! names, point symbols, legend, scale bar and north arrow.

use super::AtlasApp;
use super::command::Command;
use crate::atlas::{LayerKind, UnitId};
use crate::format::number;
use crate::i18n::tr;
use crate::paint::MapCallback;
use crate::render::{FrameParams, PointInstance};
use crate::scene::furniture::north_arrow;
use crate::scene::labels::LabelKind;
use crate::scene::{Camera, Frame, MapScene, NameSizes, Rgba, Swatch, compose};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};

/// Margin kept around Sichuan when the map fits it, points.
const FIT_MARGIN: f64 = 24.0;
/// Margin kept around a county the map zooms to, points.
const ZOOM_TO_MARGIN: f64 = 48.0;
/// Above this many metres per point, prefecture names replace county names.
const PREFECTURE_LABELS_ABOVE_MPP: f64 = 1_400.0;

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    app.map_rect = Some(rect);
    let size = [f64::from(rect.width()), f64::from(rect.height())];
    let workspace = app.workspace.clone();
    let geometry = &workspace.geometry;
    let mut camera = match app.pending_fit.take() {
        Some(bounds) => Camera::fit(bounds, size, ZOOM_TO_MARGIN),
        None => app
            .view
            .camera
            .unwrap_or_else(|| Camera::fit(geometry.bounds, size, FIT_MARGIN)),
    };

    handle_input(ui, &response, &mut camera, size);
    app.view.camera = Some(camera);

    let local = |p: Pos2| [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)];
    let pointer_world = response
        .hover_pos()
        .map(|p| camera.screen_to_world(local(p), size));
    let pointer_lonlat = pointer_world.map(|w| workspace.atlas.projection().inverse(w));
    app.pointer_lonlat = pointer_lonlat;
    app.hovered_symbol = response
        .hover_pos()
        .and_then(|p| app.symbols.iter().position(|s| s.contains(local(p))));
    // A point symbol is what the pointer is on, not the county beneath it.
    app.hovered = match app.hovered_symbol {
        Some(_) => None,
        None => pointer_lonlat.and_then(|p| workspace.index().unit_at(p)),
    };
    if response.clicked() && app.hovered_symbol.is_none() {
        // Shift- or Ctrl-click brushes (adds or removes a county); a plain click selects.
        let modifiers = ui.input(|i| i.modifiers);
        match app.hovered {
            Some(unit) if modifiers.shift || modifiers.command => {
                app.commands.push(Command::ToggleBrush(unit));
            }
            hovered => app.commands.push(Command::Select(hovered)),
        }
    }
    if response.double_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        camera.zoom_at(2.0, local(p), size);
        app.view.camera = Some(camera);
    }

    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, colour(app.theme.background));
    let ppp = ui.ctx().pixels_per_point();
    let selected = app.selected_unit();
    let tables = app.unit_tables();
    let Some(style) = app.style() else { return };
    let measure = |text: &str, size: f32| {
        let galley =
            painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), Color32::BLACK);
        [f64::from(galley.size().x), f64::from(galley.size().y)]
    };
    let frame = Frame {
        camera,
        size,
        scale: 1.0,
        names: NameSizes {
            unit: 12.0,
            prefecture: 13.0,
            backdrop: 14.0,
        },
        prefecture_names: camera.metres_per_pixel > PREFECTURE_LABELS_ABOVE_MPP,
        selected,
        backdrop_clear_of_edges: false,
        scale_bar_max: 140.0,
        measure: &measure,
        lang: app.view.lang,
    };
    let scene = compose(&workspace, style, &frame);
    let params = FrameParams {
        centre: geometry.to_scene(camera.centre),
        metres_per_pixel: (camera.metres_per_pixel / f64::from(ppp)) as f32,
        viewport: [rect.width() * ppp, rect.height() * ppp],
        // The window's hatches stay put on the screen as the map pans under them.
        hatch_origin: [0.0; 2],
        pixels_per_point: ppp,
        fill_opacity: style.opacity,
        region_borders: style.region_borders,
        overlay_outlines: style.overlay_outlines,
        faint_county_borders: style.faint_county_borders,
        hovered: app.hovered.map(|u| u.0),
        selected: selected.map(|u| u.0),
        brushed: app.brushed.iter().map(|u| u.0).collect(),
        points: scene
            .symbols
            .iter()
            .map(|symbol| {
                let (shape, fill) = app.theme.point_style(symbol.layer);
                PointInstance {
                    centre: [symbol.centre[0] as f32 * ppp, symbol.centre[1] as f32 * ppp],
                    radius: symbol.radius * ppp,
                    shape,
                    hollow: symbol.hollow,
                    fill,
                }
            })
            .collect(),
    };
    painter.add(egui_wgpu::Callback::new_paint_callback(
        rect,
        MapCallback {
            frame: params,
            tables,
        },
    ));

    for symbol in scene.symbols.iter().filter(|s| s.count() > 1) {
        let at = rect.min + Vec2::new(symbol.centre[0] as f32, symbol.centre[1] as f32);
        // A hollow ring's count is read against the map, a filled symbol's against its fill.
        let ink = if symbol.hollow {
            colour(app.theme.label_text)
        } else {
            Color32::WHITE
        };
        painter.text(
            at,
            Align2::CENTER_CENTER,
            symbol.count().to_string(),
            FontId::proportional((symbol.radius * 0.9).max(9.0)),
            ink,
        );
    }
    draw_rings(app, &painter, rect, &scene);
    draw_labels(app, &painter, rect, &scene);
    draw_furniture(app, &painter, rect, &scene);
    legend(app, ui, rect);

    let symbols = scene.symbols.clone();
    if response.hovered() && !response.dragged() {
        if let Some(symbol) = app.hovered_symbol.and_then(|i| app.symbols.get(i)) {
            response.on_hover_ui_at_pointer(|ui| point_tooltip(app, ui, symbol));
        } else if let Some(unit) = app.hovered {
            response.on_hover_ui_at_pointer(|ui| tooltip(app, ui, unit));
        }
    }
    app.symbols = symbols;
}

fn handle_input(ui: &egui::Ui, response: &egui::Response, camera: &mut Camera, size: [f64; 2]) {
    if response.dragged() {
        let d = response.drag_delta();
        camera.pan([f64::from(d.x), f64::from(d.y)]);
    }
    let rect = response.rect;
    if response.hovered() {
        let (scroll, pinch, pointer) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y,
                i.zoom_delta(),
                i.pointer.hover_pos(),
            )
        });
        let factor = f64::from(pinch) * (f64::from(scroll) * 0.002).exp();
        if (factor - 1.0).abs() > 1e-6
            && let Some(p) = pointer
        {
            camera.zoom_at(
                factor,
                [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)],
                size,
            );
        }
    }
    // Keys move the map only while no text field has the keyboard.
    if ui.memory(|m| m.focused().is_none()) {
        let centre = [size[0] / 2.0, size[1] / 2.0];
        ui.input(|i| {
            const STEP: f64 = 60.0;
            for (key, delta) in [
                (egui::Key::ArrowLeft, [STEP, 0.0]),
                (egui::Key::ArrowRight, [-STEP, 0.0]),
                (egui::Key::ArrowUp, [0.0, STEP]),
                (egui::Key::ArrowDown, [0.0, -STEP]),
            ] {
                if i.key_pressed(key) {
                    camera.pan(delta);
                }
            }
            if i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals) {
                camera.zoom_at(1.5, centre, size);
            }
            if i.key_pressed(egui::Key::Minus) {
                camera.zoom_at(1.0 / 1.5, centre, size);
            }
        });
    }
}

fn draw_labels(app: &AtlasApp, painter: &egui::Painter, rect: Rect, scene: &MapScene<'_>) {
    let theme = &app.theme;
    for label in &scene.labels {
        let at = rect.min + Vec2::new(label.centre[0] as f32, label.centre[1] as f32);
        let font = FontId::proportional(label.size);
        let backdrop = matches!(label.kind, LabelKind::Backdrop(_));
        let text_colour = if backdrop {
            colour(theme.backdrop_label)
        } else {
            colour(theme.label_text)
        };
        let halo = (!backdrop).then(|| colour(theme.label_halo));
        text_with_halo(
            painter,
            at,
            Align2::CENTER_CENTER,
            &label.text,
            font,
            text_colour,
            halo,
        );
    }
}

/// A text with, where `halo` is given, a one-point halo around it to read over the map.
fn text_with_halo(
    painter: &egui::Painter,
    at: Pos2,
    align: Align2,
    text: &str,
    font: FontId,
    ink: Color32,
    halo: Option<Color32>,
) {
    if let Some(halo) = halo {
        for offset in [
            Vec2::new(-1.0, 0.0),
            Vec2::new(1.0, 0.0),
            Vec2::new(0.0, -1.0),
            Vec2::new(0.0, 1.0),
        ] {
            painter.text(at + offset, align, text, font.clone(), halo);
        }
    }
    painter.text(at, align, text, font, ink);
}

/// The distance rings, each labelled with its radius at its top, and their centres marked
/// and named.
fn draw_rings(app: &AtlasApp, painter: &egui::Painter, rect: Rect, scene: &MapScene<'_>) {
    let (ring_colour, width) = app.theme.rings;
    let ink = colour(ring_colour);
    let halo = colour(app.theme.label_halo);
    let at = |p: [f64; 2]| rect.min + Vec2::new(p[0] as f32, p[1] as f32);
    for centre in &scene.rings {
        for circle in &centre.circles {
            let points: Vec<Pos2> = circle.points.iter().map(|&p| at(p)).collect();
            painter.add(egui::Shape::line(points, Stroke::new(width, ink)));
            let label = format!("{} km", crate::format::number(circle.km, 1));
            let top = at(circle.label_at);
            let font = FontId::proportional(11.0);
            text_with_halo(
                painter,
                top,
                Align2::CENTER_BOTTOM,
                &label,
                font,
                ink,
                Some(halo),
            );
        }
        let c = at(centre.centre);
        painter.circle(c, 3.5, Color32::WHITE, Stroke::new(1.5, ink));
        let font = FontId::proportional(11.0);
        let at = c + Vec2::new(6.0, 2.0);
        text_with_halo(
            painter,
            at,
            Align2::LEFT_TOP,
            &centre.name,
            font,
            ink,
            Some(halo),
        );
    }
}

/// The scale bar (bottom right) and the north arrow (top right) of the scene.
fn draw_furniture(app: &AtlasApp, painter: &egui::Painter, rect: Rect, scene: &MapScene<'_>) {
    let lang = app.view.lang;
    let ink = Color32::from_rgb(40, 40, 40);
    let bar = scene.scale_bar;
    let right = rect.max - Vec2::new(16.0, 18.0);
    let left = right - Vec2::new(bar.pixels as f32, 0.0);
    let backing = Color32::from_rgba_unmultiplied(255, 255, 255, 200);
    painter.rect_filled(
        Rect::from_min_max(left - Vec2::new(8.0, 26.0), right + Vec2::new(8.0, 8.0)),
        4.0,
        backing,
    );
    let stroke = Stroke::new(2.0, ink);
    painter.line_segment([left, right], stroke);
    for x in [left, right] {
        painter.line_segment([x, x - Vec2::new(0.0, 6.0)], stroke);
    }
    painter.text(
        Pos2::new((left.x + right.x) / 2.0, left.y - 8.0),
        Align2::CENTER_BOTTOM,
        bar.label(),
        FontId::proportional(12.0),
        ink,
    );
    // The arrow at 1.25 times its units, pointing to true north at the view's centre.
    const ARROW_SCALE: f32 = 1.25;
    let arrow = north_arrow(scene.north);
    let centre = Pos2::new(rect.max.x - 28.0, rect.min.y + 44.0);
    let at = |v: [f32; 2]| centre + Vec2::new(v[0], v[1]) * ARROW_SCALE;
    painter.circle_filled(centre + Vec2::new(0.0, -6.0), 24.0, backing);
    painter.add(egui::Shape::convex_polygon(
        arrow.dark.map(at).to_vec(),
        ink,
        Stroke::NONE,
    ));
    painter.add(egui::Shape::convex_polygon(
        arrow.light.map(at).to_vec(),
        Color32::WHITE,
        Stroke::new(1.0, ink),
    ));
    painter.text(
        at(arrow.letter),
        Align2::CENTER_CENTER,
        tr(lang, "北", "N"),
        FontId::proportional(13.0),
        ink,
    );
}

/// The scene's legend over the map's bottom left: the same rows as a page's legend.
fn legend(app: &AtlasApp, ui: &egui::Ui, rect: Rect) {
    let Some(style) = app.style() else {
        return;
    };
    let lang = app.view.lang;
    egui::Area::new(egui::Id::unique("map legend"))
        .order(egui::Order::Middle)
        .fixed_pos(rect.left_bottom() + Vec2::new(12.0, -12.0))
        .pivot(Align2::LEFT_BOTTOM)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(280.0);
                ui.label(egui::RichText::new(style.legend.title.get(lang)).strong());
                for item in &style.legend.items {
                    ui.horizontal(|ui| {
                        let (swatch, _) =
                            ui.allocate_exact_size(Vec2::new(22.0, 13.0), Sense::hover());
                        draw_swatch(ui.painter(), swatch, item.swatch, &app.theme);
                        ui.label(item.text(lang));
                    });
                }
                for note in &style.legend.notes {
                    ui.label(egui::RichText::new(note.get(lang)).small().weak());
                }
                if let Some(method) = style.choropleth.as_ref().and_then(|c| c.method_text(lang)) {
                    ui.label(egui::RichText::new(method).small().weak());
                }
            });
        });
}

/// A legend swatch as the map draws what it stands for.
fn draw_swatch(painter: &egui::Painter, rect: Rect, swatch: Swatch, theme: &crate::scene::Theme) {
    match swatch {
        Swatch::Fill(c) => {
            painter.rect_filled(rect, 2.0, colour(c));
        }
        Swatch::NoData => hatch(painter, rect, theme),
        Swatch::Hatch | Swatch::WideHatch | Swatch::Outline => {
            overlay_swatch(painter, rect, swatch, theme)
        }
        Swatch::Point { layer, hollow } => {
            let (shape, fill) = theme.point_style(layer);
            symbol(painter, rect.center(), 5.0, shape, hollow, colour(fill));
        }
    }
}

/// A point symbol as the map's shader draws it (the legend's swatch, the tooltip's).
fn symbol(
    painter: &egui::Painter,
    centre: Pos2,
    radius: f32,
    shape: crate::scene::points::SymbolShape,
    hollow: bool,
    fill: Color32,
) {
    let (fill_colour, stroke) = if hollow {
        (Color32::TRANSPARENT, Stroke::new(2.0, fill))
    } else {
        (fill, Stroke::new(1.0, Color32::WHITE))
    };
    match shape.polygon() {
        None => {
            painter.circle(centre, radius, fill_colour, stroke);
        }
        Some(corners) => {
            let points = corners
                .iter()
                .map(|[x, y]| centre + Vec2::new(*x, *y) * radius)
                .collect();
            painter.add(egui::Shape::convex_polygon(points, fill_colour, stroke));
        }
    }
}

/// The no-data swatch: the no-data colour with the hatch the map uses.
fn hatch(painter: &egui::Painter, rect: Rect, theme: &crate::scene::Theme) {
    painter.rect_filled(rect, 2.0, colour(theme.no_data));
    let stroke = Stroke::new(1.0, colour(theme.no_data_hatch));
    let clipped = painter.with_clip_rect(rect);
    let mut x = rect.min.x - rect.height();
    while x < rect.max.x {
        clipped.line_segment(
            [
                Pos2::new(x, rect.min.y),
                Pos2::new(x + rect.height(), rect.max.y),
            ],
            stroke,
        );
        x += 5.0;
    }
    painter.rect_stroke(
        rect,
        2.0,
        Stroke::new(0.5, Color32::GRAY),
        egui::StrokeKind::Inside,
    );
}

/// A designation's legend swatch: hatch or outline, as on the map.
fn overlay_swatch(
    painter: &egui::Painter,
    rect: Rect,
    swatch: Swatch,
    theme: &crate::scene::Theme,
) {
    painter.rect_filled(rect, 2.0, Color32::WHITE);
    match swatch {
        Swatch::WideHatch => {
            let dot = colour(theme.overlay_hatch);
            let mut y = rect.min.y + 3.0;
            while y < rect.max.y {
                let mut x = rect.min.x + 3.0;
                while x < rect.max.x {
                    painter.circle_filled(Pos2::new(x, y), 1.3, dot);
                    x += 6.0;
                }
                y += 6.0;
            }
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(0.5, Color32::GRAY),
                egui::StrokeKind::Inside,
            );
        }
        Swatch::Hatch => {
            let stroke = Stroke::new(1.5, colour(theme.overlay_hatch));
            let clipped = painter.with_clip_rect(rect);
            let mut x = rect.min.x - rect.height();
            while x < rect.max.x {
                clipped.line_segment(
                    [
                        Pos2::new(x, rect.max.y),
                        Pos2::new(x + rect.height(), rect.min.y),
                    ],
                    stroke,
                );
                x += 6.0;
            }
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(0.5, Color32::GRAY),
                egui::StrokeKind::Inside,
            );
        }
        _ => {
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(2.0, colour(theme.overlay_outline)),
                egui::StrokeKind::Inside,
            );
        }
    }
}

/// What a point symbol stands for: each feature's name, layer, year, placement and source
/// (the first few of a cluster).
fn point_tooltip(app: &AtlasApp, ui: &mut egui::Ui, symbol: &crate::scene::Symbol) {
    const SHOWN: usize = 8;
    let lang = app.view.lang;
    let atlas = &app.workspace.atlas;
    let Some(style) = app.style() else { return };
    ui.set_max_width(360.0);
    for &member in symbol.members.iter().take(SHOWN) {
        let Some(point) = style.points.get(member) else {
            continue;
        };
        let feature = style.feature(atlas, point);
        let layer = &atlas.point_layers()[style.point_layers[point.layer]];
        ui.label(egui::RichText::new(&feature.name).strong());
        let place = match (point.exact, feature.unit) {
            (None, Some(unit)) => match lang {
                crate::i18n::Lang::Zh => format!("位于{}(仅知所在县)", atlas.unit(unit).name),
                crate::i18n::Lang::En => {
                    format!("in {} (placed by county only)", atlas.unit(unit).name_en)
                }
            },
            _ => feature.placement.clone(),
        };
        ui.label(format!(
            "{} · {} · {place}",
            layer.name.get(lang),
            feature.year_label
        ));
        ui.label(
            egui::RichText::new(format!(
                "{}: {}",
                tr(lang, "来源", "Source"),
                atlas.source(feature.source)
            ))
            .small()
            .weak(),
        );
    }
    if symbol.count() > SHOWN {
        ui.label(match lang {
            crate::i18n::Lang::Zh => format!("……另有 {} 处", symbol.count() - SHOWN),
            crate::i18n::Lang::En => format!("… and {} more", symbol.count() - SHOWN),
        });
    }
}

fn tooltip(app: &AtlasApp, ui: &mut egui::Ui, unit: UnitId) {
    let lang = app.view.lang;
    let atlas = &app.workspace.atlas;
    let county = atlas.unit(unit);
    ui.label(egui::RichText::new(format!("{} {}", county.name_in(lang), county.adcode)).strong());
    ui.label(format!(
        "{} · {}",
        atlas.prefecture_of(county).name_in(lang),
        county.region.name(lang)
    ));
    let Some(layer) = app.workspace.layer(&app.view.doc.map.layer) else {
        return;
    };
    let Some(year) = app.view.effective_year(&app.workspace) else {
        return;
    };
    match layer.value_for(county, year) {
        Some(observation) => {
            let value = match &layer.kind {
                LayerKind::Categorical { .. } => layer
                    .category(observation.value)
                    .map(|c| c.get(lang).to_owned())
                    .unwrap_or_default(),
                LayerKind::Numeric => {
                    let (factor, unit) = crate::atlas::display_unit(&layer.unit, lang);
                    format!("{} {unit}", number(observation.value * factor, 2))
                }
            };
            let value = if layer.level == crate::atlas::Level::Prefecture {
                format!(
                    "{value} {}",
                    tr(
                        lang,
                        "(市级数值,全市州同)",
                        "(prefecture-level: the whole prefecture's)"
                    )
                )
            } else {
                value
            };
            ui.label(format!(
                "{}: {value}",
                layer_name_with_year(layer, year, lang)
            ));
            if let Some(class) = app.choropleth().and_then(|c| {
                c.classes
                    .get(unit.index())
                    .copied()
                    .flatten()
                    .and_then(|i| c.legend.get(i))
            }) {
                ui.label(format!(
                    "{}: {}",
                    tr(lang, "分级", "class"),
                    class.label.get(lang)
                ));
            }
        }
        None => {
            ui.label(format!(
                "{}: {}",
                layer_name_with_year(layer, year, lang),
                tr(lang, "无数据", "no data")
            ));
        }
    }
}

/// A layer's name, with the year where the layer has several (single-year names carry it).
fn layer_name_with_year(layer: &crate::atlas::Layer, year: i32, lang: crate::i18n::Lang) -> String {
    if layer.years().nth(1).is_some() {
        format!("{} {year}", layer.name.get(lang))
    } else {
        layer.name.get(lang).to_owned()
    }
}

/// An sRGB theme colour as an egui colour.
pub(super) fn colour(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}
