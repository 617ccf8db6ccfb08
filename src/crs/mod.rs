//! Coordinate reference systems the atlas meets.
//!
//! The atlas stores every geometry in WGS84 longitude/latitude. Chinese web maps publish
//! coordinates in two offset systems, GCJ-02 (Amap, Tencent, Google China) and BD-09 (Baidu),
//! so imports and point queries accept those and convert to WGS84 first. Display, export and
//! areas use an Albers equal-area conic fitted to Sichuan ([`Albers::SICHUAN`]).

mod albers;
mod bd09;
mod gcj02;

pub use albers::Albers;
pub use bd09::{bd09_to_gcj02, gcj02_to_bd09};
pub use gcj02::{gcj02_to_wgs84, is_outside_china, wgs84_to_gcj02};

use serde::{Deserialize, Serialize};

/// A longitude/latitude pair in degrees.
pub type LonLat = [f64; 2];

/// The geographic coordinate systems accepted for input coordinates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// WGS84 (EPSG:4326), what GPS receivers and ordinary GIS data use. The atlas stores this.
    #[default]
    Wgs84,
    /// GCJ-02, the obfuscated system of Amap, Tencent and Google's China maps.
    Gcj02,
    /// BD-09, Baidu's system, a further offset of GCJ-02.
    Bd09,
}

impl Crs {
    /// Every supported system, in the order the command line lists them.
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09];

    /// The short name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }

    /// Converts a coordinate in this system to WGS84.
    ///
    /// ```
    /// use county_atlas::crs::Crs;
    /// // Amap's documentation converts GPS 116.481499,39.990475 to 116.487585,39.991754.
    /// let wgs = Crs::Gcj02.to_wgs84([116.487585177952, 39.991754014757]);
    /// assert!((wgs[0] - 116.481499).abs() < 1e-6 && (wgs[1] - 39.990475).abs() < 1e-6);
    /// ```
    pub fn to_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => gcj02_to_wgs84(p),
            Crs::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(p)),
        }
    }

    /// Converts a WGS84 coordinate into this system.
    pub fn from_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => wgs84_to_gcj02(p),
            Crs::Bd09 => gcj02_to_bd09(wgs84_to_gcj02(p)),
        }
    }
}

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Crs {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "wgs84" | "epsg4326" | "4326" | "gps" => Ok(Crs::Wgs84),
            "gcj02" | "gcj" | "amap" | "mars" => Ok(Crs::Gcj02),
            "bd09" | "bd" | "baidu" => Ok(Crs::Bd09),
            _ => Err(format!(
                "unknown coordinate system {s:?}: use wgs84, gcj02 or bd09"
            )),
        }
    }
}

/// Solves `forward(x) = target` for `x` by fixed-point iteration, starting at `target`.
///
/// The Chinese offsets are small, smooth perturbations of the identity (their Jacobian is
/// within 1e-4 of the identity), so `x ← x − (forward(x) − target)` converges to machine
/// precision in a handful of steps.
fn invert_offset(target: LonLat, forward: impl Fn(LonLat) -> LonLat) -> LonLat {
    /// 1e-11 degrees is about a micrometre; the loop usually stops after 3–5 steps.
    const TOLERANCE_DEG: f64 = 1e-11;
    const MAX_STEPS: usize = 30;
    let mut x = target;
    for _ in 0..MAX_STEPS {
        let y = forward(x);
        let (dx, dy) = (y[0] - target[0], y[1] - target[1]);
        x = [x[0] - dx, x[1] - dy];
        if dx.abs() < TOLERANCE_DEG && dy.abs() < TOLERANCE_DEG {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_aliases() {
        assert_eq!("WGS84".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("gcj-02".parse::<Crs>(), Ok(Crs::Gcj02));
        assert_eq!("BD_09".parse::<Crs>(), Ok(Crs::Bd09));
        assert!(
            "utm"
                .parse::<Crs>()
                .unwrap_err()
                .contains("wgs84, gcj02 or bd09")
        );
    }

    #[test]
    fn every_system_round_trips_through_wgs84() {
        let chengdu = [104.0657, 30.6595];
        for crs in Crs::ALL {
            let back = crs.to_wgs84(crs.from_wgs84(chengdu));
            assert!((back[0] - chengdu[0]).abs() < 1e-9, "{crs}: {back:?}");
            assert!((back[1] - chengdu[1]).abs() < 1e-9, "{crs}: {back:?}");
        }
    }
}
