//! The About page: the model card — the dataset file's card (from model.json: title,
//! description, sources, licence, intended use, why the roles are what they are), how the
//! served model was measured, its limitations, and the fairness audit, from report.json.

use std::sync::Arc;

use crate::state::column_label;
use leptos::prelude::*;
use model::report::{FairnessAudit, Report};
use model::DatasetCard;

use crate::glossary::{interval_text, Glossary};
use crate::pages::fairness::mae_change;
use crate::reports::{
    excluded_text, full_audit, report_page, use_reports, variant_audit, ReportFor,
};
use crate::{family_label, format_percent, use_app_state, Route, ServedModel};

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

/// The dataset card of a model document (`dataset`, since set 1.1): `None` when the document
/// has none or is not a set. Read again from the embedded document on the About page only, so
/// the catalog every page shares stays as it is.
pub fn dataset_card(json: &str) -> Option<DatasetCard> {
    #[derive(serde::Deserialize)]
    struct CardOnly {
        #[serde(default)]
        dataset: Option<DatasetCard>,
    }
    serde_json::from_str::<CardOnly>(json).ok()?.dataset
}

/// A source or licence as a link: its title (or name), and its path when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub text: String,
    pub href: Option<String>,
}

/// The card's sources and licences as links (entries with neither a title nor a path left
/// out).
pub fn card_links(card: &DatasetCard) -> (Vec<Link>, Vec<Link>) {
    let link = |text: Option<&String>, href: Option<&String>| {
        let text = text.or(href)?.clone();
        Some(Link {
            text,
            href: href.cloned(),
        })
    };
    let sources = card
        .sources
        .iter()
        .filter_map(|s| link(s.title.as_ref(), s.path.as_ref()))
        .collect();
    let licenses = card
        .licenses
        .iter()
        .filter_map(|l| link(l.title.as_ref().or(l.name.as_ref()), l.path.as_ref()))
        .collect();
    (sources, licenses)
}

fn link_list(links: Vec<Link>) -> impl IntoView {
    view! {
        <ul>
            {links
                .into_iter()
                .map(|l| view! { <li><a href=l.href>{l.text}</a></li> })
                .collect_view()}
        </ul>
    }
}

/// The dataset file's card: what the data is, where it comes from, its licence, what it is
/// for and why its roles are what they are.
fn dataset_section(card: DatasetCard, rows: usize) -> impl IntoView {
    let (sources, licenses) = card_links(&card);
    let title = card.title.clone().or(card.name.clone());
    view! {
        <h3>"Data"</h3>
        <p data-testid="about-dataset">
            {title.map(|t| view! { <strong>{t}</strong> ": " })}
            {card
                .description
                .clone()
                .unwrap_or_else(|| "The dataset file gives no description.".to_owned())}
            {format!(" The trainer read {rows} rows.")}
        </p>
        {(!sources.is_empty()).then(|| view! { <h4>"Sources"</h4> {link_list(sources)} })}
        {(!licenses.is_empty()).then(|| view! { <h4>"Licence"</h4> {link_list(licenses)} })}
        <h3>"Intended use"</h3>
        <p data-testid="about-intended-use">
            {card
                .intended_use
                .clone()
                .unwrap_or_else(|| {
                    "The dataset file does not say; treat what the models find as associations in the training data, not causes.".to_owned()
                })}
        </p>
        {card
            .roles_rationale
            .map(|r| {
                view! {
                    <h3>"Why these fields are sensitive or changeable"</h3>
                    <p data-testid="about-rationale">{r}</p>
                }
            })}
    }
}

#[component]
fn ModelCard(report: Arc<Report>, unaware: bool) -> impl IntoView {
    let state = use_app_state();
    let target = column_label(&report.target).to_ascii_lowercase();
    // The model in use for the selection, with the figures model.json carries for it (the
    // same ones the Predict page names).
    let served = state
        .models
        .as_ref()
        .ok()
        .and_then(|c| c.get(&report.target, unaware).cloned());
    let card = dataset_card(crate::MODEL_JSON).unwrap_or_default();
    let (split, cv) = (report.split.clone(), report.cv.clone());
    let full = full_audit(&report);
    let left_out = variant_audit(&report)
        .map(|v| excluded_text(&v.excluded, &column_label))
        .unwrap_or_default();
    view! {
            <section class="card prose" aria-labelledby="about-heading">
                {dataset_section(card, report.data.rows)}
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
                                excluded_text(&bundle.excluded, &column_label),
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
                                            <dd data-testid="about-interval">{interval_text(interval)}</dd>
                                        }
                                    })}
                            </dl>
                        }
                    })}
                <h3>"Limitations"</h3>
                <ul>
                    <li>"Patterns in the training data need not hold for other students, schools or years."</li>
                    <li>
                        "The interval has one width for every student, set on the training students as a whole; for a small group it may be too narrow or too wide (the Fairness page measures it per group)."
                    </li>
                    <li>
                        "The model describes associations, not causes: changing a field in the what-if controls does not mean the score would change."
                    </li>
                </ul>
                <h3>"Fairness"</h3>
                <p>
                    {format!("Test-split errors per group of the served model, and of the same search without {left_out} (a positive mean signed error means the group is over-predicted). The ")}
                    <a href=Route::Fairness.path()>"Fairness page"</a>
                    " shows each group's figures; the switch at the top of every page predicts with the model without those fields."
                </p>
    <ul>
                    {report
                        .fairness
                        .iter()
                        .map(|a| view! { <li>{audit_line(a, full)}</li> })
                        .collect_view()}
                </ul>
            </section>
        }
}

/// A model of the audit in one line: "full — Lasso regression, test R² 0.880", with a
/// variant's cost against the full model.
fn audit_line(audit: &FairnessAudit, full: Option<&FairnessAudit>) -> String {
    let cost = if audit.excluded.is_empty() {
        String::new()
    } else {
        format!(
            " (cost {:.3} of test R²{})",
            audit.r2_cost,
            full.and_then(|f| mae_change(f, audit))
                .map(|c| format!(": predictions miss by {c} on average"))
                .unwrap_or_default()
        )
    };
    format!(
        "{} — {}, test R² {:.3}{cost}",
        audit.variant,
        family_label(&audit.family),
        audit.test_r2
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_comes_from_the_model_document() {
        let card = dataset_card(crate::MODEL_JSON).expect("the committed set has a card");
        assert_eq!(card.title.as_deref(), Some("Students Performance in Exams"));
        assert!(card.intended_use.unwrap().contains("Not for decisions"));
        let (sources, licenses) = card_links(&dataset_card(crate::MODEL_JSON).unwrap());
        assert_eq!(sources.len(), 1);
        assert!(sources[0]
            .href
            .as_deref()
            .unwrap()
            .starts_with("https://www.kaggle.com/"));
        assert!(licenses.is_empty());
        // A document without a card, or not a set at all, has none; nothing panics.
        assert_eq!(dataset_card(r#"{"bundles": []}"#), None);
        assert_eq!(dataset_card("not json"), None);
        assert_eq!(dataset_card("[1, 2]"), None);
    }

    #[test]
    fn a_link_needs_a_title_or_a_path() {
        let card: DatasetCard = serde_json::from_value(serde_json::json!({
            "sources": [{"title": "Only a title"}, {"path": "https://example.org/data"}, {}],
            "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}, {"title": "Own", "name": "x"}]
        }))
        .unwrap();
        let (sources, licenses) = card_links(&card);
        assert_eq!(
            sources,
            [
                Link {
                    text: "Only a title".into(),
                    href: None
                },
                Link {
                    text: "https://example.org/data".into(),
                    href: Some("https://example.org/data".into())
                },
            ]
        );
        assert_eq!(licenses[0].text, "CC-BY-4.0");
        assert_eq!(licenses[1].text, "Own", "the title before the name");
    }
}
