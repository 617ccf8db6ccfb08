//! `county-atlas units`: the list of units.

use county_atlas::atlas::{Adcode, Atlas, EconomicRegion};
use county_atlas::format::columns;
use county_atlas::i18n::{Lang, tr};
use serde::Serialize;
use std::io::Write;

/// One unit as listed.
#[derive(Serialize)]
struct UnitRow<'a> {
    adcode: Adcode,
    name: &'a str,
    name_en: &'a str,
    prefecture: &'a str,
    prefecture_en: &'a str,
    prefecture_adcode: Adcode,
    region: &'static str,
    region_id: EconomicRegion,
}

pub fn run(atlas: &Atlas, lang: Lang, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let rows: Vec<UnitRow> = atlas
        .units()
        .iter()
        .map(|u| {
            let prefecture = atlas.prefecture_of(u);
            UnitRow {
                adcode: u.adcode,
                name: &u.name,
                name_en: &u.name_en,
                prefecture: &prefecture.name,
                prefecture_en: &prefecture.name_en,
                prefecture_adcode: prefecture.adcode,
                region: u.region.name_zh(),
                region_id: u.region,
            }
        })
        .collect();
    if json {
        return super::write_json(out, &rows);
    }
    let mut table = vec![vec![
        "adcode".to_owned(),
        tr(lang, "名称", "name").to_owned(),
        tr(lang, "地市", "prefecture").to_owned(),
        tr(lang, "经济区", "economic region").to_owned(),
    ]];
    for (row, unit) in rows.iter().zip(atlas.units()) {
        let prefecture = atlas.prefecture_of(unit);
        table.push(vec![
            row.adcode.to_string(),
            match lang {
                Lang::Zh => unit.name.clone(),
                Lang::En => format!("{} {}", unit.name_en, unit.name),
            },
            prefecture.name_in(lang).to_owned(),
            unit.region.name(lang).to_owned(),
        ]);
    }
    out.write_all(columns(&table).as_bytes())?;
    writeln!(
        out,
        "{}",
        tr(lang, "共 183 个县级单位", "183 county-level units")
            .replace("183", &atlas.units().len().to_string())
    )?;
    Ok(())
}
