//! Line segments on the GPU, cut into [`Runs`] so that a frame draws only the runs in view.
//!
//! Segments go up as one instance each on GPUs (20 bytes), or expanded into four vertices and
//! six indices each on software rasterisers (120 bytes), which pay per instance: Mesa's
//! lavapipe draws the expanded form about a third faster.

use super::runs::Runs;
use crate::scene::Segment;
use std::ops::Range;

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
    runs: Runs,
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
            runs: Runs::new(segments.iter().map(|s| [s.a, s.b])),
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
        self.runs.visible(min, max)
    }
}
