//! Designation lists from the innovation, eco-civilisation, poverty, hardship, high-tech-zone
//! and context tables.

use super::super::LoadError;
use super::super::designation::{Designation, DesignationStatus, Membership, Target};
use super::super::table::{Row, Table};
use super::{Context, Files, first_year, table, year_label};
use crate::i18n::Text;

/// A designation the atlas knows, and how to recognise its rows in the source tables.
struct Spec {
    id: &'static str,
    name: (&'static str, &'static str),
    status: DesignationStatus,
    caveat: Option<(&'static str, &'static str)>,
    /// The `designation` cell starts with one of these (exact code for the poverty lists).
    prefixes: &'static [&'static str],
}

use DesignationStatus::{Candidate, Designated};

/// The catalogue, in the order the atlas lists designations.
const SPECS: &[Spec] = &[
    Spec {
        id: "innovative_county",
        name: ("国家创新型县(市)", "National innovative county (city)"),
        status: Designated,
        caveat: Some((
            "仅首批(2018年启动,2022年验收);2023年第二批中的四川县市未查到",
            "First batch only (started 2018, accepted 2022); Sichuan's counties in the 2023 second batch were not found",
        )),
        prefixes: &["国家创新型县(市)"],
    },
    Spec {
        id: "ip_pilot_county",
        name: (
            "国家知识产权强县工程试点县(区)",
            "National IP-strong county pilot",
        ),
        status: Designated,
        caveat: Some((
            "2008–2013年试点批次;其后的示范县、强县批次未查到",
            "2008–2013 pilot cohorts; later demonstration/strong-county batches were not found",
        )),
        prefixes: &["国家知识产权强县工程试点县"],
    },
    Spec {
        id: "sci_tech_advanced",
        name: (
            "全国科技进步先进县(市)(2013年考核)",
            "National sci-tech progress advanced county (2013)",
        ),
        status: Designated,
        caveat: Some((
            "来源只列出凉山州的县和凉山州本身;四川其他获评县未查到",
            "The source names only Liangshan's counties and Liangshan itself; other Sichuan counties on the list were not found",
        )),
        prefixes: &["全国科技进步先进县", "全国科技进步先进州"],
    },
    Spec {
        id: "hightech_zone_national",
        name: ("国家级高新区", "National high-tech zone"),
        status: Designated,
        caveat: Some((
            "所在县区取自第三方对照表;园区常跨多个县区(成都高新区尤甚)",
            "Host county from a third-party mapping; zones often span several districts (成都高新区 especially)",
        )),
        prefixes: &["国家级高新区"],
    },
    Spec {
        id: "hightech_zone_provincial",
        name: ("省级高新区", "Provincial high-tech zone"),
        status: Designated,
        caveat: Some((
            "不完整:截至2019年13个中仅7个(2018–2019批次);遂宁、眉山两个只知所在市",
            "Partial: 7 of 13 as of 2019 (2018–2019 batches); two are known only by prefecture (遂宁, 眉山)",
        )),
        prefixes: &["省级高新区"],
    },
    Spec {
        id: "national_agri_sci_park",
        name: ("国家农业科技园区", "National agricultural sci-tech park"),
        status: Designated,
        caveat: Some((
            "按市州命名,来源未写所在县",
            "Named after the prefecture; the source does not name the host county",
        )),
        prefixes: &["国家农业科技园区"],
    },
    Spec {
        id: "provincial_agri_sci_park",
        name: (
            "四川省省级农业科技园区",
            "Sichuan provincial agricultural sci-tech park",
        ),
        status: Designated,
        caveat: Some(("仅2014年成都批次", "2014 Chengdu round only")),
        prefixes: &["四川省省级农业科技园区"],
    },
    Spec {
        id: "provincial_innovative_city",
        name: (
            "四川省省级创新型城市(首批)",
            "Sichuan provincial innovative city (first batch)",
        ),
        status: Designated,
        caveat: None,
        prefixes: &["四川省省级创新型城市"],
    },
    Spec {
        id: "xingchuang_tiandi",
        name: (
            "星创天地(2016年报道所列)",
            "Rural maker space 星创天地 (named in a 2016 report)",
        ),
        status: Designated,
        caveat: Some((
            "2016年四川省报道中举例的星创天地,未说明国家级或省级,不是科技部名单",
            "Examples named in a 2016 provincial report, level not stated; not a Ministry of Science and Technology list",
        )),
        prefixes: &["星创天地"],
    },
    Spec {
        id: "national_modern_agri_park",
        name: (
            "国家现代农业产业园",
            "National modern agricultural industrial park",
        ),
        status: Designated,
        caveat: Some((
            "2020年创建名单与2020年底第三批认定名单",
            "The 2020 founding list and the third accreditation batch (Dec 2020/Jan 2021)",
        )),
        prefixes: &["国家现代农业产业园"],
    },
    Spec {
        id: "provincial_agri_park_5star",
        name: (
            "四川省五星级现代农业园区(2019年建议名单)",
            "Sichuan five-star modern agricultural park (2019 proposed list)",
        ),
        status: Candidate,
        caveat: Some(("2019年建议名单", "2019 proposed list (建议名单)")),
        prefixes: &["四川省五星级现代农业园区"],
    },
    Spec {
        id: "provincial_agri_park_4star",
        name: (
            "四川省四星级现代农业园区(2019年建议名单)",
            "Sichuan four-star modern agricultural park (2019 proposed list)",
        ),
        status: Candidate,
        caveat: Some(("2019年建议名单", "2019 proposed list (建议名单)")),
        prefixes: &["四川省四星级现代农业园区"],
    },
    Spec {
        id: "eco_demo",
        name: (
            "国家生态文明建设示范县(区、市)",
            "National eco-civilisation demonstration county (city)",
        ),
        status: Designated,
        caveat: Some((
            "第四批(2020)不完整:只查到九寨沟县,缺4个县;第一、二批未分开",
            "Batch 4 (2020) partial: only 九寨沟县 found, 4 counties missing; batches 1 and 2 not separated",
        )),
        prefixes: &["国家生态文明建设示范县(区/市)", "国家生态文明建设示范市"],
    },
    Spec {
        id: "eco_demo_candidate",
        name: (
            "国家生态文明建设示范区第七批候选(公示)",
            "National eco-civilisation demonstration, 7th batch candidates",
        ),
        status: Candidate,
        caveat: Some((
            "仅为公示候选,非最终名单",
            "Candidates under public notice only, not final",
        )),
        prefixes: &[
            "国家生态文明建设示范县(区/市) — 第七批候选",
            "国家生态文明建设示范区 — 第七批候选",
        ],
    },
    Spec {
        id: "lianshan_base",
        name: (
            "“绿水青山就是金山银山”实践创新基地",
            "“Lucid waters and lush mountains” (两山) innovation base",
        ),
        status: Designated,
        caveat: Some(("第四批缺1个基地", "One base of batch 4 is missing")),
        prefixes: &["“绿水青山就是金山银山”实践创新基地"],
    },
    Spec {
        id: "lianshan_base_candidate",
        name: (
            "“两山”实践创新基地第七批候选(公示)",
            "两山 innovation base, 7th batch candidates",
        ),
        status: Candidate,
        caveat: Some((
            "仅为公示候选,非最终名单",
            "Candidates under public notice only, not final",
        )),
        prefixes: &["“绿水青山就是金山银山”实践创新基地 — 第七批候选"],
    },
    Spec {
        id: "provincial_eco_county",
        name: (
            "四川省省级生态县(第二批)",
            "Sichuan provincial ecological county (2nd batch)",
        ),
        status: Designated,
        caveat: None,
        prefixes: &["四川省省级生态县"],
    },
    Spec {
        id: "deep_poverty_45",
        name: ("原深度贫困县(45个)", "Former deep-poverty county (45)"),
        status: Designated,
        caveat: Some((
            "据2025年《招生考试报》附件转录",
            "Transcribed from the 2025 admissions gazette's annex",
        )),
        prefixes: &["former_deep_poverty_county_45"],
    },
    Spec {
        id: "rural_revitalization_88",
        name: (
            "乡村振兴实施范围县(88个)",
            "Rural revitalisation scope county (88)",
        ),
        status: Designated,
        caveat: Some((
            "即原88个贫困县定向计划的县;2025年名单与2024年略有不同(冕宁县移出,南部县、色达县加入)",
            "The 88 units of the former poverty-county targeted plan; the 2025 list differs slightly from 2024 (冕宁 out, 南部 and 色达 in)",
        )),
        prefixes: &["rural_revitalization_scope_88"],
    },
    Spec {
        id: "poverty_68",
        name: (
            "原集中连片特困县和原国家级扶贫开发重点县(68个)",
            "Former contiguous-poverty or national key poverty county (68)",
        ),
        status: Designated,
        caveat: Some((
            "前锋区、恩阳区(2013年设立)单独计数",
            "Counts 前锋区 and 恩阳区 (created 2013) separately",
        )),
        prefixes: &["former_contiguous_poor_or_national_key_poverty_county_68"],
    },
    Spec {
        id: "ethnic_remote_119",
        name: (
            "民族地区、原集中连片特困地区、革命老区和艰苦边远地区(119个)",
            "Ethnic, former contiguous-poverty, old revolutionary or remote area (119)",
        ),
        status: Designated,
        caveat: None,
        prefixes: &["ethnic_old_revolutionary_remote_area_119"],
    },
    Spec {
        id: "hardship_area",
        name: ("艰苦边远地区(类别)", "Hardship and remote area (category)"),
        status: Designated,
        caveat: Some((
            "国人部发〔2006〕61号,四川77个县的完整名单;类别1–6",
            "国人部发〔2006〕61号, the complete list of Sichuan's 77 counties; categories 1–6",
        )),
        prefixes: &[],
    },
    Spec {
        id: "industrial_strong_county",
        name: (
            "四川省工业强县示范县(市、区)",
            "Sichuan industrial-strong demonstration county",
        ),
        status: Designated,
        caveat: Some((
            "经济与工业类称号,作背景参考,非创新类",
            "An economic and industrial designation, for context; not an innovation one",
        )),
        prefixes: &["四川省工业强县示范县"],
    },
    Spec {
        id: "county_economy_advanced",
        name: (
            "四川省县域经济发展先进县(市、区)(2011年)",
            "Sichuan advanced county in county-economy development (2011)",
        ),
        status: Designated,
        caveat: Some((
            "经济类称号,作背景参考",
            "An economic designation, for context",
        )),
        prefixes: &["四川省县域经济发展先进县"],
    },
];

/// How to read one designation table.
struct Layout {
    file: &'static str,
    /// The column holding the county adcode, or the prefecture adcode for prefecture tables.
    code: &'static str,
    prefecture_table: bool,
    designation: &'static str,
    batch: Option<&'static str>,
    detail: Option<&'static str>,
    note: Option<&'static str>,
}

impl Layout {
    /// A county table with the usual columns.
    const fn county(file: &'static str) -> Self {
        Layout {
            file,
            code: "adcode",
            prefecture_table: false,
            designation: "designation",
            batch: Some("batch"),
            detail: None,
            note: Some("note"),
        }
    }

    /// A prefecture table with the usual columns.
    const fn prefecture(file: &'static str) -> Self {
        Layout {
            code: "prefecture_adcode",
            prefecture_table: true,
            batch: None,
            ..Layout::county(file)
        }
    }

    const fn batch(self, batch: Option<&'static str>) -> Self {
        Layout { batch, ..self }
    }

    const fn detail(self, detail: &'static str) -> Self {
        Layout {
            detail: Some(detail),
            ..self
        }
    }

    const fn note(self, note: Option<&'static str>) -> Self {
        Layout { note, ..self }
    }
}

const LAYOUTS: &[Layout] = &[
    Layout::county("indicators/county_innovation_designations.csv"),
    Layout::county("indicators/county_eco_designations.csv"),
    Layout::county("indicators/county_designations_extra.csv"),
    Layout::county("indicators/county_poverty_designations.csv")
        .batch(None)
        .note(None),
    Layout::county("indicators/hightech_zones.csv")
        .batch(None)
        .detail("zone_name"),
    Layout::prefecture("indicators/prefecture_innovation_designations.csv"),
    Layout::prefecture("indicators/prefecture_eco_designations.csv").batch(Some("batch")),
    Layout::prefecture("indicators/prefecture_designations_extra.csv"),
];

const HARDSHIP: &str = "indicators/county_hardship_area_category.csv";

/// Loads every designation list.
pub(super) fn load(files: &dyn Files, cx: &mut Context<'_>) -> Result<Vec<Designation>, LoadError> {
    let mut designations: Vec<Designation> = SPECS
        .iter()
        .map(|s| Designation {
            id: s.id.to_owned(),
            name: Text::new(s.name.0, s.name.1),
            status: s.status,
            caveat: s.caveat.map(|(zh, en)| Text::new(zh, en)),
            members: Vec::new(),
        })
        .collect();
    for layout in LAYOUTS {
        read_layout(&table(files, layout.file)?, layout, cx, &mut designations)?;
    }
    read_hardship(&table(files, HARDSHIP)?, cx, &mut designations)?;
    Ok(designations)
}

fn read_layout(
    table: &Table,
    layout: &Layout,
    cx: &mut Context<'_>,
    designations: &mut [Designation],
) -> Result<(), LoadError> {
    let code = table.column(layout.code)?;
    let designation = table.column(layout.designation)?;
    let year = table.column("year")?;
    let source = table.column("source")?;
    let optional = |name: Option<&str>| name.map(|n| table.column(n)).transpose();
    let (batch, detail, note) = (
        optional(layout.batch)?,
        optional(layout.detail)?,
        optional(layout.note)?,
    );
    let prefecture_name = if layout.prefecture_table {
        None
    } else {
        table.column("prefecture").ok()
    };
    for row in table.rows() {
        let text = row.required(designation)?;
        let index = spec_for(text).ok_or_else(|| {
            row.error(designation, format!("'{text}' is not a designation the atlas knows; add it to the catalogue in src/atlas/builtin/designations.rs"))
        })?;
        let target = target(&row, cx, layout.prefecture_table, code, prefecture_name)?;
        let year_text = row.required(year)?;
        let mut member = Membership {
            target,
            year: first_year(year_text),
            year_label: year_label(year_text),
            batch: batch.and_then(|c| row.get(c)).map(str::to_owned),
            detail: detail.and_then(|c| row.get(c)).map(str::to_owned),
            source: cx.sources.intern(row.required(source)?),
            note: note.and_then(|c| row.get(c)).map(str::to_owned),
        };
        refine(SPECS[index].id, text, &mut member);
        designations[index].members.push(member);
    }
    Ok(())
}

/// The county named by the row, or its prefecture when the source gives no county.
fn target(
    row: &Row<'_>,
    cx: &Context<'_>,
    prefecture_table: bool,
    code: usize,
    prefecture_name: Option<usize>,
) -> Result<Target, LoadError> {
    if prefecture_table {
        return Ok(Target::Prefecture(cx.prefecture(row, code)?));
    }
    if row.get(code).is_some() {
        return Ok(Target::County(cx.unit(row, code)?));
    }
    let column = prefecture_name.unwrap_or(code);
    let name = row.required(column)?;
    cx.prefecture_by_name(name)
        .map(Target::Prefecture)
        .ok_or_else(|| {
            row.error(
                column,
                format!("neither an adcode nor a known prefecture ('{name}')"),
            )
        })
}

/// Per-designation details the generic layout cannot know.
fn refine(id: &str, designation_text: &str, member: &mut Membership) {
    match id {
        // The 星创天地 tables put the maker space's name in the batch column (county table)
        // or inside the designation text (prefecture table).
        "xingchuang_tiandi" => {
            let from_text = designation_text
                .split_once(": ")
                .map(|(_, rest)| rest.split(" (").next().unwrap_or(rest).to_owned());
            member.detail = from_text.or_else(|| member.batch.take());
            member.batch = None;
        }
        "national_modern_agri_park" => {
            member.detail = Some(
                if designation_text.contains("认定") {
                    "认定 accredited"
                } else {
                    "创建 founding"
                }
                .to_owned(),
            );
        }
        _ => {}
    }
}

fn spec_for(text: &str) -> Option<usize> {
    // Longest prefix wins, so candidate lists are not taken for the final ones.
    SPECS
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.prefixes.iter().map(move |p| (i, p)))
        .filter(|(_, p)| text.starts_with(**p))
        .max_by_key(|(_, p)| p.len())
        .map(|(i, _)| i)
}

fn read_hardship(
    table: &Table,
    cx: &mut Context<'_>,
    designations: &mut [Designation],
) -> Result<(), LoadError> {
    let (code, category, year, source, note) = (
        table.column("adcode")?,
        table.column("hardship_area_category")?,
        table.column("year")?,
        table.column("source")?,
        table.column("note")?,
    );
    let index = SPECS
        .iter()
        .position(|s| s.id == "hardship_area")
        .unwrap_or_default();
    for row in table.rows() {
        let class = row.required(category)?;
        if !matches!(class, "1" | "2" | "3" | "4" | "5" | "6") {
            return Err(row.error(category, format!("'{class}' is not a category from 1 to 6")));
        }
        let year_text = row.required(year)?;
        designations[index].members.push(Membership {
            target: Target::County(cx.unit(&row, code)?),
            year: first_year(year_text),
            year_label: year_label(year_text),
            batch: None,
            detail: Some(format!("{class}类 category {class}")),
            source: cx.sources.intern(row.required(source)?),
            note: row.get(note).map(str::to_owned),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_not_mistaken_for_final_lists() {
        let final_list = spec_for("国家生态文明建设示范县(区/市)").map(|i| SPECS[i].id);
        let candidates =
            spec_for("国家生态文明建设示范县(区/市) — 第七批候选(公示)").map(|i| SPECS[i].id);
        assert_eq!(final_list, Some("eco_demo"));
        assert_eq!(candidates, Some("eco_demo_candidate"));
        assert_eq!(spec_for("something else"), None);
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = SPECS.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SPECS.len());
    }
}
