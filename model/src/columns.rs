//! Which column of a batch file each feature reads, when the header does not name them all:
//! the plan the batch page's mapping step shows and a person corrects.
//!
//! [`Predictor::plan_columns`] reads a file's header and gives each feature (and the target,
//! whose values the predictions are compared with) the cell the header's rules name
//! ([`crate::fields::find_column`]); each one still without a cell gets the free cell whose
//! name is closest to its name, label or an alias ([`crate::closest`]: a few edits, or its
//! words, `Reading` → `reading_score`, `Math` → `math_score`), when that cell is closest to no
//! other as much. A feature left without a column is filled in on every row (the training
//! median or most frequent value, noted on the row); without a target column the file is only
//! predicted. [`ColumnPlan::check`] says whether the plan can predict.

use crate::batch::{open, text_of, BatchError};
use crate::closest::closest;
use crate::fields::{find_column, Column};
use crate::predict::{Filled, Predictor};
use crate::student::Student;

/// How much of a file's start [`Predictor::plan_columns`] reads for its header.
const HEAD_BYTES: usize = 64 * 1024;

/// The header cell each feature reads and the target's: positions in the file's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Per feature, in the model's order: its cell, or `None` (filled in on every row).
    pub features: Vec<Option<usize>>,
    /// The cell with the target's actual values, or `None` (nothing to compare with).
    pub target: Option<usize>,
}

/// Each feature's column in one file, and the target's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnPlan {
    /// The file's header cells, trimmed.
    pub header: Vec<String>,
    pub columns: Columns,
    /// Per feature: whether the header's own rules named its cell (no choice was needed).
    pub named: Vec<bool>,
    /// Whether the header's own rules named the target's cell.
    pub target_named: bool,
}

/// Why a plan cannot predict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no field has a column: choose the column of at least one")]
    NoColumns,
    #[error("{} and {} both read the column {:?}: choose one column for each", .fields[0], .fields[1], .column)]
    SharedColumn { column: String, fields: [String; 2] },
    #[error("the file has no column {0}")]
    OutOfRange(usize),
}

impl ColumnPlan {
    /// Whether the header named every feature itself (the page then predicts at once).
    pub fn is_named(&self) -> bool {
        self.named.iter().all(|&n| n)
    }

    /// Whether the plan can predict: at least one feature has a column, no column is read by
    /// two fields (the target counting as one), every column is in the header. Fields are
    /// named by their labels.
    pub fn check(&self, predictor: &Predictor) -> Result<(), PlanError> {
        let features = predictor.features();
        let target = Column::target(predictor.bundle());
        let label = |f: usize| match features.get(f) {
            Some(feature) => feature.label().to_owned(),
            None => target.label.unwrap_or(target.name).to_owned(),
        };
        let Columns {
            features: columns,
            target: target_column,
        } = &self.columns;
        let mut seen: Vec<Option<usize>> = vec![None; self.header.len()];
        let fields = columns.iter().chain([target_column]).enumerate();
        for (f, column) in fields {
            let Some(c) = *column else { continue };
            let slot = seen.get_mut(c).ok_or(PlanError::OutOfRange(c))?;
            if let Some(other) = *slot {
                return Err(PlanError::SharedColumn {
                    column: self.header[c].clone(),
                    fields: [label(other), label(f)],
                });
            }
            *slot = Some(f);
        }
        if columns.iter().all(Option::is_none) {
            return Err(PlanError::NoColumns);
        }
        Ok(())
    }
}

/// A person's column choices by field name (the features', then the target's), to carry to the
/// plan of another model (another target, the switch) for the same file: the fields the two
/// models share keep their columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices(Vec<(String, Option<usize>)>);

impl Choices {
    /// The choices `columns` makes for `predictor`'s fields.
    pub fn new(predictor: &Predictor, columns: &Columns) -> Self {
        let features = predictor.features().iter().map(|f| f.name());
        let names = features.chain([predictor.bundle().target.as_str()]);
        let cells = columns.features.iter().chain([&columns.target]);
        Self(names.zip(cells).map(|(n, &c)| (n.to_owned(), c)).collect())
    }

    /// The choice for the field `name`: `Some(None)` when it was left without a column.
    fn get(&self, name: &str) -> Option<Option<usize>> {
        self.0.iter().find(|(n, _)| n == name).map(|&(_, c)| c)
    }
}

impl FromIterator<(String, Option<usize>)> for Choices {
    fn from_iter<I: IntoIterator<Item = (String, Option<usize>)>>(choices: I) -> Self {
        Self(choices.into_iter().collect())
    }
}

impl ColumnPlan {
    /// Takes `choices` for every field of this plan they name (over the header's names and
    /// the closest cells); whether every feature is now named by the header or chosen, so the
    /// file can be predicted without asking again.
    pub fn reuse(&mut self, predictor: &Predictor, choices: &Choices) -> bool {
        let mut covered = true;
        for (f, feature) in predictor.features().iter().enumerate() {
            match choices.get(feature.name()) {
                Some(cell) => self.columns.features[f] = cell,
                None => covered &= self.named[f],
            }
        }
        if let Some(cell) = choices.get(&predictor.bundle().target) {
            self.columns.target = cell;
        }
        covered
    }
}

impl Predictor {
    /// The plan for a file: its header read (the file refused as [`Predictor::predict_csv`]
    /// refuses it: not text, empty, a repeated or ambiguous column), each feature's column
    /// named by the header or the closest free cell (see the module).
    pub fn plan_columns(&self, bytes: &[u8]) -> Result<ColumnPlan, BatchError> {
        // The header is in the first lines: only they are checked and read, so a long file
        // costs no pass over it here (the batch reads it a piece at a time afterwards). The
        // head ends at a line end, never inside a character.
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let head = match head.iter().rposition(|&b| b == b'\n') {
            Some(end) if head.len() < bytes.len() => &head[..=end],
            _ => bytes,
        };
        let bytes = text_of(head)?;
        let (_, header) = open(&bytes)?;
        // The fields in the model's order, then the target.
        let mut fields: Vec<Column> = self.features().iter().map(Column::from).collect();
        fields.push(Column::target(self.bundle()));
        let mut cells = Vec::new();
        for &field in &fields {
            cells.push(find_column(&header, field).map_err(BatchError::AmbiguousColumn)?);
        }
        let named: Vec<bool> = cells.iter().map(Option::is_some).collect();
        let open_fields: Vec<usize> = (0..fields.len()).filter(|&f| !named[f]).collect();
        // Each free cell's likeliest field among those still without a cell; each field then
        // takes its likeliest cell, none on a tie.
        let mut best: Vec<Option<(usize, f64)>> = vec![None; fields.len()];
        let mut tied = vec![false; fields.len()];
        for (cell, text) in header.iter().enumerate() {
            if text.is_empty() || cells.contains(&Some(cell)) {
                continue;
            }
            let candidates = open_fields.iter().map(|&f| fields[f].wordings());
            let Some((k, score)) = closest(text, candidates, 3) else {
                continue;
            };
            let f = open_fields[k];
            match best[f] {
                Some((_, b)) if b == score => tied[f] = true,
                Some((_, b)) if b > score => {}
                _ => {
                    best[f] = Some((cell, score));
                    tied[f] = false;
                }
            }
        }
        for f in open_fields {
            if !tied[f] {
                cells[f] = best[f].map(|(cell, _)| cell);
            }
        }
        let target = cells.pop().flatten();
        let target_named = named[fields.len() - 1];
        let mut named = named;
        named.pop();
        Ok(ColumnPlan {
            header,
            columns: Columns {
                features: cells,
                target,
            },
            named,
            target_named,
        })
    }

    /// What every feature is filled in with when its cell is empty or it has no column, in
    /// the model's order ("Reading score empty: used 70, the training median").
    pub fn fills(&self) -> Vec<Filled> {
        self.filled(&Student::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Missing;

    /// The fixture with the seed's five categories and two scores (math is the target).
    fn predictor() -> Predictor {
        predictor_of(
            ("math_score", "Math score"),
            ("reading_score", "Reading score"),
        )
    }

    /// The fixture predicting `target` from the five categories, `score` and the writing score.
    fn predictor_of(target: (&str, &str), score: (&str, &str)) -> Predictor {
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/linear.v1_4.json")).unwrap();
        doc["target"] = serde_json::json!(target.0);
        doc["target_info"]["label"] = serde_json::json!(target.1);
        let categorical = |name: &str, label: &str, categories: &[&str]| serde_json::json!({"kind": "categorical", "name": name, "label": label, "categories": categories});
        let numeric = |name: &str, label: &str| serde_json::json!({"kind": "numeric", "name": name, "label": label, "min": 0.0, "max": 100.0});
        doc["features"] = serde_json::json!([
            categorical("gender", "Gender", &["female", "male"]),
            categorical("race_ethnicity", "Race/ethnicity", &["group A", "group B"]),
            categorical(
                "parental_level_of_education",
                "Parental level of education",
                &["high school", "some college"]
            ),
            categorical("lunch", "Lunch", &["free/reduced", "standard"]),
            categorical(
                "test_preparation_course",
                "Test preparation course",
                &["completed", "none"]
            ),
            numeric(score.0, score.1),
            numeric("writing_score", "Writing score"),
        ]);
        let hot = |impute: &str| serde_json::json!({"kind": "one_hot", "impute": impute});
        let std =
            serde_json::json!({"kind": "standardize", "impute": 70.0, "mean": 66.0, "scale": 14.0});
        doc["preprocessor"]["steps"] = serde_json::json!([
            hot("female"),
            hot("group B"),
            hot("high school"),
            hot("standard"),
            hot("none"),
            std,
            std
        ]);
        let mut coefficients = vec![0.0; 12];
        coefficients[10] = 10.0;
        coefficients[11] = 5.0;
        doc["model"]["coefficients"] = serde_json::json!(coefficients);
        Predictor::from_json(&doc.to_string()).unwrap()
    }

    fn header(plan: &ColumnPlan) -> Vec<Option<&str>> {
        plan.columns
            .features
            .iter()
            .map(|c| c.map(|i| plan.header[i].as_str()))
            .collect()
    }

    #[test]
    fn a_schools_own_header_is_mapped_by_the_rules_and_the_closest_names() {
        let p = predictor();
        let file = b"Sex,Ethnicity,Parent Education,Lunch,Prep,Reading,Writing,Math\n\
                     female,group A,high school,standard,none,80,70,60\n";
        let plan = p.plan_columns(file).unwrap();
        assert_eq!(
            header(&plan),
            [
                None,
                Some("Ethnicity"),
                Some("Parent Education"),
                Some("Lunch"),
                Some("Prep"),
                Some("Reading"),
                Some("Writing"),
            ]
        );
        assert_eq!(plan.named, [false, false, false, true, false, false, false]);
        assert!(!plan.is_named());
        // "Math" is the target's closest cell: the actual values the predictions meet.
        assert_eq!(plan.columns.target, Some(7));
        assert!(!plan.target_named);
        // Sex is not close to any name: a person picks it.
        let mut chosen = plan.clone();
        chosen.columns.features[0] = Some(0);
        assert_eq!(chosen.check(&p), Ok(()));
        let batch = p
            .predict_csv_mapped(file, Missing::Impute, Some(&chosen.columns))
            .unwrap();
        let row = &batch.rows[0];
        // 60 + 10 · (80 − 66) / 14 + 5 · (70 − 66) / 14, no field filled in.
        let want = 60.0 + 10.0 + 20.0 / 14.0;
        assert!((row.outcome.as_ref().unwrap().value - want).abs() < 1e-9);
        assert!(row.notes.is_empty());
        assert_eq!(row.actual, Some(60.0), "read from the Math column");
        assert_eq!(batch.columns, chosen.columns);
        // The audit groups by the column chosen for gender, though the header says "Sex".
        let gender = p.features()[0].clone();
        let audit = batch.audit(&p, &[gender]).expect("a target column");
        assert!(audit.absent.is_empty(), "{:?}", audit.absent);
        assert_eq!(audit.fields[0].groups[0].n, 1, "{:?}", audit.fields);
        // The target's cell is one field's like any other: not to be shared.
        let mut shared = chosen.clone();
        shared.columns.target = Some(5);
        assert_eq!(
            shared.check(&p).unwrap_err().to_string(),
            "Reading score and Math score both read the column \"Reading\": choose one column for each"
        );
        // Without a target column the file is predicted, and compared with nothing.
        let mut unscored = chosen.clone();
        unscored.columns.target = None;
        let batch = p
            .predict_csv_mapped(file, Missing::Impute, Some(&unscored.columns))
            .unwrap();
        assert_eq!(batch.rows[0].actual, None);
        assert_eq!(batch.audit(&p, &[]), None);
        // Gender left unmapped: every row says it was filled in.
        let batch = p
            .predict_csv_mapped(file, Missing::Impute, Some(&plan.columns))
            .unwrap();
        assert_eq!(
            batch.rows[0].note(),
            "Gender empty: used female, the most frequent value"
        );
    }

    #[test]
    fn a_file_missing_a_column_fills_it_in_and_a_cell_no_feature_reads_is_ignored() {
        let p = predictor();
        // "gender" left unmapped on purpose: its cell must not be read.
        let file = b"gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,writing_score\n\
                     male,group A,high school,standard,none,80\n";
        let plan = p.plan_columns(file).unwrap();
        assert_eq!(plan.columns.features[5], None, "no reading score column");
        assert!(!plan.is_named());
        assert_eq!(plan.check(&p), Ok(()));
        let mut without_gender = plan.clone();
        without_gender.columns.features[0] = None;
        let batch = p
            .predict_csv_mapped(file, Missing::Impute, Some(&without_gender.columns))
            .unwrap();
        assert_eq!(
            batch.rows[0].note(),
            "Gender empty: used female, the most frequent value; \
             Reading score empty: used 70, the training median"
        );
        // Without a plan the file is refused as before.
        assert!(matches!(
            p.predict_csv(file),
            Err(BatchError::MissingColumns(_))
        ));
        let fills = p.fills();
        assert_eq!(fills.len(), 7);
        assert_eq!(fills[5].value, "70");
    }

    #[test]
    fn a_persons_choices_carry_to_another_targets_plan_of_the_same_file() {
        let math = predictor();
        let file = b"Sex,Ethnicity,Parent Education,Lunch,Prep,Reading,Writing,Math\n";
        let mut chosen = math.plan_columns(file).unwrap();
        chosen.columns.features[0] = Some(0);
        chosen.columns.features[4] = None;
        let choices = Choices::new(&math, &chosen.columns);
        // The same model: the plan becomes the choice, nothing left to ask.
        let mut again = math.plan_columns(file).unwrap();
        assert!(again.reuse(&math, &choices));
        assert_eq!(again.columns, chosen.columns);
        // Reading as the target: Math becomes a feature (it was the target), Reading the
        // target, Sex stays gender's and Prep stays unread.
        let reading = predictor_of(
            ("reading_score", "Reading score"),
            ("math_score", "Math score"),
        );
        let mut plan = reading.plan_columns(file).unwrap();
        assert!(plan.reuse(&reading, &choices));
        assert_eq!(
            plan.columns.features,
            [Some(0), Some(1), Some(2), Some(3), None, Some(7), Some(6)]
        );
        assert_eq!(plan.columns.target, Some(5));
        assert_eq!(plan.check(&reading), Ok(()));
        // Choices that never saw a field the header does not name: the person is asked.
        let partial: Choices = [("gender".to_owned(), Some(0))].into_iter().collect();
        let mut plan = reading.plan_columns(file).unwrap();
        assert!(!plan.reuse(&reading, &partial));
        assert_eq!(plan.columns.features[0], Some(0));
    }

    #[test]
    fn a_plan_is_refused_when_two_fields_share_a_column_or_none_has_one() {
        let p = predictor();
        let plan = p.plan_columns(b"Reading,Writing\n1,2\n").unwrap();
        let mut shared = plan.clone();
        shared.columns.features[6] = Some(0);
        assert_eq!(
            shared.check(&p).unwrap_err().to_string(),
            "Reading score and Writing score both read the column \"Reading\": choose one column for each"
        );
        let none = ColumnPlan {
            columns: Columns {
                features: vec![None; 7],
                target: None,
            },
            ..plan.clone()
        };
        assert_eq!(none.check(&p), Err(PlanError::NoColumns));
        let outside = ColumnPlan {
            columns: Columns {
                features: vec![Some(9), None, None, None, None, None, None],
                target: None,
            },
            ..plan.clone()
        };
        assert_eq!(outside.check(&p), Err(PlanError::OutOfRange(9)));
        // The file's own problems come first.
        assert_eq!(p.plan_columns(b""), Err(BatchError::Empty));
        assert_eq!(
            p.plan_columns(b"PK\x03\x04rest"),
            Err(BatchError::Spreadsheet)
        );
        // A long file: only its head is read, and a character cut at 64 KB is no problem.
        let mut long = "Reading,Writing\n".to_owned();
        while long.len() < 3 * HEAD_BYTES {
            long.push_str("1,\u{e9}\u{e9}\u{e9}\n");
        }
        let plan = p.plan_columns(long.as_bytes()).unwrap();
        assert_eq!(plan.header, ["Reading", "Writing"]);
        let mut bad = long.into_bytes();
        bad.push(0xff);
        assert_eq!(
            p.plan_columns(&bad).unwrap().columns.features[5],
            Some(0),
            "the rest is the batch's to check"
        );
        assert_eq!(
            p.plan_columns(b"Reading,Writing\xff\n1,2\n"),
            Err(BatchError::NotText {
                byte: 16,
                reason: "is not UTF-8"
            })
        );
        // Two cells equally close to one field: neither is guessed.
        let tie = p.plan_columns(b"Reading,READING\n1,2\n").unwrap();
        assert_eq!(tie.columns.features[5], None);
    }
}
