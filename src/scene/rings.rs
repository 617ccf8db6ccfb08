//! Distance rings: circles at chosen distances around 成都's population centre or around each
//! economic region's ([`crate::analysis::centres`]), drawn over the map in the window and on
//! every export. They are circles on the Albers plane, the plane the distance layers measure
//! on, so a county whose centroid lies inside the 100 km ring is one the layer puts within
//! 100 km.

use super::camera::Camera;
use crate::analysis::centres::{CentreOf, centre};
use crate::atlas::{Atlas, EconomicRegion};
use crate::i18n::{Lang, Text};
use serde::{Deserialize, Serialize};

/// The most rings around one centre, and the largest radius: beyond these a ring says
/// nothing about Sichuan.
pub const MAX_RINGS: usize = 8;
/// See [`MAX_RINGS`].
pub const MAX_KM: f64 = 2_000.0;

/// Around which centres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RingsAround {
    /// 成都's population centre (一干).
    #[default]
    Chengdu,
    /// Each of the five economic regions' population centres.
    Regions,
}

impl RingsAround {
    /// The centres it names.
    pub fn centres(self) -> Vec<CentreOf> {
        match self {
            RingsAround::Chengdu => vec![CentreOf::Chengdu],
            RingsAround::Regions => EconomicRegion::ALL.map(CentreOf::Region).to_vec(),
        }
    }
}

/// Rings at `km` around the centres `around` names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rings {
    /// Around 成都 or each region.
    pub around: RingsAround,
    /// The radii, km, ascending.
    pub km: Vec<f64>,
}

impl Rings {
    /// Rings with the radii held to (0, [`MAX_KM`]], sorted, without repeats, at most
    /// [`MAX_RINGS`]; `None` when no radius is left.
    pub fn new(around: RingsAround, km: &[f64]) -> Option<Self> {
        let mut km: Vec<f64> = km
            .iter()
            .copied()
            .filter(|k| k.is_finite() && *k > 0.0 && *k <= MAX_KM)
            .collect();
        km.sort_by(f64::total_cmp);
        km.dedup();
        km.truncate(MAX_RINGS);
        (!km.is_empty()).then_some(Rings { around, km })
    }

    /// The legend's note: what the rings are.
    pub fn note(&self) -> Text {
        let km = self
            .km
            .iter()
            .map(|k| crate::format::number(*k, 1))
            .collect::<Vec<_>>()
            .join("、");
        let km_en = km.replace('、', ", ");
        match self.around {
            RingsAround::Chengdu => Text::new(
                format!("圆圈:距成都市人口重心 {km} 公里(平面直线距离)"),
                format!("Rings: {km_en} km from Chengdu's population centre (straight line)"),
            ),
            RingsAround::Regions => Text::new(
                format!("圆圈:距各经济区人口重心 {km} 公里(平面直线距离)"),
                format!(
                    "Rings: {km_en} km from each economic region's population centre (straight line)"
                ),
            ),
        }
    }
}

impl std::str::FromStr for Rings {
    type Err = String;

    /// `chengdu:50,100,200` or `regions:100`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "距离圈“{s}”无法识别:请写 chengdu:50,100,200 或 regions:100(公里,0 至 {MAX_KM}) / rings '{s}' not understood: write chengdu:50,100,200 or regions:100 (km, 0 to {MAX_KM})"
            )
        };
        let (around, km) = s.trim().split_once(':').ok_or_else(bad)?;
        let around = match around.trim() {
            "chengdu" | "成都" => RingsAround::Chengdu,
            "regions" | "region" | "五区" => RingsAround::Regions,
            _ => return Err(bad()),
        };
        let km: Vec<f64> = km
            .split([',', ','])
            .map(|k| k.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        if km
            .iter()
            .any(|k| !(k.is_finite() && *k > 0.0 && *k <= MAX_KM))
        {
            return Err(bad());
        }
        Rings::new(around, &km).ok_or_else(bad)
    }
}

/// One centre's rings placed in a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedRings {
    /// The centre, frame points.
    pub centre: [f64; 2],
    /// Its name ("成都市人口重心").
    pub name: String,
    /// Each ring: its radius (km), its outline (frame points, closed), and where its label
    /// goes (its top).
    pub circles: Vec<PlacedCircle>,
}

/// One ring in a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedCircle {
    /// Radius, km.
    pub km: f64,
    /// The outline, frame points, first point repeated at the end.
    pub points: Vec<[f64; 2]>,
    /// The label's place: the ring's top.
    pub label_at: [f64; 2],
}

/// Vertices of a ring: smooth at any page size.
const SEGMENTS: usize = 144;

/// Rings with their centres found: what a style keeps, so that a frame only places them.
#[derive(Clone, Debug, PartialEq)]
pub struct StyledRings {
    /// What was asked.
    pub rings: Rings,
    /// Each centre's name and where it lies, world metres.
    pub centres: Vec<(Text, [f64; 2])>,
}

impl StyledRings {
    /// Finds the centres of `rings` in `atlas` (a centre without population is left out).
    pub fn new(rings: &Rings, atlas: &Atlas) -> Self {
        let centres = rings
            .around
            .centres()
            .into_iter()
            .filter_map(|of| {
                let [x, y] = centre(atlas, of)?;
                Some((of.name(), [x * 1000.0, y * 1000.0]))
            })
            .collect();
        StyledRings {
            rings: rings.clone(),
            centres,
        }
    }

    /// The rings placed in a frame of `size` seen by `camera`.
    pub fn place(&self, camera: &Camera, size: [f64; 2], lang: Lang) -> Vec<PlacedRings> {
        let to_frame = |p: [f64; 2]| camera.world_to_screen(p, size);
        self.centres
            .iter()
            .map(|(name, world)| {
                let circles = self
                    .rings
                    .km
                    .iter()
                    .map(|&km| {
                        let r = km * 1000.0;
                        let points = (0..=SEGMENTS)
                            .map(|i| {
                                let a = std::f64::consts::TAU * i as f64 / SEGMENTS as f64;
                                to_frame([world[0] + r * a.cos(), world[1] + r * a.sin()])
                            })
                            .collect();
                        PlacedCircle {
                            km,
                            points,
                            label_at: to_frame([world[0], world[1] + r]),
                        }
                    })
                    .collect();
                PlacedRings {
                    centre: to_frame(*world),
                    name: name.get(lang).to_owned(),
                    circles,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_parse_and_hold_their_radii_to_range() {
        let rings: Rings = "chengdu:200, 50,100,50".parse().unwrap();
        assert_eq!(rings.around, RingsAround::Chengdu);
        assert_eq!(rings.km, vec![50.0, 100.0, 200.0]);
        assert_eq!("regions:100".parse::<Rings>().unwrap().km, vec![100.0]);
        for bad in [
            "chengdu",
            "mars:100",
            "chengdu:-5",
            "chengdu:abc",
            "chengdu:5000",
        ] {
            assert!(bad.parse::<Rings>().is_err(), "{bad}");
        }
        assert_eq!(Rings::new(RingsAround::Regions, &[0.0, f64::NAN]), None);
        assert!(rings.note().zh.contains("50、100、200 公里"));
    }
}
