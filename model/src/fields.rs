//! How the columns and categories people write are matched to a model's columns: one rule for
//! the form, batch files and the trainer's dataset. Nothing here names a column of any dataset:
//! the model's features (and the dataset file) say what the columns are called.
//!
//! A header cell names a column when it is the column's name (`reading_score`), its label
//! (`Reading score`, [`crate::FieldInfo::label`]) or one of its aliases
//! ([`crate::FieldInfo::aliases`], e.g. `Race/ethnicity group`), compared [`fold`]ed: case does
//! not count, and white space, `_`, `/` and `-` are all one word break (so a dataset
//! publication's `race/ethnicity` or `math score` names `race_ethnicity` or `math_score`). A
//! category is matched the same way (`Male`, `GROUP B`, `Bachelor’s degree`, `Free / reduced`).

use crate::format::{Feature, ModelBundle};

/// The wordings that name one column: its name, its label and its aliases. Built from a
/// feature (`Column::from(&feature)`), from a bundle's target ([`Column::target`]) or from a
/// bare name (`Column::from("math_score")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column<'a> {
    pub name: &'a str,
    pub label: Option<&'a str>,
    pub aliases: &'a [String],
}

impl<'a> Column<'a> {
    /// A bundle's target column: its name and the target's label.
    pub fn target(bundle: &'a ModelBundle) -> Self {
        Self {
            name: &bundle.target,
            label: bundle.target_info.as_ref().and_then(|t| t.label.as_deref()),
            aliases: &[],
        }
    }

    /// The name, the label and the aliases.
    pub fn wordings(&self) -> impl Iterator<Item = &'a str> {
        [self.name]
            .into_iter()
            .chain(self.label)
            .chain(self.aliases.iter().map(String::as_str))
    }
}

impl<'a> From<&'a Feature> for Column<'a> {
    fn from(feature: &'a Feature) -> Self {
        let info = feature.info();
        Self {
            name: feature.name(),
            label: info.label.as_deref(),
            aliases: &info.aliases,
        }
    }
}

impl<'a> From<&'a str> for Column<'a> {
    /// A column known by its name alone.
    fn from(name: &'a str) -> Self {
        Self {
            name,
            label: None,
            aliases: &[],
        }
    }
}

/// `text` as header cells and categories are compared: lowercase words, white space, `_`, `/`
/// and `-` all one break between them (`Race/Ethnicity` and `race_ethnicity` are both
/// `race ethnicity`; `groupb` stays apart from `group B`), a typographic apostrophe (`’`, as
/// spreadsheets autocorrect) as `'`.
pub fn fold(text: &str) -> String {
    let lower: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        })
        // ASCII case only: every column name and category is ASCII, and Unicode's case
        // tables would add about 10 KB to the wasm for nothing.
        .map(|c| c.to_ascii_lowercase())
        .collect();
    lower
        .split(|c: char| c.is_whitespace() || matches!(c, '_' | '/' | '-'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the header cell `cell` names `column` (see the module's rule).
pub fn names_column<'a>(cell: &str, column: impl Into<Column<'a>>) -> bool {
    let cell = fold(cell);
    column.into().wordings().any(|w| cell == fold(w))
}

/// Two header cells that both name one column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("columns {:?} and {:?} both name the column {name}", .cells[0], .cells[1])]
pub struct AmbiguousColumn {
    pub name: String,
    pub cells: [String; 2],
}

/// The position of `column` in `header`: the cell equal to its name, or else the one cell that
/// names it ([`names_column`]); two such cells are an error, none is `Ok(None)`.
pub fn find_column<'a>(
    header: &[String],
    column: impl Into<Column<'a>>,
) -> Result<Option<usize>, AmbiguousColumn> {
    let column = column.into();
    if let Some(i) = header.iter().position(|h| h == column.name) {
        return Ok(Some(i));
    }
    let mut named = (0..header.len()).filter(|&i| names_column(&header[i], column));
    match (named.next(), named.next()) {
        (Some(a), Some(b)) => Err(AmbiguousColumn {
            name: column.name.to_owned(),
            cells: [header[a].clone(), header[b].clone()],
        }),
        (found, _) => Ok(found),
    }
}

/// A column the header lacks, with the header cell most like it when one is close:
/// `reading_score (closest: "readng score")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentColumn {
    pub name: String,
    pub closest: Option<String>,
}

impl std::fmt::Display for AbsentColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.closest {
            Some(cell) => write!(f, "{} (closest: {cell:?})", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

impl From<&str> for AbsentColumn {
    /// An absent column with no close cell.
    fn from(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            closest: None,
        }
    }
}

/// `column`, absent from `header`, with the closest header cell that names none of `others`
/// (the other columns the header should have; `column` itself may be among them): the fewest
/// edits (one character added, removed or changed) between the [`fold`]ed texts of the cell
/// and any wording of the column, at most a third of the name's folded length (and at least
/// one), first cell on ties.
pub fn absent_column<'a>(
    header: &[String],
    column: impl Into<Column<'a>>,
    others: &[Column<'_>],
) -> AbsentColumn {
    let column = column.into();
    let wanted: Vec<Vec<char>> = column
        .wordings()
        .map(|w| fold(w).chars().collect())
        .collect();
    let limit = (wanted[0].len() / 3).max(1);
    let closest = header
        .iter()
        .filter(|cell| !cell.trim().is_empty() && !others.iter().any(|o| names_column(cell, *o)))
        .filter_map(|cell| {
            let folded: Vec<char> = fold(cell).chars().collect();
            let d = wanted
                .iter()
                .filter_map(|w| edits_within(w, &folded, limit))
                .min()?;
            Some((d, cell))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, cell)| cell.clone());
    AbsentColumn {
        name: column.name.to_owned(),
        closest,
    }
}

/// The Levenshtein distance between `a` and `b` when it is at most `limit`, else `None`;
/// texts whose lengths differ by more than `limit` are not compared at all, so a long cell
/// costs nothing.
pub(crate) fn edits_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let change = previous[j] + usize::from(ca != cb);
            current[j + 1] = change.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= limit).then_some(d)
}

/// The position of the category `text` among `categories`: the equal one, or else the one
/// category equal to it [`fold`]ed (`Male`, `GROUP B`); `None` when there is none or more than
/// one.
pub fn category_index<S: AsRef<str>>(text: &str, categories: &[S]) -> Option<usize> {
    if let Some(i) = categories.iter().position(|c| c.as_ref() == text) {
        return Some(i);
    }
    let folded = fold(text);
    let mut same = (0..categories.len()).filter(|&i| fold(categories[i].as_ref()) == folded);
    match (same.next(), same.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::FieldInfo;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn strings(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    /// Made-up features worded like the seed dataset's columns, with labels and aliases as a
    /// model document carries them.
    fn features() -> Vec<Feature> {
        let labelled = |feature: Feature, label: &str, aliases: &[&str]| {
            feature.with_info(FieldInfo {
                label: Some(label.to_owned()),
                aliases: strings(aliases),
                ..FieldInfo::default()
            })
        };
        vec![
            labelled(
                Feature::categorical("gender", strings(&["female", "male"])),
                "Gender",
                &[],
            ),
            labelled(
                Feature::categorical("race_ethnicity", strings(&["group A", "group B"])),
                "Race/ethnicity",
                &["race/ethnicity group"],
            ),
            labelled(
                Feature::categorical("parental_level_of_education", strings(&["high school"])),
                "Parental level of education",
                &[],
            ),
            labelled(
                Feature::categorical("lunch", strings(&["free/reduced", "standard"])),
                "Lunch",
                &["lunch type"],
            ),
            labelled(
                Feature::categorical("test_preparation_course", strings(&["completed", "none"])),
                "Test preparation course",
                &[],
            ),
            labelled(
                Feature::numeric("math_score", 0.0, 100.0),
                "Math score",
                &[],
            ),
            labelled(
                Feature::numeric("reading_score", 0.0, 100.0),
                "Reading score",
                &[],
            ),
            labelled(
                Feature::numeric("writing_score", 0.0, 100.0),
                "Writing score",
                &[],
            ),
            // A feature known by its name alone.
            Feature::numeric("absences", 0.0, 93.0),
        ]
    }

    /// The feature a cell names, if any.
    fn named<'a>(features: &'a [Feature], cell: &str) -> Option<&'a str> {
        features
            .iter()
            .find(|f| names_column(cell, *f))
            .map(Feature::name)
    }

    fn columns(features: &[Feature]) -> Vec<Column<'_>> {
        features.iter().map(Column::from).collect()
    }

    #[test]
    fn header_cells_name_columns_by_name_label_or_alias() {
        let features = features();
        let named_cells = [
            ("gender", "gender"),
            ("Gender", "gender"),
            ("race/ethnicity", "race_ethnicity"),
            ("Race/ethnicity", "race_ethnicity"),
            ("Race/ethnicity group", "race_ethnicity"),
            ("RACE_ETHNICITY", "race_ethnicity"),
            ("parental level of education", "parental_level_of_education"),
            ("Parental Level Of Education", "parental_level_of_education"),
            ("lunch type", "lunch"),
            ("test preparation course", "test_preparation_course"),
            ("test-preparation course", "test_preparation_course"),
            ("math score", "math_score"),
            ("Math score", "math_score"),
            (" reading  score ", "reading_score"),
            ("Writing_Score", "writing_score"),
            ("ABSENCES", "absences"),
        ];
        for (cell, name) in named_cells {
            assert_eq!(named(&features, cell), Some(name), "{cell:?}");
        }
        for cell in [
            "math",
            "score",
            "reading scores",
            "id",
            "",
            "race",
            "readingscore",
            "lunches",
            "absence",
        ] {
            assert_eq!(named(&features, cell), None, "{cell:?}");
        }
        // Without its info, a feature answers to its name only.
        let bare = Feature::categorical("race_ethnicity", strings(&["group A"]));
        assert!(names_column("Race-Ethnicity", &bare));
        assert!(!names_column("Race/ethnicity group", &bare));
        assert!(names_column("Math Score", "math_score"));
    }

    #[test]
    fn a_target_is_named_by_its_name_and_its_label() {
        let mut bundle: ModelBundle =
            serde_json::from_str(include_str!("../tests/fixtures/linear.v1.json")).unwrap();
        assert!(!names_column("Final grade", Column::target(&bundle)));
        assert!(names_column("math score", Column::target(&bundle)));
        bundle.target_info = Some(crate::format::TargetInfo {
            label: Some("Final grade".into()),
            min: 0.0,
            max: 20.0,
            ..Default::default()
        });
        assert!(names_column("final_grade", Column::target(&bundle)));
    }

    #[test]
    fn an_exact_cell_wins_and_two_folded_ones_are_ambiguous() {
        let features = features();
        let math = &features[5];
        let h = header(&["Math score", "math_score", "id"]);
        assert_eq!(find_column(&h, math), Ok(Some(1)));
        let h = header(&["Math score", "id", "math  score"]);
        let e = find_column(&h, math).unwrap_err();
        assert_eq!(
            e.to_string(),
            "columns \"Math score\" and \"math  score\" both name the column math_score"
        );
        assert_eq!(find_column(&h, &features[6]), Ok(None));
        assert_eq!(find_column(&h, "id"), Ok(Some(1)));
    }

    #[test]
    fn an_absent_column_names_the_closest_cell_when_one_is_close() {
        let features = features();
        let all = columns(&features);
        let (lunch, math, reading) = (&features[3], &features[5], &features[6]);
        let h = header(&["gender", "readng score", "Lnch", "zzz", ""]);
        let absent = absent_column(&h, reading, &all);
        assert_eq!(absent.closest.as_deref(), Some("readng score"));
        assert_eq!(
            absent.to_string(),
            "reading_score (closest: \"readng score\")"
        );
        assert_eq!(
            absent_column(&h, lunch, &all).closest.as_deref(),
            Some("Lnch")
        );
        // Too far from any cell, and a cell that names another column is never proposed.
        assert_eq!(absent_column(&h, math, &all).closest, None);
        assert_eq!(absent_column(&h, math, &all).to_string(), "math_score");
        let writing: Vec<char> = fold("writing_score").chars().collect();
        let reading_chars: Vec<char> = fold("reading_score").chars().collect();
        assert!(edits_within(&reading_chars, &writing, reading_chars.len() / 3).is_some());
        let h = header(&["writing_score"]);
        assert_eq!(absent_column(&h, reading, &all).closest, None);
        // ... unless that other column is not one the header should have.
        assert_eq!(
            absent_column(&h, reading, &[]).closest.as_deref(),
            Some("writing_score")
        );
        let long = "x".repeat(100_000);
        assert_eq!(
            absent_column(&header(&[&long]), &features[0], &all).closest,
            None
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits_within_the_limit() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let d = |a: &str, b: &str, limit| edits_within(&chars(a), &chars(b), limit);
        assert_eq!(d("kitten", "sitting", 3), Some(3));
        assert_eq!(d("kitten", "sitting", 2), None);
        assert_eq!(d("", "abc", 3), Some(3));
        assert_eq!(d("same", "same", 0), Some(0));
        assert_eq!(d("ab", "ba", 2), Some(2));
    }

    #[test]
    fn categories_match_in_any_case_and_only_when_unambiguous() {
        let genders = ["female", "male"];
        assert_eq!(category_index("male", &genders), Some(1));
        assert_eq!(category_index("Male", &genders), Some(1));
        assert_eq!(category_index("FEMALE", &genders), Some(0));
        assert_eq!(category_index("robot", &genders), None);
        let groups = ["group A", "group B", "group C"];
        assert_eq!(category_index("GROUP B", &groups), Some(1));
        assert_eq!(category_index("group_b", &groups), Some(1));
        // A word break is needed where the category has one, and none is made up.
        assert_eq!(category_index("groupb", &groups), None);
        assert_eq!(category_index("ma\nle", &genders), None);
        let education = [
            "associate's degree",
            "bachelor's degree",
            "some high school",
        ];
        assert_eq!(
            category_index("Bachelor\u{2019}s Degree", &education),
            Some(1)
        );
        assert_eq!(category_index("Some High School", &education), Some(2));
        assert_eq!(
            category_index("Free / Reduced", &["free/reduced", "standard"]),
            Some(0)
        );
        // Two categories that fold alike: only the exact text chooses.
        let odd = ["a-b", "a_b"];
        assert_eq!(category_index("a_b", &odd), Some(1));
        assert_eq!(category_index("A B", &odd), None);
    }
}
