//! The layers panel: the indicator, year and normalisation; classification, palette and
//! legend labels; designation overlays; point layers; borders, names and opacity.

use super::AtlasApp;
use crate::analysis::classify::Method;
use crate::analysis::mapped::Normalization;
use crate::atlas::{LayerKind, Measure};
use crate::i18n::{Lang, tr};
use crate::scene::{MapSpec, Overlay, OverlayStyle};
use crate::scene::{Palette, SchemeKind};
use egui::RichText;

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        indicator(app, ui);
        ui.separator();
        classification(app, ui);
        ui.separator();
        display(app, ui);
        ui.separator();
        overlays(app, ui);
        ui.separator();
        points(app, ui);
        ui.separator();
        super::rings_panel::show(app, ui);
    });
}

fn indicator(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let workspace = app.workspace.clone();
    ui.heading(tr(lang, "图层", "Layers"));
    let spec = &mut app.view.doc.map;
    let current = workspace
        .layer(&spec.layer)
        .map(|l| l.name.get(lang).to_owned())
        .unwrap_or_default();
    // A long name (a computed layer's) is cut to one line within the button's width, the
    // list showing it whole: egui truncates against the width available, so the button sits
    // in a scope of that width, its label beside it.
    ui.horizontal(|ui| {
        let combo = ui.scope(|ui| {
            ui.set_max_width(190.0);
            egui::ComboBox::from_id_salt("indicator-layer")
                .selected_text(current)
                .width(190.0)
                .truncate()
                .show_ui(ui, |ui| {
                    for layer in workspace.layers() {
                        if ui
                            .selectable_label(layer.id == spec.layer, layer.name.get(lang))
                            .clicked()
                            && layer.id != spec.layer
                        {
                            spec.layer = layer.id.clone();
                            spec.year = None;
                            spec.labels.clear();
                            if matches!(layer.kind, LayerKind::Categorical { .. }) {
                                spec.normalization = Normalization::None;
                            }
                        }
                    }
                })
        });
        let label = ui.label(tr(lang, "指标", "Indicator"));
        combo.inner.response.labelled_by(label.id);
    });
    let Some(layer) = workspace.layer(&spec.layer) else {
        return;
    };
    let shown = spec.year.or_else(|| layer.default_year());
    // A user's table that names no year keeps its values under year 0: shown as not given.
    let year_text = |year: i32| {
        if year == 0 {
            tr(lang, "未注明", "not given").to_owned()
        } else {
            year.to_string()
        }
    };
    egui::ComboBox::from_label(tr(lang, "年份", "Year"))
        .selected_text(shown.map(year_text).unwrap_or_else(|| "—".into()))
        .show_ui(ui, |ui| {
            for year in layer.years().collect::<Vec<_>>().into_iter().rev() {
                if ui
                    .selectable_label(Some(year) == shown, year_text(year))
                    .clicked()
                {
                    spec.year = Some(year);
                }
            }
        });
    let years: Vec<i32> = layer.years().collect();
    if years.len() > 1 && matches!(layer.kind, LayerKind::Numeric) {
        year_steps(ui, spec, (&years, shown), lang);
    }
    if matches!(layer.kind, LayerKind::Numeric) {
        ui.horizontal(|ui| {
            ui.label(tr(lang, "标准化", "Normalise"));
            ui.radio_value(
                &mut spec.normalization,
                Normalization::None,
                tr(lang, "无", "none"),
            );
            ui.radio_value(
                &mut spec.normalization,
                Normalization::Population,
                tr(lang, "每万人", "per 10k people"),
            );
            ui.radio_value(
                &mut spec.normalization,
                Normalization::Area,
                tr(lang, "每平方公里", "per km²"),
            );
        });
        if layer.measure == Measure::Amount && spec.normalization == Normalization::None {
            ui.label(
                RichText::new(tr(
                    lang,
                    "总量指标:直接分级会突出大县,建议标准化",
                    "An amount: mapped raw, large counties stand out; normalise it",
                ))
                .small()
                .color(ui.visuals().warn_fg_color),
            );
        }
    }
    if let Some(caveat) = &layer.caveat {
        ui.label(RichText::new(caveat.get(lang)).small().weak());
    }
}

fn classification(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let numeric = app
        .workspace
        .layer(&app.view.doc.map.layer)
        .is_some_and(|l| matches!(l.kind, LayerKind::Numeric));
    if !numeric {
        ui.label(
            RichText::new(tr(
                lang,
                "分类图层:按类别着色",
                "Categories: one colour each",
            ))
            .weak(),
        );
        return;
    }
    let workspace = app.workspace.clone();
    let current = app.choropleth().and_then(|c| {
        c.classification
            .as_ref()
            .map(|classification| (classification.breaks.clone(), c.year))
    });
    let spec = &mut app.view.doc.map;
    egui::ComboBox::from_label(tr(lang, "分级方法", "Classification"))
        .selected_text(spec.method.name().get(lang).to_owned())
        .show_ui(ui, |ui| {
            for method in [
                Method::Quantile,
                Method::EqualInterval,
                Method::FisherJenks,
                Method::StdMean,
                Method::BoxPlot { hinge: 1.5 },
                Method::BoxPlot { hinge: 3.0 },
            ] {
                let label = method.name().get(lang).to_owned();
                ui.selectable_value(&mut spec.method, method, label);
            }
        });
    if !matches!(spec.method, Method::Manual { .. }) {
        // Choosing a method of the data's own is unlocking.
        spec.breaks_from = None;
    }
    if spec.method.takes_classes() {
        ui.add(
            egui::Slider::new(&mut spec.classes, crate::analysis::classify::CLASS_COUNTS)
                .text(tr(lang, "级数", "Classes")),
        );
    }
    match spec.breaks_from.clone() {
        Some(origin) => {
            let name = workspace
                .layer(&origin.layer)
                .map_or_else(|| origin.layer.clone(), |l| l.name.get(lang).to_owned());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(match lang {
                        Lang::Zh => format!("已锁定:断点来自 {name} {}年", origin.year),
                        Lang::En => format!("Locked: breaks from {name} {}", origin.year),
                    })
                    .small(),
                );
                if ui.button(tr(lang, "解锁", "Unlock")).clicked() {
                    spec.method = origin.method.clone();
                    spec.classes = origin.classes;
                    spec.breaks_from = None;
                }
            });
            if let Some(warning) = lock_mismatch(&workspace, &origin, spec, lang) {
                ui.label(
                    RichText::new(warning)
                        .small()
                        .color(ui.visuals().warn_fg_color),
                );
            }
        }
        None => {
            if ui
                .button(tr(lang, "锁定分级", "Lock breaks"))
                .on_hover_text(tr(
                    lang,
                    "保持当前断点,切换年份或图层时共用",
                    "Keep these breaks for other years and layers",
                ))
                .clicked()
                && let Some((breaks, year)) = current.clone()
            {
                spec.breaks_from = Some(crate::scene::LockedBreaks {
                    layer: spec.layer.clone(),
                    year,
                    normalization: spec.normalization,
                    method: spec.method.clone(),
                    classes: spec.classes,
                });
                spec.method = Method::Manual { breaks };
            }
        }
    }
    if let Method::Manual { breaks } = &mut spec.method {
        let mut text = breaks
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let response = ui.add(egui::TextEdit::singleline(&mut text).hint_text(tr(
            lang,
            "断点,如 100, 500, 1000",
            "breaks, e.g. 100, 500, 1000",
        )));
        if response.changed() {
            let parsed: Result<Vec<f64>, _> =
                text.split(',').map(|t| t.trim().parse::<f64>()).collect();
            if let Ok(parsed) = parsed
                && !parsed.is_empty()
            {
                *breaks = parsed;
            }
        }
    }
    palette(ui, spec, lang);
    if let Some(error) = &app.style_error {
        ui.label(
            RichText::new(error)
                .small()
                .color(ui.visuals().error_fg_color),
        );
    }
    legend_labels(app, ui);
}

fn palette(ui: &mut egui::Ui, spec: &mut crate::scene::MapSpec, lang: Lang) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_label(tr(lang, "配色", "Palette"))
            .selected_text(spec.palette.name())
            .show_ui(ui, |ui| {
                for kind in [SchemeKind::Sequential, SchemeKind::Diverging] {
                    ui.label(
                        RichText::new(match kind {
                            SchemeKind::Sequential => tr(lang, "顺序", "sequential"),
                            _ => tr(lang, "发散", "diverging"),
                        })
                        .small()
                        .weak(),
                    );
                    for palette in Palette::ALL.iter().filter(|p| p.kind() == kind) {
                        let safe = if palette.colour_blind_safe() {
                            " ✓"
                        } else {
                            ""
                        };
                        ui.selectable_value(
                            &mut spec.palette,
                            *palette,
                            format!("{}{safe}", palette.name()),
                        );
                    }
                }
            });
        ui.checkbox(&mut spec.reversed, tr(lang, "反转", "Reverse"));
    });
}

/// Why locked breaks may not suit the layer now mapped: another unit of measurement or
/// normalisation.
fn lock_mismatch(
    workspace: &crate::scene::Workspace,
    origin: &crate::scene::LockedBreaks,
    spec: &crate::scene::MapSpec,
    lang: Lang,
) -> Option<String> {
    let from = workspace.layer(&origin.layer)?;
    let now = workspace.layer(&spec.layer)?;
    let unit = |layer: &crate::atlas::Layer, normalization: Normalization| {
        let per = match normalization {
            Normalization::None => "",
            Normalization::Population => tr(lang, " 每万人", " per 10k residents"),
            Normalization::Area => tr(lang, " 每平方公里", " per km²"),
        };
        format!("{}{per}", layer.unit.get(lang))
    };
    let (was, is) = (
        unit(from, origin.normalization),
        unit(now, spec.normalization),
    );
    (was != is).then(|| match lang {
        Lang::Zh => format!(
            "注意:断点的单位是“{was}”,当前图层是“{is}”;超出断点的值归入开放的首末级"
        ),
        Lang::En => format!(
            "Careful: the breaks are in {was}, this layer in {is}; values beyond them fall in the open first and last classes"
        ),
    })
}

/// The legend's labels, editable; empty means the computed range.
fn legend_labels(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let computed: Vec<String> = app
        .choropleth()
        .map(|c| {
            c.legend
                .iter()
                .filter(|e| !e.no_data)
                .map(|e| e.label.get(lang).to_owned())
                .collect()
        })
        .unwrap_or_default();
    egui::CollapsingHeader::new(tr(lang, "图例标注", "Legend labels"))
        .default_open(false)
        .show(ui, |ui| {
            let labels = &mut app.view.doc.map.labels;
            labels.resize(computed.len(), None);
            for (i, shown) in computed.iter().enumerate() {
                let mut text = labels[i].clone().unwrap_or_else(|| shown.clone());
                if ui
                    .add(egui::TextEdit::singleline(&mut text).desired_width(180.0))
                    .changed()
                {
                    labels[i] = Some(text);
                }
            }
            if ui.button(tr(lang, "恢复计算值", "Reset")).clicked() {
                labels.clear();
            }
        });
}

fn display(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    ui.add(
        egui::Slider::new(&mut app.view.doc.opacity, 0.1..=1.0).text(tr(lang, "透明度", "Opacity")),
    );
    ui.checkbox(
        &mut app.view.doc.region_borders,
        tr(lang, "五区边界加粗", "Bold region borders"),
    );
    ui.checkbox(&mut app.view.doc.labels, tr(lang, "显示名称", "Show names"));
}

fn overlays(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let data = app.workspace.clone();
    ui.heading(tr(lang, "称号叠加", "Designation overlays"));
    for designation in data.atlas.designations() {
        let position = app
            .view
            .doc
            .overlays
            .iter()
            .position(|o| o.designation == designation.id);
        let mut on = position.is_some();
        let caveat = designation
            .caveat
            .as_ref()
            .map(|c| c.get(lang))
            .unwrap_or_default();
        if ui
            .checkbox(&mut on, designation.name.get(lang))
            .on_hover_text(caveat)
            .changed()
        {
            match position {
                Some(i) if !on => {
                    app.view.doc.overlays.remove(i);
                }
                None if on => {
                    // Two hatched lists look alike on the map and in the legend: a second
                    // list starts outlined (the user can still switch it).
                    let hatched = app
                        .view
                        .doc
                        .overlays
                        .iter()
                        .any(|o| o.style == OverlayStyle::Hatch);
                    app.view.doc.overlays.push(Overlay {
                        designation: designation.id.clone(),
                        style: if hatched {
                            OverlayStyle::Outline
                        } else {
                            OverlayStyle::Hatch
                        },
                    })
                }
                _ => {}
            }
        }
        if let Some(i) = app
            .view
            .doc
            .overlays
            .iter()
            .position(|o| o.designation == designation.id)
        {
            ui.horizontal(|ui| {
                ui.add_space(24.0);
                ui.radio_value(
                    &mut app.view.doc.overlays[i].style,
                    OverlayStyle::Hatch,
                    tr(lang, "斜线", "hatch"),
                );
                ui.radio_value(
                    &mut app.view.doc.overlays[i].style,
                    OverlayStyle::Outline,
                    tr(lang, "描边", "outline"),
                );
            });
        }
    }
}

fn points(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let data = app.workspace.clone();
    ui.heading(tr(lang, "点位", "Points"));
    for layer in data.atlas.point_layers() {
        let mut on = app.view.doc.point_layers.contains(&layer.id);
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
        let caveat = layer
            .caveat
            .as_ref()
            .map(|c| c.get(lang))
            .unwrap_or_default();
        if ui.checkbox(&mut on, label).on_hover_text(caveat).changed() {
            if on {
                app.view.doc.point_layers.push(layer.id.clone());
            } else {
                app.view.doc.point_layers.retain(|id| id != &layer.id);
            }
        }
    }
}

/// The years of a layer of several years as a slider with a step either way, and whether its
/// classes are computed per year or (the default) over all its years, so that a colour means
/// the same in every year as the slider moves.
fn year_steps(
    ui: &mut egui::Ui,
    spec: &mut MapSpec,
    (years, shown): (&[i32], Option<i32>),
    lang: Lang,
) {
    let last = years.len() - 1;
    let mut at = years.iter().position(|&y| Some(y) == shown).unwrap_or(last);
    ui.horizontal(|ui| {
        let before = at;
        if ui
            .add_enabled(at > 0, egui::Button::new("◀"))
            .on_hover_text(tr(lang, "上一年", "previous year"))
            .clicked()
        {
            at -= 1;
        }
        ui.add(egui::Slider::new(&mut at, 0..=last).show_value(false))
            .on_hover_text(tr(lang, "拖动切换年份", "drag through the years"));
        if ui
            .add_enabled(at < last, egui::Button::new("▶"))
            .on_hover_text(tr(lang, "下一年", "next year"))
            .clicked()
        {
            at += 1;
        }
        if at != before {
            spec.year = Some(years[at]);
        }
    });
    ui.checkbox(
        &mut spec.classes_per_year,
        tr(lang, "每年单独分级", "Classes per year"),
    )
    .on_hover_text(tr(
        lang,
        "默认按全部年份的数值分级,各年颜色可比;勾选则只按所选年份分级",
        "By default the classes are computed over all years, so colours compare between years; ticked, over the chosen year alone",
    ));
}
