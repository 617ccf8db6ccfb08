//! An index as it travels: in a project file (so that the project reopens with its index
//! computed again) and in the record of every export that shows it (so that a map or report
//! says exactly which definition made it). The definition's own text is kept, not a parsed
//! form: it is what a planner wrote and what computes the same index again. County classes
//! read from a grouping table are kept by adcode, so that the project does not depend on
//! the table's file or on the atlas's internal order.

use crate::analysis::grouping::Grouping;
use crate::atlas::{Adcode, Atlas};
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// A computed index's definition and what computing it again needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredIndex {
    /// Where the definition was read (shown; the text below is what is used).
    pub file: String,
    /// The definition file's text.
    pub text: String,
    /// The year it was computed for (the file's, or the one asked instead).
    pub year: i32,
    /// The county classes of its `[groups]`, as they were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<StoredClasses>,
    /// The Monte Carlo draws and seed of its rank intervals, where they were run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<(usize, u64)>,
    /// The earlier year its progress was measured from, where it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
}

/// County classes keyed by adcode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredClasses {
    /// What the classification is.
    pub name: Text,
    /// The classes, in order.
    pub classes: Vec<Text>,
    /// Each classed county and the index of its class.
    pub members: Vec<(Adcode, usize)>,
}

impl StoredClasses {
    /// `grouping` keyed by `atlas`'s adcodes.
    pub fn of(grouping: &Grouping, atlas: &Atlas) -> Self {
        StoredClasses {
            name: grouping.name.clone(),
            classes: grouping.groups.clone(),
            members: atlas
                .units()
                .iter()
                .zip(&grouping.of_unit)
                .filter_map(|(u, class)| class.map(|c| (u.adcode, c)))
                .collect(),
        }
    }

    /// The grouping over `atlas`'s counties; `Err` names an adcode the atlas lacks or a
    /// class index out of range (a damaged file).
    pub fn grouping(&self, atlas: &Atlas) -> Result<Grouping, Adcode> {
        let mut of_unit = vec![None; atlas.units().len()];
        for &(adcode, class) in &self.members {
            let unit = atlas.unit_by_adcode(adcode).ok_or(adcode)?;
            if class >= self.classes.len() {
                return Err(adcode);
            }
            of_unit[unit.id.index()] = Some(class);
        }
        Ok(Grouping {
            name: self.name.clone(),
            groups: self.classes.clone(),
            of_unit,
        })
    }
}
