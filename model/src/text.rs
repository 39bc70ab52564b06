//! Numbers as people read them: one minus sign (U+2212 "−") for every negative number in any
//! text this crate or the trainer prints. Machine-readable outputs (CSV cells, JSON) keep plain
//! numbers.

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

#[cfg(test)]
mod tests {
    use super::*;

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
