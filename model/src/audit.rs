//! An audit of a batch file against its own target column: for each group of the audited
//! fields (the caller's choice, usually [`audited_features`]: the sensitive ones and a few
//! more, e.g. gender, race/ethnicity and lunch), how many rows, how far the predictions miss
//! (MAE), which way on average (mean signed error, prediction − actual) and the share of
//! actual scores inside the interval each row was given — the per-group figures the trainer's fairness audit reports
//! for the held-out students ([`crate::report::GroupErrors`]), for the file's rows.
//!
//! A row counts when it has a prediction and a numeric target value (the rows
//! [`Batch::scores`] uses); the others are left out and counted. A row's group is its cell in
//! the field's column, matched as the batch matches categories ([`category_index`]: `Male`,
//! `GROUP B`, `Free / reduced`); a cell that is empty or names no category puts the row in no
//! group of that field (an empty feature cell the model filled in is not the student's group),
//! and is counted. The figures are sums, so the audit can take the rows a piece at a time.

use crate::batch::{Batch, BatchRow};
use crate::columns::Columns;
use crate::fields::{category_index, find_column, Column};
use crate::format::Feature;
use crate::predict::Predictor;
use crate::report::GroupErrors;

/// The fields an audit groups by, from a model's `features`: every categorical feature marked
/// [`crate::FieldInfo::sensitive`] and every categorical feature named in `also`, in feature
/// order. Pass the full model's features: a variant trained without the sensitive fields has
/// none of them, and the audit still groups its file's rows by them.
pub fn audited_features(features: &[Feature], also: &[&str]) -> Vec<Feature> {
    features
        .iter()
        .filter(|f| matches!(f, Feature::Categorical { .. }))
        .filter(|f| f.info().sensitive || also.contains(&f.name()))
        .cloned()
        .collect()
}

/// The audit of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchAudit {
    /// Rows with both a prediction and a numeric target value: the rows audited.
    pub n: usize,
    /// Rows left out because they could not be predicted.
    pub errors: usize,
    /// Predicted rows left out because their target cell is empty or not a number.
    pub without_actual: usize,
    /// One entry per audited field the file has a column for, in the order they were given.
    pub fields: Vec<AuditedField>,
    /// The audited fields the file has no column for.
    pub absent: Vec<String>,
}

/// One field's groups.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditedField {
    pub feature: String,
    /// The feature's label, e.g. `"Race/ethnicity"`.
    pub label: String,
    /// One per category with audited rows, in the audited feature's category order. `mae_ci` is `None`: no bootstrap here. `coverage` is
    /// `None` when the model has no interval.
    pub groups: Vec<GroupErrors>,
    /// Audited rows whose cell in this column is empty or names none of its categories.
    pub unmatched: usize,
}

/// Running sums of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    n: usize,
    abs: f64,
    signed: f64,
    covered: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct FieldTally {
    feature: String,
    label: String,
    column: usize,
    categories: Vec<String>,
    sums: Vec<Sums>,
    unmatched: usize,
}

/// The audit in progress: rows go in with [`Audit::add`], the figures come out of
/// [`Audit::finish`].
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    fields: Vec<FieldTally>,
    absent: Vec<String>,
    interval: bool,
    n: usize,
    errors: usize,
    without_actual: usize,
}

impl Audit {
    /// An empty audit of the rows of a file with `header`, predicted by `predictor`, grouped
    /// by each of the `audited` features (categorical ones; others are ignored): its column
    /// found as the batch finds columns, its groups its categories. A feature whose column the
    /// file lacks is listed in [`BatchAudit::absent`].
    ///
    /// A feature `predictor` reads is found in its cell of `columns` (as the batch read it);
    /// another (an audited feature a model without it leaves out) by the header's rules.
    pub fn new(
        predictor: &Predictor,
        header: &[String],
        columns: &Columns,
        audited: &[Feature],
    ) -> Self {
        let mut fields = Vec::new();
        let mut absent = Vec::new();
        for feature in audited {
            let Feature::Categorical { categories, .. } = feature else {
                continue;
            };
            let read = predictor
                .features()
                .iter()
                .position(|f| f.name() == feature.name());
            let column = match read {
                Some(f) => columns.features.get(f).copied().flatten(),
                None => find_column(header, Column::from(feature)).ok().flatten(),
            };
            match column {
                Some(column) => fields.push(FieldTally {
                    feature: feature.name().to_owned(),
                    label: feature.label().to_owned(),
                    column,
                    sums: vec![Sums::default(); categories.len()],
                    categories: categories.clone(),
                    unmatched: 0,
                }),
                None => absent.push(feature.name().to_owned()),
            }
        }
        Self {
            fields,
            absent,
            interval: predictor.bundle().interval.is_some(),
            n: 0,
            errors: 0,
            without_actual: 0,
        }
    }

    /// Counts one row in.
    pub fn add(&mut self, row: &BatchRow) {
        let prediction = match &row.outcome {
            Ok(p) => p,
            Err(_) => {
                self.errors += 1;
                return;
            }
        };
        let Some(actual) = row.actual else {
            self.without_actual += 1;
            return;
        };
        self.n += 1;
        let error = prediction.value - actual;
        let covered = matches!(
            (prediction.low, prediction.high),
            (Some(low), Some(high)) if low <= actual && actual <= high
        );
        for field in &mut self.fields {
            let cell = row.fields.get(field.column).map_or("", |c| c.trim());
            let group = if cell.is_empty() {
                None
            } else {
                category_index(cell, &field.categories)
            };
            match group {
                Some(k) => {
                    let sums = &mut field.sums[k];
                    sums.n += 1;
                    sums.abs += error.abs();
                    sums.signed += error;
                    sums.covered += usize::from(covered);
                }
                None => field.unmatched += 1,
            }
        }
    }

    /// The figures of the rows counted so far.
    pub fn finish(&self) -> BatchAudit {
        let fields = self
            .fields
            .iter()
            .map(|f| AuditedField {
                feature: f.feature.clone(),
                label: f.label.clone(),
                groups: f
                    .categories
                    .iter()
                    .zip(&f.sums)
                    .filter(|(_, s)| s.n > 0)
                    .map(|(category, s)| {
                        let n = s.n as f64;
                        GroupErrors {
                            feature: f.feature.clone(),
                            category: category.clone(),
                            n: s.n,
                            mae: s.abs / n,
                            mean_signed_error: s.signed / n,
                            coverage: self.interval.then(|| s.covered as f64 / n),
                            mae_ci: None,
                        }
                    })
                    .collect(),
                unmatched: f.unmatched,
            })
            .collect();
        BatchAudit {
            n: self.n,
            errors: self.errors,
            without_actual: self.without_actual,
            fields,
            absent: self.absent.clone(),
        }
    }
}

impl Batch {
    /// The per-group audit of the rows against the file's target column (the column of
    /// `predictor`'s target), grouped by each of `audited` ([`Audit::new`]), or `None` when
    /// the file has no target column.
    pub fn audit(&self, predictor: &Predictor, audited: &[Feature]) -> Option<BatchAudit> {
        self.columns.target?;
        let mut audit = Audit::new(predictor, &self.header, &self.columns, audited);
        for row in &self.rows {
            audit.add(row);
        }
        Some(audit.finish())
    }
}
