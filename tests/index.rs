//! `county-atlas index` end to end through the real binary: the example definition on the
//! built-in data as a table, JSON and CSV, with classes from a grouping table beside the
//! definition and with the uncertainty analysis; and every kind of bad definition refused
//! with its file and line, never a panic.

use std::process::{Command, Output};

fn example() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/innovation-foundations.toml"
    )
    .to_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(args)
        .env_remove("COUNTY_ATLAS_LANG")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn fails(args: &[&str]) -> String {
    let output = run(args);
    let message = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
    assert!(message.starts_with("error: "), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    message
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("written");
    path.to_str().expect("a path").to_owned()
}

#[test]
fn the_example_ranks_every_county_with_its_dimensions_and_groups() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["index", "--spec", &example(), "--json"])).expect("JSON");
    let counties = json["counties"].as_array().expect("counties");
    assert_eq!(
        counties.len(),
        183,
        "every county has ≥ 66% of the indicators"
    );
    assert_eq!(json["year"], 2020);
    for (i, c) in counties.iter().enumerate() {
        for key in ["adcode", "name", "score", "rank", "group", "dimensions"] {
            assert!(!c[key].is_null(), "{key} of {c}");
        }
        assert!(c["rank"].as_u64().unwrap() <= i as u64 + 1, "best first");
    }
    // The output keeps the definition's order (serde_json's Value would sort the keys).
    let raw = ok(&["index", "--spec", &example(), "--json"]);
    let at = |name: &str| raw.find(&format!("\"{name}\":")).expect(name);
    assert!(at("创新投入") < at("创新人才") && at("创新人才") < at("创新环境"));
    // 川西北's prefectures publish no 2018 R&D: their counties have no 创新投入 score.
    let aba = counties
        .iter()
        .find(|c| c["adcode"] == "513201")
        .expect("马尔康市");
    assert!(aba["dimensions"]["创新投入"].is_null());
    let groups: std::collections::BTreeSet<&str> = counties
        .iter()
        .map(|c| c["group"].as_str().unwrap())
        .collect();
    assert!(
        groups.contains("leader") && groups.contains("emerging"),
        "{groups:?}"
    );
    let rd = &json["indicators"][0];
    assert_eq!(rd["layer"], "rd_intensity");
    assert_eq!(rd["target"], 1.2);
    assert_eq!(rd["with_value"], 135, "18 prefectures' counties");

    let csv = ok(&["index", "--spec", &example(), "--csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "adcode,name,prefecture,region,score,rank,group,rank_in_region,创新投入,创新人才,创新环境"
    );
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first[0], counties[0]["adcode"].as_str().unwrap());
    assert_eq!(
        first[4].parse::<f64>().unwrap(),
        counties[0]["score"].as_f64().unwrap()
    );
    assert_eq!(csv.lines().count(), 184);

    let english = ok(&["--lang", "en", "index", "--spec", &example()]);
    assert!(
        english.contains("County innovation foundations index (example) 2020"),
        "{english}"
    );
    assert!(english.contains("Innovation input"));
    assert!(english.contains("target 1.2"), "{english}");
}

#[test]
fn the_uncertainty_analysis_gives_rank_intervals_and_the_choices_that_matter() {
    let args = [
        "index",
        "--spec",
        &example(),
        "--uncertainty",
        "500",
        "--seed",
        "3",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&ok(&[&args[..], &["--json"]].concat())).unwrap();
    for c in json["counties"].as_array().unwrap() {
        let u = &c["uncertainty"];
        let (q05, median, q95) = (
            u["q05"].as_f64().unwrap(),
            u["median"].as_f64().unwrap(),
            u["q95"].as_f64().unwrap(),
        );
        assert!(
            1.0 <= q05 && q05 <= median && median <= q95 && q95 <= 183.0,
            "{c}"
        );
        assert_eq!(u["nominal"], c["rank"]);
    }
    assert!(json["sensitivity"].as_array().unwrap().len() >= 10);
    assert_eq!(json["draws"], serde_json::json!([500, 3]));
    let again: serde_json::Value =
        serde_json::from_str(&ok(&[&args[..], &["--json"]].concat())).unwrap();
    assert_eq!(json, again, "a seed gives the same intervals");
    let text = ok(&args);
    assert!(
        text.contains("位次中位数(5%–95%)") && text.contains("去掉“"),
        "{text}"
    );
    let csv = ok(&[&args[..], &["--csv"]].concat());
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",median_rank,q05,q95")
    );
}

#[test]
fn classes_come_from_a_grouping_table_beside_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        "classes.csv",
        "代码,类别\n510100,城市主城区\n川西北生态示范区,重点生态功能区县\n攀西经济区,农产品主产区县\n",
    );
    let spec = std::fs::read_to_string(example())
        .unwrap()
        .replace(
            "[[dimension]]\nname = \"创新投入\"",
            "[groups]\nby = \"classes.csv\"\n\n[[dimension]]\nname = \"创新投入\"",
        )
        .replace(
            "layer = \"professional_share\"\ndimension = \"创新人才\"\nweight = 1",
            "layer = \"professional_share\"\ndimension = \"创新人才\"\nweight = 1\ngroup_weights = { \"重点生态功能区县\" = 3 }",
        );
    let path = write(&dir, "index.toml", &spec);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["index", "--spec", &path, "--json"])).unwrap();
    let counties = json["counties"].as_array().unwrap();
    let ma = counties.iter().find(|c| c["adcode"] == "513201").unwrap();
    assert_eq!(ma["class"], "重点生态功能区县");
    assert!(ma["rank_in_class"].as_u64().unwrap() >= 1);
    let unclassed = counties.iter().find(|c| c["adcode"] == "510703").unwrap();
    assert!(
        unclassed.get("class").is_none(),
        "绵阳's counties are in no class"
    );
    let csv = ok(&["index", "--spec", &path, "--csv"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains(",class,rank_in_class,")
    );

    let wrong = write(
        &dir,
        "wrong.toml",
        &spec.replace("\"重点生态功能区县\" = 3", "\"生态县\" = 3"),
    );
    let message = fails(&["index", "--spec", &wrong]);
    assert!(
        message.contains("wrong.toml:") && message.contains("生态县"),
        "{message}"
    );
}

#[test]
fn bad_definitions_name_their_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(example()).unwrap();
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let unknown = good.replace("\"schooling_years\"", "\"schooling\"");
    // The error names the line of the indicator's [[indicator]] header, just above.
    let header = line_of(&unknown, "layer = \"schooling\"") - 1;
    let cases: Vec<(String, String, &str)> = vec![
        (
            unknown.clone(),
            format!("bad0.toml:{header}:"),
            "no layer 'schooling'",
        ),
        (
            good.replace("\"urbanization_rate\"", "\"economic_region\""),
            String::new(),
            "categories",
        ),
        (
            good.replace("year = 2018\n", "year = 2016\n"),
            String::new(),
            "no value in 2016",
        ),
        (
            good.replace(
                "aggregation = \"arithmetic\"",
                "aggregation = \"geometric\"",
            )
            .replace("\"minmax\"", "\"zscore\""),
            String::new(),
            "geometric",
        ),
        (
            good.replace("weight = 1\n\n[[dimension]]", "weight = 0\n\n[[dimension]]"),
            String::new(),
            "must be positive",
        ),
        (
            good.replace("target = 1.2\n", "target = 1.2\nmean_weight = \"gdp\"\n"),
            String::new(),
            "the mean's weight 'gdp' has no value in 2018",
        ),
        (
            good.replace("target = 1.2\n", "target = 1.2\nmean_weight = \"gross\"\n"),
            String::new(),
            "no layer 'gross'",
        ),
        (
            good.replace("target = 1.2\n", "mean_weight = \"population\"\n"),
            String::new(),
            "give a target too",
        ),
        (
            format!("{good}\n[method2]\n"),
            String::new(),
            "not a valid index definition",
        ),
    ];
    for (i, (text, line, says)) in cases.iter().enumerate() {
        let path = write(&dir, &format!("bad{i}.toml"), text);
        let message = fails(&["index", "--spec", &path]);
        assert!(message.contains(&format!("bad{i}.toml:")), "{message}");
        assert!(message.contains(says), "{says}: {message}");
        assert!(
            line.is_empty() || message.contains(line.as_str()),
            "{line}: {message}"
        );
    }
    let missing = fails(&["index", "--spec", "/no/such/index.toml"]);
    assert!(missing.contains("/no/such/index.toml"), "{missing}");
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81]).unwrap();
    let message = fails(&["index", "--spec", binary.to_str().unwrap()]);
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn a_report_says_what_the_index_says_about_the_county() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["index", "--spec", &example(), "--json"])).unwrap();
    let fucheng = json["counties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["adcode"] == "510703")
        .unwrap();
    let score = fucheng["score"].as_f64().unwrap();
    let args = [
        "report",
        "--index",
        &example(),
        "--county",
        "涪城",
        "--out-dir",
        out,
        "--format",
        "svg",
        "--uncertainty",
        "200",
    ];
    let output = run(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1/1"),
        "progress on stderr"
    );
    let svg = std::fs::read_to_string(dir.path().join("510703_涪城区.svg")).unwrap();
    for expected in [
        "涪城区 · 县域创新基础指数(示例) 2020".to_owned(),
        format!("{score:.1}"),
        "分级:领先".to_owned(),
        format!("全省 第 {}/183 位", fucheng["rank"]),
        "位次区间 5%–95%".to_owned(),
        "创新投入".to_owned(),
        "优势".to_owned(),
        "R&amp;D经费投入强度".to_owned(),
        "《2018年四川省科技经费投入统计公报》".to_owned(),
        "相邻县".to_owned(),
    ] {
        assert!(svg.contains(&expected), "the report lacks {expected}");
    }
    let english = run(&[
        "--lang",
        "en",
        "report",
        "--index",
        &example(),
        "--county",
        "510703",
        "--out-dir",
        out,
    ]);
    assert!(
        english.status.success(),
        "{}",
        String::from_utf8_lossy(&english.stderr)
    );
    let pdf = std::fs::read(dir.path().join("510703_涪城区.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let record = county_atlas::export::read_record(&pdf).expect("the PDF carries its record");
    assert_eq!(record.layer, "index:score");
    assert_eq!(record.focus.as_deref(), Some("涪城区"));
    let index = record.index.expect("the report records its definition");
    assert_eq!(index.text, std::fs::read_to_string(example()).unwrap());
    assert_eq!((index.year, index.draws), (2020, Some((1000, 1))));
}

#[test]
fn an_exported_map_of_the_index_records_the_definition_that_made_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let text = std::fs::read_to_string(example()).unwrap();
    for (layer, name) in [
        ("index:grade", "grade.pdf"),
        ("index:dimension:创新人才", "talent.svg"),
    ] {
        ok(&[
            "export",
            "--index",
            &example(),
            "--layer",
            layer,
            "--out",
            &file(name),
        ]);
        let bytes = std::fs::read(file(name)).unwrap();
        let record = county_atlas::export::read_record(&bytes).expect("a record");
        assert_eq!(record.layer, layer);
        let index = record.index.expect("the definition");
        assert_eq!((index.text.as_str(), index.year), (text.as_str(), 2020));
    }
    // The score is the default; --all-layers writes every layer of the index.
    ok(&["export", "--index", &example(), "--out", &file("score.svg")]);
    let record = county_atlas::export::read_record(&std::fs::read(file("score.svg")).unwrap());
    assert_eq!(record.expect("a record").layer, "index:score");
    let all = file("all");
    ok(&[
        "export",
        "--index",
        &example(),
        "--all-layers",
        "--format",
        "svg",
        "--out-dir",
        &all,
    ]);
    let written = std::fs::read_dir(&all).unwrap().count();
    assert_eq!(
        written, 7,
        "score, rank, grade, three dimensions and one gap"
    );
    // A map of another layer says nothing of the index.
    ok(&[
        "export",
        "--index",
        &example(),
        "--layer",
        "population",
        "--out",
        &file("pop.svg"),
    ]);
    let record = county_atlas::export::read_record(&std::fs::read(file("pop.svg")).unwrap());
    assert!(record.expect("a record").index.is_none());
    let message = fails(&[
        "export",
        "--index",
        &example(),
        "--layer",
        "index:nope",
        "--out",
        &file("x.svg"),
    ]);
    assert!(message.contains("index:grade"), "{message}");
}

#[test]
fn a_report_for_an_unknown_county_or_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let message = fails(&[
        "report",
        "--index",
        &example(),
        "--county",
        "涪城县城",
        "--out-dir",
        out,
    ]);
    assert!(message.contains("涪城"), "{message}");
    let message = fails(&[
        "report",
        "--index",
        &example(),
        "--county",
        "涪城",
        "--out-dir",
        out,
        "--format",
        "docx",
    ]);
    assert!(message.contains("pdf"), "{message}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn progress_since_an_earlier_year_ranks_the_counties_that_moved_up() {
    let dir = tempfile::tempdir().unwrap();
    // A test table of two years (the built-in layers have one year, or a few prefectures).
    let table = write(
        &dir,
        "staff.csv",
        "代码,年份,研发人员\n510104,2019,10\n510104,2020,12\n510105,2019,30\n510105,2020,11\n510106,2019,20\n510106,2020,40\n510107,2019,5\n510107,2020,6\n",
    );
    let spec = write(
        &dir,
        "staff.toml",
        "name = \"研发人员指数\"\nyear = 2020\n[[indicator]]\nlayer = \"user:研发人员\"\ndimension = \"创新投入\"\n",
    );
    let base = [
        "index",
        "--spec",
        &spec,
        "--data",
        &table,
        "--from-year",
        "2019",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&ok(&[&base[..], &["--json"]].concat())).unwrap();
    assert_eq!(json["progress_from"], 2019);
    let counties = json["counties"].as_array().unwrap();
    let with_progress: Vec<&serde_json::Value> = counties
        .iter()
        .filter(|c| c.get("progress").is_some())
        .collect();
    assert_eq!(with_progress.len(), 4, "the counties scored in both years");
    for c in with_progress {
        let p = &c["progress"];
        assert_eq!(
            p["rank_change"].as_i64().unwrap(),
            p["rank_from"].as_i64().unwrap() - c["rank"].as_i64().unwrap()
        );
    }
    let text = ok(&base);
    assert!(
        text.contains("进步最大的县") && text.contains("只比较位次"),
        "{text}"
    );
    // 金牛区 (510106) went from 2nd to 1st.
    assert!(text.contains("金牛区 2 → 1 (+1)"), "{text}");
    let csv = ok(&[&base[..], &["--csv"]].concat());
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",score_from,rank_from,rank_change")
    );

    // The map of progress and the report say the same.
    let map = dir.path().join("progress.svg");
    ok(&[
        "export",
        "--index",
        &spec,
        "--data",
        &table,
        "--index-from-year",
        "2019",
        "--layer",
        "index:progress",
        "--out",
        map.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&map).unwrap();
    assert!(
        svg.contains("上升 1–9 位") && svg.contains("只比较位次"),
        "legend and note"
    );
    let record = county_atlas::export::read_record(svg.as_bytes()).expect("a record");
    assert_eq!(record.index.expect("the definition").from_year, Some(2019));
    let reports = dir.path().join("reports");
    ok(&[
        "report",
        "--index",
        &spec,
        "--data",
        &table,
        "--from-year",
        "2019",
        "--county",
        "金牛",
        "--format",
        "svg",
        "--out-dir",
        reports.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(reports.join("510106_金牛区.svg")).unwrap();
    assert!(
        page.contains("与 2019 年比:位次 2 → 1(上升 1 位)"),
        "the report's progress"
    );
    // An earlier year the layers do not have says which year and which layer.
    let message = fails(&["index", "--spec", &example(), "--from-year", "2019"]);
    assert!(
        message.contains("比较年份 2019") && message.contains("professional_share"),
        "{message}"
    );
    // Outside --index, a layer and a table are one map too many.
    let message = fails(&[
        "export",
        "--data",
        &table,
        "--layer",
        "population",
        "--out",
        map.to_str().unwrap(),
    ]);
    assert!(message.contains("--column"), "{message}");
}

#[test]
fn a_weighted_mean_against_a_target_is_the_provinces_own_figure() {
    // Weighted by population, the counties' urban shares give the province's urban share:
    // 56.73% in 《四川省第七次全国人口普查公报(第六号)》 (四川省统计局, 2021). The county
    // shares are rounded, hence the tolerance; the plain mean counts each county once and is
    // ten points lower.
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        &dir,
        "urban.toml",
        "name = \"城镇化\"\nyear = 2020\n\n[[indicator]]\nlayer = \"urbanization_rate\"\ndimension = \"城镇化\"\ntarget = 60.0\nmean_weight = \"population\"\n\n[[indicator]]\nlayer = \"professional_share\"\ndimension = \"人才\"\n",
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["index", "--spec", &spec, "--json"])).expect("JSON");
    let urban = &json["indicators"][0];
    let weighted = urban["target_weighted"]["mean"]
        .as_f64()
        .expect("a weighted mean");
    let plain = urban["target_mean"].as_f64().expect("a mean");
    assert!((weighted - 56.73).abs() < 0.1, "{weighted}");
    assert!(plain < 50.0, "{plain}");
    assert_eq!(urban["target_weighted"]["of"], 183);
    assert_eq!(urban["target_weighted"]["layer"], "population");
    assert!(json["indicators"][1].get("target_weighted").is_none());
    let text = ok(&["--lang", "en", "index", "--spec", &spec]);
    assert!(
        text.contains("mean weighted by Resident population (2020 census) 56.6"),
        "{text}"
    );
}

#[test]
fn each_region_and_the_province_get_a_report_of_their_counties() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["index", "--spec", &example(), "--json"])).unwrap();
    let panxi: Vec<&serde_json::Value> = json["counties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["region"] == "攀西经济区")
        .collect();
    assert_eq!(panxi.len(), 22);
    let mean = panxi
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .sum::<f64>()
        / 22.0;
    let leaders = panxi.iter().filter(|c| c["group"] == "leader").count();
    let output = run(&[
        "report",
        "--index",
        &example(),
        "--region",
        "攀西",
        "--province",
        "--format",
        "svg",
        "--out-dir",
        out,
        "--uncertainty",
        "0",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("2/2"));
    let region = std::fs::read_to_string(dir.path().join("region_panxi_攀西经济区.svg")).unwrap();
    for expected in [
        "攀西经济区 · 县域创新基础指数(示例) 2020".to_owned(),
        "22 个县(市、区),计分 22 个".to_owned(),
        format!("{mean:.1}"),
        format!("领先 {leaders}"),
        "五个经济区中第".to_owned(),
        "区内位次".to_owned(),
        "西昌市".to_owned(),
        "《2018年四川省科技经费投入统计公报》".to_owned(),
    ] {
        assert!(
            region.contains(&expected),
            "the region's report lacks {expected}"
        );
    }
    assert!(
        !region.contains("武侯区"),
        "a county of another region is not listed"
    );
    let province = std::fs::read_to_string(dir.path().join("510000_四川省.svg")).unwrap();
    for expected in [
        "全省创新分级报告",
        "183 个县(市、区)",
        "川西北",
        "全省位次(前列)",
    ] {
        assert!(
            province.contains(expected),
            "the province's report lacks {expected}"
        );
    }
    let record = county_atlas::export::read_record(province.as_bytes()).expect("a record");
    assert_eq!(record.focus.as_deref(), Some("四川省"));
    assert!(record.index.is_some(), "the definition travels");
    let message = fails(&[
        "report",
        "--index",
        &example(),
        "--region",
        "川中",
        "--out-dir",
        out,
    ]);
    assert!(message.contains("川南经济区"), "{message}");
    // Asking for nothing is a usage error that lists what can be asked for.
    let nothing = run(&["report", "--index", &example(), "--out-dir", out]);
    let message = String::from_utf8_lossy(&nothing.stderr);
    assert_eq!(nothing.status.code(), Some(2), "{message}");
    assert!(message.contains("--province"), "{message}");
}
