//! Reading users' files and writing files safely.

mod atomic;
mod csv_table;
pub mod number;
pub mod points_csv;
pub mod values_csv;

pub use atomic::write_atomic;
