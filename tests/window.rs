//! The map window, headless through egui_kittest on the real wgpu renderer (Mesa's lavapipe
//! on machines without a GPU): search, click-to-select, and snapshots of the window and the
//! profile panel (`UPDATE_SNAPSHOTS=1 cargo test --test window` rewrites them; review the
//! images before committing).

use county_atlas::app::AtlasApp;
use county_atlas::scene::{Overlay, OverlayStyle, Workspace};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use std::sync::{Arc, OnceLock};

fn data() -> Arc<Workspace> {
    static DATA: OnceLock<Arc<Workspace>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Workspace::builtin().expect("the embedded atlas loads")))
        .clone()
}

fn harness() -> Harness<'static, AtlasApp> {
    let render_state = egui_kittest::wgpu::create_render_state(
        egui_kittest::wgpu::default_wgpu_setup(),
        egui_wgpu::RendererOptions::PREDICTABLE,
    );
    let data = data();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 860.0))
        .with_theme(egui::Theme::Light)
        .renderer(egui_kittest::wgpu::WgpuTestRenderer::from_render_state(
            render_state,
        ))
        .build_eframe(move |cc| AtlasApp::new(cc, data));
    harness.run();
    harness
}

/// Scrolls a widget of the (long) layers panel into view, then clicks it.
fn click_scrolled(harness: &mut Harness<'static, AtlasApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

fn unit_named(app: &AtlasApp, name: &str) -> county_atlas::atlas::UnitId {
    app.workspace()
        .atlas
        .units()
        .iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .expect("unit exists")
}

#[test]
fn searching_a_former_name_opens_the_profile_with_its_population() {
    let mut harness = harness();
    harness.get_by_label("搜索").click();
    harness.run();
    harness.get_by_label("搜索").type_text("郫县");
    harness.run();
    harness.get_by_label("查找").click();
    harness.run();
    let pidu = unit_named(harness.state(), "郫都区");
    assert_eq!(harness.state().selected_unit(), Some(pidu));
    assert!(
        harness.query_by_label("郫都区").is_some(),
        "the profile heading shows the current name"
    );
    assert!(
        harness.query_by_label("1,672,025").is_some(),
        "the profile shows the 2020 population"
    );
    assert!(
        !harness
            .query_all_by_label_contains("成都平原经济区")
            .collect::<Vec<_>>()
            .is_empty()
    );
}

#[test]
fn clicking_the_map_at_a_label_point_selects_that_county() {
    let mut harness = harness();
    for name in ["郫都区", "石渠县", "会理市"] {
        // Opening the profile narrows the map; fit Sichuan again so every county is in view.
        harness.get_by_label("全省").click();
        harness.run();
        let (unit, anchor) = {
            let app = harness.state();
            let unit = unit_named(app, name);
            (
                unit,
                app.workspace().geometry.labels().units[unit.index()].position,
            )
        };
        let position = harness
            .state()
            .world_to_screen(anchor)
            .expect("the map was drawn");
        harness.hover_at(position);
        harness.run();
        harness.event(egui::Event::PointerButton {
            pos: position,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Default::default(),
        });
        harness.event(egui::Event::PointerButton {
            pos: position,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Default::default(),
        });
        harness.run();
        assert_eq!(
            harness.state().selected_unit(),
            Some(unit),
            "clicked {name} at {position:?}"
        );
    }
}

#[test]
fn the_english_switch_translates_the_interface() {
    let mut harness = harness();
    harness.get_by_label("English").click();
    harness.run();
    assert!(harness.query_by_label("Layers").is_some());
    assert!(harness.query_by_label("中文").is_some());
}

#[test]
fn snapshots_of_the_window_and_the_profile_panel() {
    let mut harness = harness();
    let options = SnapshotOptions::default().threshold(1.0);
    harness.snapshot_options("main_window", &options);
    harness.get_by_label("搜索").click();
    harness.run();
    harness.get_by_label("搜索").type_text("510117");
    harness.run();
    harness.get_by_label("查找").click();
    harness.run();
    harness.snapshot_options("profile_panel", &options);
}

#[test]
fn designation_overlays_and_point_layers_draw_over_the_map() {
    let mut harness = harness();
    click_scrolled(&mut harness, "原深度贫困县(45个)");
    click_scrolled(&mut harness, "国家创新型县(市)");
    // The second list starts outlined, so that it does not look like the first.
    assert_eq!(
        harness.state().view.doc.overlays[0].style,
        OverlayStyle::Hatch
    );
    assert_eq!(
        harness.state().view.doc.overlays[1].style,
        OverlayStyle::Outline
    );
    // Style rows follow the catalogue order, so the first belongs to 国家创新型县(市), the
    // overlay added second: switching it to an outline changes nothing.
    harness
        .get_all_by_label("描边")
        .next()
        .expect("a style row per overlay")
        .click();
    harness.run();
    click_scrolled(&mut harness, "国家级高新区 (8/8)");
    let view = &harness.state().view;
    assert_eq!(view.doc.overlays.len(), 2);
    assert_eq!(view.doc.overlays[1].style, OverlayStyle::Outline);
    assert_eq!(
        view.doc.point_layers,
        vec!["hightech_zones_national".to_owned()]
    );
    harness.snapshot_options(
        "overlays_and_points",
        &SnapshotOptions::default().threshold(1.0),
    );
}

#[test]
fn the_export_dialog_previews_and_writes_the_file_in_the_background() {
    let mut harness = harness();
    // A fixed folder: its name shows in the snapshot.
    let folder = std::env::temp_dir().join("county-atlas-export-dialog-test");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    harness.state_mut().view.export.folder = folder.display().to_string();
    harness.state_mut().view.export.options.format = county_atlas::export::Format::Svg;
    // A fixed date: the preview's footer shows it, and the snapshot must not change at midnight.
    harness.state_mut().view.export.options.date = Some("2026-01-01".into());
    // What the window shows, the file shows: an overlay and a point layer go into the export.
    harness.state_mut().view.doc.overlays.push(Overlay {
        designation: "innovative_county".into(),
        style: OverlayStyle::Hatch,
    });
    harness
        .state_mut()
        .view
        .doc
        .point_layers
        .push("hightech_zones_national".into());
    harness.get_by_label("导出…").click();
    harness.run();
    assert!(
        harness.query_by_label("导出简报地图").is_some(),
        "the dialog's title"
    );
    harness.snapshot("export_dialog");

    harness.get_by_label("导出").click();
    let expected = county_atlas::app::export_file_path(
        &harness.state().view.export,
        &harness.state().view.doc,
    );
    assert_eq!(expected, folder.join("population_density.svg"));
    let started = std::time::Instant::now();
    while harness
        .query_all_by_label_contains("已保存")
        .next()
        .is_none()
    {
        assert!(
            started.elapsed().as_secs() < 120,
            "the export did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        // The spinner repaints for as long as the export runs.
        harness.step();
    }
    let bytes = std::fs::read(&expected).unwrap();
    let record = county_atlas::export::read_record(&bytes).unwrap();
    assert_eq!(record.layer, "population_density");
    assert_eq!(
        record.document,
        harness.state().view.doc,
        "the file is made from the window's own map document"
    );
    assert_eq!(record.overlays.len(), 1);
    assert_eq!(record.overlays[0].id, "innovative_county");
    assert_eq!(record.points.len(), 1);
    let svg = String::from_utf8(bytes).unwrap();
    assert!(svg.contains("url(#overlay-designation)"), "hatched members");
    assert!(svg.contains("<circle"), "point symbols");
    assert_eq!(
        harness.state().view.export.options.format,
        county_atlas::export::Format::Svg,
        "the choices live in the saved view"
    );

    // A second export of the same file asks first; cancelling writes nothing.
    let written = std::fs::metadata(&expected).unwrap().modified().unwrap();
    harness.get_by_label("导出").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("已存在,替换它吗?")
            .next()
            .is_some(),
        "the dialog asks before replacing"
    );
    harness.get_by_label("取消").click();
    harness.run();
    assert!(harness.query_by_label("替换").is_none());
    assert_eq!(
        std::fs::metadata(&expected).unwrap().modified().unwrap(),
        written
    );

    // A name of the user's own, given its extension.
    harness.state_mut().view.export.name = "简报图".into();
    harness.run();
    assert_eq!(
        county_atlas::app::export_file_path(
            &harness.state().view.export,
            &harness.state().view.doc
        ),
        folder.join("简报图.svg")
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn copying_a_profile_puts_the_command_lines_text_on_the_clipboard() {
    let mut harness = harness();
    let wenjiang = unit_named(harness.state(), "温江区");
    harness.state_mut().view.selected = Some("510115".into());
    harness.run();
    assert_eq!(harness.state().selected_unit(), Some(wenjiang));
    harness.get_by_label("复制档案").click();
    // The click is handled, and the copy requested, within the next frame.
    harness.step();
    let copied: Vec<&str> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_county-atlas"))
        .args(["profile", "510115"])
        .env_remove("COUNTY_ATLAS_LANG")
        .output()
        .expect("the binary runs");
    assert!(cli.status.success());
    assert_eq!(copied, [String::from_utf8(cli.stdout).unwrap().as_str()]);
}

#[test]
fn locked_breaks_say_where_they_came_from_warn_on_another_unit_and_unlock() {
    use county_atlas::analysis::classify::Method;
    let mut harness = harness();
    click_scrolled(&mut harness, "锁定分级");
    let spec = harness.state().view.doc.map.clone();
    assert!(
        matches!(spec.method, Method::Manual { .. }),
        "{:?}",
        spec.method
    );
    let origin = spec
        .breaks_from
        .clone()
        .expect("the lock remembers its map");
    assert_eq!(origin.layer, "population_density");
    assert_eq!(origin.method, Method::Quantile);
    assert!(
        harness
            .query_all_by_label_contains("已锁定:断点来自 人口密度(2020年) 2020年")
            .next()
            .is_some()
    );
    // Another layer, in another unit: the lock warns, and the legend's ends are open.
    harness.state_mut().view.doc.map.layer = "urbanization_rate".into();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("注意:断点的单位是“人/平方公里”")
            .next()
            .is_some(),
        "a warning that the breaks are in another unit"
    );
    let legend = harness
        .state()
        .style()
        .expect("styled")
        .legend
        .items
        .iter()
        .map(|i| i.label.zh.clone())
        .collect::<Vec<_>>();
    assert!(legend[0].starts_with("≤ "), "{legend:?}");
    assert!(
        harness
            .state()
            .style()
            .unwrap()
            .legend
            .notes
            .iter()
            .any(|n| n.zh.contains("分级断点沿用自:人口密度")),
        "the legend (and every export) says whose breaks these are"
    );
    click_scrolled(&mut harness, "解锁");
    let spec = &harness.state().view.doc.map;
    assert_eq!(
        spec.method,
        Method::Quantile,
        "unlocking restores the method"
    );
    assert_eq!(spec.breaks_from, None);
}

#[test]
fn the_english_window_names_counties_in_pinyin() {
    let mut harness = harness();
    harness.get_by_label("English").click();
    harness.run();
    assert!(
        harness.query_by_label("Layers").is_some(),
        "the panels switch language"
    );
    harness.snapshot("main_window_en");
}

/// Opens a table fixture through the Open data dialog, as a user types its path.
fn open_table(harness: &mut Harness<'static, AtlasApp>, fixture: &str) {
    harness.get_by_label("打开数据…").click();
    harness.run();
    let path = format!(
        "{}/tests/fixtures/tables/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    harness.get_by_label("文件").click();
    harness.run();
    // Replace what an earlier read left in the field.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label("文件").type_text(&path);
    harness.run();
    harness.get_by_label("读取").click();
    run_until_read(harness);
}

/// Opens the Project dialog, types the project file's path and clicks `button`.
fn in_project_dialog(harness: &mut Harness<'static, AtlasApp>, path: &str, button: &str) {
    harness.get_by_label("项目…").click();
    harness.run();
    harness.get_by_label("项目文件").click();
    harness.run();
    harness.get_by_label("项目文件").type_text(path);
    harness.run();
    harness.get_by_label(button).click();
    harness.run();
}

/// Runs frames until the Open data dialog's background read has ended.
fn run_until_read(harness: &mut Harness<'static, AtlasApp>) {
    // Single frames while the spinner turns (it repaints every frame, so `run`, which waits
    // for the UI to settle, would give up), then until it settles.
    for _ in 0..500 {
        harness.step();
        if !harness.state().import_dialog().reading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !harness.state().import_dialog().reading(),
        "the read did not end within 10 s"
    );
    harness.run();
}

#[test]
fn opening_a_table_reports_it_and_maps_its_layer() {
    let mut harness = harness();
    open_table(&mut harness, "county_wide_gbk.csv");
    let report = harness.state().import_dialog().report().expect("a report");
    assert_eq!(report.coverage.n, 5);
    // The first indicator is mapped at its best-covered year; the report names the unmatched row.
    assert_eq!(harness.state().view.doc.map.layer, "user:R&D经费");
    assert!(
        harness
            .query_by_label_contains("未匹配 / unmatched")
            .is_some()
    );
    assert!(harness.query_by_label_contains("不存在县").is_some());
    // The imported values are in the county's profile.
    let jinjiang = unit_named(harness.state(), "锦江区");
    harness.state_mut().view.selected = Some("510104".into());
    harness.run();
    assert_eq!(harness.state().selected_unit(), Some(jinjiang));
    // (2019's value: the map shows 2020, so only the profile lists it.)
    assert!(
        harness
            .query_all_by_label_contains("1,234")
            .next()
            .is_some(),
        "the profile lists the imported 2019 value"
    );
    // The other indicator can be mapped from the report.
    harness.get_by_label("显示“企业数”").click();
    harness.run();
    assert_eq!(harness.state().view.doc.map.layer, "user:企业数");
    // A file that cannot be read says so and changes nothing.
    harness.get_by_label("文件").click();
    harness.run();
    harness.get_by_label("文件").type_text(".missing");
    harness.run();
    harness.get_by_label("读取").click();
    run_until_read(&mut harness);
    assert!(harness.state().import_dialog().error.is_some());
    assert_eq!(harness.state().view.doc.map.layer, "user:企业数");
    assert!(harness.state().workspace().layer("user:R&D经费").is_some());
}

#[test]
fn a_workbook_opens_at_its_first_sheet_with_a_header_and_offers_the_others() {
    let mut harness = harness();
    open_table(&mut harness, "county_values.xlsx");
    // The note sheet in front is passed over and said so; the data sheet is mapped.
    let report = harness.state().import_dialog().report().expect("a report");
    assert_eq!(report.sheet.as_deref(), Some("2022年"));
    assert_eq!(harness.state().view.doc.map.layer, "user:R&D经费");
    assert!(
        harness
            .query_by_label_contains("已跳过,读取“2022年”")
            .is_some()
    );
    // The sheets are offered in a list; choosing the note sheet reads it and says why it
    // gives nothing, the map unchanged.
    harness.get_by_label("工作表").click();
    harness.run();
    harness.get_by_label("说明").click();
    run_until_read(&mut harness);
    let error = harness.state().import_dialog().error.clone();
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("has no header")),
        "{error:?}"
    );
    assert_eq!(harness.state().view.doc.map.layer, "user:R&D经费");
}

#[test]
fn a_project_saves_the_imported_data_and_the_view_and_reopens_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("atlas-project.json");
    let project = project.to_str().unwrap();
    let mut harness = harness();
    open_table(&mut harness, "point_list.xlsx");
    open_table(&mut harness, "county_wide_gbk.csv");
    harness.get_by_label("显示“企业数”").click();
    harness.run();
    in_project_dialog(&mut harness, project, "保存项目");
    assert!(std::fs::metadata(project).unwrap().len() > 0);

    // Another window (another machine: the table is not needed) opens it.
    let mut other = self::harness();
    assert!(other.state().workspace().layer("user:企业数").is_none());
    in_project_dialog(&mut other, project, "打开项目");
    let state = other.state();
    assert_eq!(state.view.doc.map.layer, "user:企业数");
    let layer = state
        .workspace()
        .layer("user:R&D经费")
        .expect("the imported layer");
    let jinjiang = unit_named(state, "锦江区");
    assert_eq!(
        layer
            .value_for(state.workspace().atlas.unit(jinjiang), 2019)
            .map(|o| o.value),
        Some(1234.5)
    );
    assert!(other.query_by_label_contains("已打开").is_some());
    // The point list is drawn again, each point in its county.
    assert!(
        state
            .view
            .doc
            .point_layers
            .contains(&"user:point_list".to_owned())
    );
    let points = state
        .workspace()
        .atlas
        .point_layers()
        .iter()
        .find(|l| l.id == "user:point_list")
        .expect("the point list");
    assert_eq!(points.features.len(), 3);
    assert_eq!(points.features[0].unit, Some(jinjiang));
}

#[test]
fn a_point_list_becomes_a_point_layer_and_a_layer_of_counts() {
    let mut harness = harness();
    open_table(&mut harness, "point_list.xlsx");
    let state = harness.state();
    assert!(state.import_dialog().error.is_none());
    assert_eq!(state.view.doc.map.layer, "user:point_list(点数)");
    assert!(
        state
            .view
            .doc
            .point_layers
            .contains(&"user:point_list".to_owned())
    );
    let atlas = &state.workspace().atlas;
    let points = atlas
        .point_layers()
        .iter()
        .find(|l| l.id == "user:point_list")
        .expect("the point layer");
    let names: Vec<&str> = points.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["甲孵化器", "乙星创天地", "丙孵化器"]);
    let counts = state.workspace().layer("user:point_list(点数)").unwrap();
    let jinjiang = atlas.unit(unit_named(state, "锦江区"));
    assert_eq!(counts.value_for(jinjiang, 0).map(|o| o.value), Some(2.0));
    assert!(harness.query_by_label_contains("3 个点").is_some());
    assert!(
        harness
            .query_by_label_contains("point_list.xlsx:6")
            .is_some(),
        "the row without a point"
    );
}

#[test]
fn the_compare_panel_tables_the_regions_links_the_selection_and_maps_lisa() {
    let mut harness = harness();
    harness.get_by_label("区域比较").click();
    harness.run();
    let table = harness
        .state()
        .compare_panel()
        .table()
        .expect("the mapped layer compared");
    assert_eq!(table.rows.len(), 5, "five economic regions");
    assert!(harness.query_by_label("成都平原经济区").is_some());
    // The grouping changes from the panel.
    harness.get_by_label("分组方式").click();
    harness.run();
    harness.get_by_label("一干多支").click();
    harness.run();
    assert_eq!(
        harness.state().compare_panel().table().unwrap().rows.len(),
        2
    );
    // A grouping table of the user's own: a bad one says why and changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "县区,分类\n锦江区,甲\n不存在县,乙\n").unwrap();
    let good = dir.path().join("classes.csv");
    std::fs::write(
        &good,
        "区划代码,类别\n510104,城市主城区\n510105,城市主城区\n513233,重点生态功能区县\n",
    )
    .unwrap();
    for (path, groups) in [(&bad, 2), (&good, 2)] {
        harness.get_by_label("分组表文件").click();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.run();
        harness
            .get_by_label("分组表文件")
            .type_text(path.to_str().unwrap());
        harness.run();
        harness.get_by_label("读取分组表").click();
        harness.run();
        assert_eq!(
            harness.state().compare_panel().table().unwrap().rows.len(),
            groups
        );
    }
    assert!(harness.state().compare_panel().grouping_error.is_none());
    let table = harness.state().compare_panel().table().unwrap();
    assert_eq!(table.rows[0].group.zh, "城市主城区");
    assert_eq!(table.province.units, 3, "only the counties the table lists");
    assert_eq!(table.province.group.zh, "分组所列县区");
    // Back to a built-in grouping.
    harness.get_by_label("分组方式").click();
    harness.run();
    harness.get_by_label("一干多支").click();
    harness.run();
    assert_eq!(
        harness.state().compare_panel().table().unwrap().rows[0]
            .group
            .zh,
        "成都市(一干)"
    );
    // A county selected on the map: its group's counties are charted.
    harness.state_mut().view.selected = Some("511529".into());
    harness.run();
    assert!(
        harness
            .query_by_label_contains("各县数值(蓝色为所选县")
            .is_some()
    );
    // Every chart draws.
    for chart in ["箱线图", "直方图", "莫兰散点图"] {
        harness.get_by_label(chart).click();
        harness.run();
    }
    assert!(harness.query_by_label_contains("Moran's I = ").is_some());
    // The mapped layer against a second one, with Pearson's r.
    harness.get_by_label("双图层散点").click();
    harness.run();
    assert!(harness.query_by_label("横轴图层").is_some());
    assert!(harness.query_by_label_contains(" · r = ").is_some());
    // The chart is saved as SVG and PNG in the export folder.
    let folder = tempfile::tempdir().unwrap();
    harness.state_mut().view.export.folder = folder.path().display().to_string();
    harness.get_by_label("箱线图").click();
    harness.run();
    harness.get_by_label("保存图表").click();
    harness.run();
    let mut saved: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    saved.sort();
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert!(
        saved[0].ends_with("-boxes.png") && saved[1].ends_with("-boxes.svg"),
        "{saved:?}"
    );
    // Every chart saves, the scatters naming the selected county.
    for (chart, kind) in [
        ("直方图", "histogram"),
        ("莫兰散点图", "moran"),
        ("双图层散点", "scatter"),
        ("柱状图", "means"),
    ] {
        harness.get_by_label(chart).click();
        harness.run();
        harness.get_by_label("保存图表").click();
        harness.run();
        let svg = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(&format!("-{kind}.svg")))
            .unwrap_or_else(|| panic!("the {kind} chart saved"));
        let svg = std::fs::read_to_string(svg).unwrap();
        if kind == "moran" || kind == "scatter" {
            assert!(
                svg.contains("屏山县"),
                "the selected county named on the {kind} chart"
            );
        }
    }
    // The table is saved as CSV beside them, one row per group and the province.
    harness.get_by_label("保存表格").click();
    harness.run();
    let csv = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-table.csv"))
        .expect("the table saved");
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("\u{feff}group,group_en,units"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        1 + 2 + 1,
        "header, two groups, the province"
    );
    // LISA becomes a layer of the workspace, mapped in GeoDa's colours.
    harness.get_by_label("LISA 聚类图").click();
    harness.run();
    let mapped = harness.state().view.doc.map.layer.clone();
    assert!(mapped.starts_with("lisa:"), "{mapped}");
    let layer = harness
        .state()
        .workspace()
        .layer(&mapped)
        .expect("the LISA layer");
    match &layer.kind {
        county_atlas::atlas::LayerKind::Categorical {
            categories,
            colours,
        } => {
            assert_eq!(categories[0].zh, "高-高聚集");
            assert_eq!(colours[0], [255, 0, 0]);
            assert_eq!(categories.len(), 5);
        }
        other => panic!("categorical, not {other:?}"),
    }
    let legend = harness
        .state()
        .style()
        .and_then(|s| s.choropleth.as_ref())
        .map(|c| c.legend.iter().map(|e| e.count).sum::<usize>());
    assert_eq!(legend, Some(183), "every county in one class");
    // Each county's distance to the nearest national high-tech zone (the first point layer,
    // chosen unless another is), mapped as a layer.
    assert!(harness.query_by_label("点图层").is_some());
    harness.get_by_label("距离图").click();
    harness.run();
    assert_eq!(
        harness.state().view.doc.map.layer,
        "access:hightech_zones_national"
    );
    // The points within the radius (50 km unless changed), and the counties with none.
    harness.get_by_label("半径内点数").click();
    harness.run();
    assert_eq!(
        harness.state().view.doc.map.layer,
        "within:hightech_zones_national:50"
    );
    assert!(
        harness
            .query_by_label_contains("个县区的面积中心 50 公里内没有国家级高新区")
            .is_some()
    );
}

/// Presses and releases the primary button at `position` with `modifiers` held.
fn click_with(
    harness: &mut Harness<'static, AtlasApp>,
    position: egui::Pos2,
    modifiers: egui::Modifiers,
) {
    harness.hover_at(position);
    harness.run();
    harness.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: position,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run();
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::default()));
    harness.run();
}

#[test]
fn counties_brushed_on_the_map_and_in_a_chart_are_the_same_counties() {
    let mut harness = harness();
    harness.get_by_label("区域比较").click();
    harness.run();
    // The panel narrows the map: fit Sichuan again (as 全省 does) so every county is in view.
    harness.state_mut().view.camera = None;
    harness.run();
    let position_of = |harness: &Harness<'static, AtlasApp>, name: &str| {
        let app = harness.state();
        let unit = unit_named(app, name);
        let anchor = app.workspace().geometry.labels().units[unit.index()].position;
        (
            unit,
            app.world_to_screen(anchor).expect("the map was drawn"),
        )
    };
    // Shift-click brushes without selecting; a second shift-click takes the county away.
    let (shiqu, at) = position_of(&harness, "石渠县");
    click_with(&mut harness, at, egui::Modifiers::SHIFT);
    assert_eq!(harness.state().brushed(), &[shiqu]);
    assert_eq!(harness.state().selected_unit(), None);
    assert!(harness.query_by_label_contains("刷选 1 个县区").is_some());
    let (huili, at) = position_of(&harness, "会理市");
    click_with(&mut harness, at, egui::Modifiers::SHIFT);
    assert_eq!(harness.state().brushed().len(), 2);
    let (_, at) = position_of(&harness, "石渠县");
    click_with(&mut harness, at, egui::Modifiers::SHIFT);
    assert_eq!(harness.state().brushed(), &[huili]);
    // A plain click selects and keeps the brush.
    click_with(&mut harness, at, egui::Modifiers::default());
    assert_eq!(harness.state().selected_unit(), Some(shiqu));
    assert_eq!(harness.state().brushed(), &[huili]);
    // Clicking a group's bar brushes the group's counties: with nothing selected the bars
    // are the five regions' means.
    harness.state_mut().view.selected = None;
    harness.get_by_label("清除刷选").click();
    harness.run();
    assert!(harness.state().brushed().is_empty());
    // The plot lies under its caption, across the chart column; its middle is the third
    // of the five bars (川东北经济区).
    let caption = harness.get_by_label_contains("各组均值").rect();
    let right = harness.ctx.content_rect().right();
    let at = egui::pos2((caption.left() + right) / 2.0, caption.bottom() + 125.0);
    click_with(&mut harness, at, egui::Modifiers::default());
    let northeast: Vec<_> = {
        let atlas = &harness.state().workspace().atlas;
        atlas
            .units()
            .iter()
            .filter(|u| u.region == county_atlas::atlas::EconomicRegion::ALL[2])
            .map(|u| u.id)
            .collect()
    };
    assert_eq!(harness.state().brushed(), &northeast[..]);
    assert!(
        harness
            .query_by_label_contains(&format!("刷选 {} 个县区", northeast.len()))
            .is_some()
    );
    // The brush is outlined on the map (and its snapshot-free check is the state: the frame
    // draws `brushed`); a histogram bin clicked replaces it.
    harness.get_by_label("直方图").click();
    harness.run();
    // Near the left of the plot, where the skewed densities crowd.
    let at = egui::pos2(caption.left() + (right - caption.left()) * 0.12, at.y);
    click_with(&mut harness, at, egui::Modifiers::default());
    let brushed = harness.state().brushed().to_vec();
    assert!(!brushed.is_empty() && brushed != northeast, "{brushed:?}");
}

#[test]
fn distance_rings_are_chosen_in_the_layers_panel_and_distances_mapped() {
    let mut harness = harness();
    harness.get_by_label("圆心").scroll_to_me();
    harness.run();
    harness.get_by_label("圆心").click();
    harness.run();
    harness.get_by_label("各经济区人口重心").click();
    harness.run();
    let rings = harness.state().view.doc.rings.clone().expect("rings drawn");
    assert_eq!(rings.around, county_atlas::scene::RingsAround::Regions);
    assert_eq!(rings.km, vec![50.0, 100.0, 200.0]);
    // Other radii as typed; a bad one says why and keeps the rings drawn.
    for (typed, km) in [("80, 160", vec![80.0, 160.0]), ("80, x", vec![80.0, 160.0])] {
        harness.get_by_label("半径(公里)").click();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.run();
        harness.get_by_label("半径(公里)").type_text(typed);
        harness.run();
        assert_eq!(harness.state().view.doc.rings.as_ref().unwrap().km, km);
    }
    assert!(
        harness
            .query_by_label_contains("半径请写成以逗号分隔的公里数")
            .is_some()
    );
    // The legend says what the rings are.
    let notes = harness.state().style().unwrap().legend.notes.clone();
    assert!(
        notes
            .iter()
            .any(|n| n.zh.contains("距各经济区人口重心 80、160 公里"))
    );
    click_scrolled(&mut harness, "距成都距离图");
    assert_eq!(harness.state().view.doc.map.layer, "distance:chengdu");
}

/// Clicks the index dialog's report `button` and runs until the reports are written; returns
/// what the dialog says of them.
fn write_reports_from(harness: &mut Harness<'static, AtlasApp>, button: &str) -> Option<String> {
    harness.get_by_label(button).click();
    // Single frames while the spinner turns, then until the window settles.
    for _ in 0..600 {
        harness.step();
        if !harness.state_mut().index_dialog().writing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    harness.run();
    harness.state_mut().index_dialog().report_message.clone()
}

#[test]
fn the_index_dialog_computes_maps_lists_and_writes_a_report() {
    let mut harness = harness();
    harness.get_by_label("创新指数…").click();
    harness.run();
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/innovation-foundations.toml"
    );
    harness.get_by_label("定义文件").click();
    harness.run();
    harness.get_by_label("定义文件").type_text(example);
    harness.run();
    harness.state_mut().index_dialog().draws = 200;
    harness.get_by_label("计算").click();
    harness.run();
    let message = harness.state_mut().index_dialog().message.clone();
    assert!(
        message.as_deref().is_some_and(|m| m.contains("183")),
        "{message:?}"
    );
    assert_eq!(harness.state().view.doc.map.layer, "index:score");
    assert!(
        harness
            .state()
            .workspace()
            .layer("index:rank_range")
            .is_some()
    );
    // The groups map from its button; a county's link selects it.
    harness.get_by_label("分级图").click();
    harness.run();
    assert_eq!(harness.state().view.doc.map.layer, "index:grade");
    harness.get_by_label("涪城区").click();
    harness.run();
    let fucheng = unit_named(harness.state(), "涪城区");
    assert_eq!(harness.state().selected_unit(), Some(fucheng));
    // Its profile lists the composite.
    assert!(
        harness
            .query_all_by_label_contains("县域创新基础指数(示例)")
            .next()
            .is_some()
    );
    // The selected county's report is written in the background.
    let dir = tempfile::tempdir().unwrap();
    harness.state_mut().index_dialog().report_dir = dir.path().display().to_string();
    harness.run();
    let said = write_reports_from(&mut harness, "所选县的报告");
    assert!(
        said.as_deref().is_some_and(|m| m.contains("1 份")),
        "{said:?}"
    );
    assert!(dir.path().join("510703_涪城区.pdf").is_file());
    // The five regions' and the province's reports, from their button.
    let said = write_reports_from(&mut harness, "经济区与全省报告");
    assert!(
        said.as_deref().is_some_and(|m| m.contains("6 份")),
        "{said:?}"
    );
    assert!(dir.path().join("510000_四川省.pdf").is_file());
    assert!(dir.path().join("region_panxi_攀西经济区.pdf").is_file());
    // A definition with a mistake says where and changes nothing on the map.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"x\"\nyear = 2020\n[[indicator]]\nlayer = \"nope\"\ndimension = \"a\"\n",
    )
    .unwrap();
    harness.state_mut().index_dialog().path = bad.display().to_string();
    harness.state_mut().compute_index();
    harness.run();
    let message = harness.state_mut().index_dialog().message.clone().unwrap();
    assert!(
        message.contains("bad.toml:3:") && message.contains("nope"),
        "{message}"
    );
    assert_eq!(harness.state().view.doc.map.layer, "index:grade");
}

#[test]
fn the_index_dialog_measures_progress_since_an_earlier_year() {
    let mut harness = harness();
    // A table of two years: R&D spending 2019 and 2020 of a few counties.
    open_table(&mut harness, "county_wide_gbk.csv");
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spend.toml");
    std::fs::write(
        &spec,
        "name = \"研发经费指数\"\nyear = 2020\n[[indicator]]\nlayer = \"user:R&D经费\"\ndimension = \"创新投入\"\n",
    )
    .unwrap();
    harness.get_by_label("创新指数…").click();
    harness.run();
    harness.state_mut().index_dialog().path = spec.display().to_string();
    harness.state_mut().index_dialog().draws = 0;
    harness.get_by_label("测算进步(进步县)").click();
    harness.run();
    assert!(harness.state_mut().index_dialog().compare);
    harness.get_by_label("计算").click();
    harness.run();
    let message = harness.state_mut().index_dialog().message.clone();
    let progress = harness.state().workspace().layer("index:progress");
    assert!(progress.is_some(), "{message:?}");
    // 锦江 stays first; the table says so in its progress column.
    let state = harness.state();
    let jinjiang = state.workspace().atlas.unit(unit_named(state, "锦江区"));
    let change = state
        .workspace()
        .layer("index:progress:rank_change")
        .unwrap();
    assert_eq!(
        change.value_for(jinjiang, 2020).map(|o| o.value),
        Some(0.0),
        "first both years"
    );
    assert!(harness.query_by_label("比 2019 年").is_some());
    assert!(harness.query_by_label("1 → 1 (+0)").is_some());
    harness.get_by_label("进步").click();
    harness.run();
    assert_eq!(harness.state().view.doc.map.layer, "index:progress");
}

#[test]
fn a_project_carries_its_index_and_computes_it_again_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    // A definition with classes from a table beside it; the table is gone when the project
    // opens again, and the classes come from the project.
    std::fs::write(
        dir.path().join("classes.csv"),
        "代码,类别\n510100,城市主城区\n川西北生态示范区,重点生态功能区县\n",
    )
    .unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/innovation-foundations.toml"
    ))
    .unwrap();
    let spec = dir.path().join("index.toml");
    std::fs::write(
        &spec,
        example.replace(
            "[[dimension]]\nname = \"创新投入\"",
            "[groups]\nby = \"classes.csv\"\n\n[[dimension]]\nname = \"创新投入\"",
        ),
    )
    .unwrap();
    let mut harness = harness();
    harness.state_mut().index_dialog().path = spec.display().to_string();
    harness.state_mut().index_dialog().draws = 100;
    harness.state_mut().compute_index();
    harness.run();
    harness.get_by_label("创新指数…").click();
    harness.run();
    harness.get_by_label("分级图").click();
    harness.run();
    let scores = |state: &AtlasApp| {
        let layer = state.workspace().layer("index:score").expect("the score");
        let column = layer.values.values().next().expect("a year");
        column
            .iter()
            .map(|o| o.as_ref().map(|o| o.value))
            .collect::<Vec<_>>()
    };
    let before = scores(harness.state());
    let project = dir.path().join("atlas-project.json");
    let project = project.to_str().unwrap();
    in_project_dialog(&mut harness, project, "保存项目");
    std::fs::remove_file(dir.path().join("classes.csv")).unwrap();
    std::fs::remove_file(&spec).unwrap();

    let mut other = self::harness();
    in_project_dialog(&mut other, project, "打开项目");
    let state = other.state();
    assert_eq!(
        state.view.doc.map.layer, "index:grade",
        "the view maps the index again"
    );
    assert_eq!(scores(state), before);
    let source = state.workspace().index_source().expect("the definition");
    assert_eq!(source.draws, Some((100, 1)));
    let classes = source.classes.as_ref().expect("the classes");
    assert_eq!(classes.classes.len(), 2);
    assert!(state.workspace().layer("index:rank_range").is_some());
    // A project without an index removes the one computed.
    let plain = dir.path().join("plain.json");
    let plain = plain.to_str().unwrap();
    let mut empty = self::harness();
    in_project_dialog(&mut empty, plain, "保存项目");
    let mut third = self::harness();
    third.state_mut().index_dialog().path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/innovation-foundations.toml"
    )
    .to_owned();
    third.state_mut().compute_index();
    third.run();
    assert!(third.state().workspace().layer("index:score").is_some());
    in_project_dialog(&mut third, plain, "打开项目");
    assert!(third.state().workspace().layer("index:score").is_none());
    assert!(third.state().workspace().index_source().is_none());
    assert_ne!(third.state().view.doc.map.layer, "index:score");
}
