//! The checked-in JSON Schema is the one the types generate. Regenerate it with
//! `UPDATE_SCHEMA=1 cargo test -p model --features schema --test schema`.
#![cfg(all(feature = "schema", not(target_arch = "wasm32")))]

fn check(path: &str, generated: String) {
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{path} is out of date: run UPDATE_SCHEMA=1 cargo test -p model --features schema --test schema"
    );
}

#[test]
fn checked_in_schemas_are_current() {
    check(
        concat!(env!("CARGO_MANIFEST_DIR"), "/schema/model.schema.json"),
        model::json_schema(),
    );
    check(
        concat!(env!("CARGO_MANIFEST_DIR"), "/schema/model-set.schema.json"),
        model::json_schema_set(),
    );
}

#[test]
fn schema_names_every_model_kind_and_aggregation() {
    let schema = model::json_schema();
    for word in [
        "linear",
        "tree_ensemble",
        "mean",
        "sum",
        "weighted_median",
        "one_hot",
        "standardize",
    ] {
        assert!(schema.contains(&format!("\"{word}\"")), "{word}");
    }
}
