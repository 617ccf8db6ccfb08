//! Finding counties by current, former, short and qualified names and by adcode.

mod common;

use common::atlas;
use county_atlas::atlas::{AreaFit, NameMatch, ResolveError};

fn resolves(query: &str) -> String {
    let resolved = atlas()
        .resolve(query)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    atlas().unit(resolved.unit).name.clone()
}

#[test]
fn former_names_from_the_issue_resolve() {
    for (former, current) in [
        ("郫县", "郫都区"),
        ("新津县", "新津区"),
        ("会理县", "会理市"),
        ("宜宾县", "叙州区"),
        ("隆昌县", "隆昌市"),
        ("马尔康县", "马尔康市"),
        ("康定县", "康定市"),
        ("双流县", "双流区"),
        ("射洪县", "射洪市"),
        ("彭山县", "彭山区"),
        ("南坪县", "九寨沟县"),
        ("灌县", "都江堰市"),
        ("元坝区", "昭化区"),
    ] {
        assert_eq!(resolves(former), current, "{former}");
    }
    let resolved = atlas().resolve("郫县").unwrap();
    assert_eq!(
        resolved.matched,
        NameMatch::FormerName {
            former_name: "郫县".into(),
            year: Some(2016)
        }
    );
}

#[test]
fn current_short_qualified_and_normalised_names() {
    assert_eq!(resolves("郫都区"), "郫都区");
    assert_eq!(resolves("郫都"), "郫都区");
    assert_eq!(resolves("北川"), "北川羌族自治县");
    assert_eq!(resolves(" 四川省成都市郫都区 "), "郫都区");
    assert_eq!(resolves("乐山市中区"), "市中区");
    assert_eq!(
        atlas()
            .unit(atlas().resolve("乐山市市中区").unwrap().unit)
            .adcode
            .to_string(),
        "511102"
    );
    assert_eq!(
        atlas()
            .unit(atlas().resolve("内江 市中区").unwrap().unit)
            .adcode
            .to_string(),
        "511002"
    );
    assert_eq!(resolves("成都郫县"), "郫都区");
}

#[test]
fn adcodes_current_former_and_full_width() {
    assert_eq!(resolves("510117"), "郫都区");
    assert_eq!(resolves("５１０１１７"), "郫都区");
    assert_eq!(resolves("510124"), "郫都区");
    assert_eq!(resolves("513425"), "会理市");
    assert_eq!(resolves("513402"), "会理市");
    assert!(matches!(
        atlas().resolve("510124").unwrap().matched,
        NameMatch::FormerAdcode { .. }
    ));
    // The county-level 宜宾市 became 翠屏区 in 1996: its code resolves, its name (today the
    // prefecture's) does not.
    assert_eq!(resolves("512501"), "翠屏区");
    // 简阳市 moved from 资阳 to 成都 in 2016 and changed code.
    assert_eq!(resolves("512081"), "简阳市");
}

#[test]
fn prefecture_names_are_not_counties() {
    match atlas().resolve("南充市") {
        Err(ResolveError::Prefecture { units, .. }) => {
            assert_eq!(units.len(), 9);
            assert!(units[0].1.starts_with("顺庆区"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        atlas().resolve("凉山"),
        Err(ResolveError::Prefecture { .. })
    ));
}

#[test]
fn ambiguous_names_list_the_candidates() {
    match atlas().resolve("市中区") {
        Err(ResolveError::Ambiguous { candidates, .. }) => {
            let names: Vec<&str> = candidates.iter().map(|(_, d)| d.as_str()).collect();
            assert_eq!(
                names,
                ["市中区 (511002, 内江市)", "市中区 (511102, 乐山市)"]
            );
        }
        other => panic!("{other:?}"),
    }
    let message = atlas().resolve("市中区").unwrap_err().to_string();
    assert!(
        message.contains("write the prefecture too (e.g. '内江市市中区')"),
        "{message}"
    );
    // 绵阳市市中区 was split into 涪城区 and 游仙区 in 1992.
    match atlas().resolve("绵阳市市中区") {
        Err(ResolveError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_names_get_suggestions() {
    match atlas().resolve("郫度区") {
        Err(ResolveError::NotFound { suggestions, .. }) => {
            assert!(suggestions[0].1.starts_with("郫都区"), "{suggestions:?}")
        }
        other => panic!("{other:?}"),
    }
    match atlas().resolve("金牛") {
        Ok(r) => assert_eq!(atlas().unit(r.unit).name, "金牛区"),
        other => panic!("{other:?}"),
    }
    match atlas().resolve("510199") {
        Err(ResolveError::NotFound { suggestions, .. }) => assert!(!suggestions.is_empty()),
        other => panic!("{other:?}"),
    }
    assert_eq!(atlas().resolve("  "), Err(ResolveError::Empty));
    let message = atlas().resolve("xyz").unwrap_err().to_string();
    assert!(message.contains("county-atlas units"), "{message}");
}

#[test]
fn every_unit_prefecture_and_neighbour_has_an_english_name() {
    let atlas = county_atlas::atlas::Atlas::builtin().unwrap();
    let suffixes = [" District", " County", " City", " Autonomous County"];
    for unit in atlas.units() {
        assert!(
            unit.name_en.is_ascii() && suffixes.iter().any(|s| unit.name_en.ends_with(s)),
            "{}: '{}'",
            unit.name,
            unit.name_en
        );
    }
    let name = |chinese: &str| {
        atlas
            .units()
            .iter()
            .find(|u| u.name == chinese)
            .map(|u| u.name_en.as_str())
            .unwrap()
    };
    // The examples of the issue, and the readings a dictionary's first guess gets wrong.
    assert_eq!(name("温江区"), "Wenjiang District");
    assert_eq!(name("金堂县"), "Jintang County");
    assert_eq!(name("简阳市"), "Jianyang City");
    assert_eq!(name("木里藏族自治县"), "Muli Tibetan Autonomous County");
    assert_eq!(name("犍为县"), "Qianwei County");
    assert_eq!(name("郫都区"), "Pidu District");
    assert_eq!(name("什邡市"), "Shifang City");
    assert_eq!(name("若尔盖县"), "Ruo'ergai County");
    for prefecture in atlas.prefectures() {
        assert!(!prefecture.name_en.is_empty() && prefecture.name_en.is_ascii());
    }
    assert!(
        atlas
            .prefectures()
            .iter()
            .any(|p| p.name_en == "Aba Tibetan and Qiang Autonomous Prefecture")
    );
    let neighbours: Vec<&str> = atlas
        .backdrop()
        .iter()
        .map(|b| b.name_en.as_str())
        .collect();
    assert!(neighbours.contains(&"Shaanxi Province"), "{neighbours:?}");
}

#[test]
fn old_codes_and_names_through_the_code_history() {
    // 512722 was 郫县's code under 温江地区 (1981–1983), in no hand-made list.
    assert_eq!(resolves("512722"), "郫都区");
    // Codes as spreadsheets write them, and the 12-digit statistical code.
    assert_eq!(resolves("510104.0"), "锦江区");
    assert_eq!(resolves("5.10104E+05"), "锦江区");
    assert_eq!(resolves("510104000000"), "锦江区");
    // A remark after the name.
    assert_eq!(resolves("锦江区（成都市）"), "锦江区");
    // 成都's 东城区 (1983–1990) went to three districts: a value for it is no one's today.
    match atlas().resolve("510102") {
        Err(ResolveError::Split { year, into, .. }) => {
            assert_eq!(year, 1990);
            let names: Vec<&str> = into
                .iter()
                .map(|(u, _)| atlas().unit(*u).name.as_str())
                .collect();
            assert_eq!(names, ["锦江区", "武侯区", "成华区"]);
        }
        other => panic!("{other:?}"),
    }
    let message = atlas().resolve("成都市东城区").unwrap_err().to_string();
    assert!(
        message.contains("1990") && message.contains("武侯区"),
        "{message}"
    );
}

#[test]
fn dated_values_fit_todays_areas_or_are_left_out() {
    let fit = |query: &str, year: Option<i32>| {
        let resolved = atlas().resolve(query).unwrap();
        atlas().area_fit(query, &resolved, year)
    };
    // 宜宾县 went to 翠屏区 and 叙州区 in 2018: a 2017 value is neither's alone.
    assert!(matches!(fit("宜宾县", Some(2017)), AreaFit::Other(m) if m.contains("翠屏区")));
    assert!(matches!(fit("511521", None), AreaFit::Other(_)));
    assert!(
        matches!(fit("511521.0", None), AreaFit::Other(_)),
        "as Excel writes it"
    );
    // 前锋区 split from 广安区 in 2013.
    assert!(matches!(fit("广安区", Some(2012)), AreaFit::Other(m) if m.contains("前锋区")));
    assert_eq!(fit("广安区", Some(2013)), AreaFit::Same);
    assert!(matches!(fit("前锋区", Some(2010)), AreaFit::Other(m) if m.contains("2013")));
    // 新都区 received parts of 龙泉驿区 and 青白江区 in 2005: kept, with a note.
    assert!(matches!(fit("新都区", Some(2004)), AreaFit::Changed(m) if m.contains("2005")));
    assert_eq!(fit("锦江区", None), AreaFit::Same);
    assert_eq!(fit("郫县", Some(2010)), AreaFit::Same);
}
