//! Single units' outlines, uploaded only for the units a frame outlines: the hovered and the
//! selected unit, those brushed in a chart, and those an overlay outlines.
//!
//! Every unit's outline at every level would be half of the segments the map holds (each
//! shared border twice): about 9 MB of device memory (50 MB on a software adapter when
//! segments went up as four vertices each) and 9 MB more on the CPU, of which the window
//! rarely draws more than a county. A frame's outlines are a few thousand segments, made from
//! the level's shapes and uploaded only when the units or the level change.

use super::lines::Lines;
use super::pipelines::MapPipelines;
use crate::scene::{GeometryLevel, Segment};

/// The outlines of some units at one level of detail, uploaded together and drawn in one
/// style.
pub(super) struct OutlineSet {
    /// The level (index into the geometry's levels) the segments come from.
    level: usize,
    /// The units outlined, in the order asked.
    units: Vec<u32>,
    /// Their segments.
    pub(super) lines: Lines,
}

impl OutlineSet {
    /// Keeps `set` where it already holds the outlines of `units` at `level`; otherwise
    /// uploads theirs (none for no units).
    pub(super) fn update(
        set: &mut Option<OutlineSet>,
        upload: (&wgpu::Device, &MapPipelines),
        (level, geometry): (usize, &GeometryLevel),
        units: Vec<u32>,
    ) {
        if set
            .as_ref()
            .is_some_and(|s| s.level == level && s.units == units)
        {
            return;
        }
        if units.is_empty() {
            *set = None;
            return;
        }
        let segments: Vec<Segment> = units
            .iter()
            .flat_map(|&u| geometry.unit_outline(u as usize))
            .collect();
        *set = Some(OutlineSet {
            level,
            units,
            lines: Lines::new(upload, "unit outlines", &segments),
        });
    }
}
