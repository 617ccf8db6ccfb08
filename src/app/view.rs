//! The view: everything the user chose, small and serialisable, restored across restarts:
//! the map document (shared with every export) and what only the window has (language,
//! camera, selection, the Export dialog's choices). Panels edit it; the map and panels are
//! drawn from it.

use crate::atlas::Adcode;
use crate::i18n::Lang;
use crate::scene::{Camera, MapDocument};
use serde::{Deserialize, Serialize};

/// The user's choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    /// Interface language.
    pub lang: Lang,
    /// The map: what fills the counties, overlays, points, names, focus. Flattened, so that a
    /// view saved before the document existed loads with its choices.
    #[serde(flatten)]
    pub doc: MapDocument,
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
            doc: MapDocument::default(),
            camera: None,
            selected: None,
            export: Default::default(),
        }
    }
}

/// Metres per point a restored camera may have: from a street (0.05 m) to a continent.
const CAMERA_METRES_PER_POINT: std::ops::RangeInclusive<f64> = 0.05..=1e6;

/// How far from the projection's origin (in Sichuan) a restored camera's centre may be: beyond
/// this the map would be off screen.
const CAMERA_CENTRE_METRES: f64 = 5_000_000.0;

impl View {
    /// Drops what no longer exists in `workspace` (a view saved by another version), keeping
    /// the rest.
    pub fn sanitize(mut self, workspace: &crate::scene::Workspace) -> Self {
        let atlas = &workspace.atlas;
        self.doc = self.doc.sanitize(atlas, |id| workspace.layer(id).is_some());
        if let Some(code) = &self.selected
            && Adcode::parse(code)
                .and_then(|c| atlas.unit_by_adcode(c))
                .is_none()
        {
            self.selected = None;
        }
        if let Some(camera) = self.camera
            && !(CAMERA_METRES_PER_POINT.contains(&camera.metres_per_pixel)
                && camera
                    .centre
                    .iter()
                    .all(|c| c.is_finite() && c.abs() <= CAMERA_CENTRE_METRES))
        {
            // Refit to Sichuan rather than show an empty map.
            self.camera = None;
        }
        self.export.options = self.export.options.sanitize();
        self
    }

    /// The year shown: the chosen one, or the layer's best-covered.
    pub fn effective_year(&self, workspace: &crate::scene::Workspace) -> Option<i32> {
        self.doc
            .map
            .year
            .or_else(|| workspace.layer(&self.doc.map.layer)?.default_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{MapSpec, Overlay, OverlayStyle};

    #[test]
    fn a_users_layer_opens_at_its_best_covered_year() {
        let mut workspace = crate::scene::Workspace::builtin().unwrap();
        let mut layer = workspace.atlas.layer("population").unwrap().clone();
        layer.id = "user:人口".into();
        workspace.add_layer(layer).unwrap();
        let mut view = View::default();
        view.doc.map.layer = "user:人口".into();
        assert_eq!(view.effective_year(&workspace), Some(2020));
    }

    #[test]
    fn a_saved_view_round_trips_and_stale_entries_are_dropped() {
        let workspace = crate::scene::Workspace::builtin().unwrap();
        let view = View {
            doc: MapDocument {
                map: MapSpec {
                    layer: "rd_intensity".into(),
                    year: Some(2018),
                    ..MapSpec::default()
                },
                overlays: vec![Overlay {
                    designation: "innovative_county".into(),
                    style: OverlayStyle::Outline,
                }],
                ..MapDocument::default()
            },
            selected: Some("510117".into()),
            camera: Some(Camera {
                centre: [1.0, 2.0],
                metres_per_pixel: 300.0,
            }),
            ..View::default()
        };
        let json = serde_json::to_string(&view).unwrap();
        let back: View = serde_json::from_str(&json).unwrap();
        assert_eq!(back.clone().sanitize(&workspace), view);

        let mut stale = back;
        stale.doc.map.layer = "no_such_layer".into();
        stale.doc.overlays.push(Overlay {
            designation: "gone".into(),
            style: OverlayStyle::Hatch,
        });
        stale.doc.point_layers.push("gone".into());
        stale.selected = Some("999999".into());
        let clean = stale.sanitize(&workspace);
        assert_eq!(
            clean.doc.map,
            MapSpec::default(),
            "an unknown layer resets the map spec"
        );
        assert_eq!(clean.doc.overlays.len(), 1);
        assert!(clean.doc.point_layers.is_empty());
        assert_eq!(clean.selected, None);
    }

    #[test]
    fn a_restored_camera_that_would_show_nothing_is_dropped() {
        let workspace = crate::scene::Workspace::builtin().unwrap();
        for (centre, metres_per_pixel) in [
            ([0.0, 0.0], 0.0),
            ([0.0, 0.0], -1.0),
            ([0.0, 0.0], 1e-300),
            ([0.0, 0.0], f64::NAN),
            ([0.0, 0.0], f64::INFINITY),
            ([1e300, 0.0], 300.0),
            ([0.0, f64::NAN], 300.0),
        ] {
            let view = View {
                camera: Some(Camera {
                    centre,
                    metres_per_pixel,
                }),
                ..View::default()
            }
            .sanitize(&workspace);
            assert_eq!(view.camera, None, "{centre:?} at {metres_per_pixel} m/px");
        }
        let mut absurd = View::default();
        absurd.export.options.dpi = 1_000_000;
        absurd.export.options.size = crate::export::PageSize::Pixels {
            width: 0,
            height: u32::MAX,
        };
        let options = absurd.sanitize(&workspace).export.options;
        assert_eq!(options.dpi, 1200);
        assert_eq!(
            options.size,
            crate::export::PageSize::Pixels {
                width: 200,
                height: 16384
            }
        );
    }

    #[test]
    fn older_views_with_missing_fields_load_with_defaults() {
        let view: View = serde_json::from_str(r#"{"map":{"layer":"population"}}"#).unwrap();
        assert_eq!(view.doc.map.layer, "population");
        assert_eq!(view.doc.map.classes, 5);
        assert!(view.doc.region_borders);
    }
}

#[cfg(test)]
mod storage_tests {
    use super::*;
    use std::collections::HashMap;

    /// eframe's storage, in memory: it writes values as RON, as the window's does on disk.
    #[derive(Default)]
    struct Memory(HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn the_view_survives_eframes_storage() {
        let view = View {
            doc: crate::scene::MapDocument {
                overlays: vec![crate::scene::Overlay {
                    designation: "eco_demo".into(),
                    style: crate::scene::OverlayStyle::Outline,
                }],
                point_layers: vec!["hightech_zones_national".into()],
                labels: false,
                ..crate::scene::MapDocument::default()
            },
            selected: Some("510104".into()),
            ..View::default()
        };
        let mut storage = Memory::default();
        eframe::set_value(&mut storage, "view", &view);
        let back: Option<View> = eframe::get_value(&storage, "view");
        assert_eq!(back, Some(view), "stored as {:?}", storage.0.get("view"));
    }
}
