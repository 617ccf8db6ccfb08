//! 项目 / Project: the work in progress saved to one file (the imported layers with their
//! data, and the view) and opened again, here or on another machine. Saving is atomic; a file
//! that cannot be opened changes nothing.

use super::AtlasApp;
use super::view::View;
use crate::i18n::tr;
use crate::io::project::{self, Project, StoredLayer, StoredPoints};
use std::path::PathBuf;

/// The dialog's state between frames.
#[derive(Default)]
pub struct ProjectDialog {
    /// Shown.
    pub open: bool,
    /// The project file.
    pub path: String,
    /// What the last save or open did, or why it failed.
    pub message: Option<String>,
}

pub(super) fn show(app: &mut AtlasApp, ctx: &egui::Context) {
    if !app.project.open {
        return;
    }
    let lang = app.view.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "项目", "Project"))
        .open(&mut open)
        // Below the top bar, whose buttons it must not hide.
        .default_pos(egui::pos2(340.0, 60.0))
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(tr(
                lang,
                "项目文件保存导入的数据(含数值、名称、单位与来源,以及点名单)和当前地图视图,可在另一台电脑上打开。",
                "A project file keeps the imported data (values, names, units and sources, and point lists) and the map's view, and opens on another computer.",
            ));
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "项目文件", "Project file"));
                ui.add(
                    egui::TextEdit::singleline(&mut app.project.path)
                        .hint_text("atlas-project.json")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            });
            let ready = !app.project.path.trim().is_empty();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "保存项目", "Save project")))
                    .clicked()
                {
                    save(app);
                }
                if ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "打开项目", "Open project")))
                    .clicked()
                {
                    open_project(app);
                }
            });
            if let Some(message) = &app.project.message {
                ui.label(message);
            }
        });
    if !open {
        app.project.open = false;
    }
}

fn save(app: &mut AtlasApp) {
    let lang = app.view.lang;
    let path = PathBuf::from(app.project.path.trim());
    let atlas = &app.workspace.atlas;
    let layers: Vec<StoredLayer> = app
        .workspace
        .user_layers()
        .iter()
        .map(|l| StoredLayer::from_layer(l, atlas))
        .collect();
    let points: Vec<StoredPoints> = atlas
        .point_layers()
        .iter()
        .filter(|l| l.id.starts_with("user:"))
        .map(StoredPoints::from_layer)
        .collect();
    let count = layers.len() + points.len();
    let project = Project {
        version: project::VERSION,
        layers,
        points,
        index: app.workspace.index_source().cloned(),
        view: app.view.clone(),
    };
    app.project.message = Some(match project::save(&path, &project) {
        Ok(()) => match lang {
            crate::i18n::Lang::Zh => format!("已保存 {}({count} 个导入图层)", path.display()),
            crate::i18n::Lang::En => {
                format!("Saved {} ({count} imported layers)", path.display())
            }
        },
        Err(e) => crate::format::terminal_safe(&e.to_string()).into_owned(),
    });
}

fn open_project(app: &mut AtlasApp) {
    let lang = app.view.lang;
    let path = PathBuf::from(app.project.path.trim());
    match project::open::<View>(&path, &app.workspace.atlas) {
        Ok((project, layers)) => {
            let count = layers.len() + project.points.len();
            let workspace = std::sync::Arc::make_mut(&mut app.workspace);
            workspace.clear_user_layers();
            std::sync::Arc::make_mut(&mut workspace.atlas).clear_user_point_layers();
            app.add_user_layers(layers);
            // The point lists are placed in counties again.
            for stored in &project.points {
                let (names, points) = stored.names_and_points();
                let text = |t: &[String; 2]| crate::i18n::Text::new(t[0].clone(), t[1].clone());
                let layer = crate::analysis::point_list::place(
                    &app.workspace.atlas,
                    app.workspace.index(),
                    stored.id.clone(),
                    text(&stored.name),
                    stored.caveat.as_ref().map(text),
                    &names,
                    &points,
                );
                app.add_user_points(layer);
            }
            // The index is computed again before the view is checked: the view may map it.
            let index_failed = match &project.index {
                Some(stored) => super::index_dialog::reopen(app, stored).err(),
                None => {
                    super::index_dialog::forget(app);
                    None
                }
            };
            app.view = project.view.sanitize(&app.workspace);
            let mut message = match lang {
                crate::i18n::Lang::Zh => format!("已打开 {}({count} 个导入图层)", path.display()),
                crate::i18n::Lang::En => {
                    format!("Opened {} ({count} imported layers)", path.display())
                }
            };
            if let Some(why) = index_failed {
                message.push_str(match lang {
                    crate::i18n::Lang::Zh => ";创新指数未能重算:",
                    crate::i18n::Lang::En => "; the innovation index could not be computed again: ",
                });
                message.push_str(&why);
            }
            app.project.message = Some(crate::format::terminal_safe(&message).into_owned());
        }
        // Nothing already loaded changes.
        Err(e) => {
            app.project.message = Some(crate::format::terminal_safe(&e.to_string()).into_owned())
        }
    }
}
