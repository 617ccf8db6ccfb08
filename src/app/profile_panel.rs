//! The profile of the selected county: identity, every value with its year, ranks, averages
//! and source; designations; point features; zoom and copy.

use super::AtlasApp;
use super::command::Command;
use crate::analysis::profile::{CountyProfile, IndicatorValue};
use crate::atlas::{DesignationStatus, Level, UnitId};
use crate::format::number;
use crate::i18n::{Lang, tr};
use egui::RichText;

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui, unit: UnitId) {
    let lang = app.view.lang;
    let profile = app.profile(unit).clone();
    ui.horizontal(|ui| {
        ui.heading(match lang {
            Lang::Zh => &profile.name,
            Lang::En => &profile.name_en,
        });
        ui.label(RichText::new(profile.adcode.to_string()).weak());
    });
    ui.horizontal(|ui| {
        if ui.button(tr(lang, "缩放至", "Zoom to")).clicked() {
            app.commands.push(Command::ZoomTo(unit));
        }
        if ui.button(tr(lang, "复制档案", "Copy profile")).clicked() {
            app.commands.push(Command::CopyProfile(unit));
        }
        if ui.button(tr(lang, "关闭", "Close")).clicked() {
            app.commands.push(Command::Select(None));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            identity(ui, &profile, lang);
            ui.separator();
            ui.strong(tr(lang, "指标", "Indicators"));
            for value in &profile.indicators {
                indicator(ui, value, lang);
            }
            ui.separator();
            ui.strong(tr(lang, "称号与名单", "Designations"));
            if profile.designations.is_empty() {
                ui.label(
                    RichText::new(tr(lang, "内置名单中无", "None in the built-in lists")).weak(),
                );
            }
            for d in &profile.designations {
                let mut line = format!("{} ({})", d.name.get(lang), d.year);
                if let Some(detail) = &d.detail {
                    line.push_str(&format!(": {detail}"));
                }
                if d.level == Level::Prefecture {
                    line.push_str(&format!(" [{}]", tr(lang, "市州整体", "whole prefecture")));
                }
                if d.status == DesignationStatus::Candidate {
                    line.push_str(&format!(
                        " [{}]",
                        tr(lang, "候选,非最终", "candidate, not final")
                    ));
                }
                ui.label(line)
                    .on_hover_text(d.caveat.as_ref().map(|c| c.get(lang)).unwrap_or_default());
                source(ui, d.document.as_ref(), &d.source, lang);
            }
            if !profile.points.is_empty() {
                ui.separator();
                ui.strong(tr(lang, "境内点位", "Point features inside"));
                for p in &profile.points {
                    ui.label(format!("{} ({})", p.name, p.year))
                        .on_hover_text(&p.placement);
                    source(ui, p.document.as_ref(), &p.source, lang);
                }
            }
            ui.separator();
            let b = &profile.boundary;
            ui.label(
                RichText::new(format!(
                    "{}: {} ({}, {})",
                    tr(lang, "边界", "Boundary"),
                    b.source.get(lang),
                    b.licence,
                    b.vintage.get(lang)
                ))
                .small()
                .weak(),
            );
        });
}

fn identity(ui: &mut egui::Ui, p: &CountyProfile, lang: Lang) {
    egui::Grid::new("profile identity")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            ui.label(tr(lang, "地市", "Prefecture"));
            let prefecture = match lang {
                Lang::Zh => &p.prefecture,
                Lang::En => &p.prefecture_en,
            };
            ui.label(format!("{prefecture} {}", p.prefecture_adcode));
            ui.end_row();
            ui.label(tr(lang, "经济区", "Region"));
            ui.label(p.region_id.name(lang));
            ui.end_row();
            if !p.former_names.is_empty() {
                ui.label(tr(lang, "曾用名", "Former names"));
                let names: Vec<String> = p
                    .former_names
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}",
                            f.name,
                            f.year.map(|y| format!(" ({y})")).unwrap_or_default()
                        )
                    })
                    .collect();
                ui.label(names.join(", "));
                ui.end_row();
            }
            ui.label(tr(lang, "面积", "Area"));
            ui.label(format!(
                "{} {}",
                number(p.area_km2, 1),
                tr(lang, "平方公里(计算值)", "km² (computed)")
            ));
            ui.end_row();
            ui.label(tr(lang, "常住人口(2020)", "Population (2020)"));
            ui.label(p.population_2020.map_or_else(
                || tr(lang, "无数据", "no data").to_owned(),
                |v| number(v as f64, 0),
            ));
            ui.end_row();
            ui.label(tr(lang, "相邻县区", "Neighbours"));
            ui.label(match lang {
                Lang::Zh => p.neighbor_names.join("、"),
                Lang::En => p.neighbor_names_en.join(", "),
            });
            ui.end_row();
        });
}

fn indicator(ui: &mut egui::Ui, v: &IndicatorValue, lang: Lang) {
    let (factor, _) = crate::atlas::display_unit(&v.unit, lang);
    let shown = match &v.category {
        Some(category) => category.get(lang).to_owned(),
        None => {
            let (factor, unit) = crate::atlas::display_unit(&v.unit, lang);
            format!("{} {unit}", number(v.value * factor, 2))
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{} {}:", v.name.get(lang), v.year));
        ui.label(RichText::new(shown).strong());
        if v.level == Level::Prefecture {
            ui.label(RichText::new(tr(lang, "[市级]", "[prefecture]")).small());
        }
        if v.computed {
            ui.label(RichText::new(tr(lang, "[计算值]", "[computed]")).small());
        }
    });
    if let Some(line) = crate::analysis::series_line(v, lang) {
        ui.label(RichText::new(line).small());
    }
    if let Some(c) = &v.comparison {
        let neighbours = c
            .neighbor_mean
            .map_or_else(|| "—".to_owned(), |m| number(m * factor, 2));
        // A prefecture-level value is ranked among prefectures, beside the neighbouring ones.
        let (whole, neighbour_label) = if v.level == Level::Prefecture {
            (
                tr(lang, "个市州", " prefectures"),
                tr(lang, "邻市州均值", "neighbouring prefectures"),
            )
        } else {
            ("", tr(lang, "邻县均值", "neighbours"))
        };
        ui.label(
            RichText::new(format!(
                "{} {}/{}{whole} · {} {}/{} · {} {} · {} {}",
                tr(lang, "全省", "province"),
                c.province_rank.rank,
                c.province_rank.of,
                tr(lang, "区内", "region"),
                c.region_rank.rank,
                c.region_rank.of,
                tr(lang, "区均值", "region mean"),
                number(c.region_mean * factor, 2),
                neighbour_label,
                neighbours
            ))
            .small(),
        );
    }
    source(ui, v.document.as_ref(), &v.source, lang);
    // How the value was read and checked, and the copy as recorded where the citation shows only
    // its address: working notes, kept behind a toggle.
    let annotation = (v.document.is_some() && crate::atlas::copy_addresses(&v.source) != v.source)
        .then_some(v.source.as_str());
    let notes: Vec<&str> = v.note.as_deref().into_iter().chain(annotation).collect();
    if !notes.is_empty() {
        egui::CollapsingHeader::new(RichText::new(tr(lang, "详情", "Details")).small())
            .id_salt(("value note", &v.layer, v.year))
            .default_open(false)
            .show(ui, |ui| {
                for note in notes {
                    ui.add(
                        egui::Label::new(RichText::new(note).small().italics()).selectable(true),
                    );
                }
            });
    }
}

/// A source: the official document first, where there is one, then the address where the copy
/// was read, in full; both selectable, so that they can be copied into a briefing.
fn source(ui: &mut egui::Ui, document: Option<&crate::atlas::Document>, address: &str, lang: Lang) {
    if let Some(document) = document {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "{}: {}",
                    tr(lang, "来源", "Source"),
                    document.cite()
                ))
                .small(),
            )
            .selectable(true),
        );
    }
    let (prefix, address) = if document.is_some() {
        (
            tr(lang, "所据副本", "Copy read at"),
            crate::atlas::copy_addresses(address),
        )
    } else {
        (tr(lang, "来源", "Source"), address.to_owned())
    };
    ui.add(
        egui::Label::new(RichText::new(format!("{prefix}: {address}")).small().weak())
            .selectable(true),
    );
}
