//! The bundled font covers every character the atlas can show: names, former names,
//! designation and layer names, sources. (The window's own strings are checked by kittest,
//! which fails on any glyph no font has.)

use county_atlas::analysis::catalogue::catalogue;
use county_atlas::app::NOTO_SANS_SC_SUBSET;
use county_atlas::atlas::Atlas;
use skrifa::MetadataProvider;
use std::collections::BTreeSet;

#[test]
fn every_character_of_the_data_has_a_glyph() {
    let font = skrifa::FontRef::new(NOTO_SANS_SC_SUBSET).expect("the bundled font parses");
    let charmap = font.charmap();
    let atlas = Atlas::builtin().unwrap();
    let mut texts: Vec<String> = Vec::new();
    for unit in atlas.units() {
        texts.push(unit.name.clone());
        texts.extend(unit.former_names.iter().map(|f| f.name.clone()));
    }
    texts.extend(atlas.prefectures().iter().map(|p| p.name.clone()));
    texts.extend(atlas.backdrop().iter().map(|b| b.name.clone()));
    for layer in catalogue(&atlas) {
        texts.push(layer.name.zh.clone());
        texts.push(layer.unit.zh.clone());
        texts.extend(layer.caveat.map(|c| c.zh));
        texts.extend(layer.sources);
    }
    for designation in atlas.designations() {
        texts.extend(designation.members.iter().filter_map(|m| m.detail.clone()));
        texts.extend(designation.members.iter().filter_map(|m| m.note.clone()));
    }
    for layer in atlas.point_layers() {
        texts.extend(layer.features.iter().map(|f| f.name.clone()));
    }
    let missing: BTreeSet<char> = texts
        .iter()
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_control() && charmap.map(*c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "no glyph for {missing:?}: rerun scripts/fonts/subset.py"
    );
}

#[test]
fn the_font_is_the_simplified_chinese_face() {
    let font = skrifa::FontRef::new(NOTO_SANS_SC_SUBSET).unwrap();
    // 19 Sichuan place-name characters that GB2312 level 1 lacks.
    for c in "孚崃旌梓汶沐泸潼犍珙筠荥蓥蔺邛邡郫阆驿".chars() {
        assert!(font.charmap().map(c).is_some(), "{c}");
    }
}
