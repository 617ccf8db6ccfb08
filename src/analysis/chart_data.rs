//! What the distribution and scatter charts show, computed once for the Compare panel's
//! plots and for the chart files: a histogram's bins, the Moran scatter plot (standardised
//! values against their spatial lags, Moran's I as the slope) and a scatter of two county
//! layers with Pearson's r.

use super::autocorrelation::{moran, standardised};
use super::mapped::{MapError, MappedValues, Normalization};
use crate::atlas::{Atlas, Layer, UnitId};
use crate::spatial::{SpatialIndex, SpatialWeights, WeightsKind};

/// The bins of the histograms the Compare panel draws and `compare --chart histogram` writes.
pub const HISTOGRAM_BINS: usize = 20;

/// Equal-width bins over the values' range.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// The first bin's lower edge (the smallest value).
    pub low: f64,
    /// Each bin's width.
    pub width: f64,
    /// The number of values in each bin; the largest value falls in the last.
    pub counts: Vec<usize>,
}

impl Histogram {
    /// `values` in `bins` equal bins; `None` without a value or with `bins` of 0.
    pub fn of(values: &[f64], bins: usize) -> Option<Self> {
        let low = values.iter().copied().reduce(f64::min)?;
        let high = values.iter().copied().reduce(f64::max)?;
        if bins == 0 || !low.is_finite() || !high.is_finite() {
            return None;
        }
        // All values alike: one bin's worth of width, so that the bar has a size.
        let width = if high > low {
            (high - low) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0; bins];
        for &v in values {
            counts[self::bin(low, width, bins, v)] += 1;
        }
        Some(Histogram { low, width, counts })
    }

    /// The bin `value` falls in.
    pub fn bin_of(&self, value: f64) -> usize {
        bin(self.low, self.width, self.counts.len(), value)
    }

    /// The upper edge of the last bin.
    pub fn high(&self) -> f64 {
        self.low + self.width * self.counts.len() as f64
    }
}

fn bin(low: f64, width: f64, bins: usize, value: f64) -> usize {
    (((value - low) / width).max(0.0) as usize).min(bins - 1)
}

/// Points of a scatter plot, one per county, with what the plot states about them.
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    /// The counties, ascending.
    pub units: Vec<UnitId>,
    /// Their (x, y).
    pub points: Vec<[f64; 2]>,
    /// The fitted line's slope and intercept, where one is drawn.
    pub line: Option<(f64, f64)>,
    /// Moran's I and its permutation p (the Moran scatter plot), or Pearson's r (two layers).
    pub statistic: ScatterStatistic,
}

/// What a scatter's points say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScatterStatistic {
    /// Moran's I (the slope of the lag on the value) and its pseudo p-value.
    Moran {
        /// Moran's I.
        i: f64,
        /// Its permutation p.
        p_sim: Option<f64>,
    },
    /// Pearson's correlation, where it is defined.
    Pearson(Option<f64>),
}

/// The Moran scatter plot of `values` of `units` (ascending): each county's standardised
/// value against the mean of its neighbours' under `kind`, the slope Moran's I, with
/// `permutations` seeded by `seed` for its p. `None` where every value is the same.
pub fn moran_scatter(
    index: &SpatialIndex,
    units: &[UnitId],
    values: &[f64],
    kind: WeightsKind,
    permutations: usize,
    seed: u64,
) -> Option<Scatter> {
    let weights = SpatialWeights::build(index, units, kind);
    let result = moran(values, &weights, permutations, seed).ok()?;
    let z = standardised(values)?;
    let lag = weights.lag(&z);
    Some(Scatter {
        units: units.to_vec(),
        points: z.iter().zip(&lag).map(|(&x, &y)| [x, y]).collect(),
        line: Some((result.I, 0.0)),
        statistic: ScatterStatistic::Moran {
            i: result.I,
            p_sim: result.p_sim,
        },
    })
}

/// `y_values` of `units` (ascending) against `x_layer`'s values (its best-covered year, as
/// counted), for the counties with both, with Pearson's r and the least-squares line.
pub fn two_layers(
    atlas: &Atlas,
    units: &[UnitId],
    y_values: &[f64],
    x_layer: &Layer,
) -> Result<Scatter, MapError> {
    let x = MappedValues::new(atlas, x_layer, None, Normalization::None)?;
    let (units, points): (Vec<UnitId>, Vec<[f64; 2]>) = units
        .iter()
        .zip(y_values)
        .filter_map(|(&u, &y)| Some((u, [x.per_unit[u.index()]?, y])))
        .unzip();
    Ok(Scatter {
        line: least_squares(&points),
        statistic: ScatterStatistic::Pearson(pearson(&points)),
        units,
        points,
    })
}

/// Pearson's correlation of (x, y) pairs; `None` for fewer than three or no variation.
pub fn pearson(pairs: &[[f64; 2]]) -> Option<f64> {
    let moments = Moments::of(pairs)?;
    (moments.sxx > 0.0 && moments.syy > 0.0)
        .then(|| moments.sxy / (moments.sxx * moments.syy).sqrt())
}

/// The least-squares line of y on x (slope, intercept); `None` where x does not vary.
pub fn least_squares(pairs: &[[f64; 2]]) -> Option<(f64, f64)> {
    let m = Moments::of(pairs)?;
    (m.sxx > 0.0).then(|| {
        let slope = m.sxy / m.sxx;
        (slope, m.my - slope * m.mx)
    })
}

/// Means and centred sums of squares and products.
struct Moments {
    mx: f64,
    my: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
}

impl Moments {
    fn of(pairs: &[[f64; 2]]) -> Option<Self> {
        if pairs.len() < 3 {
            return None;
        }
        let n = pairs.len() as f64;
        let mx = pairs.iter().map(|p| p[0]).sum::<f64>() / n;
        let my = pairs.iter().map(|p| p[1]).sum::<f64>() / n;
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for p in pairs {
            let (dx, dy) = (p[0] - mx, p[1] - my);
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        Some(Moments {
            mx,
            my,
            sxx,
            syy,
            sxy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bins_hold_every_value_once() {
        let values = [0.0, 1.0, 2.5, 9.99, 10.0];
        let h = Histogram::of(&values, 4).unwrap();
        assert_eq!(h.counts, vec![2, 1, 0, 2]);
        assert_eq!(h.counts.iter().sum::<usize>(), values.len());
        assert_eq!(h.bin_of(10.0), 3, "the largest value falls in the last bin");
        assert_eq!(h.high(), 10.0);
        assert!(Histogram::of(&[], 4).is_none());
        assert_eq!(Histogram::of(&[3.0, 3.0], 5).unwrap().counts[0], 2);
    }

    #[test]
    fn pearson_and_the_line_of_a_straight_line() {
        let pairs: Vec<[f64; 2]> = (0..10).map(|i| [i as f64, 3.0 * i as f64 - 2.0]).collect();
        assert!((pearson(&pairs).unwrap() - 1.0).abs() < 1e-12);
        let (slope, intercept) = least_squares(&pairs).unwrap();
        assert!((slope - 3.0).abs() < 1e-12 && (intercept + 2.0).abs() < 1e-12);
        let flat = [[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]];
        assert_eq!(pearson(&flat), None);
        assert_eq!(least_squares(&flat), None);
    }
}
