//! Where values come from.

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// Index of a source text, read with [`super::Atlas::source`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceId(pub u32);

impl SourceId {
    /// Values from a file the user loaded; the layer's caveat names the file.
    pub const USER: SourceId = SourceId(u32::MAX);
    /// Values the atlas computed from other layers (an index); the layer's
    /// [`super::Layer::derived_from`] cites their sources.
    pub const DERIVED: SourceId = SourceId(u32::MAX - 1);
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

/// Where a user's layer comes from, as its sidecar file says: the official document first,
/// then the address where the copy was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Citation {
    /// The document the figures are from.
    pub document: Option<Document>,
    /// Where the copy was read.
    pub address: Option<String>,
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
    /// Where the boundaries come from, in both languages.
    pub source: Text,
    /// Their licence (a licence name reads the same in both).
    pub licence: String,
    /// The year the administrative divisions are as of.
    pub vintage: Text,
    /// What was done to them.
    pub processing: Text,
}

impl SourceTable {
    /// The text of an interned source.
    pub(crate) fn text(&self, id: SourceId) -> &str {
        &self.texts[id.0 as usize]
    }
}

/// The addresses in a source citation (web addresses and repository paths with their commit),
/// without the annotation on what the page says. A citation with an official document shows
/// these after the document: the document already says what the copy is, and the annotation
/// (kept as the data were researched, often in English) belongs behind "details". A citation
/// in which no address is found is returned whole.
pub fn copy_addresses(source: &str) -> String {
    let mut addresses = Vec::new();
    let mut rest = source;
    while let Some(start) = next_address(rest) {
        let tail = &rest[start..];
        let end = if tail.starts_with("http") {
            // A web address ends at the first space, bracket or separator.
            tail.find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | ','))
                .unwrap_or(tail.len())
        } else {
            // A repository path (`github.com/owner/repo path/in/repo (commit abc)`) runs to its
            // commit, or to the first bracket or separator when it names none.
            match tail.find(" (commit ") {
                Some(i) if !tail[..i].contains([';', '(']) => {
                    i + tail[i..].find(')').map_or(tail.len() - i, |j| j + 1)
                }
                _ => tail.find([' ', '(', ';']).unwrap_or(tail.len()),
            }
        };
        addresses.push(&tail[..end]);
        rest = &tail[end..];
    }
    if addresses.is_empty() {
        source.to_owned()
    } else {
        addresses.join("; ")
    }
}

/// Where the next address in `text` starts: a web address, or a repository path not inside one.
fn next_address(text: &str) -> Option<usize> {
    ["http://", "https://", "github.com/"]
        .iter()
        .filter_map(|prefix| {
            text.match_indices(prefix)
                .map(|(i, _)| i)
                .find(|&i| !(prefix.starts_with('g') && text[..i].ends_with('/')))
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::copy_addresses;

    #[test]
    fn a_mirror_citation_keeps_its_address_and_drops_the_annotation() {
        assert_eq!(
            copy_addresses(
                "https://m.pouringspot.com/tjj/2019/9/4/29d8.shtml (mirror of 四川省统计局《2018年公报》2019-09-04, 附表)"
            ),
            "https://m.pouringspot.com/tjj/2019/9/4/29d8.shtml"
        );
    }

    #[test]
    fn two_addresses_are_both_kept() {
        assert_eq!(
            copy_addresses("http://a.cn/1.html (四川日报); also http://b.cn/2.html"),
            "http://a.cn/1.html; http://b.cn/2.html"
        );
    }

    #[test]
    fn a_repository_path_keeps_its_commit() {
        assert_eq!(
            copy_addresses(
                "github.com/thebamboogrove/tudigong input/{population,education}.csv (commit 4db2f14), compiled from NBS"
            ),
            "github.com/thebamboogrove/tudigong input/{population,education}.csv (commit 4db2f14)"
        );
    }

    #[test]
    fn a_repository_address_inside_a_web_address_is_not_cut_out() {
        assert_eq!(
            copy_addresses("https://github.com/owner/repo/blob/main/x.csv (note)"),
            "https://github.com/owner/repo/blob/main/x.csv"
        );
    }

    #[test]
    fn a_citation_without_an_address_is_kept_whole() {
        let text = "GitHub file (script \"Bootstrap\"), third-party mapping";
        assert_eq!(copy_addresses(text), text);
    }
}
