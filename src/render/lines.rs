//! Line segments on the GPU, cut into runs with bounding boxes so that a frame draws only the
//! runs in view. A software rasteriser pays about a microsecond per segment even outside the
//! viewport, and a third of the neighbouring provinces' outlines lie outside a page's map
//! frame (more when the window is zoomed in).
//!
//! Segments go up as one instance each on GPUs (20 bytes), or expanded into four vertices and
//! six indices each on software rasterisers (104 bytes), which pay per instance: Mesa's
//! lavapipe draws the expanded form about a third faster.

use crate::scene::Segment;
use std::ops::Range;

/// Segments per run. Segments come in border order, so a run covers a short stretch of map.
const RUN: usize = 256;

/// How line segments are laid out for the GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBuffers {
    /// One instance per segment: the least memory, and what GPUs draw fastest.
    Instanced,
    /// Four vertices and six indices per segment: faster on software rasterisers.
    Expanded,
}

impl LineBuffers {
    /// Expanded on a software adapter (lavapipe, llvmpipe, WARP), instanced on a GPU.
    pub fn for_adapter(info: &wgpu::AdapterInfo) -> Self {
        if info.device_type == wgpu::DeviceType::Cpu {
            LineBuffers::Expanded
        } else {
            LineBuffers::Instanced
        }
    }
}

/// One corner of an expanded segment's quad.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(super) struct LineVertex {
    segment: Segment,
    /// 0..3: bit 0 the `b` end, bit 1 the left side (as in `vs_line`'s strip).
    corner: u32,
}

/// The two triangles of a segment's quad, as corners (the strip 0 1 2 3).
const QUAD: [u32; 6] = [0, 1, 2, 2, 1, 3];

/// A run of consecutive segments and the scene rectangle holding them.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    segments: Range<u32>,
    min: [f32; 2],
    max: [f32; 2],
}

/// The segments' buffers, in one of the [`LineBuffers`] layouts.
enum Buffers {
    Instanced(wgpu::Buffer),
    Expanded {
        vertices: wgpu::Buffer,
        indices: wgpu::Buffer,
    },
}

/// Line segments uploaded for drawing.
pub(super) struct Lines {
    buffers: Buffers,
    pub(super) count: u32,
    runs: Vec<Run>,
}

impl Lines {
    /// Uploads `segments` laid out as `layout`.
    pub(super) fn new(
        device: &wgpu::Device,
        label: &str,
        segments: &[Segment],
        layout: LineBuffers,
    ) -> Self {
        let buffer = |contents: &[u8], usage| super::buffer(device, label, contents, usage);
        let buffers = match layout {
            LineBuffers::Instanced => Buffers::Instanced(buffer(
                bytemuck::cast_slice(segments),
                wgpu::BufferUsages::VERTEX,
            )),
            LineBuffers::Expanded => {
                let vertices: Vec<LineVertex> = segments
                    .iter()
                    .flat_map(|&segment| (0..4).map(move |corner| LineVertex { segment, corner }))
                    .collect();
                let indices: Vec<u32> = (0..segments.len() as u32)
                    .flat_map(|i| QUAD.map(|corner| i * 4 + corner))
                    .collect();
                Buffers::Expanded {
                    vertices: buffer(bytemuck::cast_slice(&vertices), wgpu::BufferUsages::VERTEX),
                    indices: buffer(bytemuck::cast_slice(&indices), wgpu::BufferUsages::INDEX),
                }
            }
        };
        Lines {
            buffers,
            count: segments.len() as u32,
            runs: runs(segments),
        }
    }

    /// Binds the buffers to `pass` (the line pipeline of the same layout must be set).
    pub(super) fn bind(&self, pass: &mut wgpu::RenderPass<'_>) {
        match &self.buffers {
            Buffers::Instanced(instances) => pass.set_vertex_buffer(0, instances.slice(..)),
            Buffers::Expanded { vertices, indices } => {
                pass.set_vertex_buffer(0, vertices.slice(..));
                pass.set_index_buffer(indices.slice(..), wgpu::IndexFormat::Uint32);
            }
        }
    }

    /// Draws the segments `range` (after [`Lines::bind`]).
    pub(super) fn draw(&self, pass: &mut wgpu::RenderPass<'_>, range: Range<u32>) {
        match &self.buffers {
            Buffers::Instanced(_) => pass.draw(0..4, range),
            Buffers::Expanded { .. } => {
                let per = QUAD.len() as u32;
                pass.draw_indexed(range.start * per..range.end * per, 0, 0..1);
            }
        }
    }

    /// The ranges of segments whose runs meet the scene rectangle `min`–`max`, adjacent runs
    /// merged into one draw.
    pub(super) fn visible(&self, min: [f32; 2], max: [f32; 2]) -> Vec<Range<u32>> {
        visible(&self.runs, min, max)
    }
}

fn runs(segments: &[Segment]) -> Vec<Run> {
    segments
        .chunks(RUN)
        .enumerate()
        .map(|(i, chunk)| {
            let (mut min, mut max) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
            for s in chunk {
                for p in [s.a, s.b] {
                    min = [min[0].min(p[0]), min[1].min(p[1])];
                    max = [max[0].max(p[0]), max[1].max(p[1])];
                }
            }
            let start = (i * RUN) as u32;
            Run {
                segments: start..start + chunk.len() as u32,
                min,
                max,
            }
        })
        .collect()
}

fn visible(runs: &[Run], min: [f32; 2], max: [f32; 2]) -> Vec<Range<u32>> {
    let mut ranges: Vec<Range<u32>> = Vec::new();
    for run in runs {
        let meets = run.min[0] <= max[0]
            && run.max[0] >= min[0]
            && run.min[1] <= max[1]
            && run.max[1] >= min[1];
        if !meets {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if last.end == run.segments.start => last.end = run.segments.end,
            _ => ranges.push(run.segments.clone()),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(x: f32) -> Segment {
        Segment {
            a: [x, 0.0],
            b: [x + 1.0, 0.0],
            owner: Segment::NO_OWNER,
        }
    }

    #[test]
    fn runs_out_of_view_are_skipped_and_neighbours_merged() {
        // Three runs along the x axis: [0, 256], [256, 512], [512, 768].
        let segments: Vec<Segment> = (0..3 * RUN).map(|i| segment(i as f32)).collect();
        let runs = runs(&segments);
        assert_eq!(runs.len(), 3);
        assert_eq!(visible(&runs, [-10.0, -1.0], [10.0, 1.0]), vec![0..256]);
        assert_eq!(visible(&runs, [300.0, -1.0], [700.0, 1.0]), vec![256..768]);
        assert!(visible(&runs, [0.0, 5.0], [800.0, 6.0]).is_empty());
        assert_eq!(
            visible(&runs, [-1e9, -1e9], [1e9, 1e9]),
            vec![0..3 * RUN as u32],
            "everything in view is one draw"
        );
    }

    #[test]
    fn a_short_last_run_keeps_its_length() {
        let segments: Vec<Segment> = (0..RUN + 3).map(|i| segment(i as f32)).collect();
        let runs = runs(&segments);
        assert_eq!(runs[1].segments, RUN as u32..RUN as u32 + 3);
    }
}
