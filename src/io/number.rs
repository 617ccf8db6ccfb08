//! Numbers as people type them in tables: "1,234.5", "4.5%", full-width "１２３", a dash for
//! "no value". Anything that could be read two ways ("3,5": a decimal comma, or 35 with a
//! slipped separator?) is refused with a reason rather than guessed.

/// What a table cell holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A number (a percentage keeps its figure: "4.5%" is 4.5).
    Number(f64),
    /// Empty, or a mark that says "no value" (—, -, –, …, NA, 无).
    Missing,
}

/// Why a cell is not a number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// A comma that is not a thousands separator.
    #[error(
        "“{0}”中的逗号不是千位分隔符(小数请用点,如 3.5)/ the comma in '{0}' is not a thousands separator (write decimals with a point, e.g. 3.5)"
    )]
    AmbiguousComma(String),
    /// Not a number at all.
    #[error("“{0}”不是数字 / '{0}' is not a number")]
    NotANumber(String),
}

/// Marks that stand for "no value" in statistical tables.
const MISSING: [&str; 10] = ["-", "—", "–", "——", "…", "...", "NA", "N/A", "无", "/"];

/// Reads a cell.
pub fn parse_cell(text: &str) -> Result<Cell, NumberError> {
    // Full-width forms (as Chinese input methods type them) to ASCII.
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            '\u{FF0E}' => '.',
            '\u{FF0C}' => ',',
            '\u{FF05}' => '%',
            '\u{FF0D}' | '\u{2212}' => '-',
            '\u{FF0B}' => '+',
            c => c,
        })
        .collect();
    let trimmed = ascii.trim();
    if trimmed.is_empty() || MISSING.iter().any(|m| m.eq_ignore_ascii_case(trimmed)) {
        return Ok(Cell::Missing);
    }
    let body = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
    let plain = without_thousands(body)?;
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Cell::Number(v)),
        _ => Err(NumberError::NotANumber(text.trim().to_owned())),
    }
}

/// `body` without thousands separators, which must group the integer part in threes.
fn without_thousands(body: &str) -> Result<String, NumberError> {
    if !body.contains(',') {
        return Ok(body.to_owned());
    }
    let ambiguous = || NumberError::AmbiguousComma(body.to_owned());
    let unsigned = body.trim_start_matches(['+', '-']);
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    if fraction.is_some_and(|f| f.contains(',')) {
        return Err(ambiguous());
    }
    let groups: Vec<&str> = integer.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !(first_ok && rest_ok && digits) {
        return Err(ambiguous());
    }
    Ok(body.replace(',', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planners_numbers_are_read() {
        for (text, value) in [
            ("4.5%", 4.5),
            ("1,234", 1234.0),
            ("1,234.5", 1234.5),
            ("-12,345,678", -12_345_678.0),
            ("１２３.５", 123.5),
            ("４５％", 45.0),
            (" 7 ", 7.0),
            ("1e3", 1000.0),
        ] {
            assert_eq!(parse_cell(text), Ok(Cell::Number(value)), "{text}");
        }
    }

    #[test]
    fn dashes_mean_no_value() {
        for text in ["", " ", "-", "—", "–", "NA", "n/a", "无"] {
            assert_eq!(parse_cell(text), Ok(Cell::Missing), "{text:?}");
        }
    }

    #[test]
    fn ambiguous_commas_and_words_are_refused() {
        for text in ["3,5", "12,34", "1.234,5", "1,2345", ",123"] {
            assert!(
                matches!(parse_cell(text), Err(NumberError::AmbiguousComma(_))),
                "{text}"
            );
        }
        assert!(matches!(parse_cell("abc"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_cell("inf"), Err(NumberError::NotANumber(_))));
    }
}
