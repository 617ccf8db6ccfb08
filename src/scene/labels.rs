//! Label placement: which names fit at this zoom, where, without overlapping. Greedy by
//! priority (the selected county first, then prefectures at low zoom, then larger counties),
//! each label tried at its anchor and dropped if it would overlap one already placed.

use super::camera::Camera;

/// What a label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    /// A county (by unit index).
    Unit(u32),
    /// A prefecture (by prefecture index).
    Prefecture(u32),
    /// A neighbouring province (by backdrop index).
    Backdrop(u32),
}

/// A name that may be drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelCandidate {
    /// The text.
    pub text: String,
    /// Where it is anchored (centred), world metres.
    pub anchor: [f64; 2],
    /// Higher is placed first.
    pub priority: f64,
    /// Room around the anchor inside its shape, metres (0 when it does not matter).
    pub clearance: f64,
    /// Font size, logical points.
    pub size: f32,
    /// What it names.
    pub kind: LabelKind,
}

/// A label that won its place.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    /// The text.
    pub text: String,
    /// Centre of the text, screen pixels.
    pub centre: [f64; 2],
    /// Font size, logical points.
    pub size: f32,
    /// What it names.
    pub kind: LabelKind,
}

/// Places labels for a viewport of `size` pixels. `measure(text, size)` gives a text's
/// width and height in pixels. A county label needs its county to have at least half the
/// label's height of room around the anchor, so that names appear only where they fit inside.
pub fn place(
    candidates: &[LabelCandidate],
    camera: &Camera,
    size: [f64; 2],
    measure: impl Fn(&str, f32) -> [f64; 2],
) -> Vec<PlacedLabel> {
    const PADDING_PX: f64 = 3.0;
    let mut order: Vec<&LabelCandidate> = candidates.iter().collect();
    order.sort_by(|a, b| b.priority.total_cmp(&a.priority));
    let mut taken: Vec<[f64; 4]> = Vec::new();
    let mut placed = Vec::new();
    for candidate in order {
        let centre = camera.world_to_screen(candidate.anchor, size);
        let [w, h] = measure(&candidate.text, candidate.size);
        if candidate.clearance > 0.0 && candidate.clearance / camera.metres_per_pixel < h * 0.5 {
            continue;
        }
        let rect = [
            centre[0] - w / 2.0 - PADDING_PX,
            centre[1] - h / 2.0 - PADDING_PX,
            centre[0] + w / 2.0 + PADDING_PX,
            centre[1] + h / 2.0 + PADDING_PX,
        ];
        let on_screen = rect[2] > 0.0 && rect[3] > 0.0 && rect[0] < size[0] && rect[1] < size[1];
        if !on_screen || taken.iter().any(|t| overlaps(t, &rect)) {
            continue;
        }
        taken.push(rect);
        placed.push(PlacedLabel {
            text: candidate.text.clone(),
            centre,
            size: candidate.size,
            kind: candidate.kind,
        });
    }
    placed
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str, x: f64, priority: f64, clearance: f64) -> LabelCandidate {
        LabelCandidate {
            text: text.into(),
            anchor: [x, 0.0],
            priority,
            clearance,
            size: 12.0,
            kind: LabelKind::Unit(0),
        }
    }

    #[test]
    fn higher_priority_wins_overlaps_and_small_shapes_wait_for_zoom() {
        let measure = |t: &str, _s: f32| [t.chars().count() as f64 * 12.0, 14.0];
        let candidates = vec![
            candidate("低", 0.0, 1.0, 0.0),
            candidate("高高", 100.0, 5.0, 0.0),
            candidate("远", 5000.0, 0.5, 0.0),
            candidate("小", -5000.0, 2.0, 100.0),
        ];
        let far = Camera {
            centre: [0.0, 0.0],
            metres_per_pixel: 100.0,
        };
        let placed: Vec<String> = place(&candidates, &far, [800.0, 600.0], measure)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            placed,
            vec!["高高", "远"],
            "低 overlaps 高高; 小 has 1 px of room"
        );
        let near = Camera {
            centre: [-5000.0, 0.0],
            metres_per_pixel: 5.0,
        };
        let placed: Vec<String> = place(&candidates, &near, [800.0, 600.0], measure)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert!(placed.contains(&"小".to_owned()), "{placed:?}");
    }
}
