//! Reading a user's input file whole, safely: only a regular file (a FIFO with no writer would
//! hang the reader, `/dev/urandom` would grow without bound), and no larger than a table can
//! sensibly be.

use std::io::Read;
use std::path::Path;

/// The largest table file read (512 MiB): far above any county table or point list a planner
/// keeps, far below what would exhaust a laptop's memory.
pub const MAX_TABLE_BYTES: u64 = 512 << 20;

/// Why an input file was not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Not a regular file.
    #[error(
        "{path}:不是普通文件(是{}),不会读取;请给出表格文件 / {path} is not a regular file ({}): give a table file",
        .kind.0, .kind.1
    )]
    NotAFile {
        /// The path.
        path: String,
        /// What it is, in Chinese and English.
        kind: (&'static str, &'static str),
    },
    /// Larger than [`MAX_TABLE_BYTES`].
    #[error(
        "{path}:文件过大({} MB,上限 512 MB) / {path} is too large ({} MB; the limit is 512 MB)",
        .bytes >> 20, .bytes >> 20
    )]
    TooLarge {
        /// The path.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// It could not be opened or read.
    #[error("{path}:无法读取文件 / {path}: cannot read the file: {source}")]
    Io {
        /// The path.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// The regular file at `path` (links followed), opened for reading, and its length: a
/// device, pipe, socket or folder is refused before it is opened.
pub fn open_input(path: &Path) -> Result<(std::fs::File, u64), InputError> {
    let shown = || path.display().to_string();
    let io = |source| InputError::Io {
        path: shown(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(InputError::NotAFile {
            path: shown(),
            kind: if kind.is_dir() {
                ("文件夹", "a folder")
            } else {
                ("设备、管道或套接字", "a device, pipe or socket")
            },
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    Ok((file, metadata.len()))
}

/// The bytes of the regular file at `path` (links followed), at most `max_bytes` of them.
pub fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let shown = || path.display().to_string();
    let io = |source| InputError::Io {
        path: shown(),
        source,
    };
    let (file, length) = open_input(path)?;
    if length > max_bytes {
        return Err(InputError::TooLarge {
            path: shown(),
            bytes: length,
        });
    }
    // The check above and the read below are not atomic: read at most one byte past the cap,
    // so that a file grown in between is refused too, not read without end.
    let mut bytes = Vec::with_capacity(length as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            path: shown(),
            bytes: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_pipes_and_folders_are_refused_without_reading() {
        for path in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            assert!(
                matches!(
                    read_input(Path::new(path), MAX_TABLE_BYTES),
                    Err(InputError::NotAFile { .. })
                ),
                "{path}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let error = read_input(dir.path(), MAX_TABLE_BYTES).unwrap_err();
        assert!(error.to_string().contains("a folder"), "{error}");
        let fifo = dir.path().join("fifo.csv");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // Opening a FIFO with no writer would block forever: it must not be opened at all.
        assert!(matches!(
            read_input(&fifo, MAX_TABLE_BYTES),
            Err(InputError::NotAFile { .. })
        ));
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'x'; 1000]).unwrap();
        assert!(matches!(
            read_input(&path, 999),
            Err(InputError::TooLarge { bytes: 1000, .. })
        ));
        assert_eq!(read_input(&path, 1000).unwrap().len(), 1000);
    }
}
