//! Where values come from.

use serde::{Deserialize, Serialize};

/// Index of a source text, read with [`super::Atlas::source`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceId(pub u32);

impl SourceId {
    /// Values from a file the user loaded; the layer's caveat names the file.
    pub const USER: SourceId = SourceId(u32::MAX);
}

/// Interns source citations so that thousands of values can share a handful of strings.
#[derive(Clone, Debug, Default)]
pub(crate) struct SourceTable {
    texts: Vec<String>,
    index: std::collections::HashMap<String, SourceId>,
}

impl SourceTable {
    /// The id of `text`, adding it if new.
    pub(crate) fn intern(&mut self, text: &str) -> SourceId {
        if let Some(&id) = self.index.get(text) {
            return id;
        }
        let id = SourceId(self.texts.len() as u32);
        self.texts.push(text.to_owned());
        self.index.insert(text.to_owned(), id);
        id
    }

    /// All texts, indexed by [`SourceId`].
    pub(crate) fn into_texts(self) -> Vec<String> {
        self.texts
    }
}

/// The official document a value comes from, where a citation names one: what a briefing
/// cites first, before the address where a copy was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Its title, without book-title marks.
    pub title: String,
    /// Who issued or compiled it.
    pub issuer: String,
    /// The year it is dated, where the citation gives one.
    pub year: Option<i32>,
}

impl Document {
    /// 《title》(issuer, year): as a footer or a profile cites it.
    pub fn cite(&self) -> String {
        match self.year {
            Some(year) => format!("《{}》({}, {year})", self.title, self.issuer),
            None => format!("《{}》({})", self.title, self.issuer),
        }
    }
}

/// The provenance of the boundary data, for profiles and map footers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryProvenance {
    /// Where the boundaries come from.
    pub source: String,
    /// Their licence.
    pub licence: String,
    /// The year the administrative divisions are as of.
    pub vintage: String,
    /// What was done to them.
    pub processing: String,
}

impl SourceTable {
    /// The text of an interned source.
    pub(crate) fn text(&self, id: SourceId) -> &str {
        &self.texts[id.0 as usize]
    }
}
