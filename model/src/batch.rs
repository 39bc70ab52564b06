//! Many students at once from a CSV file: the browser's batch page and `trainer predict` share
//! this code. A header is required; columns come in any order and extra columns are kept; the
//! target column is optional; UTF-8 with or without a BOM, CRLF or LF line ends, quoted fields.
//! The separator is the header line's ([`delimiter`]: comma, semicolon or tab, as spreadsheets
//! save in their locales); header cells name columns as [`crate::fields`] says (by the model
//! features' names, labels and aliases: `math score`, `Reading score`), categories match in
//! any case, and numbers are read by [`crate::text::read_number`] (`85,5` is 85.5).
//! Every input row gives exactly one output row: a bad row keeps its place with a message
//! naming its line, column and reason, and the good rows around it keep their predictions.
//!
//! Blanks follow one rule: an empty feature cell is filled by the model's preprocessing (the
//! training median or most frequent value) and the row's [`BatchRow::notes`] say which field
//! and with what; [`Missing::Reject`] refuses such rows instead. A row whose feature cells are
//! all empty is an error naming its line.

use crate::columns::Columns;
use crate::fields::{absent_column, find_column, AbsentColumn, AmbiguousColumn, Column};
use crate::predict::{Estimate, Filled, Missing, Predictor};
use crate::student::Student;
use crate::text::read_number;

/// How many rows with both a prediction and a target value R² and MAE need.
pub const MIN_SCORED_ROWS: usize = 10;

/// Problems with the file as a whole: nothing can be predicted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BatchError {
    #[error("the file is empty: a header line is required")]
    Empty,
    /// Each with the header cell most like it, when one is close.
    #[error("line 1: the header lacks the column(s) {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    MissingColumns(Vec<AbsentColumn>),
    #[error("line 1: column {0:?} appears more than once")]
    DuplicateColumn(String),
    #[error("line 1: {0}")]
    AmbiguousColumn(AmbiguousColumn),
    #[error("line 1: {0}")]
    Header(String),
    #[error("the file has a header but no rows")]
    NoRows,
    /// A spreadsheet's own file (an .xlsx or .ods is a zip archive, an .xls an OLE file; or a
    /// file named so), which a CSV reader cannot read.
    #[error("the file is a spreadsheet (.xlsx, .xls or .ods), not a CSV file: save it as CSV (UTF-8) and choose it again")]
    Spreadsheet,
    /// Text in UTF-16 (a byte-order mark, or a NUL beside every other byte), as some
    /// spreadsheets save "Unicode text".
    #[error("the file is UTF-16 text: save it as CSV (UTF-8) and choose it again")]
    Utf16,
    /// Invalid UTF-8 or a NUL byte: an image or another binary file.
    #[error("the file is not text (byte {byte} {reason}): a CSV file is expected")]
    NotText {
        /// 1-based position of the first offending byte.
        byte: usize,
        reason: &'static str,
    },
}

/// Why a batch has no R² and MAE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoScores {
    #[error(
        "{n} row(s) have both a prediction and a numeric target value; \
         R² and MAE need at least {MIN_SCORED_ROWS}"
    )]
    TooFewRows { n: usize },
    #[error("every target value is the same, so R² is undefined")]
    ConstantTarget,
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
    /// The empty cells of a predicted row that the model's preprocessing filled in, in feature
    /// order (shown as "Reading score empty: used 70, the training median").
    pub notes: Vec<Filled>,
}

impl BatchRow {
    /// The notes as one text, `"; "` between them (empty when nothing was filled in).
    pub fn note(&self) -> String {
        self.notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What a row with filled-in values says of its interval.
///
/// Chosen over widening the interval: the trainer calibrated the interval on out-of-fold
/// residuals of complete rows, and the model format carries nothing on how much a filled-in
/// value (a median, a most frequent category) adds to the error. A wider interval made up here
/// would claim a coverage no one measured; saying plainly that the interval leaves the filled
/// values out is true.
pub const INTERVAL_CAVEAT: &str = "the interval does not account for the filled-in values";

impl BatchRow {
    /// [`INTERVAL_CAVEAT`] for a predicted row with an interval and filled-in values.
    pub fn interval_caveat(&self) -> Option<&'static str> {
        let interval = self.outcome.as_ref().is_ok_and(|p| p.low.is_some());
        (interval && !self.notes.is_empty()).then_some(INTERVAL_CAVEAT)
    }
}

/// A prediction with its interval (when the model has one), limited to the target's range.
pub type Prediction = Estimate;

/// A whole file's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub header: Vec<String>,
    /// The cell each feature was read from and the target's (as the header named them or a
    /// [`crate::ColumnPlan`] chose them).
    pub columns: Columns,
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

/// The separator of a CSV file, read from its header line (the first line that is not empty,
/// up to its first line end outside quotes): the most frequent of `,`, `;` and tab outside
/// quotes; on a tie the first of them in that order, `,` when the line has none.
pub fn delimiter(bytes: &[u8]) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let (mut quoted, mut started) = (false, false);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if started {
                    break;
                }
                continue;
            }
            _ if !quoted => {
                if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[k] += 1;
                }
            }
            _ => {}
        }
        started = true;
    }
    let mut best = 0;
    for k in 1..CANDIDATES.len() {
        if counts[k] > counts[best] {
            best = k;
        }
    }
    CANDIDATES[best]
}

/// The file's own line (1-based) where the record at `position` starts. The csv reader gives
/// the line and byte where it began looking for the record, so empty lines skipped before it
/// would count one line short each ("line 9" for a row on line 10): they are counted here.
/// Line ends inside quoted fields are counted by the reader itself. `bytes` are [`normalize`]d
/// (a CR alone still ends a line, as the reader reads it).
fn physical_line(bytes: &[u8], position: &csv::Position) -> u64 {
    let from = (position.byte() as usize).min(bytes.len());
    let mut skipped = 0;
    for &b in &bytes[from..] {
        match b {
            b'\n' | b'\r' => skipped += 1,
            _ => break,
        }
    }
    position.line() + skipped
}

/// Whether a file named `name` is a spreadsheet's own file by its extension (`.xlsx`, `.xlsm`,
/// `.xls`, `.ods`, `.numbers`, in any case): the page refuses it with
/// [`BatchError::Spreadsheet`] before reading it.
pub fn spreadsheet_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".numbers"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A spreadsheet or UTF-16 file, told by its first bytes: a zip archive (`PK`, .xlsx and .ods),
/// an OLE compound file (.xls), a UTF-16 byte-order mark, or a NUL in every other byte of the
/// first ones (UTF-16 without a mark: ASCII letters with a zero byte beside each).
fn foreign(bytes: &[u8]) -> Option<BatchError> {
    const OLE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(OLE)
    {
        return Some(BatchError::Spreadsheet);
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Some(BatchError::Utf16);
    }
    let head = &bytes[..bytes.len().min(256) & !1];
    let pairs = head.len() / 2;
    let nul_at = |k: usize| {
        head.chunks(2)
            .filter(|p| p[k] == 0 && p[1 - k] != 0)
            .count()
    };
    (pairs >= 2 && (nul_at(0) * 5 >= pairs * 4 || nul_at(1) * 5 >= pairs * 4))
        .then_some(BatchError::Utf16)
}

/// The first byte that makes `bytes` not text: a spreadsheet or UTF-16 file ([`foreign`]),
/// invalid UTF-8 or a NUL.
fn not_text(bytes: &[u8]) -> Option<BatchError> {
    if let Some(e) = foreign(bytes) {
        return Some(e);
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        return Some(BatchError::NotText {
            byte: e.valid_up_to() + 1,
            reason: "is not UTF-8",
        });
    }
    let nul = bytes.iter().position(|&b| b == 0)?;
    Some(BatchError::NotText {
        byte: nul + 1,
        reason: "is a NUL character",
    })
}

/// `bytes` as text the CSV reader can take: refused when it is not text
/// ([`BatchError::NotText`], a spreadsheet, UTF-16), else [`normalize`]d.
pub(crate) fn text_of(bytes: &[u8]) -> Result<Vec<u8>, BatchError> {
    match not_text(bytes) {
        Some(e) => Err(e),
        None => Ok(normalize(bytes)),
    }
}

/// A reader over `bytes` ([`text_of`]) with its header read: trimmed cells, not all empty,
/// none twice.
pub(crate) fn open(bytes: &[u8]) -> Result<(csv::Reader<&[u8]>, Vec<String>), BatchError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
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
    Ok((reader, header))
}

impl Predictor {
    /// The header cell of every feature, named by the header's own rules
    /// ([`crate::fields::find_column`]); the features it lacks are an error naming each, with
    /// its closest cell.
    fn named_columns(&self, header: &[String]) -> Result<Vec<Option<usize>>, BatchError> {
        let columns: Vec<Column> = self.features().iter().map(Column::from).collect();
        let mut found = Vec::new();
        let mut absent = Vec::new();
        for &column in &columns {
            match find_column(header, column).map_err(BatchError::AmbiguousColumn)? {
                Some(i) => found.push(Some(i)),
                None => absent.push(absent_column(header, column, &columns)),
            }
        }
        if absent.is_empty() {
            Ok(found)
        } else {
            Err(BatchError::MissingColumns(absent))
        }
    }

    /// Predicts every row of a CSV file; empty cells are filled in as the model's
    /// preprocessing says (and noted on their row), bad cells make their row's error.
    pub fn predict_csv(&self, bytes: &[u8]) -> Result<Batch, BatchError> {
        self.predict_csv_with(bytes, Missing::Impute)
    }

    /// [`Predictor::predict_csv`] with a choice for empty cells: [`Missing::Reject`] makes a
    /// row with an empty feature cell an error naming the field.
    pub fn predict_csv_with(&self, bytes: &[u8], missing: Missing) -> Result<Batch, BatchError> {
        self.predict_csv_mapped(bytes, missing, None)
    }

    /// [`Predictor::predict_csv_with`] reading each feature and the target from the header
    /// cells `columns` gives them (as a [`crate::ColumnPlan`] chose them; a feature without a
    /// cell is filled in on every row, or refused with [`Missing::Reject`]). Without
    /// `columns`, the header must name every feature itself.
    pub fn predict_csv_mapped(
        &self,
        bytes: &[u8],
        missing: Missing,
        columns: Option<&Columns>,
    ) -> Result<Batch, BatchError> {
        let bytes = text_of(bytes)?;
        let (mut reader, header) = open(&bytes)?;
        let columns = match columns {
            Some(columns) => columns.clone(),
            None => Columns {
                features: self.named_columns(&header)?,
                target: find_column(&header, Column::target(self.bundle()))
                    .map_err(BatchError::AmbiguousColumn)?,
            },
        };
        // Each row's student is keyed by the model's column names, whatever the file calls
        // them; a cell no feature reads is keyed by no name a feature has.
        let mut keys = vec![String::new(); header.len()];
        for (feature, column) in self.features().iter().zip(&columns.features) {
            if let Some(key) = column.and_then(|i| keys.get_mut(i)) {
                *key = feature.name().to_owned();
            }
        }
        let target = columns.target;

        let mut rows = Vec::new();
        for (row, record) in reader.records().enumerate() {
            let (line, mut fields, problem) = match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| physical_line(&bytes, p));
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
                    e.position().map_or(0, |p| physical_line(&bytes, p)),
                    Vec::new(),
                    Some(e.to_string()),
                ),
            };
            let student: Student = keys
                .iter()
                .zip(&fields)
                .map(|(h, v)| (h.clone(), v.clone()))
                .collect();
            let all_empty = self
                .features()
                .iter()
                .all(|f| student.get(f.name()).is_none());
            let problem = problem.or_else(|| {
                all_empty.then(|| {
                    format!(
                        "every feature cell is empty ({})",
                        self.features()
                            .iter()
                            .map(|f| f.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            });
            let outcome = match problem {
                Some(p) => Err(format!("line {line}: {p}")),
                None => self.estimate(&student, missing).map_err(|e| {
                    let reasons: Vec<String> = e
                        .errors
                        .iter()
                        .map(|f| {
                            let labels = self
                                .feature(&f.field)
                                .map_or(&[][..], |feature| &feature.info().category_labels);
                            let problem = f.problem.describe(labels);
                            format!("column {} ({}): {problem}", f.field, f.label)
                        })
                        .collect();
                    format!("line {line}: {}", reasons.join("; "))
                }),
            };
            let actual = target
                .and_then(|t| fields.get(t))
                .and_then(|v| read_number(v));
            let notes = match (&outcome, missing) {
                (Ok(_), Missing::Impute) => self.filled(&student),
                _ => Vec::new(),
            };
            // Rectangular output: a short row is padded, a long row's surplus (already reported
            // in its error) is cut.
            fields.resize(header.len(), String::new());
            rows.push(BatchRow {
                row,
                line,
                fields,
                outcome,
                actual,
                notes,
            });
        }
        if rows.is_empty() {
            return Err(BatchError::NoRows);
        }
        Ok(Batch {
            header,
            columns,
            rows,
        })
    }
}

impl Batch {
    /// The position in [`Batch::header`] of `column` (a feature, a bundle's target
    /// [`Column::target`], or a bare name `"math_score"`), found as the batch found it: the
    /// cell equal to its name, or else the one cell naming it (`"Math score"`).
    pub fn column<'a>(&self, column: impl Into<Column<'a>>) -> Option<usize> {
        find_column(&self.header, column).ok().flatten()
    }

    /// How many rows could not be predicted.
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_err()).count()
    }

    /// R² and MAE against the file's target column, on the rows with both a prediction and a
    /// numeric target value: at least [`MIN_SCORED_ROWS`] of them, or the reason they are not
    /// shown.
    pub fn scores(&self) -> Result<BatchScores, NoScores> {
        let pairs: Vec<(f64, f64)> = self
            .rows
            .iter()
            .filter_map(|r| Some((r.actual?, r.outcome.as_ref().ok()?.value)))
            .collect();
        if pairs.len() < MIN_SCORED_ROWS {
            return Err(NoScores::TooFewRows { n: pairs.len() });
        }
        let n = pairs.len() as f64;
        let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let sse: f64 = pairs.iter().map(|(t, p)| (t - p).powi(2)).sum();
        let sst: f64 = pairs.iter().map(|(t, _)| (t - mean).powi(2)).sum();
        let mae = pairs.iter().map(|(t, p)| (t - p).abs()).sum::<f64>() / n;
        if sst <= 0.0 {
            return Err(NoScores::ConstantTarget);
        }
        Ok(BatchScores {
            n: pairs.len(),
            r2: 1.0 - sse / sst,
            mae,
        })
    }

    /// The results as CSV: every input column, then `prediction`, `interval_low`,
    /// `interval_high` (all within the target's range), `note` (the empty cells filled in) and
    /// `error`; one row per input row, in input order.
    pub fn to_csv(&self) -> String {
        let mut csv = self.csv_header();
        csv.push_str(&self.csv_rows(0..self.rows.len()));
        csv
    }

    /// The first line of [`Batch::to_csv`].
    pub fn csv_header(&self) -> String {
        self.csv_header_for(None)
    }

    /// The lines of [`Batch::to_csv`] for `rows` (indices into [`Batch::rows`], cut to them), so
    /// a long batch can be written a piece at a time: the header and every piece in order make
    /// `to_csv` exactly.
    pub fn csv_rows(&self, rows: std::ops::Range<usize>) -> String {
        self.csv_rows_for(rows, None)
    }

    /// [`Batch::csv_header`] naming the predicted `target` when given (the batch page's
    /// download, which says what it predicted): `predicted_math_score`,
    /// `math_score_interval_low`, `math_score_interval_high`, `note`, `error`.
    pub fn csv_header_for(&self, target: Option<&str>) -> String {
        let mut header = self.header.clone();
        header.extend(match target {
            Some(t) => [
                format!("predicted_{t}"),
                format!("{t}_interval_low"),
                format!("{t}_interval_high"),
            ],
            None => ["prediction", "interval_low", "interval_high"].map(str::to_owned),
        });
        header.extend(["note", "error"].map(str::to_owned));
        write_csv([header])
    }

    /// [`Batch::csv_rows`] for the header [`Batch::csv_header_for`] writes: with a `target`,
    /// a row with filled-in values also says, in its note, that its interval does not account
    /// for them ([`BatchRow::interval_caveat`]). Without one, the note is the filled-in
    /// values alone (`trainer predict`'s documented output).
    pub fn csv_rows_for(&self, rows: std::ops::Range<usize>, target: Option<&str>) -> String {
        let end = rows.end.min(self.rows.len());
        let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        write_csv(self.rows[rows.start.min(end)..end].iter().map(|r| {
            let mut record = r.fields.clone();
            match &r.outcome {
                Ok(p) => {
                    let mut note = r.note();
                    if let Some(caveat) = r.interval_caveat().filter(|_| target.is_some()) {
                        note = format!("{note}; {caveat}");
                    }
                    record.extend([
                        p.value.to_string(),
                        number(p.low),
                        number(p.high),
                        note,
                        String::new(),
                    ])
                }
                Err(e) => record.extend([
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    e.clone(),
                ]),
            }
            record
        }))
    }
}

/// `records` as CSV lines.
fn write_csv(records: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for record in records {
        w.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_download_names_the_target_and_flags_intervals_with_filled_in_values() {
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/linear.v1_4.json")).unwrap();
        doc["interval"] = serde_json::json!({
            "level": 0.9, "half_width": 2.5, "n_calibration": 8, "test_coverage": 1.0
        });
        let p = Predictor::from_json(&doc.to_string()).unwrap();
        let batch = p
            .predict_csv(b"id,reading_score,gender\na,80,male\nb,,male\n")
            .unwrap();
        assert_eq!(batch.rows[0].interval_caveat(), None);
        assert_eq!(batch.rows[1].interval_caveat(), Some(INTERVAL_CAVEAT));
        let named = batch.csv_header_for(Some("math_score"));
        assert_eq!(
            named,
            "id,reading_score,gender,predicted_math_score,math_score_interval_low,math_score_interval_high,note,error\n"
        );
        let rows = batch.csv_rows_for(0..2, Some("math_score"));
        let lines: Vec<&str> = rows.lines().collect();
        assert_eq!(lines[0], "a,80,male,73,70.5,75.5,,");
        assert!(
            lines[1].ends_with(
                ",\"Reading score empty: used 70, the training median; the interval does not account for the filled-in values\","
            ),
            "{}",
            lines[1]
        );
        // The plain CSV (trainer predict) keeps its columns and notes.
        assert!(batch
            .to_csv()
            .starts_with("id,reading_score,gender,prediction,interval_low,"));
        assert!(!batch.to_csv().contains("does not account"));
        // Without an interval there is nothing to flag.
        let plain = predictor()
            .predict_csv(b"reading_score,gender\n,male\n")
            .unwrap();
        assert_eq!(plain.rows[0].interval_caveat(), None);
    }

    #[test]
    fn a_close_category_spelling_gets_a_did_you_mean_and_is_not_used() {
        let p = predictor();
        let batch = p
            .predict_csv(b"reading_score,gender\n80,femal\n80,Male\n80,robot\n")
            .unwrap();
        assert_eq!(
            batch.rows[0].outcome.as_ref().unwrap_err(),
            "line 2: column gender (Gender): \"femal\" is not one of: female, male; did you mean \"female\"?"
        );
        assert!(batch.rows[1].outcome.is_ok());
        assert_eq!(
            batch.rows[2].outcome.as_ref().unwrap_err(),
            "line 4: column gender (Gender): \"robot\" is not one of: female, male"
        );
    }

    #[test]
    fn a_spreadsheet_or_utf16_file_is_told_to_be_saved_as_csv() {
        let p = predictor();
        let text = "reading_score,gender\n80,male\n";
        let utf16 = |big: bool, bom: bool| {
            let mut out: Vec<u8> = if bom { vec![0xff, 0xfe] } else { Vec::new() };
            if bom && big {
                out = vec![0xfe, 0xff];
            }
            for unit in text.encode_utf16() {
                let b = if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                out.extend(b);
            }
            out
        };
        for bytes in [
            utf16(false, true),
            utf16(true, true),
            utf16(false, false),
            utf16(true, false),
        ] {
            let e = p.predict_csv(&bytes).unwrap_err();
            assert_eq!(e, BatchError::Utf16);
            assert_eq!(
                e.to_string(),
                "the file is UTF-16 text: save it as CSV (UTF-8) and choose it again"
            );
        }
        let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
        xlsx.extend([0x9f, 0x00, 0xc3, 0x28]);
        let xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00".to_vec();
        for bytes in [xlsx, xls] {
            let e = p.predict_csv(&bytes).unwrap_err();
            assert_eq!(e, BatchError::Spreadsheet);
            assert!(e.to_string().contains("save it as CSV (UTF-8)"), "{e}");
        }
        // A UTF-8 file with a NUL here and there is still "not text", naming the byte.
        assert!(matches!(
            p.predict_csv(b"reading_score,gender\n80,ma\0le\n"),
            Err(BatchError::NotText { byte: 27, .. })
        ));
        assert!(p.predict_csv(text.as_bytes()).is_ok());
        for name in ["class.xlsx", "CLASS.XLS", "a.ods", "b.xlsm ", "c.numbers"] {
            assert!(spreadsheet_name(name), "{name}");
        }
        for name in ["class.csv", "xlsx.csv", "notes.txt", "xls"] {
            assert!(!spreadsheet_name(name), "{name}");
        }
    }

    fn predictor() -> Predictor {
        Predictor::from_json(include_str!("../tests/fixtures/linear.v1_4.json")).unwrap()
    }

    fn lines(batch: &Batch) -> Vec<u64> {
        batch.rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn rows_are_numbered_by_the_files_own_lines_blank_and_quoted_ones_included() {
        let p = predictor();
        // Line 1 header, 2 a row, 3 blank, 4 a row, 5–6 blank, 7 a bad row, 8–9 a quoted
        // field over two lines, 10 a row.
        let file = "id,reading_score,gender\n\
                    a,80,male\n\
                    \n\
                    b,81,male\n\
                    \n\
                    \n\
                    c,150,male\n\
                    \"d\nd\",82,female\n\
                    e,83,female\n";
        for text in [file.to_owned(), file.replace('\n', "\r\n")] {
            let batch = p.predict_csv(text.as_bytes()).unwrap();
            assert_eq!(lines(&batch), [2, 4, 7, 8, 10], "{text:?}");
            assert!(
                batch.rows[2]
                    .outcome
                    .as_ref()
                    .unwrap_err()
                    .starts_with("line 7: "),
                "{:?}",
                batch.rows[2].outcome
            );
        }
        // Blank lines before the header count too.
        let batch = p
            .predict_csv(b"\n\nreading_score,gender\n\n80,male\n")
            .unwrap();
        assert_eq!(lines(&batch), [5]);
    }
}
