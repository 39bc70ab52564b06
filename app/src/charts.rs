//! Charts without a chart library: pure geometry ([`Scale`], [`ticks`], [`waterfall`]) that the
//! unit tests pin down, and thin SVG views that only place what the geometry computed.
//!
//! Every SVG is drawn at its natural size (`width`/`height` equal to its `viewBox`) and only
//! shrinks on narrow screens (`max-width: 100%` in the stylesheet), so its text stays legible
//! from a 360 px phone to a desktop. Each chart is an image with an `aria-label`; the pages put
//! the numbers beside it as a table or a caption.

use leptos::prelude::*;

/// A linear map from a domain of values to a range of positions (pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Self { domain, range }
    }

    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }

    /// The position of `value`. Values outside the domain map outside the range (clamp with
    /// [`Scale::map_clamped`]); a value that is not finite maps to the range's start, and an
    /// empty domain maps everything to the middle of the range.
    pub fn map(&self, value: f64) -> f64 {
        let ((d0, d1), (r0, r1)) = (self.domain, self.range);
        if !value.is_finite() {
            return r0;
        }
        if d1 == d0 || !(d1 - d0).is_finite() {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// [`Scale::map`], kept inside the range.
    pub fn map_clamped(&self, value: f64) -> f64 {
        let (r0, r1) = self.range;
        self.map(value).clamp(r0.min(r1), r0.max(r1))
    }

    /// The start and the (never negative) length of a bar from `a` to `b`, in either order.
    pub fn span(&self, a: f64, b: f64) -> (f64, f64) {
        let (x0, x1) = (self.map_clamped(a), self.map_clamped(b));
        (x0.min(x1), (x1 - x0).abs())
    }

    /// Round tick values inside the domain, at most `max_ticks` of them.
    pub fn ticks(&self, max_ticks: usize) -> Vec<f64> {
        ticks(self.domain.0, self.domain.1, max_ticks)
    }
}

/// A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into at most
/// `max_ticks - 1` intervals.
pub fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let intervals = max_ticks.saturating_sub(1).max(1) as f64;
    let raw = span.abs() / intervals;
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// How many decimals multiples of `step` need (0.05 → 2, 2.5 → 1, 20 → 0; at most 6).
pub fn decimals(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

/// `k · step` without float noise (0.85, not 0.8500000000000001).
fn multiple(k: f64, step: f64) -> f64 {
    let scale = 10f64.powi(decimals(step) as i32);
    (k * step * scale).round() / scale
}

/// Multiples of a [`nice_step`] from `lo` to `hi` (both included when they are multiples).
pub fn ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || max_ticks == 0 {
        return Vec::new();
    }
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if lo == hi {
        return vec![lo];
    }
    let step = nice_step(hi - lo, max_ticks);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| multiple(k as f64, step)).collect()
}

/// `lo` and `hi` widened to multiples of `step`.
pub fn nice_bounds(lo: f64, hi: f64, step: f64) -> (f64, f64) {
    (
        multiple((lo / step + 1e-9).floor(), step),
        multiple((hi / step - 1e-9).ceil(), step),
    )
}

/// How a tick reads: as many decimals as the step between ticks needs ("0.85", "20").
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step.is_finite() {
        decimals(step)
    } else {
        0
    };
    // `-0` reads as `0`.
    let value = if value.abs() < step.abs() * 1e-9 {
        0.0
    } else {
        value
    };
    format!("{value:.decimals$}")
}

/// One bar of a waterfall: contribution `index` moves the running total from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaterfallBar {
    pub index: usize,
    pub start: f64,
    pub end: f64,
}

/// The bars of a waterfall from `baseline`, largest `|value|` first (ties keep their order):
/// each starts where the previous one ended, so the last ends at `baseline + Σ values`.
pub fn waterfall(baseline: f64, values: &[f64]) -> Vec<WaterfallBar> {
    let largest_first: Vec<f64> = values.iter().map(|v| -v.abs()).collect();
    let mut total = baseline;
    model::order_by(&largest_first)
        .into_iter()
        .map(|index| {
            let start = total;
            total += values[index];
            WaterfallBar {
                index,
                start,
                end: total,
            }
        })
        .collect()
}

/// A number with an explicit sign: `+1.2`, `−0.4` (a real minus sign), `0.0`.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", value.abs());
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    match () {
        _ if zero || !value.is_finite() => text,
        _ if value > 0.0 => format!("+{text}"),
        _ => format!("\u{2212}{text}"),
    }
}

/// The CSS class of a bar for a signed value.
pub(crate) fn sign_class(value: f64) -> &'static str {
    if value < 0.0 {
        "bar neg"
    } else {
        "bar pos"
    }
}

/// Row layout of the horizontal charts (the stylesheet sets SVG text to 12 px).
pub(crate) const ROW: f64 = 34.0;
pub(crate) const LABEL_DY: f64 = 12.0;
pub(crate) const BAR_Y: f64 = 17.0;
pub(crate) const BAR_H: f64 = 11.0;

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Half the length of an error bar around `value`.
    pub error: Option<f64>,
    /// The text next to the bar (the value as people read it).
    pub note: String,
    /// Drawn in the accent colour (the winner, the current choice).
    pub highlight: bool,
}

/// Horizontal bars on a shared scale, each labelled above, with optional error bars and an
/// optional dashed reference line (an overall mean).
#[component]
pub fn BarChart(
    aria_label: String,
    bars: Vec<Bar>,
    domain: (f64, f64),
    #[prop(default = None)] reference: Option<(f64, String)>,
    #[prop(default = 320.0)] width: f64,
    #[prop(default = 5)] max_ticks: usize,
) -> impl IntoView {
    let note_w = 56.0;
    let scale = Scale::new(domain, (4.0, width - note_w));
    let top = if reference.is_some() { 18.0 } else { 4.0 };
    let axis_y = top + ROW * bars.len() as f64 + 2.0;
    let height = axis_y + 22.0;
    let step = nice_step(domain.1 - domain.0, max_ticks);
    let (from, _) = scale.span(domain.0, domain.0);

    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = top + ROW * i as f64;
            let mid = y + BAR_Y + BAR_H / 2.0;
            let (x, w) = scale.span(domain.0.max(0.0).min(domain.1), bar.value);
            let error = bar.error.filter(|e| e.is_finite() && *e > 0.0);
            let whisker = error.map(|e| {
                let (x0, x1) = (
                    scale.map_clamped(bar.value - e),
                    scale.map_clamped(bar.value + e),
                );
                let d = format!(
                    "M{x0:.2} {a:.2}V{b:.2}M{x0:.2} {mid:.2}H{x1:.2}M{x1:.2} {a:.2}V{b:.2}",
                    a = mid - 4.0,
                    b = mid + 4.0,
                );
                view! { <path class="error" d=d /> }
            });
            // The note follows the bar (or its error bar).
            let tip = scale
                .map_clamped(bar.value + error.unwrap_or(0.0))
                .max(x + w)
                + 5.0;
            let class = if bar.highlight { "bar hi" } else { "bar" };
            view! {
                <g class="row">
                    <text x="4" y=y + LABEL_DY class="label">
                        {bar.label.clone()}
                    </text>
                    <rect class=class x=x y=y + BAR_Y width=w.max(1.0) height=BAR_H rx="2" />
                    {whisker}
                    <text x=tip y=mid + 4.0 class="value">
                        {bar.note.clone()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let axis = ticks(domain.0, domain.1, max_ticks)
        .into_iter()
        .map(|t| {
            let x = scale.map(t);
            view! {
                <line class="grid" x1=x x2=x y1=top y2=axis_y />
                <text class="tick" x=x y=axis_y + 15.0 text-anchor="middle">
                    {tick_label(t, step)}
                </text>
            }
        })
        .collect_view();
    let reference = reference.map(|(value, text)| {
        let x = scale.map_clamped(value);
        view! {
            <line class="ref" x1=x x2=x y1=top - 4.0 y2=axis_y />
            <text class="tick" x=x y="10" text-anchor="middle">
                {text}
            </text>
        }
    });

    view! {
        <svg
            class="chart bars"
            role="img"
            aria-label=aria_label
            width=width
            height=height
            viewBox=format!("0 0 {width} {height}")
        >
            {axis}
            <line class="axis" x1=from x2=from y1=top y2=axis_y />
            {rows}
            {reference}
        </svg>
    }
}

/// Counts in bins between `edges` as vertical bars, with the edges as the x axis.
#[component]
pub fn Histogram(
    aria_label: String,
    edges: Vec<f64>,
    counts: Vec<usize>,
    /// The top of the y axis (shared by small multiples so they compare).
    y_max: usize,
    #[prop(default = 300.0)] width: f64,
    #[prop(default = 160.0)] height: f64,
) -> impl IntoView {
    let (left, bottom, top) = (34.0, 22.0, 8.0);
    let (lo, hi) = (
        edges.first().copied().unwrap_or(0.0),
        edges.last().copied().unwrap_or(1.0),
    );
    let x = Scale::new((lo, hi), (left, width - 6.0));
    let y_step = nice_step(y_max.max(1) as f64, 4);
    let (_, y_top) = nice_bounds(0.0, y_max.max(1) as f64, y_step);
    let y = Scale::new((0.0, y_top), (height - bottom, top));
    let base = height - bottom;

    let bars = counts
        .iter()
        .zip(edges.windows(2))
        .map(|(&n, edge)| {
            let (x0, w) = x.span(edge[0], edge[1]);
            let y1 = y.map(n as f64);
            view! { <rect class="bar" x=x0 + 1.0 y=y1 width=(w - 2.0).max(1.0) height=base - y1 /> }
        })
        .collect_view();
    let y_axis = ticks(0.0, y_top, 4)
        .into_iter()
        .map(|t| {
            let py = y.map(t);
            view! {
                <line class="grid" x1=left x2=width - 6.0 y1=py y2=py />
                <text class="tick" x=left - 4.0 y=py + 4.0 text-anchor="end">
                    {tick_label(t, y_step)}
                </text>
            }
        })
        .collect_view();
    let x_step = nice_step(hi - lo, 6);
    let x_axis = ticks(lo, hi, 6)
        .into_iter()
        .map(|t| {
            view! {
                <text class="tick" x=x.map(t) y=height - 6.0 text-anchor="middle">
                    {tick_label(t, x_step)}
                </text>
            }
        })
        .collect_view();

    view! {
        <svg
            class="chart histogram"
            role="img"
            aria-label=aria_label
            width=width
            height=height
            viewBox=format!("0 0 {width} {height}")
        >
            {y_axis}
            {bars}
            <line class="axis" x1=left x2=width - 6.0 y1=base y2=base />
            {x_axis}
        </svg>
    }
}

/// Points `(x, y)` joined by a line (a `None` y breaks it), on fixed x and y domains, with a
/// dashed `y = x` diagonal when both domains are the same scores.
#[component]
pub fn LineDots(
    aria_label: String,
    points: Vec<(f64, Option<f64>)>,
    x_domain: (f64, f64),
    y_domain: (f64, f64),
    /// Axis titles.
    x_title: String,
    y_title: String,
    #[prop(default = 320.0)] width: f64,
    #[prop(default = 240.0)] height: f64,
) -> impl IntoView {
    let (left, bottom, top, right) = (36.0, 34.0, 10.0, 10.0);
    let x = Scale::new(x_domain, (left, width - right));
    let y = Scale::new(y_domain, (height - bottom, top));
    let base = height - bottom;

    let path = polyline_path(&points, &x, &y);
    let dots = points
        .iter()
        .filter_map(|&(px, py)| py.map(|py| (x.map(px), y.map(py))))
        .map(|(cx, cy)| view! { <circle class="dot" cx=cx cy=cy r="3.5" /> })
        .collect_view();
    let x_step = nice_step(x_domain.1 - x_domain.0, 6);
    let y_step = nice_step(y_domain.1 - y_domain.0, 6);
    let grid = ticks(y_domain.0, y_domain.1, 6)
        .into_iter()
        .map(|t| {
            let py = y.map(t);
            view! {
                <line class="grid" x1=left x2=width - right y1=py y2=py />
                <text class="tick" x=left - 4.0 y=py + 4.0 text-anchor="end">
                    {tick_label(t, y_step)}
                </text>
            }
        })
        .collect_view();
    let x_axis = ticks(x_domain.0, x_domain.1, 6)
        .into_iter()
        .map(|t| {
            view! {
                <text class="tick" x=x.map(t) y=base + 15.0 text-anchor="middle">
                    {tick_label(t, x_step)}
                </text>
            }
        })
        .collect_view();
    let diagonal = (x_domain == y_domain).then(|| {
        let (d0, d1) = x_domain;
        view! {
            <line class="ref" x1=x.map(d0) y1=y.map(d0) x2=x.map(d1) y2=y.map(d1) />
        }
    });

    view! {
        <svg
            class="chart line"
            role="img"
            aria-label=aria_label
            width=width
            height=height
            viewBox=format!("0 0 {width} {height}")
        >
            {grid}
            {diagonal}
            <line class="axis" x1=left x2=width - right y1=base y2=base />
            {x_axis}
            <text class="tick" x=(left + width - right) / 2.0 y=height - 4.0 text-anchor="middle">
                {x_title}
            </text>
            <text
                class="tick"
                transform=format!("translate(11 {}) rotate(-90)", (top + base) / 2.0)
                text-anchor="middle"
            >
                {y_title}
            </text>
            <path class="line" d=path />
            {dots}
        </svg>
    }
}

/// An SVG path through the points, starting a new piece after every gap.
pub fn polyline_path(points: &[(f64, Option<f64>)], x: &Scale, y: &Scale) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for &(px, py) in points {
        match py {
            Some(py) => {
                let command = if pen_down { 'L' } else { 'M' };
                d.push_str(&format!("{command}{:.2} {:.2}", x.map(px), y.map(py)));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_maps_linearly_and_degenerates_safely() {
        let s = Scale::new((0.0, 100.0), (10.0, 210.0));
        assert_eq!(s.map(0.0), 10.0);
        assert_eq!(s.map(50.0), 110.0);
        assert_eq!(s.map(100.0), 210.0);
        assert_eq!(s.map(150.0), 310.0);
        assert_eq!(s.map_clamped(150.0), 210.0);
        assert_eq!(s.map(f64::NAN), 10.0);
        // Inverted ranges (a y axis) work too.
        let y = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(y.map(10.0), 0.0);
        assert_eq!(y.map_clamped(-5.0), 100.0);
        assert_eq!(Scale::new((3.0, 3.0), (0.0, 10.0)).map(3.0), 5.0);
    }

    #[test]
    fn spans_never_have_a_negative_width() {
        let s = Scale::new((-10.0, 10.0), (0.0, 200.0));
        assert_eq!(s.span(0.0, 5.0), (100.0, 50.0));
        assert_eq!(s.span(0.0, -5.0), (50.0, 50.0));
        assert_eq!(s.span(0.0, 99.0), (100.0, 100.0), "clamped to the range");
    }

    #[test]
    fn ticks_are_round_and_inside_the_domain() {
        assert_eq!(
            ticks(0.0, 100.0, 6),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(0.75, 0.9, 5), vec![0.75, 0.8, 0.85, 0.9]);
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(ticks(61.3, 78.9, 5), vec![65.0, 70.0, 75.0]);
        assert_eq!(ticks(5.0, 5.0, 5), vec![5.0]);
        assert!(ticks(f64::NAN, 1.0, 5).is_empty());
        assert_eq!(nice_step(0.3, 4), 0.1);
        assert_eq!(nice_step(216.0, 4), 100.0);
        assert_eq!(nice_bounds(0.778, 0.8746, 0.05), (0.75, 0.9));
    }

    #[test]
    fn tick_labels_carry_the_decimals_of_their_step() {
        assert_eq!(tick_label(0.8, 0.05), "0.80");
        assert_eq!(tick_label(20.0, 20.0), "20");
        assert_eq!(tick_label(2.5, 2.5), "2.5");
        assert_eq!(tick_label(-1e-17, 0.1), "0.0");
    }

    #[test]
    fn a_waterfall_adds_up_to_the_total_largest_first() {
        let bars = waterfall(66.0, &[1.0, -3.0, 0.5, 2.0]);
        let order: Vec<usize> = bars.iter().map(|b| b.index).collect();
        assert_eq!(order, vec![1, 3, 0, 2]);
        assert_eq!(bars[0].start, 66.0);
        for pair in bars.windows(2) {
            assert_eq!(
                pair[0].end, pair[1].start,
                "each bar starts where the last ended"
            );
        }
        assert_eq!(bars.last().unwrap().end, 66.5);
        assert!(waterfall(1.0, &[]).is_empty());
    }

    #[test]
    fn signs_are_explicit_and_zero_has_none() {
        assert_eq!(signed(1.25, 1), "+1.2");
        assert_eq!(signed(-0.46, 1), "\u{2212}0.5");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(0.0, 1), "0.0");
    }

    #[test]
    fn lines_break_at_gaps() {
        let s = Scale::new((0.0, 10.0), (0.0, 10.0));
        let d = polyline_path(
            &[
                (0.0, None),
                (1.0, Some(2.0)),
                (2.0, Some(3.0)),
                (3.0, None),
                (4.0, Some(1.0)),
            ],
            &s,
            &s,
        );
        assert_eq!(d, "M1.00 2.00L2.00 3.00M4.00 1.00");
    }
}
