//! Point location: which unit holds a point, in tens of nanoseconds.
//!
//! A uniform grid over the units' bounding box. Each cell is either *pure* (no boundary
//! passes through it, so the whole cell lies in one unit or in none: one array read answers)
//! or *mixed*. A mixed cell keeps, for each unit whose boundary crosses it, whether the
//! cell's centre lies inside that unit and the runs of boundary edges inside the cell. A
//! point in the cell is inside a unit exactly when the segment from the centre to the point
//! crosses that unit's boundary an even number of times if the centre is inside (odd if not);
//! since the segment stays inside the (convex) cell, only the cell's edges can cross it.
//!
//! Centre membership is computed for all cells at once by scanline (crossings of each row's
//! centre line with the boundaries), so building costs O(edges + cells), not one
//! point-in-polygon test per cell. Predicates are exact (`robust::orient2d`), which makes the
//! answers agree with shapely's `contains` for every point not exactly on a boundary.

use crate::crs::LonLat;
use geo::{CoordsIter, MultiPolygon};
use robust::{Coord, orient2d};

/// Cell value: no unit here.
const OUTSIDE: u32 = u32::MAX;
/// Cell value flag: the low bits index `mixed`.
const MIXED: u32 = 1 << 31;
/// Centre-owner value while building: inside more than one unit (overlapping polygons).
const SEVERAL: u32 = u32::MAX - 1;

/// A boundary-crossed cell.
#[derive(Clone, Debug)]
struct MixedCell {
    centre: LonLat,
    candidates: (u32, u32),
}

/// One unit whose boundary crosses a mixed cell.
#[derive(Clone, Debug)]
struct Candidate {
    unit: u32,
    centre_inside: bool,
    runs: (u32, u32),
}

/// The crossings of one row's centre line with the boundaries.
struct RowCrossings {
    /// (unit, x), sorted by unit then x: each unit's inside intervals are consecutive pairs.
    by_unit: Vec<(u32, f64)>,
    /// Every crossing's x, sorted.
    xs: Vec<f64>,
}

impl RowCrossings {
    /// Whether the point (x, row centre) lies inside `unit`: an odd number of its crossings
    /// lie to the left.
    fn contains(&self, unit: u32, x: f64) -> bool {
        let start = self.by_unit.partition_point(|c| c.0 < unit);
        let end = self.by_unit.partition_point(|c| c.0 <= unit);
        let left = self.by_unit[start..end].partition_point(|c| c.1 < x);
        left % 2 == 1
    }

    /// Every unit holding the point (x, row centre).
    fn units_containing(&self, x: f64) -> Vec<u32> {
        let mut units = Vec::new();
        for group in self.by_unit.chunk_by(|a, b| a.0 == b.0) {
            if group.partition_point(|c| c.1 < x) % 2 == 1 {
                units.push(group[0].0);
            }
        }
        units
    }
}

/// The grid index. Build it with [`PointLocator::new`].
#[derive(Clone, Debug)]
pub struct PointLocator {
    origin: LonLat,
    cell_size: [f64; 2],
    inv_cell_size: [f64; 2],
    cols: usize,
    rows: usize,
    cells: Vec<u32>,
    mixed: Vec<MixedCell>,
    candidates: Vec<Candidate>,
    /// Runs of consecutive edges: (first vertex, edge count) into `vertices`.
    runs: Vec<(u32, u32)>,
    /// Every ring's vertices, rings closed, concatenated.
    vertices: Vec<Coord<f64>>,
}

/// An edge `vertices[i] → vertices[i + 1]` and the unit whose boundary it is.
#[derive(Clone, Copy)]
struct Edge {
    unit: u32,
    start: u32,
}

impl PointLocator {
    /// Builds the grid over `polygons` (indexed by unit), in their own coordinates.
    pub fn new(polygons: &[&MultiPolygon<f64>]) -> Self {
        let mut vertices = Vec::with_capacity(polygons.iter().map(|p| p.coords_count()).sum());
        let mut edges = Vec::with_capacity(vertices.capacity());
        for (unit, multi) in polygons.iter().enumerate() {
            for polygon in &multi.0 {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    let first = vertices.len() as u32;
                    vertices.extend(ring.0.iter().map(|c| Coord { x: c.x, y: c.y }));
                    let n = ring.0.len() as u32;
                    edges.extend((first..first + n.saturating_sub(1)).map(|start| Edge {
                        unit: unit as u32,
                        start,
                    }));
                }
            }
        }
        let (origin, cols, rows, cell_size) = grid_shape(&vertices, edges.len());
        let mut locator = PointLocator {
            origin,
            cell_size,
            inv_cell_size: [1.0 / cell_size[0], 1.0 / cell_size[1]],
            cols,
            rows,
            cells: Vec::new(),
            mixed: Vec::new(),
            candidates: Vec::new(),
            runs: Vec::new(),
            vertices,
        };
        locator.fill_cells(&edges, polygons);
        locator
    }

    /// The unit holding `p`, or `None` outside every unit (points exactly on a boundary may
    /// go to either side).
    #[inline]
    pub fn locate(&self, p: LonLat) -> Option<u32> {
        let fx = (p[0] - self.origin[0]) * self.inv_cell_size[0];
        let fy = (p[1] - self.origin[1]) * self.inv_cell_size[1];
        // Written so that NaN fails too.
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.cols as f64 && fy < self.rows as f64) {
            return None;
        }
        let cell = self.cells[fy as usize * self.cols + fx as usize];
        if cell < MIXED {
            return Some(cell);
        }
        if cell == OUTSIDE {
            return None;
        }
        self.locate_in_mixed(
            &self.mixed[(cell & !MIXED) as usize],
            Coord { x: p[0], y: p[1] },
        )
    }

    fn locate_in_mixed(&self, cell: &MixedCell, p: Coord<f64>) -> Option<u32> {
        let centre = Coord {
            x: cell.centre[0],
            y: cell.centre[1],
        };
        for candidate in &self.candidates[cell.candidates.0 as usize..cell.candidates.1 as usize] {
            let mut inside = candidate.centre_inside;
            for &(start, count) in &self.runs[candidate.runs.0 as usize..candidate.runs.1 as usize]
            {
                let run = &self.vertices[start as usize..=(start + count) as usize];
                for pair in run.windows(2) {
                    if crosses(centre, p, pair[0], pair[1]) {
                        inside = !inside;
                    }
                }
            }
            if inside {
                return Some(candidate.unit);
            }
        }
        None
    }

    /// Grid dimensions, for reports and benchmarks.
    pub fn dimensions(&self) -> (usize, usize, usize) {
        (self.cols, self.rows, self.mixed.len())
    }

    fn cell_centre(&self, col: usize, row: usize) -> LonLat {
        [
            self.origin[0] + (col as f64 + 0.5) * self.cell_size[0],
            self.origin[1] + (row as f64 + 0.5) * self.cell_size[1],
        ]
    }

    /// The crossings of every row's centre line with the boundaries (the half-open rule:
    /// an edge crosses the line y if `low <= y < high`).
    fn scan_rows(&self, edges: &[Edge]) -> Vec<RowCrossings> {
        let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); self.rows];
        for edge in edges {
            let (a, b) = (
                self.vertices[edge.start as usize],
                self.vertices[edge.start as usize + 1],
            );
            if a.y == b.y {
                continue;
            }
            let (low, high) = if a.y < b.y { (a.y, b.y) } else { (b.y, a.y) };
            // Start a row early and let the comparisons decide, so that rounding in the
            // division cannot drop a crossing that the neighbouring edge leaves to this one.
            let mut row = (((low - self.origin[1]) * self.inv_cell_size[1]) - 1.5)
                .floor()
                .max(0.0) as usize;
            while row < self.rows {
                let y = self.row_centre(row);
                if y >= high {
                    break;
                }
                if y >= low {
                    rows[row].push((edge.unit, a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y)));
                }
                row += 1;
            }
        }
        rows.into_iter()
            .map(|mut by_unit| {
                by_unit.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
                let mut xs: Vec<f64> = by_unit.iter().map(|c| c.1).collect();
                xs.sort_unstable_by(f64::total_cmp);
                RowCrossings { by_unit, xs }
            })
            .collect()
    }

    /// For every cell, the unit containing its centre: each unit's crossings along a row pair
    /// up into inside intervals [x0, x1).
    fn centre_owners(&self, rows: &[RowCrossings]) -> Vec<u32> {
        let mut owners = vec![OUTSIDE; self.cols * self.rows];
        for (row, crossings) in rows.iter().enumerate() {
            for pair in crossings.by_unit.chunks_exact(2) {
                let ((unit, x0), (unit_end, x1)) = (pair[0], pair[1]);
                debug_assert_eq!(
                    unit, unit_end,
                    "every closed ring crosses a line an even number of times"
                );
                // Columns whose centre x satisfies x0 <= x < x1.
                let first_col = |x: f64| {
                    ((((x - self.origin[0]) * self.inv_cell_size[0]) - 0.5)
                        .ceil()
                        .max(0.0) as usize)
                        .min(self.cols)
                };
                let (c0, c1) = (first_col(x0), first_col(x1));
                for owner in &mut owners[row * self.cols + c0.min(c1)..row * self.cols + c1] {
                    *owner = if *owner == OUTSIDE || *owner == unit {
                        unit
                    } else {
                        SEVERAL
                    };
                }
            }
        }
        owners
    }

    /// Marks each cell pure or mixed and stores the mixed cells' candidates and edge runs.
    fn fill_cells(&mut self, edges: &[Edge], polygons: &[&MultiPolygon<f64>]) {
        let rows = self.scan_rows(edges);
        let owners = self.centre_owners(&rows);
        // Bucket (cell, edge) pairs by cell with a counting sort.
        let mut touches: Vec<(u32, u32)> = Vec::with_capacity(edges.len() * 2);
        for (i, edge) in edges.iter().enumerate() {
            let (a, b) = (
                self.vertices[edge.start as usize],
                self.vertices[edge.start as usize + 1],
            );
            self.for_each_cell_touched(a, b, |cell| touches.push((cell as u32, i as u32)));
        }
        let mut starts = vec![0u32; self.cells_len() + 1];
        for &(cell, _) in &touches {
            starts[cell as usize + 1] += 1;
        }
        for i in 0..self.cells_len() {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut by_cell = vec![0u32; touches.len()];
        for &(cell, edge) in &touches {
            by_cell[next[cell as usize] as usize] = edge;
            next[cell as usize] += 1;
        }
        drop(touches);

        self.cells = owners;
        for cell in 0..self.cells_len() {
            let slice = &mut by_cell[starts[cell] as usize..starts[cell + 1] as usize];
            if slice.is_empty() {
                if self.cells[cell] == SEVERAL {
                    self.cells[cell] = self.resolve_overlap(cell, polygons);
                }
                continue;
            }
            slice.sort_unstable_by_key(|&e| (edges[e as usize].unit, edges[e as usize].start));
            let (col, row) = (cell % self.cols, cell / self.cols);
            let reference = self.reference_point(col, row, &rows[row], slice, edges);
            let first_candidate = self.candidates.len() as u32;
            let mut listed = Vec::new();
            let mut i = 0;
            while i < slice.len() {
                let unit = edges[slice[i] as usize].unit;
                let first_run = self.runs.len() as u32;
                while i < slice.len() && edges[slice[i] as usize].unit == unit {
                    let start = edges[slice[i] as usize].start;
                    let in_this_candidate = self.runs.len() as u32 > first_run;
                    match self.runs.last_mut() {
                        Some((run_start, count))
                            if in_this_candidate && *run_start + *count == start =>
                        {
                            *count += 1
                        }
                        _ => self.runs.push((start, 1)),
                    }
                    i += 1;
                }
                let centre_inside = rows[row].contains(unit, reference[0]);
                listed.push(unit);
                self.candidates.push(Candidate {
                    unit,
                    centre_inside,
                    runs: (first_run, self.runs.len() as u32),
                });
            }
            // Units holding the reference point whose edges do not enter the cell hold the whole
            // cell but what other units' rings cut out, so they go last.
            for unit in rows[row].units_containing(reference[0]) {
                if !listed.contains(&unit) {
                    let at = self.runs.len() as u32;
                    self.candidates.push(Candidate {
                        unit,
                        centre_inside: true,
                        runs: (at, at),
                    });
                }
            }
            self.mixed.push(MixedCell {
                centre: reference,
                candidates: (first_candidate, self.candidates.len() as u32),
            });
            self.cells[cell] = MIXED | (self.mixed.len() as u32 - 1);
        }
    }

    /// A reference point for a mixed cell whose inside/outside state is known exactly: on the
    /// row's centre line (where the scanline knows every crossing), in the middle of the widest
    /// gap between crossings, and on no horizontal edge lying along that line. The cell centre
    /// itself could sit exactly on a boundary (grids and data share round numbers), and a
    /// reference on a boundary would make the parity test disagree with its state.
    fn reference_point(
        &self,
        col: usize,
        row: usize,
        crossings: &RowCrossings,
        cell_edges: &[u32],
        edges: &[Edge],
    ) -> LonLat {
        let y = self.row_centre(row);
        let x0 = self.origin[0] + col as f64 * self.cell_size[0];
        let x1 = x0 + self.cell_size[0];
        let lo = crossings.xs.partition_point(|&x| x < x0);
        let hi = crossings.xs.partition_point(|&x| x <= x1);
        let mut stops: Vec<f64> = Vec::with_capacity(hi - lo + 2);
        stops.push(x0);
        stops.extend_from_slice(&crossings.xs[lo..hi]);
        stops.push(x1);
        let mut gaps: Vec<(f64, f64)> = stops
            .windows(2)
            .map(|w| (w[1] - w[0], 0.5 * (w[0] + w[1])))
            .collect();
        gaps.sort_by(|a, b| b.0.total_cmp(&a.0));
        let on_horizontal_edge = |x: f64| {
            cell_edges.iter().any(|&e| {
                let (a, b) = (
                    self.vertices[edges[e as usize].start as usize],
                    self.vertices[edges[e as usize].start as usize + 1],
                );
                a.y == y && b.y == y && a.x.min(b.x) <= x && x <= a.x.max(b.x)
            })
        };
        let x = gaps
            .iter()
            .map(|g| g.1)
            .find(|&x| !on_horizontal_edge(x))
            .unwrap_or(0.5 * (x0 + x1));
        [x, y]
    }

    fn row_centre(&self, row: usize) -> f64 {
        self.origin[1] + (row as f64 + 0.5) * self.cell_size[1]
    }

    /// A pure cell whose centre lies in several (overlapping) units: the first one.
    fn resolve_overlap(&self, cell: usize, polygons: &[&MultiPolygon<f64>]) -> u32 {
        let centre = self.cell_centre(cell % self.cols, cell / self.cols);
        (0..polygons.len())
            .find(|&u| contains(polygons[u], centre))
            .map_or(OUTSIDE, |u| u as u32)
    }

    fn cells_len(&self) -> usize {
        self.cols * self.rows
    }

    /// Calls `f` with every cell the segment a–b may touch: for each row band it spans, the
    /// columns of the part of the segment inside that band (padded by a hair, to be safe).
    fn for_each_cell_touched(&self, a: Coord<f64>, b: Coord<f64>, mut f: impl FnMut(usize)) {
        let to_grid = |c: Coord<f64>| {
            (
                (c.x - self.origin[0]) * self.inv_cell_size[0],
                (c.y - self.origin[1]) * self.inv_cell_size[1],
            )
        };
        let ((ax, ay), (bx, by)) = (to_grid(a), to_grid(b));
        const PAD: f64 = 1e-9;
        let clamp_col = |x: f64| (x.max(0.0) as usize).min(self.cols - 1);
        let row_lo = ((ay.min(by) - PAD).max(0.0) as usize).min(self.rows - 1);
        let row_hi = ((ay.max(by) + PAD).max(0.0) as usize).min(self.rows - 1);
        for row in row_lo..=row_hi {
            // The x-range of the segment clipped to y in [row, row + 1].
            let (x0, x1) = if (by - ay).abs() < 1e-300 {
                (ax.min(bx), ax.max(bx))
            } else {
                let t0 = ((row as f64 - ay) / (by - ay)).clamp(0.0, 1.0);
                let t1 = ((row as f64 + 1.0 - ay) / (by - ay)).clamp(0.0, 1.0);
                let (xa, xb) = (ax + t0 * (bx - ax), ax + t1 * (bx - ax));
                (xa.min(xb), xa.max(xb))
            };
            for col in clamp_col(x0 - PAD)..=clamp_col(x1 + PAD) {
                f(row * self.cols + col);
            }
        }
    }
}

/// Grid origin, columns, rows and cell size for the vertices' bounding box: about two cells
/// per edge (at least 64×64), square in coordinate units.
fn grid_shape(vertices: &[Coord<f64>], edge_count: usize) -> (LonLat, usize, usize, [f64; 2]) {
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for v in vertices {
        min = [min[0].min(v.x), min[1].min(v.y)];
        max = [max[0].max(v.x), max[1].max(v.y)];
    }
    if vertices.is_empty() {
        return ([0.0, 0.0], 1, 1, [1.0, 1.0]);
    }
    // A margin so that points on the outermost vertices fall inside the grid.
    let margin = 1e-9 * (max[0] - min[0]).max(max[1] - min[1]).max(1e-9);
    let (w, h) = (
        max[0] - min[0] + 2.0 * margin,
        max[1] - min[1] + 2.0 * margin,
    );
    let target_cells = (edge_count * 2).clamp(4096, 1 << 22) as f64;
    let size = (w * h / target_cells).sqrt();
    let cols = ((w / size).ceil() as usize).max(1);
    let rows = ((h / size).ceil() as usize).max(1);
    (
        [min[0] - margin, min[1] - margin],
        cols,
        rows,
        [w / cols as f64, h / rows as f64],
    )
}

/// Whether segment c–p properly crosses edge a–b. Vertices exactly on the line c–p count as
/// being on its negative side (the half-open rule), so a crossing through a vertex counts once.
#[inline]
fn crosses(c: Coord<f64>, p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    if (orient2d(c, p, a) > 0.0) == (orient2d(c, p, b) > 0.0) {
        return false;
    }
    (orient2d(a, b, c) > 0.0) != (orient2d(a, b, p) > 0.0)
}

/// Even–odd point-in-polygon over all rings (used only for rare overlaps at build time).
fn contains(multi: &MultiPolygon<f64>, p: LonLat) -> bool {
    let mut inside = false;
    for polygon in &multi.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for line in ring.lines() {
                let (a, b) = (line.start, line.end);
                if (a.y > p[1]) != (b.y > p[1])
                    && p[0] < a.x + (p[1] - a.y) * (b.x - a.x) / (b.y - a.y)
                {
                    inside = !inside;
                }
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn two_squares_and_a_donut() -> Vec<MultiPolygon<f64>> {
        let left = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let right =
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        let donut = polygon!(
            exterior: [(x: 3.0, y: 0.0), (x: 6.0, y: 0.0), (x: 6.0, y: 3.0), (x: 3.0, y: 3.0)],
            interiors: [[(x: 4.0, y: 1.0), (x: 5.0, y: 1.0), (x: 5.0, y: 2.0), (x: 4.0, y: 2.0)]],
        );
        let hole_filler =
            polygon![(x: 4.0, y: 1.0), (x: 5.0, y: 1.0), (x: 5.0, y: 2.0), (x: 4.0, y: 2.0)];
        [left, right, donut, hole_filler]
            .into_iter()
            .map(|p| MultiPolygon::new(vec![p]))
            .collect()
    }

    #[test]
    fn locates_in_squares_holes_and_gaps() {
        let shapes = two_squares_and_a_donut();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let locator = PointLocator::new(&refs);
        assert_eq!(locator.locate([0.5, 0.5]), Some(0));
        assert_eq!(locator.locate([1.5, 0.5]), Some(1));
        assert_eq!(locator.locate([0.999_999, 0.3]), Some(0));
        assert_eq!(locator.locate([1.000_001, 0.3]), Some(1));
        assert_eq!(locator.locate([3.5, 2.5]), Some(2));
        assert_eq!(
            locator.locate([4.5, 1.5]),
            Some(3),
            "the enclave in the donut's hole"
        );
        assert_eq!(
            locator.locate([2.5, 0.5]),
            None,
            "the gap between the shapes"
        );
        assert_eq!(locator.locate([-1.0, 0.5]), None);
        assert_eq!(locator.locate([f64::NAN, 0.5]), None);
    }

    #[test]
    fn agrees_with_brute_force_on_a_dense_lattice() {
        let shapes = two_squares_and_a_donut();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let locator = PointLocator::new(&refs);
        for i in 0..700 {
            for j in 0..330 {
                let p = [-0.3 + i as f64 * 0.00971, -0.1 + j as f64 * 0.00997];
                let expected = (0..shapes.len())
                    .find(|&u| contains(&shapes[u], p))
                    .map(|u| u as u32);
                assert_eq!(locator.locate(p), expected, "at {p:?}");
            }
        }
    }
}
