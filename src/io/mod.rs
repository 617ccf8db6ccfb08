//! Reading users' files and writing files safely.

mod atomic;
pub mod county_table;
mod delimiter;
pub mod gdal_formats;
#[cfg(feature = "gdal")]
pub mod gdal_source;
mod geojson_table;
pub mod grouping_table;
pub mod index_spec;
pub mod input_file;
pub mod number;
pub mod point_list;
pub mod points_csv;
#[cfg(feature = "gdal")]
pub mod postgis_count;
pub mod project;
pub mod sidecar;
mod temporaries;
pub mod text;
pub mod workbook;

pub use atomic::{Special, WriteError, write_atomic};
pub use temporaries::remove_temporaries_on_signals;
