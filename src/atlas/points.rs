//! Point features: high-tech zones, incubators, facilities.

use super::{PrefectureId, SourceId, UnitId};
use crate::crs::LonLat;
use crate::i18n::Text;

/// How precisely a point feature is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// Its own coordinates (an address geocoded, a surveyed point).
    Exact,
    /// Only the county it lies in is known: it is drawn hollow at the county's label point.
    County,
}

/// One point feature.
#[derive(Clone, Debug)]
pub struct PointFeature {
    /// Its name, e.g. 成都高新技术产业开发区.
    pub name: String,
    /// Position in WGS84, where the source gives one.
    pub position: Option<LonLat>,
    /// The county the source places it in, if any.
    pub unit: Option<UnitId>,
    /// The prefecture the source places it in.
    pub prefecture: Option<PrefectureId>,
    /// The year as the source gives it.
    pub year_label: String,
    /// How precisely it is placed (e.g. "county label point"), as the source says.
    pub placement: String,
    /// How precisely it is placed, as the map draws it.
    pub precision: Precision,
    /// Where it was read.
    pub source: SourceId,
}

impl PointFeature {
    /// Whether a map can draw it: at its own position, or (placed by county) at its county's
    /// label point. A feature known only by its prefecture cannot be drawn.
    pub fn drawable(&self) -> bool {
        match self.precision {
            Precision::Exact => self.position.is_some(),
            Precision::County => self.unit.is_some(),
        }
    }
}

/// A layer of point features of one kind.
#[derive(Clone, Debug)]
pub struct PointLayer {
    /// Stable identifier, e.g. `hightech_zones_national`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// What the reader must know (placement precision, completeness).
    pub caveat: Option<Text>,
    /// The features, in source order.
    pub features: Vec<PointFeature>,
}
