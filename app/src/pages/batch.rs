//! The Batch page: predictions for every row of a CSV file, read in the browser (never
//! uploaded), shown a page of rows at a time and downloadable as CSV.
//!
//! The work runs in a task: it shows "Processing…", lets the browser paint, then predicts a
//! piece of the file at a time with pauses between pieces (see [`crate::chunked`]), so even a
//! long file or a slow model never freezes the page. Rows out = rows in: a row with a problem
//! keeps its place, with its message.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::web_sys;
use model::{
    audited_features, spreadsheet_name, Batch, BatchAudit, BatchError, BatchRow, Choices,
    ColumnPlan, Columns, Feature, ModelBundle, Predictor,
};
use wasm_bindgen_futures::JsFuture;

use crate::chunked::{predict_with_pauses, PieceSizes};
use mapping::ColumnMapping;

mod mapping;
use crate::glossary::{Explain, Term};
use crate::pages::fairness::{GroupRow, GroupTable, COVERAGE_FLAG, COVERAGE_MIN_N};
use crate::state::column_label;
use crate::{
    format_count, format_score, use_app_state, ModelError, PageTitle, Route, ServedModel,
    TableScroll,
};

/// The largest file the page takes: about 350,000 students. Memory grows with the rows (about
/// 70 MB of wasm memory for 100,000, measured by e2e/batch.test.mjs), so a larger file would
/// risk the tab on a phone; it is refused with a message before any work.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Why a file of `bytes` bytes is refused: "the file is 201.3 MB; this page takes files up to
/// 20 MB (about 350,000 students): split it into smaller files".
pub fn too_large(bytes: f64) -> String {
    let mb = |b: f64| b / (1024.0 * 1024.0);
    format!(
        "the file is {:.1} MB; this page takes files up to {:.0} MB (about 350,000 students): split it into smaller files",
        mb(bytes),
        mb(MAX_FILE_BYTES as f64)
    )
}

/// Rows written between pauses when the download is prepared (about 10 ms in Chromium).
const DOWNLOAD_PIECE: usize = 5_000;

/// Rows per page of the results table.
pub const PAGE_SIZE: usize = 100;

/// How many pages `rows` rows fill (at least one, so an empty table has a page).
pub fn page_count(rows: usize) -> usize {
    rows.div_ceil(PAGE_SIZE).max(1)
}

/// The rows on page `page` (0-based) of `rows`.
pub fn page_range(page: usize, rows: usize) -> Range<usize> {
    let start = page.saturating_mul(PAGE_SIZE).min(rows);
    start..(start + PAGE_SIZE).min(rows)
}

/// The name of the results file for an input file and the model that predicted it, naming its
/// target and the columns it was trained without: `"class.csv"` →
/// `"class-predictions-math_score.csv"`, or `"class-predictions-math_score-without-gender-race_ethnicity.csv"`.
pub fn results_name(input: &str, made_with: &ModelBundle) -> String {
    let stem = input
        .strip_suffix(".csv")
        .or_else(|| input.strip_suffix(".CSV"))
        .unwrap_or(input);
    let stem = if stem.is_empty() { "batch" } else { stem };
    let mut name = format!("{stem}-predictions-{}", made_with.target);
    if !made_with.excluded.is_empty() {
        name.push_str("-without-");
        name.push_str(&made_with.excluded.join("-"));
    }
    name + ".csv"
}

/// The "Filled in" cell of a row: the values filled in and, when the row has an interval, that
/// the interval does not account for them ([`model::INTERVAL_CAVEAT`]).
fn filled_note(row: &BatchRow) -> String {
    match row.interval_caveat() {
        Some(caveat) => format!("{}; {caveat}", row.note()),
        None => row.note(),
    }
}

/// How a model is set: "every field used", or "without gender and race/ethnicity".
fn switch_state(made_with: &Predictor) -> String {
    let excluded = &made_with.bundle().excluded;
    if excluded.is_empty() {
        return "every field used".to_owned();
    }
    let labels: Vec<String> = excluded
        .iter()
        .map(|c| column_label(c).to_ascii_lowercase())
        .collect();
    format!("without {}", labels.join(" and "))
}

/// Which model made the results and, when the page's selection has changed since, that they
/// are not the current selection's, with a button to predict the file again.
fn made_with_line(
    made_with: &Predictor,
    current: &Arc<Predictor>,
    again: Option<Callback<()>>,
) -> impl IntoView {
    let made = format!(
        "Made with {}, {}.",
        made_with.target_label(),
        switch_state(made_with)
    );
    let stale = !std::ptr::eq(made_with, current.as_ref());
    let now = stale.then(|| {
        format!(
            " The page is now set to {}, {}: these results are not for it.",
            current.target_label(),
            switch_state(current)
        )
    });
    let button = again.map(|again| {
        view! {
            " "
            <button type="button" class="button" on:click=move |_| again.run(())>
                {format!("Predict again with {}", current.target_label())}
            </button>
        }
    });
    view! {
        <p class:muted=!stale class:notice=stale data-testid="batch-made-with">
            {made}
            {now}
            {button}
        </p>
    }
}

/// A file to start from: the model's columns as the header, then two example students — the
/// typical one (the most frequent categories, the median scores) and one that differs in every
/// field.
pub fn template_csv(predictor: &Predictor) -> String {
    let typical = predictor.reference_student();
    let mut other = Vec::new();
    for feature in predictor.features() {
        let value = match feature {
            model::Feature::Categorical {
                name, categories, ..
            } => {
                let usual = typical.get(name).unwrap_or_default();
                categories
                    .iter()
                    .find(|c| c.as_str() != usual)
                    .unwrap_or(&categories[0])
                    .clone()
            }
            model::Feature::Numeric { name, .. } => {
                let usual = typical
                    .get(name)
                    .and_then(model::text::read_number)
                    .unwrap_or(50.0);
                let (lo, hi) = crate::TARGET_RANGE;
                model::text::number((usual + if usual > 50.0 { -15.0 } else { 15.0 }).clamp(lo, hi))
            }
        };
        other.push(value);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let names: Vec<&str> = predictor.features().iter().map(|f| f.name()).collect();
    let first: Vec<&str> = names
        .iter()
        .map(|n| typical.get(n).unwrap_or_default())
        .collect();
    for record in [names, first, other.iter().map(String::as_str).collect()] {
        let _ = w.write_record(record);
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// Where the page is: nothing chosen yet, working on a file, asking which column is which, or
/// done with it.
#[derive(Clone)]
enum Run {
    Idle,
    Working {
        file: String,
        /// Rows predicted so far, and the share of the file read (`None` until the first
        /// piece is done).
        done: usize,
        share: Option<f64>,
    },
    /// The header does not name every feature: the person says which column is which.
    Mapping {
        file: String,
        bytes: Arc<[u8]>,
        plan: ColumnPlan,
    },
    Done(Finished),
}

/// A file done with: its results or why it could not be used, and the model that made them.
#[derive(Clone)]
struct Finished {
    file: String,
    outcome: Result<Arc<Batch>, String>,
    /// Time spent predicting (the file already read).
    millis: f64,
    made_with: Arc<Predictor>,
    /// The file, to predict it again with another selection (none for a refused file).
    bytes: Option<Arc<[u8]>>,
    /// The columns the person chose in the mapping step, kept for predicting the file again
    /// with another selection (none when the header named every field).
    choices: Option<Choices>,
}

thread_local! {
    /// The last file done with, kept while the app runs: the page shows it again after a visit
    /// to another page or a change of target or switch (marked with the model that made it),
    /// instead of losing it. Plain data, written when a file is done and read when the page
    /// mounts; the wasm has one thread.
    static LAST: RefCell<Option<Finished>> = const { RefCell::new(None) };
}

/// The Batch page, or the model's error card.
#[component]
pub fn BatchPage() -> impl IntoView {
    // A new target or the switch mounts the page afresh for its model; the last results stay
    // ([`LAST`]).
    let state = use_app_state();
    move || match state.predictor() {
        Ok(predictor) => view! { <BatchView predictor /> }.into_any(),
        Err(message) => view! { <ModelError message /> }.into_any(),
    }
}

/// What runs a file through the page's model: reading, planning its columns, predicting it in
/// pieces. Each file gets a ticket; a slower, older file never overwrites a newer one's results,
/// and a run whose page is gone (another target chosen, another page opened) finds its ticket
/// disposed and stops.
#[derive(Clone)]
struct Runner {
    predictor: Arc<Predictor>,
    run: RwSignal<Run>,
    ticket: StoredValue<u64>,
}

impl Runner {
    fn next_ticket(&self) -> u64 {
        self.ticket.update_value(|t| *t += 1);
        self.ticket.get_value()
    }

    fn current(&self, mine: u64) -> bool {
        self.ticket.try_get_value() == Some(mine)
    }

    fn finish(&self, finished: Finished) {
        LAST.with(|last| *last.borrow_mut() = Some(finished.clone()));
        self.run.try_set(Run::Done(finished));
    }

    fn refuse(&self, file: String, message: String) {
        self.finish(Finished {
            file,
            outcome: Err(message),
            millis: 0.0,
            made_with: Arc::clone(&self.predictor),
            bytes: None,
            choices: None,
        });
    }

    /// A chosen file: refused at once by its name (a spreadsheet) or size, else read and
    /// begun.
    fn choose(&self, file: web_sys::File) {
        let name = file.name();
        let mine = self.next_ticket();
        if spreadsheet_name(&name) {
            return self.refuse(name, BatchError::Spreadsheet.to_string());
        }
        // Refused before any work: a file this large would exhaust the tab's memory.
        let size = file.size();
        if size > MAX_FILE_BYTES as f64 {
            return self.refuse(name, too_large(size));
        }
        self.run.set(Run::Working {
            file: name.clone(),
            done: 0,
            share: None,
        });
        let this = self.clone();
        spawn_local(async move {
            let bytes = gloo_file::futures::read_as_bytes(&gloo_file::File::from(file)).await;
            match bytes {
                Ok(bytes) if this.current(mine) => this.begin(name, bytes.into(), None),
                Ok(_) => {}
                Err(e) => this.refuse(name, format!("the file could not be read: {e}")),
            }
        });
    }

    /// Plans the file's columns: predicts at once when its header names every feature (or
    /// the person's earlier `choices` for this file cover the rest), else asks which column
    /// is which, the earlier choices filled in.
    fn begin(&self, file: String, bytes: Arc<[u8]>, choices: Option<&Choices>) {
        match self.predictor.plan_columns(&bytes) {
            Err(e) => self.refuse(file, e.to_string()),
            Ok(plan) if plan.is_named() && choices.is_none() => self.start(file, bytes, None),
            Ok(mut plan) => {
                let covered = choices.is_some_and(|c| plan.reuse(&self.predictor, c));
                if covered && plan.check(&self.predictor).is_ok() {
                    self.start(file, bytes, Some(plan.columns));
                } else {
                    self.run.try_set(Run::Mapping { file, bytes, plan });
                }
            }
        }
    }

    /// Predicts the file a piece at a time, each feature and the target from its column in
    /// `columns` (as the mapping step chose them; `None`: as the header names them), in a task
    /// of its own.
    fn start(&self, file: String, bytes: Arc<[u8]>, columns: Option<Columns>) {
        let mine = self.next_ticket();
        self.run.set(Run::Working {
            file: file.clone(),
            done: 0,
            share: None,
        });
        let this = self.clone();
        spawn_local(async move {
            // Let "Processing…" reach the screen before the heavy work.
            next_paint().await;
            this.predict(file, bytes, columns, mine).await
        });
    }

    async fn predict(&self, file: String, bytes: Arc<[u8]>, columns: Option<Columns>, mine: u64) {
        let progress = |done, share| {
            if self.current(mine) {
                self.run.try_set(Run::Working {
                    file: file.clone(),
                    done,
                    share: Some(share),
                });
            }
        };
        let (outcome, millis) = predict_with_pauses(
            &self.predictor,
            &bytes,
            columns.as_ref(),
            PieceSizes::PAGE,
            now,
            // A new task: the browser handles input and paints in between.
            || TimeoutFuture::new(0),
            progress,
            || self.current(mine),
        )
        .await;
        if self.current(mine) {
            let choices = columns.map(|c| Choices::new(&self.predictor, &c));
            self.finish(Finished {
                file,
                outcome: outcome.map(Arc::new).map_err(|e| e.to_string()),
                millis,
                made_with: Arc::clone(&self.predictor),
                bytes: Some(bytes),
                choices,
            });
        }
    }

    /// A kept file predicted again with this page's model (its columns planned again: another
    /// model reads other features; the person's choices kept for the fields both read).
    fn again(&self, file: String, bytes: Arc<[u8]>, choices: Option<&Choices>) {
        self.next_ticket();
        self.begin(file, bytes, choices);
    }
}

#[component]
fn BatchView(predictor: Arc<Predictor>) -> impl IntoView {
    let kept = LAST.with(|last| last.borrow().clone());
    let run = RwSignal::new(kept.map_or(Run::Idle, Run::Done));
    let dragging = RwSignal::new(false);
    let runner = Runner {
        predictor: Arc::clone(&predictor),
        run,
        ticket: StoredValue::new(0u64),
    };

    let columns: Vec<String> = predictor
        .features()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let on_drop = {
        let runner = runner.clone();
        move |ev: web_sys::DragEvent| {
            ev.prevent_default();
            dragging.set(false);
            if let Some(file) = ev
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0))
            {
                runner.choose(file);
            }
        }
    };
    let on_choose = {
        let runner = runner.clone();
        move |ev: leptos::ev::Targeted<web_sys::Event, web_sys::HtmlInputElement>| {
            let input = ev.target();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                runner.choose(file);
            }
            // Choosing the same file again is a new run.
            input.set_value("");
        }
    };

    let template = template_csv(&predictor);
    let download_template = move |_| {
        if let Err(e) = save_csv(&template, "students-template.csv") {
            leptos::logging::error!("the download failed: {e:?}");
        }
    };

    let status = move || match run.get() {
        Run::Idle => String::new(),
        Run::Working {
            file, share: None, ..
        } => format!("Processing {file}…"),
        Run::Working {
            file,
            done,
            share: Some(share),
        } => format!(
            "Processing {file}… {} rows ({} of the file)",
            format_count(done),
            crate::format_percent(share)
        ),
        Run::Mapping { file, .. } => {
            format!("{file}: choose which column holds each field, below.")
        }
        Run::Done(Finished {
            file,
            outcome: Ok(batch),
            ..
        }) => format!(
            "Done: {} rows of {file} read, {} predicted.",
            format_count(batch.rows.len()),
            format_count(batch.rows.len() - batch.errors())
        ),
        Run::Done(Finished { file, .. }) => format!("{file} could not be used."),
    };
    let busy = move || run.with(|r| matches!(r, Run::Working { .. }));

    let for_results = Arc::clone(&predictor);
    let unfold = RwSignal::new(false);
    let runner_predictor = Arc::clone(&predictor);
    let again_runner = runner.clone();
    let results = move || match run.get() {
        Run::Idle | Run::Working { .. } => None,
        Run::Mapping { file, bytes, plan } => {
            let runner = runner.clone();
            let on_predict = Callback::new(move |columns: Columns| {
                runner.start(file.clone(), Arc::clone(&bytes), Some(columns))
            });
            Some(
                view! { <ColumnMapping plan predictor=Arc::clone(&runner_predictor) on_predict /> }
                    .into_any(),
            )
        }
        Run::Done(Finished {
            file,
            outcome: Err(message),
            ..
        }) => Some(
            view! {
                <section class="card error-card" role="alert" data-testid="batch-error">
                    <h3>{format!("{file} cannot be used")}</h3>
                    <p class="error-detail">{message}</p>
                    <p>"Fix the file and choose it again. Nothing was predicted."</p>
                </section>
            }
            .into_any(),
        ),
        Run::Done(Finished {
            file,
            outcome: Ok(batch),
            millis,
            made_with,
            bytes,
            choices,
        }) => {
            let again = (!Arc::ptr_eq(&made_with, &for_results))
                .then_some(bytes)
                .flatten()
                .map(|bytes| {
                    let (runner, file) = (again_runner.clone(), file.clone());
                    Callback::new(move |()| {
                        runner.again(file.clone(), Arc::clone(&bytes), choices.as_ref())
                    })
                });
            let current = Arc::clone(&for_results);
            // Results of another model stay, folded: their table holds the file's columns,
            // which the page for this model need not show until asked.
            if again.is_some() && !unfold.get() {
                let counts = format!(
                    "{} rows of {file}, {} predicted.",
                    format_count(batch.rows.len()),
                    format_count(batch.rows.len() - batch.errors())
                );
                return Some(
                    view! {
                        <section class="card panel" data-testid="batch-kept">
                            <h3>{format!("Results for {file}")}</h3>
                            {made_with_line(&made_with, &current, again)}
                            <p>
                                {counts} " "
                                <button type="button" class="button" on:click=move |_| unfold.set(true)>
                                    "Show those results"
                                </button>
                            </p>
                        </section>
                    }
                    .into_any(),
                );
            }
            Some(
                view! { <Results file batch millis predictor=made_with current again /> }
                    .into_any(),
            )
        }
    };

    view! {
        <PageTitle route=Route::Batch>"Predict a whole class"</PageTitle>
        <ServedModel />
        <p class="intro">
            "Choose a CSV file with one student per row; it is read in your browser and never uploaded. "
            "Every row gets a prediction or, when something is wrong with it, a message — in its own place."
        </p>
        <section class="card panel" aria-labelledby="file-title">
            <h3 id="file-title">"Your file"</h3>
            <div
                class="dropzone"
                class:dragging=dragging
                data-testid="dropzone"
                on:dragenter=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="dropzone-text" aria-hidden="true">
                    "Drop a CSV file here, or choose one:"
                </p>
                <label for="batch-file">"CSV file"</label>
                <input
                    id="batch-file"
                    type="file"
                    accept=".csv,text/csv"
                    aria-describedby="batch-columns"
                    on:change:target=on_choose
                />
            </div>
            <p class="muted" id="batch-columns">
                "A header line is required; the page reads these columns: "
                {columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        view! {
                            {(i > 0).then_some(", ")}
                            <code>{c.clone()}</code>
                        }
                    })
                    .collect_view()} ". Other columns are kept. With a "
                <code>{predictor.bundle().target.clone()}</code>
                " column, the page also scores the predictions against it. Empty cells take the model's typical value. Columns may be named as the form names them (\""
                {predictor.features().last().map(|f| f.label().to_owned())}
                "\"), case does not matter; a header naming them otherwise gets a step to say which column is which. A file separated by semicolons or tabs (as some spreadsheets save it, with decimal commas) is read too."
            </p>
            <p>
                <button type="button" class="button" on:click=download_template>
                    "Download a template"
                </button>
                " — the header this page expects and two example students, to fill in."
            </p>
            <p class="batch-status" role="status" data-testid="batch-status" class:busy=busy>
                {status}
            </p>
        </section>
        {results}
    }
}

/// The fields the file's audit groups by: the full model's sensitive features and those the
/// dataset file marks audited, whichever variant predicts (the one without the sensitive fields
/// still has its rows grouped by them).
fn audited(predictor: &Predictor) -> Vec<Feature> {
    let target = &predictor.bundle().target;
    let full = use_app_state()
        .models
        .ok()
        .and_then(|m| m.get(target, false).cloned());
    let features = full.as_deref().unwrap_or(predictor).features();
    audited_features(
        features,
        &features
            .iter()
            .filter(|f| f.info().audited)
            .map(Feature::name)
            .collect::<Vec<_>>(),
    )
}

/// The summary, the download button and the results table of one file.
#[component]
fn Results(
    file: String,
    batch: Arc<Batch>,
    millis: f64,
    /// The model that made the results.
    predictor: Arc<Predictor>,
    /// The page's model now.
    current: Arc<Predictor>,
    /// Predicts the file again with the page's model, when it differs and the file is kept.
    again: Option<Callback<()>>,
) -> impl IntoView {
    let target = predictor.bundle().target.clone();
    let page = RwSignal::new(0usize);
    let only_problems = RwSignal::new(false);
    let errors = batch.errors();
    let total = batch.rows.len();
    let scored_rows = batch.scores();
    let scores = scored_rows.as_ref().ok().copied();
    // The per-group audit, when the file has the target column: sums over the rows, a few
    // milliseconds for 100,000 (the batch e2e test holds every task under 100 ms).
    let audit = batch.audit(&predictor, &audited(&predictor));
    // The rows shown, as indices into the batch: all of them, or only those with a problem.
    let shown: Arc<Vec<usize>> = Arc::new((0..total).collect());
    let problems: Arc<Vec<usize>> = Arc::new(
        (0..total)
            .filter(|&i| batch.rows[i].outcome.is_err())
            .collect(),
    );
    let visible = {
        let (shown, problems) = (Arc::clone(&shown), Arc::clone(&problems));
        Signal::derive(move || {
            if only_problems.get() {
                Arc::clone(&problems)
            } else {
                Arc::clone(&shown)
            }
        })
    };
    let pages = move || visible.with(|v| page_count(v.len()));
    // The target column as the file names it ("math score", "Math score", …).
    let target_column = batch.columns.target;

    // The CSV is written a piece of rows at a time with a pause between pieces, so a long
    // batch never freezes the page; the button says so meanwhile.
    let preparing = RwSignal::new(false);
    let download = {
        let batch = Arc::clone(&batch);
        let name = results_name(&file, predictor.bundle());
        let target = target.clone();
        move |_| {
            if preparing.get_untracked() {
                return;
            }
            preparing.set(true);
            let (batch, name, target) = (Arc::clone(&batch), name.clone(), target.clone());
            spawn_local(async move {
                // The columns name the target, and a row with filled-in values says its
                // interval does not account for them.
                let target = Some(target.as_str());
                let mut csv = batch.csv_header_for(target);
                for start in (0..batch.rows.len()).step_by(DOWNLOAD_PIECE) {
                    csv.push_str(&batch.csv_rows_for(start..start + DOWNLOAD_PIECE, target));
                    TimeoutFuture::new(0).await;
                }
                if let Err(e) = save_csv(&csv, &name) {
                    leptos::logging::error!("the download failed: {e:?}");
                }
                preparing.try_set(false);
            });
        }
    };

    let header = batch.header.clone();
    let rows = {
        let batch = Arc::clone(&batch);
        move || {
            let indices = visible.get();
            let range = page_range(page.get(), indices.len());
            indices[range]
                .iter()
                .map(|&i| {
                    let row = &batch.rows[i];
                    let cells = row
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(c, v)| {
                            view! { <td class:num=Some(c) == target_column>{v.clone()}</td> }
                        })
                        .collect_view();
                    let (prediction, interval, problem) = match &row.outcome {
                        Ok(p) => (
                            format_score(p.value).unwrap_or_default(),
                            match (p.low, p.high) {
                                // The model crate limits both bounds to the score range.
                                (Some(l), Some(h)) => format!("{l:.1} – {h:.1}"),
                                _ => String::new(),
                            },
                            String::new(),
                        ),
                        Err(e) => (String::new(), String::new(), e.clone()),
                    };
                    let bad = row.outcome.is_err();
                    view! {
                        // What was predicted first (it fits a phone's width), then the file's
                        // own columns.
                        <tr class:problem=bad>
                            <td class="num">{row.line}</td>
                            <td class="num strong">{prediction}</td>
                            <td class="num">{interval}</td>
                            <td class="message">{problem}</td>
                            <td class="message">{filled_note(row)}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
        }
    };
    let showing = move || {
        let n = visible.with(|v| v.len());
        let range = page_range(page.get(), n);
        if n == 0 {
            "No rows to show.".to_owned()
        } else {
            format!(
                "Rows {}–{} of {}{}",
                format_count(range.start + 1),
                format_count(range.end),
                format_count(n),
                if only_problems.get() {
                    " with problems"
                } else {
                    ""
                },
            )
        }
    };

    let scored = scores.map(|s| {
        view! {
            <div>
                <dt>"R²"</dt>
                <dd data-testid="batch-r2">{format!("{:.3}", s.r2)}</dd>
            </div>
            <div>
                <dt>"MAE"</dt>
                <dd data-testid="batch-mae">{format!("{:.2}", s.mae)}</dd>
            </div>
        }
    });
    let scored_note = match scores {
        Some(s) => format!(
            "R² and MAE compare the predictions with the file's {} column on {} rows.",
            predictor.target_label().to_ascii_lowercase(),
            format_count(s.n)
        ),
        None if target_column.is_none() => {
            let groups = audited(&predictor)
                .iter()
                .map(|f| f.label().to_lowercase())
                .collect::<Vec<_>>();
            let by_group = if groups.is_empty() {
                String::new()
            } else {
                format!(
                    ", and how they err for each group of {}",
                    crate::reports::and_list(&groups)
                )
            };
            format!("Add a {target} column to see how close the predictions come{by_group}.")
        }
        None => match &scored_rows {
            Err(why) => format!("R² and MAE are not shown: {why}."),
            Ok(_) => String::new(),
        },
    };

    view! {
        <section class="card panel" aria-labelledby="results-title">
            <div class="results-head">
                <h3 id="results-title">{format!("Results for {file}")}</h3>
                <button
                    type="button"
                    class="button primary"
                    aria-busy=move || preparing.get().to_string()
                    on:click=download
                >
                    "Download results CSV"
                </button>
            </div>
            {made_with_line(&predictor, &current, again)}
            <dl class="summary" data-testid="batch-summary">
                <div>
                    <dt>"Rows"</dt>
                    <dd data-testid="batch-rows">{format_count(total)}</dd>
                </div>
                <div>
                    <dt>"Predicted"</dt>
                    <dd data-testid="batch-predicted">{format_count(total - errors)}</dd>
                </div>
                <div class:bad={errors > 0}>
                    <dt>"With problems"</dt>
                    <dd data-testid="batch-errors">{format_count(errors)}</dd>
                </div>
                {scored}
            </dl>
            <p class="muted">
                {scored_note}
                {if millis < 1.0 {
                    " Predicted in under a millisecond.".to_owned()
                } else {
                    format!(" Predicted in {millis:.0} ms.")
                }}
            </p>
            {scores
                .is_some()
                .then(|| view! { <Explain terms=&[Term::R2, Term::Mae, Term::Interval] /> })}
            <p class="muted" data-testid="batch-millis" hidden>
                {format!("{millis:.1}")}
            </p>
            <div class="table-tools">
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || only_problems.get()
                        disabled=errors == 0
                        on:change:target=move |ev| {
                            only_problems.set(ev.target().checked());
                            page.set(0);
                        }
                    />
                    {format!("Only rows with problems ({})", format_count(errors))}
                </label>
                <Pager page pages />
            </div>
            <p class="muted" aria-live="polite" data-testid="batch-showing">
                {showing}
            </p>
            <TableScroll label="Results table".to_owned()>
                <table class="data-table results" data-testid="batch-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"Line"</th>
                            <th scope="col" class="num">"Prediction"</th>
                            <th scope="col" class="num">"90 % interval"</th>
                            <th scope="col">"Problem"</th>
                            <th scope="col">"Filled in"</th>
                            {header
                                .iter()
                                .map(|h| view! { <th scope="col">{column_label(h)}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        </section>
        {audit.map(|audit| view! { <FileAudit audit file predictor /> })}
    }
}

/// How the predictions err for each group of the file's rows: the Fairness page's table, for
/// the rows with both a prediction and the target.
#[component]
fn FileAudit(audit: BatchAudit, file: String, predictor: Arc<Predictor>) -> impl IntoView {
    let target = predictor.target_label().to_ascii_lowercase();
    let n = audit.n;
    let intro = if n == 0 {
        format!("No row has both a prediction and a {target}: there is nothing to audit.")
    } else {
        format!(
            "The {} of the file with both a prediction and a {target}, by group, worked out in your browser (nothing is sent): the figures the Fairness page shows for the held-out students. Mean signed error is prediction − actual (above 0: over-predicted); coverage under {} for a group of {} or more is flagged.",
            plural(n, "row", "rows"),
            crate::format_percent(COVERAGE_FLAG),
            COVERAGE_MIN_N,
        )
    };
    // What the tables leave out, in one note.
    let mut notes = Vec::new();
    if audit.errors > 0 {
        notes.push(format!(
            "{} with a problem",
            plural(audit.errors, "row", "rows")
        ));
    }
    if audit.without_actual > 0 {
        notes.push(format!(
            "{} without a {target}",
            plural(audit.without_actual, "row", "rows")
        ));
    }
    let mut notes = if notes.is_empty() {
        Vec::new()
    } else {
        vec![format!("Left out: {}.", notes.join(", "))]
    };
    for field in audit.fields.iter().filter(|f| f.unmatched > 0) {
        notes.push(format!(
            "{} in no {} group (the cell is empty or names none).",
            plural(field.unmatched, "row", "rows"),
            field.label.to_ascii_lowercase()
        ));
    }
    for field in &audit.absent {
        notes.push(format!(
            "The file has no {} column.",
            column_label(field).to_ascii_lowercase()
        ));
    }
    let tables = audit
        .fields
        .into_iter()
        .filter(|_| n > 0)
        .map(|field| {
            let caption = format!("Errors by {} in {file}", field.label.to_ascii_lowercase());
            let rows = field
                .groups
                .into_iter()
                .map(|g| GroupRow {
                    category: g.category.clone(),
                    n: g.n,
                    full: Some(g),
                    unaware: None,
                })
                .collect();
            view! { <GroupTable feature=field.feature rows caption testid="batch-audit-table" /> }
        })
        .collect_view();
    view! {
        <section class="card panel" aria-labelledby="batch-audit-title" data-testid="batch-audit">
            <h3 id="batch-audit-title">"How the predictions err for each group"</h3>
            <p class="muted" data-testid="batch-audit-intro">{intro}</p>
            {tables}
            <p class="muted" data-testid="batch-audit-notes">{notes.join(" ")}</p>
            <Explain terms=&[Term::Mae, Term::SignedError, Term::Coverage, Term::Interval] />
        </section>
    }
}

/// `n` and the noun for it: "1 row", "2,000 rows".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", format_count(n), if n == 1 { one } else { many })
}

/// Previous / next buttons and where we are.
#[component]
fn Pager(
    page: RwSignal<usize>,
    pages: impl Fn() -> usize + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="pager">
            <button
                type="button"
                class="button"
                disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
            >
                "Previous"
            </button>
            <span class="pager-pos">
                {move || format!("Page {} of {}", format_count(page.get() + 1), format_count(pages()))}
            </span>
            <button
                type="button"
                class="button"
                disabled=move || { page.get() + 1 >= pages() }
                on:click=move |_| page.update(|p| *p = (*p + 1).min(pages() - 1))
            >
                "Next"
            </button>
        </div>
    }
}

/// Resolves after the browser has had the chance to paint (a frame, then a task), or after
/// 100 ms in a background tab, where frames never come.
async fn next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let again = resolve.clone();
        request_animation_frame(move || {
            set_timeout(
                move || {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                },
                Duration::ZERO,
            )
        });
        set_timeout(
            move || {
                let _ = again.call0(&JsValue::UNDEFINED);
            },
            Duration::from_millis(100),
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds from the page's clock.
fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Offers `csv` as a download named `name`: a Blob, an object URL and a temporary link.
fn save_csv(csv: &str, name: &str) -> Result<(), JsValue> {
    let blob = gloo_file::Blob::new_with_options(csv, Some("text/csv;charset=utf-8"));
    let url = gloo_file::ObjectUrl::from(blob);
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document().body().ok_or("no body")?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The browser has taken its copy once the click is handled; dropping the URL revokes it.
    gloo_timers::callback::Timeout::new(1_000, move || drop(url)).forget();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_row_once() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(100), 1);
        assert_eq!(page_count(101), 2);
        assert_eq!(page_count(10_000), 100);
        assert_eq!(page_range(0, 250), 0..100);
        assert_eq!(page_range(2, 250), 200..250);
        assert_eq!(page_range(3, 250), 250..250);
        assert_eq!(page_range(0, 0), 0..0);
        let covered: usize = (0..page_count(12_345))
            .map(|p| page_range(p, 12_345).len())
            .sum();
        assert_eq!(covered, 12_345);
    }

    #[test]
    fn a_file_too_large_is_named_with_its_size_and_the_limit() {
        assert_eq!(
            too_large(200.0 * 1024.0 * 1024.0),
            "the file is 200.0 MB; this page takes files up to 20 MB (about 350,000 students): split it into smaller files"
        );
    }

    #[test]
    fn the_template_is_two_students_every_model_predicts() {
        let catalog = crate::parse_models(crate::MODEL_JSON).expect("parses");
        for predictor in catalog.all() {
            let csv = template_csv(predictor);
            let batch = predictor
                .predict_csv(csv.as_bytes())
                .expect("a usable file");
            assert_eq!(batch.rows.len(), 2, "{csv}");
            assert_eq!(batch.errors(), 0, "{csv}");
            assert!(
                batch.rows.iter().all(|r| r.notes.is_empty()),
                "nothing filled in"
            );
            let names: Vec<&str> = predictor.features().iter().map(|f| f.name()).collect();
            assert_eq!(batch.header, names);
            // The two students differ in every field.
            let (a, b) = (&batch.rows[0].fields, &batch.rows[1].fields);
            assert!(a.iter().zip(b).all(|(x, y)| x != y), "{a:?} {b:?}");
        }
    }

    #[test]
    fn results_files_are_named_after_the_input_and_the_model() {
        let catalog = crate::parse_models(crate::MODEL_JSON).expect("parses");
        let math = catalog.get("math_score", false).expect("math").bundle();
        let reading = catalog
            .get("reading_score", true)
            .expect("reading")
            .bundle();
        assert_eq!(
            results_name("class.csv", math),
            "class-predictions-math_score.csv"
        );
        assert_eq!(
            results_name("DATA.CSV", math),
            "DATA-predictions-math_score.csv"
        );
        assert_eq!(
            results_name("notes", math),
            "notes-predictions-math_score.csv"
        );
        assert_eq!(
            results_name(".csv", math),
            "batch-predictions-math_score.csv"
        );
        assert_eq!(
            results_name("class.csv", reading),
            "class-predictions-reading_score-without-gender-race_ethnicity.csv"
        );
    }

    #[test]
    fn a_file_with_a_bad_row_keeps_every_row() {
        let catalog = crate::parse_models(crate::MODEL_JSON).expect("parses");
        let predictor = catalog.get("math_score", false).expect("math");
        let header = predictor
            .features()
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(",");
        let reference = predictor.reference_student();
        let good = predictor
            .features()
            .iter()
            .map(|f| reference.get(f.name()).unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join(",");
        let csv = format!("{header}\n{good}\n{}\n{good}\n", good.replace("70", "170"));
        let batch = predictor
            .predict_csv(csv.as_bytes())
            .expect("a usable file");
        assert_eq!(batch.rows.len(), 3);
        assert_eq!(batch.errors(), 1);
        assert!(batch.rows[1].outcome.is_err());
        assert_eq!(
            batch.to_csv().lines().count(),
            4,
            "rows out = rows in, plus the header"
        );
    }
}
