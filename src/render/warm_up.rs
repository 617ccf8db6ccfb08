//! A throwaway draw that makes a software rasteriser compile the map's shaders before the
//! first real frame needs them.
//!
//! Mesa's lavapipe turns a pipeline's shaders into machine code at the pipeline's first draw,
//! not when it is created, and does so on its queue thread: a one-off export would wait some
//! 20 ms for it between uploading its geometry and drawing its map. Submitted as soon as the
//! device is open, one triangle and one segment get that done while the geometry uploads.

use super::lines::Lines;
use super::{LineStyleUniform, MapPipelines, Tables, ViewUniform, buffer, uniform_group};
use crate::scene::Segment;

/// The throwaway target's side, pixels.
const SIDE: u32 = 4;

impl MapPipelines {
    /// Draws a triangle with the opaque and overlay fill pipelines and a segment with the line
    /// pipeline into a small texture, and submits without waiting. The point and translucent
    /// fill pipelines, which exports do not use, are left to their first draw.
    pub fn warm_up(&self, device: &wgpu::Device, queue: &wgpu::Queue) {
        let target = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("warm-up"),
            size: wgpu::Extent3d {
                width: SIDE,
                height: SIDE,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: self.format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        });
        let view = target.create_view(&Default::default());
        // One pixel per scene metre, centred on the scene origin: the shapes below cover pixels.
        let view_group = uniform_group(
            device,
            "warm-up",
            (&self.view_layout, 0),
            bytemuck::bytes_of(&ViewUniform {
                viewport: [SIDE as f32; 2],
                metres_per_pixel: 1.0,
                pixels_per_point: 1.0,
                fill_opacity: 1.0,
                ..bytemuck::Zeroable::zeroed()
            }),
        );
        let line_group = uniform_group(
            device,
            "warm-up",
            (&self.line_layout, 0),
            bytemuck::bytes_of(&LineStyleUniform {
                width: 1.0,
                ..bytemuck::Zeroable::zeroed()
            }),
        );
        let tables = Tables::new(device, &self.table_layout, self.format, 1);
        let corners: [[f32; 2]; 3] = [[-2.0, -2.0], [2.0, -2.0], [-2.0, 2.0]];
        let positions = buffer(
            device,
            "warm-up",
            bytemuck::cast_slice(&corners),
            wgpu::BufferUsages::VERTEX,
        );
        let owners = buffer(
            device,
            "warm-up",
            bytemuck::cast_slice(&[0u32; 3]),
            wgpu::BufferUsages::VERTEX,
        );
        let indices = buffer(
            device,
            "warm-up",
            bytemuck::cast_slice(&[0u32, 1, 2]),
            wgpu::BufferUsages::INDEX,
        );
        let segment = Segment {
            a: [-1.0, -1.0],
            b: [1.0, 1.0],
            owner: Segment::NO_OWNER,
        };
        let lines = Lines::new((device, self), "warm-up", &[segment]);

        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("warm-up"),
        });
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("warm-up"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            pass.set_bind_group(0, &view_group, &[]);
            pass.set_bind_group(1, &tables.bind_group, &[]);
            pass.set_vertex_buffer(0, positions.slice(..));
            pass.set_vertex_buffer(1, owners.slice(..));
            pass.set_index_buffer(indices.slice(..), wgpu::IndexFormat::Uint32);
            for pipeline in [&self.fill_opaque, &self.fill_overlay] {
                pass.set_pipeline(pipeline);
                pass.draw_indexed(0..3, 0, 0..1);
            }
            pass.set_pipeline(&self.lines);
            pass.set_bind_group(2, &line_group, &[]);
            lines.bind(&mut pass);
            lines.draw(&mut pass, 0..1);
        }
        // wgpu keeps what the submission uses alive until it is done.
        queue.submit([encoder.finish()]);
    }
}
