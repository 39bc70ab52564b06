//! Many students at once from a CSV file: the browser's batch page and `trainer predict` share
//! this code. A header is required; columns come in any order and extra columns are kept; the
//! target column is optional; UTF-8 with or without a BOM, CRLF or LF line ends, quoted fields.
//! Every input row gives exactly one output row: a bad row keeps its place with a message
//! naming its line, column and reason, and the good rows around it keep their predictions.

use crate::fields::label;
use crate::predict::{Missing, Predictor};
use crate::student::Student;

/// Problems with the file as a whole: nothing can be predicted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BatchError {
    #[error("the file is empty: a header line is required")]
    Empty,
    #[error("line 1: the header lacks the column(s) {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("line 1: column {0:?} appears more than once")]
    DuplicateColumn(String),
    #[error("line 1: {0}")]
    Header(String),
}

/// One input row and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    /// 0-based data row (the header is not a row).
    pub row: usize,
    /// 1-based line in the file where the row starts.
    pub line: u64,
    /// The fields as read, one per header column (padded or cut to the header's length).
    pub fields: Vec<String>,
    pub outcome: Result<Prediction, String>,
    /// The target column's value when the file has it and it parses as a number.
    pub actual: Option<f64>,
}

/// A prediction with its interval (when the model has one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A whole file's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub header: Vec<String>,
    pub rows: Vec<BatchRow>,
}

/// R² and MAE of the predictions against the file's own target column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchScores {
    /// Rows with both a prediction and a numeric target.
    pub n: usize,
    pub r2: f64,
    pub mae: f64,
}

/// CRLF line ends as LF (the csv crate reports lines after a CRLF row one short) and a
/// leading UTF-8 BOM removed.
pub fn normalize(bytes: &[u8]) -> Vec<u8> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(bytes[i]);
        }
        i += 1;
    }
    out
}

impl Predictor {
    /// Predicts every row of a CSV file; missing cells are imputed as the model's preprocessing
    /// says, bad cells make their row's error.
    pub fn predict_csv(&self, bytes: &[u8]) -> Result<Batch, BatchError> {
        let bytes = normalize(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| BatchError::Header(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(BatchError::Empty);
        }
        for (i, h) in header.iter().enumerate() {
            if !h.is_empty() && header[..i].contains(h) {
                return Err(BatchError::DuplicateColumn(h.clone()));
            }
        }
        let missing: Vec<String> = self
            .features()
            .iter()
            .map(|f| f.name())
            .filter(|name| !header.iter().any(|h| h == name))
            .map(str::to_owned)
            .collect();
        if !missing.is_empty() {
            return Err(BatchError::MissingColumns(missing));
        }
        let target = header.iter().position(|h| *h == self.bundle().target);
        let interval = self.bundle().interval.as_ref().map(|i| i.half_width);

        let mut rows = Vec::new();
        for (row, record) in reader.records().enumerate() {
            let (line, mut fields, problem) = match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    let fields: Vec<String> = record.iter().map(str::to_owned).collect();
                    let problem = (fields.len() != header.len()).then(|| {
                        format!(
                            "has {} fields, the header has {}",
                            fields.len(),
                            header.len()
                        )
                    });
                    (line, fields, problem)
                }
                Err(e) => (
                    e.position().map_or(0, |p| p.line()),
                    Vec::new(),
                    Some(e.to_string()),
                ),
            };
            let student: Student = header
                .iter()
                .zip(&fields)
                .map(|(h, v)| (h.clone(), v.clone()))
                .collect();
            let outcome = match problem {
                Some(p) => Err(format!("line {line}: {p}")),
                None => self
                    .predict_with(&student, Missing::Impute)
                    .map(|value| Prediction {
                        value,
                        low: interval.map(|h| value - h),
                        high: interval.map(|h| value + h),
                    })
                    .map_err(|e| {
                        let reasons: Vec<String> = e
                            .errors
                            .iter()
                            .map(|f| {
                                format!("column {} ({}): {}", f.field, label(&f.field), f.problem)
                            })
                            .collect();
                        format!("line {line}: {}", reasons.join("; "))
                    }),
            };
            let actual = target
                .and_then(|t| fields.get(t))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite());
            // Rectangular output: a short row is padded, a long row's surplus (already reported
            // in its error) is cut.
            fields.resize(header.len(), String::new());
            rows.push(BatchRow {
                row,
                line,
                fields,
                outcome,
                actual,
            });
        }
        Ok(Batch { header, rows })
    }
}

impl Batch {
    /// How many rows could not be predicted.
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_err()).count()
    }

    /// R² and MAE against the file's target column, when it has one with at least two usable
    /// rows.
    pub fn scores(&self) -> Option<BatchScores> {
        let pairs: Vec<(f64, f64)> = self
            .rows
            .iter()
            .filter_map(|r| Some((r.actual?, r.outcome.as_ref().ok()?.value)))
            .collect();
        if pairs.len() < 2 {
            return None;
        }
        let n = pairs.len() as f64;
        let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let sse: f64 = pairs.iter().map(|(t, p)| (t - p).powi(2)).sum();
        let sst: f64 = pairs.iter().map(|(t, _)| (t - mean).powi(2)).sum();
        let mae = pairs.iter().map(|(t, p)| (t - p).abs()).sum::<f64>() / n;
        Some(BatchScores {
            n: pairs.len(),
            r2: if sst > 0.0 { 1.0 - sse / sst } else { f64::NAN },
            mae,
        })
        .filter(|s| s.r2.is_finite())
    }

    /// The results as CSV: every input column, then `prediction`, `interval_low`,
    /// `interval_high` and `error`; one row per input row, in input order.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = self.header.clone();
        header.extend(["prediction", "interval_low", "interval_high", "error"].map(str::to_owned));
        w.write_record(&header).expect("writing to memory");
        let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        for r in &self.rows {
            let mut record = r.fields.clone();
            match &r.outcome {
                Ok(p) => record.extend([
                    p.value.to_string(),
                    number(p.low),
                    number(p.high),
                    String::new(),
                ]),
                Err(e) => record.extend([String::new(), String::new(), String::new(), e.clone()]),
            }
            w.write_record(&record).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
    }
}
