//! A model set as Rust source: the app's build script writes the embedded `model.json` as one
//! Rust expression, so the wasm carries the models ready-made and no JSON parser for them.
//! The document is read and validated at build time by the same reader the trainer uses; a
//! test checks the expression builds exactly the set the JSON reader gives.
//!
//! Every number is written as its bit pattern (`f64::from_bits(0x…)`), so nothing is lost.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::format::{
    Aggregation, Feature, FormatVersion, Interval, KnnWeighting, Metrics, Model, ModelBundle,
    ObliviousTree, Preprocessor, Step, Tree,
};
use crate::set::ModelSet;

/// `set` as a Rust expression of type `model::ModelSet`, using only public paths of this
/// crate (and `serde_json::Value` for hyper-parameters).
pub fn set_expression(set: &ModelSet) -> String {
    let mut out = String::new();
    set.emit(&mut out);
    out
}

/// `bundle` as a Rust expression of type `model::ModelBundle`.
pub fn bundle_expression(bundle: &ModelBundle) -> String {
    let mut out = String::new();
    bundle.emit(&mut out);
    out
}

/// Something that can be written as a Rust expression building an equal value.
trait Emit {
    fn emit(&self, out: &mut String);
}

impl Emit for f64 {
    fn emit(&self, out: &mut String) {
        let _ = write!(out, "f64::from_bits({:#x})", self.to_bits());
    }
}

impl Emit for u32 {
    fn emit(&self, out: &mut String) {
        let _ = write!(out, "{self}u32");
    }
}

impl Emit for i32 {
    fn emit(&self, out: &mut String) {
        let _ = write!(out, "{self}i32");
    }
}

impl Emit for String {
    fn emit(&self, out: &mut String) {
        // `{:?}` of a str is a valid Rust string literal (quotes and escapes included).
        let _ = write!(out, "::std::string::String::from({self:?})");
    }
}

impl<T: Emit> Emit for Vec<T> {
    fn emit(&self, out: &mut String) {
        out.push_str("::std::vec![");
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.emit(out);
        }
        out.push(']');
    }
}

/// A list of plain values as a constant slice copied into a `Vec`: data, not code.
fn emit_plain<T: Emit>(items: &[T], ty: &str, out: &mut String) {
    let _ = write!(out, "<[{ty}]>::to_vec(&[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.emit(out);
    }
    out.push_str("])");
}

/// Wraps a `Vec` of numbers so it is written as data (see [`emit_plain`]).
struct Plain<'a, T>(&'a [T], &'static str);

impl<T: Emit> Emit for Plain<'_, T> {
    fn emit(&self, out: &mut String) {
        emit_plain(self.0, self.1, out);
    }
}

/// Wraps a `Vec<String>` so it is written as constant text turned into strings by one shared
/// function.
struct Texts<'a>(&'a [String]);

impl Emit for Texts<'_> {
    fn emit(&self, out: &mut String) {
        out.push_str("::model::strings(&[");
        for (i, text) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{text:?}");
        }
        out.push_str("])");
    }
}

impl<T: Emit> Emit for Option<T> {
    fn emit(&self, out: &mut String) {
        match self {
            None => out.push_str("::std::option::Option::None"),
            Some(v) => {
                out.push_str("::std::option::Option::Some(");
                v.emit(out);
                out.push(')');
            }
        }
    }
}

impl<T: Emit> Emit for BTreeMap<String, T> {
    fn emit(&self, out: &mut String) {
        // Inserts, not `from_iter`: that sorts first, and a sort costs the wasm kilobytes.
        if self.is_empty() {
            out.push_str("::std::collections::BTreeMap::new()");
            return;
        }
        out.push_str("{let mut map = ::std::collections::BTreeMap::new();");
        for (key, value) in self {
            out.push_str("map.insert(");
            key.emit(out);
            out.push(',');
            value.emit(out);
            out.push_str(");");
        }
        out.push_str("map}");
    }
}

impl Emit for serde_json::Value {
    fn emit(&self, out: &mut String) {
        use serde_json::Value;
        match self {
            Value::Null => out.push_str("::serde_json::Value::Null"),
            Value::Bool(b) => {
                let _ = write!(out, "::serde_json::Value::Bool({b})");
            }
            Value::Number(n) => {
                // The variant the JSON reader would make: unsigned, then signed, then float.
                if let Some(u) = n.as_u64() {
                    let _ = write!(out, "::serde_json::Value::from({u}u64)");
                } else if let Some(i) = n.as_i64() {
                    let _ = write!(out, "::serde_json::Value::from({i}i64)");
                } else {
                    out.push_str("::serde_json::Value::from(");
                    n.as_f64().unwrap_or_default().emit(out);
                    out.push(')');
                }
            }
            Value::String(s) => {
                out.push_str("::serde_json::Value::String(");
                s.emit(out);
                out.push(')');
            }
            Value::Array(items) => {
                out.push_str("::serde_json::Value::Array(");
                items.emit(out);
                out.push(')');
            }
            Value::Object(map) if map.is_empty() => {
                out.push_str("::serde_json::Value::Object(::serde_json::Map::new())");
            }
            Value::Object(map) => {
                out.push_str(
                    "::serde_json::Value::Object({let mut map = ::serde_json::Map::new();",
                );
                for (key, value) in map {
                    out.push_str("map.insert(");
                    key.emit(out);
                    out.push(',');
                    value.emit(out);
                    out.push_str(");");
                }
                out.push_str("map})");
            }
        }
    }
}

/// Writes `Path { field: value, … }` for the named fields.
macro_rules! emit_struct {
    ($out:expr, $path:literal, $($name:ident: $value:expr),* $(,)?) => {{
        $out.push_str(concat!($path, " {"));
        $(
            $out.push_str(concat!(stringify!($name), ": "));
            $value.emit($out);
            $out.push(',');
        )*
        $out.push('}');
    }};
}

impl Emit for FormatVersion {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::FormatVersion", major: self.major, minor: self.minor);
    }
}

impl Emit for ModelSet {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::ModelSet",
            format: self.format,
            format_version: self.format_version,
            default_target: self.default_target,
            bundles: self.bundles,
        );
    }
}

impl Emit for ModelBundle {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::ModelBundle",
            format: self.format,
            format_version: self.format_version,
            target: self.target,
            features: self.features,
            preprocessor: self.preprocessor,
            model: self.model,
            metrics: self.metrics,
            interval: self.interval,
            excluded: Texts(&self.excluded),
        );
    }
}

impl Emit for Feature {
    fn emit(&self, out: &mut String) {
        match self {
            Feature::Categorical { name, categories } => emit_struct!(out,
                "::model::Feature::Categorical", name: name, categories: Texts(categories)),
            Feature::Numeric { name, min, max } => emit_struct!(out,
                "::model::Feature::Numeric", name: name, min: min, max: max),
        }
    }
}

impl Emit for Preprocessor {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::Preprocessor", steps: self.steps);
    }
}

impl Emit for Step {
    fn emit(&self, out: &mut String) {
        match self {
            Step::Standardize {
                impute,
                mean,
                scale,
            } => emit_struct!(out, "::model::Step::Standardize",
                impute: impute, mean: mean, scale: scale),
            Step::OneHot { impute } => emit_struct!(out, "::model::Step::OneHot", impute: impute),
        }
    }
}

impl Emit for Model {
    fn emit(&self, out: &mut String) {
        match self {
            Model::Linear {
                intercept,
                coefficients,
            } => emit_struct!(out, "::model::Model::Linear",
                intercept: intercept, coefficients: Plain(coefficients, "f64")),
            Model::TreeEnsemble { trees, aggregation } => emit_struct!(out,
                "::model::Model::TreeEnsemble", trees: trees, aggregation: aggregation),
            Model::ObliviousEnsemble { trees, aggregation } => emit_struct!(out,
                "::model::Model::ObliviousEnsemble", trees: trees, aggregation: aggregation),
            Model::Knn {
                k,
                weighting,
                points,
                targets,
            } => emit_struct!(out, "::model::Model::Knn",
                k: k, weighting: weighting, points: points, targets: Plain(targets, "f64")),
        }
    }
}

impl Emit for Tree {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::Tree",
            feature: Plain(&self.feature, "i32"),
            threshold: Plain(&self.threshold, "f64"),
            left: Plain(&self.left, "i32"),
            right: Plain(&self.right, "i32"),
            value: Plain(&self.value, "f64"),
        );
    }
}

impl Emit for ObliviousTree {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::ObliviousTree",
            features: Plain(&self.features, "i32"),
            thresholds: Plain(&self.thresholds, "f64"),
            values: Plain(&self.values, "f64"),
        );
    }
}

impl Emit for KnnWeighting {
    fn emit(&self, out: &mut String) {
        out.push_str(match self {
            KnnWeighting::Uniform => "::model::KnnWeighting::Uniform",
            KnnWeighting::Distance => "::model::KnnWeighting::Distance",
        });
    }
}

impl Emit for Aggregation {
    fn emit(&self, out: &mut String) {
        match self {
            Aggregation::Mean => out.push_str("::model::Aggregation::Mean"),
            Aggregation::Sum { base, scale } => emit_struct!(out,
                "::model::Aggregation::Sum", base: base, scale: scale),
            Aggregation::WeightedMedian { weights } => emit_struct!(out,
                "::model::Aggregation::WeightedMedian", weights: Plain(weights, "f64")),
        }
    }
}

impl Emit for Interval {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::Interval",
            level: self.level,
            half_width: self.half_width,
            n_calibration: self.n_calibration,
            test_coverage: self.test_coverage,
        );
    }
}

impl Emit for Metrics {
    fn emit(&self, out: &mut String) {
        emit_struct!(out, "::model::Metrics",
            family: self.family,
            params: self.params,
            cv_folds: self.cv_folds,
            cv_r2_mean: self.cv_r2_mean,
            cv_r2_std: self.cv_r2_std,
            test_r2: self.test_r2,
            test_mae: self.test_mae,
            test_rmse: self.test_rmse,
            n_train: self.n_train,
            n_test: self.n_test,
        );
    }
}
