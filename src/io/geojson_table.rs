//! A GeoJSON file's feature properties as a table (the geojson crate; no GDAL needed): one
//! row per feature, one column per property name in the order the names first appear.

use std::collections::HashMap;

/// The properties as text cells.
#[derive(Clone, Debug, Default)]
pub(crate) struct Properties {
    /// Property names, in order of first appearance.
    pub headers: Vec<String>,
    /// Each feature's values (numbers in full, null and absent empty, objects as JSON).
    pub rows: Vec<Vec<String>>,
}

/// Whether a text is GeoJSON (a Feature or FeatureCollection), judged by its start.
pub(crate) fn is_geojson(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with('{')
        && (start.contains("\"FeatureCollection\"") || start.contains("\"Feature\""))
}

/// Reads the features' properties; the error is one line, never the file.
pub(crate) fn properties(text: &str) -> Result<Properties, String> {
    let geojson: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| {
        let mut message = e.to_string();
        // A nested or long error can quote much of the file: a line is enough.
        if message.chars().count() > 200 {
            message = message.chars().take(200).collect::<String>() + "…";
        }
        message
    })?;
    let features = match geojson {
        geojson::GeoJson::FeatureCollection(c) => c.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(_) => {
            return Err("只有几何,没有要素属性 / a bare geometry has no properties to read".into());
        }
    };
    let mut table = Properties::default();
    let mut column: HashMap<String, usize> = HashMap::new();
    for feature in &features {
        for name in feature.properties.iter().flat_map(|p| p.keys()) {
            if !column.contains_key(name) {
                column.insert(name.clone(), table.headers.len());
                table.headers.push(name.clone());
            }
        }
    }
    for feature in features {
        let mut row = vec![String::new(); table.headers.len()];
        for (name, value) in feature.properties.into_iter().flatten() {
            row[column[&name]] = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
        }
        table.rows.push(row);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_become_columns() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"adcode":"510104","n":3},"geometry":null},
            {"type":"Feature","properties":{"n":null,"name":"郫都区"},"geometry":null}]}"#;
        assert!(is_geojson(text));
        let table = properties(text).unwrap();
        assert_eq!(table.headers, ["adcode", "n", "name"]);
        assert_eq!(
            table.rows,
            [vec!["510104", "3", ""], vec!["", "", "郫都区"]]
        );
        assert!(properties(r#"{"type":"FeatureCollection","features":[{"#).is_err());
    }
}
