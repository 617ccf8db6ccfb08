//! The bridge between egui and the map renderer: a paint callback that hands the frame to the
//! [`MapRenderer`] kept in egui-wgpu's callback resources.

use crate::render::{FrameParams, LineBuffers, MapRenderer, MissingLevel};
use crate::scene::{MapGeometry, Rgba, Theme};
use std::sync::Arc;

/// Per-unit colours and flags, with a version that changes whenever they do.
#[derive(Debug, PartialEq)]
pub struct UnitTables {
    /// Increases with every change.
    pub version: u64,
    /// Fill per unit (sRGB).
    pub colours: Vec<Rgba>,
    /// Flags per unit (`render::flags`).
    pub flags: Vec<u8>,
}

/// The renderer as the window keeps it, with the version of the tables it holds.
struct WindowMap {
    renderer: MapRenderer,
    uploaded: Option<u64>,
}

/// One frame of the map, as a paint callback.
pub struct MapCallback {
    /// What to draw.
    pub frame: FrameParams,
    /// The unit tables; uploaded only if their version is new to the GPU (frames that are
    /// laid out but never rendered must not lose an update).
    pub tables: Arc<UnitTables>,
}

/// Creates the renderer for the window's target and stores it where the callback finds it.
pub fn install(render_state: &egui_wgpu::RenderState, geometry: &Arc<MapGeometry>, theme: &Theme) {
    let renderer = MapRenderer::new(
        (&render_state.device, &render_state.queue),
        (render_state.target_format, 1),
        LineBuffers::for_adapter(&render_state.adapter),
        (Arc::clone(geometry), MissingLevel::StandIn),
        theme,
    );
    render_state
        .renderer
        .write()
        .callback_resources
        .insert(WindowMap {
            renderer,
            uploaded: None,
        });
}

impl egui_wgpu::CallbackTrait for MapCallback {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        _screen: &egui_wgpu::ScreenDescriptor,
        _encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        if let Some(map) = resources.get_mut::<WindowMap>() {
            if map.uploaded != Some(self.tables.version) {
                map.renderer
                    .set_unit_tables(queue, &self.tables.colours, &self.tables.flags);
                map.uploaded = Some(self.tables.version);
            }
            let uploaded = map.renderer.uploaded_level_count();
            map.renderer.prepare(device, queue, &self.frame);
            if map.renderer.uploaded_level_count() != uploaded {
                // The level's CPU triangles were released after its upload.
                crate::freed_memory::give_back();
            }
        }
        Vec::new()
    }

    fn paint(
        &self,
        _info: egui::PaintCallbackInfo,
        pass: &mut wgpu::RenderPass<'static>,
        resources: &egui_wgpu::CallbackResources,
    ) {
        if let Some(map) = resources.get::<WindowMap>() {
            map.renderer.paint(pass);
        }
    }
}
