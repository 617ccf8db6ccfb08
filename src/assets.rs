//! Files embedded in the binary from `assets/`.

/// Noto Sans CJK SC, subset to GB2312 level 1 plus every character of the atlas's data and
/// interface (SIL Open Font License 1.1; `assets/fonts/OFL.txt`). Built by
/// `scripts/fonts/subset.py`.
pub const NOTO_SANS_SC_SUBSET: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Sichuan.otf");

/// The family name inside the subset.
pub const FONT_FAMILY: &str = "Noto Sans SC Sichuan Subset";
