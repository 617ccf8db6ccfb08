//! Layers named by the statistic that makes them, so that the command line maps and exports
//! what the window's Compare panel adds: `lisa:LAYER[:WEIGHTS]` (the LISA cluster map),
//! `gstar:LAYER[:WEIGHTS]` (hot and cold spots), `access:POINTS` (each county's distance to
//! the nearest point), `within:POINTS:KM` (the points within KM of each county) and `distance:chengdu` or `distance:region` (to 成都's population centre,
//! or to the county's own region's). They are computed as the window computes them: 999 permutations, seed
//! 12345, p < 0.05, queen weights unless named.

use anyhow::Context;
use county_atlas::analysis::autocorrelation::{getis_ord, local_moran};
use county_atlas::analysis::mapped::{MappedValues, Normalization};
use county_atlas::analysis::result_layers::{Method, computed_layer, gstar_layer, lisa_layer};
use county_atlas::atlas::{Atlas, Layer, Level};
use county_atlas::spatial::{SpatialIndex, SpatialWeights, WeightsKind};

const PERMUTATIONS: usize = 999;
const SEED: u64 = 12345;
const ALPHA: f64 = 0.05;

/// The layer a result id names, computed; `None` when `id` names no result.
pub fn result_layer(atlas: &Atlas, id: &str) -> Option<anyhow::Result<Layer>> {
    if ["access:", "within:", "distance:"]
        .iter()
        .any(|p| id.starts_with(p))
    {
        let index = SpatialIndex::build(atlas);
        return computed_layer(atlas, &index, id)
            .map(|r| r.map_err(|t| anyhow::anyhow!("{} / {}", t.zh, t.en)));
    }
    let (hot_spots, rest) = match (id.strip_prefix("lisa:"), id.strip_prefix("gstar:")) {
        (Some(rest), _) => (false, rest),
        (_, Some(rest)) => (true, rest),
        _ => return None,
    };
    Some(local_layer(atlas, rest, hot_spots).with_context(|| format!("--layer {id}")))
}

/// Splits "LAYER[:WEIGHTS]" (a weights spec may hold a colon itself: knn:6).
fn layer_and_weights<'a>(atlas: &'a Atlas, rest: &str) -> anyhow::Result<(&'a Layer, WeightsKind)> {
    if let Some(layer) = atlas.layer(rest) {
        return Ok((layer, WeightsKind::Queen));
    }
    let colons: Vec<usize> = rest.match_indices(':').map(|(i, _)| i).collect();
    for &at in colons.iter().rev().take(2) {
        if let (Some(layer), Ok(weights)) = (atlas.layer(&rest[..at]), rest[at + 1..].parse()) {
            return Ok((layer, weights));
        }
    }
    anyhow::bail!(
        "“{rest}”不是内置图层(可加权重,如 professional_share:knn:6) / '{rest}' names no built-in layer (weights may follow, e.g. professional_share:knn:6)"
    )
}

fn local_layer(atlas: &Atlas, rest: &str, hot_spots: bool) -> anyhow::Result<Layer> {
    let (source, weights_kind) = layer_and_weights(atlas, rest)?;
    if source.level == Level::Prefecture {
        anyhow::bail!(
            "图层“{0}”是市级数据:局部统计需要每县一个值 / layer '{0}' holds prefecture values: local statistics need a value per county",
            source.id
        );
    }
    let mapped = MappedValues::new(atlas, source, None, Normalization::None)?;
    let (units, values) = mapped.with_values();
    let index = SpatialIndex::build(atlas);
    let weights = SpatialWeights::build(&index, &units, weights_kind);
    let method = Method {
        source,
        year: mapped.year,
        weights: weights_kind,
        permutations: PERMUTATIONS,
        seed: SEED,
        cut: ALPHA,
        fdr: false,
    };
    Ok(if hot_spots {
        let result = getis_ord(&values, &weights, true, PERMUTATIONS, SEED)?;
        gstar_layer(atlas, &units, &result, &method)
    } else {
        let result = local_moran(&values, &weights, PERMUTATIONS, SEED)?;
        lisa_layer(atlas, &units, &result, &method)
    })
}
