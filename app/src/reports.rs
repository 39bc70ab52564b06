//! The training reports (`assets/report.json`: the model comparison, the data's aggregates and
//! the fairness audit), fetched from the same origin the first time a page needs them, not
//! built into the wasm: the Predict page never waits for them. The service worker precaches
//! the file (scripts/postbuild.mjs lists every file of the build), so the pages that show it
//! open offline too.
//!
//! [`provide_reports`] puts one [`Reports`] in context; a page calls [`Reports::for_target`]
//! inside a reactive closure, which starts the fetch on first use and re-renders the page
//! when it lands. A failed fetch is an error card with a retry button ([`ReportStatus`]).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::report::{Report, ReportSet};

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
    Failed(String),
}

/// What a page gets for its target.
#[derive(Debug, Clone)]
pub enum ReportFor {
    Loading,
    Ready(Arc<Report>),
    Failed(String),
}

/// Reads a report document (a report per target).
pub fn parse_reports(json: &str) -> Result<ReportSet, String> {
    let set: ReportSet = serde_json::from_str(json)
        .map_err(|e| format!("the report is not valid JSON for this app: {e}"))?;
    if set.get(&set.default_target).is_none() {
        return Err(format!("the report has no {} section", set.default_target));
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
    pub fn with(reports: Result<ReportSet, String>) -> Self {
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
                    || ReportFor::Failed(format!("the report has no {target} section")),
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

fn state_of(reports: Result<ReportSet, String>) -> ReportState {
    match reports {
        Ok(set) => ReportState::Ready(set.reports.into_iter().map(Arc::new).collect()),
        Err(message) => ReportState::Failed(message),
    }
}

/// The document at `url`, read as a report set. gloo-net rather than web-sys' fetch by hand:
/// leptos already links gloo-net (through server_fn), so it adds a few hundred bytes of glue.
async fn fetch_reports(url: &str) -> Result<ReportSet, String> {
    let failed = |detail: String| format!("{url} could not be fetched: {detail}");
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    if !response.ok() {
        return Err(failed(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = response.text().await.map_err(|e| failed(e.to_string()))?;
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
    failure: Option<String>,
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
                    <code>{message}</code>
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
        assert!(error.contains("no x section"), "{error}");
        let error = parse_reports("{ nope").unwrap_err();
        assert!(error.starts_with("the report is not valid JSON"), "{error}");
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
                ReportFor::Failed(m) if m.contains("no art_score section")
            ));
            let broken = Reports::with(Err("bad".into()));
            assert!(matches!(broken.for_target("math_score"), ReportFor::Failed(m) if m == "bad"));
        });
    }
}
