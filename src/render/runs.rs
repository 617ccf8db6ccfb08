//! Runs of consecutive primitives (line segments, triangles) with the scene rectangle that
//! holds each run, so that a frame sends the device only the runs it can see. A primitive
//! the device clips away still costs its vertices; that adds up where nearly everything lies
//! outside the view: a close-up in the window (the finest level holds 280k triangles), or
//! one tile of a page larger than the device's textures.

use std::ops::Range;

/// Primitives per run. Triangulations come in curve order and borders in chain order, so a
/// run covers a small patch of map. Short runs let a strip of a page (or a close-up in the
/// window) send little it does not show: against runs of 256, a batch of 45 A4 PNGs drawn in
/// strips took 20% longer.
const RUN: usize = 16;

/// Runs per group. A view that holds a group's rectangle takes the group whole and one that
/// misses it skips it, so that a frame of the whole province tests a group, not 16 runs.
const GROUP: usize = 16;

/// A run of consecutive primitives (or a group of runs) and the scene rectangle holding
/// them.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    items: Range<u32>,
    min: [f32; 2],
    max: [f32; 2],
}

impl Run {
    fn empty(start: u32) -> Self {
        Run {
            items: start..start,
            min: [f32::INFINITY; 2],
            max: [f32::NEG_INFINITY; 2],
        }
    }

    fn include(&mut self, min: [f32; 2], max: [f32; 2]) {
        self.min = [self.min[0].min(min[0]), self.min[1].min(min[1])];
        self.max = [self.max[0].max(max[0]), self.max[1].max(max[1])];
    }

    fn meets(&self, min: [f32; 2], max: [f32; 2]) -> bool {
        self.min[0] <= max[0]
            && self.max[0] >= min[0]
            && self.min[1] <= max[1]
            && self.max[1] >= min[1]
    }

    fn inside(&self, min: [f32; 2], max: [f32; 2]) -> bool {
        self.min[0] >= min[0]
            && self.max[0] <= max[0]
            && self.min[1] >= min[1]
            && self.max[1] <= max[1]
    }
}

/// The runs of one buffer of primitives, and their groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Runs {
    runs: Vec<Run>,
    /// Group `g` holds runs `g * GROUP ..`.
    groups: Vec<Run>,
}

impl Runs {
    /// Runs over `items`, each given by the points it spans (a segment's two ends, a
    /// triangle's three corners).
    pub fn new<const N: usize>(items: impl IntoIterator<Item = [[f32; 2]; N]>) -> Self {
        let mut runs: Vec<Run> = Vec::new();
        for (i, points) in items.into_iter().enumerate() {
            let i = i as u32;
            if (i as usize).is_multiple_of(RUN) {
                runs.push(Run::empty(i));
            }
            let Some(run) = runs.last_mut() else { continue };
            run.items.end = i + 1;
            for p in points {
                run.include(p, p);
            }
        }
        let groups = runs
            .chunks(GROUP)
            .map(|chunk| {
                let mut group = Run::empty(chunk[0].items.start);
                for run in chunk {
                    group.items.end = run.items.end;
                    group.include(run.min, run.max);
                }
                group
            })
            .collect();
        Runs { runs, groups }
    }

    /// The ranges of items whose runs meet the scene rectangle `min`–`max`, adjacent runs
    /// merged into one draw.
    pub fn visible(&self, min: [f32; 2], max: [f32; 2]) -> Vec<Range<u32>> {
        let mut ranges: Vec<Range<u32>> = Vec::new();
        let mut push = |items: &Range<u32>| match ranges.last_mut() {
            Some(last) if last.end == items.start => last.end = items.end,
            _ => ranges.push(items.clone()),
        };
        for (g, group) in self.groups.iter().enumerate() {
            if !group.meets(min, max) {
                continue;
            }
            if group.inside(min, max) {
                push(&group.items);
                continue;
            }
            let runs = &self.runs[g * GROUP..((g + 1) * GROUP).min(self.runs.len())];
            for run in runs.iter().filter(|run| run.meets(min, max)) {
                push(&run.items);
            }
        }
        ranges
    }
}

/// The parts of `ranges` (ascending, not overlapping) that lie in `visible` (ascending, not
/// overlapping, as [`Runs::visible`] gives them), in order.
pub(super) fn intersect(
    ranges: impl IntoIterator<Item = Range<u32>>,
    visible: &[Range<u32>],
) -> Vec<Range<u32>> {
    let mut parts = Vec::new();
    let mut next = 0;
    for range in ranges {
        // Visible ranges wholly before this one are before every later one too.
        while visible.get(next).is_some_and(|v| v.end <= range.start) {
            next += 1;
        }
        for v in visible[next..].iter().take_while(|v| v.start < range.end) {
            let part = range.start.max(v.start)..range.end.min(v.end);
            if !part.is_empty() {
                parts.push(part);
            }
        }
    }
    parts
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
        // Three runs along the x axis: [0, RUN], [RUN, 2 RUN], [2 RUN, 3 RUN].
        let runs = Runs::new((0..3 * RUN).map(|i| segment(i as f32)));
        let run = RUN as u32;
        let at = |f: f32| f * RUN as f32;
        assert_eq!(runs.runs.len(), 3);
        assert_eq!(runs.visible([-10.0, -1.0], [10.0, 1.0]), vec![0..run]);
        assert_eq!(
            runs.visible([at(1.2), -1.0], [at(2.7), 1.0]),
            vec![run..3 * run]
        );
        assert!(runs.visible([0.0, 5.0], [at(3.5), 6.0]).is_empty());
        assert_eq!(
            runs.visible([-1e9, -1e9], [1e9, 1e9]),
            vec![0..3 * RUN as u32],
            "everything in view is one draw"
        );
    }

    #[test]
    fn a_short_last_run_keeps_its_length() {
        let runs = Runs::new((0..RUN + 3).map(|i| segment(i as f32)));
        assert_eq!(runs.runs[1].items, RUN as u32..RUN as u32 + 3);
    }

    #[test]
    fn a_run_spans_every_corner_of_its_triangles() {
        let runs = Runs::new([[[0.0, 0.0], [4.0, 1.0], [2.0, -3.0]]]);
        assert_eq!(runs.runs[0].min, [0.0, -3.0]);
        assert_eq!(runs.runs[0].max, [4.0, 1.0]);
        assert!(runs.visible([3.0, -2.0], [3.5, -1.0]).len() == 1);
    }

    #[test]
    fn no_items_make_no_runs() {
        let runs = Runs::new(std::iter::empty::<[[f32; 2]; 3]>());
        assert!(runs.visible([-1e9, -1e9], [1e9, 1e9]).is_empty());
    }

    #[test]
    fn groups_are_taken_whole_skipped_or_opened() {
        // Two groups of runs along the x axis.
        let items = 2 * GROUP * RUN;
        let runs = Runs::new((0..items).map(|i| segment(i as f32)));
        assert_eq!(runs.groups.len(), 2);
        let group = (GROUP * RUN) as f32;
        assert_eq!(
            runs.visible([-1.0, -1.0], [2.0 * group + 1.0, 1.0]),
            vec![0..items as u32]
        );
        // Inside the first group, one run; the second group missed.
        let first_run_of_third = (2 * RUN) as f32 + 0.5;
        assert_eq!(
            runs.visible([first_run_of_third, -1.0], [first_run_of_third + 1.0, 1.0]),
            vec![2 * RUN as u32..3 * RUN as u32]
        );
        // Across the groups' edge: the last run of one and the first of the next, merged.
        assert_eq!(
            runs.visible([group - 2.0, -1.0], [group + 2.0, 1.0]),
            vec![(GROUP * RUN - RUN) as u32..(GROUP * RUN + RUN) as u32]
        );
    }

    #[test]
    fn ranges_are_cut_to_what_is_visible() {
        let visible = [2..5, 8..9, 12..20];
        assert_eq!(
            intersect([0..1, 1..3, 4..10, 10..11, 19..30], &visible),
            vec![2..3, 4..5, 8..9, 19..20]
        );
        assert!(intersect([0..2, 5..8], &visible).is_empty());
        assert!(intersect(std::iter::once(0..100), &[]).is_empty());
        assert_eq!(
            intersect(std::iter::once(0..100), &visible),
            visible.to_vec()
        );
    }
}
