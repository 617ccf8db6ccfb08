//! What a user's table is, said in a small file beside it (`TABLE.atlas.toml`): each
//! indicator's name, unit, year and whether it is an amount or a rate, and the official
//! document the figures come from, so that legends, tooltips and export footers cite the
//! user's source as they cite the built-in ones.
//!
//! ```toml
//! [source]
//! document = "2020年四川省科技经费投入统计公报"
//! issuer = "四川省统计局"
//! year = 2021
//! address = "https://tjj.sc.gov.cn/…"     # where the copy was read
//!
//! [[layer]]
//! column = "R&D经费"          # the indicator as the table names it (or a header)
//! name = "R&D经费内部支出"
//! name_en = "Internal R&D expenditure"
//! unit = "万元"
//! unit_en = "10,000 yuan"
//! measure = "amount"          # amount | rate
//! year = 2020                 # for columns whose header names no year
//! note = "规模以上工业企业"
//! ```

use crate::atlas::{Citation, Document, Layer, Measure};
use crate::i18n::Text;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file's suffix after the table's own name.
pub const SUFFIX: &str = ".atlas.toml";

/// The official document and the copy's address.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The document's title, without book-title marks.
    pub document: Option<String>,
    /// Who issued it.
    pub issuer: Option<String>,
    /// The year it is dated.
    pub year: Option<i32>,
    /// Where the copy was read (an address, or a file).
    pub address: Option<String>,
}

/// What one indicator is.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LayerEntry {
    /// The indicator as the table names it, or one of its headers.
    pub column: String,
    /// Its name in Chinese.
    pub name: Option<String>,
    /// Its name in English.
    pub name_en: Option<String>,
    /// Its unit in Chinese.
    pub unit: Option<String>,
    /// Its unit in English.
    pub unit_en: Option<String>,
    /// "amount" (counts, totals) or "rate".
    pub measure: Option<String>,
    /// The year of values whose header and row name none.
    pub year: Option<i32>,
    /// A short caveat, shown with the legend.
    pub note: Option<String>,
    /// A source for this indicator alone.
    pub source: Option<SourceEntry>,
}

/// The sidecar file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// The source of every indicator that names none of its own.
    pub source: Option<SourceEntry>,
    /// The indicators.
    #[serde(default, rename = "layer")]
    pub layers: Vec<LayerEntry>,
}

/// Why a sidecar file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    /// Unreadable.
    #[error("{}: 无法读取 / cannot read it: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Not valid TOML, or a key it does not know.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A value that cannot be.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to write.
        message: String,
    },
}

/// The sidecar of `table`, where one lies beside it.
pub fn path_for(table: &Path) -> Option<PathBuf> {
    let name = table.file_name()?.to_string_lossy().into_owned();
    let path = table.with_file_name(format!("{name}{SUFFIX}"));
    path.is_file().then_some(path)
}

/// Reads a sidecar file.
pub fn read(path: &Path) -> Result<Sidecar, SidecarError> {
    let text = std::fs::read_to_string(path).map_err(|source| SidecarError::Io {
        path: path.to_owned(),
        source,
    })?;
    let sidecar: Sidecar = toml::from_str(&text).map_err(|e| SidecarError::Syntax {
        path: path.to_owned(),
        line: e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().to_owned(),
    })?;
    for entry in &sidecar.layers {
        if let Some(measure) = &entry.measure
            && !matches!(measure.as_str(), "amount" | "rate")
        {
            return Err(SidecarError::Invalid {
                path: path.to_owned(),
                message: format!(
                    "“{}”的 measure 须为 amount 或 rate / measure of '{}' must be amount or rate, not '{measure}'",
                    entry.column, entry.column
                ),
            });
        }
    }
    Ok(sidecar)
}

impl SourceEntry {
    fn citation(&self) -> Citation {
        Citation {
            document: match (&self.document, &self.issuer) {
                (Some(title), issuer) => Some(Document {
                    title: title.trim_matches(['《', '》']).to_owned(),
                    issuer: issuer.clone().unwrap_or_default(),
                    year: self.year,
                }),
                (None, _) => None,
            },
            address: self.address.clone(),
        }
    }
}

/// Applies the sidecar to the layers read from its table: names, units, measures, years,
/// notes and citations. Returns the entries that named no indicator of the table.
pub fn apply(sidecar: &Sidecar, layers: &mut [Layer], columns: &[Vec<String>]) -> Vec<String> {
    let mut unused = Vec::new();
    for layer in layers.iter_mut() {
        if let Some(source) = &sidecar.source {
            layer.citation = Some(source.citation());
        }
    }
    for entry in &sidecar.layers {
        let position = layers.iter().zip(columns).position(|(layer, columns)| {
            layer.name.zh == entry.column || columns.contains(&entry.column)
        });
        let Some(position) = position else {
            unused.push(entry.column.clone());
            continue;
        };
        let layer = &mut layers[position];
        if let Some(name) = &entry.name {
            let en = entry.name_en.clone().unwrap_or_else(|| name.clone());
            layer.name = Text::new(name.clone(), en);
        } else if let Some(en) = &entry.name_en {
            layer.name = Text::new(layer.name.zh.clone(), en.clone());
        }
        if let Some(unit) = &entry.unit {
            let en = entry.unit_en.clone().unwrap_or_else(|| unit.clone());
            layer.unit = Text::new(unit.clone(), en);
        }
        match entry.measure.as_deref() {
            Some("amount") => layer.measure = Measure::Amount,
            Some("rate") => layer.measure = Measure::Rate,
            _ => {}
        }
        // Values the table gave no year take the sidecar's.
        if let Some(year) = entry.year
            && let Some(values) = layer.values.remove(&0)
        {
            layer.values.entry(year).or_insert(values);
        }
        if let Some(note) = &entry.note {
            let previous = layer.caveat.take();
            layer.caveat = Some(match previous {
                Some(p) => Text::new(format!("{note};{}", p.zh), format!("{note}; {}", p.en)),
                None => Text::new(note.clone(), note.clone()),
            });
        }
        if let Some(source) = &entry.source {
            layer.citation = Some(source.citation());
        }
    }
    unused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_their_line_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv.atlas.toml");
        std::fs::write(
            &path,
            "[source]\ndocument = \"公报\"\n\n[[layer]]\ncolumn = \"x\"\nunits = \"万元\"\n",
        )
        .unwrap();
        match read(&path) {
            Err(SidecarError::Syntax { line, message, .. }) => {
                assert_eq!(line, 6, "{message}");
                assert!(message.contains("units"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, "[[layer]]\ncolumn = \"x\"\nmeasure = \"total\"\n").unwrap();
        assert!(matches!(read(&path), Err(SidecarError::Invalid { .. })));
    }
}
