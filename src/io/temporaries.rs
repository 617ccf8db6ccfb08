//! This program's temporary files: named so that they can be recognised (`.county-atlas-PID-
//! RANDOM.tmp`), removed when the process is interrupted, and swept from a folder when a
//! killed process left them behind.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::SystemTime;

/// What every temporary file's name starts with.
const PREFIX: &str = ".county-atlas-";

/// What every temporary file's name ends with.
pub(super) const SUFFIX: &str = ".tmp";

/// The prefix of this process's temporary files: the common prefix and the process id, so that
/// a sweep can tell a live writer's file from a dead one's.
pub(super) fn prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// The temporary files being written now, to remove if a signal ends the process.
fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    // A writer that panicked while holding the lock left the list as valid as before.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temporary file on the list for as long as this lives.
pub(super) struct Registered(PathBuf);

impl Registered {
    /// Puts `path` on the list.
    pub(super) fn new(path: &Path) -> Self {
        live().push(path.to_owned());
        Registered(path.to_owned())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut live = live();
        if let Some(i) = live.iter().position(|p| p == &self.0) {
            live.swap_remove(i);
        }
    }
}

/// Removes this process's temporary files when SIGTERM, SIGINT or SIGHUP arrives, then ends
/// the process as the signal would have. The work happens on a thread of its own, not in a
/// signal handler, so it may lock and allocate. Call once, early in `main`; a failure to
/// install (which needs a broken system) leaves the default behaviour.
pub fn remove_temporaries_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    process_start();
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                for path in live().drain(..) {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                // Only reached should the default action not end the process.
                std::process::exit(128 + signal);
            }
        })
        .ok();
}

/// When this process started, as near as it can tell: stale files are older than it.
fn process_start() -> SystemTime {
    static START: OnceLock<SystemTime> = OnceLock::new();
    *START.get_or_init(SystemTime::now)
}

/// Removes, once per folder and process, the temporary files this program left in `dir` when a
/// process was killed outright (SIGKILL, power loss): names of this program's pattern, of a
/// process that no longer runs, older than this process. Errors are ignored: sweeping is a
/// courtesy, and the write that follows reports a folder it cannot use.
pub(super) fn sweep_stale(dir: &Path) {
    static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let start = process_start();
    {
        let mut swept = SWEPT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
        if !swept.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(writer_of) else {
            continue;
        };
        let Ok(metadata) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = metadata.modified().is_ok_and(|m| m < start);
        if metadata.file_type().is_file() && old && !is_running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a name of this program's temporary-file pattern.
fn writer_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok()
}

/// Whether process `pid` still runs (a live writer's file is not stale). Where the system has
/// no `/proc`, only the file's age decides.
fn is_running(pid: u32) -> bool {
    pid == std::process::id()
        || (Path::new("/proc/self").exists() && Path::new("/proc").join(pid.to_string()).exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_pattern_give_their_writer() {
        assert_eq!(writer_of(".county-atlas-4242-a8Xk2p.tmp"), Some(4242));
        assert_eq!(writer_of(".county-atlas-4242-.tmp"), None);
        assert_eq!(writer_of(".county-atlas-x-abc.tmp"), None);
        assert_eq!(writer_of("map.png"), None);
        assert_eq!(writer_of(".map.png.4242.tmp"), None);
    }

    #[test]
    fn a_dead_writers_old_temporary_is_swept_and_others_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's maximum (4194304) never run.
        let stale = dir.path().join(".county-atlas-4999999-abcdef.tmp");
        let live = dir.path().join(format!("{}abcdef.tmp", prefix()));
        let users = dir.path().join("notes.tmp");
        for path in [&stale, &live, &users] {
            std::fs::write(path, b"x").unwrap();
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(SystemTime::UNIX_EPOCH).unwrap();
        }
        process_start();
        sweep_stale(dir.path());
        assert!(!stale.exists());
        assert!(live.exists(), "this process's own file is not stale");
        assert!(users.exists(), "a file of another name is not ours");
    }
}
