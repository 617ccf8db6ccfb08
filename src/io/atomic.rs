//! Atomic, safe file writes: a reader never sees half a file, a failed write leaves the old
//! file in place, nothing is ever written through a symbolic link, and a device, a pipe or a
//! folder is never replaced by a file.

use super::temporaries::{self, Registered};
use std::io::Write;
use std::path::Path;

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target exists and is not a regular file.
    #[error(
        "{path} 是{}, 不是普通文件:不会替换它;请换一个文件名 / {path} is {}, not a regular file: it is not replaced; choose another file name",
        .kind.zh(), .kind.en()
    )]
    NotARegularFile {
        /// The target.
        path: String,
        /// What it is.
        kind: Special,
    },
    /// The file name is longer than the file system allows.
    #[error(
        "文件名过长({bytes} 字节,上限约 255):{path};请用短一些的文件名 / the file name is too long ({bytes} bytes; the limit is about 255): {path}; use a shorter name"
    )]
    NameTooLong {
        /// The target.
        path: String,
        /// The length of its last component in bytes.
        bytes: usize,
    },
    /// The path ends without a file name ("..", "/").
    #[error("{path} 没有文件名 / {path} names no file")]
    NoFileName {
        /// The target.
        path: String,
    },
    /// The folder the file is to go in does not exist.
    #[error(
        "文件夹 {folder} 不存在:请先建立它,或选择已有的文件夹 / the folder {folder} does not exist: create it or choose an existing one"
    )]
    NoFolder {
        /// The folder.
        folder: String,
    },
    /// The folder is read-only or full, or the write failed otherwise.
    #[error("无法写入 / cannot write {path}: {source}")]
    Io {
        /// The target.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// What a target that is not a regular file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// A folder.
    Folder,
    /// A symbolic link (never written through: it may point anywhere).
    Link,
    /// A FIFO, socket, or character or block device.
    Device,
}

impl Special {
    fn zh(self) -> &'static str {
        match self {
            Special::Folder => "文件夹",
            Special::Link => "符号链接",
            Special::Device => "设备、管道或套接字",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Special::Folder => "a folder",
            Special::Link => "a symbolic link",
            Special::Device => "a device, pipe or socket",
        }
    }
}

/// The longest file name (one path component, in bytes) that Linux and macOS file systems take.
const NAME_MAX: usize = 255;

/// Writes `bytes` to `path` through an exclusively created, unpredictably named temporary file
/// in the same folder, then renames it over the target (an atomic replace on the same file
/// system; a rename replaces a link planted at the target, never what it points to). An
/// existing target keeps its permissions and, where the process may set it, its owner. The
/// temporary file is removed if the write fails or the process is interrupted
/// ([`temporaries`]), and this program's stale temporaries left in the folder by a killed
/// process are swept first.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let shown = || path.display().to_string();
    let io = |source| WriteError::Io {
        path: shown(),
        source,
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| WriteError::NoFileName { path: shown() })?;
    if file_name.len() > NAME_MAX {
        return Err(WriteError::NameTooLong {
            path: shown(),
            bytes: file_name.len(),
        });
    }
    let existing = existing_file(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(WriteError::NoFolder {
            folder: dir.display().to_string(),
        });
    }
    temporaries::sweep_stale(dir);

    let prefix = temporaries::prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(temporaries::SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets the usual mode (0666 less the umask), as `File::create` would give.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // tempfile's error names the temporary file, which means nothing to the user: keep what
    // went wrong, say it of the target.
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| io(std::io::Error::from(e.kind())))?;
    let _registered = Registered::new(temp.path());
    temp.write_all(bytes).map_err(io)?;
    hold_for_tests();
    if let Some(metadata) = &existing {
        keep_mode_and_owner(temp.as_file(), metadata).map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    // Best effort: make the rename itself durable.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// In debug builds, waits as long as `COUNTY_ATLAS_TEST_HOLD_WRITE_MS` says with the temporary
/// file open: the signal tests interrupt a write at this point, which is otherwise a few
/// milliseconds long. Release builds have no such wait.
fn hold_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("COUNTY_ATLAS_TEST_HOLD_WRITE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// The target's metadata if it is an existing regular file, nothing if it does not exist, and
/// an error for anything else.
fn existing_file(path: &Path) -> Result<Option<std::fs::Metadata>, WriteError> {
    let shown = || path.display().to_string();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Some(m)),
        Ok(m) => Err(WriteError::NotARegularFile {
            path: shown(),
            kind: if m.file_type().is_symlink() {
                Special::Link
            } else if m.is_dir() {
                Special::Folder
            } else {
                Special::Device
            },
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(WriteError::Io {
            path: shown(),
            source,
        }),
    }
}

/// Gives the new file the replaced file's permissions and owner. The owner is set only where
/// it differs (which needs the privilege to do so); without it, the file stays the writer's.
fn keep_mode_and_owner(file: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(old.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            // Refused for an ordinary user replacing another's file: the write still succeeds.
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(entries(dir.path()), ["out.txt"]);
    }

    #[test]
    fn failure_keeps_nothing_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("out.txt");
        assert!(matches!(
            write_atomic(&path, b"x"),
            Err(WriteError::NoFolder { .. })
        ));
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_not_written_through() {
        // The name the previous version would have used: a planted link there must not
        // redirect the write, and the target must end up a regular file.
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let planted = dir
            .path()
            .join(format!(".out.png.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let path = dir.path().join("out.png");
        write_atomic(&path, b"map").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(
            std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_file()
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"map");
    }

    #[cfg(unix)]
    #[test]
    fn temporary_names_are_unpredictable_and_exclusive() {
        // Two writers in one process at once each get their own temporary file.
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<_> = (0..2)
            .map(|_| {
                tempfile::Builder::new()
                    .prefix(&temporaries::prefix())
                    .suffix(temporaries::SUFFIX)
                    .tempfile_in(dir.path())
                    .unwrap()
            })
            .collect();
        assert_ne!(names[0].path(), names[1].path());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_device_or_folder_at_the_target_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let link = dir.path().join("link.png");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let error = write_atomic(&link, b"map").unwrap_err();
        assert!(matches!(
            error,
            WriteError::NotARegularFile {
                kind: Special::Link,
                ..
            }
        ));
        assert!(error.to_string().contains("符号链接"), "{error}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");

        let device = write_atomic(Path::new("/dev/null"), b"map").unwrap_err();
        assert!(matches!(
            device,
            WriteError::NotARegularFile {
                kind: Special::Device,
                ..
            }
        ));
        let folder = write_atomic(dir.path(), b"map").unwrap_err();
        assert!(matches!(
            folder,
            WriteError::NotARegularFile {
                kind: Special::Folder,
                ..
            }
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.svg");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_mode_not_a_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.svg");
        write_atomic(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // 0666 less any umask: readable by others unless the umask says otherwise, never
        // tempfile's private 0600 for every umask.
        let umask_allows_group_read = {
            let probe = dir.path().join("probe");
            std::fs::File::create(&probe).unwrap();
            std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777
        };
        assert_eq!(mode, umask_allows_group_read);
    }

    #[test]
    fn an_overlong_name_is_said_to_be_too_long() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{}.png", "长".repeat(100)));
        let error = write_atomic(&path, b"x").unwrap_err();
        assert!(matches!(error, WriteError::NameTooLong { bytes: 304, .. }));
        assert!(!error.to_string().contains("folder exists"), "{error}");
    }
}
