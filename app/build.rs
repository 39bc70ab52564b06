//! Which model set the app embeds: `assets/model.json` (the committed default), or the file
//! `APP_MODEL_JSON` names — how `make site` builds a site for another school's data without
//! touching the committed default (scripts/site.sh). The path reaches `lib.rs` as
//! `APP_MODEL_JSON_PATH`, read by `include_str!`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=APP_MODEL_JSON");
    let path = match std::env::var_os("APP_MODEL_JSON") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"))
            .join("../assets/model.json"),
    };
    let path = match path.canonicalize() {
        Ok(path) => path,
        Err(err) => {
            // A build script's panic is how cargo reports a failed build; say which file.
            panic!(
                "APP_MODEL_JSON: cannot read the model set {}: {err}",
                path.display()
            )
        }
    };
    println!("cargo:rerun-if-changed={}", path.display());
    println!("cargo:rustc-env=APP_MODEL_JSON_PATH={}", path.display());
}
