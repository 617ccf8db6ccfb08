//! What the users' CSV readers share: the file's text (UTF-8, UTF-16, or GB18030 as Excel on
//! Chinese Windows saves it), the delimiter, and the header row.

use std::borrow::Cow;

/// The text of a CSV file without its byte-order mark, and the encoding it was read as,
/// decided on evidence (see [`super::text::decode`]).
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let decoded = super::text::decode(bytes, None);
    (decoded.text, decoded.encoding.name())
}

/// Why a table could not be started.
#[derive(Debug)]
pub(crate) enum HeaderError {
    /// The first line is empty.
    Empty,
    /// The first line is not valid CSV.
    Invalid(csv::Error),
}

/// A reader over `text` (delimiter sniffed from the first line, rows of any length) and the
/// header's names, trimmed.
pub(crate) fn open(text: &str) -> Result<(csv::Reader<&[u8]>, Vec<String>), HeaderError> {
    let header_line = text.lines().next().unwrap_or_default();
    if header_line.trim().is_empty() {
        return Err(HeaderError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(header_line))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(HeaderError::Invalid)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    Ok((reader, headers))
}

/// Comma unless the header clearly uses semicolons or tabs.
pub(crate) fn sniff_delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs >= semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_and_headers() {
        let (_, headers) = open("名称; 经度;纬度\n郫都区;103.9;30.8\n").unwrap();
        assert_eq!(headers, ["名称", "经度", "纬度"]);
        let (_, headers) = open("a\tb,c\tx\n").unwrap();
        assert_eq!(headers, ["a", "b,c", "x"]);
        assert!(matches!(open("\n1,2\n"), Err(HeaderError::Empty)));
    }

    #[test]
    fn gb18030_and_the_byte_order_mark() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("名称\n");
        assert_eq!(decode(&bytes), (Cow::Borrowed("名称\n"), "GB18030"));
        assert_eq!(decode(b"\xEF\xBB\xBFadcode\n").0, "adcode\n");
    }
}
