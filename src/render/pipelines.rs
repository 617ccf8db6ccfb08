//! The map's render pipelines and bind group layouts for one target format: everything the
//! renderer needs from the device but not the geometry, so that a caller can make them while
//! the geometry is still being built (shader compilation takes milliseconds on a software
//! rasteriser).

use super::lines::LineBuffers;
use super::{GpuPoint, SHADER};
use crate::scene::Segment;

/// The compiled pipelines (fills, lines, points) and the layouts of their bind groups.
pub struct MapPipelines {
    pub(super) view_layout: wgpu::BindGroupLayout,
    pub(super) line_layout: wgpu::BindGroupLayout,
    /// A pulled line's segments: one read-only storage buffer (group 3; see [`LineBuffers`]).
    pub(super) segment_layout: wgpu::BindGroupLayout,
    pub(super) point_layout: wgpu::BindGroupLayout,
    pub(super) table_layout: wgpu::BindGroupLayout,
    /// Opaque fills: no blending (cheaper on software rasterisers).
    pub(super) fill_opaque: wgpu::RenderPipeline,
    /// Translucent fills.
    pub(super) fill_blended: wgpu::RenderPipeline,
    /// Hatches, highlight and muting over flagged shapes.
    pub(super) fill_overlay: wgpu::RenderPipeline,
    pub(super) lines: wgpu::RenderPipeline,
    pub(super) points: wgpu::RenderPipeline,
    /// How the line pipeline takes its segments.
    pub(super) line_buffers: LineBuffers,
    /// The target format the pipelines draw into (which decides how colours are given).
    pub(super) format: wgpu::TextureFormat,
}

impl MapPipelines {
    /// Compiles the pipelines for a target of `format` with `sample_count` samples, taking line
    /// segments as `line_buffers` says.
    pub fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        sample_count: u32,
        line_buffers: LineBuffers,
    ) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("map.wgsl"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let uniform_layout = |binding: u32, visibility: wgpu::ShaderStages| {
            device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("uniform"),
                entries: &[wgpu::BindGroupLayoutEntry {
                    binding,
                    visibility,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                }],
            })
        };
        let view_layout = uniform_layout(0, wgpu::ShaderStages::VERTEX_FRAGMENT);
        let line_layout = uniform_layout(0, wgpu::ShaderStages::VERTEX_FRAGMENT);
        let point_layout = uniform_layout(1, wgpu::ShaderStages::FRAGMENT);
        let segment_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("segments"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Storage { read_only: true },
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let table_entry =
            |binding: u32, sample_type: wgpu::TextureSampleType| wgpu::BindGroupLayoutEntry {
                binding,
                visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                ty: wgpu::BindingType::Texture {
                    sample_type,
                    view_dimension: wgpu::TextureViewDimension::D2,
                    multisampled: false,
                },
                count: None,
            };
        let table_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("shape tables"),
            entries: &[
                table_entry(0, wgpu::TextureSampleType::Float { filterable: false }),
                table_entry(1, wgpu::TextureSampleType::Uint),
            ],
        });

        let multisample = wgpu::MultisampleState {
            count: sample_count,
            mask: !0,
            alpha_to_coverage_enabled: false,
        };
        let pipeline = |label: &str,
                        layouts: &[Option<&wgpu::BindGroupLayout>],
                        (vertex_entry, fragment_entry): (&str, &str),
                        blend: Option<wgpu::BlendState>,
                        buffers: &[Option<wgpu::VertexBufferLayout<'_>>],
                        topology: wgpu::PrimitiveTopology| {
            let target = [Some(wgpu::ColorTargetState {
                format,
                blend,
                write_mask: wgpu::ColorWrites::ALL,
            })];
            let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(label),
                bind_group_layouts: layouts,
                immediate_size: 0,
            });
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some(vertex_entry),
                    compilation_options: Default::default(),
                    buffers,
                },
                primitive: wgpu::PrimitiveState {
                    topology,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample,
                fragment: Some(wgpu::FragmentState {
                    module: &shader,
                    entry_point: Some(fragment_entry),
                    compilation_options: Default::default(),
                    targets: &target,
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let fill_buffers = [
            Some(wgpu::VertexBufferLayout {
                array_stride: 8,
                step_mode: wgpu::VertexStepMode::Vertex,
                attributes: &wgpu::vertex_attr_array![0 => Float32x2],
            }),
            Some(wgpu::VertexBufferLayout {
                array_stride: 4,
                step_mode: wgpu::VertexStepMode::Vertex,
                attributes: &wgpu::vertex_attr_array![1 => Uint32],
            }),
        ];
        let fill_layouts = [Some(&view_layout), Some(&table_layout)];
        let blend = Some(wgpu::BlendState::ALPHA_BLENDING);
        let triangles = wgpu::PrimitiveTopology::TriangleList;
        // Opaque fills need no blending (cheaper on software rasterisers); translucent ones do.
        let fill_opaque = pipeline(
            "map fill",
            &fill_layouts,
            ("vs_fill", "fs_fill"),
            None,
            &fill_buffers,
            triangles,
        );
        let fill_blended = pipeline(
            "map fill (translucent)",
            &fill_layouts,
            ("vs_fill", "fs_fill"),
            blend,
            &fill_buffers,
            triangles,
        );
        let fill_overlay = pipeline(
            "map fill overlay",
            &fill_layouts,
            ("vs_fill", "fs_fill_overlay"),
            blend,
            &fill_buffers,
            triangles,
        );
        // A segment's a, b and owner: as instances, or read by the vertex shader.
        const SEGMENT: [wgpu::VertexAttribute; 3] =
            wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Uint32];
        let instances = [Some(wgpu::VertexBufferLayout {
            array_stride: std::mem::size_of::<Segment>() as u64,
            step_mode: wgpu::VertexStepMode::Instance,
            attributes: &SEGMENT,
        })];
        let line_pipeline = match line_buffers {
            LineBuffers::Instanced => pipeline(
                "map lines",
                &[Some(&view_layout), Some(&table_layout), Some(&line_layout)],
                ("vs_line", "fs_line"),
                blend,
                &instances,
                wgpu::PrimitiveTopology::TriangleStrip,
            ),
            LineBuffers::Pulled => pipeline(
                "map lines (pulled)",
                &[
                    Some(&view_layout),
                    Some(&table_layout),
                    Some(&line_layout),
                    Some(&segment_layout),
                ],
                ("vs_line_pulled", "fs_line"),
                blend,
                &[],
                triangles,
            ),
        };
        let point_pipeline = pipeline(
            "map points",
            &[Some(&view_layout), Some(&table_layout), Some(&point_layout)],
            ("vs_point", "fs_point"),
            blend,
            &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<GpuPoint>() as u64,
                step_mode: wgpu::VertexStepMode::Instance,
                attributes: &wgpu::vertex_attr_array![
                    0 => Float32x2, 1 => Float32, 2 => Uint32, 3 => Float32x4
                ],
            })],
            wgpu::PrimitiveTopology::TriangleStrip,
        );

        MapPipelines {
            view_layout,
            line_layout,
            segment_layout,
            point_layout,
            table_layout,
            fill_opaque,
            fill_blended,
            fill_overlay,
            lines: line_pipeline,
            points: point_pipeline,
            line_buffers,
            format,
        }
    }
}
