//! Embeds `assets/model.json` as Rust: the document is read and validated here, by the same
//! reader the trainer and the tests use, and written to `$OUT_DIR/model_set.rs` as one
//! expression (model::codegen). The wasm then carries the models ready-made instead of a JSON
//! parser for them; an unreadable model fails the build, naming the problem.
//!
//! For the tests it also writes `$OUT_DIR/fixtures.rs`: the model crate's golden fixtures (one
//! of every model kind) the same way, so a test can check the generated Rust of every kind
//! compiles and equals what the JSON reader gives, not only the kinds the trainer serves today.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");

    let source = Path::new(&manifest).join("../assets/model.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let json = read(&source);
    let set: model::ModelSet = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{} is not a model set: {e}", source.display()));
    if let Err(e) = model::Predictors::new(set.clone()) {
        panic!("{} is not a usable model set: {e}", source.display());
    }
    write(
        &Path::new(&out_dir).join("model_set.rs"),
        &model::codegen::set_expression(&set),
    );

    let fixtures = Path::new(&manifest).join("../model/tests/fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", fixtures.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".v1.json"))
        .collect();
    names.sort();
    let mut code = String::from("::std::vec![");
    for name in names {
        let path = fixtures.join(&name);
        let bundle: model::ModelBundle = serde_json::from_str(&read(&path))
            .unwrap_or_else(|e| panic!("{} is not a model bundle: {e}", path.display()));
        let _ = write!(
            code,
            "({name:?}, {}),",
            model::codegen::bundle_expression(&bundle)
        );
    }
    code.push(']');
    write(&Path::new(&out_dir).join("fixtures.rs"), &code);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
