//! Command-line arguments and dispatch. Each subcommand lives in its own file and writes to
//! the given output; errors go back to `main`, which prints them and exits non-zero.

mod access;
mod at;
mod check;
mod classify;
mod compare;
mod export;
mod index;
mod join;
mod layers;
mod map_args;
mod point_files;
mod profile;
mod report;
mod result_ids;
mod stats;
mod table_args;
mod units;
mod value_args;

use clap::{Parser, Subcommand};
use county_atlas::atlas::Atlas;
use county_atlas::crs::Crs;
use county_atlas::i18n::Lang;
use std::io::Write;
use std::path::PathBuf;

/// county-atlas: Sichuan's 183 county-level units, their indicators and designations.
/// Without a subcommand it opens the map window.
#[derive(Debug, Parser)]
#[command(
    name = "county-atlas",
    version,
    about = "Sichuan's 183 county-level units: indicators, designations, regions.\nWithout a subcommand it opens the map window.",
    long_about = None
)]
pub struct Cli {
    /// Language of the output and the window: zh (default) or en.
    #[arg(long, global = true, env = "COUNTY_ATLAS_LANG")]
    pub lang: Option<Lang>,

    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the 183 county-level units: adcode, name, prefecture, economic region.
    Units {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Name the county holding a point.
    #[command(allow_negative_numbers = true)]
    At {
        /// Longitude in degrees (east positive).
        lon: f64,
        /// Latitude in degrees (north positive).
        lat: f64,
        /// Coordinate system of the point: wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu).
        #[arg(long, default_value = "wgs84")]
        crs: Crs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a county's profile: identity, area, population, neighbours, every value with its source.
    Profile {
        /// Current or former name (郫都区, 郫县, 郫都), prefecture-qualified name (乐山市中区), or adcode.
        county: String,
        /// Also print the working notes on how each value was read and checked.
        #[arg(long)]
        details: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Count the points of a CSV file per county; prints CSV `adcode,name,count` for all 183.
    /// With the `gdal` feature, also the points of a Shapefile, GeoPackage, KML or PostGIS
    /// table (`"PG:host=... dbname=..." --table T`, counted on the server with --on-server).
    Join {
        /// CSV file with a header line (UTF-8 or GB18030), or a GDAL source.
        file: PathBuf,
        /// The layer or table of a GDAL source (default: the only one).
        #[arg(long)]
        table: Option<String>,
        /// Count inside PostGIS (the county polygons go to the server; 183 counts come back).
        #[arg(long = "on-server")]
        on_server: bool,
        /// Write each input row back with its county's adcode and name (empty outside
        /// Sichuan) instead of the counts.
        #[arg(long, conflicts_with = "by")]
        assign: bool,
        /// Count per county and per value of this column (a category such as 类型).
        #[arg(long)]
        by: Option<String>,
        /// The sheet of a workbook (.xlsx, .xls, .ods; default: the first with a header).
        #[arg(long)]
        sheet: Option<String>,
        /// Longitude column (guessed from lon, lng, longitude, x, 经度 when not given).
        #[arg(long = "lon-col")]
        lon_col: Option<String>,
        /// Latitude column (guessed from lat, latitude, y, 纬度 when not given).
        #[arg(long = "lat-col")]
        lat_col: Option<String>,
        /// Coordinate system of the file: wgs84, gcj02 or bd09.
        #[arg(long, default_value = "wgs84")]
        crs: Crs,
    },
    /// Classify a layer (or a column of your CSV) and print the breaks and class counts.
    Classify {
        /// What to classify.
        #[command(flatten)]
        map: map_args::MapArgs,
        /// Print JSON: method, breaks (inclusive upper bounds), counts.
        #[arg(long)]
        json: bool,
    },
    /// Export a briefing map (PNG, SVG or PDF): title, legend with counts, scale bar, north
    /// arrow, sources; one file, or every layer (--all-layers) and region (--by-region).
    Export(Box<export::ExportArgs>),
    /// Check a county table (CSV, Excel .xlsx/.xls/.ods, GeoJSON; with the gdal feature also
    /// Shapefile, GeoPackage, KML, PostGIS) as --data reads it: rows matched, rows unmatched
    /// with the closest names, wrong cells, coverage, the layers it gives.
    Check {
        /// The table.
        data: PathBuf,
        /// The value columns to read (repeatable; default: every numeric column).
        #[arg(long)]
        column: Vec<String>,
        /// The year of columns whose header names none, in a table without a year column.
        #[arg(long)]
        year: Option<i32>,
        /// How to read the table.
        #[command(flatten)]
        table: table_args::TableArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every built-in layer: id, name, unit, level, years, coverage, source.
    Layers {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare a layer across groups: the five economic regions, the prefectures, 一干 (成都)
    /// and the rest, or a grouping table of your own (county → group): sum, mean,
    /// population-weighted mean, median, extremes, coverage, ranks, and the gap to the
    /// policy's 2022 target where the layer is one.
    Compare {
        /// The values.
        #[command(flatten)]
        values: value_args::ValueArgs,
        /// region, prefecture, trunk, or a CSV/Excel file of county (adcode or name) → group.
        #[arg(long, default_value = "region")]
        by: String,
        /// A target of your own for the layer (in its unit), e.g. 55 for an S&T progress
        /// contribution of 55%.
        #[arg(long)]
        target: Option<f64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Print CSV.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// Also write a chart, to --out (SVG or PNG by its extension): means (the groups'
        /// means as bars, the province's dashed), boxes (a box plot per group), histogram (the
        /// distribution with the map's quantile breaks), moran (the Moran scatter plot, queen
        /// weights) or scatter:LAYER (the values against another county layer's, with r).
        #[arg(
            long,
            requires = "out",
            value_name = "means|boxes|histogram|moran|scatter:LAYER"
        )]
        chart: Option<compare::ChartChoice>,
        /// The chart's file (.svg or .png).
        #[arg(long, requires = "chart")]
        out: Option<PathBuf>,
    },
    /// Spatial statistics as PySAL computes them: moran (global Moran's I), lisa (local Moran
    /// with HH/LL/HL/LH), gstar (Getis-Ord G* hot and cold spots), inequality (Gini, Theil T
    /// and its between/within decomposition).
    Stats(Box<stats::StatsArgs>),
    /// The county innovation index (县域创新能力指数) of a definition file: composite and
    /// dimension scores, ranks overall, within the region and within the class, performance
    /// groups, strengths and weaknesses; with --uncertainty N, each county's median rank and
    /// 5–95% interval and the choices that move ranks most.
    Index(Box<index::IndexArgs>),
    /// The graded county report (分级报告) of an index: one A4 PDF per county (--county or
    /// --all) with its neighbourhood and locator maps, scores, ranks and rank interval,
    /// dimension bars against the region's and province's means, indicators, strengths and
    /// weaknesses, target gaps, neighbours, LISA quadrant and sources.
    Report(Box<report::ReportArgs>),
    /// Each county's distance to the nearest point of a point layer, the points within a
    /// radius, and the counties with none.
    Access {
        /// The point layer: an id of `county-atlas layers` (kind 点) or a point-list file.
        #[arg(long)]
        points: String,
        /// The radius, km.
        #[arg(long, default_value_t = 50.0)]
        within: f64,
        /// Print CSV, one row per county.
        #[arg(long)]
        csv: bool,
    },
}

/// Runs one subcommand.
pub fn run(command: Command, lang: Lang, out: &mut dyn Write) -> anyhow::Result<()> {
    // A PNG export's device starts opening before anything else: with the topology stored,
    // opening it takes longer than loading the atlas and building the geometry.
    let device = match &command {
        Command::Export(args) => export::open_device(args),
        _ => None,
    };
    let atlas = Atlas::builtin()?;
    match command {
        Command::Units { json } => units::run(&atlas, lang, json, out),
        Command::At {
            lon,
            lat,
            crs,
            json,
        } => at::run(&atlas, lang, [lon, lat], crs, json, out),
        Command::Profile {
            county,
            details,
            json,
        } => profile::run(&atlas, lang, &county, details, json, out),
        Command::Join {
            file,
            table,
            on_server,
            assign,
            by,
            sheet,
            lon_col,
            lat_col,
            crs,
        } => {
            let source = file.to_string_lossy().into_owned();
            if county_atlas::io::gdal_formats::is_gdal_source(&source) {
                join::run_gdal(&atlas, lang, &source, table.as_deref(), on_server, crs, out)
            } else if on_server || table.is_some() {
                anyhow::bail!(
                    "--table 与 --on-server 只用于 GDAL 数据源(如 PG:...)/ --table and --on-server apply to GDAL sources (PG:..., .gpkg, .shp)"
                )
            } else {
                let options = county_atlas::io::points_csv::PointsCsvOptions {
                    lon_column: lon_col,
                    lat_column: lat_col,
                    crs,
                    sheet,
                };
                let output = join::JoinOutput { assign, by };
                join::run(&atlas, lang, &file, &options, &output, out)
            }
        }
        Command::Layers { json } => layers::run(&atlas, lang, json, out),
        Command::Check {
            data,
            column,
            year,
            table,
            json,
        } => check::run(&atlas, &data, column, year, &table, json, out),
        Command::Classify { map, json } => classify::run(&atlas, lang, &map, json, out),
        Command::Export(args) => export::run(atlas, lang, &args, device),
        Command::Compare {
            values,
            by,
            target,
            json,
            csv,
            chart,
            out: chart_out,
        } => compare::run(
            &atlas,
            lang,
            &compare::CompareArgs {
                values: &values,
                by: &by,
                target,
                format: compare::OutputFormat::from_flags(json, csv),
                chart: chart.zip(chart_out),
            },
            out,
        ),
        Command::Stats(args) => stats::run(&atlas, lang, &args, out),
        Command::Index(args) => index::run(&atlas, lang, &args, out),
        Command::Report(args) => report::run(atlas, lang, &args),
        Command::Access {
            points,
            within,
            csv,
        } => access::run(atlas, lang, &points, within, csv, out),
    }
}

/// Writes a value as pretty JSON followed by a newline.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}
