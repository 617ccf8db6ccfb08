//! Rendering without a window: a headless device and a texture read back into memory. Used by
//! image export, the frame benchmark and the render tests; on machines without a GPU it runs
//! on Mesa's software Vulkan (lavapipe) or GL (llvmpipe).

use super::{FrameParams, MapRenderer, RenderError};
use crate::scene::Rgba;

/// The texture format offscreen targets use. Not an sRGB format: the map's colours go in
/// encoded and blend as encoded values, like the page's furniture (resvg) and the window
/// (egui), and a software rasteriser saves an encode per fragment and a decode per blend.
pub const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// A headless device and queue.
pub struct Gpu {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// What adapter it runs on (name, backend, CPU or GPU).
    pub info: wgpu::AdapterInfo,
    /// How line segments are best laid out on it.
    pub line_buffers: super::LineBuffers,
}

impl Gpu {
    /// Opens the default adapter without any window or display: Vulkan (Metal, DX12) first,
    /// GL only where none of those has one. `WGPU_BACKEND` (`vulkan`, `gl`, ...) decides
    /// instead when it is set.
    pub fn headless() -> Result<Self, RenderError> {
        // Starting GL beside Vulkan costs a one-off export tens of milliseconds (EGL and, on
        // Mesa, a second LLVM rasteriser) for an adapter it will not use.
        let attempts = match wgpu::Backends::from_env() {
            Some(chosen) => vec![chosen],
            None => vec![wgpu::Backends::PRIMARY, wgpu::Backends::SECONDARY],
        };
        let mut failures = Vec::new();
        for backends in attempts {
            let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
            descriptor.backends = backends;
            let instance = wgpu::Instance::new(descriptor);
            match pollster::block_on(
                instance.request_adapter(&wgpu::RequestAdapterOptions::default()),
            ) {
                Ok(adapter) => return Self::open(&adapter),
                Err(e) => failures.push(e.to_string()),
            }
        }
        Err(RenderError::NoAdapter(failures.join("; ")))
    }

    /// Opens a device on `adapter`.
    fn open(adapter: &wgpu::Adapter) -> Result<Self, RenderError> {
        let info = adapter.get_info();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("county-atlas headless"),
            required_limits: wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits()),
            required_features: super::device_features(adapter),
            memory_hints: super::MEMORY_HINTS,
            ..Default::default()
        }))
        .map_err(|e| RenderError::Device(e.to_string()))?;
        Ok(Gpu {
            device,
            queue,
            info,
            line_buffers: super::LineBuffers::for_adapter(adapter),
        })
    }
}

/// An RGBA image in memory, rows top to bottom, sRGB, straight alpha.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

impl Image {
    /// The pixel at (x, y).
    pub fn pixel(&self, x: u32, y: u32) -> Rgba {
        let i = ((y * self.width + x) * 4) as usize;
        [
            self.rgba[i],
            self.rgba[i + 1],
            self.rgba[i + 2],
            self.rgba[i + 3],
        ]
    }
}

/// A colour texture of a given size, with a buffer to read it back.
pub struct Target {
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    readback: wgpu::Buffer,
    width: u32,
    height: u32,
    padded_row: u32,
}

impl Target {
    /// A target of `width × height` pixels.
    pub fn new(device: &wgpu::Device, width: u32, height: u32) -> Self {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("offscreen map"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&Default::default());
        // Rows of a texture-to-buffer copy are padded to 256 bytes.
        let padded_row = (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("offscreen readback"),
            size: u64::from(padded_row) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        Target {
            texture,
            view,
            readback,
            width,
            height,
            padded_row,
        }
    }

    /// Width and height in pixels.
    pub fn size(&self) -> [u32; 2] {
        [self.width, self.height]
    }

    /// Records a pass that clears to `background` and draws the map over the whole target,
    /// and submits it. Does not wait for the GPU.
    pub fn draw(
        &self,
        gpu: &Gpu,
        renderer: &mut MapRenderer,
        frame: &FrameParams,
        background: Rgba,
    ) {
        self.draw_in(gpu, renderer, frame, background, None);
    }

    /// Like [`Target::draw`], with the map confined to `region` (left, top, width, height in
    /// pixels; `frame.viewport` is its size): the rest of the target keeps the clear colour.
    /// The region may reach beyond the target (one tile of a large image).
    pub fn draw_in(
        &self,
        gpu: &Gpu,
        renderer: &mut MapRenderer,
        frame: &FrameParams,
        background: Rgba,
        region: Option<[i32; 4]>,
    ) {
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("offscreen map"),
            });
        self.record_draw(gpu, &mut encoder, (renderer, frame), background, region);
        gpu.queue.submit([encoder.finish()]);
    }

    /// Draws like [`Target::draw_in`] and copies the result into the readback buffer in the
    /// same submission, whose mapping starts at once: the returned read waits for this
    /// submission alone, so the device can go on with the next target meanwhile.
    pub fn draw_for_reading(
        self,
        gpu: &Gpu,
        renderer: &mut MapRenderer,
        frame: &FrameParams,
        background: Rgba,
        region: Option<[i32; 4]>,
    ) -> PendingRead {
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("offscreen map and readback"),
            });
        self.record_draw(gpu, &mut encoder, (renderer, frame), background, region);
        let (index, receiver) = self.submit_copy(gpu, encoder);
        PendingRead {
            target: self,
            index,
            receiver,
        }
    }

    /// Records the map's pass into `encoder` (see [`Target::draw_in`]).
    fn record_draw(
        &self,
        gpu: &Gpu,
        encoder: &mut wgpu::CommandEncoder,
        (renderer, frame): (&mut MapRenderer, &FrameParams),
        background: Rgba,
        region: Option<[i32; 4]>,
    ) {
        // A region's corner is the frame's: its hatches start there.
        let shifted;
        let frame = match region {
            Some([x, y, _, _]) => {
                shifted = FrameParams {
                    hatch_origin: [x as f32, y as f32],
                    ..frame.clone()
                };
                &shifted
            }
            None => frame,
        };
        renderer.prepare(&gpu.device, &gpu.queue, frame);
        {
            let [r, g, b, a] = super::target_colour(background, FORMAT);
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("offscreen map"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &self.view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color {
                            r: f64::from(r),
                            g: f64::from(g),
                            b: f64::from(b),
                            a: f64::from(a),
                        }),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            if let Some([x, y, w, h]) = region {
                pass.set_viewport(x as f32, y as f32, w as f32, h as f32, 0.0, 1.0);
                // The scissor must lie inside the target.
                let left = x.clamp(0, self.width as i32);
                let top = y.clamp(0, self.height as i32);
                let right = (x + w).clamp(left, self.width as i32);
                let bottom = (y + h).clamp(top, self.height as i32);
                if right == left || bottom == top {
                    return;
                }
                pass.set_scissor_rect(
                    left as u32,
                    top as u32,
                    (right - left) as u32,
                    (bottom - top) as u32,
                );
            }
            // The part of the viewport inside the target: only what meets it is drawn.
            let part = region
                .map(|[x, y, _, _]| [-x as f32, -y as f32, self.width as f32, self.height as f32]);
            renderer.paint_part(&mut pass, part);
        }
    }

    /// Draws and reads the image back (waits for the GPU).
    pub fn render(
        &self,
        gpu: &Gpu,
        renderer: &mut MapRenderer,
        frame: &FrameParams,
        background: Rgba,
    ) -> Result<Image, RenderError> {
        self.draw(gpu, renderer, frame, background);
        self.read(gpu)
    }

    /// Copies the texture into memory.
    pub fn read(&self, gpu: &Gpu) -> Result<Image, RenderError> {
        let encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("readback"),
            });
        let (index, receiver) = self.submit_copy(gpu, encoder);
        let view = self.wait_mapped(gpu, index, &receiver)?;
        let mut rgba = Vec::with_capacity((self.width * self.height * 4) as usize);
        for y in 0..self.height {
            rgba.extend_from_slice(row_of(&view, self.padded_row, self.width, y));
        }
        drop(view);
        self.readback.unmap();
        Ok(Image {
            width: self.width,
            height: self.height,
            rgba,
        })
    }

    /// Records the copy of the texture into the readback buffer after what `encoder` holds,
    /// submits it and asks for the buffer's mapping; the receiver hears when it is mapped.
    fn submit_copy(
        &self,
        gpu: &Gpu,
        mut encoder: wgpu::CommandEncoder,
    ) -> (wgpu::SubmissionIndex, MapReceiver) {
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &self.texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &self.readback,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(self.padded_row),
                    rows_per_image: Some(self.height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
        );
        let index = gpu.queue.submit([encoder.finish()]);
        let (sender, receiver) = std::sync::mpsc::channel();
        self.readback
            .slice(..)
            .map_async(wgpu::MapMode::Read, move |result| {
                // The receiver waits for this; if it is gone there is nobody to tell.
                let _ = sender.send(result);
            });
        (index, receiver)
    }

    /// Waits for submission `index` and the mapping it makes possible.
    fn wait_mapped(
        &self,
        gpu: &Gpu,
        index: wgpu::SubmissionIndex,
        receiver: &MapReceiver,
    ) -> Result<wgpu::BufferView, RenderError> {
        let readback = |e: &dyn std::fmt::Display| RenderError::Readback(e.to_string());
        gpu.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: None,
            })
            .map_err(|e| readback(&e))?;
        receiver
            .recv()
            .map_err(|e| readback(&e))?
            .map_err(|e| readback(&e))?;
        self.readback
            .slice(..)
            .get_mapped_range()
            .map_err(|e| readback(&e))
    }
}

/// Where a readback buffer's mapping is reported.
type MapReceiver = std::sync::mpsc::Receiver<Result<(), wgpu::BufferAsyncError>>;

/// A target drawn and being copied into its readback buffer (see
/// [`Target::draw_for_reading`]).
pub struct PendingRead {
    target: Target,
    index: wgpu::SubmissionIndex,
    receiver: MapReceiver,
}

impl PendingRead {
    /// Waits for this target's submission (not for any submitted after it) and maps its
    /// readback buffer.
    pub fn wait(self, gpu: &Gpu) -> Result<MappedTarget, RenderError> {
        let view = self.target.wait_mapped(gpu, self.index, &self.receiver)?;
        Ok(MappedTarget {
            view: Some(view),
            target: self.target,
        })
    }
}

/// A target that owns its mapped readback buffer: its rows can be read in place until it is
/// [released](MappedTarget::release) to be drawn into again.
pub struct MappedTarget {
    // Always `Some` until released: the view must go before the buffer is unmapped (and, as
    // the first field, it is dropped first).
    view: Option<wgpu::BufferView>,
    target: Target,
}

impl MappedTarget {
    /// Width and height in pixels.
    pub fn size(&self) -> [u32; 2] {
        self.target.size()
    }

    /// Row `y` (top first): `width * 4` RGBA bytes.
    pub fn row(&self, y: u32) -> &[u8] {
        let view = self.view.as_deref().unwrap_or_default();
        row_of(view, self.target.padded_row, self.target.width, y)
    }

    /// Unmaps the readback buffer and gives the target back for another draw.
    pub fn release(mut self) -> Target {
        self.view = None;
        self.target.readback.unmap();
        self.target
    }
}

/// Row `y` of a readback buffer's `view` whose rows are `padded_row` bytes apart: `width * 4`
/// RGBA bytes.
fn row_of(view: &[u8], padded_row: u32, width: u32, y: u32) -> &[u8] {
    let start = y as usize * padded_row as usize;
    &view[start..start + width as usize * 4]
}
