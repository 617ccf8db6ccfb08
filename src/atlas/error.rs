//! Why an atlas could not be loaded.

use std::path::PathBuf;

/// An error while loading the atlas's data. Every variant names the file, and where it
/// applies the line and column, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A boundary file is not a valid `.cageo` file.
    #[error("{file}: {source}")]
    Boundary {
        /// The file.
        file: String,
        /// What is wrong with it.
        source: super::codec::DecodeError,
    },
    /// A table has a malformed cell or row.
    #[error("{file}:{line}{}: {message}", column.as_ref().map(|c| format!(": column '{c}'")).unwrap_or_default())]
    Table {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The column's name, if one cell is at fault.
        column: Option<String>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A required column is missing from a table's header.
    #[error("{file}:1: no column named '{column}'; the header has: {}", available.join(", "))]
    MissingColumn {
        /// The file.
        file: String,
        /// The column looked for.
        column: String,
        /// The columns the header has.
        available: Vec<String>,
    },
    /// The data contradicts itself (e.g. a prefecture without a region).
    #[error("{file}: {message}")]
    Inconsistent {
        /// The file.
        file: String,
        /// What does not fit.
        message: String,
    },
}
