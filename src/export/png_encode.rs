//! PNG encoding of a page that arrives in bands of RGBA rows: RGB, fast compression, the
//! record and the sources in text chunks, the resolution in pHYs.

use super::ExportError;
use super::page::Page;
use std::io::Write;

/// Encodes the `width × height` page whose opaque RGBA rows arrive in `bands` (top first,
/// whole rows), handing each band back to `spent` once written so that its buffer can be
/// reused. The record goes in an iTXt chunk (key `county-atlas`), with the title, software
/// and sources as text.
pub(super) fn encode(
    page: &Page,
    width: u32,
    height: u32,
    bands: impl IntoIterator<Item = Vec<u8>>,
    mut spent: impl FnMut(Vec<u8>),
) -> Result<Vec<u8>, ExportError> {
    let png_error = |e: png::EncodingError| ExportError::Encode(e.to_string());
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fastest);
    let pixels_per_metre = (page.pixels_per_point * 72.0 / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: pixels_per_metre,
        yppu: pixels_per_metre,
        unit: png::Unit::Meter,
    }));
    encoder
        .add_itxt_chunk("Title".into(), page.title.clone())
        .map_err(png_error)?;
    encoder
        .add_text_chunk(
            "Software".into(),
            format!("county-atlas {}", env!("CARGO_PKG_VERSION")),
        )
        .map_err(png_error)?;
    encoder
        .add_itxt_chunk("Source".into(), page.record.sources.join("; "))
        .map_err(png_error)?;
    encoder
        .add_itxt_chunk(super::RECORD_KEY.into(), page.record.to_json())
        .map_err(png_error)?;
    let mut writer = encoder.write_header().map_err(png_error)?;
    let width = width as usize;
    let mut stream = writer
        .stream_writer_with_size(width * 3 * 16)
        .map_err(png_error)?;
    let mut row = Vec::with_capacity(width * 3);
    for band in bands {
        for line in band.chunks_exact(width * 4) {
            row.clear();
            for pixel in line.chunks_exact(4) {
                row.extend_from_slice(&pixel[..3]);
            }
            stream
                .write_all(&row)
                .map_err(|e| ExportError::Encode(e.to_string()))?;
        }
        spent(band);
    }
    stream.finish().map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(bytes)
}
