//! The county innovation index (县域创新能力监测, 川办发〔2018〕60号 item 十二): a composite of
//! indicators defined in a small TOML file ([`definition`]), computed as
//! docs/index-method.md sets out (the OECD/JRC Handbook's steps with COINr's defaults):
//! counties screened and outliers treated ([`prepare`], [`treatment`]), normalised values
//! aggregated into dimension and composite scores ([`aggregate`]), ranks, performance groups
//! and strengths ([`compute`]), and how much to trust each rank ([`uncertainty`]).

pub mod aggregate;
pub mod area_report;
pub mod compute;
pub mod definition;
pub mod inputs;
pub mod layers;
pub mod prepare;
pub mod progress;
pub mod report;
pub mod run;
pub mod stored;
pub mod table;
pub mod treatment;
pub mod uncertainty;

pub use compute::{Coverage, Grade, IndexResult, Standout, TargetSummary, WeightedMean, compute};
pub use definition::{
    Aggregation, DefinitionError, Dimension, Direction, Grades, Groups, IndexDefinition, Indicator,
    Method, Missing, Normalisation, Outliers, Per, Scope, Uncertainty,
};
pub use prepare::{Classes, IndexData};
pub use run::IndexRun;
pub use stored::{StoredClasses, StoredIndex};
pub use treatment::Treatment;
pub use uncertainty::{Engine, RankInterval, Scenario, Sensitivity};
