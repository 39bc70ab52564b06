#![no_main]
//! The batch page end to end: arbitrary bytes as a CSV file through every model of the
//! committed `assets/model.json`. Either the file is refused as a whole, or every record comes
//! out as one row (counted here independently, reading the bytes as the batch code reads
//! them: BOM dropped, CRLF as LF, the header line's separator, a header, rows of any length),
//! every prediction and interval bound is finite, and the results' CSV reads back with the same
//! rows.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use model::Predictors;

static SET: LazyLock<Predictors> = LazyLock::new(|| {
    Predictors::from_json(include_str!("../../assets/model.json")).expect("assets/model.json")
});

/// The data records of `bytes` (the header is not one), errors included.
fn records(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut lf = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            lf.push(b);
        }
    }
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(model::csv_delimiter(&lf))
        .from_reader(lf.as_slice())
        .records()
        .count()
}

fuzz_target!(|data: &[u8]| {
    let mut expected = None;
    for predictor in SET.iter() {
        let Ok(batch) = predictor.predict_csv(data) else {
            continue;
        };
        let n = *expected.get_or_insert_with(|| records(data));
        assert_eq!(batch.rows.len(), n, "one row out per record in");
        for (i, row) in batch.rows.iter().enumerate() {
            assert_eq!(row.row, i);
            assert_eq!(row.fields.len(), batch.header.len());
            if let Ok(p) = &row.outcome {
                assert!(p.value.is_finite(), "row {i}: prediction {}", p.value);
                for bound in [p.low, p.high].into_iter().flatten() {
                    assert!(bound.is_finite(), "row {i}: interval bound {bound}");
                }
                if let (Some(low), Some(high)) = (p.low, p.high) {
                    assert!(low <= p.value && p.value <= high);
                }
            }
            assert!(row.actual.is_none_or(f64::is_finite));
        }
        if let Ok(s) = batch.scores() {
            assert!(s.r2.is_finite() && s.mae.is_finite());
        }
        let out = batch.to_csv();
        let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
        let width = batch.header.len() + 5;
        assert_eq!(reader.headers().expect("results header").len(), width);
        let back: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .expect("the results CSV reads back");
        assert_eq!(back.len(), batch.rows.len(), "results CSV rows");
    }
});
