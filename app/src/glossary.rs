//! What the numbers mean, in one plain sentence each: the glossary on the About page (each
//! entry with an id, so any page links to `/about#mae`), and the [`Explain`] box a page puts
//! beside the figures it shows, with the sentences of just those terms.

use leptos::prelude::*;
use model::Interval;

use crate::pages::fairness::{COVERAGE_FLAG, COVERAGE_MIN_N};
use crate::{format_percent, Route};

/// A metric or idea a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    Mae,
    Rmse,
    R2,
    Cv,
    Test,
    Interval,
    Coverage,
    SignedError,
    ErrorBars,
}

impl Term {
    /// Every term, in the glossary's order.
    pub const ALL: [Term; 9] = [
        Term::Mae,
        Term::Rmse,
        Term::R2,
        Term::Cv,
        Term::Test,
        Term::Interval,
        Term::Coverage,
        Term::SignedError,
        Term::ErrorBars,
    ];

    /// The id of the term's glossary entry on the About page.
    pub fn id(self) -> &'static str {
        match self {
            Term::Mae => "mae",
            Term::Rmse => "rmse",
            Term::R2 => "r2",
            Term::Cv => "cv",
            Term::Test => "test",
            Term::Interval => "interval",
            Term::Coverage => "coverage",
            Term::SignedError => "signed-error",
            Term::ErrorBars => "error-bars",
        }
    }

    /// The address of the term's glossary entry: `/about#mae`.
    pub fn href(self) -> String {
        format!("{}#{}", Route::About.path(), self.id())
    }

    /// The term as the pages write it, spelled out.
    pub fn name(self) -> &'static str {
        match self {
            Term::Mae => "MAE (mean absolute error)",
            Term::Rmse => "RMSE (root mean squared error)",
            Term::R2 => "R²",
            Term::Cv => "Cross-validation (CV)",
            Term::Test => "Test (held-out) students",
            Term::Interval => "Prediction interval (90 % interval)",
            Term::Coverage => "Coverage",
            Term::SignedError => "Mean signed error",
            Term::ErrorBars => "Error bars on a group's MAE",
        }
    }

    /// The term in one plain sentence.
    pub fn sentence(self) -> String {
        let text = match self {
            Term::Mae => "How many points a prediction misses the real score by, on average, whether it guesses too high or too low (an MAE of 4: a typical miss of about 4 points).",
            Term::Rmse => "Also a typical miss in points, but big misses count for more, so it is never below the MAE; a wide gap between the two means a few predictions miss by a lot.",
            Term::R2 => "The share of the differences between students' scores that the predictions account for: 1 would mean every prediction exact, 0 no better than giving every student the average score.",
            Term::Cv => "How the model was chosen: the training students are split into equal parts (folds), each part is predicted by a model trained on the others, and the results are averaged; ± is how much they varied from fold to fold.",
            Term::Test => "Students set aside before training and never used to choose the model, so figures measured on them (test R², test MAE) are the fairest guide to how it does on new students.",
            Term::Interval => "A range around each prediction that should hold the real score for that share of students (9 in 10 for a 90 % interval): the prediction plus or minus the miss that share of the training students stayed within, each predicted by a model not trained on them.",
            Term::Coverage => {
                return format!(
                    "The share of students whose real score did fall inside their interval: it should be close to the interval's level, and a group of at least {COVERAGE_MIN_N} students under {} is flagged, as the interval promises that group more than it delivers.",
                    format_percent(COVERAGE_FLAG)
                )
            }
            Term::SignedError => "The average of prediction − real score: above 0 the model scores the group too high (over-predicts), below 0 too low, and near 0 its misses balance out.",
            Term::ErrorBars => "How far a group's MAE could move by chance alone: the group's students are drawn again at random many times (a bootstrap), and the bar spans the middle 95 % of the MAEs that gives.",
        };
        text.to_owned()
    }
}

/// The one description of a model's interval every page gives: its width, how the trainer set
/// it (the conformal rank of the served model's out-of-fold misses on the training students)
/// and what it covered on the held-out students.
pub fn interval_text(interval: &Interval) -> String {
    let level = format_percent(interval.level);
    format!(
        "± {:.1} points for {level} of students: the miss that {level} of the {} training students stayed within when each was predicted by a model not trained on them (cross-validation); it covered {} of the held-out test students.",
        interval.half_width,
        interval.n_calibration,
        format_percent(interval.test_coverage),
    )
}

/// The About page's glossary: every term, each entry with its [`Term::id`].
#[component]
pub fn Glossary() -> impl IntoView {
    view! {
        <section class="card prose" aria-labelledby="glossary" data-testid="glossary">
            <h3 id="glossary" tabindex="-1">
                "Glossary: what the numbers mean"
            </h3>
            {entries(&Term::ALL, true)}
        </section>
    }
}

/// "What these numbers mean", opened on demand beside the figures: the sentences of `terms`,
/// each linked to its glossary entry.
#[component]
pub fn Explain(terms: &'static [Term]) -> impl IntoView {
    view! {
        <details class="explain" data-testid="explain">
            <summary>"What these numbers mean"</summary>
            {entries(terms, false)}
        </details>
    }
}

/// The terms as a list, each name linking to its glossary entry; in the glossary itself
/// (`anchored`), each entry carries its id and takes focus when a link lands on it.
fn entries(terms: &'static [Term], anchored: bool) -> impl IntoView {
    view! {
        <dl class="glossary">
            {terms
                .iter()
                .map(|&t| {
                    view! {
                        <dt id=anchored.then(|| t.id()) tabindex=anchored.then_some("-1")>
                            <a href=t.href()>{t.name()}</a>
                        </dt>
                        <dd>{t.sentence()}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_has_its_own_id_and_one_sentence() {
        let mut ids: Vec<&str> = Term::ALL.iter().map(|t| t.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Term::ALL.len(), "ids are unique");
        for t in Term::ALL {
            assert!(
                t.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{:?}",
                t.id()
            );
            assert_eq!(t.href(), format!("/about#{}", t.id()));
            let s = t.sentence();
            assert!(s.ends_with('.'), "{s}");
            // One sentence: no full stop before the end but in a number ("0.9") — and
            // none at all here.
            assert!(!s[..s.len() - 1].contains(". "), "{s}");
            assert!(s.len() < 300, "plain and short: {s}");
        }
        // The glossary's interval and every page's figures tell the same method.
        let interval = Interval {
            level: 0.9,
            half_width: 9.133,
            n_calibration: 800,
            test_coverage: 0.89,
        };
        assert_eq!(
            interval_text(&interval),
            "± 9.1 points for 90\u{a0}% of students: the miss that 90\u{a0}% of the 800 training students stayed within when each was predicted by a model not trained on them (cross-validation); it covered 89\u{a0}% of the held-out test students."
        );
        assert!(Term::Interval
            .sentence()
            .contains("the miss that share of the training students stayed within, each predicted by a model not trained on them"));
        assert!(Term::Coverage
            .sentence()
            .contains("at least 20 students under 80\u{a0}%"));
    }
}
