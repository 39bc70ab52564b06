//! "Why this score" as a picture: a horizontal waterfall from the typical student's score to
//! this student's, one bar per field, written as SVG markup for the shell.

use super::html::Html;
use crate::charts::{
    nice_bounds, nice_step, sign_class, signed, tick_label, ticks, waterfall, Scale, BAR_H, BAR_Y,
    LABEL_DY, ROW,
};
/// The chart's width in SVG units (it scales to its container).
const WIDTH: f64 = 320.0;

/// A horizontal waterfall from `baseline`: one row per value, largest first, each labelled
/// above its bar (`labels[i]` for `values[i]`), a dashed line at the start and one at the end,
/// and an axis below. `aria_label` says what it shows to screen readers.
pub fn waterfall_svg(
    out: &mut Html,
    aria_label: &str,
    baseline: f64,
    labels: &[String],
    values: &[f64],
) {
    let bars = waterfall(baseline, values);
    let end = bars.last().map_or(baseline, |b| b.end);
    let (lo, hi) = bars.iter().fold((baseline, baseline), |(lo, hi), b| {
        (lo.min(b.end), hi.max(b.end))
    });
    // At least ten points wide, so small moves look small.
    let (lo, hi) = if hi - lo < 10.0 {
        let mid = (lo + hi) / 2.0;
        (mid - 5.0, mid + 5.0)
    } else {
        (lo, hi)
    };
    let step = nice_step(hi - lo, 5);
    let (lo, hi) = nice_bounds(lo - step * 0.25, hi + step * 0.25, step);
    let scale = Scale::new((lo, hi), (8.0, WIDTH - 8.0));
    let top = 18.0;
    let axis_y = top + ROW * bars.len() as f64 + 4.0;
    let height = axis_y + 22.0;
    let (base_x, end_x) = (scale.map(baseline), scale.map(end));
    let n = |v: f64| v.to_string();

    out.open(
        "svg",
        &[
            ("class", Some("chart waterfall")),
            ("role", Some("img")),
            ("aria-label", Some(aria_label)),
            ("width", Some(&n(WIDTH))),
            ("height", Some(&n(height))),
            ("viewBox", Some(&format!("0 0 {WIDTH} {height}"))),
        ],
    );
    line(out, "axis", 8.0, WIDTH - 8.0, axis_y, axis_y);
    for t in ticks(lo, hi, 5) {
        text(
            out,
            "tick",
            scale.map(t),
            axis_y + 15.0,
            "middle",
            &tick_label(t, step),
        );
    }
    line(out, "ref", base_x, base_x, top - 4.0, axis_y);
    line(out, "ref end", end_x, end_x, top - 4.0, axis_y);
    let (start_text, end_text) = (format!("{baseline:.1}"), format!("{end:.1}"));
    text(out, "tick", base_x, 10.0, "middle", &start_text);
    if end_text != start_text {
        text(out, "tick strong", end_x, 10.0, "middle", &end_text);
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        let value = values[bar.index];
        let (x, w) = scale.span(bar.start, bar.end);
        // The amount sits next to the bar's far end, or at the right edge when the bar runs
        // close to it.
        let tip = scale.map(bar.end.max(bar.start)) + 4.0;
        let (vx, anchor) = if tip > WIDTH - 40.0 {
            (WIDTH - 2.0, "end")
        } else {
            (tip, "start")
        };
        out.raw("<g class=\"row\">");
        out.element(
            "text",
            &[
                ("x", Some("2")),
                ("y", Some(&n(y + LABEL_DY))),
                ("class", Some("label")),
            ],
            labels.get(bar.index).map_or("", String::as_str),
        );
        out.open(
            "rect",
            &[
                ("class", Some(sign_class(value))),
                ("x", Some(&n(x))),
                ("y", Some(&n(y + BAR_Y))),
                ("width", Some(&n(w.max(1.5)))),
                ("height", Some(&n(BAR_H))),
                ("rx", Some("2")),
            ],
        )
        .close("rect");
        text(out, "value", vx, y + BAR_Y + 9.5, anchor, &signed(value, 1));
        out.raw("</g>");
    }
    out.close("svg");
}

fn line(out: &mut Html, class: &str, x1: f64, x2: f64, y1: f64, y2: f64) {
    let n = |v: f64| v.to_string();
    out.open(
        "line",
        &[
            ("class", Some(class)),
            ("x1", Some(&n(x1))),
            ("x2", Some(&n(x2))),
            ("y1", Some(&n(y1))),
            ("y2", Some(&n(y2))),
        ],
    )
    .close("line");
}

fn text(out: &mut Html, class: &str, x: f64, y: f64, anchor: &str, content: &str) {
    out.element(
        "text",
        &[
            ("class", Some(class)),
            ("x", Some(&x.to_string())),
            ("y", Some(&y.to_string())),
            ("text-anchor", Some(anchor)),
        ],
        content,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(baseline: f64, labels: &[&str], values: &[f64]) -> String {
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        let mut out = Html::new();
        waterfall_svg(&mut out, "why", baseline, &labels, values);
        out.into_string()
    }

    #[test]
    fn one_row_per_value_largest_first_with_signed_amounts() {
        let svg = svg(
            66.0,
            &["Lunch: standard", "Reading score: 90"],
            &[-1.25, 4.5],
        );
        assert_eq!(svg.matches("<g class=\"row\">").count(), 2);
        let reading = svg.find("Reading score: 90").expect("labelled");
        let lunch = svg.find("Lunch: standard").expect("labelled");
        assert!(reading < lunch, "the larger contribution comes first");
        assert!(
            svg.contains(">+4.5<") && svg.contains(">\u{2212}1.2<"),
            "{svg}"
        );
        assert!(svg.contains("class=\"bar neg\"") && svg.contains("class=\"bar pos\""));
        // The start and the end of the walk: 66.0 → 69.25.
        assert!(svg.contains(">66.0<") && svg.contains(">69.2<"), "{svg}");
        assert!(svg.starts_with("<svg class=\"chart waterfall\" role=\"img\" aria-label=\"why\""));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = svg(50.0, &["<b>&"], &[3.0]);
        assert!(svg.contains(">&lt;b&gt;&amp;<"), "{svg}");
    }

    #[test]
    fn no_change_draws_one_end_label() {
        let svg = svg(50.0, &["A"], &[0.0]);
        // Only the start is labelled above the chart (y = 10); the end would say the same.
        assert_eq!(svg.matches("y=\"10\"").count(), 1, "{svg}");
    }
}
