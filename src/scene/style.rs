//! A document styled for drawing, independent of the view: each unit's fill and flags, the
//! point features to mark, and the legend (classes, no data, overlays, points) with its
//! counts. The window and every export draw from this one [`MapStyle`].

use super::choropleth::{Choropleth, ChoroplethError};
use super::document::{MapDocument, OverlayStyle};
use super::theme::{Rgba, Theme};
use crate::atlas::{Atlas, Layer, Level, PointFeature, Precision, UnitId};
use crate::i18n::{Lang, Text, tr};

/// Bits of the per-unit flags table. The renderer's shader (`shaders/map.wgsl`) reads the same
/// bits; the SVG writer draws the same meanings.
pub mod flags {
    /// The pointer is over the shape (window only).
    pub const HOVERED: u8 = 1;
    /// The shape is selected (window only).
    pub const SELECTED: u8 = 2;
    /// Hatch overlay: a designation names this county.
    pub const OVERLAY_HATCH: u8 = 4;
    /// Outline overlay: a designation names this county.
    pub const OVERLAY_OUTLINE: u8 = 8;
    /// Drawn muted (outside the focus).
    pub const MUTED: u8 = 16;
    /// No value: drawn hatched in the no-data colour.
    pub const NO_DATA: u8 = 32;
    /// A designation names this county's whole prefecture, not the county itself: a sparse
    /// hatch the other way, so it never reads as if the county were named.
    pub const OVERLAY_WIDE: u8 = 64;
}

/// What a legend row's swatch shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A class's fill.
    Fill(Rgba),
    /// The no-data hatch.
    NoData,
    /// A designation's hatch (counties named).
    Hatch,
    /// The sparse hatch of prefectures named as a whole.
    WideHatch,
    /// A designation's outline.
    Outline,
    /// A point layer's symbol: the `layer`-th shown; hollow where its features are placed
    /// only by county.
    Point {
        /// The layer's place among the document's point layers.
        layer: usize,
        /// Drawn hollow.
        hollow: bool,
    },
}

/// What a legend row counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Counties (or prefectures, for `prefectures: true`).
    Units {
        /// How many.
        n: usize,
        /// They are prefectures.
        prefectures: bool,
    },
    /// Counties in the focus and in the province.
    InFocus {
        /// In the focus.
        focus: usize,
        /// In the province.
        total: usize,
    },
    /// Point features placed on the map and in the layer.
    Points {
        /// With a position.
        placed: usize,
        /// In the layer.
        total: usize,
    },
}

impl Count {
    /// The count as a legend writes it after the label: "12", "3 / 37", "14/23".
    pub fn text(&self, lang: Lang) -> String {
        match *self {
            Count::Units {
                n,
                prefectures: false,
            } => n.to_string(),
            Count::Units {
                n,
                prefectures: true,
            } => format!("{n} {}", tr(lang, "市州", "prefectures")),
            Count::InFocus { focus, total } => format!("{focus} / {total}"),
            Count::Points { placed, total } if placed == total => placed.to_string(),
            Count::Points { placed, total } => match lang {
                Lang::Zh => format!("{placed}/{total} 已定位"),
                Lang::En => format!("{placed} of {total} placed"),
            },
        }
    }
}

/// One row of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// Its swatch.
    pub swatch: Swatch,
    /// Its label.
    pub label: Text,
    /// What it counts.
    pub count: Count,
}

impl LegendItem {
    /// "label (count)".
    pub fn text(&self, lang: Lang) -> String {
        format!("{} ({})", self.label.get(lang), self.count.text(lang))
    }
}

/// The legend of a styled map.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// Its title: the layer's name, year and unit.
    pub title: Text,
    /// Classes (no data last), then overlays, then point layers.
    pub items: Vec<LegendItem>,
    /// Short notes under it (an unnormalised amount, what the counts count).
    pub notes: Vec<Text>,
}

/// A point feature to mark: where, and which feature of which of the document's point
/// layers it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapPoint {
    /// Projected position, world metres, for exactly placed features.
    pub exact: Option<[f64; 2]>,
    /// The county it lies in, where known: county-precision features are drawn at its label
    /// point (the composition knows where that is).
    pub unit: Option<UnitId>,
    /// Index into the document's `point_layers`.
    pub layer: usize,
    /// Index into that layer's features.
    pub feature: usize,
}

/// A document styled: what every renderer needs that does not depend on the view.
#[derive(Clone, Debug, PartialEq)]
pub struct MapStyle {
    /// The styled layer; `None` when it could not be styled (the window then shows the
    /// counties as no data, with the reason beside the layer's options).
    pub choropleth: Option<Choropleth>,
    /// Fill of each unit (the no-data colour where it has no value).
    pub colours: Vec<Rgba>,
    /// Flags of each unit ([`flags`]): no data, overlays, muting.
    pub flags: Vec<u8>,
    /// Whether any unit carries [`flags::OVERLAY_OUTLINE`].
    pub overlay_outlines: bool,
    /// The points to mark.
    pub points: Vec<MapPoint>,
    /// For each of the document's point layers, its index in the atlas's point layers.
    pub point_layers: Vec<usize>,
    /// The focus's units, if the document has a focus.
    pub focus_units: Option<Vec<UnitId>>,
    /// The legend.
    pub legend: Legend,
    /// Fill opacity, 0.1..1.
    pub opacity: f32,
    /// Region borders boldest.
    pub region_borders: bool,
    /// County names shown (prefecture names, zoomed out, follow them).
    pub unit_names: bool,
    /// The fill is published by prefecture: the borders between counties of one prefecture
    /// are drawn faint, so that the map reads as the 21 prefectures its values are.
    pub faint_county_borders: bool,
    /// Distance rings to draw, their centres found (placed in each frame by
    /// [`super::compose`]).
    pub rings: Option<super::rings::StyledRings>,
}

impl MapStyle {
    /// The feature a mark stands for.
    pub fn feature<'a>(&self, atlas: &'a Atlas, point: &MapPoint) -> &'a PointFeature {
        &atlas.point_layers()[self.point_layers[point.layer]].features[point.feature]
    }

    /// Styles `doc`, its fill from `layer`.
    pub fn new(
        atlas: &Atlas,
        layer: &Layer,
        doc: &MapDocument,
        theme: &Theme,
    ) -> Result<Self, ChoroplethError> {
        let choropleth = Choropleth::new(atlas, layer, &doc.map)?;
        Ok(Self::build(
            atlas,
            Some((choropleth, layer.level)),
            doc,
            theme,
        ))
    }

    /// Styles `doc` without a fill: every unit as no data, overlays and points as usual (the
    /// window's map while its layer cannot be styled).
    pub fn unstyled(atlas: &Atlas, doc: &MapDocument, theme: &Theme) -> Self {
        Self::build(atlas, None, doc, theme)
    }

    fn build(
        atlas: &Atlas,
        styled: Option<(Choropleth, Level)>,
        doc: &MapDocument,
        theme: &Theme,
    ) -> Self {
        let level = styled.as_ref().map_or(Level::County, |(_, level)| *level);
        let choropleth = styled.map(|(c, _)| c);
        let by_prefecture = level == Level::Prefecture;
        let units = atlas.units().len();
        let (colours, mut unit_flags): (Vec<Rgba>, Vec<u8>) = match &choropleth {
            Some(c) => c
                .colours
                .iter()
                .map(|c| match c {
                    Some(c) => (*c, 0),
                    None => (theme.no_data, flags::NO_DATA),
                })
                .unzip(),
            None => (vec![theme.no_data; units], vec![flags::NO_DATA; units]),
        };
        let focus_units = doc.focus.as_ref().map(|f| f.units(atlas));
        let in_focus = |u: usize| {
            focus_units
                .as_ref()
                .is_none_or(|units| units.contains(&UnitId(u as u32)))
        };
        if focus_units.is_some() {
            for (u, f) in unit_flags.iter_mut().enumerate() {
                if !in_focus(u) {
                    *f |= flags::MUTED;
                }
            }
        }
        let count = |units: &[usize]| match &focus_units {
            Some(_) => Count::InFocus {
                focus: units.iter().filter(|&&u| in_focus(u)).count(),
                total: units.len(),
            },
            None => Count::Units {
                n: units.len(),
                prefectures: false,
            },
        };
        // A layer published by prefecture counts prefectures: 21 values, not 183.
        let count_prefectures = |units: &[usize]| {
            let mut prefectures: Vec<usize> = units
                .iter()
                .map(|&u| atlas.units()[u].prefecture.index())
                .collect();
            prefectures.dedup();
            let in_focus = |p: usize| {
                atlas.prefectures()[p]
                    .units
                    .iter()
                    .any(|u| in_focus(u.index()))
            };
            match &focus_units {
                Some(_) => Count::InFocus {
                    focus: prefectures.iter().filter(|&&p| in_focus(p)).count(),
                    total: prefectures.len(),
                },
                None => Count::Units {
                    n: prefectures.len(),
                    prefectures: true,
                },
            }
        };

        let mut items = Vec::new();
        let mut notes = Vec::new();
        if let Some(c) = &choropleth {
            for (class, entry) in c.legend.iter().enumerate() {
                // Units in prefecture order, so that a prefecture's units are adjacent.
                let mut members: Vec<usize> = (0..units)
                    .filter(|&u| {
                        if entry.no_data {
                            c.colours[u].is_none()
                        } else {
                            c.classes[u] == Some(class)
                        }
                    })
                    .collect();
                members.sort_by_key(|&u| atlas.units()[u].prefecture);
                items.push(LegendItem {
                    swatch: if entry.no_data {
                        Swatch::NoData
                    } else {
                        Swatch::Fill(entry.colour)
                    },
                    label: entry.label.clone(),
                    count: if by_prefecture {
                        count_prefectures(&members)
                    } else {
                        count(&members)
                    },
                });
            }
            if c.warning.is_some() {
                notes.push(Text::new(
                    "注:总量指标未按人口或面积标准化",
                    "Note: an amount, not normalised by population or area",
                ));
            }
            let valued = c.colours.iter().filter(|c| c.is_some()).count();
            if valued * 2 < units {
                notes.push(if by_prefecture {
                    let prefectures = atlas.prefectures().len();
                    let with = atlas
                        .prefectures()
                        .iter()
                        .filter(|p| p.units.iter().any(|u| c.colours[u.index()].is_some()))
                        .count();
                    Text::new(
                        format!("注:仅 {with}/{prefectures} 个市州有数据"),
                        format!("Note: only {with} of {prefectures} prefectures have a value"),
                    )
                } else {
                    Text::new(
                        format!("注:仅 {valued}/{units} 个县有数据"),
                        format!("Note: only {valued} of {units} counties have a value"),
                    )
                });
            }
            let empty = c
                .legend
                .iter()
                .filter(|e| !e.no_data && e.count == 0)
                .count();
            if empty > 0 {
                notes.push(Text::new(
                    format!("注:{empty} 个分级内无县"),
                    format!("Note: {empty} of the classes hold no county"),
                ));
            }
            if let Some(origin) = &doc.map.breaks_from
                && (origin.layer != doc.map.layer || origin.year != c.year)
            {
                let name = atlas.layer(&origin.layer).map_or_else(
                    || Text::new(&origin.layer, &origin.layer),
                    |l| l.name.clone(),
                );
                notes.push(Text::new(
                    format!("分级断点沿用自:{} {}年", name.zh, origin.year),
                    format!("Breaks locked from {} {}", name.en, origin.year),
                ));
            }
        }

        let mut overlay_outlines = false;
        for overlay in &doc.overlays {
            let Some(designation) = atlas.designation(&overlay.designation) else {
                continue;
            };
            let (bit, swatch) = match overlay.style {
                OverlayStyle::Hatch => (flags::OVERLAY_HATCH, Swatch::Hatch),
                OverlayStyle::Outline => (flags::OVERLAY_OUTLINE, Swatch::Outline),
            };
            let (counties, prefectures) = designation.targets();
            let named: Vec<usize> = counties.iter().map(|u| u.index()).collect();
            for &u in &named {
                unit_flags[u] |= bit;
            }
            overlay_outlines |= bit == flags::OVERLAY_OUTLINE && !named.is_empty();
            if !named.is_empty() || prefectures.is_empty() {
                items.push(LegendItem {
                    swatch,
                    label: designation.name.clone(),
                    count: count(&named),
                });
            }
            if !prefectures.is_empty() {
                for &p in &prefectures {
                    for u in &atlas.prefecture(p).units {
                        unit_flags[u.index()] |= flags::OVERLAY_WIDE;
                    }
                }
                items.push(LegendItem {
                    swatch: Swatch::WideHatch,
                    label: Text::new(
                        format!("{}:整个市州", designation.name.zh),
                        format!("{}: whole prefecture", designation.name.en),
                    ),
                    count: Count::Units {
                        n: prefectures.len(),
                        prefectures: true,
                    },
                });
            }
        }

        let projection = atlas.projection();
        let mut points = Vec::new();
        let mut point_layers = Vec::new();
        for id in &doc.point_layers {
            let Some(atlas_index) = atlas.point_layers().iter().position(|l| &l.id == id) else {
                continue;
            };
            let layer = &atlas.point_layers()[atlas_index];
            let index = point_layers.len();
            point_layers.push(atlas_index);
            let before = points.len();
            for (feature, f) in layer.features.iter().enumerate() {
                if !f.drawable() {
                    continue;
                }
                let exact = match f.precision {
                    Precision::Exact => f.position.map(|p| projection.forward(p)),
                    Precision::County => None,
                };
                points.push(MapPoint {
                    exact,
                    unit: f.unit,
                    layer: index,
                    feature,
                });
            }
            let placed = points.len() - before;
            items.push(LegendItem {
                swatch: Swatch::Point {
                    layer: index,
                    hollow: points[before..].iter().any(|p| p.exact.is_none()),
                },
                label: layer.name.clone(),
                count: Count::Points {
                    placed,
                    total: layer.features.len(),
                },
            });
        }
        if let Some(focus) = &doc.focus {
            let (zh, en) = (focus.name(atlas, Lang::Zh), focus.name(atlas, Lang::En));
            notes.push(if by_prefecture {
                Text::new(
                    format!("括号内:{zh}市州数 / 全省市州数(县区计数见名单)"),
                    format!("Prefectures: in {en} / in Sichuan (lists count counties)"),
                )
            } else {
                Text::new(
                    format!("括号内:{zh}县数 / 全省县数"),
                    format!("Counties: in {en} / in Sichuan"),
                )
            });
        }
        if let Some(rings) = &doc.rings {
            notes.push(rings.note());
        }

        let title = choropleth.as_ref().map_or_else(
            || {
                atlas
                    .layer(&doc.map.layer)
                    .map_or_else(|| Text::new("", ""), |l| l.name.clone())
            },
            |c| c.title.clone(),
        );
        MapStyle {
            choropleth,
            colours,
            flags: unit_flags,
            overlay_outlines,
            points,
            point_layers,
            focus_units,
            legend: Legend {
                title,
                items,
                notes,
            },
            opacity: doc.opacity,
            region_borders: doc.region_borders,
            unit_names: doc.labels,
            faint_county_borders: by_prefecture,
            rings: doc
                .rings
                .as_ref()
                .map(|r| super::rings::StyledRings::new(r, atlas)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Target;
    use crate::scene::MapSpec;
    use crate::scene::document::{Focus, Overlay};

    fn doc(overlays: &[(&str, OverlayStyle)], points: &[&str]) -> MapDocument {
        MapDocument {
            overlays: overlays
                .iter()
                .map(|(id, style)| Overlay {
                    designation: (*id).into(),
                    style: *style,
                })
                .collect(),
            point_layers: points.iter().map(|p| (*p).into()).collect(),
            ..MapDocument::of(MapSpec::default())
        }
    }

    #[test]
    fn overlays_flag_their_counties_and_count_them_in_the_legend() {
        let atlas = Atlas::builtin().unwrap();
        let layer = atlas.layer("population_density").unwrap();
        let designation = atlas.designation("innovative_county").unwrap();
        let named: Vec<usize> = designation
            .members
            .iter()
            .filter_map(|m| match m.target {
                Target::County(u) => Some(u.index()),
                Target::Prefecture(_) => None,
            })
            .collect();
        assert!(!named.is_empty());
        let style = MapStyle::new(
            &atlas,
            layer,
            &doc(&[("innovative_county", OverlayStyle::Hatch)], &[]),
            &Theme::default(),
        )
        .unwrap();
        for u in 0..atlas.units().len() {
            assert_eq!(
                style.flags[u] & flags::OVERLAY_HATCH != 0,
                named.contains(&u),
                "unit {u}"
            );
        }
        let item = style
            .legend
            .items
            .iter()
            .find(|i| i.swatch == Swatch::Hatch)
            .unwrap();
        let mut distinct = named.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            item.count,
            Count::Units {
                n: distinct.len(),
                prefectures: false
            }
        );
        assert!(!style.overlay_outlines);
    }

    #[test]
    fn whole_prefectures_are_marked_apart_from_named_counties() {
        let atlas = Atlas::builtin().unwrap();
        let layer = atlas.layer("population_density").unwrap();
        let Some(designation) = atlas.designations().iter().find(|d| {
            d.members
                .iter()
                .any(|m| matches!(m.target, Target::Prefecture(_)))
        }) else {
            panic!("the built-in lists name a prefecture as a whole somewhere");
        };
        let style = MapStyle::new(
            &atlas,
            layer,
            &doc(&[(designation.id.as_str(), OverlayStyle::Outline)], &[]),
            &Theme::default(),
        )
        .unwrap();
        let Some(Target::Prefecture(p)) = designation
            .members
            .iter()
            .map(|m| m.target)
            .find(|t| matches!(t, Target::Prefecture(_)))
        else {
            unreachable!()
        };
        for u in &atlas.prefecture(p).units {
            assert!(style.flags[u.index()] & flags::OVERLAY_WIDE != 0);
        }
        let wide = style
            .legend
            .items
            .iter()
            .find(|i| i.swatch == Swatch::WideHatch)
            .unwrap();
        assert!(wide.label.zh.ends_with("整个市州"));
        assert!(wide.text(Lang::Zh).contains("市州)"));
    }

    #[test]
    fn a_prefecture_layer_counts_prefectures_and_fades_county_borders() {
        let atlas = Atlas::builtin().unwrap();
        let layer = atlas.layer("rd_intensity").unwrap();
        let d = MapDocument::of(MapSpec {
            layer: "rd_intensity".into(),
            year: Some(2018),
            ..MapSpec::default()
        });
        let style = MapStyle::new(&atlas, layer, &d, &Theme::default()).unwrap();
        assert!(style.faint_county_borders);
        let counts: Vec<usize> = style
            .legend
            .items
            .iter()
            .map(|i| match i.count {
                Count::Units {
                    n,
                    prefectures: true,
                } => n,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), 21, "{counts:?}");
        let (with_value, _) = layer.coverage(2018);
        assert_eq!(counts.last(), Some(&(21 - with_value)), "no data last");
        assert!(style.legend.items[0].text(Lang::Zh).ends_with("市州)"));
    }

    #[test]
    fn points_are_listed_with_how_many_are_placed_and_focus_counts_both() {
        let atlas = Atlas::builtin().unwrap();
        let layer = atlas.layer("population_density").unwrap();
        let point_layer = &atlas.point_layers()[0];
        let mut d = doc(&[], &[point_layer.id.as_str()]);
        d.focus = Some(Focus::parse(&atlas, "攀西").unwrap());
        let style = MapStyle::new(&atlas, layer, &d, &Theme::default()).unwrap();
        let placed = point_layer
            .features
            .iter()
            .filter(|f| f.unit.is_some())
            .count();
        assert_eq!(
            style.points.len(),
            placed,
            "every feature with a county is marked"
        );
        assert!(
            style.points.iter().all(|p| p.exact.is_none()),
            "the built-in points are placed by county only"
        );
        assert!(style.legend.items.iter().any(|i| i.swatch
            == Swatch::Point {
                layer: 0,
                hollow: true
            }));
        let classes: Vec<&LegendItem> = style
            .legend
            .items
            .iter()
            .filter(|i| matches!(i.swatch, Swatch::Fill(_)))
            .collect();
        let total: usize = classes
            .iter()
            .map(|i| match i.count {
                Count::InFocus { total, .. } => total,
                other => panic!("{other:?}"),
            })
            .sum();
        assert_eq!(total, 183);
        let muted = style
            .flags
            .iter()
            .filter(|f| **f & flags::MUTED != 0)
            .count();
        assert_eq!(muted, 183 - style.focus_units.as_ref().unwrap().len());
    }
}
