//! What a county's graded report (分级报告) says, as numbers and names: its scores and ranks
//! with their interval, each dimension against the region's, the class's and the province's
//! mean, each indicator's value against the provincial mean, strengths and weaknesses, target
//! gaps, the neighbours' scores, the LISA quadrant of the composite, and every source. The
//! page layout (`export::report`) only places these.

use super::compute::Grade;
use super::run::IndexRun;
use super::uncertainty::RankInterval;
use crate::analysis::autocorrelation::{LocalMoran, Quadrant, local_moran};
use crate::atlas::{Atlas, UnitId};
use crate::i18n::{Lang, Text};
use crate::spatial::{ContiguityKind, SpatialIndex, SpatialWeights, WeightsKind};

/// The LISA's permutations, seed and significance cut, as the Compare panel's.
const PERMUTATIONS: usize = 999;
const SEED: u64 = 12345;
const ALPHA: f64 = 0.05;

/// What every report of one index shares, computed once for a batch: the LISA of the
/// composite (queen weights among the scored counties).
pub struct ReportContext {
    lisa: Option<(Vec<UnitId>, LocalMoran)>,
}

impl ReportContext {
    /// The shared part of `run`'s reports.
    pub fn new(run: &IndexRun, index: &SpatialIndex) -> Self {
        let (units, values): (Vec<UnitId>, Vec<f64>) = run
            .result
            .score
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((UnitId(i as u32), (*s)?)))
            .unzip();
        let weights = SpatialWeights::build(index, &units, WeightsKind::Queen);
        let lisa = local_moran(&values, &weights, PERMUTATIONS, SEED)
            .ok()
            .map(|l| (units, l));
        ReportContext { lisa }
    }

    /// The county's quadrant and pseudo p-value; the quadrant is `None` where not
    /// significant.
    fn lisa(&self, unit: UnitId) -> Option<(Option<Quadrant>, f64)> {
        let (units, lisa) = self.lisa.as_ref()?;
        let i = units.iter().position(|&u| u == unit)?;
        let p = lisa.values[i].p_sim?;
        Some((lisa.significant(i, ALPHA), p))
    }
}

/// One dimension of the county against its groups.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionLine {
    /// Its name.
    pub name: Text,
    /// The county's score.
    pub score: Option<f64>,
    /// Its rank among the counties with a score.
    pub rank: Option<usize>,
    /// The mean of the county's economic region.
    pub region_mean: Option<f64>,
    /// The mean of its class, where the index has classes.
    pub class_mean: Option<f64>,
    /// The provincial mean.
    pub province_mean: Option<f64>,
}

/// One indicator of the county.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorLine {
    /// The layer id.
    pub layer: String,
    /// Its name.
    pub name: Text,
    /// Its unit.
    pub unit: Text,
    /// The year of its values.
    pub year: i32,
    /// The county's value.
    pub value: Option<f64>,
    /// The provincial mean (scored counties with a value).
    pub province_mean: Option<f64>,
    /// Its normalised score.
    pub normalised: Option<f64>,
    /// Its target.
    pub target: Option<f64>,
    /// The province against the target: means (plain and weighted) and counties reaching it.
    pub province_target: Option<Text>,
    /// Whether higher is better.
    pub higher: bool,
}

/// A neighbour's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbour {
    /// Its name.
    pub name: Text,
    /// Its composite.
    pub score: Option<f64>,
    /// Its rank.
    pub rank: Option<usize>,
}

/// Everything one county's report says.
#[derive(Clone, Debug, PartialEq)]
pub struct CountyReport {
    /// The county.
    pub unit: UnitId,
    /// Its name.
    pub name: Text,
    /// Its prefecture.
    pub prefecture: Text,
    /// Its economic region.
    pub region: Text,
    /// Its class (分类).
    pub class: Option<Text>,
    /// The index's name.
    pub index_name: Text,
    /// The index's year.
    pub year: i32,
    /// How the index was computed.
    pub method: Text,
    /// The composite; `None` where the county is not scored.
    pub score: Option<f64>,
    /// Its rank and of how many.
    pub rank: Option<(usize, usize)>,
    /// Its rank in the region and of how many.
    pub rank_in_region: Option<(usize, usize)>,
    /// Its rank in its class and of how many.
    pub rank_in_class: Option<(usize, usize)>,
    /// The performance group.
    pub grade: Option<Grade>,
    /// The score in % of the provincial average.
    pub relative: Option<f64>,
    /// The rank interval.
    pub interval: Option<RankInterval>,
    /// The Monte Carlo draws.
    pub draws: Option<usize>,
    /// Its change since the earlier year and that year, where progress was asked for.
    pub progress: Option<(i32, Option<super::progress::Change>)>,
    /// Per dimension.
    pub dimensions: Vec<DimensionLine>,
    /// Per indicator.
    pub indicators: Vec<IndicatorLine>,
    /// Strengths: (indicator, x / mean − 1), largest first.
    pub strengths: Vec<(Text, f64)>,
    /// Weaknesses.
    pub weaknesses: Vec<(Text, f64)>,
    /// Queen neighbours.
    pub neighbours: Vec<Neighbour>,
    /// The LISA quadrant of the composite (`None` inside: not significant) and p.
    pub lisa: Option<(Option<Quadrant>, f64)>,
    /// The indicators' sources: official documents first, then the addresses read.
    pub sources: Vec<String>,
}

pub(super) fn mean_of(values: &[Option<f64>], member: impl Fn(usize) -> bool) -> Option<f64> {
    let v: Vec<f64> = values
        .iter()
        .enumerate()
        .filter(|(u, _)| member(*u))
        .filter_map(|(_, v)| *v)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub(super) fn rank_among(
    values: &[Option<f64>],
    u: usize,
    member: impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let own = values[u]?;
    let peers: Vec<f64> = values
        .iter()
        .enumerate()
        .filter(|(i, _)| member(*i))
        .filter_map(|(_, v)| *v)
        .collect();
    Some((1 + peers.iter().filter(|&&v| v > own).count(), peers.len()))
}

impl CountyReport {
    /// The report of `unit` on `run`.
    pub fn new(
        atlas: &Atlas,
        index: &SpatialIndex,
        run: &IndexRun,
        context: &ReportContext,
        unit: UnitId,
    ) -> Self {
        let def = &run.definition;
        let r = &run.result;
        let u = unit.index();
        let county = atlas.unit(unit);
        let name_of = |id: UnitId| {
            let c = atlas.unit(id);
            Text::new(c.name.clone(), c.name_in(Lang::En).to_owned())
        };
        let region_of = |i: usize| atlas.units()[i].region;
        let same_region = |i: usize| region_of(i) == county.region;
        let class = run
            .classes
            .as_ref()
            .and_then(|c| c.of_unit[u].map(|g| (g, c.groups[g].clone())));
        let same_class = |i: usize| {
            class.as_ref().is_some_and(|(g, _)| {
                run.classes
                    .as_ref()
                    .is_some_and(|c| c.of_unit[i] == Some(*g))
            })
        };
        let scored = |i: usize| r.scored[i];
        let dimensions = def
            .dimension_names()
            .iter()
            .enumerate()
            .map(|(d, name)| {
                let values = &r.dimensions[d];
                DimensionLine {
                    name: def.dimension_title(name),
                    score: values[u],
                    rank: rank_among(values, u, scored).map(|(rank, _)| rank),
                    region_mean: mean_of(values, same_region),
                    class_mean: class.as_ref().and_then(|_| mean_of(values, same_class)),
                    province_mean: mean_of(values, scored),
                }
            })
            .collect();
        let indicators = def
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| IndicatorLine {
                layer: ind.layer.clone(),
                name: run.indicator_names[i].clone(),
                unit: run.indicator_units[i].clone(),
                year: ind.year.unwrap_or(def.year),
                value: run.data.values[i][u],
                province_mean: mean_of(&run.data.values[i], scored),
                normalised: r.normalised[i][u],
                target: ind.target,
                province_target: run.target_text(i),
                higher: ind.direction == super::definition::Direction::Higher,
            })
            .collect();
        let standouts = |list: &[super::compute::Standout]| {
            list.iter()
                .map(|s| (run.indicator_names[s.indicator].clone(), s.relative))
                .collect()
        };
        let neighbours = index
            .neighbors(unit, ContiguityKind::Queen)
            .iter()
            .map(|&n| Neighbour {
                name: name_of(n),
                score: r.score[n.index()],
                rank: r.rank[n.index()],
            })
            .collect();
        let region = Text::new(county.region.name_zh(), county.region.name_en());
        let score_values = &r.score;
        CountyReport {
            unit,
            name: name_of(unit),
            prefecture: {
                let p = atlas.prefecture_of(county);
                Text::new(p.name.clone(), p.name_in(Lang::En).to_owned())
            },
            region,
            class: class.as_ref().map(|(_, t)| t.clone()),
            index_name: def.title(),
            year: def.year,
            method: super::layers::method_text(def, run.scored(), atlas.units().len()),
            score: r.score[u],
            rank: rank_among(score_values, u, scored),
            rank_in_region: rank_among(score_values, u, same_region),
            rank_in_class: class
                .as_ref()
                .and_then(|_| rank_among(score_values, u, same_class)),
            grade: r.grade[u],
            relative: r.score[u].map(|s| 100.0 * s / r.mean_score),
            interval: run.intervals.as_ref().and_then(|v| v[u]),
            draws: run.draws.map(|(n, _)| n),
            progress: run.progress.as_ref().map(|p| (p.from_year, p.per_unit[u])),
            dimensions,
            indicators,
            strengths: standouts(&r.strengths[u]),
            weaknesses: standouts(&r.weaknesses[u]),
            neighbours,
            lisa: context.lisa(unit),
            sources: run.sources(),
        }
    }
}
