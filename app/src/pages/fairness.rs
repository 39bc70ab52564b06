//! The Fairness page: for the selected score, how the served model errs for each group of the
//! report's audited fields (the sensitive ones and those the dataset file audits besides) on
//! the held-out students, next to the model trained without the sensitive fields, and what
//! leaving them out costs in test R².

use std::sync::Arc;

use crate::state::column_label;
use leptos::prelude::*;
use model::report::{FairnessAudit, GroupErrors, Report};

use crate::charts::{nice_bounds, nice_step, Bar, BarChart, FitWidth};
use crate::glossary::{Explain, Term};
use crate::reports::{
    excluded_text, full_audit, group_label, report_page, switch_cost, variant_audit,
};
use crate::{
    family_label, format_percent, use_app_state, PageTitle, Route, ServedModel, TableScroll,
};

/// The Fairness page, or the report's error card. It follows the target and marks the model
/// the switch selects.
#[component]
pub fn FairnessPage() -> impl IntoView {
    view! {
        <PageTitle route=Route::Fairness>"Fairness"</PageTitle>
        <ServedModel />
        {report_page(|report, unaware| view! { <Audit report unaware /> })}
    }
}

/// One group's errors under both models (`None` where a model has no figure for it).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub category: String,
    pub n: usize,
    pub full: Option<GroupErrors>,
    pub unaware: Option<GroupErrors>,
}

/// The audited fields in report order, each with its groups under both models.
pub fn group_rows(
    full: &FairnessAudit,
    unaware: Option<&FairnessAudit>,
) -> Vec<(String, Vec<GroupRow>)> {
    let mut out: Vec<(String, Vec<GroupRow>)> = Vec::new();
    let all = full
        .groups
        .iter()
        .chain(unaware.into_iter().flat_map(|a| &a.groups));
    for g in all {
        let index = match out.iter().position(|(f, _)| *f == g.feature) {
            Some(i) => i,
            None => {
                out.push((g.feature.clone(), Vec::new()));
                out.len() - 1
            }
        };
        let rows = &mut out[index].1;
        if !rows.iter().any(|r| r.category == g.category) {
            rows.push(GroupRow {
                category: g.category.clone(),
                n: g.n,
                full: find(full, g),
                unaware: unaware.and_then(|a| find(a, g)),
            });
        }
    }
    out
}

fn find(audit: &FairnessAudit, like: &GroupErrors) -> Option<GroupErrors> {
    audit
        .groups
        .iter()
        .find(|g| g.feature == like.feature && g.category == like.category)
        .cloned()
}

/// The widest gap between two groups' values (`None` when no group has one).
pub fn widest_gap(rows: &[GroupRow], pick: fn(&GroupRow) -> Option<f64>) -> Option<f64> {
    let values: Vec<f64> = rows.iter().filter_map(pick).collect();
    let lo = values.iter().copied().reduce(f64::min)?;
    let hi = values.iter().copied().reduce(f64::max)?;
    Some(hi - lo)
}

/// How much further off, in points, the model without some fields is than the full model on
/// the test split: "2.77 points more", "0.05 points less" or "no more"; from the report's test
/// MAEs, `None` when either is not a number.
pub fn mae_change(full: &FairnessAudit, without: &FairnessAudit) -> Option<String> {
    let change = without.test_mae - full.test_mae;
    if !change.is_finite() {
        return None;
    }
    Some(if change >= 0.005 {
        format!("{change:.2} points more")
    } else if change <= -0.005 {
        format!("{:.2} points less", -change)
    } else {
        "no more".to_owned()
    })
}

/// What a cost in test R² means for a prediction, in points: "In points: without them, a
/// prediction of the math score misses by 6.98 points on average instead of 4.21, 2.77 points
/// more (test MAE; the RMSE goes from 5.39 to 8.55)." From the report's test figures; `None`
/// when one is not a number.
pub fn cost_in_points(
    full: &FairnessAudit,
    without: &FairnessAudit,
    target: &str,
) -> Option<String> {
    let figures = [
        full.test_mae,
        without.test_mae,
        full.test_rmse,
        without.test_rmse,
    ];
    if !figures.iter().all(|v| v.is_finite()) {
        return None;
    }
    Some(format!(
        "In points: without them, a prediction of the {target} misses by {:.2} points on average instead of {:.2}, {} (test MAE; the RMSE goes from {:.2} to {:.2}).",
        without.test_mae,
        full.test_mae,
        mae_change(full, without)?,
        full.test_rmse,
        without.test_rmse,
    ))
}

/// Below this share of its students inside the 90 % interval, a group of at least
/// [`COVERAGE_MIN_N`] is flagged.
pub const COVERAGE_FLAG: f64 = 0.8;
/// Smaller groups are not flagged: their coverage is too noisy to read (20 students: ± 7
/// points for a true 90 %).
pub const COVERAGE_MIN_N: usize = 20;

/// Whether a group's interval coverage is flagged as too low.
pub fn coverage_flagged(coverage: f64, n: usize) -> bool {
    coverage < COVERAGE_FLAG && n >= COVERAGE_MIN_N
}

/// A group's interval coverage as the table shows it, "75 % — under 80 %" when flagged.
fn coverage_cell(g: &Option<GroupErrors>, n: usize) -> String {
    match g
        .as_ref()
        .and_then(|g| g.coverage)
        .filter(|c| c.is_finite())
    {
        Some(c) if coverage_flagged(c, n) => format!(
            "{} — under {}",
            format_percent(c),
            format_percent(COVERAGE_FLAG)
        ),
        Some(c) => format_percent(c),
        None => "—".to_owned(),
    }
}

/// A figure with `decimals` decimals, "—" when it is not a number.
pub fn fixed(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        format!("{value:.decimals$}")
    } else {
        "—".to_owned()
    }
}

/// A mean signed error as the page shows it: two decimals and an explicit sign.
fn signed(value: f64) -> String {
    crate::charts::signed(value, 2)
}

/// The label of a group of `feature` ("Female", "Group A"), from the models provided above.
fn group_name(feature: &str, category: &str) -> String {
    let state = use_app_state();
    group_label(state.models.as_deref().ok(), feature, category)
}

#[component]
fn Audit(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let target = column_label(&report.target).to_ascii_lowercase();
    let full = full_audit(&report);
    let variant = variant_audit(&report);
    // "gender and race/ethnicity": what the variant leaves out, as the dataset file labels it.
    let left_out = variant
        .as_ref()
        .map(|v| excluded_text(&v.excluded, &column_label))
        .unwrap_or_default();
    let cost =
        switch_cost(&report).map(|c| format!("What the switch costs: {}.", c.describe(group_name)));
    let Some(full) = full else {
        return view! {
            <section class="card panel">
                <p>
                    {format!(
                        "This build's report has no fairness audit for the {target} model (the trainer ran without it).",
                    )}
                </p>
            </section>
        }
        .into_any();
    };
    let in_points = variant
        .as_ref()
        .and_then(|v| cost_in_points(full, v, &target));
    let summary = variant.as_ref().map(|v| {
        format!(
            "Leaving out {left_out} costs {:.3} of test R² for the {target}: {:.3} with every field ({}), {:.3} without them ({}).",
            v.r2_cost,
            full.test_r2,
            family_label(&full.family),
            v.test_r2,
            family_label(&v.family),
        )
    });
    let in_use = if unaware && variant.is_some() {
        format!("The switch is on: the app predicts with the model without {left_out} (its bars are the highlighted ones).")
    } else {
        "The switch is off: the app predicts with the model that uses every field (its bars are the highlighted ones).".to_owned()
    };
    // One axis for every field's charts, so a bar's length compares across sections.
    let groups: Vec<&GroupErrors> = full
        .groups
        .iter()
        .chain(variant.iter().flat_map(|v| &v.groups))
        .collect();
    let mae_max = groups
        .iter()
        .map(|g| g.mae_ci.map_or(g.mae, |[_, hi]| hi.max(g.mae)))
        .fold(0.0, f64::max);
    let mae_domain = nice_bounds(0.0, mae_max, nice_step(mae_max, 5));
    let reach = groups
        .iter()
        .map(|g| g.mean_signed_error.abs())
        .fold(0.5, f64::max);
    let signed_domain = nice_bounds(-reach, reach, nice_step(2.0 * reach, 5));
    let in_use_audit = if unaware { variant.as_ref() } else { None }.unwrap_or(&full);
    let excluded = variant
        .as_ref()
        .map(|v| v.excluded.clone())
        .unwrap_or_default();
    let mondrian = in_use_audit.mondrian.clone().map(|m| {
        // The app's interval's share of a group: that group's coverage in the audit.
        let audited = in_use_audit.groups.clone();
        let field = column_label(&m.feature);
        let lower = field.to_ascii_lowercase();
        let why = if excluded.contains(&m.feature) {
            "is one of the fields the switch leaves out."
        } else {
            "is audited, but the switch keeps it as a field."
        };
        let grouped = m.feature.clone();
        let global = move |category: &str| {
            audited
                .iter()
                .find(|g| g.feature == grouped && g.category == category)
                .and_then(|g| g.coverage)
                .map_or_else(|| "—".to_owned(), format_percent)
        };
        let rows = m
            .groups
            .iter()
            .map(|g| {
                view! {
                    <tr>
                        <th scope="row">{group_name(&m.feature, &g.category)}</th>
                        <td class="num" data-label="n">{g.n_test}</td>
                        <td class="num" data-label="Covered by the app's interval">{global(&g.category)}</td>
                        <td class="num" data-label="Per-group interval">{format!("± {:.1}", g.half_width)}</td>
                        <td class="num" data-label="Covered by it">{format_percent(g.test_coverage)}</td>
                    </tr>
                }
            })
            .collect_view();
        let level = format_percent(m.level);
        view! {
            <section class="card panel" aria-labelledby="mondrian-title" data-testid="fairness-mondrian">
                <h3 id="mondrian-title">{format!("Does the interval hold for each {lower} group?")}</h3>
                <p class="muted">
                    {format!(
                        "The app shows one {level} interval for every student (± {:.1} points). An interval calibrated for each {lower} group on its own (a group-conditional, or Mondrian, interval, from the same out-of-fold errors) would be this wide; the share of each group's held-out students inside it is next to the app's. {field} {why}",
                        m.global_half_width
                    )}
                </p>
                <TableScroll label=format!("Coverage by {lower} group")>
                    <table class="data-table audit stack">
                        <caption>{format!("{level} interval coverage by {lower} group")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{field.clone()}</th>
                                <th scope="col">"n"</th>
                                <th scope="col">"Covered by the app's interval"</th>
                                <th scope="col">"Per-group interval"</th>
                                <th scope="col">"Covered by it"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableScroll>
            </section>
        }
    });
    let sections = group_rows(full, variant)
        .into_iter()
        .map(|(feature, rows)| {
            view! {
                <FieldAudit
                    feature
                    rows
                    left_out=left_out.clone()
                    unaware=unaware && variant.is_some()
                    mae_domain
                    signed_domain
                />
            }
        })
        .collect_view();

    view! {
        <p class="intro">
            {format!(
                "How the {target} model errs for each group of the {} held-out students, with every field and without {left_out}. Mean absolute error (MAE) is the typical miss in points; a positive mean signed error means the group's scores are over-predicted.",
                report.split.n_test,
            )}
        </p>
        <Explain terms=&[
            Term::Mae,
            Term::SignedError,
            Term::ErrorBars,
            Term::Coverage,
            Term::Interval,
            Term::R2,
            Term::Test,
        ] />
        <section class="card panel" aria-labelledby="cost-title">
            <h3 id="cost-title">"The price of leaving them out"</h3>
            {summary.map(|s| view! { <p data-testid="fairness-cost">{s}</p> })}
            {in_points.map(|s| view! { <p data-testid="fairness-cost-points">{s}</p> })}
            {cost.map(|s| view! { <p data-testid="switch-cost">{s}</p> })}
            <p class="muted" data-testid="fairness-in-use">{in_use}</p>
        </section>
        {sections}
        {mondrian}
    }
    .into_any()
}

/// One audited field: MAE and mean signed error per group as charts, and the figures as a
/// table.
#[component]
fn FieldAudit(
    feature: String,
    rows: Vec<GroupRow>,
    /// What the variant leaves out, as the page writes it: "gender and race/ethnicity".
    left_out: String,
    unaware: bool,
    mae_domain: (f64, f64),
    signed_domain: (f64, f64),
) -> impl IntoView {
    let label = column_label(&feature);
    let lower = label.to_ascii_lowercase();
    type Error = fn(&GroupErrors) -> Option<(f64, f64)>;
    let bars = |value: fn(&GroupErrors) -> f64, note: fn(f64) -> String, error: Error| {
        rows.iter()
            .flat_map(|r| {
                let name = group_name(&feature, &r.category);
                let full = r.full.as_ref().map(|g| Bar {
                    label: format!("{name} · every field"),
                    value: value(g),
                    error: error(g),
                    note: note(value(g)),
                    highlight: !unaware,
                });
                let without = r.unaware.as_ref().map(|g| Bar {
                    label: format!("{name} · without"),
                    value: value(g),
                    error: error(g),
                    note: note(value(g)),
                    highlight: unaware,
                });
                [full, without].into_iter().flatten()
            })
            .collect::<Vec<Bar>>()
    };
    // MAE with its bootstrap 95 % interval as the error bar.
    let mae_bars = bars(
        |g| g.mae,
        |v| format!("{v:.2}"),
        |g| g.mae_ci.map(|[lo, hi]| (lo, hi)),
    );
    let signed_bars = bars(|g| g.mean_signed_error, signed, |_| None);
    let describe = |bars: &[Bar]| {
        bars.iter()
            .map(|b| match b.error {
                Some((lo, hi)) => format!("{} {} (95 % interval {lo:.2}–{hi:.2})", b.label, b.note),
                None => format!("{} {}", b.label, b.note),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mae_aria = format!("Mean absolute error by {lower}: {}", describe(&mae_bars));
    let signed_aria = format!("Mean signed error by {lower}: {}", describe(&signed_bars));
    let gap = |pick: fn(&GroupRow) -> Option<f64>| widest_gap(&rows, pick);
    let gaps = match (
        gap(|r| r.full.as_ref().map(|g| g.mae)),
        gap(|r| r.unaware.as_ref().map(|g| g.mae)),
    ) {
        (Some(full), Some(without)) => format!(
            "Widest gap in MAE between two {lower} groups: {full:.2} points with every field, {without:.2} without {left_out}."
        ),
        (Some(full), None) => {
            format!("Widest gap in MAE between two {lower} groups: {full:.2} points.")
        }
        _ => String::new(),
    };
    let id = crate::dom_id("audit", &feature);
    let labelled_by = id.clone();

    view! {
        <section class="card panel" aria-labelledby=labelled_by data-testid="fairness-field">
            <h3 id=id>{format!("By {lower}")}</h3>
            <div class="chart-grid">
                <figure class="chart-figure">
                    <figcaption class="figure-title">"Mean absolute error (points)"</figcaption>
                    <FitWidth children=move |width| {
                        view! {
                            <BarChart
                                aria_label=mae_aria.clone()
                                bars=mae_bars.clone()
                                domain=mae_domain
                                width
                            />
                        }
                    } />
                </figure>
                <figure class="chart-figure">
                    <figcaption class="figure-title">
                        "Mean signed error (points; above 0: over-predicted)"
                    </figcaption>
                    <FitWidth children=move |width| {
                        view! {
                            <BarChart
                                aria_label=signed_aria.clone()
                                bars=signed_bars.clone()
                                domain=signed_domain
                                width
                            />
                        }
                    } />
                </figure>
            </div>
            <p class="muted">{gaps}</p>
            <GroupTable
                feature=feature.clone()
                rows
                caption=format!("Test-split errors by {lower}")
                testid="fairness-table"
            />
        </section>
    }
}

/// One field's groups as a table: n, MAE and mean signed error, and interval coverage (flagged
/// under [`COVERAGE_FLAG`] for a group of at least [`COVERAGE_MIN_N`]) when the figures have
/// it; a pair of columns per model when the rows have the second model's figures. The Fairness
/// page shows it for the test split, the Batch page for the rows of a file.
#[component]
pub fn GroupTable(
    feature: String,
    rows: Vec<GroupRow>,
    caption: String,
    testid: &'static str,
) -> impl IntoView {
    let label = column_label(&feature);
    let table = group_table(&rows);
    let coverage = table.coverage;
    let headers = table.headers.clone();
    let body = rows
        .iter()
        .zip(table.cells)
        .map(|(r, cells)| {
            let cells = cells
                .into_iter()
                .zip(&headers)
                .enumerate()
                .map(|(i, (text, header))| {
                    view! {
                        <td
                            class="num"
                            data-label=header.clone()
                            data-testid=(Some(i) == coverage).then_some("coverage")
                        >
                            {text}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{group_name(&feature, &r.category)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableScroll label=caption.clone()>
            <table class="data-table audit stack" data-testid=testid>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{label}</th>
                        {table
                            .headers
                            .into_iter()
                            .map(|h| view! { <th scope="col">{h}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </TableScroll>
    }
}

/// A group table's figures as text: the column headers after the group's, and each row's
/// cells under them.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTableText {
    pub headers: Vec<String>,
    pub cells: Vec<Vec<String>>,
    /// The column of the served-with-every-field coverage, when the figures have it.
    pub coverage: Option<usize>,
}

/// n, MAE and mean signed error, and interval coverage (flagged under [`COVERAGE_FLAG`] for a
/// group of at least [`COVERAGE_MIN_N`]) when the figures have it; a pair of columns per model
/// when the rows have the second model's figures ("MAE, every field" beside "MAE, without").
pub fn group_table(rows: &[GroupRow]) -> GroupTableText {
    let has_variant = rows.iter().any(|r| r.unaware.is_some());
    let has_coverage = rows
        .iter()
        .any(|r| r.full.as_ref().is_some_and(|g| g.coverage.is_some()));
    let (first, second) = if has_variant {
        (", every field", ", without")
    } else {
        ("", "")
    };
    let mut headers = vec![
        "n".to_owned(),
        format!("MAE{first}"),
        format!("Signed{first}"),
    ];
    if has_variant {
        headers.extend([format!("MAE{second}"), format!("Signed{second}")]);
    }
    let coverage = has_coverage.then_some(headers.len());
    if has_coverage {
        headers.push(format!("Interval coverage{first}"));
        if has_variant {
            headers.push(format!("Interval coverage{second}"));
        }
    }
    let cell = |g: &Option<GroupErrors>, f: fn(&GroupErrors) -> String| {
        g.as_ref().map_or_else(|| "—".to_owned(), f)
    };
    let mae = |g: &GroupErrors| fixed(g.mae, 2);
    let mse = |g: &GroupErrors| signed(g.mean_signed_error);
    let cells = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.n.to_string(), cell(&r.full, mae), cell(&r.full, mse)];
            if has_variant {
                row.extend([cell(&r.unaware, mae), cell(&r.unaware, mse)]);
            }
            if has_coverage {
                row.push(coverage_cell(&r.full, r.n));
                if has_variant {
                    row.push(coverage_cell(&r.unaware, r.n));
                }
            }
            row
        })
        .collect();
    GroupTableText {
        headers,
        cells,
        coverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_coverage_is_flagged_only_for_groups_large_enough_to_tell() {
        assert!(coverage_flagged(0.75, 20));
        assert!(!coverage_flagged(0.75, 19), "too few students to tell");
        assert!(
            !coverage_flagged(0.80, 200),
            "80 % itself is not under 80 %"
        );
        let g = |c| {
            Some(GroupErrors {
                feature: "race_ethnicity".into(),
                category: "group A".into(),
                n: 20,
                mae: 5.0,
                mean_signed_error: 0.0,
                coverage: Some(c),
                mae_ci: None,
            })
        };
        assert_eq!(coverage_cell(&g(0.75), 20), "75\u{a0}% — under 80\u{a0}%");
        assert_eq!(coverage_cell(&g(0.9), 20), "90\u{a0}%");
        assert_eq!(coverage_cell(&None, 20), "—");
    }

    fn group(feature: &str, category: &str, mae: f64) -> GroupErrors {
        GroupErrors {
            feature: feature.into(),
            category: category.into(),
            n: 10,
            mae,
            mean_signed_error: -mae / 2.0,
            coverage: None,
            mae_ci: None,
        }
    }

    fn audit(excluded: &[&str], groups: Vec<GroupErrors>) -> FairnessAudit {
        FairnessAudit {
            variant: "v".into(),
            excluded: excluded.iter().map(|s| s.to_string()).collect(),
            family: "lasso".into(),
            cv_r2_mean: 0.8,
            test_r2: 0.8,
            test_mae: 4.0,
            test_rmse: 5.0,
            r2_cost: 0.0,
            groups,
            importance: Vec::new(),
            skipped: Vec::new(),
            interval: None,
            bootstrap: None,
            mondrian: None,
        }
    }

    #[test]
    fn the_cost_in_r2_is_said_in_points_from_the_test_errors() {
        let full = audit(&[], Vec::new());
        let mut without = audit(&["gender", "race_ethnicity"], Vec::new());
        (without.test_mae, without.test_rmse) = (4.5, 5.25);
        assert_eq!(
            cost_in_points(&full, &without, "math score").as_deref(),
            Some("In points: without them, a prediction of the math score misses by 4.50 points on average instead of 4.00, 0.50 points more (test MAE; the RMSE goes from 5.00 to 5.25).")
        );
        without.test_mae = 3.9;
        assert_eq!(
            mae_change(&full, &without).as_deref(),
            Some("0.10 points less")
        );
        without.test_mae = 4.004;
        assert_eq!(mae_change(&full, &without).as_deref(), Some("no more"));
        without.test_rmse = f64::NAN;
        assert_eq!(
            cost_in_points(&full, &without, "math score"),
            None,
            "never NaN"
        );
        without.test_mae = f64::INFINITY;
        assert_eq!(mae_change(&full, &without), None);
    }

    #[test]
    fn the_served_reports_cost_reads_in_points() {
        let set = crate::parse_reports(include_str!("../../../assets/report.json")).unwrap();
        let report = set.get("math_score").unwrap();
        let full = report
            .fairness
            .iter()
            .find(|a| a.excluded.is_empty())
            .unwrap();
        let without = report
            .fairness
            .iter()
            .find(|a| !a.excluded.is_empty())
            .unwrap();
        let text = cost_in_points(full, without, "math score").unwrap();
        // The figures the sentence must carry, recomputed from the report.
        let more = format!("{:.2} points more", without.test_mae - full.test_mae);
        assert!(without.test_mae > full.test_mae);
        assert!(text.contains(&more), "{text}");
        assert!(
            text.contains(&format!("misses by {:.2} points", without.test_mae)),
            "{text}"
        );
        assert!(
            text.contains(&format!("instead of {:.2}", full.test_mae)),
            "{text}"
        );
    }

    #[test]
    fn a_group_table_has_a_pair_of_columns_per_model_and_never_nan() {
        let mut female = group("gender", "female", 4.0);
        female.coverage = Some(0.75);
        female.n = 30;
        let full = audit(&[], vec![female.clone(), group("gender", "male", f64::NAN)]);
        let one = group_table(&group_rows(&full, None)[0].1);
        assert_eq!(one.headers, ["n", "MAE", "Signed", "Interval coverage"]);
        assert_eq!(one.coverage, Some(3));
        assert_eq!(
            one.cells[0],
            ["30", "4.00", "\u{2212}2.00", "75\u{a0}% — under 80\u{a0}%"]
        );
        assert_eq!(
            one.cells[1],
            ["10", "—", "—", "—"],
            "a figure that is not a number"
        );

        let without = audit(&["gender"], vec![group("gender", "female", 5.0)]);
        let both = group_table(&group_rows(&full, Some(&without))[0].1);
        assert_eq!(
            both.headers,
            [
                "n",
                "MAE, every field",
                "Signed, every field",
                "MAE, without",
                "Signed, without",
                "Interval coverage, every field",
                "Interval coverage, without"
            ]
        );
        assert_eq!(both.coverage, Some(5));
        assert_eq!(both.cells[0][3], "5.00");
        assert_eq!(both.cells[1][3], "—", "the variant has no male row");
        assert!(both.cells.iter().all(|r| r.len() == both.headers.len()));
    }

    #[test]
    fn groups_pair_up_by_field_and_category_in_report_order() {
        let full = audit(
            &[],
            vec![
                group("gender", "female", 4.0),
                group("lunch", "standard", 3.0),
                group("gender", "male", 5.0),
            ],
        );
        let without = audit(
            &["gender"],
            vec![group("gender", "male", 6.0), group("gender", "female", 4.5)],
        );
        let rows = group_rows(&full, Some(&without));
        let fields: Vec<&str> = rows.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["gender", "lunch"]);
        let gender = &rows[0].1;
        assert_eq!(gender.len(), 2);
        assert_eq!(gender[0].category, "female");
        assert_eq!(gender[0].full.as_ref().unwrap().mae, 4.0);
        assert_eq!(gender[0].unaware.as_ref().unwrap().mae, 4.5);
        assert_eq!(gender[1].unaware.as_ref().unwrap().mae, 6.0);
        // A group only one model reports keeps an empty place for the other.
        assert!(rows[1].1[0].unaware.is_none());
        assert_eq!(
            widest_gap(gender, |r| r.full.as_ref().map(|g| g.mae)),
            Some(1.0)
        );
        assert_eq!(widest_gap(&[], |r| Some(r.n as f64)), None);
    }
}
