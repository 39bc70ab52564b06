//! Embeds `assets/model.json` as Rust: the document is read and validated here, by the same
//! reader the trainer and the tests use, and written to `$OUT_DIR/model_set.rs` as one
//! expression (model::codegen). The wasm then carries the models ready-made instead of a JSON
//! parser for them; an unreadable model fails the build, naming the problem.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source = Path::new(&manifest).join("../assets/model.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let json = std::fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    let set: model::ModelSet = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{} is not a model set: {e}", source.display()));
    if let Err(e) = model::Predictors::new(set.clone()) {
        panic!("{} is not a usable model set: {e}", source.display());
    }
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("model_set.rs");
    std::fs::write(&out, model::codegen::set_expression(&set))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
