//! 区域比较 / Compare: the mapped layer across groups (the five regions, the prefectures, 一干
//! and the rest), as a table and as charts drawn with egui_plot: the groups' means, the
//! counties of the selected county's group, box plots per group, a histogram with the map's
//! class breaks, and the Moran scatter plot. A county clicked in a chart is selected on the
//! map, and the county selected on the map is marked in every chart. LISA and G* maps are
//! added as layers from here.
//!
//! The figures are computed when the layer, year, normalisation or grouping change, not every
//! frame: drawing the panel only lays out what is cached.

use super::AtlasApp;
use super::command::Command;
use super::compare_charts::{ChartAction, ChartInput};
use crate::analysis::autocorrelation::{getis_ord, local_moran};
use crate::analysis::chart_data::{Scatter, moran_scatter};
use crate::analysis::group_compare::{GroupComparison, compare_groups};
use crate::analysis::grouping::{BuiltinGrouping, Grouping};
use crate::analysis::mapped::{MappedValues, Normalization};
use crate::analysis::result_layers::{Method, gstar_layer, lisa_layer};
use crate::atlas::UnitId;
use crate::format::number;
use crate::i18n::{Lang, tr};
use crate::spatial::{SpatialWeights, WeightsKind};

/// Permutations and seed of the statistics the panel computes (esda's default count).
const PERMUTATIONS: usize = 999;
const SEED: u64 = 12345;
/// The significance level of the LISA and G* maps made here.
const ALPHA: f64 = 0.05;

/// Which chart is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Chart {
    /// The groups' means, and the counties of the selected county's group.
    #[default]
    Bars,
    /// A box plot per group.
    Boxes,
    /// The distribution with the map's class breaks.
    Histogram,
    /// Each county's standardised value against its neighbours' (queen).
    MoranScatter,
    /// The mapped layer against another county layer.
    TwoLayers,
}

/// The panel's state between frames.
#[derive(Default)]
pub struct ComparePanel {
    /// Shown.
    pub open: bool,
    /// The built-in grouping compared (when no grouping table is chosen).
    pub grouping: Option<BuiltinGrouping>,
    /// The path typed for a grouping table of the user's own.
    pub grouping_file: String,
    /// The grouping table read last, with its reading's number (so the figures are computed
    /// again when another is read).
    custom: Option<(u32, Grouping)>,
    /// Whether the grouping table, not a built-in grouping, is compared.
    use_custom: bool,
    /// Why the grouping table could not be read.
    pub grouping_error: Option<String>,
    /// The chart shown.
    pub chart: Chart,
    /// The point layer whose distances 距离图 maps.
    pub access_points: Option<String>,
    /// The radius 半径内点数 counts within, km (0 until first shown: then 50).
    pub access_km: f64,
    /// The layer on the x axis of the two-layer scatter.
    pub second_layer: Option<String>,
    cache: Option<Cached>,
}

/// What the figures were computed for.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Key {
    pub(super) layer: String,
    year: Option<i32>,
    normalization: Normalization,
    grouping: BuiltinGrouping,
    /// The reading of the user's grouping table compared, when one is.
    custom: Option<u32>,
}

/// The figures, computed once per [`Key`].
pub(super) struct Cached {
    pub(super) key: Key,
    pub(super) grouping: Grouping,
    table: Result<GroupComparison, String>,
    /// Counties with a value, ascending, and their values.
    pub(super) units: Vec<UnitId>,
    pub(super) values: Vec<f64>,
    /// The Moran scatter plot (queen weights), for a numeric county layer.
    pub(super) scatter: Option<Scatter>,
    /// The two-layer scatter against its x layer, computed when that layer is first shown
    /// (the chart reads it every frame).
    pub(super) two_layers: std::cell::RefCell<Option<(String, Scatter)>>,
    year: i32,
}

impl Cached {
    /// The compared values against `x_layer`'s, computed once for each x layer.
    pub(super) fn two_layer_scatter(
        &self,
        atlas: &crate::atlas::Atlas,
        x_layer: &crate::atlas::Layer,
    ) -> Option<Scatter> {
        let mut kept = self.two_layers.borrow_mut();
        if kept.as_ref().is_none_or(|(id, _)| *id != x_layer.id) {
            let scatter =
                crate::analysis::chart_data::two_layers(atlas, &self.units, &self.values, x_layer)
                    .ok()?;
            *kept = Some((x_layer.id.clone(), scatter));
        }
        kept.as_ref().map(|(_, scatter)| scatter.clone())
    }
}

impl ComparePanel {
    /// The grouping table read in the panel, if one is.
    pub fn user_grouping(&self) -> Option<&Grouping> {
        self.custom.as_ref().map(|(_, g)| g)
    }

    /// The comparison table of the last frame, if one could be made.
    pub fn table(&self) -> Option<&GroupComparison> {
        self.cache.as_ref().and_then(|c| c.table.as_ref().ok())
    }
}

/// Shows the panel at the bottom of the window when open.
pub(super) fn show(app: &mut AtlasApp, ui: &mut egui::Ui) {
    if !app.compare.open {
        return;
    }
    refresh(app);
    egui::Panel::bottom("compare")
        .resizable(true)
        .default_size(330.0)
        .show(ui, |ui| panel(app, ui));
}

fn refresh(app: &mut AtlasApp) {
    let spec = &app.view.doc.map;
    let key = Key {
        layer: spec.layer.clone(),
        year: spec.year,
        normalization: spec.normalization,
        grouping: app.compare.grouping.unwrap_or(BuiltinGrouping::Region),
        custom: app
            .compare
            .custom
            .as_ref()
            .filter(|_| app.compare.use_custom)
            .map(|(n, _)| *n),
    };
    if app.compare.cache.as_ref().is_some_and(|c| c.key == key) {
        return;
    }
    let workspace = &app.workspace;
    let atlas = &workspace.atlas;
    let grouping = match (&app.compare.custom, key.custom) {
        (Some((_, custom)), Some(_)) => custom.clone(),
        _ => Grouping::builtin(atlas, key.grouping),
    };
    let Some(layer) = workspace.layer(&key.layer) else {
        app.compare.cache = None;
        return;
    };
    let table = compare_groups(atlas, layer, key.year, key.normalization, &grouping, None)
        .map_err(|e| e.to_string());
    let mapped = MappedValues::new(atlas, layer, key.year, key.normalization).ok();
    let (units, values) = mapped
        .as_ref()
        .map(MappedValues::with_values)
        .unwrap_or_default();
    let county_level = layer.level == crate::atlas::Level::County;
    let numeric = matches!(layer.kind, crate::atlas::LayerKind::Numeric);
    let scatter = (county_level && numeric)
        .then(|| {
            moran_scatter(
                workspace.index(),
                &units,
                &values,
                WeightsKind::Queen,
                PERMUTATIONS,
                SEED,
            )
        })
        .flatten();
    app.compare.cache = Some(Cached {
        year: mapped.as_ref().map_or(0, |m| m.year),
        key,
        grouping,
        table,
        units,
        values,
        scatter,
        two_layers: Default::default(),
    });
}

fn panel(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    ui.horizontal_wrapped(|ui| {
        ui.strong(tr(lang, "区域比较", "Compare regions"));
        let label = ui.label(tr(lang, "分组方式", "Grouping"));
        let current = app.compare.grouping.unwrap_or(BuiltinGrouping::Region);
        let name = |g: BuiltinGrouping| match g {
            BuiltinGrouping::Region => tr(lang, "五大经济区", "Five economic regions"),
            BuiltinGrouping::Prefecture => tr(lang, "市州", "Prefectures"),
            BuiltinGrouping::Trunk => tr(lang, "一干多支", "Trunk and branches"),
        };
        // None: the grouping table.
        let custom_name = app.compare.custom.as_ref().map(|(_, g)| g.name.get(lang).to_owned());
        let current_choice = (!app.compare.use_custom || custom_name.is_none()).then_some(current);
        let mut chosen = current_choice;
        egui::ComboBox::from_id_salt("compare-grouping")
            .selected_text(match (current_choice, &custom_name) {
                (Some(g), _) => name(g).to_owned(),
                (None, Some(custom)) => custom.clone(),
                (None, None) => String::new(),
            })
            .show_ui(ui, |ui| {
                for g in [
                    BuiltinGrouping::Region,
                    BuiltinGrouping::Prefecture,
                    BuiltinGrouping::Trunk,
                ] {
                    ui.selectable_value(&mut chosen, Some(g), name(g));
                }
                if let Some(custom) = &custom_name {
                    ui.selectable_value(&mut chosen, None, custom);
                }
            })
            .response
            .labelled_by(label.id);
        match chosen {
            Some(g) => {
                app.compare.grouping = Some(g);
                app.compare.use_custom = false;
            }
            None => app.compare.use_custom = true,
        }
        ui.separator();
        for (chart, zh, en) in [
            (Chart::Bars, "柱状图", "Bars"),
            (Chart::Boxes, "箱线图", "Box plots"),
            (Chart::Histogram, "直方图", "Histogram"),
            (Chart::MoranScatter, "莫兰散点图", "Moran scatter"),
            (Chart::TwoLayers, "双图层散点", "Two layers"),
        ] {
            ui.selectable_value(&mut app.compare.chart, chart, tr(lang, zh, en));
        }
        ui.separator();
        let has_scatter = app
            .compare
            .cache
            .as_ref()
            .is_some_and(|c| c.scatter.is_some());
        if ui
            .add_enabled(has_scatter, egui::Button::new(tr(lang, "LISA 聚类图", "LISA map")))
            .on_hover_text(tr(
                lang,
                "局部莫兰指数(邻接权重,999 次置换,p < 0.05)作为图层加入并显示",
                "Local Moran (queen weights, 999 permutations, p < 0.05) added as a layer and mapped",
            ))
            .clicked()
        {
            add_result_layer(app, false);
        }
        if ui
            .add_enabled(has_scatter, egui::Button::new(tr(lang, "冷热点图", "Hot spots (G*)")))
            .clicked()
        {
            add_result_layer(app, true);
        }
        if ui
            .add_enabled(app.compare.table().is_some(), egui::Button::new(tr(lang, "复制表格", "Copy table")))
            .on_hover_text(tr(lang, "以制表符分隔复制,可粘贴到 Excel", "Copied tab-separated, to paste into Excel"))
            .clicked()
            && let Some(table) = app.compare.table()
        {
            ui.ctx().copy_text(table_text(table, lang));
        }
        if ui
            .add_enabled(app.compare.table().is_some(), egui::Button::new(tr(lang, "保存表格", "Save table")))
            .on_hover_text(tr(
                lang,
                "将比较表存为 CSV(UTF-8,Excel 可直接打开),放在导出文件夹",
                "Saves the table as CSV (UTF-8, opens in Excel) in the export folder",
            ))
            .clicked()
        {
            save_table(app);
        }
        if ui
            .add_enabled(app.compare.table().is_some(), egui::Button::new(tr(lang, "保存图表", "Save chart")))
            .on_hover_text(tr(
                lang,
                "将所显示的图表存为 SVG 与 PNG,放在导出文件夹(散点图标出刷选与所选县)",
                "Saves the chart shown as SVG and PNG in the export folder (a scatter names the brushed and selected counties)",
            ))
            .clicked()
        {
            save_chart(app);
        }
    });
    // The grouping table and the accessibility controls share the second row, wrapping in
    // a narrow window rather than widening the panel past it.
    ui.horizontal_wrapped(|ui| {
        grouping_file_row(app, ui, lang);
        ui.separator();
        super::compare_access::show(app, ui, lang);
    });
    let Some(cache) = &app.compare.cache else {
        ui.label(tr(
            lang,
            "当前图层无法比较",
            "The current layer cannot be compared",
        ));
        return;
    };
    let table = match &cache.table {
        Ok(table) => table,
        Err(message) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            return;
        }
    };
    let selected = app.selected_unit();
    // The map's class breaks, drawn on the histogram: the map shows the compared layer.
    let breaks: Vec<f64> = app
        .choropleth()
        .and_then(|c| c.classification.as_ref())
        .map(|c| c.breaks.clone())
        .unwrap_or_default();
    let mut action: Option<ChartAction> = None;
    let mut second = app.compare.second_layer.clone();
    let mut clear_brush = false;
    ui.columns(2, |columns| {
        group_table(&mut columns[0], table, lang);
        clear_brush = brush_summary(&mut columns[0], cache, &app.brushed, table, lang);
        let input = ChartInput {
            chart: app.compare.chart,
            cache,
            table,
            selected,
            brushed: &app.brushed,
            breaks: &breaks,
            workspace: &app.workspace,
            lang,
        };
        action = super::compare_charts::chart(&mut columns[1], &input, &mut second);
    });
    app.compare.second_layer = second;
    if clear_brush {
        app.commands.push(Command::Brush {
            units: Vec::new(),
            add: false,
        });
    }
    match action {
        Some(ChartAction::Select(unit)) => app.commands.push(Command::Select(Some(unit))),
        Some(ChartAction::Toggle(unit)) => app.commands.push(Command::ToggleBrush(unit)),
        Some(ChartAction::Brush { units, add }) => app.commands.push(Command::Brush { units, add }),
        None => {}
    }
}

/// The brushed counties' count and mean against the province's, with a button to clear
/// them; returns whether it was pressed.
fn brush_summary(
    ui: &mut egui::Ui,
    cache: &Cached,
    brushed: &[UnitId],
    table: &GroupComparison,
    lang: Lang,
) -> bool {
    if brushed.is_empty() {
        ui.weak(tr(
            lang,
            "刷选:在地图上按住 Shift 点击县区,或在图表中点击柱子、拖框选点",
            "Brush: shift-click counties on the map, or click bars and drag across points in a chart",
        ));
        return false;
    }
    let with_value: Vec<f64> = brushed
        .iter()
        .filter_map(|u| cache.units.binary_search(u).ok())
        .map(|i| cache.values[i])
        .collect();
    let mean =
        (!with_value.is_empty()).then(|| with_value.iter().sum::<f64>() / with_value.len() as f64);
    let mut cleared = false;
    ui.horizontal(|ui| {
        ui.colored_label(
            super::compare_charts::BRUSHED,
            format!(
                "{} {} {}{}",
                tr(lang, "刷选", "Brushed"),
                brushed.len(),
                tr(lang, "个县区", "counties"),
                match (mean, table.province.mean) {
                    (Some(m), Some(p)) => format!(
                        "{}{} {}({} {})",
                        tr(lang, ",", ", "),
                        tr(lang, "均值", "mean"),
                        number(m, 2),
                        tr(lang, "全省", "province"),
                        number(p, 2)
                    ),
                    _ => String::new(),
                }
            ),
        );
        cleared = ui
            .small_button(tr(lang, "清除刷选", "Clear brush"))
            .clicked();
    });
    cleared
}

fn group_table(ui: &mut egui::Ui, table: &GroupComparison, lang: Lang) {
    // Year 0 is a layer without a year (a distance, a user's undated table).
    let year = match table.year {
        0 => String::new(),
        year => format!(" · {year}"),
    };
    ui.label(format!(
        "{} ({}){year} · {}",
        table.name.get(lang),
        table.unit.get(lang),
        table.grouping.get(lang)
    ));
    egui::ScrollArea::both()
        .id_salt("compare-table")
        .max_height(240.0)
        .show(ui, |ui| {
            egui::Grid::new("compare-grid")
                .striped(true)
                .show(ui, |ui| {
                    for head in [
                        tr(lang, "分组", "Group"),
                        tr(lang, "有数值", "With value"),
                        tr(lang, "均值", "Mean"),
                        tr(lang, "人口加权", "Pop.-weighted"),
                        tr(lang, "中位数", "Median"),
                        tr(lang, "最大", "Max"),
                        tr(lang, "排名", "Rank"),
                    ] {
                        ui.strong(head);
                    }
                    ui.end_row();
                    let value = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| number(v, 2));
                    for row in table.rows.iter().chain(std::iter::once(&table.province)) {
                        ui.label(row.group.get(lang));
                        ui.label(format!("{}/{}", row.with_value, row.units));
                        ui.label(value(row.mean));
                        ui.label(value(row.population_weighted_mean));
                        ui.label(value(row.median));
                        ui.label(row.max.as_ref().map_or_else(
                            || "—".to_owned(),
                            |e| format!("{} {}", number(e.value, 2), e.name.get(lang)),
                        ));
                        ui.label(row.rank.map_or_else(String::new, |r| r.to_string()));
                        ui.end_row();
                    }
                });
            if let Some(target) = &table.target {
                ui.label(format!(
                    "{} {}:{} {}({} {})",
                    tr(lang, "目标", "Target"),
                    number(target.target, 2),
                    tr(lang, "单元平均", "mean of units"),
                    number(target.mean, 2),
                    tr(lang, "差距", "gap"),
                    number(target.gap, 2),
                ));
                ui.label(match target.gdp_weighted_mean {
                    Some(m) => format!(
                        "{} {}({})",
                        tr(lang, "GDP加权平均", "GDP-weighted mean"),
                        number(m, 2),
                        target.gdp_note.get(lang)
                    ),
                    None => target.gdp_note.get(lang).to_owned(),
                });
            }
        });
}

fn table_text(table: &GroupComparison, lang: Lang) -> String {
    let mut text = format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        tr(lang, "分组", "group"),
        tr(lang, "单元", "units"),
        tr(lang, "有数值", "with value"),
        tr(lang, "均值", "mean"),
        tr(lang, "人口加权均值", "population-weighted mean"),
        tr(lang, "中位数", "median"),
        tr(lang, "排名", "rank"),
    );
    let value = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    for row in table.rows.iter().chain(std::iter::once(&table.province)) {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            row.group.get(lang),
            row.units,
            row.with_value,
            value(row.mean),
            value(row.population_weighted_mean),
            value(row.median),
            row.rank.map_or_else(String::new, |r| r.to_string()),
        ));
    }
    text
}

/// A grouping table of the user's own (county → group): its path and 读取分组表.
fn grouping_file_row(app: &mut AtlasApp, ui: &mut egui::Ui, lang: Lang) {
    ui.scope(|ui| {
        let label = ui.label(tr(lang, "分组表文件", "Grouping table"));
        ui.add(
            egui::TextEdit::singleline(&mut app.compare.grouping_file)
                .hint_text(tr(
                    lang,
                    "CSV/Excel:县区、市州或经济区,分组",
                    "CSV/Excel: county, prefecture or region, group",
                ))
                .desired_width(260.0),
        )
        .labelled_by(label.id);
        let path = app.compare.grouping_file.trim().to_owned();
        if ui
            .add_enabled(
                !path.is_empty(),
                egui::Button::new(tr(lang, "读取分组表", "Read grouping")),
            )
            .clicked()
        {
            match crate::io::grouping_table::read_grouping(
                std::path::Path::new(&path),
                &app.workspace.atlas,
            ) {
                Ok(grouping) => {
                    let reading = app.compare.custom.as_ref().map_or(0, |(n, _)| n + 1);
                    app.compare.custom = Some((reading, grouping));
                    app.compare.use_custom = true;
                    app.compare.grouping_error = None;
                }
                // What was compared before stays.
                Err(e) => {
                    app.compare.grouping_error =
                        Some(crate::format::terminal_safe(&e.to_string()).into_owned());
                }
            }
        }
        if let Some(error) = &app.compare.grouping_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
    });
}

/// The chart shown, as SVG, with the brushed and selected counties named on a scatter; its
/// file name's last part.
fn chart_svg_shown(app: &AtlasApp) -> Option<(String, &'static str)> {
    use crate::analysis::chart_data::Histogram;
    use crate::export::chart::{ChartKind, chart_sources, chart_svg};
    use crate::export::chart_xy::{histogram_chart, marked_points, moran_chart, two_layer_chart};
    let lang = app.view.lang;
    let cache = app.compare.cache.as_ref()?;
    let table = app.compare.table()?;
    let atlas = &app.workspace.atlas;
    let layer = app.workspace.layer(&cache.key.layer)?;
    let sources = chart_sources(atlas, layer, table.year);
    let mut marked_units: Vec<UnitId> = app.brushed.clone();
    marked_units.extend(app.selected_unit());
    Some(match app.compare.chart {
        Chart::Bars => (chart_svg(table, ChartKind::Means, &sources, lang), "means"),
        Chart::Boxes => (chart_svg(table, ChartKind::Boxes, &sources, lang), "boxes"),
        Chart::Histogram => {
            let choropleth = app.choropleth()?;
            let classification = choropleth.classification.as_ref()?;
            let histogram =
                Histogram::of(&cache.values, crate::analysis::chart_data::HISTOGRAM_BINS)?;
            let svg = histogram_chart(
                table,
                &histogram,
                classification,
                &choropleth.class_colours(),
                &sources,
                lang,
            );
            (svg, "histogram")
        }
        Chart::MoranScatter => {
            let scatter = cache.scatter.as_ref()?;
            let marked = marked_points(atlas, scatter, &marked_units, lang);
            (
                moran_chart(table, scatter, &marked, &sources, lang),
                "moran",
            )
        }
        Chart::TwoLayers => {
            let x_layer = app.workspace.layer(app.compare.second_layer.as_deref()?)?;
            let scatter = cache.two_layer_scatter(atlas, x_layer)?;
            let marked = marked_points(atlas, &scatter, &marked_units, lang);
            let sources =
                crate::export::chart::two_layer_sources(atlas, layer, table.year, x_layer);
            let name = x_layer.name.get(lang);
            (
                two_layer_chart(table, &scatter, name, &marked, &sources, lang),
                "scatter",
            )
        }
    })
}

/// The file names' stem of what the panel saves: the layer and the grouping.
fn saved_stem(cache: &Cached) -> String {
    format!(
        "{}-{:?}",
        crate::export::file_name(&cache.key.layer, None, crate::export::Format::Svg)
            .trim_end_matches(".svg"),
        cache.key.grouping,
    )
    .to_lowercase()
}

/// Writes the table as CSV into the Export dialog's folder, and says where.
fn save_table(app: &mut AtlasApp) {
    let lang = app.view.lang;
    let (Some(cache), Some(table)) = (&app.compare.cache, app.compare.table()) else {
        return;
    };
    let path = std::path::PathBuf::from(&app.view.export.folder)
        .join(format!("{}-table.csv", saved_stem(cache)));
    let bytes = crate::export::table_csv::comparison_csv(table, true);
    app.notice = Some(match crate::export::write(&path, &bytes) {
        Ok(()) => format!(
            "{}{}",
            tr(lang, "表格已保存:", "Table saved: "),
            path.display()
        ),
        Err(e) => e.to_string(),
    });
}

/// Writes the chart shown as SVG and PNG into the Export dialog's folder, and says where.
fn save_chart(app: &mut AtlasApp) {
    let lang = app.view.lang;
    let Some((svg, kind)) = chart_svg_shown(app) else {
        app.notice = Some(tr(lang, "此图表无法保存", "This chart cannot be saved").to_owned());
        return;
    };
    let Some(cache) = &app.compare.cache else {
        return;
    };
    let stem = format!("{}-{kind}", saved_stem(cache));
    let folder = std::path::PathBuf::from(&app.view.export.folder);
    let (svg_path, png_path) = (
        folder.join(format!("{stem}.svg")),
        folder.join(format!("{stem}.png")),
    );
    let written = crate::export::chart::chart_png(&svg, 2.0)
        .map_err(|e| e.to_string())
        .and_then(|png| {
            crate::export::write(&svg_path, svg.as_bytes()).map_err(|e| e.to_string())?;
            crate::export::write(&png_path, &png).map_err(|e| e.to_string())
        });
    app.notice = Some(match written {
        Ok(()) => format!(
            "{}{} · {}",
            tr(lang, "图表已保存:", "Chart saved: "),
            svg_path.display(),
            png_path.display()
        ),
        Err(e) => e,
    });
}

/// Computes LISA (or G*) of the compared values and maps it as a layer.
fn add_result_layer(app: &mut AtlasApp, hot_spots: bool) {
    let Some(cache) = &app.compare.cache else {
        return;
    };
    let workspace = &app.workspace;
    let Some(source) = workspace.layer(&cache.key.layer) else {
        return;
    };
    let weights = SpatialWeights::build(workspace.index(), &cache.units, WeightsKind::Queen);
    let method = Method {
        source,
        year: cache.year,
        weights: WeightsKind::Queen,
        permutations: PERMUTATIONS,
        seed: SEED,
        cut: ALPHA,
        fdr: false,
    };
    let layer = if hot_spots {
        match getis_ord(&cache.values, &weights, true, PERMUTATIONS, SEED) {
            Ok(result) => gstar_layer(&workspace.atlas, &cache.units, &result, &method),
            Err(e) => {
                app.notice = Some(e.to_string());
                return;
            }
        }
    } else {
        match local_moran(&cache.values, &weights, PERMUTATIONS, SEED) {
            Ok(result) => lisa_layer(&workspace.atlas, &cache.units, &result, &method),
            Err(e) => {
                app.notice = Some(e.to_string());
                return;
            }
        }
    };
    let id = layer.id.clone();
    app.add_user_layers(vec![layer]);
    app.map_layer(&id);
}
