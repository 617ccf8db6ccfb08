//! The layers panel: the indicator layer and year, classification, overlays of designations,
//! point layers, borders, names and opacity.

use super::AtlasApp;
use super::view::{Overlay, OverlayStyle};
use crate::analysis::classify::Method;
use crate::atlas::LayerKind;
use crate::i18n::tr;
use crate::scene::Palette;

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let data = app.data.clone();
    let atlas = &data.atlas;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(tr(lang, "图层", "Layers"));
        let current = atlas
            .layer(&app.view.layer)
            .map(|l| l.name.get(lang).to_owned())
            .unwrap_or_default();
        egui::ComboBox::from_label(tr(lang, "指标", "Indicator"))
            .selected_text(current)
            .width(190.0)
            .show_ui(ui, |ui| {
                for layer in atlas.layers() {
                    if ui
                        .selectable_label(layer.id == app.view.layer, layer.name.get(lang))
                        .clicked()
                        && layer.id != app.view.layer
                    {
                        app.view.layer = layer.id.clone();
                        app.view.year = None;
                    }
                }
            });
        if let Some(layer) = atlas.layer(&app.view.layer) {
            let years: Vec<i32> = layer.years().collect();
            let shown = app.view.effective_year(atlas);
            egui::ComboBox::from_label(tr(lang, "年份", "Year"))
                .selected_text(shown.map(|y| y.to_string()).unwrap_or_else(|| "—".into()))
                .show_ui(ui, |ui| {
                    for year in years.iter().rev() {
                        if ui
                            .selectable_label(Some(*year) == shown, year.to_string())
                            .clicked()
                        {
                            app.view.year = Some(*year);
                        }
                    }
                });
            if let Some(caveat) = &layer.caveat {
                ui.label(egui::RichText::new(caveat.get(lang)).small().weak());
            }
            if matches!(layer.kind, LayerKind::Numeric) {
                ui.separator();
                egui::ComboBox::from_label(tr(lang, "分级方法", "Classification"))
                    .selected_text(method_name(app.view.method, lang))
                    .show_ui(ui, |ui| {
                        for method in Method::ALL {
                            ui.selectable_value(
                                &mut app.view.method,
                                method,
                                method_name(method, lang),
                            );
                        }
                    });
                ui.add(
                    egui::Slider::new(&mut app.view.classes, 2..=9)
                        .text(tr(lang, "级数", "Classes")),
                );
                egui::ComboBox::from_label(tr(lang, "配色", "Palette"))
                    .selected_text(app.view.palette.name())
                    .show_ui(ui, |ui| {
                        for palette in Palette::SEQUENTIAL {
                            ui.selectable_value(&mut app.view.palette, palette, palette.name());
                        }
                    });
            }
        }
        ui.add(egui::Slider::new(&mut app.view.opacity, 0.1..=1.0).text(tr(
            lang,
            "透明度",
            "Opacity",
        )));
        ui.checkbox(
            &mut app.view.region_borders,
            tr(lang, "五区边界加粗", "Bold region borders"),
        );
        ui.checkbox(&mut app.view.labels, tr(lang, "显示名称", "Show names"));

        ui.separator();
        ui.heading(tr(lang, "称号叠加", "Designation overlays"));
        for designation in atlas.designations() {
            let position = app
                .view
                .overlays
                .iter()
                .position(|o| o.designation == designation.id);
            let mut on = position.is_some();
            ui.horizontal(|ui| {
                if ui
                    .checkbox(&mut on, designation.name.get(lang))
                    .on_hover_text(
                        designation
                            .caveat
                            .as_ref()
                            .map(|c| c.get(lang))
                            .unwrap_or_default(),
                    )
                    .changed()
                {
                    match position {
                        Some(i) if !on => {
                            app.view.overlays.remove(i);
                        }
                        None if on => app.view.overlays.push(Overlay {
                            designation: designation.id.clone(),
                            style: OverlayStyle::Hatch,
                        }),
                        _ => {}
                    }
                }
            });
            if let Some(i) = app
                .view
                .overlays
                .iter()
                .position(|o| o.designation == designation.id)
            {
                ui.horizontal(|ui| {
                    ui.add_space(24.0);
                    ui.radio_value(
                        &mut app.view.overlays[i].style,
                        OverlayStyle::Hatch,
                        tr(lang, "斜线", "hatch"),
                    );
                    ui.radio_value(
                        &mut app.view.overlays[i].style,
                        OverlayStyle::Outline,
                        tr(lang, "描边", "outline"),
                    );
                });
            }
        }

        ui.separator();
        ui.heading(tr(lang, "点位", "Points"));
        for layer in atlas.point_layers() {
            let mut on = app.view.point_layers.contains(&layer.id);
            let placed = layer
                .features
                .iter()
                .filter(|f| f.position.is_some())
                .count();
            let label = format!(
                "{} ({placed}/{})",
                layer.name.get(lang),
                layer.features.len()
            );
            if ui
                .checkbox(&mut on, label)
                .on_hover_text(
                    layer
                        .caveat
                        .as_ref()
                        .map(|c| c.get(lang))
                        .unwrap_or_default(),
                )
                .changed()
            {
                if on {
                    app.view.point_layers.push(layer.id.clone());
                } else {
                    app.view.point_layers.retain(|id| id != &layer.id);
                }
            }
        }
    });
}

fn method_name(method: Method, lang: crate::i18n::Lang) -> &'static str {
    match method {
        Method::Quantile => tr(lang, "分位数", "Quantiles"),
        Method::EqualInterval => tr(lang, "等间距", "Equal interval"),
    }
}
