//! Formatting numbers and aligning text for people: thousands separators, trimmed decimals,
//! and the display width of Chinese text (two columns per CJK character).

/// Beyond this magnitude a number is written in scientific notation: a legend or a profile has
/// no room for the 309 digits of 1e308, and no county statistic is this large.
const SCIENTIFIC_ABOVE: f64 = 1e15;

/// Formats a value with at most `max_decimals` decimals, trailing zeros trimmed, and a
/// thousands separator in the integer part; beyond 10^15 in scientific notation with three
/// significant digits.
///
/// ```
/// assert_eq!(county_atlas::format::number(1_393_200.0, 0), "1,393,200");
/// assert_eq!(county_atlas::format::number(23.60, 2), "23.6");
/// assert_eq!(county_atlas::format::number(1e308, 2), "1e308");
/// assert_eq!(county_atlas::format::number(-2.5e20, 2), "-2.5e20");
/// ```
pub fn number(value: f64, max_decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.abs() > SCIENTIFIC_ABOVE {
        let text = format!("{value:.2e}");
        // "2.50e20" → "2.5e20", "1.00e308" → "1e308".
        return match text.split_once('e') {
            Some((mantissa, exponent)) if mantissa.contains('.') => {
                let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
                format!("{mantissa}e{exponent}")
            }
            _ => text,
        };
    }
    let text = format!("{:.*}", max_decimals, value);
    let (integer, fraction) = match text.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let (sign, digits) = integer
        .strip_prefix('-')
        .map_or(("", integer), |d| ("-", d));
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if grouped.chars().all(|c| c == '0' || c == ',') && fraction.is_empty() {
        ""
    } else {
        sign
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// The number of terminal columns `text` takes: 2 for East Asian wide characters.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Pads `text` with spaces to `width` display columns.
pub fn pad(text: &str, width: usize) -> String {
    let w = display_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 |
        0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Lays out rows as columns aligned by display width, two spaces apart.
pub fn columns(rows: &[Vec<String>]) -> String {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| display_width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&pad(cell, widths[i]));
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(1393200.0, 0), "1,393,200");
        assert_eq!(number(23.6, 2), "23.6");
        assert_eq!(number(0.5, 2), "0.5");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(-0.001, 2), "0");
        assert_eq!(number(999.999, 2), "1,000");
    }

    #[test]
    fn widths_count_chinese_twice() {
        assert_eq!(display_width("锦江区"), 6);
        assert_eq!(display_width("ab"), 2);
        assert_eq!(
            columns(&[
                vec!["锦江区".into(), "x".into()],
                vec!["a".into(), "y".into()]
            ]),
            "锦江区  x\na       y\n"
        );
    }
}

/// `text` safe to write to a terminal: control characters (C0 but for the line break, DEL and
/// C1, which start escape sequences such as ESC [ … or OSC) shown as `\u{1b}` rather than
/// sent. Text from a user's file (a header, a county name) reaches stderr through this.
///
/// ```
/// assert_eq!(county_atlas::format::terminal_safe("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
/// assert_eq!(county_atlas::format::terminal_safe("郫都区\n"), "郫都区\n");
/// ```
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n';
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            safe.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    std::borrow::Cow::Owned(safe)
}

/// Whether a page cannot carry `c`: XML 1.0 has no place for C0 controls (but tab and line
/// breaks), U+FFFE and U+FFFF, and other control characters draw nothing.
pub fn unfit_for_a_page(c: char) -> bool {
    c.is_control() || c == '\u{fffe}' || c == '\u{ffff}'
}

/// `text` fit for a page: characters XML cannot carry (C0 controls, U+FFFE, U+FFFF, lone
/// surrogates cannot occur in a `str`) are dropped, and tabs and line breaks become spaces (a
/// title is one line of text). Returns whether anything was changed, so that the caller can
/// say so.
pub fn page_text(text: &str) -> (String, bool) {
    let mut changed = false;
    let cleaned = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => {
                changed = true;
                Some(' ')
            }
            c if unfit_for_a_page(c) => {
                changed = true;
                None
            }
            c => Some(c),
        })
        .collect();
    (cleaned, changed)
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn page_text_drops_what_xml_cannot_carry() {
        assert_eq!(
            page_text("标题\u{1}\u{8}\u{fffe}\u{ffff}a\tb\nc"),
            ("标题a b c".to_owned(), true)
        );
        assert_eq!(page_text("人口密度"), ("人口密度".to_owned(), false));
    }

    #[test]
    fn numbers_stay_short_at_any_size() {
        assert_eq!(number(1e15, 0), "1,000,000,000,000,000");
        assert_eq!(number(1.2345e16, 2), "1.23e16");
        assert_eq!(number(-1e308, 2), "-1e308");
        assert!(number(f64::MAX, 2).len() < 12);
    }
}
