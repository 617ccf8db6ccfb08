//! A computed index as layers of the workspace, so that it maps, hovers, profiles and exports
//! like any other: the composite (`index:score`), each dimension (`index:dimension:NAME`),
//! the rank (`index:rank`), the performance group (`index:grade`), the width of the rank
//! interval where the uncertainty analysis ran (`index:rank_range`), and each target's gap
//! (`index:gap:LAYER`). Each cites what its indicators cite.

use super::compute::Grade;
use super::definition::{Aggregation, IndexDefinition, Missing, Normalisation, Outliers, Scope};
use super::run::IndexRun;
use crate::atlas::{Layer, LayerKind, Level, Measure, Observation, SourceId};
use crate::i18n::Text;
use std::collections::BTreeMap;

/// The prefix of every index layer's id.
pub const PREFIX: &str = "index:";
/// The composite's layer id.
pub const SCORE: &str = "index:score";
/// The rank's layer id.
pub const RANK: &str = "index:rank";
/// The performance group's layer id.
pub const GRADE: &str = "index:grade";
/// The rank interval's width.
pub const RANK_RANGE: &str = "index:rank_range";
/// Progress since the earlier year, in five classes of rank change.
pub const PROGRESS: &str = "index:progress";
/// The change in rank since the earlier year (positive: moved up).
pub const RANK_CHANGE: &str = "index:progress:rank_change";
/// The change in score since the earlier year, where scores compare across years.
pub const SCORE_CHANGE: &str = "index:progress:score_change";

/// Ranks moved that make a "large" move in the progress map: about 5% of the 183 counties.
const LARGE_MOVE: i64 = 10;

/// The progress classes' colours, most up first (ColorBrewer RdBu, blue for up).
const PROGRESS_COLOURS: [[u8; 3]; 5] = [
    [33, 102, 172],
    [146, 197, 222],
    [240, 240, 240],
    [244, 165, 130],
    [178, 24, 43],
];

/// The performance groups' colours, leader first (ColorBrewer YlGnBu, dark for leaders).
const GRADE_COLOURS: [[u8; 3]; 4] = [
    [34, 94, 168],
    [65, 182, 196],
    [161, 218, 180],
    [255, 255, 204],
];

/// The layer id of dimension `name`.
pub fn dimension_id(name: &str) -> String {
    format!("{PREFIX}dimension:{name}")
}

/// The layer id of the gap to `layer`'s target.
pub fn gap_id(layer: &str) -> String {
    format!("{PREFIX}gap:{layer}")
}

/// How the index was computed, in a sentence per language (a layer's caveat, a report's
/// method line).
pub fn method_text(def: &IndexDefinition, scored: usize, units: usize) -> Text {
    let m = &def.method;
    let (n_zh, n_en) = match m.normalisation {
        Normalisation::Minmax => ("最小–最大标准化(0–100)", "min-max normalisation (0–100)"),
        Normalisation::Zscore => ("z 分数标准化", "z-scores"),
        Normalisation::Target => (
            "距目标标准化(达标为 100)",
            "distance to target (100 = reached)",
        ),
        Normalisation::BaseYear => ("基年指数(基年 = 100)", "base-year index (base year = 100)"),
    };
    let (a_zh, a_en) = match m.aggregation {
        Aggregation::Arithmetic => ("加权算术平均", "weighted arithmetic mean"),
        Aggregation::Geometric => ("加权几何平均", "weighted geometric mean"),
    };
    let percent = (m.min_coverage * 100.0).round();
    let (x_zh, x_en) = match m.missing {
        Missing::Reweight => (
            format!("缺值的指标不计、其余重新加权(至少 {percent}% 指标有值)"),
            format!(
                "missing indicators skipped and the rest re-weighted (at least {percent}% needed)"
            ),
        ),
        Missing::Exclude => (
            "缺任一指标的县不计分".to_owned(),
            "counties missing any indicator not scored".to_owned(),
        ),
    };
    let outliers = match m.outliers {
        Outliers::None => ("", ""),
        Outliers::Jrc => (
            ";异常值按 JRC 规则缩尾或取对数",
            "; outliers winsorised or logged (JRC)",
        ),
    };
    let scope = match m.scope {
        Scope::Year => ("", ""),
        Scope::AllYears => (";标准化范围含各年", "; normalised over all years"),
    };
    let base = m
        .base_year
        .filter(|_| m.normalisation == Normalisation::BaseYear)
        .map(|b| (format!(",基年 {b}"), format!(", base year {b}")))
        .unwrap_or_default();
    Text::new(
        format!(
            "{} 个指标,{n_zh}{},{a_zh};{x_zh}{}{};计分 {scored}/{units} 县",
            def.indicators.len(),
            base.0,
            outliers.0,
            scope.0
        ),
        format!(
            "{} indicators, {n_en}{}, {a_en}; {x_en}{}{}; {scored} of {units} counties scored",
            def.indicators.len(),
            base.1,
            outliers.1,
            scope.1
        ),
    )
}

impl IndexRun {
    /// The index's layers.
    pub fn layers(&self) -> Vec<Layer> {
        let def = &self.definition;
        let r = &self.result;
        let units = r.scored.len();
        let title = def.title();
        let caveat = method_text(def, self.scored(), units);
        let score_unit = if def.method.normalisation == Normalisation::Zscore {
            Text::new("z", "z")
        } else {
            Text::new("分", "points")
        };
        let numeric = |id: String, name: Text, unit: Text, values: Vec<Option<f64>>| Layer {
            id,
            name,
            unit,
            level: Level::County,
            kind: LayerKind::Numeric,
            measure: Measure::Rate,
            caveat: Some(caveat.clone()),
            computed: true,
            values: BTreeMap::from([(def.year, observations(values))]),
            province: BTreeMap::new(),
            citation: None,
            derived_from: self.citations.clone(),
        };
        let mut layers = vec![numeric(
            SCORE.to_owned(),
            title.clone(),
            score_unit.clone(),
            r.score.clone(),
        )];
        for (d, name) in def.dimension_names().iter().enumerate() {
            let dimension = def.dimension_title(name);
            layers.push(numeric(
                dimension_id(name),
                Text::new(
                    format!("{}:{}", title.zh, dimension.zh),
                    format!("{}: {}", title.en, dimension.en),
                ),
                score_unit.clone(),
                r.dimensions[d].clone(),
            ));
        }
        layers.push(numeric(
            RANK.to_owned(),
            Text::new(format!("{} 位次", title.zh), format!("{} rank", title.en)),
            Text::new("位", "rank"),
            r.rank.iter().map(|x| x.map(|v| v as f64)).collect(),
        ));
        if r.grade.iter().any(Option::is_some) {
            let [t1, t2, t3] = def.grades.thresholds;
            let mut grade = numeric(
                GRADE.to_owned(),
                Text::new(format!("{} 分级", title.zh), format!("{} groups", title.en)),
                Text::default(),
                r.grade
                    .iter()
                    .map(|g| {
                        g.and_then(|g| Grade::ALL.iter().position(|&x| x == g))
                            .map(|i| i as f64)
                    })
                    .collect(),
            );
            grade.kind = LayerKind::Categorical {
                categories: Grade::ALL.iter().map(|g| g.name()).collect(),
                colours: GRADE_COLOURS.to_vec(),
            };
            grade.caveat = Some(Text::new(
                format!(
                    "相对全省平均:领先 > {t1}%,较强 {t2}–{t1}%,中等 {t3}–{t2}%,追赶 ≤ {t3}%(欧盟区域创新记分牌的分组)"
                ),
                format!(
                    "Against the provincial average: leader > {t1}%, strong {t2}–{t1}%, moderate {t3}–{t2}%, emerging ≤ {t3}% (the EU Regional Innovation Scoreboard's groups)"
                ),
            ));
            layers.push(grade);
        }
        if let (Some(intervals), Some((draws, seed))) = (&self.intervals, self.draws) {
            let mut range = numeric(
                RANK_RANGE.to_owned(),
                Text::new(
                    format!("{} 位次区间(5%–95%)宽度", title.zh),
                    format!("{} rank interval (5–95%) width", title.en),
                ),
                Text::new("位", "ranks"),
                intervals.iter().map(|i| i.map(|i| i.q95 - i.q05)).collect(),
            );
            range.caveat = Some(Text::new(
                format!(
                    "{} 次蒙特卡洛抽样(种子 {seed}):权重、标准化、加总方式和去掉一个指标",
                    draws
                ),
                format!(
                    "{draws} Monte Carlo draws (seed {seed}) over weights, normalisation, aggregation and leaving one indicator out"
                ),
            ));
            layers.push(range);
        }
        if let Some(progress) = &self.progress {
            layers.extend(progress_layers(progress, &title, def.year, &numeric));
        }
        for (i, indicator) in def.indicators.iter().enumerate() {
            let Some(target) = indicator.target else {
                continue;
            };
            let name = &self.indicator_names[i];
            let mut gap = numeric(
                gap_id(&indicator.layer),
                Text::new(
                    format!("{}:距目标 {target} 之差", name.zh),
                    format!("{}: gap to the target of {target}", name.en),
                ),
                self.indicator_units[i].clone(),
                self.data.values[i]
                    .iter()
                    .map(|x| x.map(|x| x - target))
                    .collect(),
            );
            gap.caveat = self.target_text(i);
            layers.push(gap);
        }
        layers
    }
}

/// The progress layers: five classes of rank change, the rank change, and the score change
/// where scores compare across years.
fn progress_layers(
    progress: &super::progress::Progress,
    title: &Text,
    year: i32,
    numeric: &dyn Fn(String, Text, Text, Vec<Option<f64>>) -> Layer,
) -> Vec<Layer> {
    let from = progress.from_year;
    let note = if progress.scores_compare {
        Text::new(
            format!("{from}–{year} 年,同一定义;得分跨年可比"),
            format!("{from}–{year}, the same definition; scores compare across the years"),
        )
    } else {
        Text::new(
            format!("{from}–{year} 年,同一定义;各年分别标准化,只比较位次"),
            format!(
                "{from}–{year}, the same definition; normalised within each year, so only ranks compare"
            ),
        )
    };
    let changes = |f: &dyn Fn(&super::progress::Change) -> f64| -> Vec<Option<f64>> {
        progress
            .per_unit
            .iter()
            .map(|c| c.as_ref().map(f))
            .collect()
    };
    let class_of = |c: &super::progress::Change| -> f64 {
        match c.rank_change {
            r if r >= LARGE_MOVE => 0.0,
            r if r > 0 => 1.0,
            0 => 2.0,
            r if r > -LARGE_MOVE => 3.0,
            _ => 4.0,
        }
    };
    let mut classes = numeric(
        PROGRESS.to_owned(),
        Text::new(
            format!("{} 进步({from}–{year} 年位次变化)", title.zh),
            format!("{} progress (rank change {from}–{year})", title.en),
        ),
        Text::default(),
        changes(&class_of),
    );
    classes.kind = LayerKind::Categorical {
        categories: vec![
            Text::new(
                format!("上升 {LARGE_MOVE} 位及以上"),
                format!("up {LARGE_MOVE} or more"),
            ),
            Text::new(
                format!("上升 1–{} 位", LARGE_MOVE - 1),
                format!("up 1–{}", LARGE_MOVE - 1),
            ),
            Text::new("不变", "unchanged"),
            Text::new(
                format!("下降 1–{} 位", LARGE_MOVE - 1),
                format!("down 1–{}", LARGE_MOVE - 1),
            ),
            Text::new(
                format!("下降 {LARGE_MOVE} 位及以上"),
                format!("down {LARGE_MOVE} or more"),
            ),
        ],
        colours: PROGRESS_COLOURS.to_vec(),
    };
    classes.caveat = Some(note.clone());
    let mut rank_change = numeric(
        RANK_CHANGE.to_owned(),
        Text::new(
            format!("{} 位次变化({from}–{year} 年,正为上升)", title.zh),
            format!("{} rank change ({from}–{year}; positive: up)", title.en),
        ),
        Text::new("位", "ranks"),
        changes(&|c| c.rank_change as f64),
    );
    rank_change.caveat = Some(note.clone());
    let mut layers = vec![classes, rank_change];
    if progress.scores_compare {
        let mut score_change = numeric(
            SCORE_CHANGE.to_owned(),
            Text::new(
                format!("{} 得分变化({from}–{year} 年)", title.zh),
                format!("{} score change ({from}–{year})", title.en),
            ),
            Text::new("分", "points"),
            changes(&|c| c.score_change),
        );
        score_change.caveat = Some(note);
        layers.push(score_change);
    }
    layers
}

fn observations(values: Vec<Option<f64>>) -> Vec<Option<Observation>> {
    values
        .into_iter()
        .map(|v| {
            v.map(|value| Observation {
                value,
                source: SourceId::DERIVED,
                note: None,
            })
        })
        .collect()
}
