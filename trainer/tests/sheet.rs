//! Spreadsheets as tables: a sheet reads as the same rows as its CSV, what is not plain
//! (error values, merged cells, dates) is noted and the rest kept, and a file that is not a
//! readable spreadsheet, a missing sheet or an empty one is a clear error. The spreadsheets are
//! written here with rust_xlsxwriter.

mod common;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use trainer::sheet::{self, cell_name, SheetError};

const SCHEMA: &str = include_str!("../../data/students.schema.json");

/// The cells of `csv`, header first.
fn records(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// `csv` as a workbook: two blank rows, then the table from column B (numbers as numbers), and
/// a second sheet.
fn workbook_of(csv: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Class 4B").unwrap();
    for (r, line) in records(csv).iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            let (row, col) = (r as u32 + 2, c as u16 + 1);
            match cell.parse::<f64>() {
                Ok(x) if r > 0 => sheet.write_number(row, col, x).unwrap(),
                _ => sheet.write_string(row, col, cell).unwrap(),
            };
        }
    }
    book.add_worksheet().set_name("Notes").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_sheet_reads_as_the_same_rows_as_its_csv_on_the_sheets_own_lines() {
    let dataset = model::Dataset::from_json(SCHEMA).unwrap();
    let csv = common::synthetic_csv(40, 7);
    let bytes = workbook_of(&csv);
    assert!(sheet::is_spreadsheet(&bytes));
    assert!(!sheet::is_spreadsheet(csv.as_bytes()));
    assert_eq!(sheet::sheet_names(&bytes).unwrap(), ["Class 4B", "Notes"]);

    let table = sheet::read(&bytes, None).unwrap();
    assert_eq!(table.sheet, "Class 4B", "the first sheet by default");
    assert_eq!(table.sheets, ["Class 4B", "Notes"]);
    assert!(table.notes.is_empty(), "{:?}", table.notes);
    let from_sheet = trainer::data::parse(&table.csv, &dataset).unwrap();
    let from_csv = trainer::data::parse(csv.as_bytes(), &dataset).unwrap();
    assert_eq!(from_sheet.len(), 40);
    for (a, b) in from_sheet.iter().zip(&from_csv) {
        assert_eq!(a.student, b.student);
        assert_eq!(a.numbers, b.numbers);
        assert_eq!(
            a.line,
            b.line + 2,
            "the sheet's row: two blank rows above the table"
        );
    }
    // A CSV passes through untouched.
    let (same, notes) = sheet::table(csv.as_bytes(), None).unwrap();
    assert_eq!(&*same, csv.as_bytes());
    assert!(notes.is_empty());

    assert_eq!(
        sheet::read(&bytes, Some("Term 2")).unwrap_err().to_string(),
        "the spreadsheet has no sheet \"Term 2\"; its sheets are \"Class 4B\", \"Notes\""
    );
    assert_eq!(
        sheet::read(&bytes, Some("Notes")).unwrap_err(),
        SheetError::EmptySheet("Notes".into())
    );
}

#[test]
fn formulas_read_as_their_saved_values_and_what_is_not_plain_is_noted_and_the_rest_kept() {
    let dataset = model::Dataset::from_json(SCHEMA).unwrap();
    let csv = common::synthetic_csv(12, 3);
    let cells = records(&csv);
    let header = &cells[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap() as u16;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in cells.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(x) if r > 0 => sheet.write_number(r as u32, c as u16, x).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    let (writing, lunch) = (at("writing_score"), at("lunch"));
    // Row 3's writing score is a formula saved with its value; row 5's lunch an error value.
    sheet
        .write_formula(2, writing, Formula::new("=70+1").set_result("71"))
        .unwrap();
    sheet
        .write_formula(4, lunch, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    // A merged title right of the table, and a date in a column no field reads.
    let right = header.len() as u16 + 1;
    sheet
        .merge_range(0, right, 0, right + 1, "Term 1", &Format::new())
        .unwrap();
    let date = ExcelDateTime::from_ymd(2026, 9, 1).unwrap();
    sheet
        .write_datetime_with_format(1, right, &date, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let table = sheet::read(&bytes, None).unwrap();
    let lunch_cell = cell_name((4, u32::from(lunch)));
    let right_cell = |row| cell_name((row, u32::from(right)));
    assert_eq!(
        table.notes,
        [
            format!("sheet \"Sheet1\": {} holds a date, read as the spreadsheet's day number 46266", right_cell(1)),
            format!("sheet \"Sheet1\": {lunch_cell} holds the error value #DIV/0!, read as an empty cell"),
            format!(
                "sheet \"Sheet1\": the cells {}:{} are merged; only {} holds a value, the others are read as empty",
                right_cell(0),
                cell_name((0, u32::from(right) + 1)),
                right_cell(0)
            ),
        ]
    );
    // The formula's saved value, in the sheet's row 3.
    let text = String::from_utf8(table.csv.clone()).unwrap();
    let read = records(&text);
    assert_eq!(read[2][usize::from(writing)], "71");
    // Every field of this dataset is required: the emptied cell is the one bad row, named by
    // the sheet's row and the column, and no other row is refused.
    match trainer::data::parse(&table.csv, &dataset) {
        Err(trainer::data::DataError::Rows(errors)) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(
                (errors[0].line, errors[0].column.as_deref()),
                (5, Some("lunch"))
            );
            assert_eq!(errors[0].message, "is empty");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_that_is_no_readable_spreadsheet_says_to_save_the_sheet_as_csv() {
    let broken = b"PK\x03\x04 not really a zip archive";
    assert!(sheet::is_spreadsheet(broken));
    let error = sheet::read(broken, None).unwrap_err();
    assert!(matches!(error, SheetError::Unreadable(_)));
    assert!(
        error
            .to_string()
            .ends_with("save the sheet as CSV (UTF-8) and use that"),
        "{error}"
    );
    assert!(sheet::table(broken, None).is_err());
}

#[test]
fn cells_are_named_as_a_spreadsheet_names_them() {
    assert_eq!(cell_name((0, 0)), "A1");
    assert_eq!(cell_name((0, 25)), "Z1");
    assert_eq!(cell_name((0, 26)), "AA1");
    assert_eq!(cell_name((11, 27)), "AB12");
    assert_eq!(cell_name((99, 701)), "ZZ100");
    assert_eq!(cell_name((0, 702)), "AAA1");
}

#[test]
fn the_trainer_loads_a_spreadsheet_as_it_loads_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = common::synthetic_csv(30, 11);
    let (csv_path, xlsx_path) = (dir.path().join("class.csv"), dir.path().join("class.xlsx"));
    std::fs::write(&csv_path, &csv).unwrap();
    std::fs::write(&xlsx_path, workbook_of(&csv)).unwrap();
    let load = |path: &std::path::Path| {
        let mut config = trainer::train::Config::new(path, dir.path().join("out"));
        config.schema = Some("../data/students.schema.json".into());
        trainer::train::load(&config).unwrap()
    };
    let (d1, rows1, _) = load(&csv_path);
    let (d2, rows2, bytes) = load(&xlsx_path);
    assert_eq!(d1, d2);
    assert_eq!(rows1.len(), rows2.len());
    assert!(rows1
        .iter()
        .zip(&rows2)
        .all(|(a, b)| a.student == b.student));
    assert!(
        sheet::is_spreadsheet(&bytes),
        "the file's own bytes, for its hash"
    );
}
