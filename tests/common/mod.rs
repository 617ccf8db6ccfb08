//! Shared by the integration tests: the built-in atlas and its index, built once per binary.

#![allow(dead_code)]

use county_atlas::atlas::{Adcode, Atlas};
use county_atlas::spatial::SpatialIndex;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The embedded atlas.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| Atlas::builtin().expect("the embedded atlas loads"))
}

/// The spatial index of the embedded atlas.
pub fn index() -> &'static SpatialIndex {
    static INDEX: OnceLock<SpatialIndex> = OnceLock::new();
    INDEX.get_or_init(|| SpatialIndex::build(atlas()))
}

/// A file under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// A fixture parsed as JSON.
pub fn json_fixture(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The unit with this adcode.
pub fn adcode(code: &str) -> Adcode {
    Adcode::parse(code).expect("six digits")
}
