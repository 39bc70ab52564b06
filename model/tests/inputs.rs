//! Property tests: no input string makes the predictor panic or return a non-finite number.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{Missing, Predictor, Student};
use proptest::prelude::*;

fn predictors() -> Vec<Predictor> {
    [
        "linear.v1.json",
        "tree_ensemble.v1.json",
        "oblivious.v1.json",
        "knn.v1.json",
    ]
    .iter()
    .map(|name| {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
    .collect()
}

proptest! {
    #[test]
    fn arbitrary_fields_give_a_finite_score_or_field_errors(
        gender in ".*", lunch in ".*", reading in ".*",
        score in prop::num::f64::ANY,
    ) {
        for p in predictors() {
            for reading in [reading.clone(), score.to_string()] {
                let s = Student::new()
                    .with("gender", gender.clone())
                    .with("lunch", lunch.clone())
                    .with("reading_score", reading);
                for missing in [Missing::Impute, Missing::Reject] {
                    match p.predict_with(&s, missing) {
                        Ok(v) => prop_assert!(v.is_finite()),
                        Err(e) => prop_assert!(!e.errors.is_empty() && !e.to_string().is_empty()),
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_documents_are_refused_without_panicking(doc in ".*") {
        let _ = Predictor::from_json(&doc);
    }
}

/// The digits of `text` in their full-width forms, and its point, comma and signs too.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0xff10 + (c as u32 - '0' as u32)).unwrap(),
            '.' => '\u{ff0e}',
            ',' => '\u{ff0c}',
            '+' => '\u{ff0b}',
            '-' => '\u{ff0d}',
            c => c,
        })
        .collect()
}

proptest! {
    /// Any text: no panic, and a number only when it is finite.
    #[test]
    fn the_number_reader_never_panics_and_returns_only_finite_numbers(text in ".*") {
        if let Some(v) = model::text::read_number(&text) {
            prop_assert!(v.is_finite());
        }
        let _ = model::text::number_hint(&text);
    }

    /// Every finite number as Rust prints it (plain digits, never an exponent) reads back as
    /// itself, and so do its full-width and decimal-comma forms; signs and spaces around it too.
    #[test]
    fn printed_numbers_read_back_in_every_accepted_form(v in prop::num::f64::NORMAL | prop::num::f64::ZERO) {
        use model::text::read_number;
        let printed = v.to_string();
        prop_assert_eq!(read_number(&printed), Some(v));
        prop_assert_eq!(read_number(&full_width(&printed)), Some(v));
        prop_assert_eq!(read_number(&format!("  {printed}\t")), Some(v));
        let minus = printed.replacen('-', "\u{2212}", 1);
        prop_assert_eq!(read_number(&minus), Some(v));
    }

    /// A comma is a decimal mark exactly when one or two digits follow it (and digits come
    /// before it); three or more after it (a thousands separator?) are refused.
    #[test]
    fn a_comma_is_decimal_only_with_one_or_two_digits_after_it(
        whole in 0u32..100_000, part in "[0-9]{0,5}",
    ) {
        use model::text::read_number;
        let text = format!("{whole},{part}");
        let read = read_number(&text);
        if (1..=2).contains(&part.len()) {
            let expected: f64 = format!("{whole}.{part}").parse().unwrap();
            prop_assert_eq!(read, Some(expected));
            prop_assert_eq!(read_number(&format!("{whole}.{part}")), Some(expected));
        } else {
            prop_assert_eq!(read, None);
            prop_assert!(model::text::number_hint(&text).is_some());
        }
    }

    /// Texts made of number-like characters are read exactly when they have the accepted
    /// shape: an optional sign, then digits with at most one point (digits on some side of
    /// it), or digits, a comma and one or two digits. Then the value is what Rust reads from the
    /// same text with the comma as a point.
    #[test]
    fn number_like_texts_are_read_exactly_when_they_have_the_accepted_shape(
        text in "[0-9.,+eE x-]{0,7}",
    ) {
        let trimmed = text.trim();
        let body = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        let points = body.matches('.').count();
        let commas = body.matches(',').count();
        let shaped = match (points, commas) {
            (0, 0) => !body.is_empty() && digits(body),
            (1, 0) => {
                let (a, b) = body.split_once('.').unwrap();
                digits(a) && digits(b) && a.len() + b.len() > 0
            }
            (0, 1) => {
                let (a, b) = body.split_once(',').unwrap();
                digits(a) && digits(b) && !a.is_empty() && (1..=2).contains(&b.len())
            }
            _ => false,
        };
        let read = model::text::read_number(&text);
        prop_assert_eq!(read.is_some(), shaped, "{:?}", text);
        if let Some(v) = read {
            prop_assert_eq!(Some(v), trimmed.replace(',', ".").parse::<f64>().ok());
        }
    }
}
