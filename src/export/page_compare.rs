//! A regional comparison beside the map on a briefing page: one row per group (and the
//! province) with its coverage, mean, median and, for amounts, its sum, and a bar of the mean
//! against the province's mean (dashed) and the policy's target (red) where there is one.
//! The numbers are [`compare_groups`](crate::analysis::group_compare::compare_groups)'s, the
//! same the window's Compare panel and `county-atlas compare` show.

use super::page::{Align, FRAME, INK, Item, MUTED_INK, Rect, WHITE, text};
use crate::analysis::group_compare::{GroupComparison, GroupRow};
use crate::atlas::Level;
use crate::format::number;
use crate::i18n::{Lang, tr};
use crate::scene::Rgba;

const BAR: Rgba = [120, 144, 176, 255];
const PROVINCE_BAR: Rgba = [70, 70, 70, 255];
const TARGET: Rgba = [200, 40, 40, 255];

/// Decimals of the table's numbers.
const DIGITS: usize = 2;

/// The comparison set in type of one size, measured before it is placed.
pub struct CompareBlock<'t> {
    table: &'t GroupComparison,
    lang: Lang,
    /// The body's type size, points.
    size: f32,
    /// The cells of each row (header first, the province last).
    cells: Vec<Vec<String>>,
    /// Each column's width, points.
    columns: Vec<f32>,
    /// The notes under the table (the target, prefecture values).
    notes: Vec<String>,
    /// The whole block's size, points.
    pub width: f32,
    /// See `width`.
    pub height: f32,
}

impl<'t> CompareBlock<'t> {
    /// Sets `table` at `size`, measuring texts with `width_of`.
    pub fn new(
        table: &'t GroupComparison,
        lang: Lang,
        size: f32,
        width_of: &dyn Fn(&str, f32) -> f32,
    ) -> Self {
        let with_sum = table.rows.iter().any(|r| r.sum.is_some());
        let mut header = vec![
            tr(lang, "分组", "Group").to_owned(),
            tr(lang, "有值/单元", "With value").to_owned(),
            tr(lang, "均值", "Mean").to_owned(),
            tr(lang, "中位数", "Median").to_owned(),
        ];
        if with_sum {
            header.push(tr(lang, "合计", "Sum").to_owned());
        }
        let mut cells = vec![header];
        for row in table.rows.iter().chain(std::iter::once(&table.province)) {
            cells.push(row_cells(row, lang, with_sum));
        }
        let count = cells[0].len();
        let pad = size * 0.8;
        let mut columns: Vec<f32> = (0..count)
            .map(|c| {
                cells
                    .iter()
                    .map(|row| width_of(&row[c], size))
                    .fold(0.0, f32::max)
                    + pad
            })
            .collect();
        // The bars' column.
        columns.push(size * 7.0);
        let notes = notes(table, lang);
        let inner: f32 = columns.iter().sum();
        let title_w = width_of(&title(table, lang), size * 1.05);
        let notes_w = notes
            .iter()
            .map(|n| width_of(n, size * 0.85))
            .fold(0.0, f32::max);
        let width = inner.max(title_w).max(notes_w) + size * 1.2;
        let height = row_height(size) * (cells.len() as f32 + 1.6)
            + notes.len() as f32 * row_height(size) * 0.9
            + size * 0.6;
        CompareBlock {
            table,
            lang,
            size,
            cells,
            columns,
            notes,
            width,
            height,
        }
    }

    /// The body's type size, points.
    pub fn size(&self) -> f32 {
        self.size
    }

    /// The block's furniture with its top-left at `origin`, in a box `width` wide (at least
    /// its own width); `s` is the page's type scale (line widths).
    pub fn items(&self, origin: [f32; 2], width: f32, s: f32) -> Vec<Item> {
        let size = self.size;
        let row = row_height(size);
        let width = width.max(self.width);
        let [x0, y0] = origin;
        let mut items = vec![Item::Rect {
            rect: Rect {
                x: x0,
                y: y0,
                w: width,
                h: self.height,
            },
            fill: Some(WHITE),
            stroke: Some((FRAME, 0.4 * s)),
        }];
        let inner_x = x0 + size * 0.6;
        let mut y = y0 + row;
        items.push(text(
            inner_x,
            y,
            &title(self.table, self.lang),
            size * 1.05,
            Align::Left,
            INK,
        ));
        y += row * 0.6;
        // The bars run from zero (or the smallest mean, where a mean is below zero) to the
        // largest of the means and the target.
        let bar_w = *self.columns.last().unwrap_or(&0.0) - size * 0.6;
        let bar_x = inner_x + self.columns[..self.columns.len() - 1].iter().sum::<f32>();
        let means: Vec<f64> = self
            .table
            .rows
            .iter()
            .chain(std::iter::once(&self.table.province))
            .filter_map(|r| r.mean)
            .chain(self.table.target.as_ref().map(|t| t.target))
            .collect();
        let low = means.iter().copied().fold(0.0, f64::min);
        let high = means.iter().copied().fold(0.0, f64::max);
        let span = (high - low).max(f64::MIN_POSITIVE);
        let at = |v: f64| bar_x + (((v - low) / span) as f32) * bar_w;
        let table_top = y;
        let rows_count = self.cells.len();
        for (r, cells) in self.cells.iter().enumerate() {
            let header = r == 0;
            let province = r + 1 == rows_count;
            if province {
                items.push(Item::Line {
                    points: vec![[inner_x, y + 0.5], [x0 + width - size * 0.6, y + 0.5]],
                    colour: FRAME,
                    width: 0.4 * s,
                });
            }
            let baseline = y + row * 0.5 + size * 0.35;
            let mut x = inner_x;
            for (c, cell) in cells.iter().enumerate() {
                let (anchor, align) = if c == 0 {
                    (x, Align::Left)
                } else {
                    (x + self.columns[c] - size * 0.8, Align::Right)
                };
                let colour = if header { MUTED_INK } else { INK };
                items.push(text(anchor, baseline, cell, size, align, colour));
                x += self.columns[c];
            }
            let group = if header {
                None
            } else if province {
                Some(&self.table.province)
            } else {
                self.table.rows.get(r - 1)
            };
            if let Some(mean) = group.and_then(|g| g.mean) {
                let (a, b) = (at(mean.min(0.0)), at(mean.max(0.0)));
                items.push(Item::Rect {
                    rect: Rect {
                        x: a,
                        y: y + row * 0.22,
                        w: (b - a).max(0.3 * s),
                        h: row * 0.56,
                    },
                    fill: Some(if province { PROVINCE_BAR } else { BAR }),
                    stroke: None,
                });
            }
            y += row;
        }
        let table_bottom = y;
        // The province's mean, dashed, and the target across the bars.
        if let Some(mean) = self.table.province.mean {
            let x = at(mean);
            let mut dash = table_top + row;
            while dash < table_bottom - row {
                let end = (dash + size * 0.4).min(table_bottom - row);
                items.push(Item::Line {
                    points: vec![[x, dash], [x, end]],
                    colour: PROVINCE_BAR,
                    width: 0.5 * s,
                });
                dash += size * 0.7;
            }
        }
        if let Some(target) = &self.table.target {
            let x = at(target.target);
            items.push(Item::Line {
                points: vec![[x, table_top + row * 0.8], [x, table_bottom]],
                colour: TARGET,
                width: 0.8 * s,
            });
        }
        for note in &self.notes {
            y += row * 0.9;
            items.push(text(inner_x, y, note, size * 0.85, Align::Left, MUTED_INK));
        }
        items
    }
}

fn row_height(size: f32) -> f32 {
    size * 1.55
}

/// The block's heading: what is compared, in which unit and year, by which grouping.
fn title(table: &GroupComparison, lang: Lang) -> String {
    let unit = table.unit.get(lang);
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    };
    format!(
        "{}{}{unit}",
        tr(lang, "分组比较:", "Compared by "),
        table.grouping.get(lang),
    )
}

fn row_cells(row: &GroupRow, lang: Lang, with_sum: bool) -> Vec<String> {
    let value = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| number(v, DIGITS));
    let mut cells = vec![
        row.group.get(lang).to_owned(),
        format!("{}/{}", row.with_value, row.units),
        value(row.mean),
        value(row.median),
    ];
    if with_sum {
        cells.push(value(row.sum));
    }
    cells
}

/// What the bars' lines are, the target's gap both ways, and a note on prefecture values.
fn notes(table: &GroupComparison, lang: Lang) -> Vec<String> {
    let mut notes = vec![
        tr(
            lang,
            "条形为均值;虚线为全省均值",
            "Bars: means; dashed: the province's mean",
        )
        .to_owned(),
    ];
    if let Some(target) = &table.target {
        let gap = |g: f64| format!("{}{}", if g >= 0.0 { "+" } else { "" }, number(g, DIGITS));
        notes.push(format!(
            "{} {}: {} {} ({} {})",
            tr(lang, "红线为目标", "Red: the target"),
            number(target.target, DIGITS),
            tr(lang, "单元平均", "mean of units"),
            number(target.mean, DIGITS),
            tr(lang, "差距", "gap"),
            gap(target.gap),
        ));
        if let (Some(mean), Some(g)) = (target.gdp_weighted_mean, target.gdp_weighted_gap) {
            notes.push(format!(
                "{} {} ({} {})",
                tr(lang, "GDP加权平均", "GDP-weighted mean"),
                number(mean, DIGITS),
                tr(lang, "差距", "gap"),
                gap(g),
            ));
        }
    }
    if table.level == Level::Prefecture {
        notes.push(
            tr(
                lang,
                "市级数据:每个市州计一次",
                "Prefecture values: each prefecture counted once",
            )
            .to_owned(),
        );
    }
    notes
}
