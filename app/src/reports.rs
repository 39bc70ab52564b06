//! The training reports (`assets/report.json`: the model comparison, the data's aggregates and
//! the fairness audit), fetched from the same origin the first time a page needs them, not
//! built into the wasm: the Predict page never waits for them. The service worker precaches
//! the file (scripts/postbuild.mjs lists every file of the build), so the pages that show it
//! open offline too.
//!
//! [`provide_reports`] puts one [`Reports`] in context; a page calls [`Reports::for_target`]
//! inside a reactive closure, which starts the fetch on first use and re-renders the page
//! when it lands. A failed fetch is an error card with a retry button ([`ReportStatus`]).
//!
//! Why not a Leptos `LocalResource` under `<Suspense>`: a resource starts its fetch when it is
//! created, so one made at the app's root would download the reports on every first visit to
//! Predict, which never shows them, and one made per page would fetch again on every visit.
//! This one signal is shared by the pages, fetches once, on the first page that reads it, and
//! keeps a failure until the visitor retries.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::report::{FairnessAudit, GroupErrors, Report, ReportSet};

/// Where the build puts the reports (index.html copies assets/report.json there).
pub const REPORT_URL: &str = "/report.json";

/// The reports, one per target, each shared (not copied) by the pages that show it.
pub type ReportList = Arc<[Arc<Report>]>;

/// Where the fetch is.
#[derive(Debug, Clone)]
pub enum ReportState {
    /// Not asked for yet.
    Idle,
    Loading,
    Ready(ReportList),
    Failed(ReportError),
}

/// Why the reports are unusable, said on the pages' error card.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error("{url} could not be fetched: {detail}")]
    Fetch { url: String, detail: String },
    #[error("{url} could not be fetched: the server answered {status} {status_text}")]
    Status {
        url: String,
        status: u16,
        status_text: String,
    },
    #[error("the report is not valid JSON for this app: {0}")]
    Invalid(String),
    #[error("the report has no {0} section")]
    NoSection(String),
}

/// What a page gets for its target.
#[derive(Debug, Clone)]
pub enum ReportFor {
    Loading,
    Ready(Arc<Report>),
    Failed(ReportError),
}

/// Reads a report document (a report per target).
pub fn parse_reports(json: &str) -> Result<ReportSet, ReportError> {
    let set: ReportSet =
        serde_json::from_str(json).map_err(|e| ReportError::Invalid(e.to_string()))?;
    if set.get(&set.default_target).is_none() {
        return Err(ReportError::NoSection(set.default_target));
    }
    Ok(set)
}

/// The report set, fetched on demand.
#[derive(Debug, Clone, Copy)]
pub struct Reports {
    state: RwSignal<ReportState>,
    url: StoredValue<String>,
}

impl Reports {
    /// Reports fetched from `url` when first needed.
    pub fn new(url: &str) -> Self {
        Self {
            state: RwSignal::new(ReportState::Idle),
            url: StoredValue::new(url.to_owned()),
        }
    }

    /// Reports already at hand (or known to be unusable): nothing is fetched.
    pub fn with(reports: Result<ReportSet, ReportError>) -> Self {
        let this = Self::new(REPORT_URL);
        this.state.set(state_of(reports));
        this
    }

    /// The state now (tracked).
    pub fn state(&self) -> ReportState {
        self.state.get()
    }

    /// The report for `target` (tracked), starting the fetch if nothing has asked yet.
    pub fn for_target(&self, target: &str) -> ReportFor {
        if matches!(self.state.get_untracked(), ReportState::Idle) {
            self.load();
        }
        match self.state.get() {
            ReportState::Idle | ReportState::Loading => ReportFor::Loading,
            ReportState::Failed(message) => ReportFor::Failed(message),
            ReportState::Ready(list) => list
                .iter()
                .find(|r| r.target == target)
                .cloned()
                .map_or_else(
                    || ReportFor::Failed(ReportError::NoSection(target.to_owned())),
                    ReportFor::Ready,
                ),
        }
    }

    /// Fetches the reports (again, after a failure); nothing while a fetch is under way or
    /// once they are here.
    pub fn load(&self) {
        if matches!(
            self.state.get_untracked(),
            ReportState::Loading | ReportState::Ready(_)
        ) {
            return;
        }
        self.state.set(ReportState::Loading);
        let (state, url) = (self.state, self.url.get_value());
        spawn_local(async move {
            let fetched = fetch_reports(&url).await;
            // The app may be gone (a test unmounting it): then there is nothing to update.
            state.try_set(state_of(fetched));
        });
    }
}

fn state_of(reports: Result<ReportSet, ReportError>) -> ReportState {
    match reports {
        Ok(set) => ReportState::Ready(set.reports.into_iter().map(Arc::new).collect()),
        Err(message) => ReportState::Failed(message),
    }
}

/// The document at `url`, read as a report set. gloo-net rather than web-sys' fetch by hand:
/// leptos already links gloo-net (through server_fn), so it adds a few hundred bytes of glue.
async fn fetch_reports(url: &str) -> Result<ReportSet, ReportError> {
    let failed = |e: gloo_net::Error| ReportError::Fetch {
        url: url.to_owned(),
        detail: e.to_string(),
    };
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(failed)?;
    if !response.ok() {
        return Err(ReportError::Status {
            url: url.to_owned(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    let text = response.text().await.map_err(failed)?;
    parse_reports(&text)
}

/// A page's content for the selected target's report, drawn by `page` (given the report and
/// whether the switch is on), or its loading note or error card; re-drawn when the selection
/// changes or the report arrives.
pub fn report_page<V>(
    page: impl Fn(Arc<Report>, bool) -> V + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Send + Sync + 'static
where
    V: IntoView + 'static,
{
    let state = crate::use_app_state();
    let reports = use_reports();
    move || match reports.for_target(&state.selection.target.get()) {
        ReportFor::Ready(report) => page(report, state.selection.unaware.get()).into_any(),
        ReportFor::Loading => view! { <ReportStatus failure=None /> }.into_any(),
        ReportFor::Failed(message) => view! { <ReportStatus failure=Some(message) /> }.into_any(),
    }
}

/// The audit of the model trained with every field (`None` when the trainer ran no audit).
pub fn full_audit(report: &Report) -> Option<&FairnessAudit> {
    report.fairness.iter().find(|a| a.excluded.is_empty())
}

/// The audit of the variant trained without the sensitive fields, the one the switch serves.
pub fn variant_audit(report: &Report) -> Option<&FairnessAudit> {
    report.fairness.iter().find(|a| !a.excluded.is_empty())
}

/// The audit of the model the selection serves: the variant's with the switch on (when the
/// report has one), else the full model's.
pub fn served_audit(report: &Report, unaware: bool) -> Option<&FairnessAudit> {
    unaware
        .then(|| variant_audit(report))
        .flatten()
        .or_else(|| full_audit(report))
}

/// What the switch costs for one target: test R² with every field and without the sensitive
/// ones, and the group the variant errs for most systematically.
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchCost {
    pub full_r2: f64,
    pub without_r2: f64,
    /// The group with the largest mean signed error without the fields (`None` when no
    /// group has a finite one).
    pub shift: Option<GroupShift>,
}

/// One group's mean signed error (prediction − actual) under both models.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupShift {
    pub feature: String,
    pub category: String,
    /// The variant's: above 0 the group is over-predicted.
    pub without: f64,
    /// The full model's, for the same group (`None` when it has no figure for it).
    pub full: Option<f64>,
}

/// The cost of the switch from the report's audits (`None` without both, or when a test R² is
/// not a number).
pub fn switch_cost(report: &Report) -> Option<SwitchCost> {
    let (full, without) = (full_audit(report)?, variant_audit(report)?);
    if !(full.test_r2.is_finite() && without.test_r2.is_finite()) {
        return None;
    }
    let worst = without
        .groups
        .iter()
        .filter(|g| g.mean_signed_error.is_finite())
        .fold(None::<&GroupErrors>, |best, g| match best {
            Some(b) if b.mean_signed_error.abs() >= g.mean_signed_error.abs() => Some(b),
            _ => Some(g),
        });
    let shift = worst.map(|g| GroupShift {
        feature: g.feature.clone(),
        category: g.category.clone(),
        without: g.mean_signed_error,
        full: full
            .groups
            .iter()
            .find(|f| f.feature == g.feature && f.category == g.category)
            .map(|f| f.mean_signed_error)
            .filter(|v| v.is_finite()),
    });
    Some(SwitchCost {
        full_r2: full.test_r2,
        without_r2: without.test_r2,
        shift,
    })
}

impl SwitchCost {
    /// "test R² 0.880 → 0.699; largest group shift: Female over-predicted by +6.48 points
    /// (+0.63 with every field)", the group named by `group` (its feature and category).
    pub fn describe(&self, group: impl Fn(&str, &str) -> String) -> String {
        let mut text = format!("test R² {:.3} → {:.3}", self.full_r2, self.without_r2);
        if let Some(s) = &self.shift {
            let how = if s.without >= 0.0 { "over" } else { "under" };
            text.push_str(&format!(
                "; largest group shift: {} {how}-predicted by {} points",
                group(&s.feature, &s.category),
                crate::charts::signed(s.without, 2),
            ));
            if let Some(full) = s.full {
                text.push_str(&format!(
                    " ({} with every field)",
                    crate::charts::signed(full, 2)
                ));
            }
        }
        text
    }
}

/// How a group reads: the category's label from the model set's features when the dataset
/// file gave one ("F" → "female"), else the category capitalised ("group A" → "Group A").
pub fn group_label(models: Option<&crate::Catalog>, feature: &str, category: &str) -> String {
    let labelled =
        models
            .into_iter()
            .flat_map(|c| c.all())
            .find_map(|p| match p.feature(feature)? {
                model::Feature::Categorical {
                    categories, info, ..
                } => {
                    let i = categories.iter().position(|c| c == category)?;
                    info.category_labels.get(i).cloned()
                }
                model::Feature::Numeric { .. } => None,
            });
    labelled.unwrap_or_else(|| crate::category_label(category))
}

/// The columns a variant leaves out, as the pages write them: "gender and race/ethnicity".
pub fn excluded_text(excluded: &[String], label: &dyn Fn(&str) -> String) -> String {
    let labels: Vec<String> = excluded
        .iter()
        .map(|e| label(e).to_ascii_lowercase())
        .collect();
    and_list(&labels)
}

/// Labels as a list people read: "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Makes `reports` available to every component below.
pub fn provide_reports(reports: Reports) {
    provide_context(reports);
}

/// The reports provided above this component.
///
/// # Panics
/// When no ancestor provided them: a programming error.
pub fn use_reports() -> Reports {
    expect_context::<Reports>()
}

/// What a page shows while its report is not there: a loading note, or an error card with a
/// button that fetches again.
#[component]
pub fn ReportStatus(
    /// `None` while loading, else why the report is unusable.
    failure: Option<ReportError>,
) -> impl IntoView {
    let reports = use_reports();
    match failure {
        None => view! {
            <p class="card page-card muted" role="status" data-testid="report-loading">
                "Loading the training report…"
            </p>
        }
        .into_any(),
        Some(message) => view! {
            <section class="card error-card" role="alert" data-testid="report-error">
                <h2>"The training report could not be loaded"</h2>
                <p>
                    "This page shows the trainer's report, fetched from this site the first time a page needs it. "
                    "Predictions do not need it: " <a href="/">"make a prediction"</a>
                    ", or try again."
                </p>
                <p class="error-detail">
                    <code>{message.to_string()}</code>
                </p>
                <button type="button" class="button" on:click=move |_| reports.load()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT_JSON: &str = include_str!("../../assets/report.json");

    #[test]
    fn reports_need_their_default_target() {
        let set = parse_reports(REPORT_JSON).unwrap();
        assert_eq!(set.reports.len(), 3);
        assert!(set.reports.iter().all(|r| !r.families.is_empty()));
        let error =
            parse_reports(r#"{"report_version":2,"default_target":"x","reports":[]}"#).unwrap_err();
        assert_eq!(error, ReportError::NoSection("x".into()));
        assert_eq!(error.to_string(), "the report has no x section");
        let error = parse_reports("{ nope").unwrap_err();
        assert!(matches!(error, ReportError::Invalid(_)));
        assert!(
            error
                .to_string()
                .starts_with("the report is not valid JSON"),
            "{error}"
        );
    }

    #[test]
    fn the_switch_costs_r2_and_the_largest_group_shift() {
        let set = parse_reports(REPORT_JSON).unwrap();
        let report = set.get("math_score").unwrap();
        let cost = switch_cost(report).unwrap();
        let (full, without) = (full_audit(report).unwrap(), variant_audit(report).unwrap());
        assert_eq!(
            (cost.full_r2, cost.without_r2),
            (full.test_r2, without.test_r2)
        );
        // The group the variant errs for most in one direction, by the report's figures.
        let worst = without
            .groups
            .iter()
            .max_by(|a, b| {
                a.mean_signed_error
                    .abs()
                    .total_cmp(&b.mean_signed_error.abs())
            })
            .unwrap();
        let shift = cost.shift.clone().unwrap();
        assert_eq!(
            (shift.feature.as_str(), shift.category.as_str()),
            ("gender", "female")
        );
        assert_eq!(shift.category, worst.category);
        let text = cost.describe(|_, g| crate::category_label(g));
        assert_eq!(
            text,
            format!(
                "test R² {:.3} → {:.3}; largest group shift: Female over-predicted by +{:.2} points (+{:.2} with every field)",
                full.test_r2,
                without.test_r2,
                worst.mean_signed_error,
                full.groups[0].mean_signed_error
            )
        );
        assert_eq!(served_audit(report, true), Some(without));
        assert_eq!(served_audit(report, false), Some(full));

        // A report without the variant has no cost, and the full model serves either way.
        let mut alone = report.clone();
        alone.fairness.retain(|a| a.excluded.is_empty());
        assert_eq!(switch_cost(&alone), None);
        assert_eq!(served_audit(&alone, true), Some(full));
        // Non-finite figures never reach the text.
        let mut broken = report.clone();
        for a in &mut broken.fairness {
            for g in &mut a.groups {
                g.mean_signed_error = f64::NAN;
            }
        }
        let cost = switch_cost(&broken).unwrap();
        assert_eq!(cost.shift, None);
        assert!(!cost.describe(|_, g| g.to_owned()).contains("NaN"));
        broken.fairness[1].test_r2 = f64::INFINITY;
        assert_eq!(switch_cost(&broken), None);
    }

    #[test]
    fn lists_read_as_people_write_them() {
        let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&[]), "");
        assert_eq!(s(&["sex"]), "sex");
        assert_eq!(s(&["sex", "age"]), "sex and age");
        assert_eq!(
            s(&["sex", "age", "home address"]),
            "sex, age and home address"
        );
        let catalog = crate::parse_models(crate::MODEL_JSON).unwrap();
        assert_eq!(
            excluded_text(&["gender".into(), "race_ethnicity".into()], &|n| catalog
                .label(n)),
            "gender and race/ethnicity"
        );
        assert_eq!(
            group_label(Some(&catalog), "race_ethnicity", "group A"),
            "Group A"
        );
        assert_eq!(group_label(None, "sex", "F"), "F");
    }

    /// The pages' pure logic on the UCI model set (`target/release/trainer train --data
    /// data/student-por.csv --schema data/uci-student.schema.json --out target/uci`): no
    /// panic, no NaN, a chart for every feature, the report's audit groups.
    #[test]
    fn the_pages_read_the_uci_model_set() {
        use crate::pages::fairness::{group_rows, group_table};
        use crate::pages::insights::logic;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/uci");
        let (Ok(models), Ok(reports)) = (
            std::fs::read_to_string(dir.join("model.json")),
            std::fs::read_to_string(dir.join("report.json")),
        ) else {
            println!(
                "skipped: {} has no model.json and report.json (train them with `target/release/trainer train --data data/student-por.csv --schema data/uci-student.schema.json --out target/uci`)",
                dir.display()
            );
            return;
        };
        let catalog = crate::parse_models(&models).expect("the UCI models read");
        let set = parse_reports(&reports).expect("the UCI reports read");
        let card = crate::pages::about::dataset_card(&models).expect("a dataset card");
        assert!(card.title.is_some() && card.intended_use.is_some());
        let (sources, licenses) = crate::pages::about::card_links(&card);
        assert!(!sources.is_empty() && !licenses.is_empty());
        let no_nan = |text: &str| assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        for report in &set.reports {
            let target = &report.target;
            let full = catalog.get(target, false).expect("a full model per target");
            // Every feature gets a chart, and both sections are long enough for a picker.
            let charted = logic::charted(report);
            for f in full.features() {
                assert!(
                    charted.contains(&f.name()),
                    "{target}: no chart for {}",
                    f.name()
                );
            }
            assert!(logic::needs_picker(report.insights.by_category.len()));
            assert!(logic::needs_picker(report.insights.relations.len()));
            assert_eq!(
                logic::target_domain(report, full.target_range()),
                (0.0, 20.0)
            );
            for r in &report.insights.relations {
                assert!(logic::edges_domain(&r.edges).is_some(), "{}", r.column);
                logic::bin_labels(&r.edges).iter().for_each(|b| no_nan(b));
            }
            // The audit groups by the report's groups: the sensitive and the audited fields.
            let (audit, variant) = (full_audit(report).unwrap(), variant_audit(report).unwrap());
            let fields: Vec<String> = group_rows(audit, Some(variant))
                .into_iter()
                .map(|(f, rows)| {
                    let table = group_table(&rows);
                    assert_eq!(table.headers.len(), 7, "{target} {f}");
                    table.cells.iter().flatten().for_each(|c| no_nan(c));
                    f
                })
                .collect();
            for f in ["sex", "address", "school", "Pstatus"] {
                assert!(
                    fields.iter().any(|g| g == f),
                    "{target}: no {f} group in {fields:?}"
                );
            }
            // Age is left out by the switch (a number: not grouped by).
            assert_eq!(
                excluded_text(&variant.excluded, &|n| catalog.label(n)),
                "sex, age and home address"
            );
            let cost = switch_cost(report).expect("a cost");
            let text = cost.describe(|f, g| group_label(Some(&catalog), f, g));
            no_nan(&text);
            assert!(text.starts_with("test R² 0."), "{text}");
            // Groups read by their labels ("female", not "F").
            assert_eq!(group_label(Some(&catalog), "sex", "F"), "female");
            for bundle in [full, catalog.get(target, true).unwrap()] {
                no_nan(&crate::glossary::interval_text(
                    bundle.bundle().interval.as_ref().unwrap(),
                ));
            }
        }
    }

    #[test]
    fn a_page_gets_its_target_or_why_not() {
        let owner = Owner::new();
        owner.with(|| {
            let reports = Reports::with(parse_reports(REPORT_JSON));
            assert!(matches!(
                reports.for_target("reading_score"),
                ReportFor::Ready(r) if r.target == "reading_score"
            ));
            assert!(matches!(
                reports.for_target("art_score"),
                ReportFor::Failed(ReportError::NoSection(t)) if t == "art_score"
            ));
            let bad = ReportError::Invalid("bad".into());
            let broken = Reports::with(Err(bad.clone()));
            assert!(matches!(broken.for_target("math_score"), ReportFor::Failed(m) if m == bad));
        });
    }
}
