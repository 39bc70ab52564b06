//! Numbers as people read them and write them: one minus sign (U+2212 "−") for every negative
//! number in any text this crate or the trainer prints (machine-readable outputs, CSV cells and
//! JSON, keep plain numbers), and one rule, [`read_number`], for every number a person gives:
//! the form, batch files, and the trainer's dataset.

/// The minus sign of every human-readable text.
pub const MINUS: char = '\u{2212}';

/// `value` in its shortest form (`70`, `69.5`, `−3.25`).
pub fn number(value: f64) -> String {
    with_minus(value.to_string())
}

/// `value` with `decimals` decimals (`−3.30`).
pub fn fixed(value: f64, decimals: usize) -> String {
    with_minus(format!("{value:.decimals$}"))
}

/// `value` with `decimals` decimals and a sign either way (`+0.0120`, `−0.0030`).
pub fn signed(value: f64, decimals: usize) -> String {
    with_minus(format!("{value:+.decimals$}"))
}

fn with_minus(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("{MINUS}{rest}"),
        None => text,
    }
}

/// A number as people type it, or `None` when it is not one.
///
/// Read: white space around the number, an optional sign (`+`, `-` or `−`), digits, and at
/// most one decimal mark: a point with digits on either side or both (`85.5`, `85.`, `.5`), or
/// a comma with digits before it and one or two digits after it (`85,5`, `85,25`: a decimal
/// comma). Full-width digits, point, comma, plus and minus (`８５，５`) read as their ASCII forms.
///
/// Refused, though Rust's own parser reads some of them: a comma followed by three digits
/// (`1,234` could be a thousands separator) or by none, any second mark (`1.234,5`), exponents
/// (`1e1`), `inf`, `NaN`, hex, `_` and inner spaces, other scripts' digits, and digit strings
/// too long for a finite `f64`. Whatever it returns is finite.
pub fn read_number(text: &str) -> Option<f64> {
    let mut plain = String::with_capacity(text.len());
    for c in text.trim().chars() {
        plain.push(match c {
            '0'..='9' | '.' | ',' | '+' | '-' => c,
            '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
            '\u{ff0e}' => '.',
            '\u{ff0c}' => ',',
            '\u{ff0b}' => '+',
            '\u{ff0d}' | MINUS => '-',
            _ => return None,
        });
    }
    let body = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = match (body.split_once('.'), body.split_once(',')) {
        (None, None) => !body.is_empty() && digits(body),
        (Some((whole, part)), None) => {
            !(whole.is_empty() && part.is_empty()) && digits(whole) && digits(part)
        }
        (None, Some((whole, part))) => {
            !whole.is_empty() && (1..=2).contains(&part.len()) && digits(whole) && digits(part)
        }
        (Some(_), Some(_)) => false,
    };
    if !ok {
        return None;
    }
    // Only ASCII digits, one optional sign and one optional point are left: a form Rust's
    // parser reads exactly.
    let value: f64 = plain.replace(',', ".").parse().ok()?;
    value.is_finite().then_some(value)
}

/// Why `text` is not a number, when a hint helps: a comma that is not a decimal comma, or a
/// number written with letters (`1e1`, `0x48`). `None` for text with nothing number-like.
pub fn number_hint(text: &str) -> Option<&'static str> {
    if read_number(text).is_some() {
        return None;
    }
    let has = |pred: fn(char) -> bool| text.chars().any(pred);
    let digit = |c: char| c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c);
    if has(|c| c == ',' || c == '\u{ff0c}') {
        Some("a decimal comma takes one or two digits after it, as in 85,5; thousands are not separated")
    } else if has(digit) && has(|c| c.is_ascii_alphabetic()) {
        Some("write it in plain digits, as in 85 or 85.5")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        let read = [
            ("85", 85.0),
            ("  85.0 ", 85.0),
            ("85.5", 85.5),
            ("85,5", 85.5),
            ("85,25", 85.25),
            ("0,5", 0.5),
            ("85.", 85.0),
            (".5", 0.5),
            ("+72", 72.0),
            ("-1", -1.0),
            ("\u{2212}1", -1.0),
            ("\u{ff0d}3", -3.0),
            ("\u{ff10}", 0.0),
            ("\u{ff18}\u{ff15}", 85.0),
            ("\u{ff18}\u{ff15}\u{ff0c}\u{ff15}", 85.5),
            ("\u{ff18}\u{ff15}\u{ff0e}\u{ff15}", 85.5),
            ("\u{ff0b}\u{ff17}", 7.0),
            ("\u{3000}72\u{a0}", 72.0),
            ("0085", 85.0),
            ("100", 100.0),
            ("99.99999999999999999999", 100.0),
        ];
        for (text, value) in read {
            assert_eq!(read_number(text), Some(value), "{text:?}");
        }
    }

    #[test]
    fn what_is_not_plainly_a_number_is_refused() {
        let refused = [
            "",
            " ",
            "abc",
            "1e1",
            "1E1",
            "0.1e3",
            "inf",
            "-inf",
            "Infinity",
            "NaN",
            "nan",
            "0x48",
            "1_000",
            "1 000",
            "1,234",
            "1,000",
            "12,345",
            "85,",
            ",5",
            "1.234,5",
            "1,234.5",
            "1.2.3",
            "1,2,3",
            "--3",
            "+-3",
            "-",
            "+",
            ".",
            ",",
            "7 5",
            "85%",
            "\"72\"",
            "72\0",
            "\u{0667}\u{0662}",
            "\u{ff18}\u{ff15}\u{ff0c}\u{ff11}\u{ff12}\u{ff13}",
        ];
        for text in refused {
            assert_eq!(read_number(text), None, "{text:?}");
        }
        assert_eq!(read_number(&"9".repeat(400)), None, "too large for an f64");
    }

    #[test]
    fn a_hint_says_why_a_number_like_text_is_refused() {
        let comma = Some(
            "a decimal comma takes one or two digits after it, as in 85,5; thousands are not separated",
        );
        assert_eq!(number_hint("1,234"), comma);
        assert_eq!(number_hint("85,"), comma);
        assert_eq!(
            number_hint("\u{ff11}\u{ff0c}\u{ff12}\u{ff13}\u{ff14}"),
            comma
        );
        let plain = Some("write it in plain digits, as in 85 or 85.5");
        assert_eq!(number_hint("1e1"), plain);
        assert_eq!(number_hint("0x48"), plain);
        for text in ["abc", "inf", "NaN", "", "85", "85,5", "1_000"] {
            assert_eq!(number_hint(text), None, "{text:?}");
        }
    }

    #[test]
    fn negative_numbers_take_the_minus_sign_and_others_are_unchanged() {
        assert_eq!(number(-6.5), "\u{2212}6.5");
        assert_eq!(number(70.0), "70");
        assert_eq!(fixed(-3.3, 1), "\u{2212}3.3");
        assert_eq!(fixed(2.25, 2), "2.25");
        assert_eq!(signed(-0.003, 4), "\u{2212}0.0030");
        assert_eq!(signed(0.012, 4), "+0.0120");
        assert!(!number(-1e-300).contains('-'));
    }
}
