//! A stand-in for `describe.rs` (the `dataset` branch): the same signature, the simplest
//! inference. Every column whose non-empty cells are all numbers is numeric (`integer` when
//! they are all whole), every other one a string column whose categories are the data's.
//! Delete this file when `describe.rs` is merged.

use model::dataset::{Field, FieldType, Roles, TableSchema};
use model::Dataset;

/// Why a dataset file cannot be inferred from a CSV.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InferError(pub String);

/// The dataset file of the CSV `bytes`, with `targets` as its targets.
pub fn infer(bytes: &[u8], targets: &[String]) -> Result<Dataset, InferError> {
    let text = crate::data::text_bytes(bytes).map_err(|e| InferError(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(model::csv_delimiter(&text))
        .from_reader(text.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InferError(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut numeric = vec![true; header.len()];
    let mut whole = vec![true; header.len()];
    for record in reader.records() {
        let record = record.map_err(|e| InferError(e.to_string()))?;
        for (i, cell) in record.iter().enumerate().take(header.len()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match model::text::read_number(cell) {
                Some(v) => whole[i] &= v.fract() == 0.0,
                None => numeric[i] = false,
            }
        }
    }
    let fields = header
        .iter()
        .enumerate()
        .map(|(i, name)| Field {
            name: name.clone(),
            title: None,
            description: None,
            kind: match (numeric[i], whole[i]) {
                (true, true) => FieldType::Integer,
                (true, false) => FieldType::Number,
                _ => FieldType::String,
            },
            constraints: Default::default(),
            categories: None,
            categories_ordered: false,
            true_values: None,
            false_values: None,
            missing_values: None,
            unit: None,
            step: None,
            group: None,
            aliases: Vec::new(),
        })
        .collect();
    let dataset = Dataset {
        schema: TableSchema {
            fields,
            missing_values: vec![String::new()],
        },
        roles: Roles {
            targets: targets.to_vec(),
            ..Roles::default()
        },
        ..Dataset::default()
    };
    dataset.validate().map_err(|e| InferError(e.to_string()))?;
    Ok(dataset)
}
