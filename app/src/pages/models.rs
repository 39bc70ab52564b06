//! The Models page: how every model family did in the trainer's search, from report.json.

use std::sync::Arc;

use leptos::prelude::*;
use model::report::{FamilyReport, Params, Report};

use crate::charts::{nice_bounds, nice_step, Bar, BarChart, FitWidth};
use crate::glossary::{interval_text, Explain, Term};
use crate::reports::{
    excluded_text, full_audit, group_label, report_page, switch_cost, variant_audit,
};
use crate::{
    family_label, format_percent, use_app_state, PageTitle, Route, ServedModel, TableScroll,
};

/// A duration in seconds as people read it: `"29 µs"`, `"7.1 ms"`, `"0.54 s"`.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        "—".to_owned()
    } else if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}

/// Hyper-parameters as one line: `"alpha = 0.03, max_depth = 10"`, or `"—"` for none.
pub fn format_params(params: &Params) -> String {
    if params.is_empty() {
        return "—".to_owned();
    }
    params
        .iter()
        .map(|(name, value)| match value {
            serde_json::Value::String(s) => format!("{name} = {s}"),
            other => format!("{name} = {other}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The families best first, by mean CV R² (the order the trainer chose by), ties in report
/// order. Through [`model::order_by`], the one sort routine in the wasm.
fn ranked(report: &Report) -> Vec<&FamilyReport> {
    let keys: Vec<f64> = report.families.iter().map(|f| -f.cv_r2_mean).collect();
    model::order_by(&keys)
        .into_iter()
        .map(|i| &report.families[i])
        .collect()
}

/// The Models page, or the report's error card.
#[component]
pub fn ModelsPage() -> impl IntoView {
    view! {
        {report_page(|report, unaware| view! { <Leaderboard report unaware /> })}
    }
}

/// One row of the leaderboard: a family's figures, with what it is to the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The rank by mean CV R² in the search with every field (`None`: another search's model).
    pub rank: Option<usize>,
    pub family: String,
    /// "winner · served", "winner", "served", "best with every field" or none.
    pub badge: Option<&'static str>,
    pub winner: bool,
    pub served: bool,
    pub cv: (f64, f64),
    pub test_r2: f64,
    pub test_mae: f64,
    pub test_rmse: f64,
    /// `None`: not measured for this model.
    pub fit_seconds: Option<f64>,
    pub params: String,
    /// The columns the model was trained without (empty for the search with every field).
    pub excluded: Vec<String>,
}

/// The leaderboard's rows for the selection: the search with every field, best first, and with
/// the switch on the model it serves instead (from model.json) first, marked "winner · served"
/// (it won the search without those fields); the full search's winner is then "best with every
/// field".
pub fn rows(report: &Report, served: Option<&model::ModelBundle>) -> Vec<Row> {
    let variant = served.filter(|b| !b.excluded.is_empty());
    let mut out: Vec<Row> = variant
        .map(|b| Row {
            rank: None,
            family: b.metrics.family.clone(),
            badge: Some("winner · served"),
            winner: true,
            served: true,
            cv: (b.metrics.cv_r2_mean, b.metrics.cv_r2_std),
            test_r2: b.metrics.test_r2,
            test_mae: b.metrics.test_mae,
            test_rmse: b.metrics.test_rmse,
            fit_seconds: None,
            params: format_params(&b.metrics.params),
            excluded: b.excluded.clone(),
        })
        .into_iter()
        .collect();
    for (rank, f) in ranked(report).into_iter().enumerate() {
        let winner = f.family == report.winner;
        let served = variant.is_none() && f.family == report.served;
        let badge = match (winner, served) {
            (true, true) => Some("winner · served"),
            (true, false) if variant.is_some() => Some("best with every field"),
            (true, false) => Some("winner"),
            (false, true) => Some("served"),
            (false, false) => None,
        };
        out.push(Row {
            rank: Some(rank + 1),
            family: f.family.clone(),
            badge,
            winner: winner && variant.is_none(),
            served,
            cv: (f.cv_r2_mean, f.cv_r2_std),
            test_r2: f.test_r2,
            test_mae: f.test_mae,
            test_rmse: f.test_rmse,
            fit_seconds: Some(f.fit_seconds),
            params: format_params(&f.best_params),
            excluded: Vec::new(),
        });
    }
    out
}

#[component]
fn Leaderboard(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let state = use_app_state();
    let catalog = state.models.as_ref().ok().cloned();
    let served = catalog
        .as_ref()
        .and_then(|c| c.get(&report.target, unaware))
        .map(|p| p.bundle());
    let families = ranked(&report);
    let without = |excluded: &[String]| excluded_text(excluded, &|n| state.label(n));
    // With the switch on, another search's model predicts: say which, and how it did.
    let switched = served.filter(|b| !b.excluded.is_empty()).map(|b| {
        let m = &b.metrics;
        let full = full_audit(&report).map(|a| a.test_r2);
        format!(
            "The switch is on: the app predicts with {} trained without {} (CV R² {:.3}, test R² {:.3}{}). It is the table's first row, the winner of the search without those fields; the other rows are the search with every field, and the Fairness page compares the two.",
            family_label(&m.family),
            without(&b.excluded),
            m.cv_r2_mean,
            m.test_r2,
            full.filter(|f| f.is_finite())
                .map(|f| format!(", {:.3} below the full model", f - m.test_r2))
                .unwrap_or_default(),
        )
    });
    let cost = switch_cost(&report)
        .zip(variant_audit(&report))
        .map(|(c, v)| {
            format!(
                "What the switch costs (leaving out {}): {}.",
                without(&v.excluded),
                c.describe(|f, g| group_label(catalog.as_deref(), f, g)),
            )
        });
    let target = state.label(&report.target).to_ascii_lowercase();
    let (folds, split, cv) = (report.cv.folds, &report.split, &report.cv);

    // The axis spans the error bars, in round steps (R² differences are small).
    let lo = families
        .iter()
        .map(|f| f.cv_r2_mean - f.cv_r2_std)
        .fold(f64::INFINITY, f64::min);
    let hi = families
        .iter()
        .map(|f| f.cv_r2_mean + f.cv_r2_std)
        .fold(f64::NEG_INFINITY, f64::max);
    let domain = if lo.is_finite() && hi.is_finite() {
        let step = nice_step((hi - lo).max(0.01), 4);
        let (lo, hi) = nice_bounds(lo, hi, step);
        (lo, hi.min(1.0).max(lo + step))
    } else {
        (0.0, 1.0)
    };
    let bars: Vec<Bar> = families
        .iter()
        .map(|f| Bar {
            label: family_label(&f.family),
            value: f.cv_r2_mean,
            error: Some((f.cv_r2_mean - f.cv_r2_std, f.cv_r2_mean + f.cv_r2_std)),
            note: format!("{:.3}", f.cv_r2_mean),
            highlight: f.family == report.winner,
        })
        .collect();
    let aria = format!(
        "Mean cross-validation R² of {} model families with ± one standard deviation, best first: {} is best at {:.3}",
        families.len(),
        family_label(&report.winner),
        families.first().map_or(0.0, |f| f.cv_r2_mean),
    );

    let rows = rows(&report, served)
        .into_iter()
        .map(|row| {
            let without = without(&row.excluded);
            leader_row(row, without)
        })
        .collect_view();

    let served_differs = report.served != report.winner;
    let interval = served
        .as_ref()
        .and_then(|b| b.interval.as_ref())
        .map(interval_text);

    view! {
        <PageTitle route=Route::Models>"Models compared"</PageTitle>
        <ServedModel />
        <p class="intro">
            {format!(
                "{} model families predicted the {target}; each was tuned by {folds}-fold cross-validation on the training split.",
                report.families.len(),
            )}
        </p>
        {switched.map(|text| view! { <p class="notice" data-testid="models-switched">{text}</p> })}
        <section class="card panel" aria-labelledby="cv-title">
            <h3 id="cv-title">"Cross-validation R² (mean ± standard deviation)"</h3>
            <figure class="chart-figure">
                <FitWidth children=move |width| {
                    view! { <BarChart aria_label=aria.clone() bars=bars.clone() domain width /> }
                } />
                <figcaption class="muted">
                    {format!(
                        "Higher is better. The axis starts at {:.2} so the differences show; the table below has every number.",
                        domain.0,
                    )}
                </figcaption>
            </figure>
        </section>
        <section class="card panel" aria-labelledby="table-title">
            <h3 id="table-title">"Leaderboard"</h3>
            <TableScroll label="Leaderboard table".to_owned()>
                <table class="data-table stack leaderboard" data-testid="leaderboard">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Family"</th>
                            <th scope="col" class="num">"CV R²"</th>
                            <th scope="col" class="num">"Test R²"</th>
                            <th scope="col" class="num">"Test MAE"</th>
                            <th scope="col" class="num">"Test RMSE"</th>
                            <th scope="col" class="num">"Fit time"</th>
                            <th scope="col">"Best parameters"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
            <div class="notes">
                <p>
                    <strong>"How the winner was chosen: "</strong>
                    {format!(
                        "on mean cross-validation R² alone ({folds} folds over the {} training students). The {} test students were held out: their scores are only reported, never used to choose.",
                        split.n_train,
                        split.n_test,
                    )}
                </p>
                {(served_differs && !unaware)
                    .then(|| {
                        view! {
                            <p>
                                {format!(
                                    "The app serves {} instead of the winner {}.",
                                    family_label(&report.served),
                                    family_label(&report.winner),
                                )}
                            </p>
                        }
                    })}
                <p>
                    {format!(
                        "Reproducible: split seed {}, test fraction {}, {} train / {} test; fold seed {}. Fit time is one refit on the training split, measured on the training machine.",
                        split.seed,
                        format_percent(split.test_fraction),
                        split.n_train,
                        split.n_test,
                        cv.seed,
                    )}
                </p>
                {interval
                    .map(|text| {
                        view! {
                            <p data-testid="models-interval">
                                {format!("The served model's prediction interval: {text}")}
                            </p>
                        }
                    })}
                {cost.map(|text| view! { <p data-testid="switch-cost">{text}</p> })}
            </div>
            <Explain terms=&[
                Term::Cv,
                Term::R2,
                Term::Test,
                Term::Mae,
                Term::Rmse,
                Term::Interval,
                Term::Coverage,
            ] />
        </section>
    }
}

/// A leaderboard row; on a phone its cells stack, each named by its column (`data-label`).
fn leader_row(row: Row, without: String) -> impl IntoView {
    let name = if row.excluded.is_empty() {
        family_label(&row.family)
    } else {
        format!("{} without {without}", family_label(&row.family))
    };
    view! {
        <tr class:winner=row.winner class:served=row.served>
            <td class="num" data-label="#">
                {row.rank.map_or_else(|| "–".to_owned(), |r| r.to_string())}
            </td>
            <th scope="row">
                {name} {row.badge.map(|b| view! { <span class="badge">{b}</span> })}
            </th>
            <td class="num" data-label="CV R²">{format!("{:.3} ± {:.3}", row.cv.0, row.cv.1)}</td>
            <td class="num" data-label="Test R²">{format!("{:.3}", row.test_r2)}</td>
            <td class="num" data-label="Test MAE">{format!("{:.2}", row.test_mae)}</td>
            <td class="num" data-label="Test RMSE">{format!("{:.2}", row.test_rmse)}</td>
            <td class="num" data-label="Fit time">
                {row.fit_seconds.map_or_else(|| "—".to_owned(), format_duration)}
            </td>
            <td class="params" data-label="Best parameters">{row.params}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_reports;

    const REPORT_JSON: &str = include_str!("../../../assets/report.json");

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(2.8753e-05), "29 µs");
        assert_eq!(format_duration(0.00712386), "7.1 ms");
        assert_eq!(format_duration(0.541518151), "541.5 ms");
        assert_eq!(format_duration(2.5), "2.50 s");
        assert_eq!(format_duration(f64::NAN), "—");
    }

    #[test]
    fn params_read_as_one_line() {
        let mut params = Params::new();
        assert_eq!(format_params(&params), "—");
        params.insert("alpha".into(), serde_json::json!(0.03));
        params.insert("weights".into(), serde_json::json!("distance"));
        assert_eq!(format_params(&params), "alpha = 0.03, weights = distance");
    }

    #[test]
    fn with_the_switch_on_the_variant_is_the_served_winner_and_the_full_winner_is_not() {
        let set = parse_reports(REPORT_JSON).expect("parses");
        let report = set.get("math_score").unwrap();
        let catalog = crate::parse_models(crate::MODEL_JSON).unwrap();
        let full = catalog.get("math_score", false).unwrap().bundle();
        let variant = catalog.get("math_score", true).unwrap().bundle();

        let off = rows(report, Some(full));
        assert_eq!(off.len(), report.families.len());
        assert_eq!(off.iter().filter(|r| r.served).count(), 1);
        let served = off.iter().find(|r| r.served).unwrap();
        assert_eq!(served.family, report.served);
        assert_eq!(served.badge, Some("winner · served"));
        assert_eq!(served.rank, Some(1));

        let on = rows(report, Some(variant));
        assert_eq!(on.len(), report.families.len() + 1);
        let first = &on[0];
        assert!(first.served && first.winner);
        assert_eq!(first.badge, Some("winner · served"));
        assert_eq!(first.rank, None);
        assert_eq!(first.excluded, ["gender", "race_ethnicity"]);
        assert_eq!(first.test_r2, variant.metrics.test_r2);
        assert_eq!(
            first.cv,
            (variant.metrics.cv_r2_mean, variant.metrics.cv_r2_std)
        );
        // One row served and one marked winner: the variant's.
        assert_eq!(on.iter().filter(|r| r.served || r.winner).count(), 1);
        let best = on
            .iter()
            .find(|r| r.family == report.winner && r.rank.is_some());
        assert_eq!(best.unwrap().badge, Some("best with every field"));
    }

    #[test]
    fn families_rank_by_cv_alone() {
        let set = parse_reports(REPORT_JSON).expect("parses");
        let report = set.get(&set.default_target).expect("the default target");
        let ranked = ranked(report);
        assert_eq!(ranked.len(), report.families.len());
        assert!(ranked
            .windows(2)
            .all(|w| w[0].cv_r2_mean >= w[1].cv_r2_mean));
        assert_eq!(
            ranked[0].family, report.winner,
            "the winner has the best CV R²"
        );
    }
}
