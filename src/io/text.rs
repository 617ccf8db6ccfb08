//! The text of a table file: its encoding decided on evidence, and the lines a reader must
//! warn about.
//!
//! Tables reach planners as UTF-8 (with or without a byte-order mark), as GB18030/GBK (Excel's
//! "CSV" on Chinese Windows), and sometimes as UTF-16 (Excel's "Unicode text"). One stray byte
//! must not turn a UTF-8 file into GB18030 mojibake: the file is UTF-8 when its valid multi-byte
//! sequences far outnumber its invalid bytes, and the lines of the invalid bytes are named.

use std::borrow::Cow;

/// The encodings a table file is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    #[serde(rename = "UTF-8")]
    Utf8,
    /// UTF-16, little-endian (with a byte-order mark, or recognised by its NUL bytes).
    #[serde(rename = "UTF-16LE")]
    Utf16Le,
    /// UTF-16, big-endian.
    #[serde(rename = "UTF-16BE")]
    Utf16Be,
    /// GB18030, the superset of GBK and GB2312.
    #[serde(rename = "GB18030")]
    Gb18030,
}

impl TextEncoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
        }
    }

    /// Reads an `--encoding` value: utf-8, utf-16le, utf-16be, gb18030 (gbk and gb2312 read
    /// as gb18030, which contains them).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf-16" | "utf16" | "utf16le" => Some(TextEncoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(TextEncoding::Gb18030),
            _ => None,
        }
    }
}

/// A decoded file.
#[derive(Clone, Debug)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark; bytes that are no character become U+FFFD.
    pub text: Cow<'a, str>,
    /// The encoding read.
    pub encoding: TextEncoding,
    /// The 1-based lines that held bytes that are no character of the encoding (the first
    /// [`MAX_BAD_LINES`]), and how many lines did in all.
    pub bad_lines: Vec<u64>,
    /// Lines with bad bytes in all.
    pub bad_line_count: usize,
}

/// How many lines with bad bytes are listed.
pub const MAX_BAD_LINES: usize = 20;

/// Decodes `bytes`: in `forced` where given, otherwise in the encoding the evidence points to.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Decoded<'_> {
    let (encoding, body) = match (forced, bom(bytes)) {
        (Some(forced), Some((found, len))) if found == forced => (forced, &bytes[len..]),
        (Some(forced), _) => (forced, bytes),
        (None, Some((found, len))) => (found, &bytes[len..]),
        (None, None) => (guess_encoding(bytes), bytes),
    };
    let text: Cow<'_, str> = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(body),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(body).0,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(body).0,
        TextEncoding::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(body).0,
    };
    let (bad_lines, bad_line_count) = lines_with_replacements(&text);
    Decoded {
        text,
        encoding,
        bad_lines,
        bad_line_count,
    }
}

/// The encoding a byte-order mark names, and the mark's length.
fn bom(bytes: &[u8]) -> Option<(TextEncoding, usize)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Some((TextEncoding::Utf8, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((TextEncoding::Utf16Le, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((TextEncoding::Utf16Be, 2))
    } else {
        None
    }
}

/// The encoding of text without a byte-order mark: UTF-16 by its NUL bytes, UTF-8 where its
/// valid multi-byte sequences far outnumber its invalid ones, else GB18030.
pub(crate) fn guess_encoding(bytes: &[u8]) -> TextEncoding {
    // UTF-16 without a mark: ASCII text has a NUL beside every character.
    let sample = &bytes[..bytes.len().min(4096)];
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let pairs = sample.len() / 2;
    if pairs >= 4 {
        if nul_at(1) * 10 >= pairs * 3 && nul_at(0) * 10 < pairs {
            return TextEncoding::Utf16Le;
        }
        if nul_at(0) * 10 >= pairs * 3 && nul_at(1) * 10 < pairs {
            return TextEncoding::Utf16Be;
        }
    }
    let (multibyte, invalid) = utf8_evidence(bytes);
    // GB18030 text is almost never valid UTF-8 beyond a few characters by chance; UTF-8 with
    // a stray byte has many valid sequences and few invalid ones.
    if invalid == 0 || multibyte >= 8 * invalid {
        TextEncoding::Utf8
    } else {
        TextEncoding::Gb18030
    }
}

/// Counts valid multi-byte UTF-8 sequences and invalid sequences.
fn utf8_evidence(bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                multibyte += text.bytes().filter(|&b| b >= 0xC0).count();
                return (multibyte, invalid);
            }
            Err(error) => {
                let valid = error.valid_up_to();
                multibyte += rest[..valid].iter().filter(|&&b| b >= 0xC0).count();
                invalid += 1;
                let skip = error.error_len().unwrap_or(rest.len() - valid);
                rest = &rest[valid + skip..];
            }
        }
    }
}

/// The lines of `text` with a U+FFFD (bytes that were no character; a file that held U+FFFD
/// itself has those lines named too, and they are worth a look anyway), listed up to
/// [`MAX_BAD_LINES`], and their number.
fn lines_with_replacements(text: &str) -> (Vec<u64>, usize) {
    if !text.contains('\u{FFFD}') {
        return (Vec::new(), 0);
    }
    let mut listed = Vec::new();
    let mut count = 0;
    for (index, line) in text.split('\n').enumerate() {
        if line.contains('\u{FFFD}') {
            count += 1;
            if listed.len() < MAX_BAD_LINES {
                listed.push(index as u64 + 1);
            }
        }
    }
    (listed, count)
}

/// The 1-based line where a quoted field opens that is never closed, which would make a CSV
/// reader take the rest of the file as one cell. Follows RFC 4180 as the `csv` crate reads
/// it: a quote opens a field only at the field's start, and `""` inside one is a quote.
pub fn unclosed_quote(text: &str, delimiter: u8) -> Option<u64> {
    let bytes = text.as_bytes();
    let mut line = 1u64;
    let mut opened_on = 0u64;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            opened_on = line;
        } else if b == b'\n' {
            line += 1;
            at_field_start = true;
            i += 1;
            continue;
        }
        at_field_start = !in_quotes && (b == delimiter || b == b'\r');
        i += 1;
    }
    in_quotes.then_some(opened_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_and_utf16_without_one() {
        let utf16le: Vec<u8> = "\u{FEFF}名称,值\n郫都区,1\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let decoded = decode(&utf16le, None);
        assert_eq!(decoded.encoding, TextEncoding::Utf16Le);
        assert_eq!(decoded.text, "名称,值\n郫都区,1\n");
        let bare: Vec<u8> = "adcode,value\n510104,1\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&bare, None).encoding, TextEncoding::Utf16Be);
        assert_eq!(decode(b"\xEF\xBB\xBFa\n", None).text, "a\n");
    }

    #[test]
    fn one_bad_byte_keeps_a_utf8_file_utf8_and_names_its_line() {
        let mut bytes = "名称,值\n郫都区,1\n锦江区,2\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xFF,3\n");
        let decoded = decode(&bytes, None);
        assert_eq!(decoded.encoding, TextEncoding::Utf8);
        assert!(decoded.text.contains("锦江区"));
        assert_eq!(decoded.bad_lines, vec![4]);
        // GBK text is GB18030.
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,值\n郫都区,1\n锦江区,2\n");
        let decoded = decode(&gbk, None);
        assert_eq!(decoded.encoding, TextEncoding::Gb18030);
        assert!(decoded.bad_lines.is_empty());
        assert_eq!(
            decode(&gbk, Some(TextEncoding::Utf8)).bad_line_count,
            3,
            "forced"
        );
    }

    #[test]
    fn unclosed_quotes_name_their_line() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\ny\"\n2,3\n", b','), None);
        assert_eq!(unclosed_quote("a,b\n1,2\n3,\"x\n4,5\n", b','), Some(3));
        assert_eq!(unclosed_quote("a,b\n1,x\"y\n", b','), None, "mid-field");
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\"\n", b','), None, "escaped");
    }
}
