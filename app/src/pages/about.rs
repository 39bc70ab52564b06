//! The About page: the model card — where the data comes from, what the model is for and not
//! for, how it was measured, its limitations, and the fairness audit, from report.json.

use std::sync::Arc;

use crate::state::column_label;
use leptos::prelude::*;
use model::report::{FairnessAudit, Report};

use crate::charts::signed;
use crate::glossary::Glossary;
use crate::pages::fairness::mae_change;
use crate::reports::{report_page, use_reports, ReportFor};
use crate::{family_label, format_percent, use_app_state, Route, ServedModel, TableScroll};

/// The About page, or the report's error card.
#[component]
pub fn AboutPage() -> impl IntoView {
    // The glossary comes once the report is in (or has failed), below the model card: drawn
    // first, the card arriving above it shifted it down the page (Lighthouse measured a layout
    // shift of 0.37 on this page).
    let (state, reports) = (use_app_state(), use_reports());
    let settled = Memo::new(move |_| {
        !matches!(
            reports.for_target(&state.selection.target.get()),
            ReportFor::Loading
        )
    });
    view! {
        <h2 class="page-title" id="about-heading" data-page=Route::About.path() tabindex="-1">
            "About this model"
        </h2>
        <ServedModel />
        {report_page(|report, unaware| view! { <ModelCard report unaware /> })}
        {move || settled.get().then(|| view! { <Glossary /> })}
    }
}

#[component]
fn ModelCard(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let target = column_label(&report.target).to_ascii_lowercase();
    // The model in use for the selection, with the figures model.json carries for it (the
    // same ones the Predict page names).
    let served = use_app_state()
        .models
        .as_ref()
        .ok()
        .and_then(|c| c.get(&report.target, unaware).cloned());
    let (split, cv) = (report.split.clone(), report.cv.clone());
    let fairness = report.fairness.clone();
    let full = fairness.iter().find(|a| a.excluded.is_empty()).cloned();
    view! {
        <section class="card prose" aria-labelledby="about-heading">
            <h3>"Data"</h3>
            <p>
                "A fictional, generated dataset of " {report.data.rows}
                " students (\"Students Performance in Exams\"): gender, race/ethnicity group, parental level of education, lunch type, test-preparation course and math, reading and writing scores. No real student is in it."
            </p>
            <h3>"Intended use"</h3>
            <p>
                "Learning and exploration: how background and known scores relate to a third score. It is not for decisions about real students — not for grading, placement, admission or support."
            </p>
            <h3>"How it was measured"</h3>
            <p>
                {format!(
                    "The {target} model was chosen among {} model families by {}-fold cross-validated R² on {} training students (fold seed {}); the {} held-out students (split seed {}) were used only to report.",
                    report.families.len(), cv.folds, split.n_train, cv.seed, split.n_test, split.seed
                )} " The " <a href="#glossary">"glossary"</a>
                " below says in a sentence what each figure means."
            </p>
            {served
                .map(|p| {
                    let bundle = p.bundle();
                    let f = &bundle.metrics;
                    let fields_used = if bundle.excluded.is_empty() {
                        "Every field".to_owned()
                    } else {
                        format!(
                            "Every field but {}",
                            bundle
                                .excluded
                                .iter()
                                .map(|e| column_label(e).to_ascii_lowercase())
                                .collect::<Vec<_>>()
                                .join(" and "),
                        )
                    };
                    view! {
                        <dl class="facts">
                            <dt>"Served model"</dt>
                            <dd data-testid="about-family">{family_label(&f.family)}</dd>
                            <dt>"Fields it uses"</dt>
                            <dd>{fields_used}</dd>
                            <dt>"Cross-validated R²"</dt>
                            <dd>{format!("{:.3} ± {:.3}", f.cv_r2_mean, f.cv_r2_std)}</dd>
                            <dt>"Test R²"</dt>
                            <dd data-testid="about-test-r2">{format!("{:.3}", f.test_r2)}</dd>
                            <dt>"Test MAE / RMSE"</dt>
                            <dd>{format!("{:.2} / {:.2} points", f.test_mae, f.test_rmse)}</dd>
                            {bundle
                                .interval
                                .as_ref()
                                .map(|interval| {
                                    view! {
                                        <dt>{format!("{} interval", format_percent(interval.level))}</dt>
                                        <dd data-testid="about-interval">
                                            {format!(
                                                "± {:.1} points; covered {} of held-out students",
                                                interval.half_width,
                                                format_percent(interval.test_coverage)
                                            )}
                                        </dd>
                                    }
                                })}
                        </dl>
                    }
                })}
            <h3>"Limitations"</h3>
            <ul>
                <li>"The data is synthetic; patterns in it need not hold for real students."</li>
                <li>
                    "The interval is calibrated on the whole test population; for a small group it may be too narrow or too wide."
                </li>
                <li>
                    "The model describes associations, not causes: changing a field in the what-if controls does not mean the score would change."
                </li>
            </ul>
            <h3>"Fairness"</h3>
            <p>
                "Test-split errors per group of the served model, and of the same search without gender and race/ethnicity (a positive mean signed error means the group is over-predicted). The "
                <a href=Route::Fairness.path()>"Fairness page"</a>
                " draws them; the switch at the top of every page predicts with the model without those two fields."
            </p>
            {fairness
                .iter()
                .cloned()
                .map(|audit| view! { <AuditTable audit full=full.clone() /> })
                .collect_view()}
        </section>
    }
}

#[component]
fn AuditTable(
    audit: FairnessAudit,
    /// The full model's audit, to say a variant's cost in points.
    full: Option<FairnessAudit>,
) -> impl IntoView {
    let caption = format!(
        "{} — {}, test R² {:.3}{}",
        audit.variant,
        family_label(&audit.family),
        audit.test_r2,
        if audit.excluded.is_empty() {
            String::new()
        } else {
            format!(
                " (cost {:.3} of test R²{})",
                audit.r2_cost,
                full.as_ref()
                    .and_then(|f| mae_change(f, &audit))
                    .map(|c| format!(": predictions miss by {c} on average"))
                    .unwrap_or_default()
            )
        }
    );
    view! {
        <TableScroll label=format!("{caption} (scrolls sideways)")>
            <table class="data-table audit">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Group"</th>
                        <th scope="col">"n"</th>
                        <th scope="col">"MAE"</th>
                        <th scope="col">"Mean signed error"</th>
                    </tr>
                </thead>
                <tbody>
                    {audit
                        .groups
                        .into_iter()
                        .map(|g| {
                            view! {
                                <tr>
                                    <td>{column_label(&g.feature)}</td>
                                    <td>{g.category}</td>
                                    <td class="num">{g.n}</td>
                                    <td class="num">{format!("{:.2}", g.mae)}</td>
                                    <td class="num">{signed(g.mean_signed_error, 2)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}
