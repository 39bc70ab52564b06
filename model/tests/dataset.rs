//! The dataset file (`model::dataset`): every rule of `Dataset::validate` with its exact
//! message and JSON path, the shapes it reads (a bare Table Schema, what `frictionless
//! describe` writes), `Field::read_cell`, the helpers, the checked-in JSON Schema
//! (`UPDATE_SCHEMA=1 cargo test -p model --features schema --test dataset` regenerates it) and
//! `data/uci-student.schema.json` against the real CSV when it is found beside the repository.
//! Column names here are made up, except in the test of the real file.
#![cfg(not(target_arch = "wasm32"))]

use model::dataset::{Cell, Dataset, FieldType, Observed};
use model::Feature;
use serde_json::{json, Value};

/// A valid resource with one field of each kind, to break one rule at a time.
fn base() -> Value {
    json!({
        "name": "made-up",
        "schema": {
            "fields": [
                {"name": "score", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
                {"name": "level", "type": "integer", "constraints": {"minimum": 0, "maximum": 4},
                 "categories": [{"value": 0, "label": "none"}, {"value": 4, "label": "all"}]},
                {"name": "colour", "type": "string", "categories": ["red", "green"]},
                {"name": "flag", "type": "boolean"},
                {"name": "note"}
            ]
        },
        "roles": {"targets": ["score"], "sensitive": ["colour", "level"],
                  "actionable": ["flag"], "audited": ["flag"], "ignored": ["note"]}
    })
}

fn error_of(doc: &Value) -> String {
    match Dataset::from_json(&doc.to_string()) {
        Ok(_) => panic!("accepted: {doc}"),
        Err(e) => e.to_string(),
    }
}

/// `base()` with `change` applied, and its error.
fn broken(change: impl FnOnce(&mut Value)) -> String {
    let mut doc = base();
    change(&mut doc);
    error_of(&doc)
}

fn field(doc: &mut Value, i: usize) -> &mut Value {
    &mut doc["schema"]["fields"][i]
}

#[test]
fn the_base_document_is_valid() {
    let d = Dataset::from_json(&base().to_string()).unwrap();
    assert_eq!(d.schema.fields.len(), 5);
    assert_eq!(
        d.schema.fields[4].kind,
        FieldType::String,
        "absent type is string"
    );
}

#[test]
fn every_rule_is_named_by_its_path() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|d| d["schema"]["fields"] = json!([])),
            "schema.fields: is empty: a schema has at least one field",
        ),
        (
            Box::new(|d| field(d, 1)["name"] = json!("  ")),
            "schema.fields[1].name: is blank",
        ),
        (
            Box::new(|d| field(d, 2)["name"] = json!("score")),
            "schema.fields[2].name: \"score\" is also the name of schema.fields[0]",
        ),
        (
            Box::new(|d| field(d, 3)["type"] = json!("date")),
            "schema.fields[3].type: \"date\" is not a supported type: a field's type is one of number, integer, string, boolean",
        ),
        (
            Box::new(|d| field(d, 3)["type"] = json!(3)),
            "schema.fields[3].type: invalid type: integer `3`, expected a string",
        ),
        (
            Box::new(|d| field(d, 0)["constraints"]["minimum"] = json!("0")),
            "schema.fields[0].constraints.minimum: invalid type: string \"0\", expected f64",
        ),
        (
            Box::new(|d| field(d, 0)["constraints"]["minimum"] = json!(101)),
            "schema.fields[0].constraints.minimum: 101 is above the maximum 100",
        ),
        (
            Box::new(|d| field(d, 2)["constraints"] = json!({"maximum": 3})),
            "schema.fields[2].constraints.maximum: applies to number and integer fields only; this field's type is string",
        ),
        (
            Box::new(|d| field(d, 0)["step"] = json!(0)),
            "schema.fields[0].step: 0 is not a positive number",
        ),
        (
            Box::new(|d| field(d, 0)["step"] = json!(-0.5)),
            "schema.fields[0].step: \u{2212}0.5 is not a positive number",
        ),
        (
            Box::new(|d| field(d, 3)["step"] = json!(1)),
            "schema.fields[3].step: applies to number and integer fields only; this field's type is boolean",
        ),
        (
            Box::new(|d| field(d, 1)["categories"] = json!([0, 1])),
            "schema.fields[1].categories[0]: has no label: the categories of an integer field give the meaning of its coded levels, as {\"value\": 1, \"label\": \"…\"}",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["value"] = json!("x")),
            "schema.fields[1].categories[1].value: \"x\" is not a number: an integer field's categories are numbers",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["value"] = json!(2.5)),
            "schema.fields[1].categories[1].value: 2.5 is not a whole number",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["value"] = json!(5)),
            "schema.fields[1].categories[1].value: 5 is above the maximum 4",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["value"] = json!(-1)),
            "schema.fields[1].categories[1].value: \u{2212}1 is below the minimum 0",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["value"] = json!(0)),
            "schema.fields[1].categories[1].value: 0 is also categories[0]",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1] = json!({"value": 4})),
            "schema.fields[1].categories[1]: is neither a value nor an object with value and label",
        ),
        (
            Box::new(|d| field(d, 1)["categories"][1]["label"] = json!(" ")),
            "schema.fields[1].categories[1].label: is blank",
        ),
        (
            Box::new(|d| field(d, 2)["categories"] = json!(["red", 3])),
            "schema.fields[2].categories[1]: 3 is not a text: a string field's categories are texts",
        ),
        (
            Box::new(|d| field(d, 2)["categories"] = json!(["red", "red"])),
            "schema.fields[2].categories[1]: \"red\" is also categories[0]",
        ),
        (
            Box::new(|d| field(d, 2)["categories"] = json!(["red", "RED "])),
            "schema.fields[2].categories[1]: \"RED \" is categories[0] \"red\" in another case or spacing",
        ),
        (
            Box::new(|d| field(d, 2)["categories"] = json!(["red", ""])),
            "schema.fields[2].categories[1]: is blank (a blank cell is a missing value)",
        ),
        (
            Box::new(|d| field(d, 2)["categories"] = json!([])),
            "schema.fields[2].categories: is empty",
        ),
        (
            Box::new(|d| {
                field(d, 2)["categories"] = json!([{"value": "red", "label": "Red"}, "green"])
            }),
            "schema.fields[2].categories[1]: has no label, while categories[0] has one: label every category or none",
        ),
        (
            Box::new(|d| field(d, 3)["categories"] = json!(["yes", "no"])),
            "schema.fields[3].categories: a boolean field takes no categories: its values are false and true (trueValues and falseValues give other spellings)",
        ),
        (
            Box::new(|d| field(d, 2)["constraints"] = json!({"enum": ["red", "blue"]})),
            "schema.fields[2].constraints.enum[1]: \"blue\" is not one of the field's categories",
        ),
        (
            Box::new(|d| field(d, 4)["constraints"] = json!({"enum": ["a", 1]})),
            "schema.fields[4].constraints.enum[1]: 1 is not a text: a string field's enum are texts",
        ),
        (
            Box::new(|d| field(d, 4)["constraints"] = json!({"enum": ["a", "a"]})),
            "schema.fields[4].constraints.enum[1]: \"a\" is also enum[0]",
        ),
        (
            Box::new(|d| field(d, 0)["constraints"]["enum"] = json!([1, 200])),
            "schema.fields[0].constraints.enum[1]: 200 is above the maximum 100",
        ),
        (
            Box::new(|d| field(d, 3)["constraints"] = json!({"enum": [true]})),
            "schema.fields[3].constraints.enum: a boolean field takes no enum: its values are false and true",
        ),
        (
            Box::new(|d| field(d, 2)["trueValues"] = json!(["yes"])),
            "schema.fields[2].trueValues: applies to boolean fields only; this field's type is string",
        ),
        (
            Box::new(|d| {
                field(d, 3)["trueValues"] = json!(["yes"]);
                field(d, 3)["falseValues"] = json!(["no", "yes"]);
            }),
            "schema.fields[3].falseValues[1]: \"yes\" is also in trueValues",
        ),
        (
            Box::new(|d| field(d, 3)["trueValues"] = json!([])),
            "schema.fields[3].trueValues: is empty",
        ),
        (
            Box::new(|d| field(d, 0)["aliases"] = json!(["colour"])),
            "schema.fields[0].aliases[0]: \"colour\" is the name of schema.fields[2]",
        ),
        (
            Box::new(|d| d["schema"]["missingValues"] = json!(["", 0])),
            "schema.missingValues[1]: invalid type: integer `0`, expected a string",
        ),
        (
            Box::new(|d| field(d, 0)["missingValues"] = json!([{"value": "NA"}])),
            "schema.fields[0].missingValues[0]: invalid type: map, expected a string",
        ),
        (
            Box::new(|d| d["dialect"] = json!({"delimiter": ";;"})),
            "dialect.delimiter: \";;\" is not a single ASCII character",
        ),
        (
            Box::new(|d| d["roles"]["actionable"] = json!(["flag", "level", "foo"])),
            "roles.actionable[2]: \"foo\" is not a field of the schema",
        ),
        (
            Box::new(|d| d["roles"]["sensitive"] = json!(["colour", "colour"])),
            "roles.sensitive[1]: \"colour\" is also roles.sensitive[0]",
        ),
        (
            Box::new(|d| d["roles"]["targets"] = json!(["score", "colour"])),
            "roles.targets[1]: \"colour\" is a string field: a target is a number or integer field",
        ),
        (
            Box::new(|d| d["roles"]["audited"] = json!(["level"])),
            "roles.audited[0]: \"level\" is an integer field: the audit groups by categorical (string or boolean) fields only",
        ),
        (
            Box::new(|d| d["roles"]["ignored"] = json!(["note", "score"])),
            "roles.ignored[1]: \"score\" is also in roles.targets: an ignored field is never used",
        ),
        (
            Box::new(|d| d["roles"]["ignored"] = json!(["flag"])),
            "roles.ignored[0]: \"flag\" is also in roles.actionable: an ignored field is never used",
        ),
        (
            Box::new(|d| d["roles"]["targets"] = json!("score")),
            "roles.targets: invalid type: string \"score\", expected a sequence",
        ),
        (
            Box::new(|d| d["roles"]["tragets"] = json!([])),
            "roles.tragets: unknown field `tragets`, expected one of `targets`, `sensitive`, `actionable`, `audited`, `ignored`, `rationale`",
        ),
        (
            Box::new(|d| d["schema"] = json!({})),
            "schema: missing field `fields`",
        ),
        (
            Box::new(|d| *d = json!([1])),
            "the document: is not a JSON object: a dataset file is a Data Resource (with schema) or a Table Schema (with fields)",
        ),
        (
            Box::new(|d| *d = json!({"name": "x"})),
            "the document: has neither schema (a Data Resource) nor fields (a Table Schema)",
        ),
    ];
    let mut failures = Vec::new();
    for (change, expected) in cases {
        let got = broken(change);
        if got != expected {
            failures.push(format!("expected {expected}\n     got {got}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_numeric_sensitive_field_is_allowed_and_not_audited() {
    let d = Dataset::from_json(&base().to_string()).unwrap();
    let names = |fields: Vec<&model::dataset::Field>| {
        fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(d.sensitive()), ["level", "colour"], "schema order");
    assert_eq!(d.sensitive_names(), ["level", "colour"]);
    assert_eq!(names(d.audited_columns()), ["colour", "flag"]);
    assert_eq!(names(d.targets()), ["score"]);
    assert_eq!(names(d.actionable()), ["flag"]);
    assert_eq!(
        names(d.feature_fields("score", &[])),
        ["level", "colour", "flag"],
        "not the target, not ignored"
    );
    assert_eq!(
        names(d.feature_fields("score", &d.sensitive_names())),
        ["flag"]
    );
}

#[test]
fn invalid_json_is_a_syntax_error_with_its_line() {
    let e = Dataset::from_json("{\n  \"fields\": [,]\n}").unwrap_err();
    assert!(e.path().is_none());
    let source = std::error::Error::source(&e).unwrap().to_string();
    assert!(source.contains("line 2"), "{source}");
}

#[test]
fn a_bare_table_schema_reads_with_paths_from_fields() {
    let d = Dataset::from_json(
        r#"{"fields": [{"name": "a", "type": "integer"}, {"name": "b"}], "missingValues": ["", "NA"]}"#,
    )
    .unwrap();
    assert_eq!(d.schema.fields.len(), 2);
    assert_eq!(d.schema.missing_values, ["", "NA"]);
    assert!(d.roles.is_empty());
    let e = Dataset::from_json(r#"{"fields": [{"name": "a"}, {"name": "a"}]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fields[1].name: \"a\" is also the name of fields[0]"
    );
    let e = Dataset::from_json(r#"{"fields": [{"name": "a", "type": "any"}]}"#).unwrap_err();
    assert_eq!(e.path(), Some("fields[0].type"));
}

/// What `frictionless describe data.csv` writes, standard keys and all.
const DESCRIBED: &str = r#"{
  "name": "made-up",
  "type": "table",
  "path": "made-up.csv",
  "scheme": "file",
  "format": "csv",
  "encoding": "utf-8",
  "mediatype": "text/csv",
  "dialect": {"header": true, "delimiter": ";", "quoteChar": "\"", "csv": {"delimiter": ";"}},
  "schema": {
    "fields": [
      {"name": "id", "type": "integer", "format": "default"},
      {"name": "kind", "type": "string", "format": "default"},
      {"name": "score", "type": "number", "format": "default", "constraints": {"required": true}},
      {"name": "ok", "type": "boolean", "format": "default", "trueValues": ["yes"], "falseValues": ["no"]}
    ],
    "missingValues": ["", "NA"],
    "primaryKey": ["id"]
  }
}"#;

#[test]
fn what_frictionless_describe_writes_reads_as_is() {
    let d = Dataset::from_json(DESCRIBED).unwrap();
    assert_eq!(d.delimiter(), Some(b';'));
    assert_eq!(d.schema.missing_values, ["", "NA"]);
    assert!(d.field("score").unwrap().constraints.required);
    assert!(d.roles.is_empty(), "no roles: no target, nothing sensitive");
    let ok = d.field("ok").unwrap();
    assert_eq!(
        d.read_cell(ok, "yes").unwrap(),
        Some(Cell::Category("true".into()))
    );
    assert_eq!(d.read_cell(ok, "NA").unwrap(), None);
    // Written back, it reads again to the same value.
    assert_eq!(Dataset::from_json(&d.to_json_pretty()).unwrap(), d);
    // frictionless-py 5 nests the delimiter under `csv`.
    let mut v: Value = serde_json::from_str(DESCRIBED).unwrap();
    v["dialect"] = json!({"csv": {"delimiter": "\t"}});
    assert_eq!(
        Dataset::from_json(&v.to_string()).unwrap().delimiter(),
        Some(b'\t')
    );
}

fn one_field(f: Value) -> Dataset {
    Dataset::from_json(&json!({"schema": {"fields": [f], "missingValues": ["", "NA"]}}).to_string())
        .unwrap()
}

#[test]
fn cells_read_as_the_field_says() {
    let n = one_field(json!({"name": "x", "type": "number",
                             "constraints": {"minimum": 0, "maximum": 100}}));
    let f = &n.schema.fields[0];
    let read = |t: &str| n.read_cell(f, t);
    assert_eq!(read("85").unwrap(), Some(Cell::Number(85.0)));
    assert_eq!(read(" 85,5 ").unwrap(), Some(Cell::Number(85.5)));
    assert_eq!(read("2.5").unwrap(), Some(Cell::Number(2.5)));
    assert_eq!(read("").unwrap(), None);
    assert_eq!(read("NA").unwrap(), None);
    assert_eq!(
        read("101").unwrap_err().to_string(),
        "\"101\" is not between 0 and 100"
    );
    assert_eq!(
        read("abc").unwrap_err().to_string(),
        "\"abc\" is not a number"
    );
    assert!(read("1,234")
        .unwrap_err()
        .to_string()
        .contains("decimal comma"));

    let i = one_field(json!({"name": "x", "type": "integer"}));
    let f = &i.schema.fields[0];
    assert_eq!(
        i.read_cell(f, "2.5").unwrap_err().to_string(),
        "\"2.5\" is not a whole number"
    );
    assert_eq!(i.read_cell(f, "-3").unwrap(), Some(Cell::Number(-3.0)));

    let b = one_field(json!({"name": "x", "type": "boolean",
                             "trueValues": ["yes"], "falseValues": ["no"]}));
    let f = &b.schema.fields[0];
    assert_eq!(
        b.read_cell(f, "no").unwrap(),
        Some(Cell::Category("false".into()))
    );
    assert_eq!(
        b.read_cell(f, "true").unwrap_err().to_string(),
        "\"true\" is not one of: yes, no"
    );
    let plain = one_field(json!({"name": "x", "type": "boolean"}));
    let f = &plain.schema.fields[0];
    assert_eq!(
        plain.read_cell(f, "1").unwrap(),
        Some(Cell::Category("true".into()))
    );

    let s = one_field(json!({"name": "x", "categories": ["Red", "light green"]}));
    let f = &s.schema.fields[0];
    assert_eq!(
        s.read_cell(f, "RED").unwrap(),
        Some(Cell::Category("Red".into())),
        "any case, the file's spelling"
    );
    assert_eq!(
        s.read_cell(f, "Light_Green").unwrap(),
        Some(Cell::Category("light green".into()))
    );
    assert_eq!(
        s.read_cell(f, "blue").unwrap_err().to_string(),
        "\"blue\" is not one of: Red, light green"
    );
    let free = one_field(json!({"name": "x"}));
    assert_eq!(
        free.read_cell(&free.schema.fields[0], "anything").unwrap(),
        Some(Cell::Category("anything".into()))
    );
    let own = one_field(json!({"name": "x", "type": "number", "missingValues": ["-"]}));
    let f = &own.schema.fields[0];
    assert_eq!(own.read_cell(f, "-").unwrap(), None, "the field's own");
    assert!(own.read_cell(f, "NA").is_err(), "replaces the schema's");
}

#[test]
fn fields_become_features_and_targets() {
    let d = Dataset::from_json(&base().to_string()).unwrap();
    let level = d.field("level").unwrap();
    let feature = level.feature(&d, &Observed::default()).unwrap();
    match &feature {
        Feature::Numeric { min, max, info, .. } => {
            assert_eq!((*min, *max), (0.0, 4.0));
            assert_eq!(info.levels.len(), 2);
            assert!(info.sensitive);
        }
        other => panic!("{other:?}"),
    }
    let colour = d.field("colour").unwrap();
    match colour.feature(&d, &Observed::default()).unwrap() {
        Feature::Categorical { categories, .. } => assert_eq!(categories, ["red", "green"]),
        other => panic!("{other:?}"),
    }
    let cells = [
        Some(Cell::Category("b".into())),
        None,
        Some(Cell::Category("a".into())),
    ];
    let note = d.field("note").unwrap();
    match note.feature(&d, &Observed::of(&cells)).unwrap() {
        Feature::Categorical { categories, .. } => assert_eq!(categories, ["a", "b"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        note.feature(&d, &Observed::default())
            .unwrap_err()
            .to_string(),
        "schema.fields[4].categories: \"note\" lists no categories and the data has no value in it"
    );
    let flag = d.field("flag").unwrap();
    match flag.feature(&d, &Observed::default()).unwrap() {
        Feature::Categorical {
            categories, info, ..
        } => {
            assert_eq!(categories, ["false", "true"]);
            assert!(info.actionable);
        }
        other => panic!("{other:?}"),
    }

    let score = d.field("score").unwrap();
    let info = score.target_info(&d, &Observed::default()).unwrap();
    assert_eq!((info.min, info.max), (0.0, 100.0));
    assert!(colour.target_info(&d, &Observed::default()).is_err());

    // A bound the file does not give comes from the data.
    let open = one_field(json!({"name": "x", "type": "number", "constraints": {"minimum": 0}}));
    let cells = [Some(Cell::Number(3.0)), Some(Cell::Number(7.5))];
    let f = &open.schema.fields[0];
    match f.feature(&open, &Observed::of(&cells)).unwrap() {
        Feature::Numeric { min, max, .. } => assert_eq!((min, max), (0.0, 7.5)),
        other => panic!("{other:?}"),
    }
    let coded = one_field(json!({"name": "x", "type": "integer",
        "categories": [{"value": 0, "label": "none"}, {"value": 4, "label": "all"}]}));
    let cells = [Some(Cell::Number(1.0)), Some(Cell::Number(3.0))];
    match coded.schema.fields[0]
        .feature(&coded, &Observed::of(&cells))
        .unwrap()
    {
        Feature::Numeric { min, max, .. } => {
            assert_eq!((min, max), (0.0, 4.0), "widened to the levels")
        }
        other => panic!("{other:?}"),
    }
    let constant = [Some(Cell::Number(3.0))];
    let free = one_field(json!({"name": "x", "type": "number"}));
    assert_eq!(
        free.schema.fields[0]
            .feature(&free, &Observed::of(&constant))
            .unwrap_err()
            .to_string(),
        "schema.fields[0].constraints: \"x\" takes the one value 3: give a minimum and a maximum apart"
    );
}

#[cfg(feature = "schema")]
#[test]
fn checked_in_dataset_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/dataset.schema.json");
    let generated = model::dataset::json_schema_dataset();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{path} is out of date: run UPDATE_SCHEMA=1 cargo test -p model --features schema --test dataset"
    );
    for word in ["intendedUse", "categoriesOrdered", "missingValues", "roles"] {
        assert!(generated.contains(&format!("\"{word}\"")), "{word}");
    }
}

/// The CSV beside the repository (`shared/data`), if it is there.
fn find_shared(name: &str) -> Option<std::path::PathBuf> {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        "../shared/data",
        "../../shared/data",
        "../../../shared/data",
    ]
    .iter()
    .map(|d| crate_dir.join(d).join(name))
    .find(|p| p.is_file())
}

/// One CSV line's cells, unquoted (`"a";"b""c";3`): enough for the UCI file, whose cells hold
/// no delimiter or line break.
fn split_line(line: &str, delimiter: char) -> Vec<String> {
    line.split(delimiter)
        .map(|cell| {
            let cell = cell.trim();
            match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(inner) => inner.replace("\"\"", "\""),
                None => cell.to_owned(),
            }
        })
        .collect()
}

#[test]
fn the_uci_student_file_reads_and_reads_every_row_of_its_csv() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/uci-student.schema.json"
    );
    let d = Dataset::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(d.name.as_deref(), Some("uci-student-por"));
    assert!(!d.roles.targets.is_empty());
    for f in &d.schema.fields {
        assert!(f.title.is_some() && f.description.is_some(), "{}", f.name);
        if f.is_numeric() {
            assert!(
                f.constraints.minimum.is_some() && f.constraints.maximum.is_some(),
                "{}",
                f.name
            );
        }
        // Every field becomes a feature from the file alone.
        f.feature(&d, &Observed::default()).unwrap();
    }
    for t in d.targets() {
        t.target_info(&d, &Observed::default()).unwrap();
    }
    let Some(csv) = find_shared("student-por.csv") else {
        println!("note: shared/data/student-por.csv not found: the rows are not checked");
        return;
    };
    let text = std::fs::read_to_string(&csv).unwrap();
    let delimiter = char::from(d.delimiter().unwrap_or(b','));
    let mut lines = text.lines();
    let header = split_line(lines.next().unwrap(), delimiter);
    let names: Vec<&str> = d.schema.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(header, names, "the header names the fields, in order");
    let mut rows = 0;
    let mut errors = Vec::new();
    for (k, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_line(line, delimiter);
        assert_eq!(cells.len(), header.len(), "line {}", k + 2);
        for (f, cell) in d.schema.fields.iter().zip(&cells) {
            match d.read_cell(f, cell) {
                Ok(Some(_)) => {}
                Ok(None) => errors.push(format!("line {}: {}: missing", k + 2, f.name)),
                Err(e) => errors.push(format!("line {}: {}: {e}", k + 2, f.name)),
            }
        }
        rows += 1;
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(rows, 649);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Any small JSON value.
    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "[a-zA-Z0-9 ,.;_-]{0,6}".prop_map(Value::from),
            Just(json!({"value": 1, "label": "x"})),
            Just(json!({"value": "x", "label": ""})),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z]{1,8}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Where in `base()` a value is put.
    const PLACES: [&str; 16] = [
        "/schema/fields/0/type",
        "/schema/fields/0/constraints/minimum",
        "/schema/fields/0/constraints/enum",
        "/schema/fields/1/categories",
        "/schema/fields/1/categories/0",
        "/schema/fields/2/categories",
        "/schema/fields/2/constraints",
        "/schema/fields/3/trueValues",
        "/schema/fields/3/type",
        "/schema/fields/4/step",
        "/schema/fields/4/name",
        "/schema/missingValues",
        "/roles/targets",
        "/roles/audited",
        "/roles/ignored",
        "/dialect",
    ];

    proptest! {
        #[test]
        fn arbitrary_text_is_refused_or_read(text in "\\PC{0,64}") {
            if let Err(e) = Dataset::from_json(&text) {
                prop_assert!(!e.to_string().is_empty());
            }
        }

        #[test]
        fn a_value_anywhere_is_refused_with_a_path_or_read(
            place in 0..PLACES.len(),
            value in any_value(),
        ) {
            let mut doc = base();
            let (parent, key) = PLACES[place].rsplit_once('/').unwrap();
            match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => { m.insert(key.to_owned(), value); }
                Some(Value::Array(a)) => { a[key.parse::<usize>().unwrap()] = value; }
                _ => {}
            }
            match Dataset::from_json(&doc.to_string()) {
                Ok(d) => {
                    for f in &d.schema.fields {
                        let _ = f.feature(&d, &Observed::default());
                        for text in ["", "0", "2,5", "x", "yes"] {
                            let _ = d.read_cell(f, text);
                        }
                    }
                }
                Err(e) => prop_assert!(e.path().is_some(), "{e}"),
            }
        }
    }
}

#[test]
fn a_header_cell_names_a_field_by_name_title_or_alias() {
    let d = one_field(json!({"name": "home_town", "title": "Town of birth",
                             "aliases": ["birthplace"]}));
    let f = &d.schema.fields[0];
    for cell in [
        "home_town",
        "Home Town",
        "home-town",
        "town of birth",
        "BIRTHPLACE",
    ] {
        assert!(f.names_column(cell), "{cell}");
    }
    for cell in ["town", "hometown", ""] {
        assert!(!f.names_column(cell), "{cell}");
    }
}
