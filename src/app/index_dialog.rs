//! 创新指数 / Innovation index: a definition file (TOML, docs/index-method.md) computed on
//! the workspace's layers, its composite, dimensions, groups and rank ranges put on the map,
//! the counties listed best first (a click selects one), and the graded report of the
//! selected county, or of every county, written as PDF in the background.

use super::AtlasApp;
use super::command::Command;
use crate::analysis::composite::IndexRun;
use crate::analysis::composite::StoredIndex;
use crate::analysis::composite::area_report::Area;
use crate::analysis::composite::inputs::computed_inputs;
use crate::analysis::composite::layers::{GRADE, PROGRESS, RANK_RANGE, SCORE, dimension_id};
use crate::analysis::composite::table::{IndexTable, grade_name, interval_text, rank_change_text};
use crate::analysis::result_layers::is_computed_id;
use crate::export::report::ReportOf;
use crate::export::{ExportOptions, Format};
use crate::i18n::{Lang, tr};
use crate::io::index_spec::{IndexSpec, read_index_spec, stored_index_spec};
use crate::scene::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

/// The draws of the rank intervals unless the user asks otherwise.
const DEFAULT_DRAWS: usize = 1000;

/// The earlier year first offered for progress: the year before the built-in census's.
const DEFAULT_FROM_YEAR: i32 = 2019;

/// The dialog's state between frames.
pub struct IndexDialog {
    /// Shown.
    pub open: bool,
    /// The definition file.
    pub path: String,
    /// Monte Carlo draws of the rank intervals (0: none).
    pub draws: usize,
    /// Measure progress since `from_year` (进步县).
    pub compare: bool,
    /// The earlier year of the progress.
    pub from_year: i32,
    /// The index computed, with its table in the interface's language.
    pub computed: Option<(Arc<IndexRun>, IndexTable)>,
    /// Why the last computation failed, or what it did.
    pub message: Option<String>,
    /// Where reports are written.
    pub report_dir: String,
    /// What the last report job did.
    pub report_message: Option<String>,
    picking: Option<Receiver<Option<PathBuf>>>,
    report_job: Option<Receiver<Result<usize, String>>>,
    /// The running job's reports written so far, and of how many.
    report_count: (Arc<AtomicUsize>, usize),
}

impl Default for IndexDialog {
    fn default() -> Self {
        IndexDialog {
            open: false,
            path: String::new(),
            draws: DEFAULT_DRAWS,
            compare: false,
            from_year: DEFAULT_FROM_YEAR,
            computed: None,
            message: None,
            report_dir: String::new(),
            report_message: None,
            picking: None,
            report_job: None,
            report_count: (Arc::new(AtomicUsize::new(0)), 0),
        }
    }
}

impl IndexDialog {
    /// Whether reports are being written.
    pub fn writing(&self) -> bool {
        self.report_job.is_some()
    }
}

pub(super) fn show(app: &mut AtlasApp, ctx: &egui::Context) {
    poll(app);
    if !app.index.open {
        return;
    }
    let lang = app.view.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "创新指数", "Innovation index"))
        .open(&mut open)
        .default_pos(egui::pos2(300.0, 60.0))
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(tr(
                lang,
                "指数定义是一个 TOML 文件:指标(任一图层)、维度、方向、权重、目标值与方法,见 docs/index-method.md。",
                "An index is defined in a TOML file: indicators (any layer), dimensions, directions, weights, targets and the method; see docs/index-method.md.",
            ));
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "定义文件", "Definition"));
                ui.add(
                    egui::TextEdit::singleline(&mut app.index.path)
                        .hint_text("index.toml")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(app.index.picking.is_none(), egui::Button::new(tr(lang, "浏览…", "Browse…")))
                    .clicked()
                {
                    app.index.picking = Some(pick_file(ctx));
                }
            });
            ui.horizontal(|ui| {
                ui.checkbox(
                    &mut app.index.compare,
                    tr(lang, "测算进步(进步县)", "Measure progress (most improved)"),
                );
                let label = ui.add_enabled(
                    app.index.compare,
                    egui::Label::new(tr(lang, "比较年份", "since")),
                );
                ui.add_enabled(
                    app.index.compare,
                    egui::DragValue::new(&mut app.index.from_year).range(1949..=2100),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "位次区间抽样次数", "Rank-interval draws"));
                ui.add(egui::DragValue::new(&mut app.index.draws).range(0..=100_000))
                    .labelled_by(label.id);
                let ready = !app.index.path.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "计算", "Compute")))
                    .clicked()
                {
                    compute(app);
                }
            });
            if let Some(message) = &app.index.message {
                ui.label(message);
            }
            if app.index.computed.is_some() {
                ui.separator();
                results(app, ui, lang);
            }
        });
    if !open {
        app.index.open = false;
    }
}

fn results(app: &mut AtlasApp, ui: &mut egui::Ui, lang: Lang) {
    let Some((run, table)) = app.index.computed.clone() else {
        return;
    };
    ui.strong(format!("{} {}", table.name, table.year));
    ui.label(&table.method);
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(lang, "地图:", "Map:"));
        let mut ids: Vec<(String, String)> =
            vec![(SCORE.to_owned(), tr(lang, "综合得分", "Score").to_owned())];
        if app.workspace.layer(GRADE).is_some() {
            ids.push((GRADE.to_owned(), tr(lang, "分级图", "Groups").to_owned()));
        }
        if app.workspace.layer(RANK_RANGE).is_some() {
            ids.push((
                RANK_RANGE.to_owned(),
                tr(lang, "位次区间", "Rank range").to_owned(),
            ));
        }
        if app.workspace.layer(PROGRESS).is_some() {
            ids.push((PROGRESS.to_owned(), tr(lang, "进步", "Progress").to_owned()));
        }
        for name in run.definition.dimension_names() {
            ids.push((
                dimension_id(name),
                run.definition.dimension_title(name).get(lang).to_owned(),
            ));
        }
        for (id, label) in ids {
            let selected = app.view.doc.map.layer == id;
            if ui
                .add(egui::Button::new(label).selected(selected))
                .clicked()
            {
                app.map_layer(&id);
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "报告文件夹", "Report folder"));
        ui.add(egui::TextEdit::singleline(&mut app.index.report_dir).desired_width(260.0))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let idle = app.index.report_job.is_none() && !app.index.report_dir.trim().is_empty();
        let selected = app.selected_unit();
        let one = ui
            .add_enabled(
                idle && selected.is_some(),
                egui::Button::new(tr(lang, "所选县的报告", "Report of the selected county")),
            )
            .on_disabled_hover_text(tr(
                lang,
                "先在地图上选一个县",
                "Select a county on the map first",
            ));
        if one.clicked()
            && let Some(unit) = selected
        {
            start_reports(app, run.clone(), vec![ReportOf::County(unit)], ui.ctx());
        }
        if ui
            .add_enabled(
                idle,
                egui::Button::new(tr(lang, "全部县的报告", "Reports of every county")),
            )
            .clicked()
        {
            let units = app.workspace.atlas.units().iter();
            let of = units.map(|u| ReportOf::County(u.id)).collect();
            start_reports(app, run.clone(), of, ui.ctx());
        }
        if ui
            .add_enabled(
                idle,
                egui::Button::new(tr(
                    lang,
                    "经济区与全省报告",
                    "Reports of the regions and the province",
                )),
            )
            .clicked()
        {
            let of = Area::all().into_iter().map(ReportOf::Area).collect();
            start_reports(app, run.clone(), of, ui.ctx());
        }
        if app.index.report_job.is_some() {
            ui.spinner();
            let (done, total) = &app.index.report_count;
            ui.label(format!("{}/{total}", done.load(Ordering::Relaxed)));
        }
    });
    if let Some(message) = &app.index.report_message {
        ui.label(message);
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .min_scrolled_height(260.0)
        .max_height(360.0)
        .show(ui, |ui| {
            let progress_from = table.progress_from;
            egui::Grid::new("index table").striped(true).show(ui, |ui| {
                for header in [
                    tr(lang, "位次", "Rank"),
                    tr(lang, "县", "County"),
                    tr(lang, "得分", "Score"),
                    tr(lang, "分级", "Group"),
                    tr(lang, "位次区间", "Rank interval"),
                ] {
                    ui.strong(header);
                }
                if let Some(from) = progress_from {
                    ui.strong(match lang {
                        Lang::Zh => format!("比 {from} 年"),
                        Lang::En => format!("Since {from}"),
                    });
                }
                ui.end_row();
                for row in &table.counties {
                    ui.label(row.rank.to_string());
                    if ui.link(&row.name).clicked() {
                        app.commands.push(Command::Select(Some(row.unit)));
                        app.commands.push(Command::ZoomTo(row.unit));
                    }
                    ui.label(crate::format::number(row.score, 1));
                    ui.label(grade_name(row.group, lang));
                    ui.label(
                        row.uncertainty
                            .as_ref()
                            .map(interval_text)
                            .unwrap_or_default(),
                    );
                    if progress_from.is_some() {
                        ui.label(row.progress.map(rank_change_text).unwrap_or_default());
                    }
                    ui.end_row();
                }
            });
            if !table.not_scored.is_empty() {
                let names: Vec<&str> = table.not_scored.iter().map(|n| n.name.as_str()).collect();
                ui.label(format!(
                    "{} {}: {}",
                    tr(lang, "未计分", "Not scored"),
                    names.len(),
                    names.join(tr(lang, "、", ", "))
                ));
            }
        });
}

/// Computes the definition at the dialog's path; a failure changes nothing on the map.
pub(super) fn compute(app: &mut AtlasApp) {
    let path = PathBuf::from(app.index.path.trim());
    let read = |workspace: &Workspace| {
        let exists = |id: &str| workspace.layer(id).is_some() || is_computed_id(id);
        read_index_spec(&path, &workspace.atlas, &exists, None).map_err(|e| e.to_string())
    };
    let draws = app.index.draws;
    let from_year = app.index.compare.then_some(app.index.from_year);
    let computed = read(&app.workspace).and_then(|spec| {
        let draws = (draws > 0).then_some((draws, spec.definition.uncertainty.seed));
        computed(&app.workspace, spec, draws, from_year)
    });
    match computed {
        Ok((run, source)) => {
            show_computed(app, run, source);
            app.map_layer(SCORE);
        }
        Err(message) => app.index.message = Some(message),
    }
}

/// Puts a computed index in the workspace and the dialog: its layers, its table, where its
/// reports go.
fn show_computed(app: &mut AtlasApp, run: IndexRun, source: StoredIndex) {
    let lang = app.view.lang;
    let path = PathBuf::from(&source.file);
    app.index.path = source.file.clone();
    if let Some((draws, _)) = source.draws {
        app.index.draws = draws;
    }
    app.index.compare = source.from_year.is_some();
    if let Some(from) = source.from_year {
        app.index.from_year = from;
    }
    Arc::make_mut(&mut app.workspace).set_index_layers(run.layers(), source);
    let table = IndexTable::new(&app.workspace.atlas, &run, lang);
    app.index.message = Some(match lang {
        Lang::Zh => format!("已计算:{} 个县计分", table.counties.len()),
        Lang::En => format!("Computed: {} counties scored", table.counties.len()),
    });
    if app.index.report_dir.trim().is_empty() {
        let folder = path.parent().unwrap_or(Path::new("")).join("reports");
        app.index.report_dir = folder.display().to_string();
    }
    app.index.computed = Some((Arc::new(run), table));
    app.profile = None;
}

/// Computes a project's index again on the workspace's layers (the project's own among
/// them); a failure leaves no index and says why.
pub(super) fn reopen(app: &mut AtlasApp, stored: &StoredIndex) -> Result<(), String> {
    let workspace = &app.workspace;
    let exists = |id: &str| workspace.layer(id).is_some() || is_computed_id(id);
    let computed = stored_index_spec(stored, &workspace.atlas, &exists)
        .map_err(|e| e.to_string())
        .and_then(|spec| computed(workspace, spec, stored.draws, stored.from_year));
    match computed {
        Ok((run, source)) => {
            show_computed(app, run, source);
            Ok(())
        }
        Err(why) => {
            forget(app);
            app.index.path = stored.file.clone();
            Err(why)
        }
    }
}

/// Removes the index from the workspace and the dialog.
pub(super) fn forget(app: &mut AtlasApp) {
    Arc::make_mut(&mut app.workspace).clear_index();
    app.index.computed = None;
    app.index.message = None;
}

/// The index of `spec` computed on the workspace's layers (and the computed layers it
/// names), with `draws` Monte Carlo draws and the progress since `from_year` where given,
/// and the definition as it is stored.
pub(super) fn computed(
    workspace: &Workspace,
    spec: IndexSpec,
    draws: Option<(usize, u64)>,
    from_year: Option<i32>,
) -> Result<(IndexRun, StoredIndex), String> {
    let atlas = &workspace.atlas;
    let path = spec.path.clone();
    let at_line = |e: crate::analysis::composite::DefinitionError| {
        format!("{}:{}: {} / {}", path.display(), e.line, e.zh, e.en)
    };
    let found = |id: &str| workspace.layer(id);
    let extra =
        computed_inputs(atlas, workspace.index(), &found, &spec.definition).map_err(at_line)?;
    let lookup = |id: &str| {
        workspace
            .layer(id)
            .or_else(|| extra.iter().find(|l| l.id == id))
    };
    let then = match from_year {
        Some(from) => {
            let earlier_year = |e| {
                format!(
                    "比较年份 {from} 无法计算(换一个年份,或取消“测算进步”)/ the year compared, {from}, cannot be computed (choose another, or untick progress): {}",
                    at_line(e)
                )
            };
            let earlier = spec
                .definition
                .clone()
                .with_year(from)
                .map_err(earlier_year)?;
            let then = IndexRun::new(atlas, &lookup, earlier, spec.classes.clone(), None)
                .map_err(earlier_year)?;
            Some((from, then.result))
        }
        None => None,
    };
    let mut run = IndexRun::new(
        atlas,
        &lookup,
        spec.definition.clone(),
        spec.classes.clone(),
        draws,
    )
    .map_err(at_line)?;
    if let Some((from, then)) = then {
        run.set_progress(from, &then);
    }
    let source = spec.stored(atlas, &run);
    Ok((run, source))
}

fn start_reports(app: &mut AtlasApp, run: Arc<IndexRun>, of: Vec<ReportOf>, ctx: &egui::Context) {
    let workspace = (*app.workspace).clone();
    let dir = PathBuf::from(app.index.report_dir.trim());
    let lang = app.view.lang;
    let (sender, receiver) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    app.index.report_message = Some(tr(lang, "正在生成报告…", "Writing the reports…").to_owned());
    let done = Arc::new(AtomicUsize::new(0));
    app.index.report_count = (done.clone(), of.len());
    std::thread::spawn(move || {
        let written = |_: &Path| {
            done.fetch_add(1, Ordering::Relaxed);
            ctx.request_repaint();
        };
        let result = write_reports(&workspace, &run, &of, &dir, lang, &written);
        let _ = sender.send(result);
        ctx.request_repaint();
    });
    app.index.report_job = Some(receiver);
}

fn write_reports(
    workspace: &Workspace,
    run: &IndexRun,
    of: &[ReportOf],
    dir: &Path,
    lang: Lang,
    written: &(dyn Fn(&Path) + Sync),
) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let options = ExportOptions {
        lang,
        format: Format::Pdf,
        ..ExportOptions::default()
    };
    crate::export::report::write_reports(workspace, run, of, dir, &options, written)
        .map(|written| written.len())
        .map_err(|failed| failed.join("; "))
}

fn pick_file(ctx: &egui::Context) -> Receiver<Option<PathBuf>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let chosen = rfd::FileDialog::new()
            .add_filter("TOML", &["toml"])
            .pick_file();
        let _ = sender.send(chosen);
        ctx.request_repaint();
    });
    receiver
}

fn poll(app: &mut AtlasApp) {
    if let Some(picking) = &app.index.picking {
        match picking.try_recv() {
            Ok(chosen) => {
                if let Some(path) = chosen {
                    app.index.path = path.display().to_string();
                }
                app.index.picking = None;
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => app.index.picking = None,
        }
    }
    let Some(job) = &app.index.report_job else {
        return;
    };
    let lang = app.view.lang;
    let outcome = match job.try_recv() {
        Ok(outcome) => outcome,
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => Err(tr(
            lang,
            "报告线程意外结束",
            "The report thread ended unexpectedly",
        )
        .to_owned()),
    };
    app.index.report_job = None;
    app.index.report_message = Some(match outcome {
        Ok(n) => match lang {
            Lang::Zh => format!("已写出 {n} 份报告到 {}", app.index.report_dir),
            Lang::En => format!("Wrote {n} reports to {}", app.index.report_dir),
        },
        Err(e) => crate::format::terminal_safe(&e).into_owned(),
    });
}
