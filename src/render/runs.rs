//! Runs of consecutive primitives (line segments, triangles) with the scene rectangle that
//! holds each run, so that a frame sends the device only the runs it can see. A primitive
//! the device clips away still costs its vertices; that adds up where nearly everything lies
//! outside the view: a close-up in the window (the finest level holds 280k triangles), or
//! one tile of a page larger than the device's textures.

use std::ops::Range;

/// Primitives per run. Triangulations and borders come in shape order, so a run covers a
/// small stretch of map.
const RUN: usize = 256;

/// A run of consecutive primitives and the scene rectangle holding them.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    items: Range<u32>,
    min: [f32; 2],
    max: [f32; 2],
}

/// The runs of one buffer of primitives.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Runs(Vec<Run>);

impl Runs {
    /// Runs over `items`, each given by the points it spans (a segment's two ends, a
    /// triangle's three corners).
    pub fn new<const N: usize>(items: impl IntoIterator<Item = [[f32; 2]; N]>) -> Self {
        let mut runs: Vec<Run> = Vec::new();
        for (i, points) in items.into_iter().enumerate() {
            let i = i as u32;
            if (i as usize).is_multiple_of(RUN) {
                runs.push(Run {
                    items: i..i,
                    min: [f32::INFINITY; 2],
                    max: [f32::NEG_INFINITY; 2],
                });
            }
            let Some(run) = runs.last_mut() else { continue };
            run.items.end = i + 1;
            for p in points {
                run.min = [run.min[0].min(p[0]), run.min[1].min(p[1])];
                run.max = [run.max[0].max(p[0]), run.max[1].max(p[1])];
            }
        }
        Runs(runs)
    }

    /// The ranges of items whose runs meet the scene rectangle `min`–`max`, adjacent runs
    /// merged into one draw.
    pub fn visible(&self, min: [f32; 2], max: [f32; 2]) -> Vec<Range<u32>> {
        let mut ranges: Vec<Range<u32>> = Vec::new();
        for run in &self.0 {
            let meets = run.min[0] <= max[0]
                && run.max[0] >= min[0]
                && run.min[1] <= max[1]
                && run.max[1] >= min[1];
            if !meets {
                continue;
            }
            match ranges.last_mut() {
                Some(last) if last.end == run.items.start => last.end = run.items.end,
                _ => ranges.push(run.items.clone()),
            }
        }
        ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit segment starting at `x` on the x axis.
    fn segment(x: f32) -> [[f32; 2]; 2] {
        [[x, 0.0], [x + 1.0, 0.0]]
    }

    #[test]
    fn runs_out_of_view_are_skipped_and_neighbours_merged() {
        // Three runs along the x axis: [0, 256], [256, 512], [512, 768].
        let runs = Runs::new((0..3 * RUN).map(|i| segment(i as f32)));
        assert_eq!(runs.0.len(), 3);
        assert_eq!(runs.visible([-10.0, -1.0], [10.0, 1.0]), vec![0..256]);
        assert_eq!(runs.visible([300.0, -1.0], [700.0, 1.0]), vec![256..768]);
        assert!(runs.visible([0.0, 5.0], [800.0, 6.0]).is_empty());
        assert_eq!(
            runs.visible([-1e9, -1e9], [1e9, 1e9]),
            vec![0..3 * RUN as u32],
            "everything in view is one draw"
        );
    }

    #[test]
    fn a_short_last_run_keeps_its_length() {
        let runs = Runs::new((0..RUN + 3).map(|i| segment(i as f32)));
        assert_eq!(runs.0[1].items, RUN as u32..RUN as u32 + 3);
    }

    #[test]
    fn a_run_spans_every_corner_of_its_triangles() {
        let runs = Runs::new([[[0.0, 0.0], [4.0, 1.0], [2.0, -3.0]]]);
        assert_eq!(runs.0[0].min, [0.0, -3.0]);
        assert_eq!(runs.0[0].max, [4.0, 1.0]);
        assert!(runs.visible([3.0, -2.0], [3.5, -1.0]).len() == 1);
    }

    #[test]
    fn no_items_make_no_runs() {
        let runs = Runs::new(std::iter::empty::<[[f32; 2]; 3]>());
        assert!(runs.visible([-1e9, -1e9], [1e9, 1e9]).is_empty());
    }
}
