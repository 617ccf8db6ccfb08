//! Text a user or a hostile file puts on a page or a terminal, through the real binary: control
//! characters, a title of thousands of characters, characters the font lacks, escape sequences
//! in a CSV's header, numbers of absurd size.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(args)
        .env_remove("COUNTY_ATLAS_LANG")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The contents of the SVG's `<text>` elements: what is drawn (the document's `<title>` and
/// metadata keep the text as given).
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|element| {
            let start = element.find('>')? + 1;
            let end = element.find("</text>")?;
            element.get(start..end)
        })
        .collect()
}

/// Runs an export that must succeed; returns its stderr.
fn exports(args: &[&str]) -> String {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{args:?}: {stderr}");
    stderr
}

#[test]
fn control_characters_are_removed_from_every_format_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let title = "人口\u{1}\u{8}\u{1b}密度\u{fffe}\u{ffff}\tA";
    for format in ["svg", "pdf", "png"] {
        let out = dir.path().join(format!("map.{format}"));
        let stderr = exports(&[
            "export",
            "--layer",
            "population",
            "--title",
            title,
            "--subtitle",
            "副\u{7}标题",
            "--review-number",
            "GS(2026)\u{1f}1号",
            "--dpi",
            "72",
            "--out",
            s(&out),
        ]);
        for flag in ["--title", "--subtitle", "--review-number"] {
            assert!(
                stderr.contains(&format!("{flag}:已删除控制字符")),
                "{format}: {stderr}"
            );
        }
        let bytes = std::fs::read(&out).unwrap();
        let record = county_atlas::export::read_record(&bytes).expect("the record");
        assert_eq!(
            record.review_number.as_deref(),
            Some("GS(2026)1号"),
            "{format}"
        );
        match format {
            "svg" => {
                let svg = String::from_utf8(bytes).unwrap();
                county_atlas::export::parse_svg(&svg).expect("well-formed SVG");
                assert!(svg.contains(">人口密度 A</text>"));
                assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
            }
            "pdf" => {
                let text: String = pdf_extract::extract_text_from_mem(&bytes)
                    .unwrap()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(text.contains("人口密度A"), "{text}");
            }
            _ => assert!(bytes.starts_with(b"\x89PNG")),
        }
    }
}

#[test]
fn a_title_of_thousands_of_characters_wraps_and_ends_in_an_ellipsis() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let title = "很长的标题".repeat(1000) + &"word ".repeat(500) + &"x".repeat(3000);
    exports(&[
        "export",
        "--layer",
        "population",
        "--title",
        &title,
        "--out",
        s(&out),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let title_lines: Vec<&str> = texts(&svg)
        .into_iter()
        .filter(|line| line.contains("长的标"))
        .collect();
    assert_eq!(title_lines.len(), 2, "two lines of title");
    assert!(title_lines[1].ends_with('…'), "{}", title_lines[1]);
    assert!(
        title_lines.iter().all(|line| line.chars().count() < 80),
        "each line fits the page"
    );
    // An unbreakable run is cut too.
    let dir2 = tempfile::tempdir().unwrap();
    let out2 = dir2.path().join("map.svg");
    exports(&[
        "export",
        "--layer",
        "population",
        "--title",
        &"x".repeat(5000),
        "--out",
        s(&out2),
    ]);
    let svg = std::fs::read_to_string(&out2).unwrap();
    assert!(
        texts(&svg).iter().all(|t| !t.contains(&"x".repeat(400))),
        "no line of 400 x"
    );
}

#[test]
fn characters_the_font_lacks_show_as_a_box_and_are_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let stderr = exports(&[
        "export",
        "--layer",
        "population",
        "--title",
        "火箭🚀与🚀",
        "--subtitle",
        "🚀",
        "--out",
        s(&out),
    ]);
    assert_eq!(
        stderr.matches("内置字体缺少这些字符").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("页面上以 □ 代替:🚀"), "{stderr}");
    let svg = std::fs::read_to_string(&out).unwrap();
    let drawn = texts(&svg);
    assert!(
        drawn.contains(&"火箭□与□"),
        "the box in place of the rocket"
    );
    assert!(!drawn.iter().any(|t| t.contains('🚀')));
}

#[test]
fn escape_sequences_from_a_file_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("values.csv");
    std::fs::write(
        &csv,
        "adcode,\u{1b}]0;pwned\u{7}v\u{1b}[2J\n510104,x\u{1b}[31m\n510105,2\n510106,3\n",
    )
    .unwrap();
    let column = "\u{1b}]0;pwned\u{7}v\u{1b}[2J";
    let output = run(&[
        "classify",
        "--data",
        s(&csv),
        "--column",
        column,
        "--classes",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[31m"), "shown escaped: {stderr}");
    // A bad column name fails with the name escaped too.
    let output = run(&["classify", "--data", s(&csv), "--column", "\u{1b}[2Jnope"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn absurdly_large_numbers_are_written_in_scientific_notation() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("huge.csv");
    std::fs::write(
        &csv,
        "adcode,v\n510104,1e308\n510105,2e300\n510106,3\n510107,5\n510108,7\n510112,9\n",
    )
    .unwrap();
    let out = dir.path().join("map.svg");
    exports(&[
        "export",
        "--data",
        s(&csv),
        "--column",
        "v",
        "--classes",
        "3",
        "--out",
        s(&out),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("1e308"), "the largest value in the legend");
    assert!(
        !svg.contains("000,000,000,000,000,000"),
        "no hundreds of digits"
    );
    let output = run(&[
        "classify",
        "--layer",
        "population",
        "--method",
        "box",
        "--hinge",
        "1e308",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("got 1e308"));
}
