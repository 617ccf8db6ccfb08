//! Map furniture: the scale bar and the north arrow.

use crate::crs::Albers;

/// A scale bar: its length in kilometres and in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScaleBar {
    /// Ground length, km (a 1, 2 or 5 times a power of ten).
    pub km: f64,
    /// Drawn length, pixels.
    pub pixels: f64,
}

impl ScaleBar {
    /// Its length as written beside it: "100 km", "500 m".
    pub fn label(&self) -> String {
        if self.km >= 1.0 {
            format!("{} km", crate::format::number(self.km, 0))
        } else {
            format!("{} m", crate::format::number(self.km * 1000.0, 0))
        }
    }
}

/// The north arrow, in units of its size (about 26 units tall), y down, centred on its base's
/// middle and turned to true north: a dark half, a light half, and where the letter's centre
/// goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NorthArrow {
    /// The dark half: tip, notch, left base.
    pub dark: [[f32; 2]; 3],
    /// The light half: tip, right base, notch.
    pub light: [[f32; 2]; 3],
    /// The centre of the letter "北"/"N", beyond the tip.
    pub letter: [f32; 2],
}

/// The north arrow turned by `angle` (radians clockwise, from [`north_angle`]).
pub fn north_arrow(angle: f64) -> NorthArrow {
    let (sin, cos) = (angle as f32).sin_cos();
    let turn = |[x, y]: [f32; 2]| [x * cos - y * sin, x * sin + y * cos];
    let (tip, left, right, notch) = (
        turn([0.0, -13.0]),
        turn([-6.0, 8.0]),
        turn([6.0, 8.0]),
        turn([0.0, 4.0]),
    );
    NorthArrow {
        dark: [tip, notch, left],
        light: [tip, right, notch],
        letter: turn([0.0, -20.0]),
    }
}

/// The longest round scale bar not longer than `max_pixels`.
pub fn scale_bar(metres_per_pixel: f64, max_pixels: f64) -> ScaleBar {
    let max_km = max_pixels * metres_per_pixel / 1000.0;
    let power = 10f64.powf(max_km.log10().floor());
    let km = [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * power)
        .find(|&km| km <= max_km)
        .unwrap_or(power);
    ScaleBar {
        km,
        pixels: km * 1000.0 / metres_per_pixel,
    }
}

/// The direction of true north at a world point, as an angle in radians clockwise from
/// screen-up (on a conic projection, meridians converge: north leans away from the central
/// meridian).
pub fn north_angle(projection: &Albers, world: [f64; 2]) -> f64 {
    let [lon, lat] = projection.inverse(world);
    let north = projection.forward([lon, (lat + 0.01).min(89.99)]);
    (north[0] - world[0]).atan2(north[1] - world[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bars_are_round() {
        let bar = scale_bar(1000.0, 150.0);
        assert_eq!(bar.km, 100.0);
        assert!((bar.pixels - 100.0).abs() < 1e-9);
        assert_eq!(scale_bar(10.0, 120.0).km, 1.0);
        assert_eq!(scale_bar(10.0, 99.0).km, 0.5);
    }

    #[test]
    fn scale_bars_say_their_length_and_the_arrow_turns() {
        assert_eq!(scale_bar(1000.0, 150.0).label(), "100 km");
        assert_eq!(scale_bar(10.0, 99.0).label(), "500 m");
        let upright = north_arrow(0.0);
        assert_eq!(upright.dark[0], [0.0, -13.0]);
        let turned = north_arrow(std::f64::consts::FRAC_PI_2);
        assert!(
            (turned.dark[0][0] - 13.0).abs() < 1e-4,
            "a quarter turn points right"
        );
    }

    #[test]
    fn north_leans_away_from_the_central_meridian() {
        let albers = Albers::sichuan();
        let centre = albers.forward([103.0, 30.0]);
        assert!(north_angle(&albers, centre).abs() < 1e-6);
        assert!(
            north_angle(&albers, albers.forward([98.0, 31.0])) > 0.02,
            "west of 103°E north leans right"
        );
        assert!(north_angle(&albers, albers.forward([108.0, 31.0])) < -0.02);
    }
}
