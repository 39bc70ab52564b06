//! Spreadsheets as the trainer's tables: an .xlsx, .xlsm, .xls, .xlsb or .ods file is read
//! with `calamine` (pure Rust, so the same code runs in a browser's Web Worker) and one sheet
//! becomes the CSV text every other part of the trainer reads, so a spreadsheet and its sheet
//! saved as CSV train the same model.
//!
//! The sheet's own rows are the CSV's lines (blank rows above the table are kept as blank
//! lines), so a message naming "line 7" names the sheet's row 7. A cell becomes its value as
//! the sheet shows it where that is plain: text as it is, a whole number without a decimal
//! point, another number in its shortest exact form, a formula as the value the spreadsheet
//! saved with it. What is not plain is said in [`Table::notes`] and the rest of the sheet is
//! kept: an error value (`#DIV/0!`) is read as an empty cell, a merged area (.xlsx and .xls)
//! holds its value in its first cell only, a date is read as the spreadsheet's day number.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

/// Whether `bytes` are a spreadsheet's own file, by their first bytes: a zip archive (.xlsx,
/// .xlsm, .xlsb, .ods) or an OLE compound file (.xls).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// One sheet of a spreadsheet as CSV text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet as CSV: comma-separated, quoted where needed, one line per row of the sheet.
    pub csv: Vec<u8>,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet of the file, in the file's order (for a sheet picker).
    pub sheets: Vec<String>,
    /// What was not read as it shows: error values, merged areas, dates.
    pub notes: Vec<String>,
}

/// Why a spreadsheet could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the spreadsheet could not be read ({0}): save the sheet as CSV (UTF-8) and use that")]
    Unreadable(String),
    #[error("the spreadsheet has no sheet {wanted:?}; its sheets are {}", quoted(.sheets))]
    NoSheet { wanted: String, sheets: Vec<String> },
    #[error("the spreadsheet has no sheets")]
    NoSheets,
    #[error("the sheet {0:?} is empty")]
    EmptySheet(String),
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    names.join(", ")
}

/// The table in `bytes`: a spreadsheet's `sheet` (its first sheet when `None`) as CSV, with its
/// notes; any other file as it is, with none (the CSV reader checks it).
pub fn table<'a>(
    bytes: &'a [u8],
    sheet: Option<&str>,
) -> Result<(Cow<'a, [u8]>, Vec<String>), SheetError> {
    if !is_spreadsheet(bytes) {
        return Ok((Cow::Borrowed(bytes), Vec::new()));
    }
    let table = read(bytes, sheet)?;
    Ok((Cow::Owned(table.csv), table.notes))
}

/// The names of the sheets of the spreadsheet `bytes`, in the file's order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, SheetError> {
    Ok(open(bytes)?.sheet_names())
}

/// Reads `sheet` (the first sheet when `None`) of the spreadsheet `bytes` as CSV.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SheetError> {
    let mut book = open(bytes)?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted)
            .cloned()
            .ok_or_else(|| SheetError::NoSheet {
                wanted: wanted.to_owned(),
                sheets: sheets.clone(),
            })?,
        None => sheets.first().cloned().ok_or(SheetError::NoSheets)?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let merged = merged_areas(&mut book, &name);
    let (csv, mut notes) = to_csv(&range, &name)?;
    notes.extend(merged.iter().map(|area| {
        format!(
            "sheet {name:?}: the cells {}:{} are merged; only {} holds a value, the others are read as empty",
            cell_name(area.start),
            cell_name(area.end),
            cell_name(area.start)
        )
    }));
    Ok(Table {
        csv,
        sheet: name,
        sheets,
        notes,
    })
}

fn open(bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, SheetError> {
    open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))
}

/// The merged areas of `sheet` that cover more than one cell (.xlsx and .xls; calamine does not
/// read an .ods or .xlsb file's).
fn merged_areas(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<Dimensions> {
    let mut areas = match book {
        Sheets::Xlsx(x) => match x.load_merged_regions() {
            Ok(()) => x
                .merged_regions_by_sheet(sheet)
                .into_iter()
                .map(|(_, _, d)| *d)
                .collect(),
            Err(_) => Vec::new(),
        },
        Sheets::Xls(x) => x.worksheet_merge_cells(sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    areas.retain(|a| a.start != a.end);
    areas.sort_by_key(|a| a.start);
    areas
}

/// The cell at (row, column), both from 0, as a spreadsheet names it: `A1`, `AB12`.
pub fn cell_name((row, column): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// The sheet's cells as CSV and the notes on them. Rows above the table are blank lines and
/// columns left of it are left out (a header's position does not matter), so line numbers are
/// the sheet's row numbers.
fn to_csv(range: &Range<Data>, sheet: &str) -> Result<(Vec<u8>, Vec<String>), SheetError> {
    let Some((top, left)) = range.start() else {
        return Err(SheetError::EmptySheet(sheet.to_owned()));
    };
    let mut out = vec![b'\n'; top as usize];
    let mut notes = Vec::new();
    let mut date_columns: Vec<u32> = Vec::new();
    for (r, row) in range.rows().enumerate() {
        let mut fields = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let at = (top + r as u32, left + c as u32);
            fields.push(match cell {
                Data::Empty => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) => number(*f),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => {
                    if !date_columns.contains(&at.1) {
                        date_columns.push(at.1);
                        notes.push(format!(
                            "sheet {sheet:?}: {} holds a date, read as the spreadsheet's day number {}",
                            cell_name(at),
                            number(d.as_f64())
                        ));
                    }
                    number(d.as_f64())
                }
                Data::Error(e) => {
                    notes.push(format!(
                        "sheet {sheet:?}: {} holds the error value {e}, read as an empty cell",
                        cell_name(at)
                    ));
                    String::new()
                }
            });
        }
        // A row that is blank throughout stays a blank line, as in a CSV file.
        if fields.iter().all(String::is_empty) {
            out.push(b'\n');
            continue;
        }
        let mut line = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        line.write_record(&fields)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        out.extend(
            line.into_inner()
                .map_err(|e| SheetError::Unreadable(e.to_string()))?,
        );
    }
    Ok((out, notes))
}

/// A number as a CSV cell: a whole number without a decimal point, another in its shortest
/// form that reads back exactly.
fn number(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
