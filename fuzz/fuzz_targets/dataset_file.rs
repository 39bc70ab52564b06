#![no_main]
//! The dataset-file reader (`Dataset::from_json`) on arbitrary bytes: it refuses the document
//! with a message, or hands back a dataset that validates again, writes back to JSON that reads
//! to the same dataset, and whose every field reads cells, becomes a feature (or says why not)
//! and, for a target, a target description, without panicking.

use libfuzzer_sys::fuzz_target;
use model::dataset::{Cell, Dataset, Observed};

/// Cell texts worth trying on every field.
const CELLS: [&str; 9] = ["", "NA", "0", "2.5", "85,5", "-1", "yes", "true", "x"];

fuzz_target!(|data: &[u8]| {
    let json = String::from_utf8_lossy(data);
    let dataset = match Dataset::from_json(&json) {
        Ok(d) => d,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    dataset.validate().expect("an accepted dataset validates again");
    let again = Dataset::from_json(&dataset.to_json_pretty()).expect("written back, it reads");
    assert_eq!(again.schema.fields.len(), dataset.schema.fields.len());
    for field in &dataset.schema.fields {
        let mut observed = Observed::default();
        for text in CELLS {
            if let Ok(Some(cell)) = dataset.read_cell(field, text) {
                if let Cell::Number(v) = cell {
                    assert!(v.is_finite());
                }
                observed.add(&cell);
            }
        }
        let _ = field.feature(&dataset, &observed);
        let _ = dataset.info(field);
    }
    for target in dataset.targets() {
        let _ = target.target_info(&dataset, &Observed::default());
        let _ = dataset.feature_fields(&target.name, &dataset.sensitive_names());
    }
    let _ = dataset.audited_columns();
    let _ = dataset.card();
});
