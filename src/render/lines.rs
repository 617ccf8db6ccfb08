//! Line segments on the GPU, cut into [`Runs`] so that a frame draws only the runs in view.
//!
//! A segment takes 20 bytes either way: one instance each on GPUs, or, on software
//! rasterisers, which pay per instance, one element of a storage buffer that six vertices of a
//! plain draw read (vertex pulling). On Mesa's lavapipe the pulled form exports an A4 PNG as
//! fast as the four vertices and six indices per segment (120 bytes) it replaced (median
//! 184 ms against 180 ms, 12 runs each, interleaved), which drew a third faster than instances
//! and held 30 MB of a window's memory once every level had been shown.

use super::pipelines::MapPipelines;
use super::runs::Runs;
use crate::scene::Segment;
use std::ops::Range;

/// How line segments are laid out for the GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBuffers {
    /// One instance per segment (a strip of four vertices): what GPUs draw fastest.
    Instanced,
    /// The segments in a storage buffer, six vertices of a plain draw per segment, each reading
    /// its segment by its vertex index: faster on software rasterisers, same memory.
    Pulled,
}

impl LineBuffers {
    /// Pulled on a software adapter (lavapipe, llvmpipe, WARP) that lets vertex shaders read
    /// storage buffers, instanced otherwise.
    pub fn for_adapter(adapter: &wgpu::Adapter) -> Self {
        let software = adapter.get_info().device_type == wgpu::DeviceType::Cpu;
        let vertex_storage = adapter
            .get_downlevel_capabilities()
            .flags
            .contains(wgpu::DownlevelFlags::VERTEX_STORAGE);
        if software && vertex_storage {
            LineBuffers::Pulled
        } else {
            LineBuffers::Instanced
        }
    }
}

/// Vertices a pulled segment is drawn with: the two triangles of its quad.
pub(super) const PULLED_VERTICES: u32 = 6;

/// The segments' buffer, in one of the [`LineBuffers`] layouts.
enum Buffers {
    Instanced(wgpu::Buffer),
    /// The bind group holds the storage buffer (group 3 of the line pipeline).
    Pulled(wgpu::BindGroup),
}

/// Line segments uploaded for drawing.
pub(super) struct Lines {
    buffers: Buffers,
    pub(super) count: u32,
    runs: Runs,
}

impl Lines {
    /// Uploads `segments` laid out as `pipelines` take them.
    pub(super) fn new(
        (device, pipelines): (&wgpu::Device, &MapPipelines),
        label: &str,
        segments: &[Segment],
    ) -> Self {
        let contents: &[u8] = bytemuck::cast_slice(segments);
        let buffers = match pipelines.line_buffers {
            LineBuffers::Instanced => Buffers::Instanced(super::buffer(
                device,
                label,
                contents,
                wgpu::BufferUsages::VERTEX,
            )),
            LineBuffers::Pulled => {
                let storage = super::buffer(device, label, contents, wgpu::BufferUsages::STORAGE);
                Buffers::Pulled(device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some(label),
                    layout: &pipelines.segment_layout,
                    entries: &[wgpu::BindGroupEntry {
                        binding: 0,
                        resource: storage.as_entire_binding(),
                    }],
                }))
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
            Buffers::Pulled(segments) => pass.set_bind_group(3, segments, &[]),
        }
    }

    /// Draws the segments `range` (after [`Lines::bind`]).
    pub(super) fn draw(&self, pass: &mut wgpu::RenderPass<'_>, range: Range<u32>) {
        match &self.buffers {
            Buffers::Instanced(_) => pass.draw(0..4, range),
            Buffers::Pulled(_) => pass.draw(
                range.start * PULLED_VERTICES..range.end * PULLED_VERTICES,
                0..1,
            ),
        }
    }

    /// The ranges of segments whose runs meet the scene rectangle `min`–`max`, adjacent runs
    /// merged into one draw.
    pub(super) fn visible(&self, min: [f32; 2], max: [f32; 2]) -> Vec<Range<u32>> {
        self.runs.visible(min, max)
    }
}
