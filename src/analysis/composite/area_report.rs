//! What the report of an economic region or of the province says (the 分级报告 above the
//! county): its counties ranked, its mean score against the province's, how many counties
//! fall in each performance group, each dimension's mean against the province's and the
//! other regions', each target's reach, the counties that moved up most, and every source.
//! The page layout (`export::area_report`) only places these.

use super::compute::Grade;
use super::progress::Change;
use super::report::{mean_of, rank_among};
use super::run::IndexRun;
use super::uncertainty::RankInterval;
use crate::atlas::{Atlas, EconomicRegion, UnitId};
use crate::i18n::{Lang, Text};

/// The counties a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// All 183.
    Province,
    /// The counties of one economic region.
    Region(EconomicRegion),
}

impl Area {
    /// The five regions, then the province: what "every area" means.
    pub fn all() -> Vec<Area> {
        EconomicRegion::ALL
            .into_iter()
            .map(Area::Region)
            .chain([Area::Province])
            .collect()
    }

    /// Its name in both languages.
    pub fn name(self) -> Text {
        match self {
            Area::Province => Text::new("四川省", "Sichuan Province"),
            Area::Region(r) => Text::new(r.name_zh(), r.name_en()),
        }
    }

    /// The file name's stem of its report: the province's code, or `region_` and the
    /// region's identifier.
    pub fn file_stem(self) -> String {
        match self {
            Area::Province => "510000_四川省".to_owned(),
            Area::Region(r) => format!("region_{}_{}", r.id(), r.name_zh()),
        }
    }

    /// Whether the county at `index` of the atlas is in it.
    fn contains(self, atlas: &Atlas, index: usize) -> bool {
        match self {
            Area::Province => true,
            Area::Region(r) => atlas.units()[index].region == r,
        }
    }
}

/// One county in the area's ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaCounty {
    /// The county.
    pub unit: UnitId,
    /// Its name.
    pub name: Text,
    /// Its composite; `None` where not scored.
    pub score: Option<f64>,
    /// Its rank in the province.
    pub rank: Option<usize>,
    /// Its rank in the area.
    pub rank_in_area: Option<usize>,
    /// Its performance group.
    pub grade: Option<Grade>,
    /// Its rank interval.
    pub interval: Option<RankInterval>,
    /// Its change since the earlier year, where progress was asked for.
    pub change: Option<Change>,
}

/// One dimension's means.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaDimension {
    /// Its name.
    pub name: Text,
    /// The area's mean.
    pub mean: Option<f64>,
    /// The province's mean.
    pub province_mean: Option<f64>,
    /// Each region's mean, in the order of [`EconomicRegion::ALL`].
    pub region_means: Vec<Option<f64>>,
}

/// One economic region in the province's report.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionLine {
    /// The region.
    pub region: EconomicRegion,
    /// Its counties.
    pub counties: usize,
    /// Those scored.
    pub scored: usize,
    /// The mean composite of those scored.
    pub mean: Option<f64>,
    /// The mean in % of the provincial mean.
    pub relative: Option<f64>,
    /// Counties per performance group, in the order of [`Grade::ALL`].
    pub grades: [usize; 4],
    /// Its best-ranked county.
    pub best: Option<Text>,
    /// Its place among the five by mean score (1: the highest).
    pub place: Option<usize>,
}

/// An indicator's target within the area.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaTarget {
    /// The indicator's name.
    pub name: Text,
    /// Its unit.
    pub unit: Text,
    /// The target.
    pub target: f64,
    /// The plain mean of the area's counties with a value.
    pub mean: Option<f64>,
    /// How many reach it.
    pub reached: usize,
    /// Of how many with a value.
    pub of: usize,
    /// The province against it (means and counties reaching it).
    pub province: Option<Text>,
}

/// Everything the report of a region or the province says.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaReport {
    /// The area.
    pub area: Area,
    /// The index's name.
    pub index_name: Text,
    /// The index's year.
    pub year: i32,
    /// How the index was computed.
    pub method: Text,
    /// The area's counties, best first, those not scored last.
    pub counties: Vec<AreaCounty>,
    /// The mean composite of the area's scored counties.
    pub mean: Option<f64>,
    /// That mean in % of the provincial mean.
    pub relative: Option<f64>,
    /// The area's counties per performance group, in the order of [`Grade::ALL`].
    pub grades: [usize; 4],
    /// Per dimension.
    pub dimensions: Vec<AreaDimension>,
    /// The five regions (the province's report compares them; a region's shows its place).
    pub regions: Vec<RegionLine>,
    /// Per indicator with a target.
    pub targets: Vec<AreaTarget>,
    /// The earlier year of the progress, where asked for.
    pub progress_from: Option<i32>,
    /// The area's counties that moved up most, most first.
    pub most_improved: Vec<(Text, Change)>,
    /// The Monte Carlo draws of the rank intervals.
    pub draws: Option<usize>,
    /// The indicators' sources: official documents first, then the addresses read.
    pub sources: Vec<String>,
}

/// Counties listed among the most improved.
const MOST_IMPROVED: usize = 8;

fn name_of(atlas: &Atlas, unit: UnitId) -> Text {
    let c = atlas.unit(unit);
    Text::new(c.name.clone(), c.name_in(Lang::En).to_owned())
}

fn grade_counts(run: &IndexRun, member: impl Fn(usize) -> bool) -> [usize; 4] {
    let mut counts = [0; 4];
    for (u, grade) in run.result.grade.iter().enumerate() {
        if let Some(g) = grade
            && member(u)
        {
            counts[Grade::ALL.iter().position(|x| x == g).unwrap_or(3)] += 1;
        }
    }
    counts
}

impl AreaReport {
    /// The report of `area` on `run`.
    pub fn new(atlas: &Atlas, run: &IndexRun, area: Area) -> Self {
        let def = &run.definition;
        let r = &run.result;
        let n = atlas.units().len();
        let inside = |u: usize| area.contains(atlas, u);
        let scored_inside = |u: usize| r.scored[u] && inside(u);
        let mut counties: Vec<AreaCounty> = (0..n)
            .filter(|&u| inside(u))
            .map(|u| AreaCounty {
                unit: UnitId(u as u32),
                name: name_of(atlas, UnitId(u as u32)),
                score: r.score[u],
                rank: r.rank[u],
                rank_in_area: rank_among(&r.score, u, scored_inside).map(|(rank, _)| rank),
                grade: r.grade[u],
                interval: run.intervals.as_ref().and_then(|v| v[u]),
                change: run.progress.as_ref().and_then(|p| p.per_unit[u]),
            })
            .collect();
        counties.sort_by_key(|c| (c.rank.is_none(), c.rank, c.unit));
        let mean = mean_of(&r.score, scored_inside);
        let relative = mean.map(|m| 100.0 * m / r.mean_score);
        let mut regions: Vec<RegionLine> = EconomicRegion::ALL
            .into_iter()
            .map(|region| {
                let member = |u: usize| atlas.units()[u].region == region;
                let scored = |u: usize| r.scored[u] && member(u);
                let mean = mean_of(&r.score, scored);
                let best = (0..n)
                    .filter(|&u| scored(u))
                    .min_by_key(|&u| r.rank[u])
                    .map(|u| name_of(atlas, UnitId(u as u32)));
                RegionLine {
                    region,
                    counties: (0..n).filter(|&u| member(u)).count(),
                    scored: (0..n).filter(|&u| scored(u)).count(),
                    mean,
                    relative: mean.map(|m| 100.0 * m / r.mean_score),
                    grades: grade_counts(run, scored),
                    best,
                    place: None,
                }
            })
            .collect();
        let means: Vec<Option<f64>> = regions.iter().map(|r| r.mean).collect();
        for (i, line) in regions.iter_mut().enumerate() {
            line.place = rank_among(&means, i, |_| true).map(|(place, _)| place);
        }
        let dimensions = def
            .dimension_names()
            .iter()
            .enumerate()
            .map(|(d, name)| {
                let values = &r.dimensions[d];
                AreaDimension {
                    name: def.dimension_title(name),
                    mean: mean_of(values, scored_inside),
                    province_mean: mean_of(values, |u| r.scored[u]),
                    region_means: EconomicRegion::ALL
                        .into_iter()
                        .map(|region| {
                            mean_of(values, |u| r.scored[u] && atlas.units()[u].region == region)
                        })
                        .collect(),
                }
            })
            .collect();
        let targets = def
            .indicators
            .iter()
            .enumerate()
            .filter_map(|(i, indicator)| {
                let target = indicator.target?;
                let values: Vec<f64> = run.data.values[i]
                    .iter()
                    .enumerate()
                    .filter(|(u, _)| inside(*u))
                    .filter_map(|(_, v)| *v)
                    .collect();
                let higher = indicator.direction == super::definition::Direction::Higher;
                let reached = values
                    .iter()
                    .filter(|&&x| if higher { x >= target } else { x <= target })
                    .count();
                Some(AreaTarget {
                    name: run.indicator_names[i].clone(),
                    unit: run.indicator_units[i].clone(),
                    target,
                    mean: (!values.is_empty())
                        .then(|| values.iter().sum::<f64>() / values.len() as f64),
                    reached,
                    of: values.len(),
                    province: run.target_text(i),
                })
            })
            .collect();
        let most_improved = run
            .progress
            .as_ref()
            .map(|p| {
                p.most_improved(MOST_IMPROVED, inside)
                    .into_iter()
                    .map(|(u, c)| (name_of(atlas, UnitId(u as u32)), c))
                    .collect()
            })
            .unwrap_or_default();
        AreaReport {
            area,
            index_name: def.title(),
            year: def.year,
            method: super::layers::method_text(def, run.scored(), n),
            counties,
            mean,
            relative,
            grades: grade_counts(run, scored_inside),
            dimensions,
            regions,
            targets,
            progress_from: run.progress.as_ref().map(|p| p.from_year),
            most_improved,
            draws: run.draws.map(|(n, _)| n),
            sources: run.sources(),
        }
    }

    /// How many of its counties are scored.
    pub fn scored(&self) -> usize {
        self.counties.iter().filter(|c| c.score.is_some()).count()
    }
}
