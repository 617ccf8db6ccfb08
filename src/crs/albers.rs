//! The Albers equal-area conic projection on the WGS84 ellipsoid (Snyder 1987, §14).
//!
//! A choropleth must not distort area, so the atlas draws, exports and measures in this
//! projection. [`Albers::sichuan`] fits it to Sichuan (26°–34.5°N): standard parallels at
//! 27.5°N and 33°N keep the scale error under ±0.4% over the whole province.

use super::LonLat;

/// WGS84 semi-major axis in metres.
const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// Parameters of an Albers equal-area conic projection, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlbersParams {
    /// Latitude of origin.
    pub lat_0: f64,
    /// Central meridian.
    pub lon_0: f64,
    /// First standard parallel.
    pub lat_1: f64,
    /// Second standard parallel.
    pub lat_2: f64,
}

/// A ready-to-use Albers projection: constants precomputed, forward and inverse.
#[derive(Clone, Copy, Debug)]
pub struct Albers {
    params: AlbersParams,
    e: f64,
    e2: f64,
    n: f64,
    c: f64,
    rho_0: f64,
    lon_0_rad: f64,
}

impl Albers {
    /// The projection the atlas uses for Sichuan.
    pub const SICHUAN: AlbersParams = AlbersParams {
        lat_0: 30.0,
        lon_0: 103.0,
        lat_1: 27.5,
        lat_2: 33.0,
    };

    /// The projection fitted to Sichuan (see [`Albers::SICHUAN`]).
    pub fn sichuan() -> Self {
        Self::new(Self::SICHUAN)
    }

    /// Precomputes the constants of an Albers projection on WGS84.
    pub fn new(params: AlbersParams) -> Self {
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let e = e2.sqrt();
        let m = |phi: f64| phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let (phi_1, phi_2) = (params.lat_1.to_radians(), params.lat_2.to_radians());
        let (q_1, q_2) = (q(phi_1, e, e2), q(phi_2, e, e2));
        let (m_1, m_2) = (m(phi_1), m(phi_2));
        let n = if (params.lat_1 - params.lat_2).abs() < 1e-12 {
            phi_1.sin()
        } else {
            (m_1 * m_1 - m_2 * m_2) / (q_2 - q_1)
        };
        let c = m_1 * m_1 + n * q_1;
        let rho_0 = WGS84_A * (c - n * q(params.lat_0.to_radians(), e, e2)).sqrt() / n;
        Self {
            params,
            e,
            e2,
            n,
            c,
            rho_0,
            lon_0_rad: params.lon_0.to_radians(),
        }
    }

    /// The parameters this projection was built from.
    pub fn params(&self) -> AlbersParams {
        self.params
    }

    /// The PROJ string of this projection, for other tools (QGIS, pyproj, GDAL).
    pub fn proj_string(&self) -> String {
        let p = self.params;
        format!(
            "+proj=aea +lat_0={} +lon_0={} +lat_1={} +lat_2={} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
            p.lat_0, p.lon_0, p.lat_1, p.lat_2
        )
    }

    /// Projects WGS84 lon/lat (degrees) to metres.
    #[inline]
    pub fn forward(&self, p: LonLat) -> [f64; 2] {
        let phi = p[1].to_radians();
        let rho = WGS84_A * (self.c - self.n * q(phi, self.e, self.e2)).sqrt() / self.n;
        let theta = self.n * (p[0].to_radians() - self.lon_0_rad);
        let (sin_t, cos_t) = theta.sin_cos();
        [rho * sin_t, self.rho_0 - rho * cos_t]
    }

    /// Unprojects metres to WGS84 lon/lat (degrees); latitude by Newton iteration (Snyder 14-19).
    pub fn inverse(&self, xy: [f64; 2]) -> LonLat {
        let [x, y] = xy;
        let dy = self.rho_0 - y;
        let rho = x.hypot(dy);
        let theta = if self.n >= 0.0 {
            x.atan2(dy)
        } else {
            (-x).atan2(-dy)
        };
        let q_target = (self.c - (rho * self.n / WGS84_A).powi(2)) / self.n;
        let (e, e2) = (self.e, self.e2);
        let mut phi = (q_target / 2.0).clamp(-1.0, 1.0).asin();
        for _ in 0..15 {
            let s = phi.sin();
            let one_minus = 1.0 - e2 * s * s;
            let step = one_minus * one_minus / (2.0 * phi.cos())
                * (q_target / (1.0 - e2) - s / one_minus
                    + 1.0 / (2.0 * e) * ((1.0 - e * s) / (1.0 + e * s)).ln());
            phi += step;
            if step.abs() < 1e-14 {
                break;
            }
        }
        [
            (self.lon_0_rad + theta / self.n).to_degrees(),
            phi.to_degrees(),
        ]
    }
}

/// Snyder's q(φ): the authalic function of latitude (eq. 3-12).
#[inline]
fn q(phi: f64, e: f64, e2: f64) -> f64 {
    let s = phi.sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) - 1.0 / (2.0 * e) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_maps_to_zero() {
        let a = Albers::sichuan();
        let xy = a.forward([103.0, 30.0]);
        assert!(xy[0].abs() < 1e-6 && xy[1].abs() < 1e-6, "{xy:?}");
    }

    #[test]
    fn inverse_undoes_forward_across_sichuan() {
        let a = Albers::sichuan();
        for lon in [97.3, 100.0, 103.0, 105.5, 108.6] {
            for lat in [26.0, 28.5, 30.0, 32.3, 34.4] {
                let back = a.inverse(a.forward([lon, lat]));
                assert!(
                    (back[0] - lon).abs() < 1e-10 && (back[1] - lat).abs() < 1e-10,
                    "{back:?}"
                );
            }
        }
    }

    #[test]
    fn proj_string_names_the_parameters() {
        let s = Albers::sichuan().proj_string();
        assert!(
            s.contains("+lat_1=27.5") && s.contains("+lon_0=103") && s.contains("+ellps=WGS84")
        );
    }
}
