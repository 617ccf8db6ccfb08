//! The options that say which values a statistic reads (a built-in layer, or a column of the
//! user's table, in a year, optionally normalised), shared by `compare`, `stats` and `access`.

use super::map_args::MapArgs;
use clap::Args;
use county_atlas::analysis::mapped::Normalization;
use county_atlas::atlas::{Atlas, Layer};
use std::path::PathBuf;

/// Which values to analyse.
#[derive(Debug, Args)]
pub struct ValueArgs {
    /// Built-in layer id (see `county-atlas layers`).
    #[arg(long, conflicts_with = "data")]
    pub layer: Option<String>,
    /// Year (default: the layer's best-covered year).
    #[arg(long)]
    pub year: Option<i32>,
    /// none, population (per 10,000 residents) or area (per km²).
    #[arg(long, default_value = "none")]
    pub normalize: Normalization,
    /// Your own table instead of a built-in layer (CSV, Excel, GeoJSON, ...): rows keyed by
    /// adcode or county name.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The value column of --data; needed when the table has several.
    #[arg(long, requires = "data")]
    pub column: Option<String>,
    /// How to read --data.
    #[command(flatten)]
    pub table: super::table_args::TableArgs,
}

impl ValueArgs {
    /// The layer named (the user's table read into one, its report on stderr).
    pub fn layer(&self, atlas: &Atlas) -> anyhow::Result<Layer> {
        let map = MapArgs {
            layer: self.layer.clone(),
            year: self.year,
            method: "quantile".to_owned(),
            classes: 5,
            hinge: 1.5,
            breaks: None,
            normalize: self.normalize,
            palette: Default::default(),
            reverse: false,
            classes_per_year: false,
            data: self.data.clone(),
            column: self.column.clone(),
            table: self.table.clone(),
        };
        let resolved = map.resolve(atlas)?;
        Ok(resolved.layer(atlas)?.clone())
    }
}
