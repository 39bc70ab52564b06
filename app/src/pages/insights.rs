//! The Insights page: charts of the training data, drawn only from the report's aggregates
//! (histograms, group means, binned means, feature importance), never from raw rows.

use std::sync::Arc;

use crate::state::column_label;
use leptos::prelude::*;
use model::report::{CategoryMeans, Histogram as HistogramData, Importance, Report, ScoreRelation};

use crate::charts::{nice_bounds, nice_step, Bar, BarChart, FitWidth, Histogram, LineDots};
use crate::reports::report_page;
use crate::TARGET_RANGE;
use crate::{category_label, family_label, PageTitle, Route, ServedModel};

/// The bins between `edges` as people read them: "60–70".
fn bin_labels(edges: &[f64]) -> Vec<String> {
    edges
        .windows(2)
        .map(|e| format!("{}–{}", e[0], e[1]))
        .collect()
}

/// The mean over every group, weighted by group size.
fn overall_mean(means: &CategoryMeans) -> Option<f64> {
    let n: usize = means.groups.iter().map(|g| g.n).sum();
    (n > 0).then(|| {
        means
            .groups
            .iter()
            .map(|g| g.mean * g.n as f64)
            .sum::<f64>()
            / n as f64
    })
}

/// The Insights page, or the report's error card.
#[component]
pub fn InsightsPage() -> impl IntoView {
    view! {
        {report_page(|report, unaware| view! { <Insights report unaware /> })}
    }
}

#[component]
fn Insights(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let insights = &report.insights;
    let target = column_label(&report.target);
    let empty = insights.histograms.is_empty()
        && insights.by_category.is_empty()
        && insights.relations.is_empty()
        && insights.importance.is_empty();
    let about = if insights.rows.is_empty() {
        "the training data".to_owned()
    } else {
        format!("the {}", insights.rows)
    };

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
    let groups = insights
        .by_category
        .iter()
        .cloned()
        .map(|m| view! { <GroupMeansFigure data=m target=target.clone() /> })
        .collect_view();
    let relations = insights
        .relations
        .iter()
        .cloned()
        .map(|r| view! { <RelationFigure data=r target=target.clone() /> })
        .collect_view();
    // What the model in use relies on: with the switch on, the variant trained without gender
    // and race/ethnicity (its own importance, from the fairness audit), never the full model's.
    let in_use = if unaware {
        report
            .fairness
            .iter()
            .find(|a| !a.excluded.is_empty())
            .map(|a| (a.importance.clone(), family_label(&a.family)))
    } else {
        Some((insights.importance.clone(), family_label(&report.served)))
    };
    let missing_importance = unaware && in_use.as_ref().is_none_or(|(i, _)| i.is_empty());
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
                        "The switch is on, and this build's report has no field importance for the model without gender and race/ethnicity, so none is shown. The Fairness page compares the two models."
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
                        <h3 id="groups-title">
                            {format!("Mean {} by group", target.to_ascii_lowercase())}
                        </h3>
                        <p class="muted" data-testid="raw-averages">
                            "Raw averages of the training students in each group, not the model's view: a group's average mixes in everything else about its students (their other scores above all). What the model adds for a field, with the rest held fixed, is in “Why this score” and in the importance below. The dashed line is the mean over all students; n is the group's size."
                        </p>
                        <div class="chart-grid">{groups}</div>
                    </section>
                }
            })}
        {(!insights.relations.is_empty())
            .then(|| {
                view! {
                    <section class="card panel" aria-labelledby="rel-title">
                        <h3 id="rel-title">
                            {format!("The other scores and the {}", target.to_ascii_lowercase())}
                        </h3>
                        <p class="muted">
                            "Each dot is the mean of the students in a 10-point band; the dashed diagonal marks equal scores."
                        </p>
                        <div class="chart-grid">{relations}</div>
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
        .map(|(bin, n)| {
            view! {
                <tr>
                    <th scope="row">{bin}</th>
                    <td>{*n}</td>
                </tr>
            }
        })
        .collect_view();
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
            <div class="visually-hidden">
                <table>
                    <caption>{format!("Students per {} band", label.to_ascii_lowercase())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Band"</th>
                            <th scope="col">"Students"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

#[component]
fn GroupMeansFigure(data: CategoryMeans, target: String) -> impl IntoView {
    let label = column_label(&data.feature);
    let overall = overall_mean(&data);
    let bars: Vec<Bar> = data
        .groups
        .iter()
        .map(|g| Bar {
            label: format!("{} (n = {})", category_label(&g.category), g.n),
            value: g.mean,
            error: None,
            note: format!("{:.1}", g.mean),
            highlight: false,
        })
        .collect();
    let aria = format!(
        "Mean {} by {}: {}",
        target.to_ascii_lowercase(),
        label.to_ascii_lowercase(),
        data.groups
            .iter()
            .map(|g| format!("{} {:.1}", g.category, g.mean))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let rows = data
        .groups
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{category_label(&g.category)}</th>
                    <td>{g.n}</td>
                    <td>{format!("{:.1}", g.mean)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart-figure">
            <figcaption class="figure-title">{label.clone()}</figcaption>
            <FitWidth children=move |width| {
                view! {
                    <BarChart
                        aria_label=aria.clone()
                        bars=bars.clone()
                        domain=TARGET_RANGE
                        reference=overall.map(|m| (m, format!("all {m:.1}")))
                        width
                    />
                }
            } />
            <div class="visually-hidden">
                <table>
                    <caption>{format!("Mean {} by {}", target.to_ascii_lowercase(), label.to_ascii_lowercase())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Students"</th>
                            <th scope="col">"Mean"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

#[component]
fn RelationFigure(data: ScoreRelation, target: String) -> impl IntoView {
    let label = column_label(&data.column);
    let points: Vec<(f64, Option<f64>)> = data
        .edges
        .windows(2)
        .zip(&data.target_means)
        .map(|(e, m)| ((e[0] + e[1]) / 2.0, *m))
        .collect();
    let caption = format!(
        "{label} and {}: correlation r = {:.2}",
        target.to_ascii_lowercase(),
        data.correlation
    );
    let aria = format!(
        "Mean {} for each band of {}; they rise together (correlation {:.2})",
        target.to_ascii_lowercase(),
        label.to_ascii_lowercase(),
        data.correlation
    );
    let rows = bin_labels(&data.edges)
        .into_iter()
        .zip(data.counts.iter().zip(&data.target_means))
        .map(|(bin, (n, m))| {
            view! {
                <tr>
                    <th scope="row">{bin}</th>
                    <td>{*n}</td>
                    <td>{m.map_or_else(|| "—".to_owned(), |m| format!("{m:.1}"))}</td>
                </tr>
            }
        })
        .collect_view();
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
                                x_domain=TARGET_RANGE
                                y_domain=TARGET_RANGE
                                x_title=x_title.clone()
                                y_title=y_title.clone()
                                width
                            />
                        }
                    }
                }
            />
            <figcaption>{caption}</figcaption>
            <div class="visually-hidden">
                <table>
                    <caption>
                        {format!("Mean {} per {} band", target.to_ascii_lowercase(), label.to_ascii_lowercase())}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Band"</th>
                            <th scope="col">"Students"</th>
                            <th scope="col">"Mean"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
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

#[cfg(test)]
mod tests {
    use super::*;
    use model::report::GroupMean;

    #[test]
    fn bins_read_as_ranges() {
        assert_eq!(bin_labels(&[0.0, 10.0, 20.0]), vec!["0–10", "10–20"]);
        assert!(bin_labels(&[5.0]).is_empty());
    }

    #[test]
    fn the_overall_mean_weights_groups_by_size() {
        let means = CategoryMeans {
            feature: "lunch".into(),
            groups: vec![
                GroupMean {
                    category: "a".into(),
                    n: 1,
                    mean: 10.0,
                },
                GroupMean {
                    category: "b".into(),
                    n: 3,
                    mean: 30.0,
                },
            ],
        };
        assert_eq!(overall_mean(&means), Some(25.0));
        assert_eq!(
            overall_mean(&CategoryMeans {
                feature: "x".into(),
                groups: vec![]
            }),
            None
        );
    }
}
