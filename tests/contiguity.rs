//! Queen and rook contiguity against libpysal (tests/fixtures/contiguity.json).

mod common;

use common::{atlas, index, json_fixture};
use county_atlas::spatial::ContiguityKind;
use std::collections::BTreeMap;

fn ours(kind: ContiguityKind) -> BTreeMap<String, Vec<String>> {
    let atlas = atlas();
    atlas
        .units()
        .iter()
        .map(|u| {
            let mut neighbours: Vec<String> = index()
                .neighbors(u.id, kind)
                .iter()
                .map(|&n| atlas.unit(n).adcode.to_string())
                .collect();
            neighbours.sort();
            (u.adcode.to_string(), neighbours)
        })
        .collect()
}

fn libpysal(kind: &str) -> BTreeMap<String, Vec<String>> {
    serde_json::from_value(json_fixture("contiguity.json")[kind].clone()).unwrap()
}

#[test]
fn queen_equals_libpysal() {
    let (ours, reference) = (ours(ContiguityKind::Queen), libpysal("queen"));
    assert_eq!(ours.len(), 183);
    for (code, expected) in &reference {
        assert_eq!(&ours[code], expected, "queen neighbours of {code}");
    }
    assert_eq!(index().contiguity(ContiguityKind::Queen).pair_count(), 491);
}

#[test]
fn rook_equals_libpysal() {
    let (ours, reference) = (ours(ContiguityKind::Rook), libpysal("rook"));
    for (code, expected) in &reference {
        assert_eq!(&ours[code], expected, "rook neighbours of {code}");
    }
    assert_eq!(index().contiguity(ContiguityKind::Rook).pair_count(), 489);
}

#[test]
fn no_county_is_an_island_and_relations_are_symmetric() {
    for kind in [ContiguityKind::Queen, ContiguityKind::Rook] {
        let contiguity = index().contiguity(kind);
        assert!(contiguity.islands().is_empty());
        for unit in atlas().units() {
            for &n in contiguity.neighbors(unit.id) {
                assert!(contiguity.neighbors(n).contains(&unit.id));
            }
        }
    }
}
