//! One computed index with everything shown about it: the definition, the values it was
//! computed from, the result, the rank intervals where asked, and what its inputs cite. The
//! window's index panel, the `index` and `report` commands and the index's map layers all
//! read this.

use super::compute::{IndexResult, compute};
use super::definition::{DefinitionError, IndexDefinition};
use super::inputs::{LayerLookup, citations, index_data, indicator_layer, normalization_of};
use super::prepare::IndexData;
use super::progress::Progress;
use super::uncertainty::{Engine, RankInterval, Sensitivity};
use crate::analysis::grouping::Grouping;
use crate::analysis::mapped::normalized_texts;
use crate::atlas::{Atlas, Citation};
use crate::i18n::Text;

/// A computed index.
#[derive(Clone, Debug)]
pub struct IndexRun {
    /// What was computed.
    pub definition: IndexDefinition,
    /// The values it was computed from.
    pub data: IndexData,
    /// The county classes of `[groups]`.
    pub classes: Option<Grouping>,
    /// The result.
    pub result: IndexResult,
    /// Per county, its rank interval over the Monte Carlo draws, where they were run.
    pub intervals: Option<Vec<Option<RankInterval>>>,
    /// Which choices move ranks most, where the draws were run.
    pub sensitivity: Vec<Sensitivity>,
    /// The draws and seed, where they were run.
    pub draws: Option<(usize, u64)>,
    /// What the indicators cite.
    pub citations: Vec<Citation>,
    /// Each indicator's layer name (with "per 10,000 residents" where divided).
    pub indicator_names: Vec<Text>,
    /// Each indicator's unit.
    pub indicator_units: Vec<Text>,
    /// The name of each indicator's `mean_weight` layer, where it has one.
    pub mean_weight_names: Vec<Option<Text>>,
    /// Each county's change since an earlier year, where one was asked for.
    pub progress: Option<Progress>,
}

impl IndexRun {
    /// Computes `definition` on the layers `layer_of` finds, with the uncertainty analysis's
    /// `draws` and seed where given.
    pub fn new<'a>(
        atlas: &Atlas,
        layer_of: &LayerLookup<'a>,
        definition: IndexDefinition,
        classes: Option<Grouping>,
        draws: Option<(usize, u64)>,
    ) -> Result<Self, DefinitionError> {
        let data = index_data(atlas, layer_of, &definition, classes.as_ref())?;
        let result = compute(&definition, &data)?;
        let (intervals, sensitivity) = match draws {
            Some((n, seed)) => {
                let engine = Engine::new(&definition, &data)?;
                (Some(engine.monte_carlo(n, seed)), engine.sensitivity())
            }
            None => (None, Vec::new()),
        };
        let citations = citations(atlas, layer_of, &definition);
        let mut indicator_names = Vec::new();
        let mut indicator_units = Vec::new();
        for (i, indicator) in definition.indicators.iter().enumerate() {
            let layer = indicator_layer(&definition, i, layer_of)?;
            let (name, unit) = normalized_texts(layer, normalization_of(indicator.per));
            indicator_names.push(name);
            indicator_units.push(unit);
        }
        let mean_weight_names = definition
            .indicators
            .iter()
            .map(|i| {
                let id = i.mean_weight.as_ref()?;
                Some(
                    layer_of(id)
                        .map_or_else(|| Text::new(id.clone(), id.clone()), |l| l.name.clone()),
                )
            })
            .collect();
        Ok(IndexRun {
            definition,
            data,
            classes,
            result,
            intervals,
            sensitivity,
            draws,
            citations,
            indicator_names,
            indicator_units,
            mean_weight_names,
            progress: None,
        })
    }

    /// The province against indicator `i`'s target, in a sentence: the plain mean, how many
    /// counties reach it, and the weighted mean where the definition asks for one.
    pub fn target_text(&self, i: usize) -> Option<Text> {
        let summary = self.result.targets.get(i)?.as_ref()?;
        let unit = &self.indicator_units[i];
        let mut text = Text::new(
            format!(
                "全省平均 {} {}(各县等权),{}/{} 县达标",
                crate::format::number(summary.mean, 2),
                unit.zh,
                summary.reached,
                summary.of
            ),
            format!(
                "provincial mean {} {} (counties weighted equally), {} of {} counties reach it",
                crate::format::number(summary.mean, 2),
                unit.en,
                summary.reached,
                summary.of
            ),
        );
        if let (Some(w), Some(Some(name))) = (&summary.weighted, self.mean_weight_names.get(i)) {
            let mean = w.mean.map_or_else(
                || ("无数据".to_owned(), "no data".to_owned()),
                |m| {
                    let m = crate::format::number(m, 2);
                    (format!("{m} {}", unit.zh), format!("{m} {}", unit.en))
                },
            );
            text.zh
                .push_str(&format!(";按{}加权 {}({} 县)", name.zh, mean.0, w.of));
            text.en.push_str(&format!(
                "; weighted by {}: {} ({} counties)",
                name.en, mean.1, w.of
            ));
        }
        Some(text)
    }

    /// Measures progress since `from_year` against `then`, this definition computed for that
    /// year: the changes go into the table, the reports and the `index:progress` layers.
    pub fn set_progress(&mut self, from_year: i32, then: &IndexResult) {
        self.progress = Some(Progress::new(
            &self.definition,
            from_year,
            &self.result,
            then,
        ));
    }

    /// The indicators' sources for a page: the official documents first, then the addresses
    /// where copies were read, each once.
    pub fn sources(&self) -> Vec<String> {
        let mut sources: Vec<String> = Vec::new();
        let documents = self
            .citations
            .iter()
            .filter_map(|c| c.document.as_ref().map(|d| d.cite()));
        let addresses = self.citations.iter().filter_map(|c| c.address.clone());
        for source in documents.chain(addresses) {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        sources
    }

    /// How many counties are scored.
    pub fn scored(&self) -> usize {
        self.result.scored.iter().filter(|s| **s).count()
    }
}
