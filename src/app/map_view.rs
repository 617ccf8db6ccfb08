//! The map: pan and zoom, hover and click through the spatial index, the wgpu paint callback,
//! names, point symbols, legend, scale bar and north arrow.

use super::AtlasApp;
use super::command::Command;
use super::view::OverlayStyle;
use crate::atlas::{LayerKind, UnitId};
use crate::format::number;
use crate::i18n::tr;
use crate::paint::MapCallback;
use crate::render::{FrameParams, PointInstance};
use crate::scene::labels::{LabelCandidate, LabelKind, place};
use crate::scene::points::{cluster, symbol_radius};
use crate::scene::{Camera, Rgba, furniture};
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
    let data = app.data.clone();
    let geometry = &data.geometry;
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
    let pointer_lonlat = pointer_world.map(|w| data.atlas.projection().inverse(w));
    app.pointer_lonlat = pointer_lonlat;
    app.hovered = pointer_lonlat.and_then(|p| data.index.unit_at(p));
    if response.clicked() {
        app.commands.push(Command::Select(app.hovered));
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
    let points = point_symbols(app, &camera, size);
    let frame = FrameParams {
        centre: geometry.to_scene(camera.centre),
        metres_per_pixel: (camera.metres_per_pixel / f64::from(ppp)) as f32,
        viewport: [rect.width() * ppp, rect.height() * ppp],
        pixels_per_point: ppp,
        fill_opacity: app.view.opacity,
        region_borders: app.view.region_borders,
        overlay_outlines: app
            .view
            .overlays
            .iter()
            .any(|o| o.style == OverlayStyle::Outline),
        hovered: app.hovered.map(|u| u.0),
        selected: selected.map(|u| u.0),
        points: points
            .iter()
            .map(|(centre, radius, _)| PointInstance {
                centre: [centre[0] as f32 * ppp, centre[1] as f32 * ppp],
                radius: radius * ppp,
            })
            .collect(),
    };
    painter.add(egui_wgpu::Callback::new_paint_callback(
        rect,
        MapCallback { frame, tables },
    ));

    for (centre, radius, count) in &points {
        if *count > 1 {
            let at = rect.min + Vec2::new(centre[0] as f32, centre[1] as f32);
            painter.text(
                at,
                Align2::CENTER_CENTER,
                count.to_string(),
                FontId::proportional((radius * 0.9).max(9.0)),
                Color32::WHITE,
            );
        }
    }
    if app.view.labels {
        draw_labels(app, &painter, rect, &camera, size);
    }
    draw_furniture(app, &painter, rect, &camera, size);
    legend(app, ui, rect);

    if let Some(unit) = app.hovered
        && response.hovered()
        && !response.dragged()
    {
        response.on_hover_ui_at_pointer(|ui| tooltip(app, ui, unit));
    }
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

/// Point symbols in map coordinates (points): centre, radius, member count.
fn point_symbols(app: &AtlasApp, camera: &Camera, size: [f64; 2]) -> Vec<([f64; 2], f32, usize)> {
    let atlas = &app.data.atlas;
    let positions: Vec<[f64; 2]> = atlas
        .point_layers()
        .iter()
        .filter(|l| app.view.point_layers.contains(&l.id))
        .flat_map(|l| l.features.iter().filter_map(|f| f.position))
        .map(|p| atlas.projection().forward(p))
        .collect();
    cluster(&positions, camera, size, 26.0)
        .into_iter()
        .map(|s| {
            (
                s.centre,
                symbol_radius(s.members.len(), camera.metres_per_pixel),
                s.members.len(),
            )
        })
        .collect()
}

fn draw_labels(
    app: &AtlasApp,
    painter: &egui::Painter,
    rect: Rect,
    camera: &Camera,
    size: [f64; 2],
) {
    let atlas = &app.data.atlas;
    let geometry = &app.data.geometry;
    let selected = app.selected_unit();
    let zoomed_out = camera.metres_per_pixel > PREFECTURE_LABELS_ABOVE_MPP;
    let mut candidates: Vec<LabelCandidate> = Vec::with_capacity(atlas.units().len() + 30);
    for (unit, anchor) in atlas.units().iter().zip(&geometry.labels().units) {
        let is_selected = Some(unit.id) == selected;
        if zoomed_out && !is_selected {
            continue;
        }
        candidates.push(LabelCandidate {
            text: unit.name.clone(),
            anchor: anchor.position,
            priority: if is_selected { 1e12 } else { unit.area_km2 },
            clearance: if is_selected { 0.0 } else { anchor.clearance },
            size: 12.0,
            kind: LabelKind::Unit(unit.id.0),
        });
    }
    if zoomed_out {
        for (prefecture, anchor) in atlas
            .prefectures()
            .iter()
            .zip(&geometry.labels().prefectures)
        {
            candidates.push(LabelCandidate {
                text: prefecture.name.clone(),
                anchor: *anchor,
                priority: 1e9,
                clearance: 0.0,
                size: 13.0,
                kind: LabelKind::Prefecture(prefecture.id.0),
            });
        }
    }
    for (i, (region, anchor)) in atlas
        .backdrop()
        .iter()
        .zip(&geometry.backdrop_labels)
        .enumerate()
    {
        candidates.push(LabelCandidate {
            text: region.name.clone(),
            anchor: *anchor,
            priority: 1.0,
            clearance: 0.0,
            size: 14.0,
            kind: LabelKind::Backdrop(i as u32),
        });
    }
    let measure = |text: &str, size: f32| {
        let galley =
            painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), Color32::BLACK);
        [f64::from(galley.size().x), f64::from(galley.size().y)]
    };
    let theme = &app.theme;
    for label in place(&candidates, camera, size, measure) {
        let at = rect.min + Vec2::new(label.centre[0] as f32, label.centre[1] as f32);
        let font = FontId::proportional(label.size);
        let text_colour = match label.kind {
            LabelKind::Backdrop(_) => colour(theme.backdrop_label),
            _ => colour(theme.label_text),
        };
        if !matches!(label.kind, LabelKind::Backdrop(_)) {
            for offset in [
                Vec2::new(-1.0, 0.0),
                Vec2::new(1.0, 0.0),
                Vec2::new(0.0, -1.0),
                Vec2::new(0.0, 1.0),
            ] {
                painter.text(
                    at + offset,
                    Align2::CENTER_CENTER,
                    &label.text,
                    font.clone(),
                    colour(theme.label_halo),
                );
            }
        }
        painter.text(at, Align2::CENTER_CENTER, &label.text, font, text_colour);
    }
}

fn draw_furniture(
    app: &AtlasApp,
    painter: &egui::Painter,
    rect: Rect,
    camera: &Camera,
    _size: [f64; 2],
) {
    let lang = app.view.lang;
    let ink = Color32::from_rgb(40, 40, 40);
    // Scale bar, bottom right.
    let bar = furniture::scale_bar(camera.metres_per_pixel, 140.0);
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
    let km = if bar.km >= 1.0 {
        format!("{} km", number(bar.km, 0))
    } else {
        format!("{} m", number(bar.km * 1000.0, 0))
    };
    painter.text(
        Pos2::new((left.x + right.x) / 2.0, left.y - 8.0),
        Align2::CENTER_BOTTOM,
        km,
        FontId::proportional(12.0),
        ink,
    );
    // North arrow, top right, pointing to true north at the view's centre.
    let angle = furniture::north_angle(app.data.atlas.projection(), camera.centre) as f32;
    let centre = Pos2::new(rect.max.x - 28.0, rect.min.y + 44.0);
    painter.circle_filled(centre + Vec2::new(0.0, -6.0), 24.0, backing);
    // Clockwise by `angle` on screen (y down).
    let rotate = |v: Vec2| {
        Vec2::new(
            v.x * angle.cos() - v.y * angle.sin(),
            v.x * angle.sin() + v.y * angle.cos(),
        )
    };
    let tip = centre + rotate(Vec2::new(0.0, -16.0));
    let left_base = centre + rotate(Vec2::new(-7.0, 10.0));
    let right_base = centre + rotate(Vec2::new(7.0, 10.0));
    let notch = centre + rotate(Vec2::new(0.0, 5.0));
    painter.add(egui::Shape::convex_polygon(
        vec![tip, notch, left_base],
        ink,
        Stroke::NONE,
    ));
    painter.add(egui::Shape::convex_polygon(
        vec![tip, right_base, notch],
        Color32::WHITE,
        Stroke::new(1.0, ink),
    ));
    painter.text(
        centre + rotate(Vec2::new(0.0, -26.0)),
        Align2::CENTER_CENTER,
        tr(lang, "北", "N"),
        FontId::proportional(13.0),
        ink,
    );
}

fn legend(app: &AtlasApp, ui: &egui::Ui, rect: Rect) {
    let Some(choropleth) = app.choropleth() else {
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
                ui.set_max_width(260.0);
                ui.label(egui::RichText::new(choropleth.title.get(lang)).strong());
                for entry in &choropleth.legend {
                    ui.horizontal(|ui| {
                        let (swatch, _) =
                            ui.allocate_exact_size(Vec2::new(22.0, 13.0), Sense::hover());
                        if entry.no_data {
                            hatch(ui.painter(), swatch, &app.theme);
                        } else {
                            ui.painter().rect_filled(swatch, 2.0, colour(entry.colour));
                        }
                        ui.label(format!("{}  ({})", entry.label.get(lang), entry.count));
                    });
                }
                for overlay in &app.view.overlays {
                    let Some(designation) = app.data.atlas.designation(&overlay.designation) else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        let (swatch, _) =
                            ui.allocate_exact_size(Vec2::new(22.0, 13.0), Sense::hover());
                        overlay_swatch(ui.painter(), swatch, overlay.style, &app.theme);
                        ui.label(designation.name.get(lang));
                    });
                }
                for layer in app
                    .data
                    .atlas
                    .point_layers()
                    .iter()
                    .filter(|l| app.view.point_layers.contains(&l.id))
                {
                    ui.horizontal(|ui| {
                        let (swatch, _) =
                            ui.allocate_exact_size(Vec2::new(22.0, 13.0), Sense::hover());
                        ui.painter().circle(
                            swatch.center(),
                            5.0,
                            colour(app.theme.point_fill),
                            Stroke::new(1.5, colour(app.theme.point_outline)),
                        );
                        ui.label(layer.name.get(lang));
                    });
                }
                if let Some(classification) = &choropleth.classification {
                    let method = classification.method.name();
                    ui.label(
                        egui::RichText::new(format!(
                            "{}, {} {}",
                            method.get(lang),
                            classification.len(),
                            tr(lang, "级", "classes")
                        ))
                        .small()
                        .weak(),
                    );
                }
            });
        });
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
    style: OverlayStyle,
    theme: &crate::scene::Theme,
) {
    painter.rect_filled(rect, 2.0, Color32::WHITE);
    match style {
        OverlayStyle::Hatch => {
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
        OverlayStyle::Outline => {
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(2.0, colour(theme.overlay_outline)),
                egui::StrokeKind::Inside,
            );
        }
    }
}

fn tooltip(app: &AtlasApp, ui: &mut egui::Ui, unit: UnitId) {
    let lang = app.view.lang;
    let atlas = &app.data.atlas;
    let county = atlas.unit(unit);
    ui.label(egui::RichText::new(format!("{} {}", county.name, county.adcode)).strong());
    ui.label(format!(
        "{} · {}",
        atlas.prefecture_of(county).name,
        county.region.name(lang)
    ));
    let Some(layer) = atlas.layer(&app.view.map.layer) else {
        return;
    };
    let Some(year) = app.view.effective_year(atlas) else {
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
                    format!("{} {}", number(observation.value, 2), layer.unit.get(lang))
                }
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
