//! The window: an eframe/egui app over the map. It only edits the [`View`] and shows panels;
//! the numbers come from `analysis`, the drawing from `scene` and `render`.
//!
//! Layout: a top bar (search, fit, language), the layers panel on the left, the profile of the
//! selected county on the right, a status bar, and the map in the middle.

mod command;
mod compare_access;
mod compare_charts;
mod compare_panel;
mod export_dialog;
mod import_dialog;
mod index_dialog;
mod layers_panel;
mod map_view;
mod profile_panel;
mod project_dialog;
mod rings_panel;
pub mod saved_state;
mod top_bar;
mod view;

pub use crate::assets::NOTO_SANS_SC_SUBSET;
pub use command::Command;
pub use export_dialog::{ExportChoices, file_path as export_file_path};
pub use import_dialog::ImportDialog;
pub use index_dialog::IndexDialog;
pub use view::View;

use crate::analysis::profile::{CountyProfile, Detail};
use crate::atlas::{Adcode, UnitId};
use crate::crs::LonLat;
use crate::i18n::tr;
use crate::paint::{UnitTables, fonts, map_callback};
use crate::scene::{Choropleth, MapDocument, MapStyle, Theme, Workspace, bounds_of, flags};
use std::sync::Arc;

/// Where the view is stored between runs.
const STORAGE_KEY: &str = "county-atlas/view";

/// The window's native options: the wgpu renderer, a first size, and a device that asks for
/// memory in small blocks and fills buffers in place on a software adapter.
pub fn native_options() -> eframe::NativeOptions {
    let mut wgpu_options = egui_wgpu::WgpuConfiguration::default();
    if let egui_wgpu::WgpuSetup::CreateNew(setup) = &mut wgpu_options.wgpu_setup {
        let describe = Arc::clone(&setup.device_descriptor);
        setup.device_descriptor = Arc::new(move |adapter| {
            let described = describe(adapter);
            wgpu::DeviceDescriptor {
                required_features: described.required_features
                    | crate::render::device_features(adapter),
                memory_hints: crate::render::MEMORY_HINTS,
                ..described
            }
        });
    }
    eframe::NativeOptions {
        renderer: eframe::Renderer::Wgpu,
        viewport: egui::ViewportBuilder::default()
            .with_title("county-atlas · 四川县域创新地图")
            .with_inner_size([1400.0, 900.0]),
        wgpu_options,
        ..Default::default()
    }
}

/// The application state.
pub struct AtlasApp {
    workspace: Arc<Workspace>,
    /// The user's choices (persisted).
    pub view: View,
    theme: Theme,
    /// The view's document styled, with the document it was styled from (restyled when the
    /// document changes).
    styled: Option<(MapDocument, MapStyle)>,
    /// Why the current map spec could not be drawn (e.g. too few values for Fisher-Jenks).
    style_error: Option<String>,
    tables: Option<Arc<UnitTables>>,
    pending_fit: Option<crate::scene::WorldRect>,
    hovered: Option<UnitId>,
    /// The point symbols of the last frame, in map coordinates: the pointer is tested against
    /// them before the counties beneath (a frame late, as they are placed after the input is
    /// read; they move only when the view does).
    symbols: Vec<crate::scene::Symbol>,
    /// The symbol under the pointer, by its index in `symbols`.
    hovered_symbol: Option<usize>,
    pointer_lonlat: Option<LonLat>,
    map_rect: Option<egui::Rect>,
    search: top_bar::SearchState,
    commands: Vec<Command>,
    profile: Option<(UnitId, CountyProfile)>,
    notice: Option<String>,
    /// The view as last handed to [`saved_state::remember`].
    remembered: Option<View>,
    export: export_dialog::ExportDialog,
    import: import_dialog::ImportDialog,
    project: project_dialog::ProjectDialog,
    compare: compare_panel::ComparePanel,
    index: index_dialog::IndexDialog,
    /// The counties brushed in a chart or shift-clicked on the map, ascending: outlined on
    /// the map and marked in every chart.
    brushed: Vec<UnitId>,
    rings: rings_panel::RingsState,
    /// When the process started, while the first frame with the map is still to be timed.
    first_frame_from: Option<std::time::Instant>,
    /// How far the making of the finer levels' triangles has come.
    finer_levels: FinerLevels,
}

/// The finer levels of detail are triangulated on another thread once the first frame is on
/// screen: before it, they would share the processors with the device's start and the first
/// frame, which needs only the coarsest level (the whole province).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FinerLevels {
    /// No frame with the map has been laid out yet.
    Waiting,
    /// The first frame with the map has been laid out (and is painted after it).
    FirstFrameLaidOut,
    /// The thread has been started.
    Started,
}

impl AtlasApp {
    /// Creates the app in an eframe context: fonts, the map renderer, the saved view.
    pub fn new(cc: &eframe::CreationContext<'_>, workspace: Arc<Workspace>) -> Self {
        fonts::install(&cc.egui_ctx);
        // A map reads best on paper colours; planners print these.
        cc.egui_ctx.set_theme(egui::Theme::Light);
        let theme = Theme::default();
        if let Some(render_state) = &cc.wgpu_render_state {
            map_callback::install(render_state, &workspace.geometry, &theme);
        }
        let view = cc
            .storage
            .and_then(|s| eframe::get_value::<View>(s, STORAGE_KEY))
            .unwrap_or_default()
            .sanitize(&workspace);
        AtlasApp {
            workspace,
            view,
            theme,
            styled: None,
            style_error: None,
            tables: None,
            pending_fit: None,
            hovered: None,
            symbols: Vec::new(),
            hovered_symbol: None,
            pointer_lonlat: None,
            map_rect: None,
            search: top_bar::SearchState::default(),
            commands: Vec::new(),
            profile: None,
            notice: None,
            remembered: None,
            export: export_dialog::ExportDialog::default(),
            import: import_dialog::ImportDialog::default(),
            project: project_dialog::ProjectDialog::default(),
            compare: compare_panel::ComparePanel::default(),
            index: index_dialog::IndexDialog::default(),
            brushed: Vec::new(),
            rings: rings_panel::RingsState::default(),
            first_frame_from: None,
            finer_levels: FinerLevels::Waiting,
        }
    }

    /// Starts the triangulation of the finer levels the frame after the first one with the
    /// map; each finished level asks for a frame, which then draws it where a coarser one
    /// stood in.
    fn triangulate_finer_levels(&mut self, ctx: &egui::Context) {
        self.finer_levels = match self.finer_levels {
            FinerLevels::Waiting if self.map_rect.is_some() => {
                ctx.request_repaint();
                FinerLevels::FirstFrameLaidOut
            }
            FinerLevels::FirstFrameLaidOut => {
                let geometry = Arc::clone(&self.workspace.geometry);
                let ctx = ctx.clone();
                std::thread::spawn(move || {
                    // Coarsest first: the order a zoom from the whole province reaches them.
                    for level in geometry.levels.iter().rev() {
                        if !level.fills_ready() {
                            level.fills();
                            ctx.request_repaint();
                        }
                    }
                    crate::freed_memory::give_back();
                });
                FinerLevels::Started
            }
            state => state,
        };
    }

    /// Says on stderr, once, how long after `started` the first frame with the map was laid
    /// out (its drawing is queued then; the window's start-up timing).
    pub fn time_first_frame(&mut self, started: std::time::Instant) {
        self.first_frame_from = Some(started);
    }

    /// Adds layers read from the user's file to the workspace (replacing theirs of the same
    /// id). An export still being written keeps the workspace it started from.
    pub fn add_user_layers(&mut self, layers: Vec<crate::atlas::Layer>) {
        let workspace = Arc::make_mut(&mut self.workspace);
        for layer in layers {
            // Ids are "user:…", never a built-in layer's, so this cannot refuse.
            let _ = workspace.add_layer(layer);
        }
        // A layer re-read under the same id must be restyled though the document is the same;
        // profiles show the new layers.
        self.styled = None;
        self.profile = None;
    }

    /// Adds a point layer read from the user's file (replacing theirs of the same id); the
    /// atlas is copied first if an export still holds it.
    pub fn add_user_points(&mut self, layer: crate::atlas::PointLayer) {
        let workspace = Arc::make_mut(&mut self.workspace);
        // Ids are "user:…", which the atlas takes.
        let _ = Arc::make_mut(&mut workspace.atlas).add_point_layer(layer);
        self.styled = None;
        self.profile = None;
    }

    /// Maps the layer `id` at its best-covered year, where the workspace has it.
    pub fn map_layer(&mut self, id: &str) {
        let Some(layer) = self.workspace.layer(id) else {
            return;
        };
        let spec = &mut self.view.doc.map;
        spec.layer = id.to_owned();
        spec.year = None;
        spec.labels.clear();
        if matches!(layer.kind, crate::atlas::LayerKind::Categorical { .. }) {
            spec.normalization = crate::analysis::mapped::Normalization::None;
        }
        self.styled = None;
    }

    /// The Open data dialog's state: its last report, whether it is reading.
    pub fn import_dialog(&self) -> &import_dialog::ImportDialog {
        &self.import
    }

    /// The Compare panel's state: whether it is open, its table.
    pub fn compare_panel(&self) -> &compare_panel::ComparePanel {
        &self.compare
    }

    /// The Innovation index dialog's state: its definition, the index computed, reports.
    pub fn index_dialog(&mut self) -> &mut index_dialog::IndexDialog {
        &mut self.index
    }

    /// Computes the index the dialog's path names (as its 计算 button does).
    pub fn compute_index(&mut self) {
        index_dialog::compute(self);
    }

    /// The counties brushed (shift-clicked on the map, or picked in a chart), ascending.
    pub fn brushed(&self) -> &[UnitId] {
        &self.brushed
    }

    /// The selected county.
    pub fn selected_unit(&self) -> Option<UnitId> {
        let code = Adcode::parse(self.view.selected.as_deref()?)?;
        self.workspace.atlas.unit_by_adcode(code).map(|u| u.id)
    }

    /// Where the map was drawn in the last frame, in points.
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.map_rect
    }

    /// The screen position (points) of a world point, as of the last frame.
    pub fn world_to_screen(&self, world: [f64; 2]) -> Option<egui::Pos2> {
        let rect = self.map_rect?;
        let camera = self.view.camera?;
        let s = camera.world_to_screen(world, [f64::from(rect.width()), f64::from(rect.height())]);
        Some(rect.min + egui::Vec2::new(s[0] as f32, s[1] as f32))
    }

    /// The data behind the window.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The view's document styled (as of the last frame).
    pub fn style(&self) -> Option<&MapStyle> {
        self.styled.as_ref().map(|(_, style)| style)
    }

    /// The current layer styled as a choropleth.
    fn choropleth(&self) -> Option<&Choropleth> {
        self.style().and_then(|s| s.choropleth.as_ref())
    }

    fn restyle(&mut self) {
        if self
            .styled
            .as_ref()
            .is_some_and(|(doc, _)| *doc == self.view.doc)
        {
            return;
        }
        let workspace = &self.workspace;
        let doc = &self.view.doc;
        let styled = match workspace.layer(&doc.map.layer) {
            Some(layer) => MapStyle::new(&workspace.atlas, layer, doc, &self.theme),
            None => Ok(MapStyle::unstyled(&workspace.atlas, doc, &self.theme)),
        };
        let style = match styled {
            Ok(style) => {
                self.style_error = None;
                style
            }
            Err(e) => {
                self.style_error = Some(e.to_string());
                MapStyle::unstyled(&workspace.atlas, doc, &self.theme)
            }
        };
        self.styled = Some((doc.clone(), style));
    }

    /// The unit colour and flag tables for this frame: the style's, with hover and selection
    /// (a new version only when they change).
    fn unit_tables(&mut self) -> Arc<UnitTables> {
        let (colours, mut unit_flags) = match self.style() {
            Some(style) => (style.colours.clone(), style.flags.clone()),
            None => {
                let units = self.workspace.atlas.units().len();
                (vec![self.theme.no_data; units], vec![flags::NO_DATA; units])
            }
        };
        if let Some(u) = self.hovered {
            unit_flags[u.index()] |= flags::HOVERED;
        }
        if let Some(u) = self.selected_unit() {
            unit_flags[u.index()] |= flags::SELECTED;
        }
        match &self.tables {
            Some(t) if t.colours == colours && t.flags == unit_flags => t.clone(),
            previous => {
                let version = previous.as_ref().map_or(0, |t| t.version + 1);
                let tables = Arc::new(UnitTables {
                    version,
                    colours,
                    flags: unit_flags,
                });
                self.tables = Some(tables.clone());
                tables
            }
        }
    }

    fn profile(&mut self, unit: UnitId) -> &CountyProfile {
        let workspace = &self.workspace;
        let cached = self.profile.take().filter(|(u, _)| *u == unit);
        let entry = cached.unwrap_or_else(|| {
            (
                unit,
                CountyProfile::build_with(
                    &workspace.atlas,
                    workspace.index(),
                    unit,
                    &workspace
                        .user_layers()
                        .iter()
                        .chain(workspace.index_layers())
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
            )
        });
        &self.profile.insert(entry).1
    }

    fn apply_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Select(unit) => {
                    self.view.selected =
                        unit.map(|u| self.workspace.atlas.unit(u).adcode.to_string())
                }
                Command::ZoomTo(unit) => {
                    // Fitted by the map itself next frame, when panels opened by this frame's
                    // commands have taken their room.
                    self.pending_fit = Some(bounds_of(&self.workspace.atlas, Some(&[unit])));
                }
                Command::ZoomToFit => self.view.camera = None,
                Command::ToggleBrush(unit) => match self.brushed.binary_search(&unit) {
                    Ok(at) => {
                        self.brushed.remove(at);
                    }
                    Err(at) => self.brushed.insert(at, unit),
                },
                Command::Brush { units, add } => {
                    if !add {
                        self.brushed.clear();
                    }
                    self.brushed.extend(units);
                    self.brushed.sort_unstable();
                    self.brushed.dedup();
                }
                Command::CopyProfile(unit) => {
                    let lang = self.view.lang;
                    let text = self.profile(unit).to_text(lang, Detail::Brief);
                    ctx.copy_text(text);
                    self.notice = Some(
                        tr(
                            self.view.lang,
                            "档案已复制到剪贴板",
                            "Profile copied to the clipboard",
                        )
                        .to_owned(),
                    );
                }
            }
        }
    }

    /// Says `notices` (from [`saved_state::check`]) in the status bar, in the view's language.
    pub fn tell(&mut self, notices: &[crate::i18n::Text]) {
        if !notices.is_empty() {
            let lang = self.view.lang;
            let said: Vec<&str> = notices.iter().map(|n| n.get(lang)).collect();
            self.notice = Some(said.join(tr(lang, ";", "; ")));
        }
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        let lang = self.view.lang;
        ui.horizontal(|ui| {
            match self.pointer_lonlat {
                Some([lon, lat]) => ui.label(format!(
                    "{} {lon:.5}°E, {lat:.5}°N (WGS84)",
                    tr(lang, "经纬度", "Lon/lat")
                )),
                None => ui.label(tr(
                    lang,
                    "将鼠标移到地图上查看经纬度",
                    "Move over the map for coordinates",
                )),
            };
            if let Some(camera) = self.view.camera {
                ui.separator();
                ui.label(format!(
                    "{} {:.0} m",
                    tr(lang, "每点", "per point"),
                    camera.metres_per_pixel
                ));
            }
            if let Some(notice) = &self.notice {
                ui.separator();
                ui.label(notice);
            }
        });
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.restyle();
        egui::Panel::top("top bar").show(ui, |ui| top_bar::show(self, ui));
        egui::Panel::bottom("status bar").show(ui, |ui| self.status_bar(ui));
        compare_panel::show(self, ui);
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(270.0)
            .show(ui, |ui| layers_panel::show(self, ui));
        if let Some(unit) = self.selected_unit() {
            egui::Panel::right("profile")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| profile_panel::show(self, ui, unit));
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| map_view::show(self, ui));
        export_dialog::show(self, &ui.ctx().clone());
        import_dialog::show(self, &ui.ctx().clone());
        project_dialog::show(self, &ui.ctx().clone());
        index_dialog::show(self, &ui.ctx().clone());
        self.apply_commands(ui.ctx());
        if self.remembered.as_ref() != Some(&self.view) {
            saved_state::remember(STORAGE_KEY, &self.view);
            self.remembered = Some(self.view.clone());
        }
        self.triangulate_finer_levels(ui.ctx());
        if self.map_rect.is_some()
            && let Some(started) = self.first_frame_from.take()
        {
            eprintln!(
                "start: first frame with the map {:.0} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.view);
    }
}
