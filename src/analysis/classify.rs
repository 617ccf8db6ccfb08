//! Choropleth classification with PySAL mapclassify's semantics: breaks are inclusive upper
//! bounds (a value `v` is in the first class `i` with `v <= breaks[i]`), and tied quantiles
//! collapse so that fewer classes than asked may result.

use serde::{Deserialize, Serialize};

/// A classification method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Equal numbers of units per class (mapclassify `Quantiles`).
    Quantile,
    /// Classes of equal width between the minimum and maximum (mapclassify `EqualInterval`).
    EqualInterval,
}

impl Method {
    /// Every method, in the order the interface lists them.
    pub const ALL: [Method; 2] = [Method::Quantile, Method::EqualInterval];

    /// The name on the command line and in files.
    pub fn id(self) -> &'static str {
        match self {
            Method::Quantile => "quantile",
            Method::EqualInterval => "equal-interval",
        }
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

/// Why values could not be classified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// There are no values (all are missing).
    #[error("no values to classify")]
    NoValues,
    /// The number of classes is zero.
    #[error("the number of classes must be at least 1")]
    NoClasses,
}

impl Classification {
    /// Classifies `values` (finite numbers; missing values must be left out) into `k` classes.
    pub fn new(values: &[f64], method: Method, k: usize) -> Result<Self, ClassifyError> {
        if k == 0 {
            return Err(ClassifyError::NoClasses);
        }
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return Err(ClassifyError::NoValues);
        }
        sorted.sort_by(f64::total_cmp);
        let breaks = match method {
            Method::Quantile => quantile_breaks(&sorted, k),
            Method::EqualInterval => equal_interval_breaks(&sorted, k),
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

    /// The (lower, upper) bounds of class `i`; the lower bound of the first is the minimum.
    pub fn bounds(&self, i: usize) -> (f64, f64) {
        let lower = if i == 0 { self.min } else { self.breaks[i - 1] };
        (lower, self.breaks[i])
    }
}

/// mapclassify's `quantile`: percentiles at `w, 2w, ...` (w = 100/k, generated like
/// `np.arange`), each by scipy's `scoreatpercentile` (linear interpolation), then de-duplicated.
fn quantile_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let w = 100.0 / k as f64;
    let count = ((100.0 + w - w) / w).ceil() as usize;
    let mut percents: Vec<f64> = (0..count).map(|i| w + i as f64 * w).collect();
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

/// scipy.stats.scoreatpercentile with `interpolation_method='fraction'`.
fn score_at_percentile(sorted: &[f64], percent: f64) -> f64 {
    let index = percent / 100.0 * (sorted.len() - 1) as f64;
    let lower = index as usize;
    let fraction = index % 1.0;
    if fraction == 0.0 || lower + 1 >= sorted.len() {
        sorted[lower.min(sorted.len() - 1)]
    } else {
        let (a, b) = (sorted[lower], sorted[lower + 1]);
        a + (b - a) * fraction
    }
}

/// mapclassify's `EqualInterval`: `np.arange(min + width, max + width, width)`, cut to `k`,
/// the last set to the maximum.
fn equal_interval_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let width = (max - min) / k as f64;
    if width == 0.0 {
        return vec![max];
    }
    let (start, stop) = (min + width, max + width);
    let count = (((stop - start) / width).ceil() as usize).min(k);
    let mut breaks: Vec<f64> = (0..count).map(|i| start + i as f64 * width).collect();
    if let Some(last) = breaks.last_mut() {
        *last = max;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_0_to_999_match_the_mapclassify_docstring() {
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
    fn equal_intervals_end_at_the_maximum() {
        let q = Classification::new(&[0.0, 1.0, 2.0, 10.0], Method::EqualInterval, 5).unwrap();
        assert_eq!(q.breaks, vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(q.counts, vec![3, 0, 0, 0, 1]);
        assert_eq!(
            Classification::new(&[5.0, 5.0], Method::EqualInterval, 3)
                .unwrap()
                .breaks,
            vec![5.0]
        );
    }

    #[test]
    fn nothing_to_classify_is_an_error() {
        assert_eq!(
            Classification::new(&[], Method::Quantile, 5),
            Err(ClassifyError::NoValues)
        );
        assert_eq!(
            Classification::new(&[1.0], Method::Quantile, 0),
            Err(ClassifyError::NoClasses)
        );
    }
}
