//! The mapping step: when a batch file's header does not name every field the model reads, each
//! field gets a select of the file's columns, pre-filled by [`model::ColumnPlan`] (the header's
//! rules, then the closest names), and says what happens to it: read from its column, or filled
//! in on every row. The target has a row too: the column of actual values the predictions are
//! compared with, or none. The page predicts once the plan passes [`ColumnPlan::check`].

use std::sync::Arc;

use leptos::prelude::*;
use model::{ColumnPlan, Columns, Feature, Fill, Filled, Predictor};

/// What becomes of a field: its column, or what fills it in.
pub fn field_note(column: Option<&str>, named: bool, fill: &Filled) -> String {
    match column {
        Some(cell) if named => format!("read from {cell:?}, which the header names"),
        Some(cell) => format!("read from {cell:?}"),
        None => {
            let from = match fill.from {
                Fill::Median => "the training median",
                Fill::MostFrequent => "the most frequent value",
            };
            format!("no column: will be filled with {from}, {}", fill.value)
        }
    }
}

/// What becomes of the target's column: compared with the predictions, or nothing to compare.
pub fn target_note(column: Option<&str>, named: bool) -> String {
    match column {
        Some(cell) if named => {
            format!("read from {cell:?}, which the header names: compared with the predictions")
        }
        Some(cell) => format!("read from {cell:?}: compared with the predictions"),
        None => "no column: the predictions are not compared with actual values".to_owned(),
    }
}

/// The fields and their columns, and the button that predicts with them.
#[component]
pub fn ColumnMapping(
    plan: ColumnPlan,
    predictor: Arc<Predictor>,
    on_predict: Callback<Columns>,
) -> impl IntoView {
    let columns = RwSignal::new(plan.columns.features.clone());
    let target = RwSignal::new(plan.columns.target);
    let chosen = move || Columns {
        features: columns.get(),
        target: target.get(),
    };
    let header = Arc::new(plan.header.clone());
    let check = {
        let (plan, predictor) = (plan.clone(), Arc::clone(&predictor));
        move || {
            let chosen = ColumnPlan {
                columns: chosen(),
                ..plan.clone()
            };
            chosen.check(&predictor).err().map(|e| e.to_string())
        }
    };
    let blocked = {
        let check = check.clone();
        move || check().is_some()
    };
    let rows = predictor
        .features()
        .iter()
        .zip(predictor.fills())
        .enumerate()
        .map(|(index, (feature, fill))| {
            field_column(
                index,
                feature,
                plan.named[index],
                fill,
                Arc::clone(&header),
                columns,
            )
        })
        .collect_view();
    let target_label = predictor.target_label().to_owned();
    let target_row = {
        let header = Arc::clone(&header);
        let original = plan.columns.target;
        let options = column_options(&header, original);
        let note = move || {
            let column = target.get();
            let cell = column.and_then(|c| header.get(c)).map(String::as_str);
            target_note(cell, plan.target_named && column == original)
        };
        view! {
            <tr>
                <th scope="row">
                    <label for="map-target">{format!("{target_label} (actual values)")}</label>
                </th>
                <td>
                    <select
                        id="map-target"
                        aria-describedby="map-target-note"
                        on:change:target=move |ev| target.set(ev.target().value().parse().ok())
                    >
                        <option value="" selected=original.is_none()>
                            "(none: not in the file)"
                        </option>
                        {options}
                    </select>
                </td>
                <td id="map-target-note" data-testid="mapping-note">
                    {note}
                </td>
            </tr>
        }
    };
    view! {
        <section class="card panel" aria-labelledby="mapping-title" data-testid="batch-mapping">
            <h3 id="mapping-title">"Which column is which?"</h3>
            <p>
                "The file's header does not name every field the model reads. Choose the column that holds each field; a field without a column is filled in on every row, and each row says so."
            </p>
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Column of the file"</th>
                        <th scope="col">"What the page does"</th>
                    </tr>
                </thead>
                <tbody>{rows} {target_row}</tbody>
            </table>
            <p class="error-detail" role="alert" data-testid="mapping-problem">
                {check}
            </p>
            <button
                type="button"
                class="button primary"
                disabled=blocked
                on:click=move |_| on_predict.run(chosen())
            >
                "Predict with these columns"
            </button>
        </section>
    }
}

/// One field: its label, a select of the file's columns and what becomes of it. (A plain
/// function rather than a component: one per field, and a component's wrapper costs the wasm.)
fn field_column(
    index: usize,
    feature: &Feature,
    named: bool,
    fill: Filled,
    header: Arc<Vec<String>>,
    columns: RwSignal<Vec<Option<usize>>>,
) -> impl IntoView {
    let (name, label) = (feature.name(), feature.label().to_owned());
    let id = format!("map-{name}");
    let note_id = format!("map-{name}-note");
    let chosen = move || columns.with(|c| c[index]);
    let original = columns.with_untracked(|c| c[index]);
    // The first choice only: afterwards the select shows what the person picked.
    let note = {
        let header = Arc::clone(&header);
        move || {
            let column = chosen();
            let cell = column.and_then(|c| header.get(c)).map(String::as_str);
            field_note(cell, named && column == original, &fill)
        }
    };
    let options = column_options(&header, original);
    view! {
        <tr>
            <th scope="row">
                <label for=id.clone()>{label}</label>
            </th>
            <td>
                <select
                    id=id
                    aria-describedby=note_id.clone()
                    on:change:target=move |ev| {
                        let value = ev.target().value().parse().ok();
                        columns.update(|c| c[index] = value);
                    }
                >
                    <option value="" selected=original.is_none()>
                        "(none: fill in)"
                    </option>
                    {options}
                </select>
            </td>
            <td id=note_id data-testid="mapping-note">
                {note}
            </td>
        </tr>
    }
}

/// One option per column of the file, `original` selected.
fn column_options(header: &[String], original: Option<usize>) -> impl IntoView {
    header
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let text = if cell.is_empty() {
                format!("(column {}, unnamed)", i + 1)
            } else {
                cell.clone()
            };
            view! {
                <option value=i.to_string() selected=original == Some(i)>
                    {text}
                </option>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_says_where_its_values_come_from() {
        let fill = |from, value: &str| Filled {
            field: "x".into(),
            label: "X".into(),
            value: value.into(),
            from,
        };
        let median = fill(Fill::Median, "70");
        assert_eq!(
            field_note(None, false, &median),
            "no column: will be filled with the training median, 70"
        );
        assert_eq!(
            field_note(None, true, &fill(Fill::MostFrequent, "standard")),
            "no column: will be filled with the most frequent value, standard"
        );
        assert_eq!(
            field_note(Some("Reading"), false, &median),
            "read from \"Reading\""
        );
        assert_eq!(
            field_note(Some("Lunch"), true, &median),
            "read from \"Lunch\", which the header names"
        );
    }

    #[test]
    fn the_committed_models_plan_a_schools_header_with_one_field_to_pick() {
        let catalog = crate::parse_models(crate::MODEL_JSON).expect("parses");
        let math = catalog.get("math_score", false).expect("math");
        let file = b"Sex,Ethnicity,Parent Education,Lunch,Prep,Reading,Writing,Math\n";
        let plan = math.plan_columns(file).expect("a header");
        let cells: Vec<Option<&str>> = plan
            .columns
            .features
            .iter()
            .map(|c| c.map(|i| plan.header[i].as_str()))
            .collect();
        let names: Vec<&str> = math.features().iter().map(|f| f.name()).collect();
        let at = |name: &str| cells[names.iter().position(|n| *n == name).unwrap()];
        assert_eq!(at("gender"), None, "Sex is picked by a person");
        assert_eq!(at("race_ethnicity"), Some("Ethnicity"));
        assert_eq!(at("parental_level_of_education"), Some("Parent Education"));
        assert_eq!(at("lunch"), Some("Lunch"));
        assert_eq!(at("test_preparation_course"), Some("Prep"));
        assert_eq!(at("reading_score"), Some("Reading"));
        assert_eq!(at("writing_score"), Some("Writing"));
        assert!(plan.check(math).is_ok(), "gender will be filled in");
        assert_eq!(
            plan.columns.target.map(|c| plan.header[c].as_str()),
            Some("Math")
        );
        assert_eq!(
            target_note(Some("Math"), false),
            "read from \"Math\": compared with the predictions"
        );
        assert_eq!(
            target_note(None, false),
            "no column: the predictions are not compared with actual values"
        );
    }
}
