//! The reader's checks: a bundle that passes them can be evaluated without any index going out
//! of range and without producing a non-finite number from finite inputs.

use crate::error::FormatError;
use crate::fields::fold;
use crate::format::{
    Aggregation, Feature, Metrics, Model, ModelBundle, ObliviousTree, Step, Tree, FORMAT_NAME,
    FORMAT_VERSION,
};
use crate::text::number;

type Result<T = ()> = std::result::Result<T, FormatError>;

fn finite(path: impl FnOnce() -> String, v: f64) -> Result {
    if v.is_finite() {
        Ok(())
    } else {
        Err(FormatError::invalid(path(), "is not a finite number"))
    }
}

/// A step, when there is one, is a finite positive number.
fn positive_step(path: impl Fn() -> String, step: Option<f64>) -> Result {
    match step {
        Some(s) if !s.is_finite() => Err(FormatError::invalid(path(), "is not a finite number")),
        Some(s) if s <= 0.0 => Err(FormatError::invalid(
            path(),
            format!("{} is not positive", number(s)),
        )),
        _ => Ok(()),
    }
}

/// Checks the header, then every part of the bundle against the others.
pub fn validate(b: &ModelBundle) -> Result {
    if b.format != FORMAT_NAME {
        return Err(FormatError::WrongFormat {
            found: b.format.clone(),
            expected: FORMAT_NAME,
        });
    }
    if b.format_version.major != FORMAT_VERSION.major {
        return Err(FormatError::UnsupportedVersion {
            found_major: b.format_version.major,
            found_minor: b.format_version.minor,
            major: FORMAT_VERSION.major,
        });
    }
    if b.target.trim().is_empty() {
        return Err(FormatError::invalid("target", "is empty"));
    }
    validate_features(&b.features, Some(&b.target))?;
    if let Some(name) = b
        .excluded
        .iter()
        .find(|e| b.features.iter().any(|f| f.name() == *e))
    {
        return Err(FormatError::invalid(
            "excluded",
            format!("{name:?} is excluded but is a feature"),
        ));
    }
    // A variant trained without some columns on purpose (the fairness variant) must not use a
    // column marked sensitive either.
    if !b.excluded.is_empty() {
        if let Some(i) = b.features.iter().position(|f| f.info().sensitive) {
            return Err(FormatError::invalid(
                format!("features[{i}].sensitive"),
                format!(
                    "{:?} is sensitive, in a model trained without {:?}",
                    b.features[i].name(),
                    b.excluded
                ),
            ));
        }
    }
    if let Some(t) = &b.target_info {
        finite(|| "target_info.min".into(), t.min)?;
        finite(|| "target_info.max".into(), t.max)?;
        if t.min >= t.max {
            return Err(FormatError::invalid(
                "target_info",
                format!("min {} >= max {}", number(t.min), number(t.max)),
            ));
        }
        positive_step(|| "target_info.step".into(), t.step)?;
    }
    validate_steps(&b.features, &b.preprocessor.steps)?;
    let width = b.features.iter().map(Feature::width).sum();
    validate_model(&b.model, width)?;
    if let Some(interval) = &b.interval {
        finite(|| "interval.level".into(), interval.level)?;
        finite(|| "interval.half_width".into(), interval.half_width)?;
        finite(|| "interval.test_coverage".into(), interval.test_coverage)?;
        if !(interval.level > 0.0 && interval.level < 1.0) {
            return Err(FormatError::invalid(
                "interval.level",
                format!("{} is not between 0 and 1", number(interval.level)),
            ));
        }
        if interval.half_width < 0.0 {
            return Err(FormatError::invalid("interval.half_width", "is negative"));
        }
    }
    validate_metrics(&b.metrics)
}

pub(crate) fn validate_features(features: &[Feature], target: Option<&str>) -> Result {
    if features.is_empty() {
        return Err(FormatError::invalid("features", "is empty"));
    }
    for (i, f) in features.iter().enumerate() {
        let path = format!("features[{i}]");
        if f.name().trim().is_empty() {
            return Err(FormatError::invalid(path, "has an empty name"));
        }
        if Some(f.name()) == target {
            return Err(FormatError::invalid(path, "is the target itself"));
        }
        // A header cell naming both could not tell them apart.
        if let Some(t) = target.filter(|t| fold(t) == fold(f.name())) {
            return Err(FormatError::invalid(
                path,
                format!("{:?} is named like the target {t:?}", f.name()),
            ));
        }
        let info = f.info();
        positive_step(|| format!("{path}.step"), info.step)?;
        if features[..i].iter().any(|g| g.name() == f.name()) {
            return Err(FormatError::invalid(
                path,
                format!("repeats the name {:?}", f.name()),
            ));
        }
        match f {
            Feature::Categorical { categories, .. } => {
                if categories.is_empty() {
                    return Err(FormatError::invalid(path, "has no categories"));
                }
                for (j, c) in categories.iter().enumerate() {
                    if c.trim().is_empty() || c.trim() != c {
                        return Err(FormatError::invalid(
                            format!("{path}.categories[{j}]"),
                            format!("{c:?} is empty or has surrounding white space"),
                        ));
                    }
                    if categories[..j].contains(c) {
                        return Err(FormatError::invalid(
                            format!("{path}.categories[{j}]"),
                            format!("repeats {c:?}"),
                        ));
                    }
                }
                if !info.levels.is_empty() {
                    return Err(FormatError::invalid(
                        format!("{path}.levels"),
                        "are for numeric features; a categorical one labels its categories \
                         (category_labels)",
                    ));
                }
                if !info.category_labels.is_empty()
                    && info.category_labels.len() != categories.len()
                {
                    return Err(FormatError::invalid(
                        format!("{path}.category_labels"),
                        format!(
                            "has {} labels for {} categories",
                            info.category_labels.len(),
                            categories.len()
                        ),
                    ));
                }
            }
            Feature::Numeric { min, max, .. } => {
                finite(|| format!("{path}.min"), *min)?;
                finite(|| format!("{path}.max"), *max)?;
                if min >= max {
                    return Err(FormatError::invalid(
                        path,
                        format!("min {} >= max {}", number(*min), number(*max)),
                    ));
                }
                if !info.category_labels.is_empty() {
                    return Err(FormatError::invalid(
                        format!("{path}.category_labels"),
                        "are for categorical features; a numeric one labels its values (levels)",
                    ));
                }
                if info.audited {
                    return Err(FormatError::invalid(
                        format!("{path}.audited"),
                        "is for categorical features: an audit groups rows by category",
                    ));
                }
                for (j, level) in info.levels.iter().enumerate() {
                    let at = || format!("{path}.levels[{j}].value");
                    finite(at, level.value)?;
                    if level.value < *min || level.value > *max {
                        return Err(FormatError::invalid(
                            at(),
                            format!(
                                "{} is not between {} and {}",
                                number(level.value),
                                number(*min),
                                number(*max)
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn validate_steps(features: &[Feature], steps: &[Step]) -> Result {
    if steps.len() != features.len() {
        return Err(FormatError::invalid(
            "preprocessor.steps",
            format!("has {} steps for {} features", steps.len(), features.len()),
        ));
    }
    for (i, (step, feature)) in steps.iter().zip(features).enumerate() {
        let path = format!("preprocessor.steps[{i}]");
        match (step, feature) {
            (
                Step::Standardize {
                    impute,
                    mean,
                    scale,
                },
                Feature::Numeric { min, max, .. },
            ) => {
                finite(|| format!("{path}.impute"), *impute)?;
                finite(|| format!("{path}.mean"), *mean)?;
                finite(|| format!("{path}.scale"), *scale)?;
                // The reference student of explanations takes the imputed value as its field.
                if impute < min || impute > max {
                    return Err(FormatError::invalid(
                        format!("{path}.impute"),
                        format!("{impute} is not between {min} and {max}"),
                    ));
                }
                if *scale <= 0.0 {
                    return Err(FormatError::invalid(
                        format!("{path}.scale"),
                        format!("{} is not positive", number(*scale)),
                    ));
                }
            }
            (Step::OneHot { impute }, Feature::Categorical { categories, .. }) => {
                if !categories.contains(impute) {
                    return Err(FormatError::invalid(
                        format!("{path}.impute"),
                        format!("{impute:?} is not a category of {:?}", feature.name()),
                    ));
                }
            }
            _ => {
                return Err(FormatError::invalid(
                    path,
                    format!("does not fit the kind of feature {:?}", feature.name()),
                ))
            }
        }
    }
    Ok(())
}

fn validate_model(model: &Model, width: usize) -> Result {
    match model {
        Model::Linear {
            intercept,
            coefficients,
        } => {
            finite(|| "model.intercept".into(), *intercept)?;
            if coefficients.len() != width {
                return Err(FormatError::invalid(
                    "model.coefficients",
                    format!(
                        "has {} entries for {width} encoded columns",
                        coefficients.len()
                    ),
                ));
            }
            for (j, c) in coefficients.iter().enumerate() {
                finite(|| format!("model.coefficients[{j}]"), *c)?;
            }
        }
        Model::TreeEnsemble { trees, aggregation } => {
            if trees.is_empty() {
                return Err(FormatError::invalid("model.trees", "is empty"));
            }
            for (t, tree) in trees.iter().enumerate() {
                validate_tree(tree, width, &format!("model.trees[{t}]"))?;
            }
            validate_aggregation(aggregation, trees.len())?;
        }
        Model::ObliviousEnsemble { trees, aggregation } => {
            if trees.is_empty() {
                return Err(FormatError::invalid("model.trees", "is empty"));
            }
            for (t, tree) in trees.iter().enumerate() {
                validate_oblivious(tree, width, &format!("model.trees[{t}]"))?;
            }
            validate_aggregation(aggregation, trees.len())?;
        }
        Model::Knn {
            k, points, targets, ..
        } => {
            if points.is_empty() {
                return Err(FormatError::invalid("model.points", "is empty"));
            }
            if *k == 0 || *k as usize > points.len() {
                return Err(FormatError::invalid(
                    "model.k",
                    format!("{k} is not between 1 and the {} points", points.len()),
                ));
            }
            if targets.len() != points.len() {
                return Err(FormatError::invalid(
                    "model.targets",
                    format!("has {} entries for {} points", targets.len(), points.len()),
                ));
            }
            for (i, p) in points.iter().enumerate() {
                if p.len() != width {
                    return Err(FormatError::invalid(
                        format!("model.points[{i}]"),
                        format!("has {} entries for {width} encoded columns", p.len()),
                    ));
                }
                for (j, v) in p.iter().enumerate() {
                    finite(|| format!("model.points[{i}][{j}]"), *v)?;
                }
            }
            for (i, t) in targets.iter().enumerate() {
                finite(|| format!("model.targets[{i}]"), *t)?;
            }
        }
    }
    Ok(())
}

fn validate_aggregation(aggregation: &Aggregation, n_trees: usize) -> Result {
    match aggregation {
        Aggregation::Mean => {}
        Aggregation::Sum { base, scale } => {
            finite(|| "model.aggregation.base".into(), *base)?;
            finite(|| "model.aggregation.scale".into(), *scale)?;
        }
        Aggregation::WeightedMedian { weights } => {
            if weights.len() != n_trees {
                return Err(FormatError::invalid(
                    "model.aggregation.weights",
                    format!("has {} weights for {n_trees} trees", weights.len()),
                ));
            }
            for (j, w) in weights.iter().enumerate() {
                let path = || format!("model.aggregation.weights[{j}]");
                finite(path, *w)?;
                if *w < 0.0 {
                    return Err(FormatError::invalid(path(), "is negative"));
                }
            }
            if weights.iter().sum::<f64>() <= 0.0 {
                return Err(FormatError::invalid(
                    "model.aggregation.weights",
                    "sum to zero",
                ));
            }
        }
    }
    Ok(())
}

/// Oblivious trees: one feature and threshold per level, `2^depth` leaf values.
fn validate_oblivious(tree: &ObliviousTree, width: usize, path: &str) -> Result {
    let depth = tree.features.len();
    if depth > 16 {
        return Err(FormatError::invalid(
            format!("{path}.features"),
            format!("depth {depth} is more than 16"),
        ));
    }
    if tree.thresholds.len() != depth {
        return Err(FormatError::invalid(
            format!("{path}.thresholds"),
            format!("has {} entries for depth {depth}", tree.thresholds.len()),
        ));
    }
    if tree.values.len() != 1 << depth {
        return Err(FormatError::invalid(
            format!("{path}.values"),
            format!(
                "has {} entries, depth {depth} needs {}",
                tree.values.len(),
                1 << depth
            ),
        ));
    }
    for (d, (&f, &t)) in tree.features.iter().zip(&tree.thresholds).enumerate() {
        if f < 0 || f as usize >= width {
            return Err(FormatError::invalid(
                format!("{path}.features[{d}]"),
                format!("feature {f} is out of range 0..{width}"),
            ));
        }
        finite(|| format!("{path}.thresholds[{d}]"), t)?;
    }
    for (i, v) in tree.values.iter().enumerate() {
        finite(|| format!("{path}.values[{i}]"), *v)?;
    }
    Ok(())
}

fn validate_tree(tree: &Tree, width: usize, path: &str) -> Result {
    let n = tree.value.len();
    if n == 0 {
        return Err(FormatError::invalid(format!("{path}.value"), "is empty"));
    }
    for (name, len) in [
        ("feature", tree.feature.len()),
        ("threshold", tree.threshold.len()),
        ("left", tree.left.len()),
        ("right", tree.right.len()),
    ] {
        if len != n {
            return Err(FormatError::invalid(
                format!("{path}.{name}"),
                format!("has {len} entries, value has {n}"),
            ));
        }
    }
    for i in 0..n {
        finite(|| format!("{path}.value[{i}]"), tree.value[i])?;
        let (l, r) = (tree.left[i], tree.right[i]);
        if l == -1 || r == -1 {
            if l != r {
                return Err(FormatError::invalid(
                    format!("{path}.left[{i}]"),
                    format!("node {i} has only one child ({l}, {r})"),
                ));
            }
            continue;
        }
        for (side, child) in [("left", l), ("right", r)] {
            if child <= i as i32 || child as usize >= n {
                return Err(FormatError::invalid(
                    format!("{path}.{side}[{i}]"),
                    format!("child {child} of node {i} is out of range {}..{n}", i + 1),
                ));
            }
        }
        let f = tree.feature[i];
        if f < 0 || f as usize >= width {
            return Err(FormatError::invalid(
                format!("{path}.feature[{i}]"),
                format!("feature {f} is out of range 0..{width}"),
            ));
        }
        finite(|| format!("{path}.threshold[{i}]"), tree.threshold[i])?;
    }
    Ok(())
}

fn validate_metrics(m: &Metrics) -> Result {
    for (name, v) in [
        ("cv_r2_mean", m.cv_r2_mean),
        ("cv_r2_std", m.cv_r2_std),
        ("test_r2", m.test_r2),
        ("test_mae", m.test_mae),
        ("test_rmse", m.test_rmse),
    ] {
        finite(|| format!("metrics.{name}"), v)?;
    }
    Ok(())
}
