//! Choropleth classification with PySAL mapclassify's semantics, bit for bit: breaks are
//! inclusive upper bounds (a value `v` is in the first class `i` with `v <= breaks[i]`), tied
//! quantiles collapse so that fewer classes than asked may result, and each method computes
//! its breaks with the same arithmetic as mapclassify 2.x (`tests/classify.rs` compares them
//! on the fixture written by `scripts/fixtures/generate.py`).

use serde::{Deserialize, Serialize};

/// A classification method and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Method {
    /// Equal numbers of units per class (mapclassify `Quantiles`).
    Quantile,
    /// Classes of equal width between the minimum and maximum (mapclassify `EqualInterval`).
    EqualInterval,
    /// Jenks natural breaks, exact dynamic programming (mapclassify `FisherJenks`).
    FisherJenks,
    /// Steps of one standard deviation from the mean: −2, −1, +1, +2 (mapclassify `StdMean`).
    StdMean,
    /// Box map: lower fence, quartiles, upper fence, with outliers beyond the fences
    /// (mapclassify `BoxPlot`).
    BoxPlot {
        /// The fences lie this many inter-quartile ranges beyond the quartiles (1.5 or 3.0).
        hinge: f64,
    },
    /// The user's own upper bounds; the maximum is added when above the last one
    /// (mapclassify `UserDefined`).
    Manual {
        /// Upper bounds, increasing.
        breaks: Vec<f64>,
    },
}

impl Method {
    /// The name on the command line and in files.
    pub fn id(&self) -> &'static str {
        match self {
            Method::Quantile => "quantile",
            Method::EqualInterval => "equal-interval",
            Method::FisherJenks => "fisher-jenks",
            Method::StdMean => "std-mean",
            Method::BoxPlot { .. } => "box",
            Method::Manual { .. } => "manual",
        }
    }

    /// The method's name in the interface, with its parameter.
    pub fn name(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Method::Quantile => Text::new("分位数", "quantiles"),
            Method::EqualInterval => Text::new("等间距", "equal intervals"),
            Method::FisherJenks => {
                Text::new("自然断点(Fisher-Jenks)", "natural breaks (Fisher-Jenks)")
            }
            Method::StdMean => Text::new("均值±标准差", "mean ± standard deviations"),
            Method::BoxPlot { hinge } => Text::new(
                format!("箱线图(铰链 {})", crate::format::number(*hinge, 3)),
                format!("box map (hinge {})", crate::format::number(*hinge, 3)),
            ),
            Method::Manual { .. } => Text::new("手动分级", "manual breaks"),
        }
    }

    /// Whether the number of classes is chosen by the user (the others follow from the data).
    pub fn takes_classes(&self) -> bool {
        matches!(
            self,
            Method::Quantile | Method::EqualInterval | Method::FisherJenks
        )
    }

    /// Parses a method by its id, with its parameters.
    pub fn parse(id: &str, hinge: f64, breaks: Option<Vec<f64>>) -> Result<Self, ClassifyError> {
        Ok(match id.trim() {
            "quantile" | "quantiles" => Method::Quantile,
            "equal-interval" | "equal_interval" => Method::EqualInterval,
            "fisher-jenks" | "fisher_jenks" | "jenks" => Method::FisherJenks,
            "std-mean" | "std_mean" => Method::StdMean,
            "box" | "box-plot" | "boxplot" => Method::BoxPlot { hinge },
            "manual" => Method::Manual {
                breaks: breaks.ok_or(ClassifyError::ManualWithoutBreaks)?,
            },
            other => return Err(ClassifyError::UnknownMethod(other.to_owned())),
        })
    }
}

/// The result of classifying a set of values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classification {
    /// The method used.
    pub method: Method,
    /// Inclusive upper bound of each class, increasing.
    pub breaks: Vec<f64>,
    /// How many values fell in each class.
    pub counts: Vec<usize>,
    /// The smallest value (the lower bound of the first class).
    pub min: f64,
}

/// What a class covers (see [`Classification::class_range`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClassRange {
    /// From the first value to the second, inclusive above.
    Between(f64, f64),
    /// Up to and including this value.
    AtMost(f64),
    /// Above this value.
    Above(f64),
}

/// Why values could not be classified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// There are no values (all are missing).
    #[error("没有可分级的数值 / no values to classify")]
    NoValues,
    /// The number of classes is outside [`CLASS_COUNTS`].
    #[error(
        "分级数须在 2 到 12 之间(现为 {0}) / the number of classes must be from 2 to 12 (got {0})"
    )]
    ClassCount(usize),
    /// More manual breaks than a legend can show.
    #[error("手动断点最多 12 个(现为 {0} 个) / at most 12 manual breaks can be given (got {0})")]
    TooManyBreaks(usize),
    /// Equal intervals need the values to span a range.
    #[error(
        "所有数值相同,无法等间距分级 / all values are equal, so there is no range to cut into equal intervals"
    )]
    NoRange,
    /// The standard deviation needs two values or more.
    #[error("标准差分级至少需要两个数值 / the standard-deviation method needs at least two values")]
    TooFewForDeviation,
    /// Fisher–Jenks needs at least as many distinct values as classes.
    #[error(
        "自然断点法需要至少 {classes} 个不同数值,现有 {distinct} 个,请减少级数 / Fisher-Jenks needs at least {classes} distinct values and there are {distinct}; ask for fewer classes"
    )]
    TooFewDistinct {
        /// Distinct values present.
        distinct: usize,
        /// Classes asked for.
        classes: usize,
    },
    /// Manual breaks must increase.
    #[error(
        "手动断点须为递增的数字(现为 {0:?}) / manual breaks must be increasing numbers (got {0:?})"
    )]
    BadBreaks(Vec<f64>),
    /// `manual` was asked for without breaks.
    #[error(
        "手动分级需要断点,如 100, 500, 1000 / the manual method needs breaks, e.g. 100, 500, 1000"
    )]
    ManualWithoutBreaks,
    /// The box map's hinge must be positive and at most [`MAX_HINGE`].
    #[error(
        "箱线图的倍数须为 0 到 100 之间的正数,如 1.5 或 3.0(现为 {}) / the box map's hinge must be a positive number up to 100, such as 1.5 or 3.0 (got {})",
        crate::format::number(*.0, 3),
        crate::format::number(*.0, 3)
    )]
    BadHinge(f64),
    /// An unknown method name.
    #[error(
        "未知的分级方法“{0}”:可用 quantile、equal-interval、fisher-jenks、std-mean、box、manual / unknown classification method '{0}': use quantile, equal-interval, fisher-jenks, std-mean, box or manual"
    )]
    UnknownMethod(String),
}

/// How many classes a choropleth may have: at least two to say anything, and no more than a
/// reader can tell apart (and a legend can hold on a slide). Every surface (command line, saved
/// views, the window, the API) is held to it.
pub const CLASS_COUNTS: std::ops::RangeInclusive<usize> = 2..=12;

impl Classification {
    /// Classifies `values` (missing values left out; non-finite ones are ignored) into `k`
    /// classes, `k` within [`CLASS_COUNTS`] (`k` is ignored by the methods whose classes follow
    /// from the data).
    pub fn new(values: &[f64], method: Method, k: usize) -> Result<Self, ClassifyError> {
        if method.takes_classes() && !CLASS_COUNTS.contains(&k) {
            return Err(ClassifyError::ClassCount(k));
        }
        if let Method::Manual { breaks } = &method
            && breaks.len() > *CLASS_COUNTS.end()
        {
            return Err(ClassifyError::TooManyBreaks(breaks.len()));
        }
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return Err(ClassifyError::NoValues);
        }
        sorted.sort_by(f64::total_cmp);
        let breaks = match &method {
            Method::Quantile => quantile_breaks(&sorted, k),
            Method::EqualInterval => equal_interval_breaks(&sorted, k)?,
            Method::FisherJenks => fisher_jenks_breaks(&sorted, k)?,
            Method::StdMean => std_mean_breaks(&sorted)?,
            Method::BoxPlot { hinge } => box_breaks(&sorted, *hinge)?,
            Method::Manual { breaks } => manual_breaks(&sorted, breaks)?,
        };
        let mut classification = Classification {
            method,
            counts: vec![0; breaks.len()],
            breaks,
            min: sorted[0],
        };
        for &v in &sorted {
            if let Some(class) = classification.class_of(v) {
                classification.counts[class] += 1;
            }
        }
        Ok(classification)
    }

    /// The class of `v`: the first class whose upper bound is at least `v`; `None` above the
    /// last bound or for NaN.
    pub fn class_of(&self, v: f64) -> Option<usize> {
        if v.is_nan() {
            return None;
        }
        let i = self.breaks.partition_point(|&b| b < v);
        (i < self.breaks.len()).then_some(i)
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        self.breaks.len()
    }

    /// True when there are no classes.
    pub fn is_empty(&self) -> bool {
        self.breaks.is_empty()
    }

    /// What class `i` covers, as a legend should say it. Classes of the data's own methods
    /// run from one break to the next (the first from the minimum). Manual breaks may come
    /// from another layer or year: their first class is open below ("≤ 0.41": anything under
    /// the first break falls in it), and a class added above the last break for the maximum
    /// is open above ("> 6.61"), rather than ranges the data do not have.
    pub fn class_range(&self, i: usize) -> ClassRange {
        if let Method::Manual { breaks } = &self.method {
            if i == 0 {
                return ClassRange::AtMost(self.breaks[0]);
            }
            if i == breaks.len() && i + 1 == self.breaks.len() {
                return ClassRange::Above(self.breaks[i - 1]);
            }
        }
        let (lower, upper) = self.bounds(i);
        ClassRange::Between(lower, upper)
    }

    /// The (lower, upper) bounds of class `i`; the lower bound of the first is the minimum
    /// (or the first break, when a method puts it below the minimum).
    pub fn bounds(&self, i: usize) -> (f64, f64) {
        let lower = if i == 0 {
            self.min.min(self.breaks[0])
        } else {
            self.breaks[i - 1]
        };
        (lower, self.breaks[i])
    }
}

/// mapclassify's `quantile`: percentiles at `w, 2w, ...` (w = 100/k, generated like
/// `np.arange`), each by scipy's `scoreatpercentile` (linear interpolation), then de-duplicated.
fn quantile_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let w = 100.0 / k as f64;
    let mut percents = numpy_arange(w, 100.0 + w, w);
    if let Some(last) = percents.last_mut()
        && *last > 100.0
    {
        *last = 100.0;
    }
    let mut breaks: Vec<f64> = percents
        .iter()
        .map(|&p| score_at_percentile(sorted, p))
        .collect();
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    breaks
}

/// `np.arange(start, stop, step)` as numpy fills it: `start`, `start + step`, then
/// `start + i·delta` with `delta = (start + step) − start` (not `step`: the difference can
/// decide on which side of a break a value falls).
fn numpy_arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let length = ((stop - start) / step).ceil().max(0.0) as usize;
    let second = start + step;
    let delta = second - start;
    (0..length)
        .map(|i| match i {
            0 => start,
            1 => second,
            _ => start + i as f64 * delta,
        })
        .collect()
}

/// scipy.stats.scoreatpercentile with `interpolation_method='fraction'`, as scipy computes
/// it: a weighted mean of the two neighbours, `(a·(j − idx) + b·(idx − i)) / (weights' sum)`.
/// (The rounding matters: two equal neighbours can give a hair less than their value, and a
/// value equal to a break then falls in the next class, as in mapclassify.)
fn score_at_percentile(sorted: &[f64], percent: f64) -> f64 {
    let index = percent / 100.0 * (sorted.len() - 1) as f64;
    let i = index as usize;
    if i as f64 == index || i + 1 >= sorted.len() {
        return sorted[i.min(sorted.len() - 1)];
    }
    let (w0, w1) = ((i + 1) as f64 - index, index - i as f64);
    (sorted[i] * w0 + sorted[i + 1] * w1) / (w0 + w1)
}

/// mapclassify's `EqualInterval`: `np.arange(min + width, max + width, width)`, cut to `k`,
/// the last set to the maximum.
fn equal_interval_breaks(sorted: &[f64], k: usize) -> Result<Vec<f64>, ClassifyError> {
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let width = (max - min) / k as f64;
    if width == 0.0 {
        return Err(ClassifyError::NoRange);
    }
    let mut breaks = numpy_arange(min + width, max + width, width);
    breaks.truncate(k);
    if let Some(last) = breaks.last_mut() {
        *last = max;
    }
    Ok(breaks)
}

/// mapclassify's `_fisher_jenks_means`, with its single-precision arithmetic, so that ties in
/// the optimisation are broken the same way.
fn fisher_jenks_breaks(sorted: &[f64], k: usize) -> Result<Vec<f64>, ClassifyError> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    if distinct.len() < k {
        return Err(ClassifyError::TooFewDistinct {
            distinct: distinct.len(),
            classes: k,
        });
    }
    let n = sorted.len();
    let mut mat1 = vec![vec![0usize; k + 1]; n + 1];
    let mut mat2 = vec![vec![0f32; k + 1]; n + 1];
    for j in 1..=k {
        mat1[1][j] = 1;
        for row in mat2.iter_mut().skip(2) {
            row[j] = f32::INFINITY;
        }
    }
    let mut v = 0f32;
    for l in 2..=n {
        let (mut s1, mut s2, mut w) = (0f32, 0f32, 0f32);
        for m in 1..=l {
            let i3 = l - m + 1;
            let value = sorted[i3 - 1] as f32;
            s2 += value * value;
            s1 += value;
            w += 1.0;
            v = s2 - (s1 * s1) / w;
            let i4 = i3 - 1;
            if i4 != 0 {
                for j in 2..=k {
                    let candidate = v + mat2[i4][j - 1];
                    if mat2[l][j] >= candidate {
                        mat1[l][j] = i3;
                        mat2[l][j] = candidate;
                    }
                }
            }
        }
        mat1[l][1] = 1;
        mat2[l][1] = v;
    }
    let mut classes = vec![0f64; k + 1];
    classes[k] = sorted[n - 1];
    classes[0] = sorted[0];
    let mut row = n;
    for count in (2..=k).rev() {
        let pivot = mat1[row][count];
        // Python's values[pivot - 2], where -1 would mean the last value.
        let index = if pivot >= 2 { pivot - 2 } else { n - 1 };
        classes[count - 1] = sorted[index];
        row = pivot.saturating_sub(1);
    }
    Ok(classes[1..].to_vec())
}

/// mapclassify's `StdMean`: `mean + sd × [-2, -1, 1, 2]` (sample sd), plus the maximum when
/// above the last cut.
fn std_mean_breaks(sorted: &[f64]) -> Result<Vec<f64>, ClassifyError> {
    if sorted.len() < 2 {
        return Err(ClassifyError::TooFewForDeviation);
    }
    let n = sorted.len() as f64;
    let mean = pairwise_sum(sorted) / n;
    let squares: Vec<f64> = sorted.iter().map(|v| (v - mean) * (v - mean)).collect();
    let sd = (pairwise_sum(&squares) / (n - 1.0)).sqrt();
    let mut cuts: Vec<f64> = [-2.0, -1.0, 1.0, 2.0]
        .iter()
        .map(|m| mean + sd * m)
        .collect();
    let max = sorted[sorted.len() - 1];
    if cuts[cuts.len() - 1] < max {
        cuts.push(max);
    }
    Ok(cuts)
}

/// numpy's pairwise summation (blocks of 8 below 128 elements), so that the mean and sd
/// round like `ndarray.mean()` and `ndarray.std()`.
fn pairwise_sum(values: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        values.iter().fold(0.0, |acc, v| acc + v)
    } else if n <= BLOCK {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&values[..8]);
        let mut i = 8;
        while i + 8 <= n {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += values[i + j];
            }
            i += 8;
        }
        let mut sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &values[i..] {
            sum += v;
        }
        sum
    } else {
        let half = (n / 2) / 8 * 8;
        pairwise_sum(&values[..half]) + pairwise_sum(&values[half..])
    }
}

/// mapclassify's `BoxPlot`: [lower fence, Q1, median, Q3, upper fence], the upper fence
/// replaced by (or followed by) the maximum.
/// The widest box-map fence, in inter-quartile ranges: 1.5 and 3.0 are usual, and beyond a
/// hundred the outer classes are empty on any data.
pub const MAX_HINGE: f64 = 100.0;

fn box_breaks(sorted: &[f64], hinge: f64) -> Result<Vec<f64>, ClassifyError> {
    if !(hinge > 0.0 && hinge <= MAX_HINGE) {
        return Err(ClassifyError::BadHinge(hinge));
    }
    let mut bins: Vec<f64> = [25.0, 50.0, 75.0, 100.0]
        .iter()
        .map(|&p| score_at_percentile(sorted, p))
        .collect();
    let iqr = bins[2] - bins[0];
    let pivot = hinge * iqr;
    let left_fence = bins[0] - pivot;
    let right_fence = bins[2] + pivot;
    if right_fence < bins[3] {
        bins.insert(3, right_fence);
    } else {
        bins[3] = right_fence;
    }
    bins.insert(0, left_fence);
    Ok(bins)
}

/// mapclassify's `UserDefined`: the user's bounds, plus the maximum when above them.
fn manual_breaks(sorted: &[f64], breaks: &[f64]) -> Result<Vec<f64>, ClassifyError> {
    if breaks.is_empty()
        || breaks.iter().any(|b| !b.is_finite())
        || breaks.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(ClassifyError::BadBreaks(breaks.to_vec()));
    }
    let mut bins = breaks.to_vec();
    let max = sorted[sorted.len() - 1];
    if bins[bins.len() - 1] < max {
        bins.push(max);
    }
    Ok(bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_0_to_999_round_like_mapclassify() {
        let values: Vec<f64> = (0..1000).map(f64::from).collect();
        let q = Classification::new(&values, Method::Quantile, 4).unwrap();
        assert_eq!(q.breaks, vec![249.75, 499.5, 749.25, 999.0]);
        // The docstring prints these rounded; mapclassify 2.10 computes them to the last bit
        // like this (scoreatpercentile's interpolation of 33.333…%), and so must we.
        let q = Classification::new(&values, Method::Quantile, 3).unwrap();
        assert_eq!(q.breaks, vec![333.00000000000006, 666.0000000000001, 999.0]);
        assert_eq!(q.counts, vec![334, 333, 333]);
    }

    #[test]
    fn upper_bounds_are_inclusive_and_ties_collapse() {
        let values = [1.0, 1.0, 1.0, 1.0, 2.0, 3.0];
        let q = Classification::new(&values, Method::Quantile, 4).unwrap();
        assert_eq!(q.breaks, vec![1.0, 1.75, 3.0]);
        // 2.0 is above 1.75, so it joins 3.0 in the last class (as in mapclassify 2.10).
        assert_eq!(q.counts, vec![4, 0, 2]);
        assert_eq!(q.class_of(1.0), Some(0));
        assert_eq!(q.class_of(1.75), Some(1));
        assert_eq!(q.class_of(2.0), Some(2));
        assert_eq!(q.class_of(3.5), None);
    }

    #[test]
    fn fisher_jenks_finds_obvious_groups() {
        let values = [1.0, 2.0, 3.0, 20.0, 21.0, 22.0, 100.0, 101.0];
        let j = Classification::new(&values, Method::FisherJenks, 3).unwrap();
        assert_eq!(j.breaks, vec![3.0, 22.0, 101.0]);
        assert_eq!(j.counts, vec![3, 3, 2]);
        assert!(matches!(
            Classification::new(&[1.0, 1.0, 2.0], Method::FisherJenks, 3),
            Err(ClassifyError::TooFewDistinct {
                distinct: 2,
                classes: 3
            })
        ));
    }

    #[test]
    fn box_map_puts_outliers_in_their_own_classes() {
        let mut values: Vec<f64> = (1..=20).map(f64::from).collect();
        values.push(1000.0);
        let b = Classification::new(&values, Method::BoxPlot { hinge: 1.5 }, 0).unwrap();
        assert_eq!(b.len(), 6, "an upper-outlier class above the fence");
        assert_eq!(b.counts[5], 1);
        assert!(Classification::new(&values, Method::BoxPlot { hinge: -1.0 }, 0).is_err());
    }

    #[test]
    fn manual_breaks_gain_the_maximum_and_must_increase() {
        let m = Classification::new(
            &[1.0, 5.0, 50.0],
            Method::Manual {
                breaks: vec![2.0, 10.0],
            },
            0,
        )
        .unwrap();
        assert_eq!(m.breaks, vec![2.0, 10.0, 50.0]);
        assert_eq!(m.counts, vec![1, 1, 1]);
        assert_eq!(m.class_range(0), ClassRange::AtMost(2.0));
        assert_eq!(m.class_range(1), ClassRange::Between(2.0, 10.0));
        assert_eq!(
            m.class_range(2),
            ClassRange::Above(10.0),
            "added for the maximum"
        );
        let covering = Classification::new(
            &[1.0, 5.0],
            Method::Manual {
                breaks: vec![2.0, 10.0],
            },
            0,
        )
        .unwrap();
        assert_eq!(covering.class_range(1), ClassRange::Between(2.0, 10.0));
        assert!(
            Classification::new(
                &[1.0],
                Method::Manual {
                    breaks: vec![5.0, 2.0]
                },
                0
            )
            .is_err()
        );
    }

    #[test]
    fn pairwise_summation_matches_naive_sums_on_exact_values() {
        let values: Vec<f64> = (1..=300).map(f64::from).collect();
        assert_eq!(pairwise_sum(&values), 45150.0);
        assert_eq!(pairwise_sum(&values[..5]), 15.0);
    }

    #[test]
    fn nothing_to_classify_is_an_error() {
        assert_eq!(
            Classification::new(&[], Method::Quantile, 5),
            Err(ClassifyError::NoValues)
        );
        for k in [0, 1, 13, usize::MAX] {
            assert_eq!(
                Classification::new(&[1.0, 2.0], Method::Quantile, k),
                Err(ClassifyError::ClassCount(k))
            );
        }
        assert_eq!(
            Classification::new(
                &[1.0],
                Method::Manual {
                    breaks: (1..=13).map(f64::from).collect()
                },
                5
            ),
            Err(ClassifyError::TooManyBreaks(13))
        );
        assert_eq!(
            Classification::new(&[1.0], Method::Quantile, 0),
            Err(ClassifyError::ClassCount(0))
        );
        assert!(matches!(
            Method::parse("natural", 1.5, None),
            Err(ClassifyError::UnknownMethod(_))
        ));
        assert_eq!(
            Method::parse("manual", 1.5, None),
            Err(ClassifyError::ManualWithoutBreaks)
        );
    }
}
