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
    // Room for the compressed page up front (addresses only: pages never written cost
    // nothing), so that the growing file is never copied; a map page compresses about
    // twentyfold, and an eighth of the raw size is ample.
    let mut bytes = Vec::with_capacity(width as usize * height as usize * 3 / 8);
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
    let mut row = vec![0; width * 3];
    for band in bands {
        for line in band.chunks_exact(width * 4) {
            drop_alpha(line, &mut row);
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

/// Copies the RGB of each RGBA pixel in `rgba` to `rgb` (three quarters its length). Four
/// pixels at a time, in fixed-size blocks the compiler turns into byte shuffles: a page's
/// nine million pixels took a byte-at-a-time loop about 25 ms, as long as compressing them.
fn drop_alpha(rgba: &[u8], rgb: &mut [u8]) {
    let (blocks, rest) = rgba.as_chunks::<16>();
    let (rgb_blocks, rgb_rest) = rgb.as_chunks_mut::<12>();
    for (from, to) in blocks.iter().zip(rgb_blocks) {
        *to = [
            from[0], from[1], from[2], from[4], from[5], from[6], from[8], from[9], from[10],
            from[12], from[13], from[14],
        ];
    }
    for (from, to) in rest.chunks_exact(4).zip(rgb_rest.chunks_exact_mut(3)) {
        to.copy_from_slice(&from[..3]);
    }
}

#[cfg(test)]
mod tests {
    use super::drop_alpha;

    #[test]
    fn alpha_is_dropped_from_whole_blocks_and_the_remainder() {
        // Seven pixels: one block of four and three left over.
        let rgba: Vec<u8> = (0..28).collect();
        let mut rgb = vec![0; 21];
        drop_alpha(&rgba, &mut rgb);
        let expected: Vec<u8> = (0..28).filter(|i| i % 4 != 3).collect();
        assert_eq!(rgb, expected);
    }
}
