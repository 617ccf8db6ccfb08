//! The options that say what a map shows, shared by `classify` and `export`.

use anyhow::{Context, bail};
use clap::Args;
use county_atlas::analysis::classify::{ClassifyError, Method};
use county_atlas::analysis::mapped::Normalization;
use county_atlas::atlas::{Atlas, Layer};
use county_atlas::io::county_table::read_county_table;
use county_atlas::scene::{MapSpec, Palette};
use std::path::PathBuf;

/// What to map and how to classify it.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Built-in layer id (see `county-atlas layers`); not with --data, except an index layer
    /// of `export --index`.
    #[arg(long)]
    pub layer: Option<String>,
    /// Year (default: the layer's best-covered year).
    #[arg(long)]
    pub year: Option<i32>,
    /// quantile, equal-interval, fisher-jenks, std-mean, box or manual.
    #[arg(long, default_value = "quantile")]
    pub method: String,
    /// Number of classes, 2 to 12 (quantile, equal-interval, fisher-jenks).
    #[arg(long, default_value_t = 5, value_parser = class_count)]
    pub classes: usize,
    /// Box map fences, in inter-quartile ranges (1.5 or 3.0).
    #[arg(long, default_value_t = 1.5)]
    pub hinge: f64,
    /// Upper bounds for the manual method, e.g. 100,500,1000.
    #[arg(long, value_delimiter = ',')]
    pub breaks: Option<Vec<f64>>,
    /// none, population (per 10,000 residents) or area (per km²).
    #[arg(long, default_value = "none")]
    pub normalize: Normalization,
    /// ColorBrewer scheme (YlOrRd, Blues, RdBu, ...).
    #[arg(long, default_value = "YlOrRd")]
    pub palette: Palette,
    /// Run the palette the other way.
    #[arg(long)]
    pub reverse: bool,
    /// Classes from the mapped year alone (default: a layer of several years is classified
    /// over all its years, so that colours compare between years).
    #[arg(long = "classes-per-year")]
    pub classes_per_year: bool,
    /// Your own table instead of a built-in layer (CSV, or an Excel .xlsx/.xls or .ods
    /// workbook): rows keyed by adcode or county name; `county-atlas check FILE` reports how
    /// it reads.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The value column of --data (or its indicator, for a wide table with years in the
    /// headers); needed when the table has several.
    #[arg(long, requires = "data")]
    pub column: Option<String>,
    /// How to read --data.
    #[command(flatten)]
    pub table: super::table_args::TableArgs,
}

/// The layer the arguments name (a built-in one, or the user's file read into one) and the
/// map specification.
pub struct ResolvedMap {
    /// The layer read from --data, if that is where it comes from.
    pub user_layer: Option<Layer>,
    /// The specification (its `layer` names the built-in layer or the user's).
    pub spec: MapSpec,
}

impl ResolvedMap {
    /// The layer mapped: the user's, or the atlas's.
    pub fn layer<'a>(&'a self, atlas: &'a Atlas) -> anyhow::Result<&'a Layer> {
        match &self.user_layer {
            Some(layer) => Ok(layer),
            None => atlas
                .layer(&self.spec.layer)
                .with_context(|| not_a_layer(atlas, &self.spec.layer)),
        }
    }
}

impl MapArgs {
    /// Resolves the layer and builds the specification; reports skipped rows of --data on stderr.
    pub fn resolve(&self, atlas: &Atlas) -> anyhow::Result<ResolvedMap> {
        let (layer, user_layer) = match (&self.layer, &self.data) {
            (Some(id), Some(path)) => bail!(
                "--layer {id} 与 --data {0} 只能选一个:表格的列用 --column 选 / --layer {id} and --data {0}: choose one; --column picks a column of the table",
                path.display()
            ),
            // A designation list is mapped as its own categorical layer.
            (Some(id), _) if atlas.layer(id).is_none() && atlas.designation(id).is_some() => {
                let layer = atlas.designation(id).map(|d| d.as_layer(atlas));
                let spec =
                    self.spec_for(layer.as_ref().context("图层已不存在 / the layer is gone")?)?;
                return Ok(ResolvedMap {
                    user_layer: layer,
                    spec,
                });
            }
            // A statistic's result (lisa:…, gstar:…, access:…) is computed into a layer.
            (Some(id), _) if atlas.layer(id).is_none() => {
                match super::result_ids::result_layer(atlas, id) {
                    Some(layer) => {
                        let layer = layer?;
                        let spec = self.spec_for(&layer)?;
                        return Ok(ResolvedMap {
                            user_layer: Some(layer),
                            spec,
                        });
                    }
                    None => bail!(not_a_layer(atlas, id)),
                }
            }
            (Some(id), _) => (
                atlas.layer(id).with_context(|| not_a_layer(atlas, id))?,
                None,
            ),
            (None, Some(path)) => {
                let read =
                    read_county_table(path, atlas, &self.table.options(Vec::new(), self.year))?;
                // Which indicator first: a table read right but asked for the wrong column needs
                // no report, only the indicators it gives.
                let layer = match &self.column {
                    Some(column) => read.layer_for_column(column).with_context(|| {
                        format!(
                            "{}: 没有名为“{column}”的数值列 / no numeric column '{column}'; the table gives: {}",
                            path.display(),
                            indicator_list(&read.report)
                        )
                    })?,
                    None if read.layers.len() == 1 => &read.layers[0],
                    None => bail!(
                        "{}: 表中有多个指标,请用 --column 选择 / the table gives several indicators: {}; choose one with --column",
                        path.display(),
                        indicator_list(&read.report)
                    ),
                };
                super::table_args::write_report(&read.report, &mut std::io::stderr())?;
                if layer.values.values().all(|v| v.iter().all(Option::is_none)) {
                    bail!(
                        "{}: “{}”没有任何县的数值;请检查键列(“{}”)是否为区划代码或县名 / no row gives a value for a county in '{}'; check that the key column ('{}') holds adcodes or county names",
                        path.display(),
                        layer.name.zh,
                        read.report.key_columns.join("”/“"),
                        layer.name.zh,
                        read.report.key_columns.join("', '")
                    );
                }
                let layer = layer.clone();
                let spec = self.spec_for(&layer)?;
                return Ok(ResolvedMap {
                    user_layer: Some(layer),
                    spec,
                });
            }
            (None, None) => bail!(
                "请给出 --layer ID,或 --data FILE.csv --column NAME / give --layer ID or --data FILE.csv --column NAME"
            ),
        };
        let spec = self.spec_for(layer)?;
        Ok(ResolvedMap { user_layer, spec })
    }

    /// Every layer with values that --data gives (for a batch), its report on stderr.
    pub fn user_layers(&self, atlas: &Atlas) -> anyhow::Result<Vec<Layer>> {
        let path = self
            .data
            .as_ref()
            .context("需要 --data FILE / --data FILE is needed")?;
        let read = read_county_table(path, atlas, &self.table.options(Vec::new(), self.year))?;
        super::table_args::write_report(&read.report, &mut std::io::stderr())?;
        let layers: Vec<Layer> = read
            .layers
            .into_iter()
            .filter(|l| l.values.values().any(|v| v.iter().any(Option::is_some)))
            .collect();
        if layers.is_empty() {
            bail!(
                "{}: 没有任何县的数值 / no row gives a value for a county; check the key columns ({})",
                path.display(),
                read.report.key_columns.join(", ")
            );
        }
        Ok(layers)
    }

    /// The specification for mapping `layer` with these options.
    pub fn spec_for(&self, layer: &Layer) -> anyhow::Result<MapSpec> {
        let method = Method::parse(&self.method, self.hinge, self.breaks.clone()).map_err(|e| {
            // The library's message serves the window too; the flag is the command line's.
            match e {
                ClassifyError::ManualWithoutBreaks => anyhow::anyhow!(
                    "手动分级需要断点,命令行写法:--breaks 100,500,1000 / the manual method needs breaks, e.g. 100, 500, 1000; on the command line: --breaks 100,500,1000"
                ),
                e => e.into(),
            }
        })?;
        if self.breaks.is_some() && !matches!(method, Method::Manual { .. }) {
            bail!("--breaks 只用于 --method manual / --breaks applies to --method manual only");
        }
        Ok(MapSpec {
            layer: layer.id.clone(),
            year: self.year,
            normalization: self.normalize,
            method,
            classes: self.classes,
            palette: self.palette,
            reversed: self.reverse,
            labels: Vec::new(),
            breaks_from: None,
            classes_per_year: self.classes_per_year,
        })
    }
}

/// The indicators a table gives, for messages: "R&D经费 (R&D经费2019, R&D经费2020), 企业数".
fn indicator_list(report: &county_atlas::io::county_table::Report) -> String {
    report
        .layers
        .iter()
        .map(|l| {
            if l.columns.len() == 1 && l.columns[0] == l.name {
                l.name.clone()
            } else {
                format!("{} ({})", l.name, l.columns.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why `id` cannot be mapped: a point layer (which `layers` lists beside the layers with
/// values), or nothing built in.
pub fn not_a_layer(atlas: &Atlas, id: &str) -> String {
    if atlas.point_layers().iter().any(|p| p.id == id) {
        format!(
            "“{id}”是点图层,不是每县一个数值的图层:请用 --points {id} 叠加在地图上,或绘制 \
             `county-atlas layers` 中的数值、分类或名单图层 / '{id}' is a point layer (点), not a \
             layer with a value per county: draw it over a map with --points {id}, or map the \
             layers of `county-atlas layers` that are numeric (数值), categorical (分类) or lists (名单)"
        )
    } else {
        format!(
            "没有内置图层“{id}”;运行 `county-atlas layers` 可列出全部 / no built-in layer '{id}'; run `county-atlas layers` to list them"
        )
    }
}

/// `--classes`, held to [`CLASS_COUNTS`](county_atlas::analysis::classify::CLASS_COUNTS) before
/// anything is computed.
fn class_count(text: &str) -> Result<usize, String> {
    let range = county_atlas::analysis::classify::CLASS_COUNTS;
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|k| range.contains(k))
        .ok_or_else(|| {
            format!(
                "须为 {} 到 {} 的整数 / must be a whole number from {} to {}",
                range.start(),
                range.end(),
                range.start(),
                range.end()
            )
        })
}
