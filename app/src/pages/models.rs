//! The Models page: how every model family did in the trainer's search, from report.json.

use std::sync::Arc;

use leptos::prelude::*;
use model::report::{FamilyReport, Params, Report};

use crate::charts::{nice_bounds, nice_step, Bar, BarChart, FitWidth};
use crate::glossary::{Explain, Term};
use crate::pages::fairness::mae_change;
use crate::state::column_label;

use crate::reports::report_page;
use crate::{family_label, format_percent, PageTitle, Route, ServedModel, TableScroll};

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

#[component]
fn Leaderboard(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let families = ranked(&report);
    // With the switch on, another search's model predicts: say which, and how it did.
    let full = report.fairness.iter().find(|a| a.excluded.is_empty());
    let switched = report
        .fairness
        .iter()
        .find(|a| !a.excluded.is_empty())
        .filter(|_| unaware)
        .map(|a| {
            format!(
                "The switch is on: the app predicts with {} trained without gender and race/ethnicity (CV R² {:.3}, test R² {:.3}, {:.3} below the full model{}). The table compares the search with every field; the Fairness page compares the two.",
                family_label(&a.family),
                a.cv_r2_mean,
                a.test_r2,
                a.r2_cost,
                full.and_then(|f| mae_change(f, a))
                    .map(|c| format!(": its predictions miss by {c} on average"))
                    .unwrap_or_default(),
            )
        });
    let target = column_label(&report.target).to_ascii_lowercase();
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
        families.first().map_or(f64::NAN, |f| f.cv_r2_mean),
    );

    let rows = families
        .iter()
        .enumerate()
        .map(|(rank, f)| {
            let winner = f.family == report.winner;
            let served = f.family == report.served;
            let badges = match (winner, served) {
                (true, true) => Some("winner · served"),
                (true, false) => Some("winner"),
                (false, true) => Some("served"),
                (false, false) => None,
            };
            view! {
                <tr class:winner=winner class:served=served>
                    <td class="num">{rank + 1}</td>
                    <th scope="row">
                        {family_label(&f.family)}
                        {badges.map(|b| view! { <span class="badge">{b}</span> })}
                    </th>
                    <td class="num">{format!("{:.3} ± {:.3}", f.cv_r2_mean, f.cv_r2_std)}</td>
                    <td class="num">{format!("{:.3}", f.test_r2)}</td>
                    <td class="num">{format!("{:.2}", f.test_mae)}</td>
                    <td class="num">{format!("{:.2}", f.test_rmse)}</td>
                    <td class="num">{format_duration(f.fit_seconds)}</td>
                    <td class="params">{format_params(&f.best_params)}</td>
                </tr>
            }
        })
        .collect_view();

    let served_differs = report.served != report.winner;
    let interval = &report.interval;

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
                <table class="data-table" data-testid="leaderboard">
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
                {served_differs
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
                <p>
                    {format!(
                        "Prediction interval: ± {:.1} points for {} coverage, calibrated on {} out-of-fold residuals; it covered {} of the test students.",
                        interval.half_width,
                        format_percent(interval.level),
                        interval.n_calibration,
                        format_percent(interval.test_coverage),
                    )}
                </p>
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
