//! What the pages module's Leptos pages read: the models and reports, and the selection.
//!
//! [`AppState`] holds the parsed model set and report set (or why either is unusable) and the
//! visitor's [`Selection`] — the score to predict and whether gender and race/ethnicity are
//! left out — as signals, which the shell sets through `mount` (src/bin/pages.rs). Every page
//! reads the selected model and report through it, so a change of selection re-renders
//! whichever page is open.

use std::sync::Arc;

use leptos::prelude::*;
use model::report::{Report, ReportSet};
use model::Predictor;

use crate::catalog::remembered_selection;
pub use crate::catalog::{parse_models, Catalog};

/// Something the app loaded at start, or the reason it could not.
pub type Loaded<T> = Result<Arc<T>, String>;

/// Reads a report document (a report per target).
pub fn parse_reports(json: &str) -> Result<ReportSet, String> {
    let set: ReportSet = serde_json::from_str(json)
        .map_err(|e| format!("the report is not valid JSON for this app: {e}"))?;
    if set.get(&set.default_target).is_none() {
        return Err(format!("the report has no {} section", set.default_target));
    }
    Ok(set)
}

/// The visitor's choice: which score to predict, and whether to leave out gender and
/// race/ethnicity. Copyable signals, so any component can read or change it.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub target: RwSignal<String>,
    pub unaware: RwSignal<bool>,
}

/// Everything the pages share.
#[derive(Clone)]
pub struct AppState {
    pub models: Loaded<Catalog>,
    /// One report per target, each shared, not copied, by the pages that show it.
    pub reports: Result<Arc<[Arc<Report>]>, String>,
    pub selection: Selection,
}

impl AppState {
    /// The state for these documents, the selection restored from the last visit when it
    /// still names a target of this model set.
    pub fn new(models: Result<Catalog, String>, reports: Result<ReportSet, String>) -> Self {
        let models = models.map(Arc::new);
        let default_target = match (&models, &reports) {
            (Ok(m), _) => m.default_target().to_owned(),
            (Err(_), Ok(r)) => r.default_target.clone(),
            (Err(_), Err(_)) => String::new(),
        };
        let reports = reports.map(|set| set.reports.into_iter().map(Arc::new).collect());
        let (target, unaware) =
            remembered_selection(models.as_ref().ok().map(Arc::as_ref), default_target);
        Self {
            models,
            reports,
            selection: Selection {
                target: RwSignal::new(target),
                unaware: RwSignal::new(unaware),
            },
        }
    }

    /// The model for the selection (tracked: a reactive reader re-runs when it changes).
    pub fn predictor(&self) -> Loaded<Predictor> {
        let models = self.models.as_ref().map_err(Clone::clone)?;
        let target = self.selection.target.get();
        let unaware = self.selection.unaware.get();
        models.predictor(&target, unaware)
    }

    /// The report for the selected target (tracked).
    pub fn report(&self) -> Loaded<Report> {
        let reports = self.reports.as_ref().map_err(Clone::clone)?;
        let target = self.selection.target.get();
        reports
            .iter()
            .find(|r| r.target == target)
            .cloned()
            .ok_or_else(|| format!("the report has no {target} section"))
    }
}

/// Makes `state` available to every component below this one.
pub fn provide_state(state: AppState) {
    provide_context(state);
}

/// The state provided by an ancestor with [`provide_state`].
///
/// # Panics
/// When no ancestor provided one: a programming error, not something user input can cause.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::REPORT_JSON;

    #[test]
    fn reports_need_their_default_target() {
        let set = parse_reports(REPORT_JSON).unwrap();
        assert_eq!(set.reports.len(), 3);
        let error =
            parse_reports(r#"{"report_version":2,"default_target":"x","reports":[]}"#).unwrap_err();
        assert!(error.contains("no x section"), "{error}");
        let error = parse_reports("{ nope").unwrap_err();
        assert!(error.starts_with("the report is not valid JSON"), "{error}");
    }
}
