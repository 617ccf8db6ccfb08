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
use crate::analysis::autocorrelation::{getis_ord, local_moran, moran};
use crate::analysis::group_compare::{BoxSummary, GroupComparison, compare_groups};
use crate::analysis::grouping::{BuiltinGrouping, Grouping};
use crate::analysis::mapped::{MappedValues, Normalization};
use crate::analysis::result_layers::{Method, gstar_layer, lisa_layer};
use crate::atlas::UnitId;
use crate::format::number;
use crate::i18n::{Lang, tr};
use crate::spatial::{SpatialWeights, WeightsKind};
use egui_plot::{
    Bar, BarChart, BoxElem, BoxPlot, BoxSpread, Line, Plot, PlotPoints, Points, VLine,
};

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
    /// The layer on the x axis of the two-layer scatter.
    pub second_layer: Option<String>,
    cache: Option<Cached>,
}

/// What the figures were computed for.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    layer: String,
    year: Option<i32>,
    normalization: Normalization,
    grouping: BuiltinGrouping,
    /// The reading of the user's grouping table compared, when one is.
    custom: Option<u32>,
}

/// The figures, computed once per [`Key`].
struct Cached {
    key: Key,
    grouping: Grouping,
    table: Result<GroupComparison, String>,
    /// Counties with a value, ascending, and their values.
    units: Vec<UnitId>,
    values: Vec<f64>,
    /// The Moran scatter plot, for a numeric county layer.
    scatter: Option<Scatter>,
    year: i32,
}

/// Standardised values, their spatial lags (queen), and Moran's I with its p.
struct Scatter {
    z: Vec<f64>,
    lag: Vec<f64>,
    i: f64,
    p_sim: Option<f64>,
}

impl ComparePanel {
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
            let weights = SpatialWeights::build(workspace.index(), &units, WeightsKind::Queen);
            let result = moran(&values, &weights, PERMUTATIONS, SEED).ok()?;
            let z = crate::analysis::autocorrelation::standardised(&values)?;
            let lag = weights.lag(&z);
            Some(Scatter {
                z,
                lag,
                i: result.I,
                p_sim: result.p_sim,
            })
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
    });
}

fn panel(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.view.lang;
    ui.horizontal(|ui| {
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
            .add_enabled(app.compare.table().is_some(), egui::Button::new(tr(lang, "保存图表", "Save chart")))
            .on_hover_text(tr(
                lang,
                "将各组均值图(箱线图时为箱线图)存为 SVG 与 PNG,放在导出文件夹",
                "Saves the group means chart (the box plots when shown) as SVG and PNG in the export folder",
            ))
            .clicked()
        {
            save_chart(app);
        }
        ui.separator();
        access_controls(app, ui, lang);
    });
    grouping_file_row(app, ui, lang);
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
    let mut clicked: Option<UnitId> = None;
    let mut second = app.compare.second_layer.clone();
    let two_layers = app.compare.chart == Chart::TwoLayers;
    ui.columns(2, |columns| {
        group_table(&mut columns[0], table, lang);
        if two_layers {
            clicked = scatter_of_two(
                &mut columns[1],
                cache,
                &mut second,
                selected,
                &app.workspace,
                lang,
            );
            return;
        }
        clicked = chart(
            &mut columns[1],
            app.compare.chart,
            cache,
            table,
            selected,
            &breaks,
            &app.workspace,
            lang,
        );
    });
    app.compare.second_layer = second;
    if let Some(unit) = clicked {
        app.view.selected = Some(app.workspace.atlas.unit(unit).adcode.to_string());
    }
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

/// The mapped layer (y) against another numeric county layer (x), the selected county in
/// red, with Pearson's r; returns the county clicked.
fn scatter_of_two(
    ui: &mut egui::Ui,
    cache: &Cached,
    second: &mut Option<String>,
    selected: Option<UnitId>,
    workspace: &crate::scene::Workspace,
    lang: Lang,
) -> Option<UnitId> {
    let atlas = &workspace.atlas;
    let candidates: Vec<&crate::atlas::Layer> = workspace
        .layers()
        .filter(|l| {
            l.id != cache.key.layer
                && l.level == crate::atlas::Level::County
                && matches!(l.kind, crate::atlas::LayerKind::Numeric)
        })
        .collect();
    let chosen = second
        .clone()
        .filter(|id| candidates.iter().any(|l| &l.id == id))
        .or_else(|| candidates.first().map(|l| l.id.clone()))?;
    let mut picked = chosen.clone();
    let name_of = |id: &str| {
        candidates
            .iter()
            .find(|l| l.id == id)
            .map_or(String::new(), |l| l.name.get(lang).to_owned())
    };
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "横轴图层", "x-axis layer"));
        egui::ComboBox::from_id_salt("compare-second-layer")
            .selected_text(name_of(&chosen))
            .truncate()
            .width(220.0)
            .show_ui(ui, |ui| {
                for layer in &candidates {
                    ui.selectable_value(&mut picked, layer.id.clone(), layer.name.get(lang));
                }
            })
            .response
            .labelled_by(label.id);
    });
    *second = Some(picked.clone());
    let layer = candidates.iter().find(|l| l.id == picked)?;
    let x_values = MappedValues::new(atlas, layer, None, Normalization::None).ok()?;
    let (units, pairs): (Vec<UnitId>, Vec<[f64; 2]>) = cache
        .units
        .iter()
        .zip(&cache.values)
        .filter_map(|(&u, &y)| Some((u, [x_values.per_unit[u.index()]?, y])))
        .unzip();
    let r = pearson(&pairs);
    ui.label(format!(
        "{} · n = {}{}",
        tr(lang, "纵轴为当前地图图层", "y: the mapped layer"),
        pairs.len(),
        r.map_or_else(String::new, |r| format!(" · r = {r:.3}"))
    ));
    let marked: Vec<[f64; 2]> = selected
        .and_then(|u| units.iter().position(|&v| v == u))
        .map(|k| vec![pairs[k]])
        .unwrap_or_default();
    let response = fixed_plot("compare-two-layers", 230.0).show(ui, |plot_ui| {
        plot_ui.points(
            Points::new("counties", pairs.clone())
                .radius(2.5)
                .color(egui::Color32::from_rgb(90, 120, 170)),
        );
        plot_ui.points(
            Points::new("selected", marked)
                .radius(5.0)
                .color(egui::Color32::from_rgb(220, 30, 30)),
        );
    });
    clicked_point(&response, &pairs, &units)
}

/// A plot of `height` that neither zooms nor pans: a chart's clicks select counties.
fn fixed_plot(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id.to_owned())
        .height(height)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
}

/// Pearson's correlation of (x, y) pairs; `None` for fewer than three or no variation.
fn pearson(pairs: &[[f64; 2]]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p[0]).sum::<f64>() / n,
        pairs.iter().map(|p| p[1]).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for p in pairs {
        let (dx, dy) = (p[0] - mx, p[1] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Draws the chart; returns the county clicked in it.
#[allow(clippy::too_many_arguments)]
fn chart(
    ui: &mut egui::Ui,
    chart: Chart,
    cache: &Cached,
    table: &GroupComparison,
    selected: Option<UnitId>,
    breaks: &[f64],
    workspace: &crate::scene::Workspace,
    lang: Lang,
) -> Option<UnitId> {
    let atlas = &workspace.atlas;
    let highlight = egui::Color32::from_rgb(220, 30, 30);
    let plain = egui::Color32::from_rgb(90, 120, 170);
    let plot = |id: &str| fixed_plot(id, 250.0);
    match chart {
        Chart::Bars => {
            let group_of_selected = selected.and_then(|u| cache.grouping.of_unit[u.index()]);
            // With a county selected: the counties of its group, the selected one marked.
            if let Some(g) =
                group_of_selected.filter(|_| table.level == crate::atlas::Level::County)
            {
                let members: Vec<(usize, UnitId, f64)> = cache
                    .units
                    .iter()
                    .zip(&cache.values)
                    .filter(|(u, _)| cache.grouping.of_unit[u.index()] == Some(g))
                    .enumerate()
                    .map(|(i, (&u, &v))| (i, u, v))
                    .collect();
                ui.label(format!(
                    "{}:{}",
                    cache.grouping.groups[g].get(lang),
                    tr(
                        lang,
                        "各县数值(红色为所选县)",
                        "its counties (red: the selected one)"
                    )
                ));
                let bars: Vec<Bar> = members
                    .iter()
                    .map(|&(i, u, v)| {
                        Bar::new(i as f64, v)
                            .name(atlas.unit(u).name_in(lang))
                            .fill(if Some(u) == selected {
                                highlight
                            } else {
                                plain
                            })
                    })
                    .collect();
                let names: Vec<String> = members
                    .iter()
                    .map(|&(_, u, _)| atlas.unit(u).name_in(lang).to_owned())
                    .collect();
                let response = plot("compare-county-bars")
                    .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
                    .show(ui, |plot_ui| {
                        plot_ui.bar_chart(BarChart::new("counties", bars).width(0.8))
                    });
                return clicked_bar(&response, members.iter().map(|&(i, u, _)| (i as f64, u)));
            }
            ui.label(tr(
                lang,
                "各组均值(选中一个县可看其组内各县)",
                "Group means (select a county to see its group's counties)",
            ));
            let bars: Vec<Bar> = table
                .rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    Some(
                        Bar::new(i as f64, r.mean?)
                            .name(r.group.get(lang))
                            .fill(plain),
                    )
                })
                .collect();
            let names: Vec<String> = table
                .rows
                .iter()
                .map(|r| r.group.get(lang).to_owned())
                .collect();
            plot("compare-group-bars")
                .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
                .show(ui, |plot_ui| {
                    plot_ui.bar_chart(BarChart::new("groups", bars).width(0.7));
                });
            None
        }
        Chart::Boxes => {
            ui.label(tr(
                lang,
                "各组分布(须线为1.5倍四分位距)",
                "Distribution per group (whiskers at 1.5 IQR)",
            ));
            let boxes: Vec<BoxElem> = (0..cache.grouping.groups.len())
                .filter_map(|g| {
                    let b = BoxSummary::of(table.values.get(g)?)?;
                    let (low, q1, q2, q3, high) = (b.low, b.q1, b.median, b.q3, b.high);
                    Some(
                        BoxElem::new(g as f64, BoxSpread::new(low, q1, q2, q3, high))
                            .name(cache.grouping.groups[g].get(lang))
                            .fill(plain.gamma_multiply(0.4)),
                    )
                })
                .collect();
            let marked: Vec<[f64; 2]> = selected
                .and_then(|u| {
                    let i = cache.units.binary_search(&u).ok()?;
                    Some(vec![[
                        cache.grouping.of_unit[u.index()]? as f64,
                        cache.values[i],
                    ]])
                })
                .unwrap_or_default();
            let names: Vec<String> = cache
                .grouping
                .groups
                .iter()
                .map(|g| g.get(lang).to_owned())
                .collect();
            plot("compare-boxes")
                .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
                .show(ui, |plot_ui| {
                    plot_ui.box_plot(BoxPlot::new("groups", boxes));
                    plot_ui.points(Points::new("selected", marked).radius(5.0).color(highlight));
                });
            None
        }
        Chart::Histogram => {
            ui.label(tr(
                lang,
                "分布与地图分级断点(竖线)",
                "Distribution with the map's class breaks (lines)",
            ));
            let (Some(&lo), Some(&hi)) = (
                cache.values.iter().min_by(|a, b| a.total_cmp(b)),
                cache.values.iter().max_by(|a, b| a.total_cmp(b)),
            ) else {
                return None;
            };
            let bins = 20;
            let width = ((hi - lo) / bins as f64).max(f64::MIN_POSITIVE);
            let mut counts = vec![0usize; bins];
            for &v in &cache.values {
                counts[(((v - lo) / width) as usize).min(bins - 1)] += 1;
            }
            let selected_bin = selected
                .and_then(|u| cache.units.binary_search(&u).ok())
                .map(|i| (((cache.values[i] - lo) / width) as usize).min(bins - 1));
            let bars: Vec<Bar> = counts
                .iter()
                .enumerate()
                .map(|(b, &n)| {
                    Bar::new(lo + (b as f64 + 0.5) * width, n as f64)
                        .width(width * 0.95)
                        .fill(if Some(b) == selected_bin {
                            highlight
                        } else {
                            plain
                        })
                })
                .collect();
            plot("compare-histogram").show(ui, |plot_ui| {
                plot_ui.bar_chart(BarChart::new("counties", bars));
                for &b in breaks {
                    plot_ui
                        .vline(VLine::new("break", b).color(egui::Color32::from_rgb(40, 40, 40)));
                }
            });
            None
        }
        // Drawn by `scatter_of_two`, which chooses its second layer.
        Chart::TwoLayers => None,
        Chart::MoranScatter => {
            let Some(Scatter {
                z,
                lag,
                i,
                p_sim: p,
            }) = &cache.scatter
            else {
                ui.label(tr(
                    lang,
                    "莫兰散点图需要县级数值图层",
                    "The Moran scatter plot needs a numeric county layer",
                ));
                return None;
            };
            ui.label(format!(
                "Moran's I = {:.3}{}({})",
                i,
                p.map_or_else(String::new, |p| format!(", p_sim = {p:.3}")),
                tr(
                    lang,
                    "邻接权重,横轴为标准化值,纵轴为邻县均值",
                    "queen weights; x: standardised value, y: neighbours' mean"
                )
            ));
            let all: Vec<[f64; 2]> = z.iter().zip(lag).map(|(&x, &y)| [x, y]).collect();
            let marked: Vec<[f64; 2]> = selected
                .and_then(|u| cache.units.binary_search(&u).ok())
                .map(|k| vec![all[k]])
                .unwrap_or_default();
            let (x_lo, x_hi) = z
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            let response = plot("compare-moran").data_aspect(1.0).show(ui, |plot_ui| {
                plot_ui.points(
                    Points::new("counties", all.clone())
                        .radius(2.5)
                        .color(plain),
                );
                plot_ui.line(Line::new(
                    "I",
                    PlotPoints::from(vec![[x_lo, i * x_lo], [x_hi, i * x_hi]]),
                ));
                plot_ui.points(Points::new("selected", marked).radius(5.0).color(highlight));
            });
            clicked_point(&response, &all, &cache.units)
        }
    }
}

fn clicked_bar(
    response: &egui_plot::PlotResponse<()>,
    bars: impl Iterator<Item = (f64, UnitId)>,
) -> Option<UnitId> {
    if !response.response.clicked() {
        return None;
    }
    let at = response
        .transform
        .value_from_position(response.response.interact_pointer_pos()?);
    bars.min_by(|a, b| (a.0 - at.x).abs().total_cmp(&(b.0 - at.x).abs()))
        .filter(|(x, _)| (x - at.x).abs() <= 0.5)
        .map(|(_, u)| u)
}

fn clicked_point(
    response: &egui_plot::PlotResponse<()>,
    points: &[[f64; 2]],
    units: &[UnitId],
) -> Option<UnitId> {
    if !response.response.clicked() {
        return None;
    }
    let pos = response.response.interact_pointer_pos()?;
    // Nearest on screen, within 8 points of the click.
    points
        .iter()
        .zip(units)
        .map(|(p, &u)| {
            let screen = response
                .transform
                .position_from_point(&egui_plot::PlotPoint::new(p[0], p[1]));
            (screen.distance(pos), u)
        })
        .filter(|(d, _)| *d <= 8.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, u)| u)
}

/// The name of the bar at a whole-numbered axis mark; nothing between bars.
fn label_at(names: &[String], at: f64) -> String {
    if at.fract() != 0.0 || at < 0.0 {
        return String::new();
    }
    names.get(at as usize).cloned().unwrap_or_default()
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
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "分组表文件", "Grouping table"));
        ui.add(
            egui::TextEdit::singleline(&mut app.compare.grouping_file)
                .hint_text(tr(
                    lang,
                    "CSV/Excel:县区代码或名称,分组",
                    "CSV/Excel: county code or name, group",
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

/// Writes the chart as SVG and PNG into the Export dialog's folder, and says where.
fn save_chart(app: &mut AtlasApp) {
    use crate::export::chart::{ChartKind, chart_png, chart_sources, chart_svg};
    let lang = app.view.lang;
    let (Some(cache), Some(table)) = (&app.compare.cache, app.compare.table()) else {
        return;
    };
    let Some(layer) = app.workspace.layer(&cache.key.layer) else {
        return;
    };
    let kind = if app.compare.chart == Chart::Boxes {
        ChartKind::Boxes
    } else {
        ChartKind::Means
    };
    let sources = chart_sources(&app.workspace.atlas, layer, table.year);
    let svg = chart_svg(table, kind, &sources, lang);
    let stem = format!(
        "{}-{:?}-{}",
        crate::export::file_name(&layer.id, None, crate::export::Format::Svg)
            .trim_end_matches(".svg"),
        cache.key.grouping,
        if kind == ChartKind::Boxes {
            "boxes"
        } else {
            "means"
        }
    )
    .to_lowercase();
    let folder = std::path::PathBuf::from(&app.view.export.folder);
    let (svg_path, png_path) = (
        folder.join(format!("{stem}.svg")),
        folder.join(format!("{stem}.png")),
    );
    let written = chart_png(&svg, 2.0)
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

/// A point layer to choose and 距离图, which maps each county's distance to its nearest point.
fn access_controls(app: &mut AtlasApp, ui: &mut egui::Ui, lang: Lang) {
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
        .show_ui(ui, |ui| {
            for (id, name) in &layers {
                ui.selectable_value(&mut picked, id.clone(), name);
            }
        })
        .response
        .labelled_by(label.id);
    app.compare.access_points = Some(picked.clone());
    if ui
        .button(tr(lang, "距离图", "Distance map"))
        .on_hover_text(tr(
            lang,
            "各县面积中心到最近点的直线距离(公里)作为图层加入并显示",
            "Each county's straight-line distance (km) from its area's centroid to the nearest point, added as a layer and mapped",
        ))
        .clicked()
    {
        let workspace = &app.workspace;
        let Some(points) = workspace.atlas.point_layers().iter().find(|p| p.id == picked) else {
            return;
        };
        let Some((access, placed)) = crate::analysis::access::access_to_layer(
            &workspace.atlas,
            workspace.index(),
            points,
            50.0,
        ) else {
            app.notice = Some(
                tr(lang, "该点图层没有带坐标的点", "That point layer has no point with a position")
                    .to_owned(),
            );
            return;
        };
        let layer = crate::analysis::result_layers::distance_layer(points, &access, &placed);
        let id = layer.id.clone();
        app.add_user_layers(vec![layer]);
        app.map_layer(&id);
    }
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
