//! Side effects requested by panels, applied once per frame by the app (panels never mutate
//! shared state directly).

use crate::atlas::UnitId;

/// Something a panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a county (or clear the selection).
    Select(Option<UnitId>),
    /// Zoom the map to a county.
    ZoomTo(UnitId),
    /// Zoom the map to all of Sichuan.
    ZoomToFit,
    /// Put a county's profile on the clipboard as text.
    CopyProfile(UnitId),
    /// Add a county to the brushed ones, or take it away if it is one.
    ToggleBrush(UnitId),
    /// Brush these counties, in place of (or, `add`, besides) those brushed.
    Brush {
        /// The counties.
        units: Vec<UnitId>,
        /// Keep those brushed already.
        add: bool,
    },
}
