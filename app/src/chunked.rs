//! A batch file predicted a piece at a time, so a long file (or a slow model) never blocks the
//! page for long: the batch page yields to the browser between pieces.
//!
//! The file is cut at record boundaries (a quoted field may span lines), and each piece is as
//! many empty lines as the piece's first record is down the file, then the header, then the
//! records: the CSV reader skips empty lines but counts them, so every row and every message
//! keeps the line number it has in the whole file. Joining the pieces gives exactly what one
//! `predict_csv` of the whole file gives (the tests hold it to that).
//!
//! [`predict_with_pauses`] is the loop the batch page runs; the page gives it the browser's
//! clock and a pause that yields to the browser, the tests a fake clock and no pause.

use std::future::Future;

use model::{csv_delimiter, Batch, BatchError, Columns, Missing, Predictor};

/// How big the pieces of a file are: `first` rows, then as many as take about `budget_ms`
/// at the pace of the last piece, within `[min, max]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PieceSizes {
    pub first: usize,
    pub min: usize,
    pub max: usize,
    pub budget_ms: f64,
}

impl PieceSizes {
    /// The batch page's: no piece holds the page much longer than 25 ms, so even a machine
    /// twice as busy stays under the 100 ms a task may take (e2e/batch.test.mjs measures it).
    pub const PAGE: Self = Self {
        first: 500,
        min: 100,
        max: 50_000,
        budget_ms: 25.0,
    };

    /// How many rows the next piece should have, after `rows` rows took `spent` ms.
    pub fn next(&self, spent: f64, rows: usize) -> usize {
        let per_row = spent / rows.max(1) as f64;
        if per_row > 0.0 && per_row.is_finite() {
            ((self.budget_ms / per_row) as usize).clamp(self.min, self.max)
        } else {
            self.max
        }
    }
}

/// A CSV file read a piece of records at a time: one pass, no scan of the whole file first, so
/// even the first piece of a long file comes at once.
///
/// The file is cut as it is (only a BOM is dropped): the CSV reader ends records at CRLF as at
/// LF and counts lines the same way, and `predict_csv` normalises each piece, so no pass over
/// the whole file happens before the first piece.
#[derive(Debug, Clone)]
pub struct CsvChunks<'a> {
    /// The file without its BOM.
    bytes: &'a [u8],
    /// Where the header ends and the first data record may start.
    header_end: usize,
    /// The line the data records start on (the header's line + 1, or later for a header that
    /// spans lines).
    first_line: u64,
    /// Where the next piece starts (its byte, line and record number).
    next: csv::Position,
}

impl<'a> CsvChunks<'a> {
    pub fn new(raw: &'a [u8]) -> Self {
        let bytes = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
        let mut reader = Self::reader(bytes);
        let mut header = csv::ByteRecord::new();
        // An unreadable header reads as no header: the first piece is then the whole file, and
        // `predict_csv` names the problem.
        let next = match reader.read_byte_record(&mut header) {
            Ok(true) => reader.position().clone(),
            _ => {
                let mut end = csv::Position::new();
                end.set_byte(bytes.len() as u64);
                end
            }
        };
        Self {
            header_end: next.byte() as usize,
            first_line: next.line(),
            next,
            bytes,
        }
    }

    /// A reader cutting records as `predict_csv` does: with the header line's separator (a
    /// quoted cell that spans lines must be kept whole in a ";" file too).
    fn reader(bytes: &'a [u8]) -> csv::Reader<std::io::Cursor<&'a [u8]>> {
        csv::ReaderBuilder::new()
            .delimiter(csv_delimiter(bytes))
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(bytes))
    }

    /// The share of the file read so far, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.bytes.is_empty() {
            1.0
        } else {
            self.next.byte() as f64 / self.bytes.len() as f64
        }
    }

    /// Whether every record has been handed out: nothing but line ends is left (the reader
    /// stops a CRLF record at its CR).
    pub fn is_done(&self) -> bool {
        let rest = self
            .bytes
            .get(self.next.byte() as usize..)
            .unwrap_or_default();
        rest.iter().all(|&b| b == b'\r' || b == b'\n')
    }

    /// The next piece of at most `records` records: the header and those records, each on the
    /// line it has in the file, and how many records it holds. A file without a header gives
    /// itself whole.
    pub fn next_piece(&mut self, records: usize) -> (Vec<u8>, usize) {
        if self.header_end == 0 || self.header_end >= self.bytes.len() {
            self.next.set_byte(self.bytes.len() as u64);
            return (self.bytes.to_vec(), 0);
        }
        let from = self.next.clone();
        let mut reader = Self::reader(self.bytes);
        let mut record = csv::ByteRecord::new();
        let mut count = 0;
        let mut first_line = None;
        if reader.seek(from.clone()).is_ok() {
            while count < records {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {
                        first_line
                            .get_or_insert(record.position().map_or(from.line(), |p| p.line()));
                        count += 1;
                    }
                    // A record the reader cannot read (it only fails on I/O, which a slice
                    // never does) or the end: the rest of the file goes as it is.
                    Ok(false) | Err(_) => break,
                }
            }
        }
        let to = if count < records || reader.is_done() {
            self.bytes.len()
        } else {
            (reader.position().byte() as usize).min(self.bytes.len())
        };
        self.next = reader.position().clone();
        self.next.set_byte(to as u64);
        let (start, line) = (from.byte() as usize, first_line.unwrap_or(from.line()));
        // The empty lines go first: a record's line is where the reader began looking for it,
        // empty lines before it included, so they must come before the header to count.
        let padding = line.saturating_sub(self.first_line) as usize;
        let mut piece = vec![b'\n'; padding];
        piece.reserve(self.header_end + (to - start));
        piece.extend_from_slice(&self.bytes[..self.header_end]);
        piece.extend_from_slice(&self.bytes[start..to]);
        (piece, count)
    }
}

/// Adds `part` (the prediction of rows starting at `first_row`) to `whole`.
pub fn append(whole: &mut Option<Batch>, part: Batch, first_row: usize) {
    let rows = part.rows.into_iter().map(|mut r| {
        r.row += first_row;
        r
    });
    match whole {
        Some(batch) => batch.rows.extend(rows),
        None => {
            *whole = Some(Batch {
                header: part.header,
                columns: part.columns,
                rows: rows.collect(),
            })
        }
    }
}

/// Predicts the file a piece at a time, calling `pause` between pieces so the browser can
/// handle input and paint; reports progress as (rows done, share of the file read) and stops
/// early once `current` says a newer file replaced this one. `clock` reads milliseconds. Also returns the
/// time spent working (pauses not counted). `columns` is each feature's header cell and the
/// target's, as a [`model::ColumnPlan`] chose them (`None`: the header names every feature).
#[allow(clippy::too_many_arguments)]
pub async fn predict_with_pauses<P, F>(
    predictor: &Predictor,
    bytes: &[u8],
    columns: Option<&Columns>,
    sizes: PieceSizes,
    clock: impl Fn() -> f64,
    mut pause: P,
    progress: impl Fn(usize, f64),
    current: impl Fn() -> bool,
) -> (Result<Batch, BatchError>, f64)
where
    P: FnMut() -> F,
    F: Future<Output = ()>,
{
    let started = clock();
    let mut chunks = CsvChunks::new(bytes);
    let mut working = clock() - started;
    let mut whole = None;
    let (mut done, mut size) = (0, sizes.first.max(1));
    while whole.is_none() || !chunks.is_done() {
        let t = clock();
        let (piece, records) = chunks.next_piece(size);
        if records == 0 && whole.is_some() {
            // Only blank lines were left after the last record.
            break;
        }
        match predictor.predict_csv_mapped(&piece, Missing::Impute, columns) {
            Ok(part) => append(&mut whole, part, done),
            Err(e) => return (Err(e), working + clock() - t),
        }
        let spent = clock() - t;
        working += spent;
        done += records;
        if !chunks.is_done() {
            progress(done, chunks.progress());
            size = sizes.next(spent, records).max(1);
            pause().await;
            if !current() {
                break;
            }
        }
    }
    (whole.ok_or(BatchError::Empty), working)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::MODEL_JSON;

    fn predictor() -> Predictor {
        let catalog = crate::parse_models(MODEL_JSON).expect("assets/model.json parses");
        catalog
            .get(catalog.default_target(), false)
            .expect("math")
            .as_ref()
            .clone()
    }

    /// Pieces of exactly `size` rows.
    fn fixed(size: usize) -> PieceSizes {
        PieceSizes {
            first: size,
            min: size,
            max: size,
            budget_ms: 1.0,
        }
    }

    /// Runs a future whose pauses are always ready (as the tests' are) to its end.
    fn run<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }

    /// The model's columns as a header line, and its typical student as a row under it.
    fn header_and_typical_row(p: &Predictor) -> (String, String) {
        let reference = p.reference_student();
        let (names, values): (Vec<&str>, Vec<&str>) = p
            .features()
            .iter()
            .map(|f| (f.name(), reference.get(f.name()).unwrap_or_default()))
            .unzip();
        (names.join(","), values.join(","))
    }

    /// The page's loop with a clock that advances `ms_per_read` at every reading, counting
    /// its pauses and progress reports.
    fn with_pauses(
        p: &Predictor,
        file: &[u8],
        sizes: PieceSizes,
        ms_per_read: f64,
    ) -> (Result<Batch, BatchError>, usize, Vec<usize>) {
        let now = Cell::new(0.0);
        let pauses = Cell::new(0);
        let progress = std::cell::RefCell::new(Vec::new());
        let (out, _) = run(predict_with_pauses(
            p,
            file,
            None,
            sizes,
            || {
                now.set(now.get() + ms_per_read);
                now.get()
            },
            || {
                pauses.set(pauses.get() + 1);
                std::future::ready(())
            },
            |done, share| {
                assert!((0.0..=1.0).contains(&share), "{share}");
                progress.borrow_mut().push(done)
            },
            || true,
        ));
        (out, pauses.get(), progress.into_inner())
    }

    /// A file with a bit of everything: quoted fields across lines, blank lines, bad rows, a
    /// short row, CRLF line ends and a BOM.
    fn awkward_file() -> Vec<u8> {
        let p = predictor();
        let names: Vec<&str> = p.features().iter().map(|f| f.name()).collect();
        let reference = p.reference_student();
        let good: Vec<String> = names
            .iter()
            .map(|n| reference.get(n).unwrap_or_default().to_owned())
            .collect();
        let mut lines = vec![format!("{},note,{}", names.join(","), p.bundle().target)];
        for i in 0..23 {
            let mut row = good.clone();
            if i % 7 == 3 {
                row[names.len() - 1] = "150".into();
            }
            let note = if i % 5 == 0 {
                "\"two\r\nlines, \"\"quoted\"\"\""
            } else {
                "plain"
            };
            lines.push(format!("{},{note},{}", row.join(","), 60 + i));
            if i % 6 == 2 {
                lines.push(String::new());
            }
        }
        lines.push("female,too,short".into());
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend(lines.join("\r\n").into_bytes());
        bytes.extend(b"\r\n");
        bytes
    }

    #[test]
    fn pieces_predict_exactly_what_the_whole_file_does() {
        let p = predictor();
        let file = awkward_file();
        let whole = p.predict_csv(&file).expect("a usable file");
        assert!(whole.errors() >= 4, "the file has bad rows");
        let (pieces, pauses, _) = with_pauses(&p, &file, PieceSizes::PAGE, 1.0);
        assert_eq!(pieces.expect("a usable file"), whole);
        assert_eq!(pauses, 0, "a small file is one piece");
        // Every cut: pieces of one row up to the whole file.
        for size in [1, 2, 3, 5, 7, 24, 25, 100] {
            let sizes = fixed(size);
            let (pieces, pauses, _) = with_pauses(&p, &file, sizes, 1.0);
            assert_eq!(
                pieces.expect("a usable file"),
                whole,
                "pieces of {size} rows"
            );
            assert_eq!(pauses, whole.rows.len().div_ceil(size) - 1, "{size}");
        }
    }

    #[test]
    fn a_long_file_is_cut_into_pieces_with_a_pause_between_each() {
        let p = predictor();
        let (header, good) = header_and_typical_row(&p);
        let mut file = header;
        for i in 0..2_345 {
            file.push('\n');
            // Every 97th row is bad: it must keep its place and line.
            file.push_str(&if i % 97 == 5 {
                good.replace("70", "170")
            } else {
                good.clone()
            });
        }
        let whole = p.predict_csv(file.as_bytes()).expect("usable");
        // 25 ms per piece (one clock reading before it and one after): pieces of 500 rows.
        let (pieces, pauses, progress) = with_pauses(&p, file.as_bytes(), PieceSizes::PAGE, 25.0);
        assert_eq!(pieces.expect("usable"), whole);
        assert_eq!(pauses, 4, "2,345 rows in pieces of 500");
        assert_eq!(progress.len(), pauses);
        assert_eq!(progress[0], PieceSizes::PAGE.first);
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    }

    #[test]
    fn blank_lines_after_the_last_row_add_no_row_and_no_error() {
        let p = predictor();
        let (header, row) = header_and_typical_row(&p);
        let file = format!("{header}{}\n\n\n", format!("\n{row}").repeat(6));
        let whole = p.predict_csv(file.as_bytes()).expect("usable");
        assert_eq!(whole.rows.len(), 6);
        for size in 1..=7 {
            let sizes = fixed(size);
            let (pieces, _, progress) = with_pauses(&p, file.as_bytes(), sizes, 1.0);
            assert_eq!(pieces.expect("usable"), whole, "pieces of {size}");
            assert!(progress.iter().all(|&done| done <= 6), "{progress:?}");
        }
    }

    #[test]
    fn a_semicolon_file_is_cut_at_its_own_records() {
        let p = predictor();
        let file = String::from_utf8(awkward_file())
            .unwrap()
            .replace(',', ";")
            // Its quoted cells spanning lines hold ";" now: cut at ",", they would break apart.
            .replace("lines; ", "lines, ");
        let whole = p.predict_csv(file.as_bytes()).expect("a usable file");
        assert!(whole.rows.len() > 20 && whole.errors() >= 4);
        for size in [1, 2, 3, 7, 100] {
            let sizes = fixed(size);
            let (pieces, _, _) = with_pauses(&p, file.as_bytes(), sizes, 1.0);
            assert_eq!(pieces.expect("usable"), whole, "pieces of {size}");
        }
    }

    #[test]
    fn a_mapped_file_is_predicted_in_pieces_as_a_whole_and_numbered_by_its_lines() {
        let p = predictor();
        let names: Vec<&str> = p.features().iter().map(|f| f.name()).collect();
        let reference = p.reference_student();
        // The school's own names, one column missing (filled in), blank lines between rows.
        let header: Vec<String> = names[..names.len() - 1]
            .iter()
            .map(|n| format!("my {n}"))
            .collect();
        let row: Vec<&str> = names[..names.len() - 1]
            .iter()
            .map(|n| reference.get(n).unwrap_or_default())
            .collect();
        let mut file = header.join(",");
        for i in 0..9 {
            file.push_str(&format!("\n{}\n", row.join(",")));
            if i % 3 == 0 {
                file.push('\n');
            }
        }
        let mut features: Vec<Option<usize>> = (0..names.len()).map(Some).collect();
        *features.last_mut().unwrap() = None;
        let columns = Columns {
            features,
            target: None,
        };
        let whole = p
            .predict_csv_mapped(file.as_bytes(), Missing::Impute, Some(&columns))
            .expect("usable");
        assert_eq!(whole.errors(), 0);
        assert!(whole.rows.iter().all(|r| r.notes.len() == 1));
        let lines: Vec<u64> = whole.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5, 7, 9, 12, 14, 16, 19, 21]);
        for size in [1, 2, 4, 9] {
            let (pieces, _) = run(predict_with_pauses(
                &p,
                file.as_bytes(),
                Some(&columns),
                fixed(size),
                || 0.0,
                || std::future::ready(()),
                |_, _| {},
                || true,
            ));
            assert_eq!(pieces.expect("usable"), whole, "pieces of {size}");
        }
    }

    #[test]
    fn pieces_are_sized_to_the_time_they_take() {
        let page = PieceSizes::PAGE;
        assert_eq!(page.next(25.0, 500), 500);
        assert_eq!(page.next(10.0, 500), 1_250);
        assert_eq!(page.next(4_000.0, 500), 100, "never fewer than 100 rows");
        assert_eq!(page.next(0.0, 500), 50_000, "a clock too coarse to tell");
    }

    #[test]
    fn a_replaced_file_stops_at_the_next_pause() {
        let p = predictor();
        let (header, row) = header_and_typical_row(&p);
        let file = format!("{header}{}", format!("\n{row}").repeat(1_500));
        let (out, _) = run(predict_with_pauses(
            &p,
            file.as_bytes(),
            None,
            PieceSizes::PAGE,
            || 0.0,
            || std::future::ready(()),
            |_, _| {},
            || false,
        ));
        assert_eq!(out.expect("usable").rows.len(), PieceSizes::PAGE.first);
    }

    #[test]
    fn file_errors_come_through_unchanged() {
        let p = predictor();
        for file in [&b""[..], b"gender,lunch\nfemale,standard\n", b"a,a\n1,2\n"] {
            assert_eq!(
                with_pauses(&p, file, PieceSizes::PAGE, 1.0).0.unwrap_err(),
                p.predict_csv(file).unwrap_err()
            );
        }
    }

    #[test]
    fn a_header_alone_is_refused_as_having_no_rows() {
        let p = predictor();
        let header = p
            .features()
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            with_pauses(&p, header.as_bytes(), PieceSizes::PAGE, 1.0).0,
            Err(BatchError::NoRows)
        );
        assert_eq!(p.predict_csv(header.as_bytes()), Err(BatchError::NoRows));
    }
}
