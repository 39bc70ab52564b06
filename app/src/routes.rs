//! The app's pages as routes: their paths, labels and tab titles.

use crate::APP_NAME;

/// The app's pages. Their paths build the routes and the navigation links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Predict,
    Models,
    Insights,
    Fairness,
    Batch,
    About,
}

impl Route {
    /// Every page, in navigation order.
    pub const ALL: [Route; 6] = [
        Route::Predict,
        Route::Models,
        Route::Insights,
        Route::Fairness,
        Route::Batch,
        Route::About,
    ];

    /// The page's address.
    pub fn path(&self) -> &'static str {
        match self {
            Route::Predict => "/",
            Route::Models => "/models",
            Route::Insights => "/insights",
            Route::Fairness => "/fairness",
            Route::Batch => "/batch",
            Route::About => "/about",
        }
    }

    /// The path without its leading slash: the route's segment.
    pub fn segment(&self) -> &'static str {
        &self.path()[1..]
    }

    /// The page's name in the navigation.
    pub fn label(&self) -> &'static str {
        match self {
            Route::Predict => "Predict",
            Route::Models => "Models",
            Route::Insights => "Insights",
            Route::Fairness => "Fairness",
            Route::Batch => "Batch",
            Route::About => "About",
        }
    }

    /// The page at `path` (a trailing slash is allowed), if any.
    pub fn from_path(path: &str) -> Option<Route> {
        let path = match path.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest,
            _ => path,
        };
        Route::ALL.into_iter().find(|r| r.path() == path)
    }

    /// The browser tab's title on this page.
    pub fn document_title(&self) -> String {
        match self {
            Route::Predict => APP_NAME.to_owned(),
            other => format!("{} · {APP_NAME}", other.label()),
        }
    }

    /// Whether the page shows the training report (fetched from [`REPORT_URL`]); assets/boot.js
    /// starts that fetch early on these pages.
    pub fn shows_report(&self) -> bool {
        matches!(
            self,
            Route::Models | Route::Insights | Route::Fairness | Route::About
        )
    }
}

/// The browser tab's title at `path` (a page's, or "Not found").
pub fn title_at(path: &str) -> String {
    Route::from_path(path).map_or_else(|| format!("Not found · {APP_NAME}"), |r| r.document_title())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_have_paths_segments_and_titles() {
        for route in Route::ALL {
            assert!(route.path().starts_with('/'));
            assert_eq!(format!("/{}", route.segment()), route.path());
            assert_eq!(Route::from_path(route.path()), Some(route));
        }
        assert_eq!(Route::from_path("/models/"), Some(Route::Models));
        assert_eq!(Route::from_path("/nope"), None);
        assert_eq!(Route::Predict.document_title(), APP_NAME);
        assert_eq!(Route::Batch.document_title(), format!("Batch · {APP_NAME}"));
    }

    /// boot.js preloads the report on the pages that show it: its list is this one.
    #[test]
    fn boot_js_preloads_the_report_on_the_report_pages() {
        let boot = include_str!("../../assets/boot.js");
        let list = boot
            .lines()
            .find_map(|l| l.strip_prefix("const REPORT_PAGES = ["))
            .and_then(|l| l.strip_suffix("];"))
            .expect("boot.js lists REPORT_PAGES on one line");
        let listed: Vec<&str> = list.split(", ").map(|p| p.trim_matches('"')).collect();
        let expected: Vec<&str> = Route::ALL
            .iter()
            .filter(|r| r.shows_report())
            .map(|r| r.path())
            .collect();
        assert_eq!(listed, expected);
    }
}
