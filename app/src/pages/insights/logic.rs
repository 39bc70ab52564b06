//! The Insights page's pure logic: which chart each feature gets, in which order, on which
//! axes, and how its bins read. Tested natively, against the committed report and, when it has
//! been trained, the UCI model set.

use model::report::{CategoryMeans, Importance, Report};

/// Above this many charts, a section shows one at a time with a picker.
pub const PICK_OVER: usize = 6;

/// Whether a section of `n` charts gets a picker.
pub fn needs_picker(n: usize) -> bool {
    n > PICK_OVER
}

/// A number on an axis or a bin, short: at most two decimals, no trailing zeros (`1.2`,
/// `15.7`, `10`); "—" when it is not a number.
pub fn short(value: f64) -> String {
    if value.is_finite() {
        // Display writes the shortest form; + 0.0 turns −0 into 0.
        format!("{}", (value * 100.0).round() / 100.0 + 0.0)
    } else {
        "—".to_owned()
    }
}

/// The bins between `edges` as people read them: "60–70", "1.2–1.6".
pub fn bin_labels(edges: &[f64]) -> Vec<String> {
    edges
        .windows(2)
        .map(|e| format!("{}–{}", short(e[0]), short(e[1])))
        .collect()
}

/// The mean over every group, weighted by group size (`None` for no students or a mean that
/// is not a number).
pub fn overall_mean(means: &CategoryMeans) -> Option<f64> {
    let n: usize = means.groups.iter().map(|g| g.n).sum();
    let mean = means
        .groups
        .iter()
        .map(|g| g.mean * g.n as f64)
        .sum::<f64>()
        / n as f64;
    (n > 0 && mean.is_finite()).then_some(mean)
}

/// The axis a set of bin edges spans: first to last edge, `None` when they do not make one.
pub fn edges_domain(edges: &[f64]) -> Option<(f64, f64)> {
    let (lo, hi) = (*edges.first()?, *edges.last()?);
    (lo.is_finite() && hi.is_finite() && lo < hi).then_some((lo, hi))
}

/// The target's scale: the model's declared range, else the span of the target's histogram,
/// else 0–100.
pub fn target_domain(report: &Report, declared: Option<(f64, f64)>) -> (f64, f64) {
    declared
        .filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo < hi)
        .or_else(|| {
            let h = report
                .insights
                .histograms
                .iter()
                .find(|h| h.column == report.target)?;
            edges_domain(&h.edges)
        })
        .unwrap_or((0.0, 100.0))
}

/// The features' chart order, as indices into `names`: the served model's most important
/// first (by `importance`), the rest after in their report order.
pub fn by_importance(names: &[&str], importance: &[Importance]) -> Vec<usize> {
    let rank = |name: &str| {
        importance
            .iter()
            .position(|i| i.feature == name)
            .unwrap_or(usize::MAX)
    };
    let keys: Vec<f64> = names.iter().map(|n| rank(n) as f64).collect();
    model::order_by(&keys)
}

#[cfg(test)]
/// The features that have a chart in a report: one per categorical feature (mean target per
/// category) and one per numeric one (mean target per bin), each once.
pub fn charted(report: &Report) -> Vec<&str> {
    let i = &report.insights;
    let mut out: Vec<&str> = i.by_category.iter().map(|c| c.feature.as_str()).collect();
    for r in &i.relations {
        if !out.contains(&r.column.as_str()) {
            out.push(&r.column);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::report::GroupMean;

    #[test]
    fn bins_read_as_short_ranges() {
        assert_eq!(bin_labels(&[0.0, 10.0, 20.0]), vec!["0–10", "10–20"]);
        assert_eq!(
            bin_labels(&[0.8, 1.2000000000000002, 1.6]),
            vec!["0.8–1.2", "1.2–1.6"]
        );
        assert!(bin_labels(&[5.0]).is_empty());
        assert_eq!(short(f64::NAN), "—");
        assert_eq!(short(-0.001), "0");
        assert_eq!(short(27.900000000000002), "27.9");
    }

    #[test]
    fn the_overall_mean_weights_groups_by_size() {
        let group = |n, mean| GroupMean {
            category: "a".into(),
            n,
            mean,
        };
        let means = |groups| CategoryMeans {
            feature: "lunch".into(),
            groups,
        };
        assert_eq!(
            overall_mean(&means(vec![group(1, 10.0), group(3, 30.0)])),
            Some(25.0)
        );
        assert_eq!(overall_mean(&means(vec![])), None);
        assert_eq!(overall_mean(&means(vec![group(2, f64::NAN)])), None);
    }

    #[test]
    fn axes_come_from_the_model_or_the_report() {
        let set = crate::parse_reports(include_str!("../../../../assets/report.json")).unwrap();
        let report = set.get("math_score").unwrap();
        assert_eq!(target_domain(report, Some((0.0, 20.0))), (0.0, 20.0));
        assert_eq!(target_domain(report, Some((5.0, f64::NAN))), (0.0, 100.0));
        assert_eq!(target_domain(report, None), (0.0, 100.0));
        assert_eq!(edges_domain(&[15.0, 18.5, 22.0]), Some((15.0, 22.0)));
        assert_eq!(edges_domain(&[3.0]), None);
        assert_eq!(edges_domain(&[]), None);
    }

    #[test]
    fn the_most_important_features_come_first() {
        let importance = |f: &str| Importance {
            feature: f.into(),
            mean_abs_contribution: 1.0,
        };
        let order = by_importance(&["a", "b", "c", "d"], &[importance("c"), importance("a")]);
        assert_eq!(order, [2, 0, 1, 3], "c, a, then b and d");
    }

    #[test]
    fn every_feature_of_the_default_set_has_a_chart() {
        let set = crate::parse_reports(include_str!("../../../../assets/report.json")).unwrap();
        let catalog = crate::parse_models(crate::MODEL_JSON).unwrap();
        for report in &set.reports {
            let charted = charted(report);
            let model = catalog.get(&report.target, false).unwrap();
            for f in model.features() {
                assert!(
                    charted.contains(&f.name()),
                    "{}: {}",
                    report.target,
                    f.name()
                );
            }
            assert!(!needs_picker(report.insights.by_category.len()));
        }
    }
}
