#![no_main]
//! The trainer's dataset reader (`trainer::data::parse`) on arbitrary bytes, against the default
//! dataset file: it refuses the file with a message, or every row it returns is one the model
//! can train on (every required field present, categories among the file's, numbers finite
//! within their constraints) and no more rows than the file has records.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static STUDENTS: LazyLock<model::Dataset> = LazyLock::new(|| {
    model::Dataset::from_json(include_str!("../../data/students.schema.json")).unwrap()
});

fuzz_target!(|data: &[u8]| {
    let dataset = &*STUDENTS;
    match trainer::data::parse(data, dataset) {
        Ok(rows) => {
            assert!(!rows.is_empty());
            let bytes = model::normalize_csv(data);
            let records = csv::ReaderBuilder::new()
                .flexible(true)
                .delimiter(model::csv_delimiter(&bytes))
                .from_reader(bytes.as_slice())
                .records()
                .count();
            assert!(rows.len() <= records, "{} rows from {records} records", rows.len());
            for row in &rows {
                assert!(row.line >= 2, "line {}", row.line);
                for field in &dataset.schema.fields {
                    let value = row.student.get(&field.name).expect("a required value");
                    if field.is_numeric() {
                        let v = row.number(&field.name).expect("a number");
                        let (lo, hi) = (field.constraints.minimum, field.constraints.maximum);
                        assert!(v.is_finite(), "{v}");
                        assert!(lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi), "{v}");
                    } else {
                        let allowed = field.category_values().unwrap();
                        assert!(allowed.iter().any(|c| c == value), "{value}");
                    }
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
