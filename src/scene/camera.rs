//! The 2D camera over the projected (Albers) plane: where the view is centred and how many
//! metres one pixel covers. Screen coordinates are pixels with y down; world coordinates are
//! Albers metres with y up.

use serde::{Deserialize, Serialize};

/// An axis-aligned rectangle in world (projected) metres.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldRect {
    /// Minimum x and y.
    pub min: [f64; 2],
    /// Maximum x and y.
    pub max: [f64; 2],
}

impl WorldRect {
    /// The empty rectangle (extends to anything).
    pub const EMPTY: WorldRect = WorldRect {
        min: [f64::INFINITY; 2],
        max: [f64::NEG_INFINITY; 2],
    };

    /// Grows the rectangle to hold `p`.
    pub fn extend(&mut self, p: [f64; 2]) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
    }

    /// The centre.
    pub fn centre(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    /// Width and height.
    pub fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }
}

/// The view onto the projected plane.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    /// World point at the centre of the viewport, metres.
    pub centre: [f64; 2],
    /// Metres per physical pixel.
    pub metres_per_pixel: f64,
}

impl Camera {
    /// Closest zoom: 0.5 m per pixel.
    pub const MIN_METRES_PER_PIXEL: f64 = 0.5;
    /// Farthest zoom: 20 km per pixel.
    pub const MAX_METRES_PER_PIXEL: f64 = 20_000.0;

    /// A camera showing all of `bounds` in a viewport of `size` pixels, with `margin` pixels
    /// kept free on every side.
    pub fn fit(bounds: WorldRect, size: [f64; 2], margin: f64) -> Self {
        let [w, h] = bounds.size();
        let usable = [
            (size[0] - 2.0 * margin).max(1.0),
            (size[1] - 2.0 * margin).max(1.0),
        ];
        let metres_per_pixel = (w / usable[0]).max(h / usable[1]).max(f64::MIN_POSITIVE);
        Camera {
            centre: bounds.centre(),
            metres_per_pixel,
        }
        .clamped()
    }

    /// World → screen pixels, for a viewport of `size` pixels.
    pub fn world_to_screen(&self, p: [f64; 2], size: [f64; 2]) -> [f64; 2] {
        [
            (p[0] - self.centre[0]) / self.metres_per_pixel + size[0] / 2.0,
            (self.centre[1] - p[1]) / self.metres_per_pixel + size[1] / 2.0,
        ]
    }

    /// Screen pixels → world, for a viewport of `size` pixels.
    pub fn screen_to_world(&self, s: [f64; 2], size: [f64; 2]) -> [f64; 2] {
        [
            self.centre[0] + (s[0] - size[0] / 2.0) * self.metres_per_pixel,
            self.centre[1] - (s[1] - size[1] / 2.0) * self.metres_per_pixel,
        ]
    }

    /// Moves the view by a drag of `delta` pixels (the map follows the pointer).
    pub fn pan(&mut self, delta: [f64; 2]) {
        self.centre[0] -= delta[0] * self.metres_per_pixel;
        self.centre[1] += delta[1] * self.metres_per_pixel;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the world point under `anchor` in place.
    pub fn zoom_at(&mut self, factor: f64, anchor: [f64; 2], size: [f64; 2]) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let before = self.screen_to_world(anchor, size);
        self.metres_per_pixel = (self.metres_per_pixel / factor)
            .clamp(Self::MIN_METRES_PER_PIXEL, Self::MAX_METRES_PER_PIXEL);
        let after = self.screen_to_world(anchor, size);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }

    /// The world rectangle visible in a viewport of `size` pixels.
    pub fn visible(&self, size: [f64; 2]) -> WorldRect {
        let half = [
            size[0] / 2.0 * self.metres_per_pixel,
            size[1] / 2.0 * self.metres_per_pixel,
        ];
        WorldRect {
            min: [self.centre[0] - half[0], self.centre[1] - half[1]],
            max: [self.centre[0] + half[0], self.centre[1] + half[1]],
        }
    }

    fn clamped(mut self) -> Self {
        self.metres_per_pixel = self
            .metres_per_pixel
            .clamp(Self::MIN_METRES_PER_PIXEL, Self::MAX_METRES_PER_PIXEL);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_world_round_trip() {
        let camera = Camera {
            centre: [1000.0, 2000.0],
            metres_per_pixel: 50.0,
        };
        let size = [800.0, 600.0];
        assert_eq!(
            camera.world_to_screen([1000.0, 2000.0], size),
            [400.0, 300.0]
        );
        let p = camera.screen_to_world([10.0, 20.0], size);
        let back = camera.world_to_screen(p, size);
        assert!((back[0] - 10.0).abs() < 1e-9 && (back[1] - 20.0).abs() < 1e-9);
        // North is up: a larger y in the world is higher on screen.
        assert!(camera.world_to_screen([1000.0, 3000.0], size)[1] < 300.0);
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed() {
        let mut camera = Camera {
            centre: [0.0, 0.0],
            metres_per_pixel: 100.0,
        };
        let size = [800.0, 600.0];
        let anchor = [100.0, 500.0];
        let before = camera.screen_to_world(anchor, size);
        camera.zoom_at(2.0, anchor, size);
        assert_eq!(camera.metres_per_pixel, 50.0);
        let after = camera.screen_to_world(anchor, size);
        assert!((before[0] - after[0]).abs() < 1e-6 && (before[1] - after[1]).abs() < 1e-6);
    }

    #[test]
    fn fit_shows_the_whole_rectangle() {
        let bounds = WorldRect {
            min: [-500_000.0, -400_000.0],
            max: [500_000.0, 400_000.0],
        };
        let camera = Camera::fit(bounds, [1000.0, 1000.0], 50.0);
        let visible = camera.visible([1000.0, 1000.0]);
        assert!(visible.min[0] <= bounds.min[0] && visible.max[1] >= bounds.max[1]);
        assert!((camera.metres_per_pixel - 1_000_000.0 / 900.0).abs() < 1e-6);
    }
}
