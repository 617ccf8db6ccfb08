//! The command line, end to end: every subcommand and every error path, through the real
//! binary.

use std::io::Write;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(args)
        .env_remove("COUNTY_ATLAS_LANG")
        // Run from elsewhere: the binary must not need the source tree.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// Fails with exit code 1 and an error message on stderr (never a panic).
fn fails(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}: {}",
        stderr(&output)
    );
    let message = stderr(&output);
    assert!(message.starts_with("error: "), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    message
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args)).unwrap()
}

#[test]
fn help_lists_the_commands() {
    let text = ok(&["--help"]);
    for command in ["units", "at", "profile", "join", "layers"] {
        assert!(text.contains(command), "{text}");
    }
    assert!(
        text.contains("Without a subcommand it opens the map window"),
        "{text}"
    );
}

#[test]
fn without_a_display_the_window_fails_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.starts_with("error: 没有找到显示器"), "{message}");
    assert!(message.contains("no display was found"), "{message}");
    assert!(
        message.contains("the command-line subcommands work without one"),
        "{message}"
    );
    assert!(
        !message.contains(".cargo"),
        "no path into the registry: {message}"
    );
}

#[test]
fn unknown_subcommands_and_bad_options_are_usage_errors() {
    let output = run(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unrecognized subcommand"));
    let output = run(&["at", "104", "30", "--crs", "utm"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("use wgs84, gcj02 or bd09"),
        "{}",
        stderr(&output)
    );
    let output = run(&["at", "abc", "30"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn units_lists_183_in_a_table_and_as_json() {
    let text = ok(&["units"]);
    assert_eq!(text.lines().count(), 1 + 183 + 1);
    assert!(text.contains("510117  郫都区"), "{text}");
    let units = json(&["units", "--json"]);
    let units = units.as_array().unwrap();
    assert_eq!(units.len(), 183);
    assert_eq!(units[0]["adcode"], "510104");
    assert_eq!(units[0]["name"], "锦江区");
    assert_eq!(units[0]["prefecture"], "成都市");
    assert_eq!(units[0]["region"], "成都平原经济区");
    let english = ok(&["--lang", "en", "units"]);
    assert!(english.contains("Chengdu Plain Economic Region"));
}

#[test]
fn at_names_the_county_in_every_coordinate_system() {
    assert!(
        ok(&["at", "104.0657", "30.6595"]).starts_with("510104 锦江区 · 成都市 · 成都平原经济区")
    );
    // The same ground point written in GCJ-02 and BD-09.
    let wgs = [103.887, 30.808];
    let gcj = county_atlas::crs::Crs::Gcj02.from_wgs84(wgs);
    let bd = county_atlas::crs::Crs::Bd09.from_wgs84(wgs);
    for (crs, p) in [("wgs84", wgs), ("gcj02", gcj), ("bd09", bd)] {
        let answer = json(&[
            "at",
            &p[0].to_string(),
            &p[1].to_string(),
            "--crs",
            crs,
            "--json",
        ]);
        assert_eq!(answer["adcode"], "510117", "{crs}: {answer}");
        assert!((answer["wgs84"][0].as_f64().unwrap() - wgs[0]).abs() < 1e-8);
    }
}

#[test]
fn at_outside_sichuan_says_so_and_names_the_nearest_county() {
    let text = ok(&["at", "106.55", "29.56"]);
    assert!(text.starts_with("该点不在四川省内"), "{text}");
    let answer = json(&["at", "106.55", "29.56", "--json"]);
    assert_eq!(answer["inside_sichuan"], false);
    assert!(answer["adcode"].is_null());
    assert!(answer["nearest"]["km"].as_f64().unwrap() > 1.0);
    assert!(ok(&["--lang", "en", "at", "-0.1276", "51.5072"]).starts_with("outside Sichuan"));
}

#[test]
fn at_rejects_impossible_and_swapped_coordinates() {
    let message = fails(&["at", "30.66", "104.06"]);
    assert!(
        message.contains("latitude 104.06 is outside -90..90; did you give latitude first?"),
        "{message}"
    );
    let message = fails(&["at", "200", "30"]);
    assert!(
        message.contains("longitude 200 is outside -180..180"),
        "{message}"
    );
}

#[test]
fn profile_json_has_the_documented_keys() {
    let profile = json(&["profile", "郫县", "--json"]);
    for key in [
        "adcode",
        "name",
        "prefecture",
        "region",
        "area_km2",
        "population_2020",
        "neighbors",
        "indicators",
    ] {
        assert!(profile.get(key).is_some(), "missing {key}");
    }
    assert_eq!(profile["adcode"], "510117");
    assert_eq!(profile["name"], "郫都区");
    assert_eq!(profile["prefecture"], "成都市");
    assert_eq!(profile["region"], "成都平原经济区");
    assert_eq!(profile["population_2020"], 1_672_025);
    let neighbours: Vec<&str> = profile["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        neighbours.contains(&"510114") && neighbours.contains(&"510182"),
        "{neighbours:?}"
    );
    let area = profile["area_km2"].as_f64().unwrap();
    assert!((400.0..480.0).contains(&area), "{area}");
    for indicator in profile["indicators"].as_array().unwrap() {
        for key in ["layer", "year", "value", "source"] {
            assert!(indicator.get(key).is_some(), "{indicator}");
        }
        assert!(!indicator["source"].as_str().unwrap().is_empty());
    }
    let rd = profile["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["layer"] == "rd_intensity")
        .unwrap();
    assert_eq!(rd["level"], "prefecture");
    assert_eq!(rd["year"], 2018);
}

#[test]
fn profile_text_marks_prefecture_values_and_names_sources() {
    let text = ok(&["profile", "510117"]);
    assert!(text.starts_with("郫都区 510117"), "{text}");
    assert!(text.contains("[市级数值]"));
    assert!(
        text.contains("来源: 《中国人口普查分县资料—2020》"),
        "the document first: {text}"
    );
    assert!(text.contains("所据副本:github.com/thebamboogrove/tudigong"));
    assert!(text.contains("曾用名: 郫县 510124"));
    let english = ok(&["--lang", "en", "profile", "会理县"]);
    assert!(
        english.starts_with("(会理县 is now Huili City (会理市)"),
        "{english}"
    );
    assert!(english.contains("Huili City (会理市) 513402"), "{english}");
    assert!(english.contains("[prefecture-level value]") || english.contains("Designations"));
}

#[test]
fn the_chinese_profile_keeps_working_notes_behind_details() {
    let brief = ok(&["profile", "温江区"]);
    for english in [
        "city name not printed",
        "mirror of",
        "(computed)",
        "iterative inversion",
    ] {
        assert!(
            !brief.contains(english),
            "{english:?} in the brief profile: {brief}"
        );
    }
    assert!(
        brief.contains("所据副本:https://m.pouringspot.com/"),
        "{brief}"
    );
    assert!(brief.contains("经迭代反算转为 WGS84"), "{brief}");
    let details = ok(&["profile", "温江区", "--details"]);
    assert!(details.contains("详情: city name not printed"), "{details}");
    assert!(
        details.contains("副本说明: https://m.pouringspot.com/"),
        "{details}"
    );
}

#[test]
fn profile_of_an_unknown_or_ambiguous_name_fails_with_help() {
    let message = fails(&["profile", "郫度区"]);
    assert!(
        message.contains("did you mean: 郫都区 (510117, 成都市)"),
        "{message}"
    );
    let message = fails(&["profile", "市中区"]);
    assert!(
        message.contains("matches 2 units") && message.contains("511102"),
        "{message}"
    );
    let message = fails(&["profile", "南充市"]);
    assert!(message.contains("'南充市' is a prefecture, not a county-level unit; its units are: 顺庆区 (511302, 南充市)"), "{message}");
    let message = fails(&["profile", ""]);
    assert!(
        message.contains("no county name or adcode given"),
        "{message}"
    );
}

#[test]
fn layers_lists_every_layer_with_coverage_and_sources() {
    let layers = json(&["layers", "--json"]);
    let layers = layers.as_array().unwrap();
    let find = |id: &str| {
        layers
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let population = find("population");
    assert_eq!(population["coverage"], 183);
    assert_eq!(population["of"], 183);
    assert_eq!(population["level"], "county");
    assert_eq!(population["years"][0], 2020);
    assert_eq!(population["name"]["zh"], "常住人口(2020年普查)");
    assert!(
        population["name"]["en"]
            .as_str()
            .unwrap()
            .contains("population")
    );
    let gdp = find("gdp");
    assert_eq!(
        gdp["coverage"], 8,
        "the best-covered year (2022) has 8 counties"
    );
    let rd = find("rd_intensity");
    assert_eq!(rd["level"], "prefecture");
    assert_eq!(rd["prefectures"], 18);
    assert_eq!(find("innovative_county")["type"], "designation");
    assert_eq!(find("hightech_zones_national")["type"], "points");
    for layer in layers {
        assert!(
            !layer["sources"].as_array().unwrap().is_empty(),
            "{}",
            layer["id"]
        );
    }
    let text = ok(&["layers"]);
    assert!(
        text.contains("population_density") && text.contains("183/183"),
        "{text}"
    );
}

fn write_temp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn join_counts_points_and_reports_outside_and_unreadable_rows() {
    let csv = "id,lng,lat\n\
               1,104.0657,30.6595\n\
               2,104.07,30.66\n\
               3,103.887,30.808\n\
               4,106.55,29.56\n\
               5,abc,30.1\n\
               6,104.1,\n";
    let (_dir, path) = write_temp("points.csv", csv.as_bytes());
    let output = run(&["join", &path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 183);
    assert_eq!(lines[0], "adcode,name,count");
    assert!(lines.contains(&"510104,锦江区,2"), "{out}");
    assert!(lines.contains(&"510117,郫都区,1"));
    let total: u64 = lines[1..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 3);
    let err = stderr(&output);
    assert!(
        err.contains("4 个点已读取")
            && err.contains("1 个在四川省外")
            && err.contains("2 行无法读取"),
        "{err}"
    );
    assert!(
        err.contains("points.csv:6: “lng”列:“abc”不是数字 / column 'lng': 'abc' is not a number"),
        "{err}"
    );
    assert!(
        err.contains("points.csv:7: “lat”列为空 / column 'lat' is empty"),
        "{err}"
    );
}

#[test]
fn join_with_named_columns_and_gcj02() {
    let wgs = [103.887, 30.808];
    let gcj = county_atlas::crs::Crs::Gcj02.from_wgs84(wgs);
    let csv = format!("名称;X;Y\n点;{};{}\n", gcj[0], gcj[1]);
    let (_dir, path) = write_temp("gcj.csv", csv.as_bytes());
    let out = ok(&[
        "join",
        &path,
        "--lon-col",
        "X",
        "--lat-col",
        "Y",
        "--crs",
        "gcj02",
    ]);
    assert!(out.contains("510117,郫都区,1"), "{out}");
}

#[test]
fn join_reads_gb18030_files_from_excel() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("名称,经度,纬度\n郫都区政府,103.887,30.808\n");
    let (_dir, path) = write_temp("gbk.csv", &bytes);
    let output = run(&["join", &path]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("510117,郫都区,1"));
    assert!(stderr(&output).contains("GB18030"));
}

#[test]
fn join_errors_name_the_file_and_what_to_do() {
    let message = fails(&["join", "/nonexistent/points.csv"]);
    assert!(
        message.contains("/nonexistent/points.csv: cannot read the file"),
        "{message}"
    );
    let (_dir, path) = write_temp("nocols.csv", b"a,b\n1,2\n");
    let message = fails(&["join", &path]);
    assert!(
        message.contains("nocols.csv:1: 未找到经度列")
            && message.contains("/ no longitude column found")
            && message.contains("--lon-col"),
        "{message}"
    );
    let (_dir, path) = write_temp("named.csv", b"lng,lat\n1,2\n");
    let message = fails(&["join", &path, "--lat-col", "latitude"]);
    assert!(
        message
            .contains("no column named 'latitude' (given by --lat-col); the columns are: lng, lat"),
        "{message}"
    );
    let (_dir, path) = write_temp("empty.csv", b"");
    let message = fails(&["join", &path]);
    assert!(
        message.contains("empty.csv: 文件为空") && message.contains("/ the file is empty"),
        "{message}"
    );
}

#[test]
fn join_lists_at_most_twenty_bad_rows_then_summarises() {
    let mut csv = String::from("lon,lat\n");
    for _ in 0..25 {
        csv.push_str("x,y\n");
    }
    let (_dir, path) = write_temp("bad.csv", csv.as_bytes());
    let output = run(&["--lang", "en", "join", &path]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("is not a number"))
            .count(),
        20
    );
    assert!(err.contains("... and 5 more unreadable rows"), "{err}");
    assert!(
        err.contains("bad.csv:2:") && err.contains("bad.csv:21:"),
        "{err}"
    );
}

#[test]
fn classify_prints_mapclassify_breaks_and_counts() {
    let result = json(&[
        "classify",
        "--layer",
        "population_density",
        "--method",
        "quantile",
        "--classes",
        "5",
        "--json",
    ]);
    assert_eq!(result["method"], "quantile");
    let breaks = result["breaks"].as_array().unwrap();
    assert_eq!(breaks.len(), 5);
    let counts: Vec<u64> = result["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 183);
    assert_eq!(counts, vec![37, 36, 37, 36, 37]);
    let text = ok(&[
        "classify",
        "--layer",
        "rd_intensity",
        "--year",
        "2018",
        "--method",
        "box",
        "--hinge",
        "3",
    ]);
    assert!(
        text.contains("箱线图(铰链 3)") && text.contains("个市州") && text.contains("无数据: 48"),
        "{text}"
    );
    let manual = json(&[
        "classify",
        "--layer",
        "schooling_years",
        "--method",
        "manual",
        "--breaks",
        "8,9,10",
        "--json",
    ]);
    assert_eq!(manual["breaks"][0], 8.0);
    assert_eq!(
        manual["breaks"].as_array().unwrap().len(),
        4,
        "the maximum is added above the last break"
    );
}

#[test]
fn classify_warns_about_amounts_and_reads_user_csv() {
    let output = run(&["classify", "--layer", "population"]);
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("注意:「常住人口(2020年普查)」是总量指标"),
        "{}",
        stderr(&output)
    );
    let normalised = run(&["classify", "--layer", "population", "--normalize", "area"]);
    assert!(!stderr(&normalised).contains("warning"));
    let (_dir, path) = write_temp(
        "firms.csv",
        "名称,企业数\n郫县,12\n锦江区,7\n会理,3\n不存在县,9\n温江区,20\n".as_bytes(),
    );
    let output = run(&[
        "classify",
        "--data",
        &path,
        "--column",
        "企业数",
        "--method",
        "equal-interval",
        "--classes",
        "2",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["breaks"], serde_json::json!([11.5, 20.0]));
    assert_eq!(result["no_data"], 179);
    assert!(
        stderr(&output).contains("firms.csv:5: 未匹配 / unmatched: 四川没有名为“不存在县”"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn classify_errors_say_what_to_do() {
    assert!(
        fails(&["classify", "--layer", "population", "--method", "manual"])
            .contains("needs breaks, e.g. 100, 500, 1000; on the command line: --breaks")
    );
    assert!(fails(&["classify", "--layer", "no_such"]).contains("run `county-atlas layers`"));
    // `layers` lists designation lists and point layers too. A list maps as categories
    // (named, candidate, whole prefecture, not named), so there are no classes to compute.
    assert!(
        fails(&["classify", "--layer", "innovative_county"])
            .contains("holds categories; there is nothing to classify")
    );
    assert!(
        fails(&[
            "export",
            "--layer",
            "hightech_zones_national",
            "--out",
            "x.svg"
        ])
        .contains("'hightech_zones_national' is a point layer")
    );
    assert!(
        fails(&["classify", "--layer", "population", "--method", "natural"])
            .contains("use quantile, equal-interval, fisher-jenks")
    );
    assert!(fails(&["classify", "--layer", "economic_region"]).contains("holds categories"));
    assert!(
        fails(&["classify", "--layer", "rd_intensity", "--year", "1999"]).contains("its years are")
    );
    assert!(
        fails(&[
            "classify",
            "--layer",
            "gdp",
            "--method",
            "fisher-jenks",
            "--classes",
            "9",
            // One year's 8 values (over both years there are 10).
            "--classes-per-year"
        ])
        .contains("distinct values")
    );
    let output = run(&["classify", "--layer", "population", "--palette", "Rainbow"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn export_writes_png_svg_and_pdf_with_the_record() {
    let dir = tempfile::tempdir().unwrap();
    for extension in ["png", "svg", "pdf"] {
        let path = dir.path().join(format!("density.{extension}"));
        let output = run(&[
            "export",
            "--layer",
            "population_density",
            "--method",
            "fisher-jenks",
            "--classes",
            "6",
            "--palette",
            "Blues",
            "--title",
            "四川省人口密度",
            "--dpi",
            "72",
            "--review-number",
            "川S(2026)001号",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!("density.{extension} (")),
            "progress: {}",
            stderr(&output)
        );
        let bytes = std::fs::read(&path).unwrap();
        let record = county_atlas::export::read_record(&bytes).expect("a record");
        assert_eq!(record.method, "fisher-jenks", "{extension}");
        assert_eq!(record.breaks.len(), 6);
        assert_eq!(record.palette, "Blues");
        assert_eq!(record.review_number.as_deref(), Some("川S(2026)001号"));
    }
    let svg = std::fs::read_to_string(dir.path().join("density.svg")).unwrap();
    assert!(svg.contains(">四川省人口密度</text>"));
    assert!(svg.contains("审图号:川S(2026)001号"));
    // Nothing but the three files: the temporary files were renamed.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn export_batches_every_layer_and_every_region() {
    let layers = json(&["layers", "--json"]);
    let with_values = layers
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| {
            (l["type"] == "numeric" || l["type"] == "categorical")
                && !l["years"].as_array().unwrap().is_empty()
        })
        .count();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all");
    let output = run(&[
        "export",
        "--all-layers",
        "--format",
        "svg",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let progress = stderr(&output);
    assert!(output.status.success(), "{progress}");
    assert!(
        progress.contains(&format!("[1/{with_values}]")),
        "{progress}"
    );
    assert!(
        progress.contains(&format!("已写入 {with_values}/{with_values} 个文件")),
        "{progress}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), with_values);
    assert!(out.join("population.svg").exists());

    let regions = dir.path().join("regions");
    let output = run(&[
        "export",
        "--layer",
        "urbanization_rate",
        "--by-region",
        "--format",
        "pdf",
        "--out-dir",
        regions.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(&regions)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "urbanization_rate_chengdu_plain.pdf",
            "urbanization_rate_northeast_sichuan.pdf",
            "urbanization_rate_northwest_eco_zone.pdf",
            "urbanization_rate_panxi.pdf",
            "urbanization_rate_south_sichuan.pdf",
        ]
    );
    let record = county_atlas::export::read_record(
        &std::fs::read(regions.join("urbanization_rate_panxi.pdf")).unwrap(),
    )
    .unwrap();
    assert_eq!(record.focus.as_deref(), Some("攀西经济区"));
}

#[test]
fn export_errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.png");
    let out = out.to_str().unwrap();
    assert!(
        fails(&[
            "export",
            "--layer",
            "population",
            "--focus",
            "川西",
            "--out",
            out
        ])
        .contains("neither an economic region")
    );
    assert!(
        fails(&[
            "export",
            "--layer",
            "population",
            "--date",
            "26/11/2026",
            "--out",
            out
        ])
        .contains("use YYYY-MM-DD")
    );
    assert!(fails(&["export", "--out", out]).contains("give --layer ID or --data FILE.csv"));
    assert!(fails(&["export", "--layer", "population"]).contains("give --out FILE"));
    assert!(
        fails(&["export", "--all-layers", "--out", out]).contains("give --out-dir DIR instead")
    );
    let missing = dir.path().join("no/such/folder/map.svg");
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert!(
        message.contains("the folder") && message.contains("does not exist"),
        "{message}"
    );
    assert!(
        !message.contains(".county-atlas-"),
        "no temporary name: {message}"
    );
    assert!(
        fails(&[
            "export",
            "--layer",
            "gdp",
            "--method",
            "fisher-jenks",
            "--classes",
            "9",
            "--classes-per-year",
            "--out",
            out
        ])
        .contains("distinct values")
    );
    // Usage errors (clap): exit code 2 with the valid choices.
    for args in [
        &[
            "export",
            "--layer",
            "population",
            "--size",
            "letter",
            "--out",
            out,
        ][..],
        &[
            "export",
            "--layer",
            "population",
            "--format",
            "tiff",
            "--out",
            out,
        ],
        &[
            "export",
            "--layer",
            "population",
            "--dpi",
            "5",
            "--out",
            out,
        ],
    ] {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // Nothing was written by the failures.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn export_draws_overlays_and_points_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("overlaid.svg");
    let output = run(&[
        "export",
        "--layer",
        "urbanization_rate",
        "--overlay",
        "innovative_county",
        "--overlay",
        "eco_demo:outline",
        "--points",
        "hightech_zones_national",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&out).unwrap();
    let record = county_atlas::export::read_record(&bytes).expect("a record");
    let ids: Vec<&str> = record.overlays.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["innovative_county", "eco_demo"]);
    assert_eq!(
        record.overlays[1].style,
        county_atlas::scene::OverlayStyle::Outline
    );
    assert!(
        record.overlays[1].prefectures > 0,
        "eco_demo names a prefecture whole"
    );
    assert_eq!(record.points.len(), 1);
    assert_eq!(record.points[0].placed, 8);
    assert!(!record.overlays[0].sources.is_empty());
    let svg = String::from_utf8(bytes).unwrap();
    assert!(svg.contains("url(#overlay-designation)"));
    assert!(
        svg.contains("url(#overlay-wide)"),
        "the whole prefecture dotted"
    );
    // A legend entry may wrap onto two lines: read the page's texts joined.
    let texts: String = svg
        .split("</text>")
        .filter_map(|piece| piece.rsplit_once('>').map(|(_, text)| text))
        .collect();
    assert!(
        texts.contains("国家生态文明建设示范县(区、市):整个市州 (1 市州)"),
        "{texts}"
    );
    assert!(
        svg.contains("国家级高新区 (8)"),
        "the point layer in the legend"
    );
    assert!(svg.matches("<circle").count() >= 8, "eight zones marked");
    assert!(svg.contains("叠加:国家创新型县(市)、国家生态文明建设示范县(区、市)、国家级高新区"));
}

#[test]
fn export_refuses_unknown_overlays_and_points_naming_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.svg");
    let out = out.to_str().unwrap();
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--overlay",
        "nope",
        "--out",
        out,
    ]);
    assert!(message.contains("no designation list 'nope'"), "{message}");
    assert!(
        message.contains("innovative_county"),
        "the lists named: {message}"
    );
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--overlay",
        "population",
        "--out",
        out,
    ]);
    assert!(message.contains("not a designation list"), "{message}");
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--overlay",
        "eco_demo:dots",
        "--out",
        out,
    ]);
    assert!(message.contains("use hatch or outline"), "{message}");
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--points",
        "nope",
        "--out",
        out,
    ]);
    assert!(message.contains("hightech_zones_national"), "{message}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn export_draws_a_users_point_list_given_as_a_file() {
    // 成都高新区, 绵阳科技城 and a point in Chongqing; one row without a latitude.
    let (dir, list) = write_temp(
        "孵化器名单.csv",
        "名称,经度,纬度\n天府软件园,104.0668,30.5408\n科技城孵化器,104.6796,31.4675\n重庆某园,106.55,29.56\n缺纬度,104.1,\n"
            .as_bytes(),
    );
    let out = dir.path().join("points.svg");
    let output = run(&[
        "export",
        "--layer",
        "population",
        "--points",
        &list,
        "--points",
        "hightech_zones_national",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("孵化器名单.csv: 3 个点已读取; 1 个在四川省外; 1 行无法读取"),
        "{err}"
    );
    assert!(
        err.contains("孵化器名单.csv:5:"),
        "the bad row's line: {err}"
    );
    let bytes = std::fs::read(&out).unwrap();
    let record = county_atlas::export::read_record(&bytes).expect("a record");
    let placed: Vec<(&str, usize)> = record
        .points
        .iter()
        .map(|p| (p.id.as_str(), p.placed))
        .collect();
    assert_eq!(
        placed,
        [("user:孵化器名单", 3), ("hightech_zones_national", 8)],
        "the point in Chongqing is drawn where it is"
    );
    let svg = String::from_utf8(bytes).unwrap();
    assert!(svg.contains("孵化器名单 (3)"), "the list in the legend");
}

#[test]
fn a_layer_opens_at_its_best_covered_year() {
    // R&D intensity: 18 prefectures in 2018, two in 2021.
    let classified = json(&["classify", "--layer", "rd_intensity", "--json"]);
    assert_eq!(classified["year"], 2018);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rd");
    let output = run(&[
        "export",
        "--all-layers",
        "--format",
        "svg",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let progress = stderr(&output);
    assert!(output.status.success(), "{progress}");
    let line = progress
        .lines()
        .find(|l| l.contains("rd_intensity.svg"))
        .expect("a line for rd_intensity");
    assert!(line.contains("2018年 18/21个市州有数据"), "{line}");
    let gdp = progress.lines().find(|l| l.contains("gdp.svg")).unwrap();
    assert!(gdp.contains("覆盖不足一半"), "{gdp}");
    let record =
        county_atlas::export::read_record(&std::fs::read(out.join("rd_intensity.svg")).unwrap())
            .unwrap();
    assert_eq!(record.year, 2018);
}

#[test]
fn classify_reads_percentages_and_thousands_and_refuses_decimal_commas() {
    let csv = "adcode,value\n510104,4.5%\n510105,\"1,234\"\n510106,—\n510107,\"3,5\"\n510108,12\n";
    let (_dir, path) = write_temp("mixed.csv", csv.as_bytes());
    let output = run(&[
        "classify",
        "--data",
        &path,
        "--column",
        "value",
        "--method",
        "quantile",
        "--classes",
        "2",
        "--json",
    ]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(out["min"], 4.5, "4.5% is 4.5");
    assert_eq!(out["breaks"][1], 1234.0, "1,234 is 1234");
    assert_eq!(
        out["no_data"],
        183 - 3,
        "the dash is no value, the decimal comma refused"
    );
    assert!(
        err.contains("mixed.csv:5 [value]:") && err.contains("not a thousands separator"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_json_output_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(["layers", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_png_export_without_a_desktop_session_says_nothing_of_wayland() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.png");
    let output = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(["export", "--layer", "population", "--dpi", "72", "--out"])
        .arg(&out)
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("NODEVICE_SELECT")
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(!err.contains("XDG_RUNTIME_DIR"), "{err}");
}

#[test]
fn a_designation_list_maps_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("eco.svg");
    let output = run(&[
        "export",
        "--layer",
        "eco_demo",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("国家生态文明建设示范县(区、市)(名单)"),
        "its title"
    );
    let record = county_atlas::export::read_record(svg.as_bytes()).unwrap();
    assert_eq!(record.method, "categories");
    assert_eq!(record.no_data, 0, "not being named is a value");
    assert!(svg.contains("已列入 ("), "the named counties counted");
    assert!(
        svg.contains("所在市州整体列入 ("),
        "and the whole prefecture's"
    );
}

#[test]
fn english_amounts_read_in_billions() {
    let english = ok(&["--lang", "en", "profile", "510104"]);
    assert!(
        english.contains("R&D expenditure 2018: 39.23 billion yuan (province 73.71)"),
        "{english}"
    );
    let chinese = ok(&["profile", "510104"]);
    assert!(
        chinese.contains("R&D经费支出 2018: 392.3 亿元"),
        "{chinese}"
    );
}

#[test]
fn the_number_of_classes_is_bounded_everywhere_it_is_given() {
    for classes in ["18446744073709551615", "1000000000", "100", "1", "0", "-3"] {
        let flag = format!("--classes={classes}");
        let output = run(&["classify", "--layer", "population", &flag]);
        assert_eq!(output.status.code(), Some(2), "--classes {classes}");
        let message = stderr(&output);
        assert!(
            message.contains("2 到 12") && message.contains("2 to 12"),
            "{message}"
        );
    }
    assert!(ok(&["classify", "--layer", "population", "--classes", "12"]).contains("12"));
    let message = fails(&[
        "classify",
        "--layer",
        "population",
        "--method",
        "manual",
        "--breaks",
        "1,2,3,4,5,6,7,8,9,10,11,12,13",
    ]);
    assert!(message.contains("12"), "{message}");
}

#[test]
fn a_source_date_epoch_that_is_not_seconds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    for value in ["abc", "1e9", "-5", "99999999999999"] {
        let output = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
            .args([
                "export",
                "--layer",
                "population",
                "--out",
                out.to_str().unwrap(),
            ])
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{value}");
        assert!(stderr(&output).contains("SOURCE_DATE_EPOCH"), "{value}");
        assert!(!out.exists());
    }
    let output = Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args([
            "export",
            "--layer",
            "population",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("2026-01-01")
    );
}

#[test]
fn check_reports_a_table_as_data_reads_it() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tables/county_wide_gbk.csv"
    );
    let output = run(&["check", path, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["matched"], 5);
    assert_eq!(report["coverage"], serde_json::json!({"n": 5, "of": 183}));
    assert_eq!(report["unmatched"][0]["line"], 8);
    assert_eq!(report["unmatched"][0]["text"], "不存在县");
    assert_eq!(report["errors"][0]["line"], 9);
    assert_eq!(report["errors"][0]["column"], "R&D经费2019");
    assert_eq!(
        report["layers"][0]["years"][1],
        serde_json::json!({"year": 2020, "counties": 4})
    );
    // As text, every problem is FILE:LINE; the map commands print the same on stderr.
    let text = stdout(&run(&["check", path]));
    assert!(
        text.contains("county_wide_gbk.csv:8: 未匹配 / unmatched"),
        "{text}"
    );
    // A table of several indicators needs --column to be mapped, and says which there are.
    let message = fails(&["classify", "--data", path]);
    assert!(
        message.contains("R&D经费 (R&D经费2019, R&D经费2020)"),
        "{message}"
    );
    let output = run(&[
        "classify",
        "--data",
        path,
        "--column",
        "R&D经费",
        "--year",
        "2020",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["no_data"], 183 - 4);
}

#[test]
fn an_export_of_a_users_table_cites_the_document_its_sidecar_names() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rd.csv");
    std::fs::write(
        &table,
        "adcode,R&D经费\n510104,1200\n510117,800\n510105,950\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rd.csv.atlas.toml"),
        "[source]\ndocument = \"2020年四川省科技经费投入统计公报\"\nissuer = \"四川省统计局\"\nyear = 2021\n\n[[layer]]\ncolumn = \"R&D经费\"\nname = \"R&D经费内部支出\"\nunit = \"万元\"\nyear = 2020\n",
    )
    .unwrap();
    let out = dir.path().join("rd.svg");
    ok(&[
        "export",
        "--data",
        table.to_str().unwrap(),
        "--classes",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("R&amp;D经费内部支出 (万元)"),
        "the sidecar's name and unit"
    );
    assert!(
        svg.contains("《2020年四川省科技经费投入统计公报》(四川省统计局, 2021)"),
        "the footer cites the document"
    );
}

#[test]
fn join_assigns_rows_to_counties_and_counts_by_category() {
    let csv = "名称,类型,经度,纬度\n\
               甲孵化器,孵化器,104.0657,30.6595\n\
               乙星创天地,星创天地,104.07,30.66\n\
               丙孵化器,孵化器,103.887,30.808\n\
               丁,孵化器,106.55,29.56\n\
               戊,星创天地,abc,30.1\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(csv);
    let (_dir, path) = write_temp("parks.csv", &gbk);
    // Each row back, in UTF-8, with its county (empty outside Sichuan or unreadable).
    let out = ok(&["join", &path, "--assign"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "名称,类型,经度,纬度,county_adcode,county_name");
    assert_eq!(lines[1], "甲孵化器,孵化器,104.0657,30.6595,510104,锦江区");
    assert_eq!(lines[3], "丙孵化器,孵化器,103.887,30.808,510117,郫都区");
    assert_eq!(lines[4], "丁,孵化器,106.55,29.56,,");
    assert_eq!(lines[5], "戊,星创天地,abc,30.1,,");
    assert_eq!(lines.len(), 6);
    // Counts per county and category.
    let out = ok(&["join", &path, "--by", "类型"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "adcode,name,孵化器,星创天地,count");
    assert!(lines.contains(&"510104,锦江区,1,1,2"), "{out}");
    assert!(lines.contains(&"510117,郫都区,1,0,1"), "{out}");
    assert!(fails(&["join", &path, "--by", "无此列"]).contains("the columns are: 名称, 类型"));
}

#[test]
fn join_says_when_points_fit_their_named_counties_better_as_gcj02() {
    use county_atlas::crs::Crs;
    let atlas = county_atlas::atlas::Atlas::builtin().unwrap();
    let index = county_atlas::spatial::SpatialIndex::build(&atlas);
    // Points on a grid over Sichuan, each row naming the county it lies in, written in GCJ-02
    // as Amap gives them.
    let mut csv = String::from("县区,lng,lat\n");
    for i in 0..120 {
        for j in 0..90 {
            let p = [97.4 + f64::from(i) * 0.093, 26.1 + f64::from(j) * 0.092];
            if let Some(unit) = index.unit_at(p) {
                let [x, y] = Crs::Gcj02.from_wgs84(p);
                csv.push_str(&format!("{},{x:.6},{y:.6}\n", atlas.unit(unit).name));
            }
        }
    }
    let (_dir, path) = write_temp("amap.csv", csv.as_bytes());
    let output = run(&["join", &path]);
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("--crs gcj02"),
        "{}",
        stderr(&output)
    );
    let output = run(&["join", &path, "--crs", "gcj02"]);
    assert!(!stderr(&output).contains("注意"), "{}", stderr(&output));
}

#[test]
fn join_reads_a_point_list_kept_in_excel() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tables/point_list.xlsx"
    );
    let output = run(&["join", path, "--by", "类型"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("510104,锦江区,1,1,2"), "{out}");
    assert!(out.contains("510117,郫都区,1,0,1"), "{out}");
    // The row without a point is named by its sheet row (the title row counted).
    let err = stderr(&output);
    assert!(
        err.contains("point_list.xlsx:6: “经度”列为空 / column '经度' is empty"),
        "{err}"
    );
}

#[test]
fn a_batch_exports_every_layer_of_a_users_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tables/county_wide_gbk.csv"
    );
    let output = run(&[
        "export",
        "--all-layers",
        "--data",
        path,
        "--classes",
        "2",
        "--format",
        "svg",
        "--out-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".svg")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("企业数")), "{names:?}");
}

#[test]
fn compare_tables_a_layer_by_region_with_the_policy_target() {
    let table = json(&[
        "compare",
        "--layer",
        "rd_intensity",
        "--year",
        "2018",
        "--json",
    ]);
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "five economic regions");
    assert_eq!(rows[0]["group"]["zh"], "成都平原经济区");
    assert_eq!(
        rows[0]["max"]["name"]["zh"], "绵阳市",
        "the region's highest"
    );
    assert_eq!(table["level"], "prefecture");
    assert_eq!(table["province"]["with_value"], 18);
    assert!(rows[4]["mean"].is_null(), "川西北 has no 2018 value");
    let target = &table["target"];
    assert_eq!(target["target"], 1.2);
    assert!(
        target["document"]
            .as_str()
            .unwrap()
            .starts_with("川办发〔2018〕60号")
    );
    // The GDP-weighted mean is the province's expenditure over its GDP: about 1.8% in 2018.
    let weighted = target["gdp_weighted_mean"].as_f64().unwrap();
    assert!((1.7..1.9).contains(&weighted), "{weighted}");
    let mean = target["mean"].as_f64().unwrap();
    assert!((target["gap"].as_f64().unwrap() - (mean - 1.2)).abs() < 1e-12);

    // Amounts are summed; ranks follow the means.
    let csv = ok(&["compare", "--layer", "population", "--by", "trunk", "--csv"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("group,group_en,units,with_value,sum,mean")
    );
    let chengdu = lines.next().unwrap();
    assert!(
        chengdu.starts_with("成都市(一干),Chengdu (the trunk),20,20,20937757"),
        "{chengdu}"
    );
    assert!(chengdu.ends_with(",1"), "ranked first by mean: {chengdu}");
    let text = ok(&[
        "compare",
        "--layer",
        "urbanization_rate",
        "--by",
        "prefecture",
    ]);
    assert!(text.contains("攀枝花市") && text.contains("全省"), "{text}");
}

#[test]
fn compare_reads_a_grouping_table_and_names_its_bad_rows() {
    let (dir, groups) = write_temp(
        "县域分类.csv",
        "区划代码,类别\n510104,城市主城区\n510105,城市主城区\n郫县,重点开发区县\n513233,重点生态功能区县\n".as_bytes(),
    );
    let table = json(&[
        "compare",
        "--layer",
        "schooling_years",
        "--by",
        &groups,
        "--json",
    ]);
    let rows = table["rows"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["group"]["zh"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["城市主城区", "重点开发区县", "重点生态功能区县"]);
    assert_eq!(rows[0]["units"], 2);
    assert_eq!(
        table["province"]["units"], 4,
        "counties the table leaves out are in no group"
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "县区,分类\n锦江区,甲\n不存在县,乙\n").unwrap();
    let message = fails(&[
        "compare",
        "--layer",
        "population",
        "--by",
        bad.to_str().unwrap(),
    ]);
    assert!(
        message.contains("bad.csv:3:") && message.contains("不存在县"),
        "{message}"
    );
    std::fs::write(&bad, "县区,分类\n锦江区,甲\n510104,乙\n").unwrap();
    let message = fails(&[
        "compare",
        "--layer",
        "population",
        "--by",
        bad.to_str().unwrap(),
    ]);
    assert!(
        message.contains("bad.csv:3:") && message.contains("'甲'"),
        "{message}"
    );
    let message = fails(&["compare", "--layer", "population", "--by", "zones"]);
    assert!(
        message.contains("use region, prefecture, trunk"),
        "{message}"
    );
}

#[test]
fn stats_print_esdas_keys_and_refuse_what_they_cannot_compute() {
    let moran = json(&["stats", "moran", "--layer", "professional_share", "--json"]);
    for key in ["I", "EI", "z_norm", "p_norm", "p_sim", "z_sim", "VI_rand"] {
        assert!(moran[key].is_number(), "{key} in {moran}");
    }
    // The atlas's values give esda's I (tests/regions.rs checks the statistic itself).
    assert!((moran["I"].as_f64().unwrap() - 0.529_885_689_484_011_6).abs() < 1e-12);
    let again = json(&["stats", "moran", "--layer", "professional_share", "--json"]);
    assert_eq!(moran["p_sim"], again["p_sim"], "seeded");

    let lisa = ok(&[
        "stats",
        "lisa",
        "--layer",
        "professional_share",
        "--weights",
        "knn:6",
        "--csv",
    ]);
    let mut lines = lisa.lines();
    assert_eq!(
        lines.next().unwrap(),
        "adcode,name,value,Ii,quadrant,p_sim,z_sim,label"
    );
    assert_eq!(lines.count(), 183);
    assert!(lisa.contains("510104,锦江区,"), "{lisa}");

    let gstar = json(&["stats", "gstar", "--layer", "population_density", "--json"]);
    let spots: Vec<&str> = gstar
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["spot"].as_str().unwrap())
        .collect();
    assert!(spots.contains(&"hot") && spots.contains(&"cold"));

    let inequality = json(&[
        "stats",
        "inequality",
        "--layer",
        "urbanization_rate",
        "--weight",
        "population",
        "--json",
    ]);
    for key in ["gini", "theil", "between", "within", "between_share"] {
        assert!(inequality[key].is_number(), "{key} in {inequality}");
    }
    assert!((inequality["theil"].as_f64().unwrap() - 0.067_330_398_133_069_35).abs() < 1e-12);
    assert_eq!(inequality["weight"], "population");
    assert_eq!(inequality["groups"].as_array().unwrap().len(), 5);

    let message = fails(&["stats", "moran", "--layer", "rd_intensity"]);
    assert!(message.contains("prefecture values"), "{message}");
    // Bad weights are usage errors, said before anything is read.
    for (weights, says) in [
        ("knn:0", "K must be a whole number"),
        ("near", "use queen, rook, knn:K"),
    ] {
        let output = run(&[
            "stats",
            "moran",
            "--layer",
            "population",
            "--weights",
            weights,
        ]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
    }
}

#[test]
fn access_measures_distances_to_a_point_layer() {
    let csv = ok(&[
        "access",
        "--points",
        "hightech_zones_national",
        "--within",
        "50",
        "--csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "adcode,name,nearest_km,nearest,within"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 183);
    let gaoxin = rows.iter().find(|r| r[0] == "510107").expect("武侯区");
    let km: f64 = gaoxin[2].parse().unwrap();
    assert!(km < 15.0, "成都高新区 is beside 武侯区: {km}");
    let shiqu = rows.iter().find(|r| r[0] == "513332").expect("石渠县");
    assert_eq!(
        shiqu[4], "0",
        "no national high-tech zone within 50 km of 石渠"
    );
    let text = ok(&[
        "access",
        "--points",
        "hightech_zones_national",
        "--within",
        "50",
    ]);
    assert!(text.contains("石渠县"), "{text}");
    let message = fails(&["access", "--points", "nope"]);
    assert!(
        message.contains("no point layer or file 'nope'"),
        "{message}"
    );
}

#[test]
fn statistics_results_map_and_export_as_layers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lisa.svg");
    let output = run(&[
        "export",
        "--layer",
        "lisa:professional_share:knn:6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&out).unwrap();
    for category in ["高-高聚集", "低-低聚集", "不显著"] {
        assert!(svg.contains(category), "{category} in the legend");
    }
    // GeoDa's red for High-High; the footer cites the census the values come from.
    assert!(
        svg.contains("#ff0000") || svg.contains("rgb(255,0,0)"),
        "GeoDa's colours"
    );
    assert!(
        svg.contains("中国人口普查分县资料"),
        "the source layer's document"
    );
    let record = county_atlas::export::read_record(svg.as_bytes()).expect("a record");
    assert_eq!(record.document.map.layer, "lisa:professional_share:knn:6");

    let classes = json(&[
        "classify",
        "--layer",
        "access:hightech_zones_national",
        "--json",
    ]);
    assert_eq!(
        classes["counties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum::<u64>(),
        183
    );
    let message = fails(&[
        "export",
        "--layer",
        "gstar:nope",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        message.contains("'nope' names no built-in layer"),
        "{message}"
    );
    let message = fails(&[
        "export",
        "--layer",
        "lisa:rd_intensity",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(message.contains("prefecture values"), "{message}");
}

#[test]
fn compare_writes_its_chart_as_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("means.svg");
    let output = run(&[
        "compare",
        "--layer",
        "rd_intensity",
        "--year",
        "2018",
        "--chart",
        "means",
        "--out",
        svg.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&svg).unwrap();
    for expected in [
        "成都平原经济区",
        "1.87",
        "全省 1.17",
        "无数据",
        "2018年四川省科技经费投入统计公报",
    ] {
        assert!(text.contains(expected), "{expected} in the chart");
    }
    let png = dir.path().join("boxes.png");
    let output = run(&[
        "--lang",
        "en",
        "compare",
        "--layer",
        "professional_share",
        "--by",
        "prefecture",
        "--chart",
        "boxes",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let info = decoder.read_info().unwrap();
    assert_eq!(
        (info.info().width, info.info().height),
        (3333, 2083),
        "800×500 pt at 300 dpi"
    );
    let message = fails(&[
        "compare",
        "--layer",
        "population",
        "--chart",
        "means",
        "--out",
        dir.path().join("chart.pdf").to_str().unwrap(),
    ]);
    assert!(message.contains("must end in .svg or .png"), "{message}");
}

#[test]
fn compare_writes_the_histogram_and_scatter_charts_with_their_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let chart = |kind: &str, name: &str| {
        let path = dir.path().join(name);
        ok(&[
            "compare",
            "--layer",
            "professional_share",
            "--chart",
            kind,
            "--out",
            path.to_str().unwrap(),
        ]);
        std::fs::read_to_string(path).unwrap()
    };
    // The histogram draws the map's quantile breaks, numbered, as `classify` gives them.
    let histogram = chart("histogram", "histogram.svg");
    let classes: serde_json::Value = serde_json::from_str(&ok(&[
        "classify",
        "--layer",
        "professional_share",
        "--json",
    ]))
    .unwrap();
    let breaks = classes["breaks"].as_array().expect("breaks");
    for upper in &breaks[..breaks.len() - 1] {
        let shown = county_atlas::format::number(upper.as_f64().unwrap(), 2);
        assert!(
            histogram.contains(&format!(">{shown}<")),
            "break {shown} drawn"
        );
    }
    assert!(histogram.contains("分位数 5级"));
    // The Moran scatter plot states the I that `stats moran` computes.
    let moran = chart("moran", "moran.svg");
    let stats: serde_json::Value = serde_json::from_str(&ok(&[
        "stats",
        "moran",
        "--layer",
        "professional_share",
        "--json",
    ]))
    .unwrap();
    let i = stats["I"].as_f64().unwrap();
    assert!(moran.contains(&format!("s I = {i:.3}")), "I = {i:.3}");
    assert!(moran.contains("高-高") && moran.contains("低-低"));
    // Two layers, with r and both layers' sources.
    let scatter = chart("scatter:schooling_years", "scatter.svg");
    assert!(scatter.contains(" · r = 0."), "Pearson's r stated");
    assert!(scatter.contains("平均受教育年限"));
    let message = fails(&[
        "compare",
        "--layer",
        "professional_share",
        "--chart",
        "scatter:no_such_layer",
        "--out",
        dir.path().join("x.svg").to_str().unwrap(),
    ]);
    assert!(message.contains("no_such_layer"), "{message}");
    let message = fails(&[
        "compare",
        "--layer",
        "rd_intensity",
        "--chart",
        "moran",
        "--out",
        dir.path().join("m.svg").to_str().unwrap(),
    ]);
    assert!(message.contains("prefecture values"), "{message}");
}

#[test]
fn export_sets_a_comparison_of_the_users_grouping_beside_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let grouping = dir.path().join("classes.csv");
    std::fs::write(
        &grouping,
        "区划代码,类别\n510104,城市主城区\n510105,城市主城区\n513233,重点生态功能区县\n",
    )
    .unwrap();
    let out = dir.path().join("map.svg");
    ok(&[
        "export",
        "--layer",
        "professional_share",
        "--compare",
        grouping.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    for expected in ["城市主城区", "重点生态功能区县", "分组所列县区", "2/2"] {
        assert!(svg.contains(expected), "{expected} in the page");
    }
    let message = fails(&[
        "export",
        "--layer",
        "population",
        "--compare",
        "no-such-grouping",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        message.contains("--compare") && message.contains("unknown grouping"),
        "{message}"
    );
}

#[test]
fn export_draws_distance_rings_and_maps_distances_to_the_centres() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rings.svg");
    ok(&[
        "export",
        "--layer",
        "distance:region",
        "--rings",
        "regions:100",
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    for expected in [
        "距本经济区人口重心的距离",
        "攀西经济区人口重心",
        "100 km",
        "圆圈:距各经济区人口重心 100 公里",
    ] {
        assert!(svg.contains(expected), "{expected} on the page");
    }
    // The distances compare like any layer: 成都平原 lies nearest its own centre.
    let table: serde_json::Value =
        serde_json::from_str(&ok(&["compare", "--layer", "distance:chengdu", "--json"])).unwrap();
    let first = &table["rows"][0];
    assert_eq!(first["group"]["zh"], "成都平原经济区");
    assert_eq!(
        first["rank"], 5,
        "the nearest region ranks last by distance"
    );
    // A bad value is refused before anything is read, as clap refuses any bad flag.
    let output = run(&[
        "export",
        "--layer",
        "population",
        "--rings",
        "chengdu:-100",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("chengdu:50,100,200"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_grouping_table_may_name_prefectures_and_regions_the_more_specific_row_winning() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("tiers.csv");
    // A region, then a prefecture inside it and a county inside another prefecture.
    std::fs::write(
        &table,
        "地区,层级\n成都市,甲\n川南经济区,丁\n绵阳市,乙\n江油市,丙\n自贡市,乙\n",
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "compare",
        "--layer",
        "population",
        "--by",
        table.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    let units = |group: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"]["zh"] == group)
            .unwrap_or_else(|| panic!("group {group}"))["units"]
            .as_u64()
            .unwrap()
    };
    let atlas = county_atlas::atlas::Atlas::builtin().unwrap();
    let in_prefecture = |code: u32| {
        atlas
            .units()
            .iter()
            .filter(|u| atlas.prefecture_of(u).adcode.0 == code)
            .count() as u64
    };
    let south = atlas
        .units()
        .iter()
        .filter(|u| u.region == county_atlas::atlas::EconomicRegion::SouthSichuan)
        .count() as u64;
    assert_eq!(units("甲"), in_prefecture(510_100));
    assert_eq!(
        units("乙"),
        in_prefecture(510_700) - 1 + in_prefecture(510_300)
    );
    assert_eq!(units("丙"), 1, "江油市's own row overrides 绵阳市's");
    assert_eq!(
        units("丁"),
        south - in_prefecture(510_300),
        "自贡市's row overrides 川南's"
    );
    // Two rows of one kind that disagree are refused, naming the line.
    std::fs::write(&table, "地区,层级\n绵阳市,甲\n绵阳,乙\n").unwrap();
    let message = fails(&[
        "compare",
        "--layer",
        "population",
        "--by",
        table.to_str().unwrap(),
    ]);
    assert!(message.contains("tiers.csv:3"), "{message}");
}

#[test]
fn within_layers_count_the_points_near_each_county_as_access_does() {
    // The layer's counts are `access --within`'s.
    let csv = ok(&[
        "access",
        "--points",
        "hightech_zones_national",
        "--within",
        "100",
        "--csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = headers
        .iter()
        .position(|h| h == "within")
        .expect("a within column");
    let zero = reader
        .records()
        .filter(|r| &r.as_ref().unwrap()[column] == "0")
        .count();
    let classes: serde_json::Value = serde_json::from_str(&ok(&[
        "classify",
        "--layer",
        "within:hightech_zones_national:100",
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        classes["counts"][0].as_u64(),
        Some(zero as u64),
        "{classes}"
    );
    let message = fails(&["classify", "--layer", "within:hightech_zones_national:abc"]);
    assert!(message.contains("within:POINTS:KM"), "{message}");
}
