//! Briefing export: one page layout ([`page::Page`]) drawn as PNG (the window's wgpu
//! pipelines, offscreen), SVG (real text, vector shapes) or PDF (vector, font embedded), each
//! carrying the reproducibility record ([`record::Record`]).
//!
//! ```text
//! Workspace + MapDocument ─▶ MapStyle ─▶ compose ─▶ Page ─┬▶ SVG ─┬▶ file.svg
//!          + ExportOptions                                │       └▶ PDF (krilla)
//!                                                         └▶ wgpu map + SVG furniture (resvg) ─▶ PNG
//! ```

pub mod area_report;
pub mod chart;
pub mod chart_xy;
mod clip;
mod cpu;
mod frame_strips;
pub mod metrics;
pub mod options;
pub mod page;
mod page_compare;
pub mod pdf;
pub mod png;
mod png_encode;
mod raster;
pub mod record;
pub mod report;
pub mod svg;
pub mod table_csv;

pub use options::{
    DPI_RANGE, ExportOptions, Format, Inset, Orientation, PIXEL_SIDES, PageSize, Renderer,
    file_name, is_date, source_date_epoch,
};
pub use page::Page;
pub use record::Record;

use crate::atlas::{Atlas, Layer};
use crate::render::RenderError;
use crate::scene::{ChoroplethError, MapDocument, MapGeometry, MapStyle, Theme, Workspace};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Vector output takes the level of detail a 300 dpi print needs: finer is invisible on paper
/// and only makes the file larger.
const VECTOR_PIXELS_PER_POINT: f32 = 300.0 / 72.0;

/// The PNG text chunk and the key under which the record is stored.
pub const RECORD_KEY: &str = "county-atlas";

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The document names a layer the workspace does not have.
    #[error(
        "没有图层“{0}”,可用 `county-atlas layers` 列出 / no layer '{0}'; `county-atlas layers` lists them"
    )]
    NoLayer(String),
    /// The layer could not be styled (no such year, no values, bad breaks).
    #[error(transparent)]
    Style(#[from] ChoroplethError),
    /// No GPU or software rasteriser for the PNG's map.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The image would be empty or too large to allocate.
    #[error(
        "无法生成 {width} × {height} 像素的图像,请选更小的尺寸或分辨率 / an image of {width} × {height} pixels cannot be made; choose a smaller size or dpi"
    )]
    Size {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
    },
    /// The page's SVG did not parse (a bug: it is generated here).
    #[error(
        "页面 SVG 无效(程序缺陷,请报告):{0} / the page's SVG is invalid (a bug; please report it): {0}"
    )]
    Svg(String),
    /// Encoding the PNG or PDF failed.
    #[error("编码失败 / encoding failed: {0}")]
    Encode(String),
    /// The comparison asked to be set beside the map cannot be made.
    #[error(transparent)]
    Compare(#[from] crate::analysis::group_compare::CompareError),
    /// The comparison's grouping is not one of this atlas's counties (a file edited by hand).
    #[error(
        "比较分组“{0}”与本图集的县区不符,请重新选择分组 / the comparison's grouping '{0}' does not fit this atlas's counties; choose the grouping again"
    )]
    Grouping(String),
    /// The file could not be written (the writer's error says why and what to do).
    #[error(transparent)]
    Write(#[from] crate::io::WriteError),
}

/// Makes export files from one workspace, keeping the GPU device between PNG exports.
pub struct Exporter<'a> {
    workspace: &'a Workspace,
    theme: Theme,
    /// A device opened ahead of need (see [`Exporter::set_device`]), until the painter takes
    /// it.
    device: Option<png::MapDevice>,
    painter: Option<png::MapPainter>,
    renderer: Renderer,
    /// Why PNG maps are drawn on the CPU although the device was asked for first
    /// ([`Renderer::Auto`] found no adapter).
    fallback: Option<RenderError>,
}

impl<'a> Exporter<'a> {
    /// An exporter drawing from `workspace`.
    pub fn new(workspace: &'a Workspace) -> Self {
        Exporter {
            workspace,
            theme: Theme::default(),
            device: None,
            painter: None,
            renderer: Renderer::Auto,
            fallback: None,
        }
    }

    /// Chooses what draws PNG pages (by default the device, or the CPU where there is none).
    pub fn set_renderer(&mut self, renderer: Renderer) {
        self.renderer = renderer;
    }

    /// Why PNG pages were drawn on the CPU without being asked to: no graphics adapter.
    pub fn fell_back_to_cpu(&self) -> Option<&RenderError> {
        self.fallback.as_ref()
    }

    /// Gives the exporter a device to draw PNG maps with. Without one, the first PNG opens
    /// one ([`png::MapDevice::open`]); a caller that knows a PNG is coming can open it on
    /// another thread while the geometry is built (tens of milliseconds on a software
    /// rasteriser).
    pub fn set_device(&mut self, device: png::MapDevice) {
        self.painter = None;
        self.device = Some(device);
    }

    /// Lays out the page of `doc`.
    pub fn page(&self, doc: &MapDocument, options: &ExportOptions) -> Result<Page, ExportError> {
        let workspace = self.workspace;
        let layer = workspace
            .layer(&doc.map.layer)
            .ok_or_else(|| ExportError::NoLayer(doc.map.layer.clone()))?;
        let style = MapStyle::new(&workspace.atlas, layer, doc, &self.theme)?;
        let comparison = comparison(&workspace.atlas, layer, doc, &style, options)?;
        Ok(Page::briefing(
            &page::PageInput {
                atlas: &workspace.atlas,
                layer,
                doc,
                style: &style,
                options,
                theme: &self.theme,
                comparison: comparison.as_ref(),
            },
            workspace,
        ))
    }

    /// The file's bytes in `options.format`.
    pub fn render(
        &mut self,
        doc: &MapDocument,
        options: &ExportOptions,
    ) -> Result<Vec<u8>, ExportError> {
        let page = self.page(doc, options)?;
        self.render_page(&page, options.format)
    }

    /// The bytes of a laid-out page.
    pub fn render_page(&mut self, page: &Page, format: Format) -> Result<Vec<u8>, ExportError> {
        match format {
            Format::Svg | Format::Pdf => self
                .render_vector(page, format)
                .unwrap_or_else(|| Err(ExportError::Encode("not a vector format".into()))),
            Format::Png => self.render_png(page, None),
        }
    }

    /// The furniture of `page` as a PNG draws it, through a shared borrow: a batch makes the
    /// next page's on another thread while the device draws this one's
    /// ([`Exporter::render_png`]).
    pub fn furniture(&self, page: &Page) -> Result<png::Furniture, ExportError> {
        png::Furniture::new(page, &self.workspace.geometry, &self.theme)
    }

    /// The bytes of `page` as PNG, with its `furniture` where it was made beforehand.
    pub fn render_png(
        &mut self,
        page: &Page,
        furniture: Option<&png::Furniture>,
    ) -> Result<Vec<u8>, ExportError> {
        if self.on_cpu()? {
            return cpu::render_png(page, &self.workspace.geometry, &self.theme);
        }
        let (painter, geometry, theme) = self.painter()?;
        png::render_png(page, furniture, geometry, theme, painter)
    }

    /// The bytes of `page` as SVG or PDF, through a shared borrow, so that a batch renders its
    /// vector pages on every core; `None` for PNG, which needs [`Exporter::render_page`].
    pub fn render_vector(
        &self,
        page: &Page,
        format: Format,
    ) -> Option<Result<Vec<u8>, ExportError>> {
        match format {
            Format::Svg => Some(Ok(self.svg(page).into_bytes())),
            Format::Pdf => Some(pdf::render(&self.svg(page), page)),
            Format::Png => None,
        }
    }

    /// The page rasterised: the pixels a PNG of it holds.
    pub fn image(&mut self, page: &Page) -> Result<crate::render::offscreen::Image, ExportError> {
        if self.on_cpu()? {
            return cpu::render(page, &self.workspace.geometry, &self.theme);
        }
        let (painter, geometry, theme) = self.painter()?;
        png::render(page, geometry, theme, painter)
    }

    /// Whether PNG pages are drawn on the CPU: when asked, or (automatically) when no device
    /// opens; then the device is not tried again.
    fn on_cpu(&mut self) -> Result<bool, ExportError> {
        match self.renderer {
            Renderer::Cpu => Ok(true),
            Renderer::Gpu => Ok(false),
            Renderer::Auto if self.fallback.is_some() => Ok(true),
            Renderer::Auto if self.painter.is_some() || self.device.is_some() => Ok(false),
            Renderer::Auto => match png::MapDevice::open() {
                Ok(device) => {
                    self.device = Some(device);
                    Ok(false)
                }
                Err(e @ (RenderError::NoAdapter(_) | RenderError::Device(_))) => {
                    self.fallback = Some(e);
                    Ok(true)
                }
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Records that the device could not be opened elsewhere (the command line opens it on
    /// another thread): with [`Renderer::Auto`] PNG pages are then drawn on the CPU, otherwise
    /// the error is returned.
    pub fn device_failed(&mut self, error: RenderError) -> Result<(), ExportError> {
        match self.renderer {
            Renderer::Auto => {
                self.fallback = Some(error);
                Ok(())
            }
            Renderer::Cpu => Ok(()),
            Renderer::Gpu => Err(error.into()),
        }
    }

    /// The painter, made on first use (opening a device unless one was given), with the
    /// geometry and theme it draws.
    fn painter(&mut self) -> Result<(&mut png::MapPainter, &MapGeometry, &Theme), ExportError> {
        let Exporter {
            workspace,
            theme,
            device,
            painter,
            ..
        } = self;
        let geometry = &workspace.geometry;
        let painter = match painter {
            Some(painter) => painter,
            none => {
                let device = match device.take() {
                    Some(device) => device,
                    None => png::MapDevice::open()?,
                };
                none.insert(png::MapPainter::new(device, geometry, theme))
            }
        };
        Ok((painter, geometry, theme))
    }

    /// A small picture of the page, `width` pixels wide, rasterised on the CPU from its SVG
    /// (the window's preview: no device needed, and the same layout as every format).
    pub fn preview(
        &self,
        page: &Page,
        width: u32,
    ) -> Result<crate::render::offscreen::Image, ExportError> {
        let geometry = &self.workspace.geometry;
        let height = ((width as f32) * page.height / page.width).round().max(1.0) as u32;
        let pixels_per_point = width as f32 / page.width;
        let svg = svg::to_svg(
            page,
            geometry,
            pixels_per_point,
            &self.theme,
            svg::Content::Everything,
        );
        let tree = parse_svg(&svg)?;
        let mut pixmap =
            tiny_skia::Pixmap::new(width, height).ok_or(ExportError::Size { width, height })?;
        let scale = width as f32 / tree.size().width();
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        Ok(crate::render::offscreen::Image {
            width,
            height,
            rgba: pixmap.take(),
        })
    }

    /// The adapter PNG maps are drawn on, once one has been opened.
    pub fn adapter(&self) -> Option<&wgpu::AdapterInfo> {
        self.painter.as_ref().map(png::MapPainter::adapter)
    }

    fn svg(&self, page: &Page) -> String {
        let geometry = &self.workspace.geometry;
        svg::to_svg(
            page,
            geometry,
            VECTOR_PIXELS_PER_POINT,
            &self.theme,
            svg::Content::Everything,
        )
    }

    /// Renders and writes `path` atomically (temporary file, then rename).
    pub fn export(
        &mut self,
        doc: &MapDocument,
        options: &ExportOptions,
        path: &Path,
    ) -> Result<(), ExportError> {
        let bytes = self.render(doc, options)?;
        write(path, &bytes)
    }
}

/// The levels of detail (simplification tolerances in metres, finest first) that exporting
/// `doc` with `options` needs: for each map frame (the map, and the inset if there is one) the
/// coarsest whose error stays within the renderer's limit
/// ([`MAX_SIMPLIFICATION_PIXELS`](crate::scene::geometry::MAX_SIMPLIFICATION_PIXELS)) at the
/// frame's scale and output resolution. A one-off export builds only these: finer costs
/// start-up time, and for PNG, draw time, with no visible difference.
pub fn tolerances_for(
    atlas: &Atlas,
    layer: &Layer,
    doc: &MapDocument,
    options: &ExportOptions,
) -> Result<Vec<f64>, ExportError> {
    let theme = Theme::default();
    let style = MapStyle::new(atlas, layer, doc, &theme)?;
    let comparison = comparison(atlas, layer, doc, &style, options)?;
    let page = Page::frames(&page::PageInput {
        atlas,
        layer,
        doc,
        style: &style,
        options,
        theme: &theme,
        comparison: comparison.as_ref(),
    });
    let pixels_per_point = match options.format {
        Format::Png => options.page().2,
        Format::Svg | Format::Pdf => VECTOR_PIXELS_PER_POINT,
    };
    let mut tolerances: Vec<f64> = page
        .iter()
        .map(|frame| {
            crate::scene::geometry::MAX_SIMPLIFICATION_PIXELS * frame.camera.metres_per_pixel
                / f64::from(pixels_per_point)
        })
        .collect();
    tolerances.sort_by(f64::total_cmp);
    Ok(tolerances)
}

/// The comparison `options` asks for beside the map: the mapped layer, year and normalisation
/// across its grouping, as the Compare panel and `county-atlas compare` make it.
fn comparison(
    atlas: &Atlas,
    layer: &Layer,
    doc: &MapDocument,
    style: &MapStyle,
    options: &ExportOptions,
) -> Result<Option<crate::analysis::group_compare::GroupComparison>, ExportError> {
    let Some(grouping) = &options.compare else {
        return Ok(None);
    };
    if !grouping.fits(atlas.units().len()) {
        return Err(ExportError::Grouping(grouping.name.zh.clone()));
    }
    let year = style.choropleth.as_ref().map(|c| c.year);
    Ok(Some(crate::analysis::group_compare::compare_groups(
        atlas,
        layer,
        year,
        doc.map.normalization,
        grouping,
        None,
    )?))
}

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    Ok(crate::io::write_atomic(path, bytes)?)
}

/// Parses an SVG with the bundled font as the only font, so that text lays out the same on
/// every machine.
pub fn parse_svg(svg: &str) -> Result<usvg::Tree, ExportError> {
    let mut options = usvg::Options {
        fontdb: fonts(),
        font_family: crate::assets::FONT_FAMILY.to_owned(),
        ..usvg::Options::default()
    };
    options.shape_rendering = usvg::ShapeRendering::GeometricPrecision;
    usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Svg(e.to_string()))
}

/// The font database holding the bundled font, built once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(crate::assets::NOTO_SANS_SC_SUBSET.to_vec());
            db.set_sans_serif_family(crate::assets::FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Reads the record back from an exported file's bytes (PNG iTXt chunk, SVG metadata or PDF
/// subject).
pub fn read_record(bytes: &[u8]) -> Option<Record> {
    let json = if bytes.starts_with(b"\x89PNG") {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().ok()?;
        reader
            .info()
            .utf8_text
            .iter()
            .find(|chunk| chunk.keyword == RECORD_KEY)?
            .get_text()
            .ok()?
    } else if bytes.starts_with(b"%PDF") {
        pdf_subject(bytes)?
    } else {
        let text = std::str::from_utf8(bytes).ok()?;
        let start = text.find(&format!(r#"<metadata id="{}">"#, svg::RECORD_ID))?;
        let body = &text[start..];
        let open = body.find('>')? + 1;
        let close = body.find("</metadata>")?;
        unescape(&body[open..close])
    };
    serde_json::from_str(&json).ok()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The `/Subject` of a PDF written by krilla: a literal or hex string, UTF-16BE with a BOM
/// when not ASCII.
fn pdf_subject(bytes: &[u8]) -> Option<String> {
    let key = b"/Subject";
    let at = bytes.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &bytes[at..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let raw: Vec<u8> = match rest[start] {
        b'<' => {
            let end = rest[start..].iter().position(|&b| b == b'>')? + start;
            let hex: Vec<u8> = rest[start + 1..end]
                .iter()
                .copied()
                .filter(|b| b.is_ascii_hexdigit())
                .collect();
            hex.chunks(2)
                .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                .collect()
        }
        b'(' => {
            let mut out = Vec::new();
            let mut depth = 0usize;
            let mut i = start + 1;
            while i < rest.len() {
                match rest[i] {
                    b'\\' => {
                        i += 1;
                        match rest.get(i)? {
                            b'n' => out.push(b'\n'),
                            b'r' => out.push(b'\r'),
                            b't' => out.push(b'\t'),
                            b'b' => out.push(8),
                            b'f' => out.push(12),
                            d @ b'0'..=b'7' => {
                                let mut value = u32::from(d - b'0');
                                for _ in 0..2 {
                                    match rest.get(i + 1) {
                                        Some(d @ b'0'..=b'7') => {
                                            value = value * 8 + u32::from(d - b'0');
                                            i += 1;
                                        }
                                        _ => break,
                                    }
                                }
                                out.push(value as u8);
                            }
                            other => out.push(*other),
                        }
                    }
                    b'(' => {
                        depth += 1;
                        out.push(b'(');
                    }
                    b')' if depth == 0 => break,
                    b')' => {
                        depth -= 1;
                        out.push(b')');
                    }
                    b => out.push(b),
                }
                i += 1;
            }
            out
        }
        _ => return None,
    };
    if raw.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = raw[2..]
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16(&units).ok()
    } else {
        Some(raw.iter().map(|&b| char::from(b)).collect())
    }
}
