//! 打开数据 / Open data: a user's county table (CSV, Excel, GeoJSON; Shapefile, GeoPackage,
//! KML and PostGIS in a build with the `gdal` feature), chosen in the dialog or dropped on the
//! window, read on a background thread as `county-atlas check` reads it. Its validation report
//! is shown; its layers join the workspace and the first is mapped. A point list (a table
//! with longitude and latitude columns) becomes a point layer and a layer of points per
//! county. A file that cannot be read changes nothing already loaded.

use super::AtlasApp;
use crate::analysis::point_list::{PointListLayers, point_list_layers};
use crate::i18n::{Lang, tr};
use crate::io::county_table::{CountyTable, Report, TableOptions, read_county_table};
use crate::io::gdal_formats;
use crate::io::point_list::{PointRows, read_point_list};
use crate::io::points_csv::PointsCsvOptions;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

/// The dialog's state between frames.
#[derive(Default)]
pub struct ImportDialog {
    /// Shown.
    pub open: bool,
    /// The file (or `PG:` connection) to read.
    pub path: String,
    /// The workbook's sheet (empty: the first).
    pub sheet: String,
    /// The GDAL layer or PostGIS table (empty: the only one).
    pub table: String,
    /// A read in progress.
    job: Option<Receiver<Result<Imported, String>>>,
    /// A file picker open on another thread.
    picking: Option<Receiver<Option<PathBuf>>>,
    /// The last table read.
    last: Option<LastTable>,
    /// What the last point list gave, a line each.
    points: Option<Vec<String>>,
    /// Why the last file could not be read.
    pub error: Option<String>,
}

/// The last table read: its report, the report's lines, the ids of the layers it gave.
struct LastTable {
    /// The file (or connection) it was read from, as the dialog's field gave it.
    path: String,
    report: Report,
    lines: Vec<String>,
    ids: Vec<String>,
}

/// What a file gave: a county table, or a point list placed in counties.
enum Imported {
    Table(Box<CountyTable>),
    Points(Box<(PointRows, PointListLayers)>),
}

impl ImportDialog {
    /// Whether a read is in progress.
    pub fn reading(&self) -> bool {
        self.job.is_some()
    }

    /// The report of the last table read.
    pub fn report(&self) -> Option<&Report> {
        self.last.as_ref().map(|l| &l.report)
    }
}

/// Shows the dialog (when open), takes files dropped on the window, and collects results.
pub(super) fn show(app: &mut AtlasApp, ctx: &egui::Context) {
    poll(app);
    // A dropped file without a path (a browser's) cannot be read from disk.
    let dropped: Option<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .find(|p| !p.as_os_str().is_empty())
    });
    if let Some(path) = dropped {
        app.import.path = path.display().to_string();
        app.import.open = true;
        start(app, ctx);
    }
    if !app.import.open {
        return;
    }
    let lang = app.view.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "打开数据", "Open data"))
        .open(&mut open)
        // Below the top bar, whose buttons it must not hide.
        .default_pos(egui::pos2(300.0, 48.0))
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(tr(
                lang,
                "县区数据表:CSV、Excel(.xlsx/.xls/.ods)、GeoJSON;按区划代码或县名匹配。也可把文件拖到窗口上。",
                "A county table: CSV, Excel (.xlsx/.xls/.ods), GeoJSON; rows matched by adcode or county name. Files can also be dropped on the window.",
            ));
            if cfg!(feature = "gdal") {
                ui.label(tr(
                    lang,
                    "本版本还可读 Shapefile、GeoPackage、KML 与 PostGIS(PG:host=… dbname=…)。",
                    "This build also reads Shapefile, GeoPackage, KML and PostGIS (PG:host=… dbname=…).",
                ));
            }
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "文件", "File"));
                ui.add(egui::TextEdit::singleline(&mut app.import.path).desired_width(360.0))
                    .labelled_by(label.id);
                let browsing = app.import.picking.is_some();
                if ui
                    .add_enabled(!browsing, egui::Button::new(tr(lang, "浏览…", "Browse…")))
                    .clicked()
                {
                    app.import.picking = Some(pick_file(ctx));
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "工作表", "Sheet"));
                if sheet_picker(app, ui, label.id) {
                    start(app, ctx);
                }
                let label = ui.label(tr(lang, "图层/表", "Layer/table"));
                ui.add(
                    egui::TextEdit::singleline(&mut app.import.table)
                        .hint_text(tr(lang, "默认唯一的", "the only one"))
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let ready = !app.import.path.trim().is_empty() && !app.import.reading();
                if ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "读取", "Read")))
                    .clicked()
                {
                    start(app, ctx);
                }
                if app.import.reading() {
                    ui.spinner();
                    ui.label(tr(lang, "正在读取…", "Reading…"));
                }
            });
            if let Some(error) = &app.import.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            report(app, ui, lang);
        });
    if !open {
        app.import.open = false;
    }
}

/// The sheet: once a workbook of several sheets has been read, a list of them (choosing one
/// reads it, and `true` is returned); before, a name to type (empty: the first).
fn sheet_picker(app: &mut AtlasApp, ui: &mut egui::Ui, label: egui::Id) -> bool {
    let lang = app.view.lang;
    let sheets: Vec<String> = app
        .import
        .last
        .as_ref()
        .filter(|last| last.report.sheets.len() > 1 && last.path == app.import.path)
        .map(|last| last.report.sheets.clone())
        .unwrap_or_default();
    if sheets.is_empty() {
        ui.add(
            egui::TextEdit::singleline(&mut app.import.sheet)
                .hint_text(tr(lang, "默认第一张", "the first"))
                .desired_width(140.0),
        )
        .labelled_by(label);
        return false;
    }
    let current = app
        .import
        .last
        .as_ref()
        .and_then(|last| last.report.sheet.clone())
        .unwrap_or_default();
    let mut chosen = current.clone();
    egui::ComboBox::from_id_salt("import-sheet")
        .selected_text(&current)
        .width(140.0)
        .show_ui(ui, |ui| {
            for sheet in &sheets {
                ui.selectable_value(&mut chosen, sheet.clone(), sheet);
            }
        })
        .response
        .labelled_by(label);
    if chosen != current && !app.import.reading() {
        app.import.sheet = chosen;
        return true;
    }
    false
}

/// The last report: summary, the layers (each can be mapped), unmatched rows, errors, notes.
fn report(app: &mut AtlasApp, ui: &mut egui::Ui, lang: Lang) {
    if let Some(lines) = &app.import.points {
        ui.separator();
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                ui.label(egui::RichText::new(line).strong());
            } else {
                ui.label(line);
            }
        }
        ui.label(tr(
            lang,
            "点已加入“点图层”,每县点数已作为图层显示(可按人口或面积标准化)。",
            "The points are drawn as a point layer; the points per county are mapped as a layer (normalise by population or area in the layers panel).",
        ));
    }
    let Some(last) = &app.import.last else {
        return;
    };
    // The report is drawn borrowed (its lines made once, when it arrived); a click maps its
    // layer after.
    let mut chosen = None;
    ui.separator();
    if let Some(summary) = last.lines.first() {
        ui.label(egui::RichText::new(summary).strong());
    }
    for (summary, id) in last.report.layers.iter().zip(&last.ids) {
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}{} — {}",
                summary.name,
                summary
                    .unit
                    .as_ref()
                    .map(|u| format!(" ({u})"))
                    .unwrap_or_default(),
                summary.years_text()
            ));
            let mapped = app.view.doc.map.layer == *id;
            let loaded = app.workspace.layer(id).is_some();
            if ui
                .add_enabled(
                    loaded && !mapped,
                    egui::Button::new(match lang {
                        Lang::Zh => format!("显示“{}”", summary.name),
                        Lang::En => format!("Map '{}'", summary.name),
                    }),
                )
                .clicked()
            {
                chosen = Some(id.clone());
            }
        });
    }
    let report = &last.report;
    if report.unmatched_count + report.error_count + report.notes.len() == 0 {
        ui.label(tr(lang, "所有行均已匹配。", "Every row matched."));
    } else {
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                for line in last.lines.iter().skip(1 + report.layers.len()) {
                    ui.label(line);
                }
            });
    }
    if let Some(id) = chosen {
        app.map_layer(&id);
    }
}

/// Reads the chosen file on a background thread; the outcome arrives through [`poll`].
pub(super) fn start(app: &mut AtlasApp, ctx: &egui::Context) {
    let path = PathBuf::from(app.import.path.trim());
    let options = TableOptions {
        sheet: Some(app.import.sheet.trim().to_owned()).filter(|s| !s.is_empty()),
        table: Some(app.import.table.trim().to_owned()).filter(|s| !s.is_empty()),
        ..TableOptions::default()
    };
    // The workspace is cheap to clone: its atlas and index are shared.
    let workspace = (*app.workspace).clone();
    let (sender, receiver) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        // A table whose header names longitude and latitude is a point list.
        // A table whose header names longitude and latitude is a point list; the file is
        // read once as one, and as a county table only where it is none.
        let source = path.to_string_lossy().into_owned();
        let points = (!gdal_formats::is_gdal_source(&source))
            .then(|| {
                read_point_list(
                    &path,
                    &PointsCsvOptions {
                        sheet: options.sheet.clone(),
                        ..PointsCsvOptions::default()
                    },
                )
                .ok()
            })
            .flatten();
        let outcome = match points {
            Some(rows) => {
                let layers = point_list_layers(
                    &workspace.atlas,
                    workspace.index(),
                    &rows.names,
                    &rows.points,
                    &rows.stem,
                    &rows.file,
                );
                Ok(Imported::Points(Box::new((rows, layers))))
            }
            None => read_county_table(&path, &workspace.atlas, &options)
                .map(|t| Imported::Table(Box::new(t)))
                .map_err(|e| e.to_string()),
        };
        let _ = sender.send(outcome);
        ctx.request_repaint();
    });
    app.import.error = None;
    app.import.job = Some(receiver);
}

fn pick_file(ctx: &egui::Context) -> Receiver<Option<PathBuf>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let mut dialog = rfd::FileDialog::new().add_filter(
            "表格 / tables",
            &[
                "csv", "txt", "xlsx", "xls", "xlsm", "ods", "geojson", "json",
            ],
        );
        if cfg!(feature = "gdal") {
            dialog = dialog.add_filter("GDAL", &["shp", "gpkg", "kml", "kmz", "fgb", "gml"]);
        }
        let _ = sender.send(dialog.pick_file());
        ctx.request_repaint();
    });
    receiver
}

fn poll(app: &mut AtlasApp) {
    if let Some(picking) = &app.import.picking {
        match picking.try_recv() {
            Ok(chosen) => {
                if let Some(path) = chosen {
                    app.import.path = path.display().to_string();
                }
                app.import.picking = None;
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => app.import.picking = None,
        }
    }
    let Some(job) = &app.import.job else {
        return;
    };
    let outcome = match job.try_recv() {
        Ok(outcome) => outcome,
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => Err(tr(
            app.view.lang,
            "读取线程意外结束",
            "The reading thread ended unexpectedly",
        )
        .to_owned()),
    };
    app.import.job = None;
    match outcome {
        Ok(Imported::Points(read)) => {
            let (rows, layers) = *read;
            let mut lines = vec![format!(
                "{}: {} 个点,{} 个在四川省外,{} 行没有坐标 / {} points, {} outside Sichuan, {} rows without a point",
                rows.file,
                rows.points.len(),
                layers.outside,
                rows.bad_rows.1,
                rows.points.len(),
                layers.outside,
                rows.bad_rows.1
            )];
            for (line, reason) in &rows.bad_rows.0 {
                lines.push(format!(
                    "{}:{line}: {}",
                    rows.file,
                    crate::format::terminal_safe(reason)
                ));
            }
            let points_id = layers.points.id.clone();
            let counts_id = layers.counts.id.clone();
            app.add_user_points(layers.points);
            app.add_user_layers(vec![layers.counts]);
            if !app.view.doc.point_layers.contains(&points_id) {
                app.view.doc.point_layers.push(points_id);
            }
            app.map_layer(&counts_id);
            app.import.points = Some(lines);
            app.import.last = None;
        }
        Ok(Imported::Table(table)) => {
            let table = *table;
            app.import.points = None;
            let ids: Vec<String> = table.layers.iter().map(|l| l.id.clone()).collect();
            let with_values: Vec<String> = table
                .layers
                .iter()
                .filter(|l| l.values.values().any(|v| v.iter().any(Option::is_some)))
                .map(|l| l.id.clone())
                .collect();
            app.add_user_layers(
                table
                    .layers
                    .into_iter()
                    .filter(|l| with_values.contains(&l.id))
                    .collect(),
            );
            if let Some(first) = with_values.first() {
                app.map_layer(first);
            } else {
                app.import.error = Some(
                    tr(
                        app.view.lang,
                        "没有任何行匹配到县区;请检查键列是否为区划代码或县名",
                        "No row matched a county: check that the key column holds adcodes or county names",
                    )
                    .to_owned(),
                );
            }
            app.import.last = Some(LastTable {
                path: app.import.path.clone(),
                lines: table.report.lines(),
                report: table.report,
                ids,
            });
        }
        // Nothing already loaded changes.
        Err(message) => {
            app.import.error = Some(crate::format::terminal_safe(&message).into_owned())
        }
    }
}
