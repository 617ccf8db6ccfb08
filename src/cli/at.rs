//! `county-atlas at LON LAT`: the county holding a point.

use anyhow::bail;
use county_atlas::atlas::{Adcode, Atlas};
use county_atlas::crs::{Crs, LonLat};
use county_atlas::format::number;
use county_atlas::i18n::{Lang, tr};
use county_atlas::spatial::SpatialIndex;
use serde::Serialize;
use std::io::Write;

/// The answer, as JSON.
#[derive(Serialize)]
struct Answer<'a> {
    input: LonLat,
    crs: Crs,
    wgs84: LonLat,
    inside_sichuan: bool,
    adcode: Option<Adcode>,
    name: Option<&'a str>,
    prefecture: Option<&'a str>,
    region: Option<&'static str>,
    nearest: Option<Nearest<'a>>,
}

/// The nearest county to a point outside Sichuan.
#[derive(Serialize)]
struct Nearest<'a> {
    adcode: Adcode,
    name: &'a str,
    km: f64,
}

pub fn run(
    atlas: &Atlas,
    lang: Lang,
    point: LonLat,
    crs: Crs,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let [lon, lat] = point;
    if !(-90.0..=90.0).contains(&lat) {
        let (hint_zh, hint_en) = if (-90.0..=90.0).contains(&lon) {
            (
                ";是否先写了纬度?顺序是 经度 纬度",
                "; did you give latitude first? The order is LON LAT",
            )
        } else {
            ("", "")
        };
        bail!("纬度 {lat} 超出 -90..90{hint_zh} / latitude {lat} is outside -90..90{hint_en}");
    }
    if !(-180.0..=180.0).contains(&lon) {
        bail!("经度 {lon} 超出 -180..180 / longitude {lon} is outside -180..180");
    }
    let wgs84 = crs.to_wgs84(point);
    let index = SpatialIndex::build(atlas);
    let unit = index.unit_at(wgs84).map(|id| atlas.unit(id));
    let nearest = match unit {
        Some(_) => None,
        None => index.nearest_units(wgs84, 1).first().map(|d| Nearest {
            adcode: atlas.unit(d.unit).adcode,
            name: &atlas.unit(d.unit).name,
            km: d.km,
        }),
    };
    if json {
        let answer = Answer {
            input: point,
            crs,
            wgs84,
            inside_sichuan: unit.is_some(),
            adcode: unit.map(|u| u.adcode),
            name: unit.map(|u| u.name.as_str()),
            prefecture: unit.map(|u| atlas.prefecture_of(u).name.as_str()),
            region: unit.map(|u| u.region.name_zh()),
            nearest,
        };
        return super::write_json(out, &answer);
    }
    if crs != Crs::Wgs84 {
        writeln!(
            out,
            "{} {:.6}, {:.6} → WGS84 {:.6}, {:.6}",
            crs.name().to_uppercase(),
            lon,
            lat,
            wgs84[0],
            wgs84[1]
        )?;
    }
    match (unit, nearest) {
        (Some(unit), _) => {
            let prefecture = atlas.prefecture_of(unit);
            writeln!(
                out,
                "{} {} · {} · {}",
                unit.adcode,
                unit.name_in(lang),
                prefecture.name_in(lang),
                unit.region.name(lang)
            )?;
        }
        (None, Some(nearest)) => writeln!(
            out,
            "{} {} {} ({} {} km)",
            tr(lang, "该点不在四川省内;", "outside Sichuan;"),
            tr(lang, "最近的县级单位:", "nearest county:"),
            nearest.name,
            nearest.adcode,
            number(nearest.km, 1)
        )?,
        (None, None) => writeln!(out, "{}", tr(lang, "该点不在四川省内", "outside Sichuan"))?,
    }
    Ok(())
}
