//! The window's saved state (eframe's `app.ron`), checked before the window opens: a value
//! that would stop the window from starting (egui's zoom factor of 0, NaN or 1000 panics or
//! hangs in winit at every start) is dropped, so that the window starts with defaults and says
//! once that the saved state was reset. Whether the state can be saved at all is checked too.
//! And the view is remembered as it changes, so that it can be saved when the window is
//! destroyed from outside and winit gives up without letting eframe save.

use crate::i18n::Text;
use std::collections::HashMap;
use std::path::Path;

/// The keys eframe stores egui's memory and the window's geometry under.
const EGUI_MEMORY_KEY: &str = "egui";
const WINDOW_KEY: &str = "window";

/// The zoom factors a restored egui memory may carry: egui's own settings slider offers
/// 0.1–10; beyond 4 the interface no longer fits any screen, below 0.25 it cannot be read.
const ZOOM_FACTORS: std::ops::RangeInclusive<f32> = 0.25..=4.0;

/// The largest coordinate or size, in points, a restored window geometry may have.
const WINDOW_POINTS: f64 = 100_000.0;

/// The last view the window showed: its storage key and RON text, as eframe would store it.
static REMEMBERED: std::sync::Mutex<Option<(String, String)>> = std::sync::Mutex::new(None);

/// Remembers `value` under `key`, to be saved by [`save_remembered`] should the window end
/// without eframe saving it.
pub fn remember<T: serde::Serialize>(key: &str, value: &T) {
    if let Ok(text) = ron::ser::to_string(value) {
        let mut remembered = REMEMBERED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *remembered = Some((key.to_owned(), text));
    }
}

/// Writes what [`remember`] last kept into the saved state of `app_id`, keeping its other
/// entries; whether it was written.
pub fn save_remembered(app_id: &str) -> bool {
    let Some(path) = eframe::storage_dir(app_id).map(|d| d.join("app.ron")) else {
        return false;
    };
    // Called from a panic hook: a poisoned lock still holds the last complete view.
    let remembered = REMEMBERED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let Some((key, text)) = remembered else {
        return false;
    };
    save_entry(&path, key, text)
}

/// Sets one entry of the state file at `path`.
fn save_entry(path: &Path, key: String, text: String) -> bool {
    let mut entries: HashMap<String, String> = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default();
    entries.insert(key, text);
    let _ = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")));
    ron::ser::to_string_pretty(&entries, ron::ser::PrettyConfig::default())
        .is_ok_and(|t| crate::io::write_atomic(path, t.as_bytes()).is_ok())
}

/// Checks and repairs the saved state of the application `app_id` where eframe keeps it,
/// returning what the user should be told (once, in the window).
pub fn check(app_id: &str) -> Vec<Text> {
    match eframe::storage_dir(app_id) {
        Some(dir) => check_file(&dir.join("app.ron")),
        None => vec![cannot_save("no folder for application data")],
    }
}

/// [`check`] on the state file at `path`.
pub fn check_file(path: &Path) -> Vec<Text> {
    let mut notices = Vec::new();
    if let Some(why) = why_unsaveable(path) {
        notices.push(cannot_save(&why));
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return notices;
    };
    let Ok(mut entries) = ron::from_str::<HashMap<String, String>>(&text) else {
        // eframe reads such a file as empty and starts with defaults: nothing to repair, but
        // the user's choices are gone.
        notices.push(reset());
        return notices;
    };
    let mut changed = false;
    if let Some(memory) = entries.get(EGUI_MEMORY_KEY)
        && !memory_is_sound(memory)
    {
        entries.remove(EGUI_MEMORY_KEY);
        changed = true;
    }
    if let Some(window) = entries.get(WINDOW_KEY)
        && !window_is_sound(window)
    {
        entries.remove(WINDOW_KEY);
        changed = true;
    }
    if changed {
        notices.push(reset());
        let repaired = ron::ser::to_string_pretty(&entries, ron::ser::PrettyConfig::default());
        let written = repaired
            .map_err(|e| e.to_string())
            .and_then(|r| crate::io::write_atomic(path, r.as_bytes()).map_err(|e| e.to_string()));
        if let Err(why) = written {
            // The bad values could not be removed from the file: the window must not start
            // with them, so the file is moved aside instead.
            let aside = path.with_extension("ron.invalid");
            if std::fs::rename(path, &aside).is_err() {
                notices.push(cannot_save(&why));
            }
        }
    }
    notices
}

/// Whether egui's memory parses and has a zoom factor egui and winit can live with.
fn memory_is_sound(ron_text: &str) -> bool {
    ron::from_str::<egui::Memory>(ron_text)
        .is_ok_and(|memory| ZOOM_FACTORS.contains(&memory.options.zoom_factor))
}

/// Whether the window geometry parses and every number in it is finite and of a size a
/// screen can have.
fn window_is_sound(ron_text: &str) -> bool {
    fn sound(value: &ron::Value) -> bool {
        match value {
            ron::Value::Number(n) => {
                let x = n.into_f64();
                x.is_finite() && x.abs() <= WINDOW_POINTS
            }
            ron::Value::Map(map) => map.iter().all(|(k, v)| sound(k) && sound(v)),
            ron::Value::Seq(items) => items.iter().all(sound),
            ron::Value::Option(Some(inner)) => sound(inner),
            _ => true,
        }
    }
    ron::from_str::<ron::Value>(ron_text).is_ok_and(|v| sound(&v))
}

/// Why the state at `path` could not be saved, if it could not: its folder is a file or cannot
/// be made, or the file is read-only.
fn why_unsaveable(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return Some(format!("{} is not a folder", dir.display())),
        Ok(_) => {}
        Err(_) => {
            // eframe makes the folder; see whether it can.
            if let Err(e) = std::fs::create_dir_all(dir) {
                return Some(format!("{}: {e}", dir.display()));
            }
        }
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Some(format!("{} is a folder", path.display())),
        Ok(m) if m.permissions().readonly() => Some(format!("{} is read-only", path.display())),
        Ok(_) => std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .err()
            .map(|e| format!("{}: {e}", path.display())),
        Err(_) => None,
    }
}

fn reset() -> Text {
    Text::new(
        "保存的窗口状态无效,已重置为默认值",
        "The saved window state was invalid and has been reset to the defaults",
    )
}

fn cannot_save(why: &str) -> Text {
    Text::new(
        format!("窗口状态无法保存,关闭后所选内容不会保留({why})"),
        format!("The window's state cannot be saved; your choices will not be kept ({why})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state file as eframe writes it, with egui's memory at `zoom`.
    fn state_with_zoom(zoom: &str) -> String {
        let mut memory = egui::Memory::default();
        memory.options.zoom_factor = 1.0;
        let memory = ron::to_string(&memory)
            .unwrap()
            .replace("zoom_factor:1.0", &format!("zoom_factor:{zoom}"));
        assert!(memory.contains(&format!("zoom_factor:{zoom}")), "{memory}");
        let entries = HashMap::from([
            (EGUI_MEMORY_KEY.to_owned(), memory),
            ("county-atlas/view".to_owned(), "(lang:En)".to_owned()),
        ]);
        ron::ser::to_string_pretty(&entries, Default::default()).unwrap()
    }

    #[test]
    fn a_bad_zoom_factor_is_dropped_and_the_rest_is_kept() {
        for zoom in ["0.0", "NaN", "-1.0", "inf", "1000.0"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("app.ron");
            std::fs::write(&path, state_with_zoom(zoom)).unwrap();
            let notices = check_file(&path);
            assert_eq!(notices, [reset()], "zoom {zoom}");
            let kept: HashMap<String, String> =
                ron::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert!(!kept.contains_key(EGUI_MEMORY_KEY), "zoom {zoom}");
            assert_eq!(kept["county-atlas/view"], "(lang:En)");
        }
    }

    #[test]
    fn a_sound_state_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.ron");
        let text = state_with_zoom("1.5");
        std::fs::write(&path, &text).unwrap();
        assert!(check_file(&path).is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn an_absurd_window_geometry_is_dropped() {
        assert!(window_is_sound(
            "(normal_geometry:(inner_size:Some((1400.0,900.0))))"
        ));
        assert!(!window_is_sound(
            "(normal_geometry:(inner_size:Some((NaN,900.0))))"
        ));
        assert!(!window_is_sound(
            "(normal_geometry:(outer_position:Some((1e30,0.0))))"
        ));
    }

    #[test]
    fn a_remembered_entry_is_saved_beside_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.ron");
        std::fs::write(&path, state_with_zoom("1.0")).unwrap();
        assert!(save_entry(
            &path,
            "county-atlas/view".into(),
            "(lang:Zh)".into()
        ));
        let kept: HashMap<String, String> =
            ron::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(kept["county-atlas/view"], "(lang:Zh)");
        assert!(kept.contains_key(EGUI_MEMORY_KEY));
    }

    #[test]
    fn a_state_that_cannot_be_saved_is_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("county-atlas");
        std::fs::write(&blocker, b"a file where the folder should be").unwrap();
        let notices = check_file(&blocker.join("app.ron"));
        assert_eq!(notices.len(), 1);
        assert!(notices[0].en.contains("cannot be saved"), "{notices:?}");
    }
}
