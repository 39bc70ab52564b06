//! The closest of a few wordings to what a person wrote, for a "did you mean" and for a batch
//! file's column mapping: never to accept a guess, only to propose one.
//!
//! Texts are compared [`fold`]ed (case, white space, `_`, `/` and `-` set aside). A wording is
//! close to a text by one of two rules, and nothing else is:
//! - **a few edits**: at most a third of the wording's length of single-character edits (and
//!   fewer than either text has characters): `bachelors degree` → `bachelor's degree`;
//! - **its words**: every word of the text is a word of the wording or the start of one (at
//!   least `min_prefix` characters), each used once: `free` → `free/reduced`, `Prep` →
//!   `test preparation course`, `Parent Education` → `parental level of education`.
//!
//! Among candidates the likeliest wins; two equally likely candidates propose nothing (`score`
//! is as much `reading score` as `writing score`). For a two-valued category that has a
//! negative value (`none`, `no`), `yes`/`true`/`1` proposes the other value and `no`/`false`/`0`
//! the negative one.

use crate::fields::fold;

/// How alike `text` and `wording` are, from 0 (not close: `None`) to 1 (equal once folded).
/// Edits score `1 − edits / length` (0.5 and above); words score 0.9 × the share of the
/// wording's words matched, so a near-exact spelling outranks a matching word or two.
pub fn likeness(text: &str, wording: &str, min_prefix: usize) -> Option<f64> {
    let (text, wording) = (fold(text), fold(wording));
    if text.is_empty() || wording.is_empty() {
        return None;
    }
    if text == wording {
        return Some(1.0);
    }
    let (a, b): (Vec<char>, Vec<char>) = (text.chars().collect(), wording.chars().collect());
    let limit = (b.len() / 3).max(1);
    let edits = crate::fields::edits_within(&a, &b, limit)
        .filter(|&d| d < a.len() && d < b.len())
        .map(|d| 1.0 - d as f64 / a.len().max(b.len()) as f64);
    let words = word_share(&text, &wording, min_prefix).map(|share| 0.9 * share);
    match (edits, words) {
        (Some(e), Some(w)) => Some(e.max(w)),
        (e, w) => e.or(w),
    }
}

/// The share of `wording`'s words that `text`'s words match (equal, or a start of at least
/// `min_prefix` characters), when every word of `text` matches a different one.
fn word_share(text: &str, wording: &str, min_prefix: usize) -> Option<f64> {
    let theirs: Vec<&str> = wording.split(' ').collect();
    let mut used = vec![false; theirs.len()];
    for word in text.split(' ') {
        let n = word.chars().count();
        let k = (0..theirs.len()).find(|&k| {
            !used[k] && (theirs[k] == word || (n >= min_prefix && theirs[k].starts_with(word)))
        })?;
        used[k] = true;
    }
    Some(used.iter().filter(|&&u| u).count() as f64 / theirs.len() as f64)
}

/// The candidate closest to `text` (each candidate known by one or more wordings, its best
/// wording counting), and how alike; `None` when none is close or the two likeliest tie.
pub fn closest<'a, W>(
    text: &str,
    candidates: impl IntoIterator<Item = W>,
    min_prefix: usize,
) -> Option<(usize, f64)>
where
    W: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(usize, f64)> = None;
    let mut tied = false;
    for (i, wordings) in candidates.into_iter().enumerate() {
        let Some(score) = wordings
            .into_iter()
            .filter_map(|w| likeness(text, w, min_prefix))
            .reduce(f64::max)
        else {
            continue;
        };
        match best {
            Some((_, b)) if score == b => tied = true,
            Some((_, b)) if score < b => {}
            _ => {
                best = Some((i, score));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied)
}

/// The category `text` most likely means, for a "did you mean": the closest by value or label
/// (`labels` in `categories` order, or empty), else the yes/no rule of the module. `None` when
/// nothing is close.
pub fn suggest_category<S: AsRef<str>>(
    text: &str,
    categories: &[S],
    labels: &[String],
) -> Option<usize> {
    let wordings = categories.iter().enumerate().map(|(i, c)| {
        [c.as_ref()]
            .into_iter()
            .chain(labels.get(i).map(String::as_str))
    });
    if let Some((i, _)) = closest(text, wordings, 1) {
        return Some(i);
    }
    const YES: [&str; 4] = ["yes", "y", "true", "1"];
    const NO: [&str; 4] = ["no", "n", "false", "0"];
    const NEGATIVE: [&str; 6] = ["no", "none", "false", "0", "never", "not completed"];
    if categories.len() != 2 {
        return None;
    }
    let negative = categories
        .iter()
        .position(|c| NEGATIVE.contains(&fold(c.as_ref()).as_str()))?;
    let text = fold(text);
    if YES.contains(&text.as_str()) {
        Some(1 - negative)
    } else if NO.contains(&text.as_str()) {
        Some(negative)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDUCATION: [&str; 6] = [
        "associate's degree",
        "bachelor's degree",
        "high school",
        "master's degree",
        "some college",
        "some high school",
    ];

    fn suggest<'a>(text: &str, categories: &[&'a str]) -> Option<&'a str> {
        suggest_category(text, categories, &[]).map(|i| categories[i])
    }

    #[test]
    fn close_spellings_suggest_the_allowed_value() {
        assert_eq!(
            suggest("bachelors degree", &EDUCATION),
            Some("bachelor's degree")
        );
        assert_eq!(
            suggest("Masters Degree", &EDUCATION),
            Some("master's degree")
        );
        assert_eq!(suggest("highschool", &EDUCATION), Some("high school"));
        assert_eq!(suggest("college", &EDUCATION), Some("some college"));
        let lunch = ["free/reduced", "standard"];
        assert_eq!(suggest("free", &lunch), Some("free/reduced"));
        assert_eq!(suggest("reduced", &lunch), Some("free/reduced"));
        assert_eq!(suggest("standart", &lunch), Some("standard"));
        let groups = ["group A", "group B", "group C"];
        assert_eq!(suggest("grop B", &groups), Some("group B"));
        assert_eq!(suggest("B", &groups), Some("group B"));
        let genders = ["female", "male"];
        assert_eq!(suggest("F", &genders), Some("female"));
        assert_eq!(suggest("femal", &genders), Some("female"));
    }

    #[test]
    fn yes_and_no_suggest_the_values_of_a_two_valued_category() {
        let course = ["completed", "none"];
        assert_eq!(suggest("yes", &course), Some("completed"));
        assert_eq!(suggest("TRUE", &course), Some("completed"));
        assert_eq!(suggest("no", &course), Some("none"));
        assert_eq!(suggest("0", &course), Some("none"));
        assert_eq!(suggest("yes", &["no", "yes"]), Some("yes"));
        assert_eq!(suggest("y", &["yes", "no"]), Some("yes"));
        // No negative value, or more than two: no guess.
        assert_eq!(suggest("yes", &["female", "male"]), None);
        assert_eq!(suggest("yes", &["none", "some", "all"]), None);
    }

    #[test]
    fn labels_count_as_wordings_of_their_category() {
        let schools = ["GP", "MS"];
        let labels = [
            "Gabriel Pereira".to_owned(),
            "Mousinho da Silveira".to_owned(),
        ];
        assert_eq!(
            suggest_category("gabriel pereira", &schools, &labels),
            Some(0)
        );
        assert_eq!(suggest_category("Mousinho", &schools, &labels), Some(1));
    }

    #[test]
    fn nonsense_and_ties_suggest_nothing() {
        for text in ["robot", "", "xyz", "degree", "12", "groupz"] {
            assert_eq!(suggest(text, &EDUCATION), None, "{text:?}");
        }
        assert_eq!(suggest("robot", &["female", "male"]), None);
        assert_eq!(
            suggest("x", &["a", "b"]),
            None,
            "one edit is no likeness in one letter"
        );
        assert_eq!(suggest("group", &["group A", "group B"]), None, "a tie");
    }

    #[test]
    fn header_cells_find_the_column_their_words_name() {
        let columns: [&[&str]; 4] = [
            &["reading_score", "Reading score"],
            &["writing_score", "Writing score"],
            &["test_preparation_course", "Test preparation course"],
            &["parental_level_of_education", "Parental level of education"],
        ];
        let find = |cell: &str| closest(cell, columns.iter().map(|w| w.iter().copied()), 3);
        assert_eq!(find("Reading").map(|c| c.0), Some(0));
        assert_eq!(find("Writing").map(|c| c.0), Some(1));
        assert_eq!(find("Prep").map(|c| c.0), Some(2));
        assert_eq!(find("Parent Education").map(|c| c.0), Some(3));
        assert_eq!(find("readng score").map(|c| c.0), Some(0));
        assert_eq!(find("score"), None, "as much one score as another");
        assert_eq!(find("Sex"), None);
        assert_eq!(find("id"), None);
        assert!(find("readng score").unwrap().1 > find("Reading").unwrap().1);
    }
}
