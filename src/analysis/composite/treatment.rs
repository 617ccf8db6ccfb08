//! JRC's default outlier treatment, as COINr's `Treat()` applies it: an indicator whose
//! absolute skew is at least 2 and whose kurtosis is at least 3.5 is winsorised, up to five
//! points; if that does not bring it within the limits, its original values are taken to
//! logs instead (`log_CT`). Skew and kurtosis are Excel's (e1071 type 2), as COINr computes
//! them.

use serde::Serialize;

/// The thresholds of COINr's `check_SkewKurt`.
const SKEW_LIMIT: f64 = 2.0;
const KURTOSIS_LIMIT: f64 = 3.5;
/// COINr's `winmax`.
const MAX_WINSORISED: usize = 5;
/// `log_CT`'s offset, as a share of the range.
const LOG_OFFSET: f64 = 0.01;

/// What was done to an indicator's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Treatment {
    /// Nothing: within the limits, too few values, or no treatment asked for.
    None,
    /// The most extreme `points` values were set to the next value in.
    Winsorised {
        /// How many values were changed.
        points: usize,
    },
    /// ln(x − min + 0.01 · (max − min)).
    Log,
}

/// Sample skewness (Excel's SKEW); `None` for fewer than three values or no spread.
pub fn skew(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 3 {
        return None;
    }
    let mean = x.iter().sum::<f64>() / n;
    let (mut s2, mut s3) = (0.0, 0.0);
    for v in x {
        let d = v - mean;
        s2 += d * d;
        s3 += d * d * d;
    }
    if s2 == 0.0 {
        return None;
    }
    let g = n.sqrt() * s3 / s2.powf(1.5);
    Some(g * (n * (n - 1.0)).sqrt() / (n - 2.0))
}

/// Sample excess kurtosis (Excel's KURT); `None` for fewer than four values or no spread.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 4 {
        return None;
    }
    let mean = x.iter().sum::<f64>() / n;
    let (mut s2, mut s4) = (0.0, 0.0);
    for v in x {
        let d = v - mean;
        s2 += d * d;
        s4 += d * d * d * d;
    }
    if s2 == 0.0 {
        return None;
    }
    let r = n * s4 / (s2 * s2);
    Some(((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)))
}

/// Whether values are within COINr's limits (|skew| < 2 or kurtosis < 3.5); values whose
/// moments cannot be computed pass.
fn passes(x: &[f64]) -> bool {
    match (skew(x), kurtosis(x)) {
        (Some(s), Some(k)) => s.abs() < SKEW_LIMIT || k < KURTOSIS_LIMIT,
        _ => true,
    }
}

/// Treats `x` in place and says how.
pub fn treat(x: &mut [f64]) -> Treatment {
    if x.len() < 4 || passes(x) {
        return Treatment::None;
    }
    let original = x.to_vec();
    // COINr counts the points of the latest set replaced at each end.
    let (mut top, mut bottom) = (0usize, 0usize);
    while !passes(x) && top + bottom < MAX_WINSORISED {
        let high = skew(x).is_some_and(|s| s >= 0.0);
        let extreme = if high {
            x.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            x.iter().copied().fold(f64::INFINITY, f64::min)
        };
        let others = x.iter().copied().filter(|&v| v != extreme);
        let next = if high {
            others.fold(f64::NEG_INFINITY, f64::max)
        } else {
            others.fold(f64::INFINITY, f64::min)
        };
        if !next.is_finite() {
            break;
        }
        let mut replaced = 0;
        for v in x.iter_mut().filter(|v| **v == extreme) {
            *v = next;
            replaced += 1;
        }
        if high {
            top = replaced;
        } else {
            bottom = replaced;
        }
    }
    if passes(x) {
        return Treatment::Winsorised {
            points: top + bottom,
        };
    }
    let min = original.iter().copied().fold(f64::INFINITY, f64::min);
    let max = original.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let offset = LOG_OFFSET * (max - min);
    for (v, o) in x.iter_mut().zip(&original) {
        *v = (o - min + offset).ln();
    }
    Treatment::Log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coinr_example_is_winsorised_then_passes() {
        // COINr's own example: 1..10 and two outliers, 30 and 100.
        let mut x: Vec<f64> = (1..=10).map(f64::from).chain([30.0, 100.0]).collect();
        assert!(!passes(&x));
        let t = treat(&mut x);
        assert!(matches!(t, Treatment::Winsorised { .. }), "{t:?}");
        assert!(passes(&x));
        assert!(x.iter().all(|&v| v <= 30.0));
    }

    #[test]
    fn normal_values_are_untouched() {
        let mut x = vec![4.0, 5.0, 6.0, 5.5, 4.5];
        assert_eq!(treat(&mut x), Treatment::None);
        assert_eq!(x, vec![4.0, 5.0, 6.0, 5.5, 4.5]);
    }
}
