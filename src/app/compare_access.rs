//! The Compare panel's accessibility controls: a point layer, and from it each county's
//! distance to the nearest point (距离图) or the count of points within a radius
//! (半径内点数), each added as a layer and mapped; the counties with none within the radius
//! are counted in the notice.

use super::AtlasApp;
use crate::analysis::access::access_to_layer;
use crate::analysis::result_layers::{distance_layer, within_layer};
use crate::i18n::{Lang, tr};

/// The radius offered first, km.
const DEFAULT_KM: f64 = 50.0;

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui, lang: Lang) {
    let layers: Vec<(String, String)> = app
        .workspace
        .atlas
        .point_layers()
        .iter()
        .map(|p| (p.id.clone(), p.name.get(lang).to_owned()))
        .collect();
    let Some(first) = layers.first() else {
        return;
    };
    let chosen = app
        .compare
        .access_points
        .clone()
        .filter(|id| layers.iter().any(|(l, _)| l == id))
        .unwrap_or_else(|| first.0.clone());
    let mut picked = chosen.clone();
    let label = ui.label(tr(lang, "点图层", "Points"));
    let shown = layers
        .iter()
        .find(|(id, _)| *id == chosen)
        .map_or("", |(_, name)| name.as_str());
    egui::ComboBox::from_id_salt("compare-access-points")
        .selected_text(shown)
        .width(150.0)
        .truncate()
        .show_ui(ui, |ui| {
            for (id, name) in &layers {
                ui.selectable_value(&mut picked, id.clone(), name);
            }
        })
        .response
        .labelled_by(label.id);
    app.compare.access_points = Some(picked.clone());
    let distance = ui
        .button(tr(lang, "距离图", "Distance map"))
        .on_hover_text(tr(
            lang,
            "各县面积中心到最近点的直线距离(公里)作为图层加入并显示",
            "Each county's straight-line distance (km) from its area's centroid to the nearest point, added as a layer and mapped",
        ))
        .clicked();
    if app.compare.access_km <= 0.0 {
        app.compare.access_km = DEFAULT_KM;
    }
    let label = ui.label(tr(lang, "半径", "Radius"));
    ui.add(
        egui::DragValue::new(&mut app.compare.access_km)
            .range(1.0..=1000.0)
            .speed(1.0)
            .suffix(" km"),
    )
    .labelled_by(label.id);
    let within = ui
        .button(tr(lang, "半径内点数", "Points within"))
        .on_hover_text(tr(
            lang,
            "各县面积中心在半径内的点数作为图层加入并显示,并说明有多少县区半径内一个也没有",
            "The points within the radius of each county's centroid, added as a layer and mapped; the counties with none are counted",
        ))
        .clicked();
    if distance || within {
        add_access_layer(app, &picked, within, lang);
    }
}

/// Computes the access of every county to `points_id` and maps it: the count within the
/// panel's radius (`within`) or the distance to the nearest point.
fn add_access_layer(app: &mut AtlasApp, points_id: &str, within: bool, lang: Lang) {
    let workspace = app.workspace.clone();
    let Some(points) = workspace
        .atlas
        .point_layers()
        .iter()
        .find(|p| p.id == points_id)
    else {
        return;
    };
    let km = app.compare.access_km;
    let Some((access, placed)) = access_to_layer(&workspace.atlas, workspace.index(), points, km)
    else {
        app.notice = Some(
            tr(
                lang,
                "该点图层没有带坐标的点",
                "That point layer has no point with a position",
            )
            .to_owned(),
        );
        return;
    };
    let layer = if within {
        let none = access.without().count();
        let km = crate::format::number(km, 1);
        let name = points.name.get(lang);
        app.notice = Some(match lang {
            Lang::Zh => format!("{none} 个县区的面积中心 {km} 公里内没有{name}"),
            Lang::En => format!("{none} counties have no {name} within {km} km of their centroid"),
        });
        within_layer(points, &access, &placed)
    } else {
        distance_layer(points, &access, &placed)
    };
    let id = layer.id.clone();
    app.add_user_layers(vec![layer]);
    app.map_layer(&id);
}
