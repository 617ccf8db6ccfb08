//! The Compare panel's charts, drawn with egui_plot from the panel's cached figures: group
//! means (or the counties of the selected county's group), box plots, the histogram with the
//! map's class breaks, the Moran scatter plot and the scatter of two layers.
//!
//! Brushing runs both ways: the county selected on the map is marked blue in every chart and
//! the counties brushed are marked purple (and outlined purple on the map). In a chart, a click on a
//! county selects it and a shift-click brushes it; a click on a group's bar or box, or on a
//! histogram bin, brushes its counties; a drag across a scatter brushes the counties inside
//! the rectangle. With shift held, the brush adds to the counties brushed already.

use super::compare_panel::{Cached, Chart};
use crate::analysis::chart_data::{Histogram, Scatter};
use crate::analysis::group_compare::{BoxSummary, GroupComparison};
use crate::atlas::{Level, UnitId};
use crate::i18n::{Lang, tr};
use crate::scene::Workspace;
use egui::Color32;
use egui_plot::{
    Bar, BarChart, BoxElem, BoxPlot, BoxSpread, Line, Plot, PlotPoint, PlotPoints, PlotUi, Points,
    Polygon, VLine,
};

/// The selected county, as the map outlines it.
pub(super) const SELECTED: Color32 = Color32::from_rgb(0, 110, 220);
/// The brushed counties, as the map outlines them.
pub(super) const BRUSHED: Color32 = Color32::from_rgb(190, 0, 190);
const PLAIN: Color32 = Color32::from_rgb(90, 120, 170);
use crate::analysis::chart_data::HISTOGRAM_BINS as BINS;

/// What a chart asks of the map.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ChartAction {
    /// Select this county.
    Select(UnitId),
    /// Brush it, or take it from the brush.
    Toggle(UnitId),
    /// Brush these counties (besides those brushed, with `add`).
    Brush { units: Vec<UnitId>, add: bool },
}

/// What a chart is drawn from.
pub(super) struct ChartInput<'a> {
    pub chart: Chart,
    pub cache: &'a Cached,
    pub table: &'a GroupComparison,
    pub selected: Option<UnitId>,
    pub brushed: &'a [UnitId],
    /// The map's class breaks (upper bounds), drawn on the histogram.
    pub breaks: &'a [f64],
    pub workspace: &'a Workspace,
    pub lang: Lang,
}

impl ChartInput<'_> {
    fn is_brushed(&self, unit: UnitId) -> bool {
        self.brushed.binary_search(&unit).is_ok()
    }

    /// The counties of group `g` that have a value.
    fn group_units(&self, g: usize) -> Vec<UnitId> {
        let of_unit = &self.cache.grouping.of_unit;
        self.cache
            .units
            .iter()
            .copied()
            .filter(|u| of_unit[u.index()] == Some(g))
            .collect()
    }

    fn colour_of(&self, unit: UnitId) -> Color32 {
        if Some(unit) == self.selected {
            SELECTED
        } else if self.is_brushed(unit) {
            BRUSHED
        } else {
            PLAIN
        }
    }
}

/// Draws the chart (`second` is the two-layer scatter's x layer, chosen in it); returns what
/// a click or drag in it asks.
pub(super) fn chart(
    ui: &mut egui::Ui,
    input: &ChartInput<'_>,
    second: &mut Option<String>,
) -> Option<ChartAction> {
    let shift = ui.input(|i| i.modifiers.shift);
    match input.chart {
        Chart::Bars => bars(ui, input, shift),
        Chart::Boxes => boxes(ui, input, shift),
        Chart::Histogram => histogram(ui, input, shift),
        Chart::MoranScatter => {
            let Some(scatter) = &input.cache.scatter else {
                ui.label(tr(
                    input.lang,
                    "莫兰散点图需要县级数值图层",
                    "The Moran scatter plot needs a numeric county layer",
                ));
                return None;
            };
            ui.label(format!(
                "{} · {}",
                crate::export::chart_xy::statistic_text(scatter, input.lang),
                tr(
                    input.lang,
                    "横轴为标准化值,纵轴为邻县均值",
                    "x: standardised value, y: neighbours' mean"
                )
            ));
            scatter_plot(ui, input, scatter, "compare-moran", true, shift)
        }
        Chart::TwoLayers => {
            let scatter = second_layer_scatter(ui, input, second)?;
            ui.label(format!(
                "{} · {}",
                tr(input.lang, "纵轴为当前地图图层", "y: the mapped layer"),
                crate::export::chart_xy::statistic_text(&scatter, input.lang),
            ));
            scatter_plot(ui, input, &scatter, "compare-two-layers", false, shift)
        }
    }
}

/// A plot of `height` that neither zooms nor pans: a chart's clicks and drags select and
/// brush counties.
fn fixed_plot(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id.to_owned())
        .height(height)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
}

const HEIGHT: f32 = 250.0;

fn bars(ui: &mut egui::Ui, input: &ChartInput<'_>, shift: bool) -> Option<ChartAction> {
    let (cache, table, lang) = (input.cache, input.table, input.lang);
    let atlas = &input.workspace.atlas;
    let group_of_selected = input
        .selected
        .and_then(|u| cache.grouping.of_unit[u.index()]);
    // With a county selected: the counties of its group, the selected one marked.
    if let Some(g) = group_of_selected.filter(|_| table.level == Level::County) {
        let members: Vec<(UnitId, f64)> = cache
            .units
            .iter()
            .zip(&cache.values)
            .filter(|(u, _)| cache.grouping.of_unit[u.index()] == Some(g))
            .map(|(&u, &v)| (u, v))
            .collect();
        ui.label(format!(
            "{}:{}",
            cache.grouping.groups[g].get(lang),
            tr(
                lang,
                "各县数值(蓝色为所选县,紫色为刷选;按住 Shift 点击可刷选)",
                "its counties (blue: selected, purple: brushed; shift-click to brush)"
            )
        ));
        let bars: Vec<Bar> = members
            .iter()
            .enumerate()
            .map(|(i, &(u, v))| {
                Bar::new(i as f64, v)
                    .name(atlas.unit(u).name_in(lang))
                    .fill(input.colour_of(u))
            })
            .collect();
        let names: Vec<String> = members
            .iter()
            .map(|&(u, _)| atlas.unit(u).name_in(lang).to_owned())
            .collect();
        let response = fixed_plot("compare-county-bars", HEIGHT)
            .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
            .show(ui, |plot_ui| {
                plot_ui.bar_chart(BarChart::new("counties", bars).width(0.8))
            });
        let unit = clicked_slot(&response, members.len()).map(|i| members[i].0)?;
        return Some(if shift {
            ChartAction::Toggle(unit)
        } else {
            ChartAction::Select(unit)
        });
    }
    ui.label(tr(
        lang,
        "各组均值(点击柱子刷选该组各县;选中一个县可看其组内各县)",
        "Group means (click a bar to brush its counties; select a county to see its group's)",
    ));
    let bars: Vec<Bar> = table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(g, r)| {
            let units = input.group_units(g);
            let all_brushed = !units.is_empty() && units.iter().all(|&u| input.is_brushed(u));
            Some(
                Bar::new(g as f64, r.mean?)
                    .name(r.group.get(lang))
                    .fill(if all_brushed { BRUSHED } else { PLAIN }),
            )
        })
        .collect();
    let names: Vec<String> = table
        .rows
        .iter()
        .map(|r| r.group.get(lang).to_owned())
        .collect();
    let response = fixed_plot("compare-group-bars", HEIGHT)
        .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(BarChart::new("groups", bars).width(0.7));
        });
    let g = clicked_slot(&response, table.rows.len())?;
    Some(ChartAction::Brush {
        units: input.group_units(g),
        add: shift,
    })
}

fn boxes(ui: &mut egui::Ui, input: &ChartInput<'_>, shift: bool) -> Option<ChartAction> {
    let (cache, table, lang) = (input.cache, input.table, input.lang);
    ui.label(tr(
        lang,
        "各组分布(须线为1.5倍四分位距;点击箱体刷选该组)",
        "Distribution per group (whiskers at 1.5 IQR; click a box to brush its group)",
    ));
    let boxes: Vec<BoxElem> = (0..cache.grouping.groups.len())
        .filter_map(|g| {
            let b = BoxSummary::of(table.values.get(g)?)?;
            Some(
                BoxElem::new(
                    g as f64,
                    BoxSpread::new(b.low, b.q1, b.median, b.q3, b.high),
                )
                .name(cache.grouping.groups[g].get(lang))
                .fill(PLAIN.gamma_multiply(0.4)),
            )
        })
        .collect();
    // The selected and brushed counties at their group's place (a county level layer only:
    // a prefecture-level layer's values are the prefectures').
    let county_level = table.level == Level::County;
    let at_group = |u: UnitId| -> Option<[f64; 2]> {
        let i = cache.units.binary_search(&u).ok()?;
        Some([cache.grouping.of_unit[u.index()]? as f64, cache.values[i]])
    };
    let selected: Vec<[f64; 2]> = input
        .selected
        .filter(|_| county_level)
        .and_then(at_group)
        .into_iter()
        .collect();
    let brushed: Vec<[f64; 2]> = input
        .brushed
        .iter()
        .filter(|_| county_level)
        .filter_map(|&u| at_group(u))
        .collect();
    let names: Vec<String> = cache
        .grouping
        .groups
        .iter()
        .map(|g| g.get(lang).to_owned())
        .collect();
    let response = fixed_plot("compare-boxes", HEIGHT)
        .x_axis_formatter(move |mark, _| label_at(&names, mark.value))
        .show(ui, |plot_ui| {
            plot_ui.box_plot(BoxPlot::new("groups", boxes));
            plot_ui.points(Points::new("brushed", brushed).radius(3.5).color(BRUSHED));
            plot_ui.points(
                Points::new("selected", selected)
                    .radius(5.0)
                    .color(SELECTED),
            );
        });
    let g = clicked_slot(&response, cache.grouping.groups.len())?;
    Some(ChartAction::Brush {
        units: input.group_units(g),
        add: shift,
    })
}

fn histogram(ui: &mut egui::Ui, input: &ChartInput<'_>, shift: bool) -> Option<ChartAction> {
    let (cache, lang) = (input.cache, input.lang);
    ui.label(tr(
        lang,
        "分布与地图分级断点(竖线);紫色为刷选县,蓝线为所选县;点击柱子刷选",
        "Distribution with the map's class breaks (lines); purple: brushed, blue line: selected; click a bin to brush",
    ));
    let histogram = Histogram::of(&cache.values, BINS)?;
    let bin_bar = |b: usize, n: usize, colour: Color32| {
        Bar::new(histogram.low + (b as f64 + 0.5) * histogram.width, n as f64)
            .width(histogram.width * 0.95)
            .fill(colour)
    };
    let all: Vec<Bar> = histogram
        .counts
        .iter()
        .enumerate()
        .map(|(b, &n)| bin_bar(b, n, PLAIN))
        .collect();
    let mut brushed_counts = [0usize; BINS];
    for (&u, &v) in cache.units.iter().zip(&cache.values) {
        if input.is_brushed(u) {
            brushed_counts[histogram.bin_of(v)] += 1;
        }
    }
    let brushed: Vec<Bar> = brushed_counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(b, &n)| bin_bar(b, n, BRUSHED))
        .collect();
    let selected_value = input
        .selected
        .and_then(|u| cache.units.binary_search(&u).ok())
        .map(|i| cache.values[i]);
    let response = fixed_plot("compare-histogram", HEIGHT).show(ui, |plot_ui| {
        plot_ui.bar_chart(BarChart::new("counties", all));
        plot_ui.bar_chart(BarChart::new("brushed", brushed));
        for &b in input.breaks {
            plot_ui.vline(VLine::new("break", b).color(Color32::from_rgb(40, 40, 40)));
        }
        if let Some(v) = selected_value {
            plot_ui.vline(VLine::new("selected", v).color(SELECTED).width(2.0));
        }
    });
    if !response.response.clicked() {
        return None;
    }
    let at = response
        .transform
        .value_from_position(response.response.interact_pointer_pos()?);
    if at.x < histogram.low || at.x > histogram.high() {
        return None;
    }
    let bin = histogram.bin_of(at.x);
    let units: Vec<UnitId> = cache
        .units
        .iter()
        .zip(&cache.values)
        .filter(|(_, v)| histogram.bin_of(**v) == bin)
        .map(|(&u, _)| u)
        .collect();
    Some(ChartAction::Brush { units, add: shift })
}

/// The two-layer scatter: the x layer's chooser, then its points.
fn second_layer_scatter(
    ui: &mut egui::Ui,
    input: &ChartInput<'_>,
    second: &mut Option<String>,
) -> Option<Scatter> {
    let (workspace, lang) = (input.workspace, input.lang);
    let candidates: Vec<&crate::atlas::Layer> = workspace
        .layers()
        .filter(|l| {
            l.id != input.cache.key.layer
                && l.level == Level::County
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
    input.cache.two_layer_scatter(&workspace.atlas, layer)
}

/// A scatter's points, the fitted line, the brushed and selected counties marked; a click
/// selects (shift: brushes) the nearest county, a drag brushes those inside its rectangle.
fn scatter_plot(
    ui: &mut egui::Ui,
    input: &ChartInput<'_>,
    scatter: &Scatter,
    id: &str,
    square: bool,
    shift: bool,
) -> Option<ChartAction> {
    let marked = |want: &dyn Fn(UnitId) -> bool| -> Vec<[f64; 2]> {
        scatter
            .units
            .iter()
            .zip(&scatter.points)
            .filter(|(u, _)| want(**u))
            .map(|(_, p)| *p)
            .collect()
    };
    let brushed = marked(&|u| input.is_brushed(u));
    let selected = marked(&|u| Some(u) == input.selected);
    let (x_lo, x_hi) = scatter
        .points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p[0]), b.max(p[0])));
    let start_id = ui.make_persistent_id((id, "brush start"));
    let mut plot = fixed_plot(id, 230.0);
    if square {
        plot = plot.data_aspect(1.0);
    }
    let response = plot.show(ui, |plot_ui| {
        plot_ui.points(
            Points::new("counties", scatter.points.clone())
                .radius(2.5)
                .color(PLAIN),
        );
        if let Some((slope, intercept)) = scatter.line
            && x_lo < x_hi
        {
            plot_ui.line(Line::new(
                "fit",
                PlotPoints::from(vec![
                    [x_lo, slope * x_lo + intercept],
                    [x_hi, slope * x_hi + intercept],
                ]),
            ));
        }
        plot_ui.points(Points::new("brushed", brushed).radius(3.5).color(BRUSHED));
        plot_ui.points(
            Points::new("selected", selected)
                .radius(5.0)
                .color(SELECTED),
        );
        brush_rectangle(plot_ui, start_id)
    });
    if let Some([a, b]) = response.inner {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        let units = scatter
            .units
            .iter()
            .zip(&scatter.points)
            .filter(|(_, p)| (x0..=x1).contains(&p[0]) && (y0..=y1).contains(&p[1]))
            .map(|(&u, _)| u)
            .collect();
        return Some(ChartAction::Brush { units, add: shift });
    }
    let unit = clicked_point(&response, &scatter.points, &scatter.units)?;
    Some(if shift {
        ChartAction::Toggle(unit)
    } else {
        ChartAction::Select(unit)
    })
}

/// The rectangle a drag across the plot draws, kept in the plot's memory from the drag's
/// start; returns its corners when the drag ends.
fn brush_rectangle(plot_ui: &mut PlotUi<'_>, start_id: egui::Id) -> Option<[PlotPoint; 2]> {
    let response = plot_ui.response().clone();
    let ctx = response.ctx.clone();
    if response.drag_started()
        && let Some(p) = plot_ui.pointer_coordinate()
    {
        ctx.data_mut(|d| d.insert_temp(start_id, [p.x, p.y]));
    }
    let start: Option<[f64; 2]> = ctx.data(|d| d.get_temp(start_id));
    let (Some(start), Some(now)) = (start, plot_ui.pointer_coordinate()) else {
        return None;
    };
    if response.dragged() {
        plot_ui.polygon(
            Polygon::new(
                "brush",
                PlotPoints::from(vec![
                    [start[0], start[1]],
                    [now.x, start[1]],
                    [now.x, now.y],
                    [start[0], now.y],
                ]),
            )
            .fill_color(BRUSHED.gamma_multiply(0.15))
            .stroke(egui::Stroke::new(1.0, BRUSHED)),
        );
    }
    if response.drag_stopped() {
        ctx.data_mut(|d| d.remove::<[f64; 2]>(start_id));
        return Some([PlotPoint::new(start[0], start[1]), now]);
    }
    None
}

/// The slot (bar or box, at whole-numbered x) clicked, if the click is within half a slot of
/// one of `count`.
fn clicked_slot(response: &egui_plot::PlotResponse<()>, count: usize) -> Option<usize> {
    if !response.response.clicked() {
        return None;
    }
    let at = response
        .transform
        .value_from_position(response.response.interact_pointer_pos()?);
    let slot = at.x.round();
    ((at.x - slot).abs() <= 0.5 && slot >= 0.0 && (slot as usize) < count).then_some(slot as usize)
}

fn clicked_point<T>(
    response: &egui_plot::PlotResponse<T>,
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
                .position_from_point(&PlotPoint::new(p[0], p[1]));
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
