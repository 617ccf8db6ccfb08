//! The Export dialog: the briefing export's options with a live preview of the page, written
//! in the background so the window stays responsive. The choices are part of the saved view.

use super::AtlasApp;
use crate::analysis::grouping::{BuiltinGrouping, Grouping};
use crate::atlas::EconomicRegion;
use crate::export::{ExportOptions, Exporter, Format, Orientation, PageSize, file_name};
use crate::i18n::{Lang, tr};
use crate::scene::{Focus, MapDocument};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

/// Width of the preview picture, pixels.
const PREVIEW_WIDTH: u32 = 560;

/// What the user chose last time (saved with the view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportChoices {
    /// Everything but the folder and the file's name.
    pub options: ExportOptions,
    /// The folder files go to.
    pub folder: String,
    /// The file's name as the user typed it; empty: named after the layer and focus
    /// ([`file_name`]). The format's extension is added when it is missing.
    pub name: String,
}

impl Default for ExportChoices {
    fn default() -> Self {
        let folder = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| ".".into());
        ExportChoices {
            options: ExportOptions::default(),
            folder,
            name: String::new(),
        }
    }
}

/// How an export ended: the file written and the characters the bundled font lacked, or why
/// it could not be written.
type ExportOutcome = Result<(PathBuf, Vec<char>), String>;

/// The dialog's state while the window runs.
#[derive(Default)]
pub struct ExportDialog {
    /// Shown.
    pub open: bool,
    preview: Option<Preview>,
    /// The export being written.
    job: Option<Receiver<ExportOutcome>>,
    /// The outcome of the last export, or why the preview failed.
    pub message: Option<String>,
    /// The file that exists and would be replaced, while the dialog asks.
    confirm_replace: Option<PathBuf>,
    /// A folder picker open on another thread (it blocks until the user chooses).
    picking: Option<Receiver<Option<PathBuf>>>,
}

struct Preview {
    doc: MapDocument,
    options: ExportOptions,
    texture: Option<egui::TextureHandle>,
}

impl ExportDialog {
    /// True while a file is being written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}

/// The comparison set beside the map: none, a built-in grouping, or the grouping table read
/// in the Compare panel.
fn compare_choice(
    ui: &mut egui::Ui,
    options: &mut ExportOptions,
    atlas: &crate::atlas::Atlas,
    user_grouping: Option<&Grouping>,
    lang: Lang,
) -> egui::Response {
    let none = tr(lang, "不附", "None").to_owned();
    let selected = options
        .compare
        .as_ref()
        .map_or(none.clone(), |g| g.name.get(lang).to_owned());
    let mut choices: Vec<Option<Grouping>> = vec![None];
    choices.extend(
        [
            BuiltinGrouping::Region,
            BuiltinGrouping::Prefecture,
            BuiltinGrouping::Trunk,
        ]
        .map(|kind| Some(Grouping::builtin(atlas, kind))),
    );
    choices.extend(user_grouping.cloned().map(Some));
    egui::ComboBox::from_id_salt("export compare")
        .selected_text(selected)
        .truncate()
        .show_ui(ui, |ui| {
            for choice in choices {
                let text = choice
                    .as_ref()
                    .map_or(none.clone(), |g| g.name.get(lang).to_owned());
                let current = options.compare == choice;
                if ui.selectable_label(current, text).clicked() && !current {
                    options.compare = choice;
                }
            }
        })
        .response
        .on_hover_text(tr(
            lang,
            "在图例旁附地图图层的分组比较表(均值、中位数、覆盖)",
            "Set a table comparing the mapped layer across groups (mean, median, coverage) beside the legend",
        ))
}

/// The file the current choices write for `doc`: the user's name (with the format's
/// extension), or one made from the layer and focus.
pub fn file_path(choices: &ExportChoices, doc: &MapDocument) -> PathBuf {
    let format = choices.options.format;
    let typed = choices.name.trim();
    let name = if typed.is_empty() {
        file_name(&doc.map.layer, doc.focus.as_ref(), format)
    } else if Format::from_path(std::path::Path::new(typed)) == Some(format) {
        typed.to_owned()
    } else {
        format!("{typed}.{}", format.extension())
    };
    PathBuf::from(&choices.folder).join(name)
}

pub(super) fn show(app: &mut AtlasApp, ctx: &egui::Context) {
    poll(app);
    if !app.export.open {
        return;
    }
    let lang = app.view.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "导出简报地图", "Export a briefing map"))
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(280.0);
                    options(app, ui);
                });
                ui.separator();
                preview(app, ui);
            });
        });
    app.export.open = open;
}

fn options(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let workspace = app.workspace.clone();
    let user_grouping = app.compare.user_grouping().cloned();
    let doc = &mut app.view.doc;
    let ExportChoices {
        options,
        folder,
        name,
    } = &mut app.view.export;
    let picking = &mut app.export.picking;
    egui::Grid::new("export options")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            ui.label(tr(lang, "格式", "Format"));
            ui.horizontal(|ui| {
                for format in [Format::Png, Format::Svg, Format::Pdf] {
                    ui.selectable_value(
                        &mut options.format,
                        format,
                        format.extension().to_uppercase(),
                    );
                }
            });
            ui.end_row();

            let label = ui.label(tr(lang, "尺寸", "Size"));
            egui::ComboBox::from_id_salt("export size")
                .selected_text(size_name(options.size, lang))
                .show_ui(ui, |ui| {
                    for size in [
                        PageSize::A4,
                        PageSize::A3,
                        PageSize::Slide,
                        PageSize::Slide4k,
                    ] {
                        ui.selectable_value(&mut options.size, size, size_name(size, lang));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            if matches!(options.size, PageSize::A4 | PageSize::A3) {
                ui.label(tr(lang, "方向", "Orientation"));
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut options.orientation,
                        Orientation::Landscape,
                        tr(lang, "横向", "Landscape"),
                    );
                    ui.selectable_value(
                        &mut options.orientation,
                        Orientation::Portrait,
                        tr(lang, "纵向", "Portrait"),
                    );
                });
                ui.end_row();
                if options.format == Format::Png {
                    ui.label(tr(lang, "分辨率", "Resolution"));
                    ui.horizontal(|ui| {
                        for dpi in [150, 300, 600] {
                            ui.selectable_value(&mut options.dpi, dpi, format!("{dpi} dpi"));
                        }
                    });
                    ui.end_row();
                }
            }

            let label = ui.label(tr(lang, "标题", "Title"));
            let mut title = options.title.clone().unwrap_or_default();
            let hint = workspace
                .layer(&doc.map.layer)
                .map(|l| l.name.get(lang).to_owned())
                .unwrap_or_default();
            if ui
                .add(egui::TextEdit::singleline(&mut title).hint_text(hint))
                .labelled_by(label.id)
                .changed()
            {
                options.title = Some(title).filter(|t| !t.trim().is_empty());
            }
            ui.end_row();

            let label = ui.label(tr(lang, "审图号", "Review no."));
            let mut review = options.review_number.clone().unwrap_or_default();
            if ui
                .add(
                    egui::TextEdit::singleline(&mut review).hint_text(tr(lang, "可选", "optional")),
                )
                .labelled_by(label.id)
                .changed()
            {
                options.review_number = Some(review).filter(|t| !t.trim().is_empty());
            }
            ui.end_row();

            let label = ui.label(tr(lang, "范围", "Focus"));
            let focus_text = doc.focus.as_ref().map_or_else(
                || tr(lang, "全省", "All Sichuan").to_owned(),
                |f| f.name(&workspace.atlas, lang),
            );
            egui::ComboBox::from_id_salt("export focus")
                .selected_text(focus_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut doc.focus, None, tr(lang, "全省", "All Sichuan"));
                    for region in EconomicRegion::ALL {
                        ui.selectable_value(
                            &mut doc.focus,
                            Some(Focus::Region(region)),
                            region.name(lang),
                        );
                    }
                    ui.separator();
                    for prefecture in workspace.atlas.prefectures() {
                        ui.selectable_value(
                            &mut doc.focus,
                            Some(Focus::Prefecture(prefecture.adcode)),
                            &prefecture.name,
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            ui.label(tr(lang, "插图", "Inset"));
            let mut inset = options.inset.is_some();
            if ui
                .checkbox(&mut inset, tr(lang, "成都中心城区", "Central Chengdu"))
                .changed()
            {
                options.inset = inset.then_some(crate::export::Inset::Chengdu);
            }
            ui.end_row();

            let label = ui.label(tr(lang, "分组比较", "Comparison"));
            compare_choice(ui, options, &workspace.atlas, user_grouping.as_ref(), lang)
                .labelled_by(label.id);
            ui.end_row();

            ui.label(tr(lang, "县名", "Names"));
            ui.checkbox(
                &mut doc.labels,
                tr(lang, "标注县区名", "Label the counties"),
            )
            .on_hover_text(tr(
                lang,
                "与地图窗口的“显示名称”相同",
                "The same as the map's “Show names”",
            ));
            ui.end_row();

            let label = ui.label(tr(lang, "文件名", "File name"));
            let automatic = file_name(&doc.map.layer, doc.focus.as_ref(), options.format);
            ui.add(egui::TextEdit::singleline(name).hint_text(automatic))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr(lang, "文件夹", "Folder"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(folder).desired_width(150.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        picking.is_none(),
                        egui::Button::new(tr(lang, "选择…", "Choose…")),
                    )
                    .clicked()
                {
                    *picking = Some(pick_folder(folder, ui.ctx()));
                }
            });
            ui.end_row();
        });
    options.lang = lang;
    let path = file_path(&app.view.export, &app.view.doc);
    ui.label(
        egui::RichText::new(path.display().to_string())
            .small()
            .weak(),
    );
    ui.add_space(6.0);
    let busy = app.export.busy();
    if app.export.confirm_replace.as_ref() == Some(&path) {
        ui.label(
            egui::RichText::new(match lang {
                Lang::Zh => format!("{} 已存在,替换它吗?", path.display()),
                Lang::En => format!("{} exists; replace it?", path.display()),
            })
            .color(ui.visuals().warn_fg_color),
        );
        ui.horizontal(|ui| {
            if ui.button(tr(lang, "替换", "Replace")).clicked() {
                app.export.confirm_replace = None;
                start(app, ui.ctx(), path.clone());
            }
            if ui.button(tr(lang, "取消", "Cancel")).clicked() {
                app.export.confirm_replace = None;
            }
        });
    } else {
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new(tr(lang, "导出", "Export")))
                .clicked()
            {
                if path.exists() {
                    app.export.confirm_replace = Some(path.clone());
                } else {
                    start(app, ui.ctx(), path.clone());
                }
            }
            if busy {
                ui.spinner();
                ui.label(tr(lang, "正在导出…", "Exporting…"));
            }
        });
    }
    if let Some(message) = &app.export.message {
        ui.label(message);
    }
}

fn preview(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    let doc = app.view.doc.clone();
    let options = app.view.export.options.clone();
    let stale = app
        .export
        .preview
        .as_ref()
        .is_none_or(|p| p.doc != doc || p.options != options);
    if stale {
        let workspace = app.workspace.clone();
        let texture = {
            let exporter = Exporter::new(&workspace);
            let result = exporter
                .page(&doc, &options)
                .and_then(|page| exporter.preview(&page, PREVIEW_WIDTH));
            match result {
                Ok(image) => {
                    let pixels = egui::ColorImage::from_rgba_premultiplied(
                        [image.width as usize, image.height as usize],
                        &image.rgba,
                    );
                    Some(ui.ctx().load_texture(
                        "export preview",
                        pixels,
                        egui::TextureOptions::LINEAR,
                    ))
                }
                Err(e) => {
                    app.export.message = Some(e.to_string());
                    None
                }
            }
        };
        app.export.preview = Some(Preview {
            doc,
            options,
            texture,
        });
    }
    if let Some(texture) = app.export.preview.as_ref().and_then(|p| p.texture.as_ref()) {
        let size = texture.size_vec2();
        ui.add(egui::Image::new(texture).fit_to_exact_size(size))
            .on_hover_text(tr(
                lang,
                "预览(与导出文件版式相同)",
                "Preview (the file's layout)",
            ));
    }
}

/// Writes the file on a background thread; the result arrives through [`poll`].
fn start(app: &mut AtlasApp, ctx: &egui::Context, path: PathBuf) {
    let workspace = app.workspace.clone();
    let doc = app.view.doc.clone();
    let mut options = app.view.export.options.clone();
    // A pasted title may carry tabs or line breaks: a page takes one line of plain text.
    options.clean_texts();
    let (sender, receiver) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let mut exporter = Exporter::new(&workspace);
        let result = exporter
            .page(&doc, &options)
            .and_then(|page| {
                let bytes = exporter.render_page(&page, options.format)?;
                crate::export::write(&path, &bytes)?;
                Ok((path, page.missing_glyphs))
            })
            .map_err(|e| e.to_string());
        // The dialog may be gone; then nobody waits for the result.
        let _ = sender.send(result);
        ctx.request_repaint();
    });
    app.export.job = Some(receiver);
    app.export.message = None;
}

/// Opens the system's folder picker on another thread, starting at `folder`; the choice
/// arrives through [`poll`] (nothing when the user cancels or no picker is available).
fn pick_folder(folder: &str, ctx: &egui::Context) -> Receiver<Option<PathBuf>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let start = PathBuf::from(folder);
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let chosen = rfd::FileDialog::new().set_directory(start).pick_folder();
        let _ = sender.send(chosen);
        ctx.request_repaint();
    });
    receiver
}

/// Picks up a finished export or folder choice.
fn poll(app: &mut AtlasApp) {
    if let Some(picking) = &app.export.picking {
        match picking.try_recv() {
            Ok(chosen) => {
                if let Some(folder) = chosen {
                    app.view.export.folder = folder.display().to_string();
                }
                app.export.picking = None;
            }
            Err(TryRecvError::Disconnected) => app.export.picking = None,
            Err(TryRecvError::Empty) => {}
        }
    }
    let lang = app.view.lang;
    let Some(job) = &app.export.job else { return };
    let message = match job.try_recv() {
        Ok(Ok((path, missing))) if missing.is_empty() => {
            format!("{} {}", tr(lang, "已保存", "Saved"), path.display())
        }
        Ok(Ok((path, missing))) => {
            let missing: String = missing.into_iter().collect();
            let mark = crate::export::metrics::MISSING_GLYPH;
            match lang {
                Lang::Zh => format!(
                    "已保存 {};内置字体缺少这些字符,页面上以 {mark} 代替:{missing}",
                    path.display()
                ),
                Lang::En => format!(
                    "Saved {}; the bundled font lacks these characters, drawn as {mark}: {missing}",
                    path.display()
                ),
            }
        }
        Ok(Err(e)) => format!("{} {e}", tr(lang, "导出失败:", "Export failed:")),
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => {
            tr(lang, "导出中断", "The export stopped unexpectedly").to_owned()
        }
    };
    app.export.message = Some(message);
    app.export.job = None;
}

fn size_name(size: PageSize, lang: Lang) -> String {
    match size {
        PageSize::A4 => "A4".into(),
        PageSize::A3 => "A3".into(),
        PageSize::Slide => tr(lang, "幻灯片 1920×1080", "Slide 1920×1080").into(),
        PageSize::Slide4k => tr(lang, "幻灯片 3840×2160", "Slide 3840×2160").into(),
        PageSize::Pixels { width, height } => format!("{width}×{height}"),
    }
}
