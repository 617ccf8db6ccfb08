//! The view: everything the user chose, small and serialisable, restored across restarts.
//! Panels edit it; the map and panels are drawn from it.

use crate::atlas::{Adcode, Atlas};
use crate::i18n::Lang;
use crate::scene::{Camera, MapSpec};
use serde::{Deserialize, Serialize};

/// How a designation is shown on the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverlayStyle {
    /// Diagonal hatch over the member counties.
    Hatch,
    /// Outline of the member counties.
    Outline,
}

/// A designation shown over the choropleth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlay {
    /// Designation id.
    pub designation: String,
    /// Hatch or outline.
    pub style: OverlayStyle,
}

/// The user's choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    /// Interface language.
    pub lang: Lang,
    /// What fills the counties: layer, year, normalisation, classes, palette, legend labels.
    pub map: MapSpec,
    /// Fill opacity, 0..1.
    pub opacity: f32,
    /// Designations drawn over the fill.
    pub overlays: Vec<Overlay>,
    /// Point layers shown.
    pub point_layers: Vec<String>,
    /// Draw region borders boldest.
    pub region_borders: bool,
    /// Draw names.
    pub labels: bool,
    /// The camera (`None` until the map has been shown once: then it fits Sichuan).
    pub camera: Option<Camera>,
    /// The selected county, by adcode.
    pub selected: Option<String>,
    /// The Export dialog's last choices.
    pub export: super::export_dialog::ExportChoices,
}

impl Default for View {
    fn default() -> Self {
        View {
            lang: Lang::Zh,
            map: MapSpec::default(),
            opacity: 1.0,
            overlays: Vec::new(),
            point_layers: Vec::new(),
            region_borders: true,
            labels: true,
            camera: None,
            selected: None,
            export: Default::default(),
        }
    }
}

impl View {
    /// Drops what no longer exists in `atlas` (a view saved by another version), keeping the rest.
    pub fn sanitize(mut self, atlas: &Atlas) -> Self {
        if atlas.layer(&self.map.layer).is_none() {
            self.map = MapSpec::default();
        }
        if let Some(year) = self.map.year
            && atlas
                .layer(&self.map.layer)
                .is_some_and(|l| !l.years().any(|y| y == year))
        {
            self.map.year = None;
        }
        self.map.classes = self.map.classes.clamp(2, 9);
        self.opacity = self.opacity.clamp(0.1, 1.0);
        self.overlays
            .retain(|o| atlas.designation(&o.designation).is_some());
        self.point_layers
            .retain(|id| atlas.point_layers().iter().any(|l| &l.id == id));
        if let Some(code) = &self.selected
            && Adcode::parse(code)
                .and_then(|c| atlas.unit_by_adcode(c))
                .is_none()
        {
            self.selected = None;
        }
        if let Some(camera) = self.camera
            && !(camera.metres_per_pixel.is_finite() && camera.centre.iter().all(|c| c.is_finite()))
        {
            self.camera = None;
        }
        self
    }

    /// The year shown: the chosen one, or the layer's latest.
    pub fn effective_year(&self, atlas: &Atlas) -> Option<i32> {
        self.map
            .year
            .or_else(|| atlas.layer(&self.map.layer)?.latest_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_view_round_trips_and_stale_entries_are_dropped() {
        let atlas = Atlas::builtin().unwrap();
        let view = View {
            map: MapSpec {
                layer: "rd_intensity".into(),
                year: Some(2018),
                ..MapSpec::default()
            },
            overlays: vec![Overlay {
                designation: "innovative_county".into(),
                style: OverlayStyle::Outline,
            }],
            selected: Some("510117".into()),
            camera: Some(Camera {
                centre: [1.0, 2.0],
                metres_per_pixel: 300.0,
            }),
            ..View::default()
        };
        let json = serde_json::to_string(&view).unwrap();
        let back: View = serde_json::from_str(&json).unwrap();
        assert_eq!(back.clone().sanitize(&atlas), view);

        let mut stale = back;
        stale.map.layer = "no_such_layer".into();
        stale.overlays.push(Overlay {
            designation: "gone".into(),
            style: OverlayStyle::Hatch,
        });
        stale.point_layers.push("gone".into());
        stale.selected = Some("999999".into());
        let clean = stale.sanitize(&atlas);
        assert_eq!(
            clean.map,
            MapSpec::default(),
            "an unknown layer resets the map spec"
        );
        assert_eq!(clean.overlays.len(), 1);
        assert!(clean.point_layers.is_empty());
        assert_eq!(clean.selected, None);
    }

    #[test]
    fn older_views_with_missing_fields_load_with_defaults() {
        let view: View = serde_json::from_str(r#"{"map":{"layer":"population"}}"#).unwrap();
        assert_eq!(view.map.layer, "population");
        assert_eq!(view.map.classes, 5);
        assert!(view.region_borders);
    }
}
