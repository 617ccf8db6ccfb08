//! The county innovation index (县域创新能力监测, 川办发〔2018〕60号 item 十二): a composite of
//! indicators built, checked, mapped and reported in the atlas. This first part is the
//! index's definition ([`definition`]); the computation, its uncertainty and the county
//! reports build on it.

pub mod definition;

pub use definition::{
    Aggregation, DefinitionError, Dimension, Direction, IndexDefinition, Indicator, Method,
    Missing, Normalisation, Outliers,
};
