//! The command line's progress bars, driven by the training run's [`Progress`] events: one bar
//! per (target, variant, family), hidden unless stderr is a terminal so logs stay clean.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, SearchEvent};

/// Bars for the searches of a run; never cancels.
pub struct Bars {
    multi: Option<MultiProgress>,
    /// Each family search's bar, by its label ([`label`]).
    bars: Mutex<Vec<(String, ProgressBar)>>,
}

impl Bars {
    /// Bars on stderr, or none when stderr is not a terminal or `quiet` is set.
    pub fn new(quiet: bool) -> Self {
        let shown = !quiet && std::io::stderr().is_terminal();
        Self {
            multi: shown.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: Mutex::new(Vec::new()),
        }
    }

    fn bar(&self, e: &SearchEvent<'_>, label: &str) -> ProgressBar {
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let bar = multi.add(ProgressBar::new((e.points * e.folds) as u64));
        bar.set_style(
            ProgressStyle::with_template("{prefix:>18} {bar:30} {pos}/{len} fits {elapsed}")
                .expect("a valid template"),
        );
        bar.set_prefix(label.to_owned());
        bar
    }
}

/// What a bar shows before itself: "math_score: knn", "math_score without gender: knn".
fn label(e: &SearchEvent<'_>) -> String {
    if e.variant == "full" {
        format!("{}: {}", e.target, e.family)
    } else {
        format!("{} {}: {}", e.target, e.variant, e.family)
    }
}

impl Progress for Bars {
    fn step(&self, e: &SearchEvent<'_>) -> ControlFlow<()> {
        if self.multi.is_none() {
            return ControlFlow::Continue(());
        }
        let key = label(e);
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        let bar = match bars.iter().find(|(k, _)| *k == key) {
            Some((_, bar)) => bar.clone(),
            None => {
                let bar = self.bar(e, &key);
                bars.push((key, bar.clone()));
                bar
            }
        };
        bar.inc(1);
        if bar.position() >= bar.length().unwrap_or(0) {
            bar.finish_and_clear();
        }
        ControlFlow::Continue(())
    }
}
