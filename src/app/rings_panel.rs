//! 距离圈 / Distance rings, in the layers panel: circles at chosen distances around 成都's
//! population centre or each economic region's, drawn on the map and on every export, and the
//! distance from each county to those centres mapped as a layer.

use super::AtlasApp;
use crate::analysis::centres::{DistanceTo, distance_layer};
use crate::i18n::tr;
use crate::scene::{Rings, RingsAround};

/// The radii offered until the user types others, km.
const DEFAULT_KM: &str = "50, 100, 200";

/// The section's state between frames: the radii as typed.
#[derive(Default)]
pub struct RingsState {
    /// The radii field's text; empty until first shown.
    typed: String,
    /// Why the typed radii are not used.
    error: Option<String>,
}

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    ui.heading(tr(lang, "距离圈", "Distance rings"));
    if app.rings.typed.is_empty() {
        app.rings.typed = app.view.doc.rings.as_ref().map_or_else(
            || DEFAULT_KM.to_owned(),
            |r| {
                r.km.iter()
                    .map(|k| crate::format::number(*k, 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
    }
    let around = app.view.doc.rings.as_ref().map(|r| r.around);
    let name = |a: Option<RingsAround>| match a {
        None => tr(lang, "不画", "None"),
        Some(RingsAround::Chengdu) => tr(lang, "成都市人口重心", "Chengdu's population centre"),
        Some(RingsAround::Regions) => {
            tr(lang, "各经济区人口重心", "Each region's population centre")
        }
    };
    let mut chosen = around;
    let mut typed_changed = false;
    egui::Grid::new("rings").num_columns(2).show(ui, |ui| {
        let label = ui.label(tr(lang, "圆心", "Centre"));
        egui::ComboBox::from_id_salt("rings-around")
            .selected_text(name(around))
            .show_ui(ui, |ui| {
                for a in [None, Some(RingsAround::Chengdu), Some(RingsAround::Regions)] {
                    ui.selectable_value(&mut chosen, a, name(a));
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(tr(
                lang,
                "人口重心:按2020年普查人口加权的县域面积中心",
                "Population centre: the counties' area centroids weighted by the 2020 census population",
            ));
        ui.end_row();
        let label = ui.label(tr(lang, "半径(公里)", "Radii (km)"));
        typed_changed = ui
            .add(egui::TextEdit::singleline(&mut app.rings.typed).desired_width(120.0))
            .labelled_by(label.id)
            .changed();
        ui.end_row();
    });
    if chosen != around || typed_changed {
        apply(app, chosen);
    }
    if let Some(error) = &app.rings.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.horizontal_wrapped(|ui| {
        for (to, zh, en) in [
            (DistanceTo::Chengdu, "距成都距离图", "Distance to Chengdu"),
            (DistanceTo::OwnRegion, "距本区中心距离图", "Distance to own region's centre"),
        ] {
            if ui
                .button(tr(lang, zh, en))
                .on_hover_text(tr(
                    lang,
                    "各县面积中心到人口重心的直线距离(公里)作为图层加入并显示",
                    "Each county's straight-line distance (km) from its area centroid to the centre, added as a layer and mapped",
                ))
                .clicked()
                && let Some(layer) = distance_layer(&app.workspace.atlas, to)
            {
                let id = layer.id.clone();
                app.add_user_layers(vec![layer]);
                app.map_layer(&id);
            }
        }
    });
}

/// Sets the document's rings from the choice and the typed radii, or says why the radii
/// cannot be used (the rings drawn stay as they were).
fn apply(app: &mut AtlasApp, around: Option<RingsAround>) {
    let Some(around) = around else {
        app.view.doc.rings = None;
        app.rings.error = None;
        return;
    };
    let spec = format!(
        "{}:{}",
        match around {
            RingsAround::Chengdu => "chengdu",
            RingsAround::Regions => "regions",
        },
        app.rings.typed
    );
    match spec.parse::<Rings>() {
        Ok(rings) => {
            app.view.doc.rings = Some(rings);
            app.rings.error = None;
        }
        Err(_) => app.rings.error = Some(
            tr(
                app.view.lang,
                "半径请写成以逗号分隔的公里数,如 50, 100, 200(0 至 2000)",
                "Write the radii as kilometres separated by commas, e.g. 50, 100, 200 (0 to 2000)",
            )
            .to_owned(),
        ),
    }
}
