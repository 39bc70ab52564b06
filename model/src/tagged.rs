//! Reading the format's `kind`-tagged enums ([`Feature`], [`Step`], [`Model`], [`Aggregation`])
//! without serde's buffering.
//!
//! serde's derive for an internally tagged enum first copies each object into its private
//! `Content` tree, then reads the variant from that copy: every nested reader (trees, points,
//! categories) is compiled twice, once for JSON and once for `Content`. In the browser that was
//! 12.4 KB gzip of the first load (measured with the app's release build, `e2e/budget.test.mjs`).
//! Here each enum is read as one flat record holding every variant's fields, straight from the
//! JSON (each enum's `Deserialize` below), and the record becomes the variant its `kind`
//! names, once the fields that variant needs are there. The JSON is the same and writing stays
//! derived; a missing field reads "missing field `…`", as serde says it, and an unknown kind
//! "unknown variant `…`, expected one of …".

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::format::{
    Aggregation, Feature, FieldInfo, KnnWeighting, Level, Model, ObliviousTree, Step, Tree,
};

/// A field the record's `kind` needs but the object lacks.
#[derive(Debug, PartialEq)]
struct Missing(&'static str);

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

/// `Deserialize` for a tagged enum: its flat record, then the variant. (By hand rather than
/// `#[serde(try_from)]`, which would make the JSON Schema describe the record.)
macro_rules! read_through {
    ($($enum:ty => $record:ty),* $(,)?) => {$(
        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$record>::deserialize(deserializer)?.try_into().map_err(de::Error::custom)
            }
        }
    )*};
}

read_through! {
    Feature => FeatureRecord,
    Step => StepRecord,
    Model => ModelRecord,
    Aggregation => AggregationRecord,
}

/// A field some kind needs: absent, it is `Given(None)`; present, it must be a `T` (a `null` is
/// refused as the wrong type, as the derive refuses it, not taken for an absent field).
struct Given<T>(Option<T>);

impl<T> Default for Given<T> {
    fn default() -> Self {
        Given(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Given<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|value| Given(Some(value)))
    }
}

fn need<T>(value: Given<T>, field: &'static str) -> Result<T, Missing> {
    value.0.ok_or(Missing(field))
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum FeatureKind {
    Categorical,
    Numeric,
}

#[derive(Deserialize)]
struct FeatureRecord {
    kind: FeatureKind,
    #[serde(default)]
    name: Given<String>,
    #[serde(default)]
    categories: Given<Vec<String>>,
    #[serde(default)]
    min: Given<f64>,
    #[serde(default)]
    max: Given<f64>,
    // FieldInfo's fields, listed rather than flattened: serde's flatten buffers the object.
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    step: Option<f64>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    levels: Vec<Level>,
    #[serde(default)]
    category_labels: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    actionable: bool,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    audited: bool,
}

impl TryFrom<FeatureRecord> for Feature {
    type Error = Missing;

    fn try_from(r: FeatureRecord) -> Result<Self, Missing> {
        let name = need(r.name, "name")?;
        let info = FieldInfo {
            label: r.label,
            help: r.help,
            unit: r.unit,
            step: r.step,
            group: r.group,
            levels: r.levels,
            category_labels: r.category_labels,
            aliases: r.aliases,
            actionable: r.actionable,
            sensitive: r.sensitive,
            audited: r.audited,
        };
        Ok(match r.kind {
            FeatureKind::Categorical => Feature::Categorical {
                name,
                categories: need(r.categories, "categories")?,
                info,
            },
            FeatureKind::Numeric => Feature::Numeric {
                name,
                min: need(r.min, "min")?,
                max: need(r.max, "max")?,
                info,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StepKind {
    Standardize,
    OneHot,
}

/// `impute` is a number for `standardize` and a category for `one_hot`.
enum Impute {
    Number(f64),
    Category(String),
}

impl<'de> Deserialize<'de> for Impute {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ImputeVisitor;

        impl Visitor<'_> for ImputeVisitor {
            type Value = Impute;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a category")
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Impute, E> {
                Ok(Impute::Number(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Impute, E> {
                Ok(Impute::Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Impute, E> {
                Ok(Impute::Number(v as f64))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Impute, E> {
                Ok(Impute::Category(v.to_owned()))
            }
        }

        deserializer.deserialize_any(ImputeVisitor)
    }
}

#[derive(Deserialize)]
struct StepRecord {
    kind: StepKind,
    #[serde(default)]
    impute: Given<Impute>,
    #[serde(default)]
    mean: Given<f64>,
    #[serde(default)]
    scale: Given<f64>,
}

/// The wrong kind of `impute` for the step: the same words serde uses for a wrong type.
#[derive(Debug, PartialEq)]
enum StepError {
    Missing(Missing),
    Impute(&'static str),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Missing(m) => m.fmt(f),
            StepError::Impute(expected) => {
                write!(f, "invalid type for `impute`, expected {expected}")
            }
        }
    }
}

impl From<Missing> for StepError {
    fn from(m: Missing) -> Self {
        StepError::Missing(m)
    }
}

impl TryFrom<StepRecord> for Step {
    type Error = StepError;

    fn try_from(r: StepRecord) -> Result<Self, StepError> {
        let impute = need(r.impute, "impute")?;
        Ok(match (r.kind, impute) {
            (StepKind::Standardize, Impute::Number(impute)) => Step::Standardize {
                impute,
                mean: need(r.mean, "mean")?,
                scale: need(r.scale, "scale")?,
            },
            (StepKind::OneHot, Impute::Category(impute)) => Step::OneHot { impute },
            (StepKind::Standardize, Impute::Category(_)) => {
                return Err(StepError::Impute("a number"))
            }
            (StepKind::OneHot, Impute::Number(_)) => return Err(StepError::Impute("a string")),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ModelKind {
    Linear,
    TreeEnsemble,
    ObliviousEnsemble,
    Knn,
}

/// One tree of either ensemble: a binary tree's parallel arrays or an oblivious tree's levels.
#[derive(Deserialize)]
struct TreeRecord {
    #[serde(default)]
    feature: Given<Vec<i32>>,
    #[serde(default)]
    threshold: Given<Vec<f64>>,
    #[serde(default)]
    left: Given<Vec<i32>>,
    #[serde(default)]
    right: Given<Vec<i32>>,
    #[serde(default)]
    value: Given<Vec<f64>>,
    #[serde(default)]
    features: Given<Vec<i32>>,
    #[serde(default)]
    thresholds: Given<Vec<f64>>,
    #[serde(default)]
    values: Given<Vec<f64>>,
}

impl TryFrom<TreeRecord> for Tree {
    type Error = Missing;

    fn try_from(r: TreeRecord) -> Result<Self, Missing> {
        Ok(Tree {
            feature: need(r.feature, "feature")?,
            threshold: need(r.threshold, "threshold")?,
            left: need(r.left, "left")?,
            right: need(r.right, "right")?,
            value: need(r.value, "value")?,
        })
    }
}

impl TryFrom<TreeRecord> for ObliviousTree {
    type Error = Missing;

    fn try_from(r: TreeRecord) -> Result<Self, Missing> {
        Ok(ObliviousTree {
            features: need(r.features, "features")?,
            thresholds: need(r.thresholds, "thresholds")?,
            values: need(r.values, "values")?,
        })
    }
}

#[derive(Deserialize)]
struct ModelRecord {
    kind: ModelKind,
    #[serde(default)]
    intercept: Given<f64>,
    #[serde(default)]
    coefficients: Given<Vec<f64>>,
    #[serde(default)]
    trees: Given<Vec<TreeRecord>>,
    #[serde(default)]
    aggregation: Given<Aggregation>,
    #[serde(default)]
    k: Given<u32>,
    #[serde(default)]
    weighting: Given<KnnWeighting>,
    #[serde(default)]
    points: Given<Vec<Vec<f64>>>,
    #[serde(default)]
    targets: Given<Vec<f64>>,
}

fn trees<T: TryFrom<TreeRecord, Error = Missing>>(
    trees: Given<Vec<TreeRecord>>,
) -> Result<Vec<T>, Missing> {
    need(trees, "trees")?.into_iter().map(T::try_from).collect()
}

impl TryFrom<ModelRecord> for Model {
    type Error = Missing;

    fn try_from(r: ModelRecord) -> Result<Self, Missing> {
        Ok(match r.kind {
            ModelKind::Linear => Model::Linear {
                intercept: need(r.intercept, "intercept")?,
                coefficients: need(r.coefficients, "coefficients")?,
            },
            ModelKind::TreeEnsemble => Model::TreeEnsemble {
                trees: trees(r.trees)?,
                aggregation: need(r.aggregation, "aggregation")?,
            },
            ModelKind::ObliviousEnsemble => Model::ObliviousEnsemble {
                trees: trees(r.trees)?,
                aggregation: need(r.aggregation, "aggregation")?,
            },
            ModelKind::Knn => Model::Knn {
                k: need(r.k, "k")?,
                weighting: need(r.weighting, "weighting")?,
                points: need(r.points, "points")?,
                targets: need(r.targets, "targets")?,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AggregationKind {
    Mean,
    Sum,
    WeightedMedian,
}

#[derive(Deserialize)]
struct AggregationRecord {
    kind: AggregationKind,
    #[serde(default)]
    base: Given<f64>,
    #[serde(default)]
    scale: Given<f64>,
    #[serde(default)]
    weights: Given<Vec<f64>>,
}

impl TryFrom<AggregationRecord> for Aggregation {
    type Error = Missing;

    fn try_from(r: AggregationRecord) -> Result<Self, Missing> {
        Ok(match r.kind {
            AggregationKind::Mean => Aggregation::Mean,
            AggregationKind::Sum => Aggregation::Sum {
                base: need(r.base, "base")?,
                scale: need(r.scale, "scale")?,
            },
            AggregationKind::WeightedMedian => Aggregation::WeightedMedian {
                weights: need(r.weights, "weights")?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::format::{
        Aggregation, Feature, FieldInfo, KnnWeighting, Level, Model, ObliviousTree, Step, Tree,
    };

    fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    /// What the derive writes reads back as the same value, for every variant.
    #[test]
    fn every_variant_reads_back_what_was_written() {
        let features = [
            Feature::categorical("c", vec!["a/b".into(), "d".into()]),
            Feature::numeric("x", 0.0, 100.0),
            Feature::numeric("coded", 0.0, 4.0).with_info(FieldInfo {
                label: Some("Coded".into()),
                help: Some("A coded level.".into()),
                unit: Some("level".into()),
                step: Some(1.0),
                group: Some("Family".into()),
                levels: vec![Level {
                    value: 0.0,
                    label: "none".into(),
                }],
                category_labels: Vec::new(),
                aliases: vec!["code".into()],
                actionable: true,
                sensitive: true,
                audited: false,
            }),
        ];
        let steps = [
            Step::Standardize {
                impute: 70.0,
                mean: 69.2,
                scale: 14.6,
            },
            Step::OneHot {
                impute: "standard".into(),
            },
        ];
        let aggregations = [
            Aggregation::Mean,
            Aggregation::Sum {
                base: 66.1,
                scale: 0.1,
            },
            Aggregation::WeightedMedian {
                weights: vec![0.5, 1.5],
            },
        ];
        let tree = Tree {
            feature: vec![0, -1, -1],
            threshold: vec![0.5, 0.0, 0.0],
            left: vec![1, -1, -1],
            right: vec![2, -1, -1],
            value: vec![60.0, 55.0, 65.0],
        };
        let oblivious = ObliviousTree {
            features: vec![1],
            thresholds: vec![0.2],
            values: vec![-1.0, 1.0],
        };
        let models = [
            Model::Linear {
                intercept: 1.5,
                coefficients: vec![0.25, -3.0],
            },
            Model::TreeEnsemble {
                trees: vec![tree],
                aggregation: aggregations[1].clone(),
            },
            Model::ObliviousEnsemble {
                trees: vec![oblivious],
                aggregation: aggregations[0].clone(),
            },
            Model::Knn {
                k: 2,
                weighting: KnnWeighting::Distance,
                points: vec![vec![0.0, 1.0], vec![1.0, 0.0]],
                targets: vec![50.0, 70.0],
            },
        ];
        for f in &features {
            assert_eq!(
                &read::<Feature>(&serde_json::to_string(f).unwrap()).unwrap(),
                f
            );
        }
        for s in &steps {
            assert_eq!(
                &read::<Step>(&serde_json::to_string(s).unwrap()).unwrap(),
                s
            );
        }
        for a in &aggregations {
            assert_eq!(
                &read::<Aggregation>(&serde_json::to_string(a).unwrap()).unwrap(),
                a
            );
        }
        for m in &models {
            assert_eq!(
                &read::<Model>(&serde_json::to_string(m).unwrap()).unwrap(),
                m
            );
        }
    }

    #[test]
    fn the_kind_may_come_anywhere_in_the_object() {
        let step: Step =
            read(r#"{"mean": 1, "impute": 2, "scale": 3, "kind": "standardize"}"#).unwrap();
        assert_eq!(
            step,
            Step::Standardize {
                impute: 2.0,
                mean: 1.0,
                scale: 3.0
            }
        );
    }

    #[test]
    fn a_missing_field_or_kind_is_named() {
        let e = read::<Model>(r#"{"kind": "linear", "intercept": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `coefficients`"), "{e}");
        let e = read::<Model>(r#"{"kind": "tree_ensemble", "trees": [{"feature": [0]}], "aggregation": {"kind": "mean"}}"#)
            .unwrap_err();
        assert!(e.starts_with("missing field `threshold`"), "{e}");
        let e = read::<Aggregation>(r#"{"kind": "sum", "base": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `scale`"), "{e}");
        let e = read::<Feature>(r#"{"name": "lunch", "categories": []}"#).unwrap_err();
        assert!(e.starts_with("missing field `kind`"), "{e}");
    }

    #[test]
    fn a_null_is_the_wrong_type_not_an_absent_field() {
        let e = read::<Model>(r#"{"kind": "linear", "intercept": null, "coefficients": []}"#)
            .unwrap_err();
        assert!(e.starts_with("invalid type: null, expected f64"), "{e}");
        let e = read::<Step>(r#"{"kind": "one_hot", "impute": null}"#).unwrap_err();
        assert!(e.contains("null"), "{e}");
    }

    #[test]
    fn an_unknown_kind_lists_the_known_ones() {
        let e = read::<Model>(r#"{"kind": "svm"}"#).unwrap_err();
        assert!(
            e.starts_with("unknown variant `svm`, expected one of `linear`, `tree_ensemble`, `oblivious_ensemble`, `knn`"),
            "{e}"
        );
    }

    #[test]
    fn impute_must_match_the_step() {
        let e = read::<Step>(r#"{"kind": "one_hot", "impute": 3}"#).unwrap_err();
        assert!(
            e.starts_with("invalid type for `impute`, expected a string"),
            "{e}"
        );
        let e = read::<Step>(r#"{"kind": "standardize", "impute": "x", "mean": 0, "scale": 1}"#)
            .unwrap_err();
        assert!(
            e.starts_with("invalid type for `impute`, expected a number"),
            "{e}"
        );
        let e = read::<Step>(r#"{"kind": "standardize", "impute": [], "mean": 0, "scale": 1}"#)
            .unwrap_err();
        assert!(e.contains("expected a number or a category"), "{e}");
    }
}
