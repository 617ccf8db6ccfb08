//! What a briefing export looks like beyond its map: format, paper or pixel size, orientation,
//! resolution, title, review number, date.

use crate::analysis::grouping::Grouping;
use crate::i18n::Lang;
use crate::scene::Focus;
use serde::{Deserialize, Serialize};

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Raster, rendered by the map's wgpu pipelines.
    #[default]
    Png,
    /// Vector with real text.
    Svg,
    /// Vector with the font embedded.
    Pdf,
}

/// What draws the map of a PNG page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Renderer {
    /// The graphics device (a GPU, or Mesa's software Vulkan), or the CPU where none opens.
    #[default]
    Auto,
    /// The graphics device only: an error where there is none.
    Gpu,
    /// The CPU (resvg), without any graphics driver.
    Cpu,
}

impl std::str::FromStr for Renderer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Renderer::Auto),
            "gpu" | "wgpu" | "device" => Ok(Renderer::Gpu),
            "cpu" | "software" => Ok(Renderer::Cpu),
            other => Err(format!(
                "未知的渲染方式“{other}”:可用 auto、gpu、cpu / unknown renderer '{other}': use auto, gpu or cpu"
            )),
        }
    }
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }

    /// The format a file name's extension names.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "pdf" => Ok(Format::Pdf),
            other => Err(format!("unknown format '{other}': use png, svg or pdf")),
        }
    }
}

/// The page: a paper size, a slide, or pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// ISO A3, 297 × 420 mm.
    A3,
    /// A 16:9 slide, 1920 × 1080 pixels.
    Slide,
    /// A 16:9 slide at 4K, 3840 × 2160 pixels.
    Slide4k,
    /// Any pixel size.
    Pixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// The pixel sizes a page may have on a side: a thumbnail to a poster.
pub const PIXEL_SIDES: std::ops::RangeInclusive<u32> = 200..=16384;

/// The resolutions a paper page may be rendered at, dots per inch.
pub const DPI_RANGE: std::ops::RangeInclusive<u32> = 36..=1200;

impl std::str::FromStr for PageSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "a4" => Ok(PageSize::A4),
            "a3" => Ok(PageSize::A3),
            "slide" | "1920x1080" => Ok(PageSize::Slide),
            "slide4k" | "4k" | "3840x2160" => Ok(PageSize::Slide4k),
            other => {
                let parsed = other
                    .split_once('x')
                    .and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)));
                match parsed {
                    Some((width, height))
                        if PIXEL_SIDES.contains(&width) && PIXEL_SIDES.contains(&height) =>
                    {
                        Ok(PageSize::Pixels { width, height })
                    }
                    _ => Err(format!(
                        "unknown size '{other}': use a4, a3, slide, slide4k or WIDTHxHEIGHT pixels (200 to 16384)"
                    )),
                }
            }
        }
    }
}

/// Landscape or portrait (paper sizes only; pixel sizes are as given).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Wider than tall.
    #[default]
    Landscape,
    /// Taller than wide.
    Portrait,
}

impl std::str::FromStr for Orientation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "landscape" => Ok(Orientation::Landscape),
            "portrait" => Ok(Orientation::Portrait),
            other => Err(format!(
                "unknown orientation '{other}': use landscape or portrait"
            )),
        }
    }
}

/// A second, larger-scale map on the page, for what the province-wide map is too small to
/// name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Inset {
    /// Chengdu's five central districts (锦江, 青羊, 金牛, 武侯, 成华), whose names do not fit
    /// at province scale, with the districts around them as far as the frame reaches.
    Chengdu,
}

/// Chengdu's central districts (五城区), by adcode.
const CHENGDU_CENTRAL: [u32; 5] = [510_104, 510_105, 510_106, 510_107, 510_108];

impl Inset {
    /// The units it is fitted to (it shows, and names, what lies around them too).
    pub fn units(self, atlas: &crate::atlas::Atlas) -> Vec<crate::atlas::UnitId> {
        match self {
            Inset::Chengdu => atlas
                .units()
                .iter()
                .filter(|u| CHENGDU_CENTRAL.contains(&u.adcode.0))
                .map(|u| u.id)
                .collect(),
        }
    }

    /// Its title on the page.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Inset::Chengdu => crate::i18n::tr(lang, "成都中心城区", "Central Chengdu"),
        }
    }
}

impl std::str::FromStr for Inset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "chengdu" | "成都" => Ok(Inset::Chengdu),
            other => Err(format!(
                "未知的插图“{other}”:可用 chengdu / unknown inset '{other}': use chengdu"
            )),
        }
    }
}

/// The most bytes of a layer id kept in a file name: with a focus, the extension and the
/// uniqueness tag, the name stays well under the 255 bytes file systems allow.
const FILE_NAME_STEM_BYTES: usize = 120;

/// The file name an export of `layer` (centred on `focus`) takes in a folder: the layer's
/// id with anything but letters, digits, `-` and `_` replaced, the focus's id, the format's
/// extension. A long id (a user's column name) is shortened, with a tag made from the whole
/// id so that two long ids sharing a beginning still get two names. The window's Export
/// dialog and the command line's batches name files alike.
pub fn file_name(layer: &str, focus: Option<&Focus>, format: Format) -> String {
    let safe = safe_stem(layer);
    match focus {
        Some(focus) => format!("{safe}_{}.{}", focus.id(), format.extension()),
        None => format!("{safe}.{}", format.extension()),
    }
}

/// `layer` as a file-name stem, shortened as [`file_name`] says.
fn safe_stem(layer: &str) -> String {
    let safe: String = layer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.len() <= FILE_NAME_STEM_BYTES {
        return safe;
    }
    let mut end = FILE_NAME_STEM_BYTES;
    while !safe.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{:08x}", &safe[..end], fnv1a(layer.as_bytes()))
}

/// The 32-bit FNV-1a hash: a tag that is the same on every machine and in every release (the
/// standard library's hasher promises neither), so that a batch rerun names files as before.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Everything about an export but the map (its [`crate::scene::MapDocument`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    /// PNG, SVG or PDF.
    pub format: Format,
    /// Paper, slide or pixels.
    pub size: PageSize,
    /// Orientation of paper sizes.
    pub orientation: Orientation,
    /// Resolution of PNG exports of paper sizes (150, 300 or 600 are usual).
    pub dpi: u32,
    /// Title (default: the layer's name).
    pub title: Option<String>,
    /// Subtitle (default: year, method and classes).
    pub subtitle: Option<String>,
    /// The map review number (审图号), printed in the footer when given.
    pub review_number: Option<String>,
    /// A larger-scale inset in the legend column.
    pub inset: Option<Inset>,
    /// A comparison of the mapped layer across these groups, set beside the map (the five
    /// regions, the prefectures, 一干 and the rest, or a grouping table's groups).
    pub compare: Option<Grouping>,
    /// Language of the furniture (legend, footer).
    pub lang: Lang,
    /// The date printed in the footer and the record (YYYY-MM-DD; default today, or
    /// `SOURCE_DATE_EPOCH` when set, for reproducible output).
    pub date: Option<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Png,
            size: PageSize::A4,
            orientation: Orientation::Landscape,
            dpi: 300,
            title: None,
            subtitle: None,
            review_number: None,
            inset: None,
            compare: None,
            lang: Lang::Zh,
            date: None,
        }
    }
}

/// Points per inch.
const POINTS_PER_INCH: f32 = 72.0;
/// Points per millimetre.
const POINTS_PER_MM: f32 = POINTS_PER_INCH / 25.4;

impl ExportOptions {
    /// The page size in points (1/72 inch) and how many output pixels a point is.
    pub fn page(&self) -> (f32, f32, f32) {
        let paper = |w_mm: f32, h_mm: f32| {
            let (w, h) = match self.orientation {
                Orientation::Landscape => (w_mm.max(h_mm), w_mm.min(h_mm)),
                Orientation::Portrait => (w_mm.min(h_mm), w_mm.max(h_mm)),
            };
            (
                w * POINTS_PER_MM,
                h * POINTS_PER_MM,
                self.dpi.max(36) as f32 / POINTS_PER_INCH,
            )
        };
        match self.size {
            PageSize::A4 => paper(210.0, 297.0),
            PageSize::A3 => paper(297.0, 420.0),
            // A slide is laid out as 960 × 540 pt (PowerPoint's 13.33 × 7.5 in).
            PageSize::Slide => (960.0, 540.0, 2.0),
            PageSize::Slide4k => (960.0, 540.0, 4.0),
            PageSize::Pixels { width, height } => {
                let scale = (width.min(height) as f32 / 540.0).max(1.0);
                (width as f32 / scale, height as f32 / scale, scale)
            }
        }
    }

    /// Holds options restored from a file (a saved window state) to what the command line
    /// accepts: resolution 36–1200 dpi, pixel sizes 200–16384 on a side, a valid date or none.
    /// An absurd value would otherwise ask for gigabytes at the next export.
    pub fn sanitize(mut self) -> Self {
        self.dpi = self.dpi.clamp(*DPI_RANGE.start(), *DPI_RANGE.end());
        if let PageSize::Pixels { width, height } = &mut self.size {
            let side = |v: u32| v.clamp(*PIXEL_SIDES.start(), *PIXEL_SIDES.end());
            *width = side(*width);
            *height = side(*height);
        }
        if self.date.as_deref().is_some_and(|d| !is_date(d)) {
            self.date = None;
        }
        self
    }

    /// Removes from the page's texts (title, subtitle, review number) the characters a page
    /// cannot carry ([`crate::format::page_text`]); returns the names of the fields changed,
    /// for the caller to say so.
    pub fn clean_texts(&mut self) -> Vec<&'static str> {
        let mut changed = Vec::new();
        for (name, text) in [
            ("title", &mut self.title),
            ("subtitle", &mut self.subtitle),
            ("review_number", &mut self.review_number),
        ] {
            if let Some(text) = text {
                let (cleaned, was_changed) = crate::format::page_text(text);
                if was_changed {
                    *text = cleaned;
                    changed.push(name);
                }
            }
        }
        changed
    }

    /// The output size in pixels (PNG).
    pub fn pixels(&self) -> (u32, u32) {
        if let PageSize::Pixels { width, height } = self.size {
            return (width, height);
        }
        let (w, h, scale) = self.page();
        ((w * scale).round() as u32, (h * scale).round() as u32)
    }

    /// The date to print: the given one, `SOURCE_DATE_EPOCH`, or today (UTC).
    pub fn date(&self) -> String {
        if let Some(date) = &self.date {
            return date.clone();
        }
        let seconds = source_date_epoch().ok().flatten().unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
        civil_date(seconds.div_euclid(86_400))
    }
}

/// Whether `text` is a date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u32>(), Ok(1..=12))
        && matches!(parts[2].parse::<u32>(), Ok(1..=31))
}

/// The last second of 9999-12-31: a footer date has four digits of year.
const LAST_EPOCH_SECOND: i64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH` (seconds since 1970, for reproducible output): `None` when unset, an
/// error saying what is wrong when it is set to something else than such a number (the
/// reproducible-builds convention is to refuse a malformed value, not to ignore it).
pub fn source_date_epoch() -> Result<Option<i64>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    match text.trim().parse::<i64>() {
        Ok(seconds) if (0..=LAST_EPOCH_SECOND).contains(&seconds) => Ok(Some(seconds)),
        _ => Err(format!(
            "环境变量 SOURCE_DATE_EPOCH=“{}”不是 1970 年以来的秒数(如 1767225600);请改正或取消设置 / SOURCE_DATE_EPOCH='{}' is not a number of seconds since 1970 (such as 1767225600): correct it or unset it",
            text.escape_debug(),
            text.escape_debug()
        )),
    }
}

/// YYYY-MM-DD of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_landscape_at_300_dpi_is_3508_by_2480() {
        let options = ExportOptions::default();
        assert_eq!(options.pixels(), (3508, 2480));
        let portrait = ExportOptions {
            orientation: Orientation::Portrait,
            dpi: 150,
            ..ExportOptions::default()
        };
        assert_eq!(portrait.pixels(), (1240, 1754));
        let slide = ExportOptions {
            size: PageSize::Slide,
            ..ExportOptions::default()
        };
        assert_eq!(slide.pixels(), (1920, 1080));
        let a3 = ExportOptions {
            size: PageSize::A3,
            dpi: 600,
            ..ExportOptions::default()
        };
        assert_eq!(a3.pixels(), (9921, 7016));
    }

    #[test]
    fn sizes_parse() {
        assert_eq!("A3".parse::<PageSize>(), Ok(PageSize::A3));
        assert_eq!(
            "1600x900".parse::<PageSize>(),
            Ok(PageSize::Pixels {
                width: 1600,
                height: 900
            })
        );
        assert!("10x10".parse::<PageSize>().is_err());
        assert!("letter".parse::<PageSize>().is_err());
    }

    #[test]
    fn long_layer_names_make_short_distinct_file_names() {
        let a = format!("{}甲", "很长的列名".repeat(40));
        let b = format!("{}乙", "很长的列名".repeat(40));
        let (na, nb) = (
            file_name(&a, None, Format::Png),
            file_name(&b, None, Format::Png),
        );
        assert!(na.len() <= FILE_NAME_STEM_BYTES + 13, "{na}");
        assert_ne!(na, nb);
        assert!(na.starts_with("很长的列名"));
        assert_eq!(
            na,
            file_name(&a, None, Format::Png),
            "the same id, the same name"
        );
    }

    #[test]
    fn file_names_are_safe() {
        use crate::atlas::EconomicRegion;
        assert_eq!(file_name("population", None, Format::Png), "population.png");
        assert_eq!(
            file_name(
                "a/b",
                Some(&Focus::Region(EconomicRegion::PanxiRegion)),
                Format::Pdf
            ),
            "a_b_panxi.pdf"
        );
    }

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_418), "2025-11-26");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
