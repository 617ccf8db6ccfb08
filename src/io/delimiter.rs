//! The delimiter of a user's CSV file, guessed from its header line: Excel on a Chinese or
//! European system may save semicolons, its "Unicode text" uses tabs.

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
    fn commas_semicolons_and_tabs() {
        assert_eq!(sniff_delimiter("名称; 经度;纬度"), b';');
        assert_eq!(sniff_delimiter("a\tb,c\tx"), b'\t');
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(sniff_delimiter("value"), b',');
    }
}
