//! The dataset's columns and how people read them, and how the columns and categories people
//! write are matched to them: one rule for the form, batch files and the trainer's dataset.
//!
//! A header cell names a column when it is the column's name (`reading_score`), its label
//! (`Reading score`), the dataset publication's wording (`race/ethnicity`, `math score`) or a
//! wording of [`aliases`] (`Race/ethnicity group`), compared [`fold`]ed: case does not count,
//! and white space, `_`, `/` and `-` are all one word break. A category is matched the same way
//! (`Male`, `GROUP B`, `Bachelor’s degree`, `Free / reduced`).

/// The five categorical columns, in dataset order.
pub const CATEGORICAL_FIELDS: [&str; 5] = [
    "gender",
    "race_ethnicity",
    "parental_level_of_education",
    "lunch",
    "test_preparation_course",
];

/// The columns the fairness variant is trained without, and that the app's "don't use gender
/// or race/ethnicity" switch leaves out.
pub const SENSITIVE_FIELDS: [&str; 2] = ["gender", "race_ethnicity"];

/// The three score columns (0 to 100), in dataset order.
pub const SCORE_FIELDS: [&str; 3] = ["math_score", "reading_score", "writing_score"];

/// The range of every score column, and so of every prediction of a score.
pub const SCORE_RANGE: (f64, f64) = (0.0, 100.0);

/// The range of a score column (`SCORE_RANGE`), or `None` for a column that is not a score.
pub fn score_range(name: &str) -> Option<(f64, f64)> {
    SCORE_FIELDS.contains(&name).then_some(SCORE_RANGE)
}

/// The values the dataset's schema allows in a categorical column (data/README.md), or `None`
/// for a column that is not one of the five categorical columns.
pub fn allowed_categories(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "gender" => &["female", "male"],
        "race_ethnicity" => &["group A", "group B", "group C", "group D", "group E"],
        "parental_level_of_education" => &[
            "associate's degree",
            "bachelor's degree",
            "high school",
            "master's degree",
            "some college",
            "some high school",
        ],
        "lunch" => &["free/reduced", "standard"],
        "test_preparation_course" => &["completed", "none"],
        _ => return None,
    })
}

/// The human label of a dataset column, as the app shows it ("Reading score"); unknown names
/// are returned unchanged.
pub fn label(name: &str) -> &str {
    match name {
        "gender" => "Gender",
        "race_ethnicity" => "Race/ethnicity",
        "parental_level_of_education" => "Parental level of education",
        "lunch" => "Lunch",
        "test_preparation_course" => "Test preparation course",
        "math_score" => "Math score",
        "reading_score" => "Reading score",
        "writing_score" => "Writing score",
        other => other,
    }
}

/// Other wordings of a column that people use, beyond its name and label (which [`fold`]
/// to the same text as the dataset publication's headers).
pub fn aliases(name: &str) -> &'static [&'static str] {
    match name {
        "race_ethnicity" => &["race/ethnicity group"],
        "lunch" => &["lunch type"],
        _ => &[],
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

/// Whether the header cell `cell` names the column `name` (see the module's rule).
pub fn names_column(cell: &str, name: &str) -> bool {
    let cell = fold(cell);
    cell == fold(name) || cell == fold(label(name)) || aliases(name).iter().any(|a| cell == fold(a))
}

/// The dataset column (one of [`CATEGORICAL_FIELDS`] and [`SCORE_FIELDS`]) that a header cell
/// names, if any.
pub fn dataset_column(cell: &str) -> Option<&'static str> {
    CATEGORICAL_FIELDS
        .iter()
        .chain(&SCORE_FIELDS)
        .find(|name| names_column(cell, name))
        .copied()
}

/// Two header cells that both name one column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("columns {:?} and {:?} both name the column {name}", .cells[0], .cells[1])]
pub struct AmbiguousColumn {
    pub name: String,
    pub cells: [String; 2],
}

/// The position of the column `name` in `header`: the cell equal to it, or else the one cell
/// that names it ([`names_column`]); two such cells are an error, none is `Ok(None)`.
pub fn find_column(header: &[String], name: &str) -> Result<Option<usize>, AmbiguousColumn> {
    if let Some(i) = header.iter().position(|h| h == name) {
        return Ok(Some(i));
    }
    let mut named = (0..header.len()).filter(|&i| names_column(&header[i], name));
    match (named.next(), named.next()) {
        (Some(a), Some(b)) => Err(AmbiguousColumn {
            name: name.to_owned(),
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

/// The column `name`, absent from `header`, with the closest header cell that names no dataset
/// column: the fewest edits (one character added, removed or changed) between the [`fold`]ed
/// texts, at most a third of the name's folded length (and at least one), first cell on ties.
pub fn absent_column(header: &[String], name: &str) -> AbsentColumn {
    let wanted: Vec<Vec<char>> = [name, label(name)]
        .into_iter()
        .chain(aliases(name).iter().copied())
        .map(|w| fold(w).chars().collect())
        .collect();
    let limit = (wanted[0].len() / 3).max(1);
    let closest = header
        .iter()
        .filter(|cell| !cell.trim().is_empty() && dataset_column(cell).is_none())
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
        name: name.to_owned(),
        closest,
    }
}

/// The Levenshtein distance between `a` and `b` when it is at most `limit`, else `None`;
/// texts whose lengths differ by more than `limit` are not compared at all, so a long cell
/// costs nothing.
fn edits_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
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

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn header_cells_name_columns_by_name_label_publication_or_alias() {
        let named = [
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
        ];
        for (cell, name) in named {
            assert!(names_column(cell, name), "{cell:?} names {name}");
            assert_eq!(dataset_column(cell), Some(name), "{cell:?}");
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
        ] {
            assert_eq!(dataset_column(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn an_exact_cell_wins_and_two_folded_ones_are_ambiguous() {
        let h = header(&["Math score", "math_score", "id"]);
        assert_eq!(find_column(&h, "math_score"), Ok(Some(1)));
        let h = header(&["Math score", "id", "math  score"]);
        let e = find_column(&h, "math_score").unwrap_err();
        assert_eq!(
            e.to_string(),
            "columns \"Math score\" and \"math  score\" both name the column math_score"
        );
        assert_eq!(find_column(&h, "reading_score"), Ok(None));
        assert_eq!(find_column(&h, "id"), Ok(Some(1)));
    }

    #[test]
    fn an_absent_column_names_the_closest_cell_when_one_is_close() {
        let h = header(&["gender", "readng score", "Lnch", "zzz", ""]);
        let reading = absent_column(&h, "reading_score");
        assert_eq!(reading.closest.as_deref(), Some("readng score"));
        assert_eq!(
            reading.to_string(),
            "reading_score (closest: \"readng score\")"
        );
        assert_eq!(absent_column(&h, "lunch").closest.as_deref(), Some("Lnch"));
        // Too far from any cell, and a cell that names another column is never proposed.
        assert_eq!(absent_column(&h, "math_score").closest, None);
        assert_eq!(absent_column(&h, "math_score").to_string(), "math_score");
        let writing: Vec<char> = fold("writing_score").chars().collect();
        let reading: Vec<char> = fold("reading_score").chars().collect();
        assert!(edits_within(&reading, &writing, reading.len() / 3).is_some());
        let h = header(&["writing_score"]);
        assert_eq!(absent_column(&h, "reading_score").closest, None);
        let long = "x".repeat(100_000);
        assert_eq!(absent_column(&header(&[&long]), "gender").closest, None);
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
        let genders = allowed_categories("gender").unwrap();
        assert_eq!(category_index("male", genders), Some(1));
        assert_eq!(category_index("Male", genders), Some(1));
        assert_eq!(category_index("FEMALE", genders), Some(0));
        assert_eq!(category_index("robot", genders), None);
        let groups = allowed_categories("race_ethnicity").unwrap();
        assert_eq!(category_index("GROUP B", groups), Some(1));
        assert_eq!(category_index("group_b", groups), Some(1));
        // A word break is needed where the category has one, and none is made up.
        assert_eq!(category_index("groupb", groups), None);
        assert_eq!(category_index("ma\nle", genders), None);
        let education = allowed_categories("parental_level_of_education").unwrap();
        assert_eq!(
            category_index("Bachelor\u{2019}s Degree", education),
            Some(1)
        );
        assert_eq!(category_index("Some High School", education), Some(5));
        let lunch = allowed_categories("lunch").unwrap();
        assert_eq!(category_index("Free / Reduced", lunch), Some(0));
        // Two categories that fold alike: only the exact text chooses.
        let odd = ["a-b", "a_b"];
        assert_eq!(category_index("a_b", &odd), Some(1));
        assert_eq!(category_index("A B", &odd), None);
    }

    #[test]
    fn every_dataset_column_has_a_label_of_its_own() {
        let all: Vec<&str> = CATEGORICAL_FIELDS
            .iter()
            .chain(&SCORE_FIELDS)
            .copied()
            .collect();
        let labels: std::collections::BTreeSet<&str> = all.iter().map(|n| label(n)).collect();
        assert_eq!(labels.len(), all.len());
        assert!(all.iter().all(|n| label(n) != *n));
        assert_eq!(label("shoe_size"), "shoe_size");
    }

    #[test]
    fn every_categorical_column_has_its_allowed_values() {
        for name in CATEGORICAL_FIELDS {
            assert!(
                allowed_categories(name).is_some_and(|c| c.len() >= 2),
                "{name}"
            );
        }
        assert_eq!(allowed_categories("math_score"), None);
    }
}
