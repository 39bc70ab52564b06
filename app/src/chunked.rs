//! A batch file predicted a piece at a time, so a long file (or a slow model) never blocks the
//! page for long: the batch page yields to the browser between pieces.
//!
//! The file is cut at record boundaries (a quoted field may span lines), and each piece is as
//! many empty lines as the piece's first record is down the file, then the header, then the
//! records: the CSV reader skips empty lines but counts them, so every row and every message
//! keeps the line number it has in the whole file. Joining the pieces gives exactly what one
//! `predict_csv` of the whole file gives (the tests hold it to that).

use std::ops::Range;

use model::{normalize_csv, Batch, BatchError, Predictor};

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

/// The whole file predicted `rows_per_piece` records at a time, without pauses (the page
/// pauses between pieces itself); equal to `predictor.predict_csv(raw)`.
pub fn predict_in_pieces(
    predictor: &Predictor,
    raw: &[u8],
    rows_per_piece: usize,
) -> Result<Batch, BatchError> {
    let chunks = CsvChunks::new(raw);
    let mut whole = None;
    let mut next = 0;
    while whole.is_none() || next < chunks.rows() {
        let rows = next..(next + rows_per_piece.max(1)).min(chunks.rows());
        let part = predictor.predict_csv(&chunks.piece(rows.clone()))?;
        append(&mut whole, part, rows.start);
        next = rows.end;
    }
    Ok(whole.expect("at least one piece"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MODEL_JSON;

    fn predictor() -> Predictor {
        crate::parse_model(MODEL_JSON).expect("assets/model.json parses")
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
        for size in [1, 2, 3, 5, 7, 24, 25, 100] {
            let pieces = predict_in_pieces(&p, &file, size).expect("a usable file");
            assert_eq!(pieces, whole, "pieces of {size} rows");
        }
    }

    #[test]
    fn file_errors_come_through_unchanged() {
        let p = predictor();
        for file in [&b""[..], b"gender,lunch\nfemale,standard\n", b"a,a\n1,2\n"] {
            assert_eq!(
                predict_in_pieces(&p, file, 2).unwrap_err(),
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
            predict_in_pieces(&p, header.as_bytes(), 10),
            Err(BatchError::NoRows)
        );
        assert_eq!(p.predict_csv(header.as_bytes()), Err(BatchError::NoRows));
    }
}
