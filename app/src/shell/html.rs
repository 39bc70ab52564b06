//! Markup written as text for `innerHTML`: every piece of data is escaped on the way in, so
//! a category or column name can hold any text. Attributes only — never an inline `style` or
//! script — so the page keeps working under the strict Content-Security-Policy.

use std::fmt::Write;

/// A piece of markup being written.
#[derive(Debug, Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Self {
        Self::default()
    }

    /// Markup written in this crate (a literal), appended as it is.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.0, text);
        self
    }

    /// An opening tag; each attribute's value is escaped, and `None` leaves it out (an empty
    /// value makes a boolean attribute such as `selected`).
    pub fn open(&mut self, tag: &str, attributes: &[(&str, Option<&str>)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attributes {
            if let Some(value) = value {
                let _ = write!(self.0, " {name}=\"");
                escape_into(&mut self.0, value);
                self.0.push('"');
            }
        }
        self.0.push('>');
        self
    }

    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.0, "</{tag}>");
        self
    }

    /// `<tag …>text</tag>`.
    pub fn element(
        &mut self,
        tag: &str,
        attributes: &[(&str, Option<&str>)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attributes).text(text).close(tag)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Appends `text` with the characters that mean something in markup escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_and_markup_is_not() {
        let mut html = Html::new();
        html.open(
            "option",
            &[
                ("value", Some("a\"b<c>")),
                ("selected", Some("")),
                ("title", None),
            ],
        )
        .text("Tom & Jerry's <b>")
        .close("option")
        .raw("<br>");
        assert_eq!(
            html.into_string(),
            "<option value=\"a&quot;b&lt;c&gt;\" selected=\"\">Tom &amp; Jerry&#39;s &lt;b&gt;</option><br>"
        );
    }

    #[test]
    fn an_element_is_open_text_close() {
        let mut html = Html::new();
        html.element("p", &[("class", Some("x"))], "1 < 2");
        assert_eq!(html.into_string(), "<p class=\"x\">1 &lt; 2</p>");
    }
}
