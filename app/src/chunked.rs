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
use std::ops::Range;

use model::{normalize_csv, Batch, BatchError, Predictor};

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
    /// The batch page's: no piece holds the page much longer than 40 ms.
    pub const PAGE: Self = Self {
        first: 500,
        min: 100,
        max: 50_000,
        budget_ms: 40.0,
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

/// A CSV file and where each of its data records starts.
#[derive(Debug, Clone)]
pub struct CsvChunks {
    /// The file with CRLF line ends and a BOM removed, as `predict_csv` reads it.
    bytes: Vec<u8>,
    /// Where each data record starts: byte offset and 1-based line.
    starts: Vec<(usize, u64)>,
}

impl CsvChunks {
    pub fn new(raw: &[u8]) -> Self {
        let bytes = normalize_csv(raw);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut record = csv::ByteRecord::new();
        let mut starts = Vec::new();
        while let Ok(true) = reader.read_byte_record(&mut record) {
            if let Some(p) = record.position() {
                starts.push((p.byte() as usize, p.line()));
            }
        }
        Self { bytes, starts }
    }

    /// How many data records the file has.
    pub fn rows(&self) -> usize {
        self.starts.len()
    }

    /// The header and the records `rows`, with each record on the line it has in the file.
    pub fn piece(&self, rows: Range<usize>) -> Vec<u8> {
        let Some(&(header_end, first_line)) = self.starts.first() else {
            return self.bytes.clone();
        };
        let start = rows.start.min(self.rows());
        let end = rows.end.clamp(start, self.rows());
        let from = self.starts.get(start).map_or(self.bytes.len(), |s| s.0);
        let to = self.starts.get(end).map_or(self.bytes.len(), |s| s.0);
        let padding = self
            .starts
            .get(start)
            .map_or(0, |s| (s.1 - first_line) as usize);
        // The empty lines go first: a record's line is where the reader began looking for it,
        // empty lines before it included, so they must come before the header to count.
        let mut piece = vec![b'\n'; padding];
        piece.reserve(header_end + (to - from));
        piece.extend_from_slice(&self.bytes[..header_end]);
        piece.extend_from_slice(&self.bytes[from..to]);
        piece
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
                rows: rows.collect(),
            })
        }
    }
}

/// Predicts the file a piece at a time, calling `pause` between pieces so the browser can
/// handle input and paint; reports progress as (rows done, rows in all) and stops early once
/// `current` says a newer file replaced this one. `clock` reads milliseconds. Also returns the
/// time spent working (pauses not counted).
pub async fn predict_with_pauses<P, F>(
    predictor: &Predictor,
    bytes: &[u8],
    sizes: PieceSizes,
    clock: impl Fn() -> f64,
    mut pause: P,
    progress: impl Fn(usize, usize),
    current: impl Fn() -> bool,
) -> (Result<Batch, BatchError>, f64)
where
    P: FnMut() -> F,
    F: Future<Output = ()>,
{
    let started = clock();
    let chunks = CsvChunks::new(bytes);
    let total = chunks.rows();
    let mut working = clock() - started;
    let mut whole = None;
    let (mut next, mut size) = (0, sizes.first.max(1));
    while whole.is_none() || next < total {
        let rows = next..(next + size).min(total);
        let t = clock();
        match predictor.predict_csv(&chunks.piece(rows.clone())) {
            Ok(part) => append(&mut whole, part, rows.start),
            Err(e) => return (Err(e), working + clock() - t),
        }
        let spent = clock() - t;
        working += spent;
        next = rows.end;
        if next < total {
            progress(next, total);
            size = sizes.next(spent, rows.len()).max(1);
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
            sizes,
            || {
                now.set(now.get() + ms_per_read);
                now.get()
            },
            || {
                pauses.set(pauses.get() + 1);
                std::future::ready(())
            },
            |done, _| progress.borrow_mut().push(done),
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
        assert_eq!(CsvChunks::new(&file).rows(), whole.rows.len());
        let (pieces, pauses, _) = with_pauses(&p, &file, PieceSizes::PAGE, 1.0);
        assert_eq!(pieces.expect("a usable file"), whole);
        assert_eq!(pauses, 0, "a small file is one piece");
        // Every cut: pieces of one row up to the whole file.
        for size in [1, 2, 3, 5, 7, 24, 25, 100] {
            let sizes = PieceSizes {
                first: size,
                min: size,
                max: size,
                budget_ms: 1.0,
            };
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
        // 40 ms per piece (one clock reading before it and one after): pieces of 500 rows.
        let (pieces, pauses, progress) = with_pauses(&p, file.as_bytes(), PieceSizes::PAGE, 40.0);
        assert_eq!(pieces.expect("usable"), whole);
        assert_eq!(pauses, 4, "2,345 rows in pieces of 500");
        assert_eq!(progress.len(), pauses);
        assert_eq!(progress[0], PieceSizes::PAGE.first);
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    }

    #[test]
    fn pieces_are_sized_to_the_time_they_take() {
        let page = PieceSizes::PAGE;
        assert_eq!(page.next(40.0, 500), 500);
        assert_eq!(page.next(10.0, 500), 2_000);
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
