//! The one description of a map: what fills the counties, what is drawn over them, what part
//! of the province it centres on, whether names are shown. The window's view holds one, every
//! export is made from one, and the export record carries one; [`super::compose`] turns it
//! into what is drawn.

use super::choropleth::MapSpec;
use crate::atlas::{Adcode, Atlas, EconomicRegion, UnitId};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// How a designation is shown over the fill.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OverlayStyle {
    /// Diagonal hatch over the member counties.
    #[default]
    Hatch,
    /// Outline of the member counties.
    Outline,
}

impl std::str::FromStr for OverlayStyle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hatch" => Ok(OverlayStyle::Hatch),
            "outline" => Ok(OverlayStyle::Outline),
            other => Err(format!(
                "未知的叠加样式“{other}”:可用 hatch 或 outline / unknown overlay style '{other}': use hatch or outline"
            )),
        }
    }
}

/// A designation list drawn over the choropleth.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Overlay {
    /// Designation id (see `county-atlas layers`).
    pub designation: String,
    /// Hatch or outline.
    pub style: OverlayStyle,
}

/// What part of the province a map centres on; the rest is drawn muted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Focus {
    /// One of the five economic regions.
    Region(EconomicRegion),
    /// One prefecture, by adcode.
    Prefecture(Adcode),
}

impl Focus {
    /// The units it covers.
    pub fn units(&self, atlas: &Atlas) -> Vec<UnitId> {
        atlas
            .units()
            .iter()
            .filter(|u| match self {
                Focus::Region(region) => u.region == *region,
                Focus::Prefecture(code) => atlas.prefecture_of(u).adcode == *code,
            })
            .map(|u| u.id)
            .collect()
    }

    /// Its name: the region's in `lang`, or the prefecture's.
    pub fn name(&self, atlas: &Atlas, lang: Lang) -> String {
        match self {
            Focus::Region(region) => region.name(lang).to_owned(),
            Focus::Prefecture(code) => atlas
                .prefectures()
                .iter()
                .find(|p| p.adcode == *code)
                .map_or_else(|| code.to_string(), |p| p.name_in(lang).to_owned()),
        }
    }

    /// Parses a region (成都平原, 川南经济区, panxi, ...) or a prefecture (成都市, 成都, 阿坝,
    /// 510100).
    pub fn parse(atlas: &Atlas, text: &str) -> Result<Focus, String> {
        if let Some(region) = EconomicRegion::parse(text) {
            return Ok(Focus::Region(region));
        }
        let text = text.trim();
        let code = Adcode::parse(text);
        let prefecture = atlas
            .prefectures()
            .iter()
            .find(|p| Some(p.adcode) == code || p.name == text)
            .or_else(|| {
                let mut starting = atlas
                    .prefectures()
                    .iter()
                    .filter(|p| !text.is_empty() && p.name.starts_with(text));
                // A prefix names a prefecture only if it names one alone.
                starting.next().filter(|_| starting.next().is_none())
            });
        prefecture.map(|p| Focus::Prefecture(p.adcode)).ok_or_else(|| {
            let regions = EconomicRegion::ALL.map(|r| r.name_zh()).join(", ");
            format!(
                "“{text}”既不是经济区({regions})也不是市州(成都市、阿坝、510100……) / \
                 '{text}' is neither an economic region ({regions}) nor a prefecture (成都市, 阿坝, 510100, ...)"
            )
        })
    }

    /// A short ASCII name for file names: the region's id or the prefecture's adcode.
    pub fn id(&self) -> String {
        match self {
            Focus::Region(region) => region.id().to_owned(),
            Focus::Prefecture(code) => code.to_string(),
        }
    }
}

/// Everything a map shows: small and serialisable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapDocument {
    /// What fills the counties: layer, year, normalisation, classes, palette, legend labels.
    pub map: MapSpec,
    /// Fill opacity, 0.1..1.
    pub opacity: f32,
    /// Designations drawn over the fill, in order.
    pub overlays: Vec<Overlay>,
    /// Point layers shown, by id.
    pub point_layers: Vec<String>,
    /// Draw the five regions' borders boldest.
    pub region_borders: bool,
    /// Draw county names.
    pub labels: bool,
    /// Centre on a region or prefecture, muting the rest.
    pub focus: Option<Focus>,
    /// Distance rings around 成都's or each region's population centre.
    pub rings: Option<super::rings::Rings>,
}

impl Default for MapDocument {
    fn default() -> Self {
        MapDocument {
            map: MapSpec::default(),
            opacity: 1.0,
            overlays: Vec::new(),
            point_layers: Vec::new(),
            region_borders: true,
            labels: true,
            focus: None,
            rings: None,
        }
    }
}

impl MapDocument {
    /// A document mapping `spec` with nothing over it and no names (the command line's
    /// starting point; its options add the rest).
    pub fn of(spec: MapSpec) -> Self {
        MapDocument {
            map: spec,
            labels: false,
            ..MapDocument::default()
        }
    }

    /// Whether any overlay is drawn as an outline (a renderer then needs the units' outlines).
    pub fn has_outline_overlays(&self) -> bool {
        self.overlays
            .iter()
            .any(|o| o.style == OverlayStyle::Outline)
    }

    /// Drops what `atlas` does not have (a document saved by another version or naming
    /// another data set) and clamps numbers into their ranges; `layer_exists` also accepts
    /// layers from outside the atlas (the user's own).
    pub fn sanitize(mut self, atlas: &Atlas, layer_exists: impl Fn(&str) -> bool) -> Self {
        if !layer_exists(&self.map.layer) {
            self.map = MapSpec::default();
        }
        if let Some(year) = self.map.year
            && atlas
                .layer(&self.map.layer)
                .is_some_and(|l| !l.years().any(|y| y == year))
        {
            self.map.year = None;
        }
        self.map.classes = self.map.classes.clamp(
            *crate::analysis::classify::CLASS_COUNTS.start(),
            *crate::analysis::classify::CLASS_COUNTS.end(),
        );
        self.opacity = if self.opacity.is_finite() {
            self.opacity.clamp(0.1, 1.0)
        } else {
            1.0
        };
        self.overlays
            .retain(|o| atlas.designation(&o.designation).is_some());
        let mut seen = std::collections::HashSet::new();
        self.overlays.retain(|o| seen.insert(o.designation.clone()));
        self.point_layers
            .retain(|id| atlas.point_layers().iter().any(|l| &l.id == id));
        self.point_layers.dedup();
        if let Some(Focus::Prefecture(code)) = &self.focus
            && !atlas.prefectures().iter().any(|p| p.adcode == *code)
        {
            self.focus = None;
        }
        self.rings = self
            .rings
            .and_then(|r| super::rings::Rings::new(r.around, &r.km));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_styles_parse() {
        assert_eq!("Outline".parse(), Ok(OverlayStyle::Outline));
        assert_eq!("hatch".parse(), Ok(OverlayStyle::Hatch));
        assert!("dots".parse::<OverlayStyle>().is_err());
    }

    #[test]
    fn sanitize_drops_unknown_names_and_clamps() {
        let atlas = Atlas::builtin().unwrap();
        let doc = MapDocument {
            opacity: f32::NAN,
            overlays: vec![
                Overlay {
                    designation: "innovative_county".into(),
                    style: OverlayStyle::Hatch,
                },
                Overlay {
                    designation: "innovative_county".into(),
                    style: OverlayStyle::Outline,
                },
                Overlay {
                    designation: "gone".into(),
                    style: OverlayStyle::Hatch,
                },
            ],
            point_layers: vec!["gone".into()],
            focus: Some(Focus::Prefecture(Adcode(999_900))),
            ..MapDocument::default()
        }
        .sanitize(&atlas, |id| atlas.layer(id).is_some());
        assert_eq!(doc.opacity, 1.0);
        assert_eq!(doc.overlays.len(), 1, "unknown and repeated overlays go");
        assert!(doc.point_layers.is_empty());
        assert_eq!(doc.focus, None);
    }
}
