//! An innovation index's definition read from its TOML file, with the county classes its
//! `[groups]` section names (a grouping table is found next to the definition, so the two
//! travel together). Every mistake names the file and line.

use super::grouping_table::{GroupingError, grouping_by};
use super::input_file::{InputError, read_input};
use crate::analysis::composite::{
    DefinitionError, IndexDefinition, IndexRun, StoredClasses, StoredIndex,
};
use crate::analysis::grouping::Grouping;
use crate::atlas::{Adcode, Atlas};
use std::path::{Path, PathBuf};

/// A definition is a few kilobytes; anything near this is not one.
const MAX_SPEC_BYTES: u64 = 1 << 20;

/// A definition ready to compute.
#[derive(Clone, Debug)]
pub struct IndexSpec {
    /// The definition.
    pub definition: IndexDefinition,
    /// The county classes of `[groups]`.
    pub classes: Option<Grouping>,
    /// Where it was read.
    pub path: PathBuf,
    /// The file as read (written into an export's record).
    pub text: String,
}

/// Why a definition file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file cannot be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not UTF-8.
    #[error("{}: 不是 UTF-8 文本 / not UTF-8 text", .0.display())]
    NotText(PathBuf),
    /// A mistake in the definition.
    #[error("{}:{}: {} / {}", path.display(), source.line, source.zh, source.en)]
    Definition {
        /// The file.
        path: PathBuf,
        /// The mistake.
        source: DefinitionError,
    },
    /// A stored index's classes name a county the atlas does not have.
    #[error("{}: 指数的县分类含未知区划代码 {adcode} / the index's county classes hold the unknown adcode {adcode}", path.display())]
    StoredClasses {
        /// The definition's file.
        path: PathBuf,
        /// The code.
        adcode: Adcode,
    },
    /// The grouping of `[groups]` cannot be read.
    #[error("{}: [groups]: {source}", path.display())]
    Groups {
        /// The definition's file.
        path: PathBuf,
        /// Why (boxed: a grouping's error is large and rare).
        source: Box<GroupingError>,
    },
}

impl SpecError {
    /// The definition's mistake, where that is what is wrong.
    pub fn definition(&self) -> Option<&DefinitionError> {
        match self {
            SpecError::Definition { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Reads the definition at `path`; `layer_exists` says which layer ids name layers;
/// `year` replaces the file's year where given.
pub fn read_index_spec(
    path: &Path,
    atlas: &Atlas,
    layer_exists: &dyn Fn(&str) -> bool,
    year: Option<i32>,
) -> Result<IndexSpec, SpecError> {
    let bytes = read_input(path, MAX_SPEC_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| SpecError::NotText(path.to_owned()))?;
    parse_index_spec(&text, path, atlas, layer_exists, year)
}

/// [`read_index_spec`] of text already read (the window's editor, a project).
pub fn parse_index_spec(
    text: &str,
    path: &Path,
    atlas: &Atlas,
    layer_exists: &dyn Fn(&str) -> bool,
    year: Option<i32>,
) -> Result<IndexSpec, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let definition_error = |source| SpecError::Definition {
        path: path.to_owned(),
        source,
    };
    let mut definition = IndexDefinition::parse(text, layer_exists).map_err(definition_error)?;
    if let Some(year) = year {
        definition = definition.with_year(year).map_err(definition_error)?;
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    let classes = definition
        .groups
        .as_ref()
        .map(|g| grouping_by(atlas, &g.by, folder))
        .transpose()
        .map_err(|source| SpecError::Groups {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
    Ok(IndexSpec {
        definition,
        classes,
        path: path.to_owned(),
        text: text.to_owned(),
    })
}

impl IndexSpec {
    /// The definition as it travels with a project and in an export's record, with the
    /// draws and the progress year of `run`, the index computed from it.
    pub fn stored(&self, atlas: &Atlas, run: &IndexRun) -> StoredIndex {
        StoredIndex {
            file: self.path.display().to_string(),
            text: self.text.clone(),
            year: self.definition.year,
            classes: self.classes.as_ref().map(|g| StoredClasses::of(g, atlas)),
            draws: run.draws,
            from_year: run.progress.as_ref().map(|p| p.from_year),
        }
    }
}

/// The definition of a stored index (a project's), for its year and with its classes as
/// stored: the grouping table it was read with need not be at hand.
pub fn stored_index_spec(
    stored: &StoredIndex,
    atlas: &Atlas,
    layer_exists: &dyn Fn(&str) -> bool,
) -> Result<IndexSpec, SpecError> {
    let path = PathBuf::from(&stored.file);
    let definition_error = |source| SpecError::Definition {
        path: path.clone(),
        source,
    };
    let definition = IndexDefinition::parse(&stored.text, layer_exists)
        .and_then(|d| d.with_year(stored.year))
        .map_err(definition_error)?;
    let classes = stored
        .classes
        .as_ref()
        .map(|c| c.grouping(atlas))
        .transpose()
        .map_err(|adcode| SpecError::StoredClasses {
            path: path.clone(),
            adcode,
        })?;
    Ok(IndexSpec {
        definition,
        classes,
        path,
        text: stored.text.clone(),
    })
}
