//! The top bar: title, search (name, former name or adcode), zoom to fit, language.

use super::AtlasApp;
use super::command::Command;
use crate::atlas::ResolveError;
use crate::i18n::{Lang, tr};

/// What the search box holds between frames.
#[derive(Default)]
pub(super) struct SearchState {
    pub query: String,
    /// A message after a failed search, with buttons for the candidates.
    pub message: Option<String>,
    pub candidates: Vec<crate::atlas::UnitId>,
}

pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    ui.horizontal(|ui| {
        ui.heading(tr(lang, "四川县域创新地图", "Sichuan County Atlas"));
        ui.separator();
        let label = ui.label(tr(lang, "搜索", "Search"));
        let edit = ui.add(
            egui::TextEdit::singleline(&mut app.search.query)
                .hint_text(tr(
                    lang,
                    "县区名、曾用名或代码",
                    "name, former name or adcode",
                ))
                .desired_width(220.0),
        );
        let edit = edit.labelled_by(label.id);
        let submitted = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(tr(lang, "查找", "Find")).clicked() || submitted {
            search(app);
        }
        if ui
            .button(tr(lang, "全省", "Fit Sichuan"))
            .on_hover_text(tr(lang, "缩放至全省", "Zoom to all of Sichuan"))
            .clicked()
        {
            app.commands.push(Command::ZoomToFit);
        }
        if ui.button(tr(lang, "打开数据…", "Open data…")).clicked() {
            app.import.open = true;
        }
        if ui.button(tr(lang, "项目…", "Project…")).clicked() {
            app.project.open = true;
        }
        if ui.button(tr(lang, "导出…", "Export…")).clicked() {
            app.export.open = true;
        }
        if ui
            .add(egui::Button::new(tr(lang, "创新指数…", "Index…")).selected(app.index.open))
            .on_hover_text(tr(
                lang,
                "按定义文件计算县域创新指数:得分、分级、位次区间与县域报告",
                "Compute a county innovation index from its definition file: scores, groups, rank intervals and county reports",
            ))
            .clicked()
        {
            app.index.open = !app.index.open;
        }
        if ui
            .add(egui::Button::new(tr(lang, "区域比较", "Compare")).selected(app.compare.open))
            .on_hover_text(tr(
                lang,
                "按五大经济区、市州或一干多支比较当前图层:表格、图表、LISA 与冷热点",
                "Compare the mapped layer by economic region, prefecture or trunk: table, charts, LISA and hot spots",
            ))
            .clicked()
        {
            app.compare.open = !app.compare.open;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let other = match lang {
                Lang::Zh => Lang::En,
                Lang::En => Lang::Zh,
            };
            if ui.button(tr(lang, "English", "中文")).clicked() {
                app.view.lang = other;
            }
        });
    });
    if let Some(message) = app.search.message.clone() {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(message).color(ui.visuals().warn_fg_color));
            for unit in app.search.candidates.clone() {
                if ui.button(app.workspace.atlas.describe(unit)).clicked() {
                    app.commands.push(Command::Select(Some(unit)));
                    app.commands.push(Command::ZoomTo(unit));
                    app.search.message = None;
                    app.search.candidates.clear();
                }
            }
        });
    }
}

fn search(app: &mut AtlasApp) {
    let lang = app.view.lang;
    match app.workspace.atlas.resolve(&app.search.query) {
        Ok(resolved) => {
            app.commands.push(Command::Select(Some(resolved.unit)));
            app.commands.push(Command::ZoomTo(resolved.unit));
            app.search.message = None;
            app.search.candidates.clear();
        }
        Err(error) => {
            let (message, candidates) = match error {
                ResolveError::Empty => (
                    tr(lang, "请输入县区名或代码", "Type a county name or adcode").to_owned(),
                    Vec::new(),
                ),
                ResolveError::Ambiguous { candidates, .. } => (
                    tr(lang, "有多个同名县区:", "Several units match:").to_owned(),
                    candidates,
                ),
                ResolveError::Prefecture { units, .. } => (
                    tr(
                        lang,
                        "这是一个市州,其县区:",
                        "That is a prefecture; its units:",
                    )
                    .to_owned(),
                    units,
                ),
                ResolveError::Split { year, into, .. } => (
                    match lang {
                        Lang::Zh => format!("已于 {year} 年划入:"),
                        Lang::En => format!("Divided in {year} between:"),
                    },
                    into,
                ),
                ResolveError::NotFound { suggestions, .. } => (
                    tr(lang, "未找到;是否要找:", "Not found; did you mean:").to_owned(),
                    suggestions,
                ),
            };
            app.search.message = Some(message);
            app.search.candidates = candidates.into_iter().map(|(u, _)| u).collect();
        }
    }
}
