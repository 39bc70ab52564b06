#![no_main]
//! The trainer's dataset reader (`trainer::data::parse`) on arbitrary bytes: it refuses the file
//! with a message, or every row it returns is one the model can train on (allowed categories,
//! finite scores from 0 to 100) and no more rows than the file has records.

use libfuzzer_sys::fuzz_target;
use model::fields::{allowed_categories, CATEGORICAL_FIELDS};

fuzz_target!(|data: &[u8]| {
    match trainer::data::parse(data) {
        Ok(rows) => {
            assert!(!rows.is_empty());
            let bytes = model::normalize_csv(data);
            let records = csv::ReaderBuilder::new()
                .flexible(true)
                .delimiter(model::csv_delimiter(&bytes))
                .from_reader(bytes.as_slice())
                .records()
                .count();
            assert!(
                rows.len() <= records,
                "{} rows from {records} records",
                rows.len()
            );
            for row in &rows {
                assert!(row.line >= 2, "line {}", row.line);
                for s in row.scores {
                    assert!(s.is_finite() && (0.0..=100.0).contains(&s), "score {s}");
                }
                for name in CATEGORICAL_FIELDS {
                    let value = row.student.get(name).expect("a category");
                    assert!(allowed_categories(name).unwrap().contains(&value));
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
