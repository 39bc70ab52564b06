//! The Insights page: charts of the training data, drawn only from the report's aggregates
//! (histograms, group means, binned means, feature importance), never from raw rows: a chart
//! per feature the report carries (mean target per category, mean target per bin of a
//! number), the served model's most important first, one at a time with a picker when a
//! section has more than [`logic::PICK_OVER`].

pub(crate) mod logic;

use std::sync::Arc;

use crate::state::column_label;
use leptos::prelude::*;
use model::report::{CategoryMeans, Histogram as HistogramData, Importance, Report, ScoreRelation};

use crate::charts::{nice_bounds, nice_step, Bar, BarChart, FitWidth, Histogram, LineDots};
use crate::reports::{excluded_text, group_label, report_page, served_audit, variant_audit};
use crate::{family_label, use_app_state, PageTitle, Route, ServedModel};
use logic::{bin_labels, by_importance, edges_domain, needs_picker, overall_mean, target_domain};

/// The Insights page, or the report's error card.
#[component]
pub fn InsightsPage() -> impl IntoView {
    view! {
        {report_page(|report, unaware| view! { <Insights report unaware /> })}
    }
}

/// Charts side by side, or, past [`logic::PICK_OVER`], one at a time with a select naming
/// each (`items`: each chart's name and view; the others stay in the page, hidden).
fn charts_or_picker(id: &'static str, items: Vec<(String, AnyView)>) -> AnyView {
    let pick = needs_picker(items.len());
    let chosen = RwSignal::new(0usize);
    let (names, charts): (Vec<String>, Vec<AnyView>) = items.into_iter().unzip();
    let charts = charts
        .into_iter()
        .enumerate()
        .map(|(i, chart)| view! { <div hidden=move || pick && chosen.get() != i>{chart}</div> })
        .collect_view();
    view! {
        {pick
            .then(|| {
                view! {
                    <p class="chart-picker">
                        <label for=id>"Field"</label>
                        <select
                            id=id
                            on:change:target=move |ev| {
                                chosen.set(ev.target().value().parse().unwrap_or(0))
                            }
                        >
                            {names
                                .into_iter()
                                .enumerate()
                                .map(|(i, n)| view! { <option value=i.to_string()>{n}</option> })
                                .collect_view()}
                        </select>
                    </p>
                }
            })}
        <div class="chart-grid">{charts}</div>
    }
    .into_any()
}

#[component]
fn Insights(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let state = use_app_state();
    let catalog = state.models.as_ref().ok().cloned();
    let insights = &report.insights;
    let target = column_label(&report.target);
    let lower = target.to_ascii_lowercase();
    let declared = catalog
        .as_ref()
        .and_then(|c| c.get(&report.target, false))
        .and_then(|p| p.target_range());
    let y_domain = target_domain(&report, declared);
    let empty = insights.histograms.is_empty()
        && insights.by_category.is_empty()
        && insights.relations.is_empty()
        && insights.importance.is_empty();
    let about = if insights.rows.is_empty() {
        "the training data".to_owned()
    } else {
        format!("the {}", insights.rows)
    };

    // What the model in use relies on: with the switch on, the variant trained without the
    // sensitive fields (its own importance, from the fairness audit), never the full model's.
    let in_use: Option<(Vec<Importance>, String)> = if unaware {
        variant_audit(&report).map(|a| (a.importance.clone(), family_label(&a.family)))
    } else {
        Some((insights.importance.clone(), family_label(&report.served)))
    };
    let order_by = in_use
        .as_ref()
        .map(|(i, _)| i.clone())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| insights.importance.clone());
    let missing_importance = unaware && in_use.as_ref().is_none_or(|(i, _)| i.is_empty());
    let left_out = variant_audit(&report)
        .or(served_audit(&report, unaware))
        .map(|a| excluded_text(&a.excluded, &column_label))
        .unwrap_or_default();

    let y_max = insights
        .histograms
        .iter()
        .flat_map(|h| h.counts.iter().copied())
        .max()
        .unwrap_or(1);
    let histograms = insights
        .histograms
        .iter()
        .cloned()
        .map(|h| view! { <HistogramFigure data=h y_max /> })
        .collect_view();

    // With a picker, the most important field first (it is the one shown); else report order.
    let ordered = |names: Vec<&str>| {
        if needs_picker(names.len()) {
            by_importance(&names, &order_by)
        } else {
            (0..names.len()).collect()
        }
    };
    let cats = &insights.by_category;
    let groups = charts_or_picker(
        "insights-category-pick",
        ordered(cats.iter().map(|c| c.feature.as_str()).collect())
            .into_iter()
            .map(|i| {
                let data = cats[i].clone();
                let name = column_label(&data.feature);
                let chart = view! {
                    <GroupMeansFigure data target=target.clone() y_domain models=catalog.clone() />
                };
                (name, chart.into_any())
            })
            .collect(),
    );
    let rels = &insights.relations;
    let numbers: Vec<usize> = ordered(rels.iter().map(|r| r.column.as_str()).collect());
    // "The other scores": every number charted is another target; else the number fields.
    let all_scores = insights
        .relations
        .iter()
        .all(|r| insights.histograms.iter().any(|h| h.column == r.column));
    let relations_title = format!(
        "The {} and the {lower}",
        if all_scores {
            "other scores"
        } else {
            "number fields"
        }
    );
    let relations = charts_or_picker(
        "insights-number-pick",
        numbers
            .into_iter()
            .map(|i| {
                let data = rels[i].clone();
                let name = column_label(&data.column);
                let chart = view! { <RelationFigure data target=target.clone() y_domain /> };
                (name, chart.into_any())
            })
            .collect(),
    );
    let importance = in_use.filter(|(i, _)| !i.is_empty()).map(|(data, served)| {
        view! { <ImportanceFigure data target=target.clone() served /> }
    });

    view! {
        <PageTitle route=Route::Insights>"Data insights"</PageTitle>
        <ServedModel />
        <p class="intro">
            {format!(
                "What the model learned from: aggregates of {about}. The app carries these summaries only, never a student's row.",
            )}
        </p>
        {missing_importance
            .then(|| {
                view! {
                    <p class="notice" data-testid="insights-switched">
                        {format!("The switch is on, and this build's report has no field importance for the model without {left_out}, so none is shown. The Fairness page compares the two models.")}
                    </p>
                }
            })}
        {empty
            .then(|| {
                view! {
                    <section class="card panel">
                        <p>"This report carries no insights."</p>
                    </section>
                }
            })}
        {(!insights.histograms.is_empty())
            .then(|| {
                view! {
                    <section class="card panel" aria-labelledby="dist-title">
                        <h3 id="dist-title">"How the scores are spread"</h3>
                        <div class="chart-grid three">{histograms}</div>
                    </section>
                }
            })}
        {(!insights.by_category.is_empty())
            .then(|| {
                view! {
                    <section class="card panel" aria-labelledby="groups-title">
                        <h3 id="groups-title">{format!("Mean {lower} by group")}</h3>
                        <p class="muted" data-testid="raw-averages">
                            "Raw averages of the training students in each group, not the model's view: a group's average mixes in everything else about its students. What the model adds for a field, with the rest held fixed, is in “Why this score” and in the importance below. The dashed line is the mean over all students; n is the group's size."
                        </p>
                        {groups}
                    </section>
                }
            })}
        {(!insights.relations.is_empty())
            .then(|| {
                view! {
                    <section class="card panel" aria-labelledby="rel-title">
                        <h3 id="rel-title">{relations_title}</h3>
                        <p class="muted">
                            {format!("Each dot is the mean {lower} of the training students in one band of the field; where both axes are the same scale, the dashed diagonal marks equal values.")}
                        </p>
                        {relations}
                    </section>
                }
            })}
        {importance}
    }
}

#[component]
fn HistogramFigure(data: HistogramData, y_max: usize) -> impl IntoView {
    let label = column_label(&data.column);
    let caption = format!(
        "{label}: mean {:.1}, standard deviation {:.1}",
        data.mean, data.std
    );
    let aria = format!("Histogram of {}: {}", label.to_ascii_lowercase(), caption);
    let rows = bin_labels(&data.edges)
        .into_iter()
        .zip(&data.counts)
        .map(|(bin, n)| vec![bin, n.to_string()])
        .collect();
    view! {
        <figure class="chart-figure">
            <FitWidth
                children={
                    let (edges, counts) = (data.edges.clone(), data.counts.clone());
                    move |width| {
                        view! {
                            <Histogram
                                aria_label=aria.clone()
                                edges=edges.clone()
                                counts=counts.clone()
                                y_max
                                width
                            />
                        }
                    }
                }
            />
            <figcaption>{caption}</figcaption>
            {data_table(
                format!("Students per {} band", label.to_ascii_lowercase()),
                &["Band", "Students"],
                rows,
            )}
        </figure>
    }
}

#[component]
fn GroupMeansFigure(
    data: CategoryMeans,
    target: String,
    y_domain: (f64, f64),
    models: Option<Arc<crate::Catalog>>,
) -> impl IntoView {
    let label = column_label(&data.feature);
    let name = |category: &str| group_label(models.as_deref(), &data.feature, category);
    let overall = overall_mean(&data);
    let bars: Vec<Bar> = data
        .groups
        .iter()
        .map(|g| Bar {
            label: format!("{} (n = {})", name(&g.category), g.n),
            value: g.mean,
            error: None,
            note: short_one(g.mean),
            highlight: false,
        })
        .collect();
    let aria = format!(
        "Mean {} by {}: {}",
        target.to_ascii_lowercase(),
        label.to_ascii_lowercase(),
        data.groups
            .iter()
            .map(|g| format!("{} {}", name(&g.category), short_one(g.mean)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let rows = data
        .groups
        .iter()
        .map(|g| vec![name(&g.category), g.n.to_string(), short_one(g.mean)])
        .collect();
    view! {
        <figure class="chart-figure">
            <figcaption class="figure-title">{label.clone()}</figcaption>
            <FitWidth children=move |width| {
                view! {
                    <BarChart
                        aria_label=aria.clone()
                        bars=bars.clone()
                        domain=y_domain
                        reference=overall.map(|m| (m, format!("all {m:.1}")))
                        width
                    />
                }
            } />
            {data_table(
                format!("Mean {} by {}", target.to_ascii_lowercase(), label.to_ascii_lowercase()),
                &["Group", "Students", "Mean"],
                rows,
            )}
        </figure>
    }
}

#[component]
fn RelationFigure(data: ScoreRelation, target: String, y_domain: (f64, f64)) -> impl IntoView {
    let x_domain = edges_domain(&data.edges).unwrap_or(y_domain);
    let label = column_label(&data.column);
    let points: Vec<(f64, Option<f64>)> = data
        .edges
        .windows(2)
        .zip(&data.target_means)
        .map(|(e, m)| ((e[0] + e[1]) / 2.0, m.filter(|m| m.is_finite())))
        .collect();
    let r = if data.correlation.is_finite() {
        format!("{:.2}", data.correlation)
    } else {
        "—".to_owned()
    };
    let caption = format!(
        "{label} and {}: correlation r = {r}",
        target.to_ascii_lowercase(),
    );
    let aria = format!(
        "Mean {} for each band of {} (correlation {r})",
        target.to_ascii_lowercase(),
        label.to_ascii_lowercase(),
    );
    let rows = bin_labels(&data.edges)
        .into_iter()
        .zip(data.counts.iter().zip(&data.target_means))
        .map(|(bin, (n, m))| {
            vec![
                bin,
                n.to_string(),
                m.map_or_else(|| "—".to_owned(), short_one),
            ]
        })
        .collect();
    view! {
        <figure class="chart-figure">
            <FitWidth
                children={
                    let (x_title, y_title) = (label.clone(), format!("Mean {}", target.to_ascii_lowercase()));
                    move |width| {
                        view! {
                            <LineDots
                                aria_label=aria.clone()
                                points=points.clone()
                                x_domain
                                y_domain
                                x_title=x_title.clone()
                                y_title=y_title.clone()
                                width
                            />
                        }
                    }
                }
            />
            <figcaption>{caption}</figcaption>
            {data_table(
                format!("Mean {} per {} band", target.to_ascii_lowercase(), label.to_ascii_lowercase()),
                &["Band", "Students", "Mean"],
                rows,
            )}
        </figure>
    }
}

#[component]
fn ImportanceFigure(data: Vec<Importance>, target: String, served: String) -> impl IntoView {
    let max = data
        .iter()
        .map(|i| i.mean_abs_contribution)
        .fold(0.0, f64::max);
    let step = nice_step(max.max(1e-9), 5);
    let domain = (0.0, nice_bounds(0.0, max.max(1e-9), step).1);
    let bars: Vec<Bar> = data
        .iter()
        .map(|i| Bar {
            label: column_label(&i.feature),
            value: i.mean_abs_contribution,
            error: None,
            note: format!("{:.1} pts", i.mean_abs_contribution),
            highlight: false,
        })
        .collect();
    let aria = format!(
        "How much each field moves the {served} model's predictions, largest first: {}",
        data.iter()
            .map(|i| format!(
                "{} {:.1}",
                column_label(&i.feature),
                i.mean_abs_contribution
            ))
            .collect::<Vec<_>>()
            .join(", "),
    );
    view! {
        <section class="card panel" aria-labelledby="importance-title">
            <h3 id="importance-title">"What the served model relies on"</h3>
            <figure class="chart-figure">
                <FitWidth children=move |width| {
                    view! { <BarChart aria_label=aria.clone() bars=bars.clone() domain width /> }
                } />
                <figcaption class="muted">
                    {format!(
                        "Mean absolute contribution of each field to the {served} model's predictions for the held-out test students, in points of {} — the same reasons “Why this score” shows for one student.",
                        target.to_ascii_lowercase(),
                    )}
                </figcaption>
            </figure>
        </section>
    }
}

/// A chart's figures as a table for screen readers: the first cell of each row heads it.
fn data_table(
    caption: String,
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            let mut cells = row.into_iter();
            let head = cells.next().unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{head}</th>
                    {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="visually-hidden">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A mean as the charts write it: one decimal, "—" when it is not a number.
fn short_one(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.1}")
    } else {
        "—".to_owned()
    }
}
