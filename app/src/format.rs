//! How numbers, ids and labels read on the pages.

/// The prediction as shown: one decimal, as Rust's `{:.1}` formats it; `None` for a value that
/// is not a finite number (never shown as "NaN").
pub fn format_score(value: f64) -> Option<String> {
    value.is_finite().then(|| {
        let text = format!("{value:.1}");
        // One minus sign everywhere (the charts' `signed` uses it too), never "-0.0".
        match text.strip_prefix('-') {
            Some("0.0") => "0.0".to_owned(),
            Some(rest) => format!("\u{2212}{rest}"),
            None => text,
        }
    })
}

/// A DOM id for a column name (which may hold any text).
pub fn dom_id(prefix: &str, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{safe}")
}

/// How a category reads in a list: its first letter capitalised ("group A" → "Group A").
/// ASCII only: Unicode case tables would add some 30 KB to the wasm for no visible gain here.
pub fn category_label(category: &str) -> String {
    let mut chars = category.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// A model family as people read it: `"random_forest"` → `"Random forest"`.
pub fn family_label(family: &str) -> String {
    match family {
        "linear_regression" => "Linear regression".to_owned(),
        "ridge_regression" | "ridge" => "Ridge regression".to_owned(),
        "lasso_regression" | "lasso" => "Lasso regression".to_owned(),
        "decision_tree" => "Decision tree".to_owned(),
        "random_forest" => "Random forest".to_owned(),
        "gradient_boosting" => "Gradient boosting".to_owned(),
        "adaboost" | "ada_boost" => "AdaBoost".to_owned(),
        "xgboost" => "XGBoost".to_owned(),
        "catboost" => "CatBoost".to_owned(),
        "knn" | "k_nearest_neighbors" => "k-nearest neighbours".to_owned(),
        other => category_label(&other.replace(['_', '-'], " ")),
    }
}

/// A count with thousands separators: `10000` → `"10,000"`.
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a whole percentage, the sign kept on the number's line: `0.89` → `"89 %"`.
pub fn format_percent(share: f64) -> String {
    format!("{:.0}\u{a0}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_show_one_decimal_and_never_nan() {
        assert_eq!(format_score(71.25).as_deref(), Some("71.2"));
        assert_eq!(format_score(71.35).as_deref(), Some("71.3"));
        assert_eq!(format_score(70.0).as_deref(), Some("70.0"));
        assert_eq!(format_score(f64::NAN), None);
        assert_eq!(format_score(f64::INFINITY), None);
        assert_eq!(format_score(-6.94).as_deref(), Some("\u{2212}6.9"));
        assert_eq!(format_score(-0.04).as_deref(), Some("0.0"));
    }

    #[test]
    fn labels_for_people() {
        assert_eq!(category_label("group A"), "Group A");
        assert_eq!(category_label("free/reduced"), "Free/reduced");
        assert_eq!(category_label(""), "");
        assert_eq!(family_label("linear_regression"), "Linear regression");
        assert_eq!(family_label("extra_trees"), "Extra trees");
        assert_eq!(dom_id("field", "race_ethnicity"), "field-race-ethnicity");
        assert_eq!(dom_id("field", "a b/c"), "field-a-b-c");
    }

    #[test]
    fn counts_and_shares() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
        assert_eq!(format_percent(0.89), "89\u{a0}%");
    }
}
