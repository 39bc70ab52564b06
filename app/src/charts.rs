//! Charts without a chart library: pure geometry ([`Scale`], [`ticks`], [`waterfall`]) that the
//! unit tests pin down, and thin SVG views that only place what the geometry computed.
//!
//! Every chart fills its card: [`FitWidth`] measures the card's width (a `ResizeObserver`) and
//! the chart is laid out for exactly that many pixels, with `width`/`height` equal to its
//! `viewBox`, so its text is drawn at its CSS size (12 px) from a 360 px phone to a desktop
//! instead of being scaled. Each chart is an image with an `aria-label`; the pages put the
//! numbers beside it as a table or a caption.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::JsCast;

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
    if !value.is_finite() {
        return "—".to_owned();
    }
    let text = format!("{:.decimals$}", value.abs());
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    match () {
        _ if zero => text,
        _ if value > 0.0 => format!("+{text}"),
        _ => format!("\u{2212}{text}"),
    }
}

/// Row layout of the horizontal charts (the stylesheet sets SVG text to 12 px).
pub(crate) const ROW: f64 = 34.0;
pub(crate) const LABEL_DY: f64 = 12.0;
pub(crate) const BAR_Y: f64 = 17.0;
pub(crate) const BAR_H: f64 = 11.0;

/// Approximate advance of one character of chart text, in pixels: 12 px labels and 11 px
/// ticks in the app's sans-serif (measured: digits 6.1–6.7 px, letters 5–7 px).
pub(crate) const LABEL_CHAR: f64 = 6.8;
pub(crate) const TICK_CHAR: f64 = 6.4;

/// `text` cut to fit `max_px` at `char_px` per character, ending in "…" when cut.
pub fn fit_text(text: &str, max_px: f64, char_px: f64) -> String {
    let fits = (max_px / char_px).floor().max(1.0) as usize;
    if text.chars().count() <= fits {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(fits.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Where one text of a chart goes: its left edge, baseline and the text itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

impl Placed {
    /// The text's right edge, estimated at `char_px` per character.
    pub fn right(&self, char_px: f64) -> f64 {
        self.x + self.text.chars().count() as f64 * char_px
    }
}

/// The two values above a waterfall: the start (`start_x`) and, unless it reads the same, the
/// end (`end_x`), each centred on its line but kept inside `[0, width]`. When they would
/// overlap, the end goes one line lower. Also returns where the bars may start (below them).
pub fn end_labels(
    start: &str,
    start_x: f64,
    end: &str,
    end_x: f64,
    width: f64,
) -> (Vec<Placed>, f64) {
    let place = |text: &str, x: f64, y: f64| {
        let w = text.chars().count() as f64 * TICK_CHAR;
        Placed {
            x: (x - w / 2.0).clamp(0.0, (width - w).max(0.0)),
            y,
            text: text.to_owned(),
        }
    };
    let first = place(start, start_x, 10.0);
    if end == start {
        return (vec![first], 18.0);
    }
    let second = place(end, end_x, 10.0);
    let gap = 6.0;
    let overlap =
        second.x < first.right(TICK_CHAR) + gap && first.x < second.right(TICK_CHAR) + gap;
    if overlap {
        (vec![first, place(end, end_x, 23.0)], 31.0)
    } else {
        (vec![first, second], 18.0)
    }
}

/// The geometry of a [`Waterfall`]: everything the SVG draws, computed (and tested) apart.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallLayout {
    pub width: f64,
    pub height: f64,
    pub scale: Scale,
    pub ticks: Vec<(f64, String)>,
    pub axis_y: f64,
    /// The start and end values above the chart.
    pub ends: Vec<Placed>,
    /// The x of the dashed start and end lines.
    pub start_x: f64,
    pub end_x: f64,
    pub rows: Vec<WaterfallRow>,
}

/// One row: its label (above the bar, cut to the width), its bar and its signed amount.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallRow {
    pub index: usize,
    /// The label as drawn, and as given (for the tooltip) when it had to be cut.
    pub label: Placed,
    pub full_label: String,
    /// The bar's top, left and width.
    pub y: f64,
    pub x: f64,
    pub w: f64,
    pub negative: bool,
    pub amount: Placed,
}

impl WaterfallLayout {
    /// A waterfall from `baseline` through `values` (labelled `labels`), `width` pixels wide.
    pub fn new(baseline: f64, labels: &[String], values: &[f64], width: f64) -> Self {
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
        let max_ticks = ((width / 60.0) as usize).clamp(3, 8);
        let step = nice_step(hi - lo, max_ticks);
        let (lo, hi) = nice_bounds(lo - step * 0.25, hi + step * 0.25, step);
        let scale = Scale::new((lo, hi), (8.0, width - 8.0));
        let (start_x, end_x) = (scale.map(baseline), scale.map(end));
        let (ends, top) = end_labels(
            &format!("{baseline:.1}"),
            start_x,
            &format!("{end:.1}"),
            end_x,
            width,
        );
        let rows = bars
            .iter()
            .enumerate()
            .map(|(i, bar)| {
                let y = top + ROW * i as f64;
                let value = values[bar.index];
                let (x, w) = scale.span(bar.start, bar.end);
                let full_label = labels.get(bar.index).cloned().unwrap_or_default();
                let label = Placed {
                    x: 2.0,
                    y: y + LABEL_DY,
                    text: fit_text(&full_label, width - 4.0, LABEL_CHAR),
                };
                // The amount follows the bar's far end, or sits inside the chart's right edge
                // when the bar runs close to it.
                let text = signed(value, 1);
                let text_w = text.chars().count() as f64 * LABEL_CHAR;
                let tip = x + w.max(1.5) + 4.0;
                let amount_x = if tip + text_w > width {
                    (x - 4.0 - text_w).max(0.0)
                } else {
                    tip
                };
                WaterfallRow {
                    index: bar.index,
                    label,
                    full_label,
                    y: y + BAR_Y,
                    x,
                    w: w.max(1.5),
                    negative: value < 0.0,
                    amount: Placed {
                        x: amount_x,
                        y: y + BAR_Y + 9.5,
                        text,
                    },
                }
            })
            .collect();
        let axis_y = top + ROW * bars.len() as f64 + 4.0;
        let ticks = ticks(lo, hi, max_ticks)
            .into_iter()
            .map(|t| (scale.map(t), tick_label(t, step)))
            .collect();
        Self {
            width,
            height: axis_y + 22.0,
            scale,
            ticks,
            axis_y,
            ends,
            start_x,
            end_x,
            rows,
        }
    }

    /// The dashed lines at the start and the end, as segments beside the bars only: they never
    /// cross a row's label, and skip a row whose amount they would cross.
    /// Each is `(x, y1, y2, whether it marks the end)`.
    pub fn ref_segments(&self) -> Vec<(f64, f64, f64, bool)> {
        let mut out = Vec::new();
        for (x, is_end) in [(self.start_x, false), (self.end_x, true)] {
            for row in &self.rows {
                let amount = (row.amount.x - 2.0)..=(row.amount.right(LABEL_CHAR) + 2.0);
                if !amount.contains(&x) {
                    out.push((x, row.y - 1.0, row.y + BAR_H + 2.0, is_end));
                }
            }
            out.push((x, self.axis_y - 3.0, self.axis_y, is_end));
        }
        out
    }
}

/// "Why this score" as a picture: a horizontal waterfall from the typical student's score to
/// this student's, one bar per field, largest first, filling its card.
#[component]
pub fn Waterfall(
    /// What the chart shows, for screen readers.
    aria_label: String,
    /// The value everything starts from.
    baseline: f64,
    /// The labels above the bars, one per value.
    labels: Vec<String>,
    values: Vec<f64>,
) -> impl IntoView {
    view! {
        <FitWidth children=move |width| {
            let layout = WaterfallLayout::new(baseline, &labels, &values, width);
            let rows = layout
                .rows
                .iter()
                .map(|row| {
                    let title = (row.label.text != row.full_label)
                        .then(|| view! { <title>{row.full_label.clone()}</title> });
                    view! {
                        <g class="row">
                            <text x=row.label.x y=row.label.y class="label">
                                {title}
                                {row.label.text.clone()}
                            </text>
                            <rect
                                class=if row.negative { "bar neg" } else { "bar pos" }
                                x=row.x
                                y=row.y
                                width=row.w
                                height=BAR_H
                                rx="2"
                            />
                            <text x=row.amount.x y=row.amount.y class="value">
                                {row.amount.text.clone()}
                            </text>
                        </g>
                    }
                })
                .collect_view();
            let refs = layout
                .ref_segments()
                .into_iter()
                .map(|(x, y1, y2, is_end)| {
                    let class = if is_end { "ref end" } else { "ref" };
                    view! { <line class=class x1=x x2=x y1=y1 y2=y2 /> }
                })
                .collect_view();
            let ends = layout
                .ends
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let class = if i == 0 { "tick" } else { "tick strong" };
                    view! { <text class=class x=p.x y=p.y>{p.text.clone()}</text> }
                })
                .collect_view();
            let ticks = layout
                .ticks
                .iter()
                .map(|(x, text)| {
                    view! {
                        <text class="tick" x=*x y=layout.axis_y + 15.0 text-anchor="middle">
                            {text.clone()}
                        </text>
                    }
                })
                .collect_view();
            let (w, h) = (layout.width, layout.height);
            view! {
                <svg
                    class="chart waterfall"
                    role="img"
                    aria-label=aria_label.clone()
                    width=w
                    height=h
                    viewBox=format!("0 0 {w} {h}")
                >
                    <line class="axis" x1="8" x2=w - 8.0 y1=layout.axis_y y2=layout.axis_y />
                    {ticks}
                    {refs}
                    {ends}
                    {rows}
                </svg>
            }
        } />
    }
}

/// The width a chart is laid out for: the measured width of its container, within
/// `[min, max]`; `fallback` until it has been measured (or where nothing can measure it).
pub fn chart_width(measured: Option<f64>, min: f64, max: f64, fallback: f64) -> f64 {
    match measured {
        Some(w) if w.is_finite() && w > 0.0 => w.floor().clamp(min, max),
        _ => fallback,
    }
}

/// A container as wide as its card, whose child is laid out for its measured width in CSS
/// pixels (followed on every resize: a phone turned sideways, a window narrowed). Generic over
/// its child only: the measuring is [`measure_width`], compiled once for every chart.
#[component]
pub fn FitWidth<F, V>(
    children: F,
    #[prop(default = 260.0)] min: f64,
    #[prop(default = 4096.0)] max: f64,
    #[prop(default = 320.0)] fallback: f64,
) -> impl IntoView
where
    F: Fn(f64) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    fit_width(
        Arc::new(move |width| children(width).into_any()),
        (min, max, fallback),
    )
}

/// A chart drawn by a child closure for its card's width: `children` behind one pointer type,
/// so the reactive view below is compiled once for every chart.
type DrawAt = Arc<dyn Fn(f64) -> AnyView + Send + Sync>;

/// [`FitWidth`]'s view: the frame, measured, and the chart for its width within
/// `(min, max)` (`fallback` before it is measured).
fn fit_width(children: DrawAt, (min, max, fallback): (f64, f64, f64)) -> AnyView {
    let node = NodeRef::<Div>::new();
    let measured = measure_width(node);
    view! {
        <div class="chart-fit" node_ref=node>
            {move || children(chart_width(measured.get(), min, max, fallback))}
        </div>
    }
    .into_any()
}

/// The width of the element at `node` once it is in the page, and again on every resize.
fn measure_width(node: NodeRef<Div>) -> RwSignal<Option<f64>> {
    let measured = RwSignal::new(None::<f64>);
    let observer = StoredValue::new_local(
        None::<(
            leptos::web_sys::ResizeObserver,
            Closure<dyn FnMut(js_sys::Array)>,
        )>,
    );
    // The outside world: the element's size, read once it is in the page and on every resize.
    Effect::new(move |_| {
        let Some(element) = node.get() else {
            return;
        };
        let width = f64::from(element.client_width());
        if width > 0.0 {
            measured.set(Some(width));
        }
        if observer.with_value(Option::is_some) {
            return;
        }
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let width = entries
                .get(0)
                .dyn_into::<leptos::web_sys::ResizeObserverEntry>()
                .ok()
                .map(|entry| entry.content_rect().width().floor());
            if let Some(width) = width.filter(|w| *w > 0.0) {
                if measured.get_untracked() != Some(width) {
                    measured.try_set(Some(width));
                }
            }
        });
        if let Ok(resize) = leptos::web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref())
        {
            resize.observe(&element);
            observer.set_value(Some((resize, on_resize)));
        }
    });
    on_cleanup(move || {
        if let Some(Some((resize, _))) = observer.try_update_value(Option::take) {
            resize.disconnect();
        }
    });
    measured
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The ends of an error bar around `value` (low, high): ± a standard deviation, or a
    /// confidence interval, which need not be symmetric.
    pub error: Option<(f64, f64)>,
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
            let error = bar
                .error
                .filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo < hi);
            let whisker = error.map(|(lo, hi)| {
                let (x0, x1) = (scale.map_clamped(lo), scale.map_clamped(hi));
                let d = format!(
                    "M{x0:.2} {a:.2}V{b:.2}M{x0:.2} {mid:.2}H{x1:.2}M{x1:.2} {a:.2}V{b:.2}",
                    a = mid - 4.0,
                    b = mid + 4.0,
                );
                view! { <path class="error" d=d /> }
            });
            // The note follows the bar (or its error bar).
            let tip = scale
                .map_clamped(error.map_or(bar.value, |(_, hi)| hi.max(bar.value)))
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

/// The outline of a band between `(x, low, high)` points: along the highs from left to right,
/// back along the lows, closed. Empty for no points.
pub fn band_path(points: &[(f64, f64, f64)], x: &Scale, y: &Scale) -> String {
    let mut d = String::new();
    let highs = points.iter().map(|&(px, _, high)| (px, high));
    let lows = points.iter().rev().map(|&(px, low, _)| (px, low));
    for (i, (px, py)) in highs.chain(lows).enumerate() {
        let command = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{command}{:.2} {:.2}", x.map(px), y.map(py)));
    }
    if !d.is_empty() {
        d.push('Z');
    }
    d
}

/// The size and margins of a [`Curve`].
pub const CURVE_SIZE: (f64, f64) = (260.0, 84.0);
const CURVE_MARGIN: (f64, f64, f64, f64) = (28.0, 18.0, 6.0, 8.0); // left, bottom, top, right

/// The scales of a [`Curve`] over `x_domain` and `y_domain`.
pub fn curve_scales(x_domain: (f64, f64), y_domain: (f64, f64)) -> (Scale, Scale) {
    let ((width, height), (left, bottom, top, right)) = (CURVE_SIZE, CURVE_MARGIN);
    (
        Scale::new(x_domain, (left, width - right)),
        Scale::new(y_domain, (height - bottom, top)),
    )
}

/// A small line chart: `(x, y, low, high)` points as a line over its band, and a marker at one
/// point; three ticks on each axis.
#[component]
pub fn Curve(
    aria_label: String,
    points: Vec<(f64, f64, f64, f64)>,
    marker: Option<(f64, f64)>,
    x_domain: (f64, f64),
    y_domain: (f64, f64),
) -> impl IntoView {
    let (width, height) = CURVE_SIZE;
    let (x, y) = curve_scales(x_domain, y_domain);
    let base = height - CURVE_MARGIN.1;
    let line: Vec<(f64, Option<f64>)> = points.iter().map(|p| (p.0, Some(p.1))).collect();
    let band: Vec<(f64, f64, f64)> = points.iter().map(|p| (p.0, p.2, p.3)).collect();
    let mid = |(a, b): (f64, f64)| [a, (a + b) / 2.0, b];
    // One grid path, and every tick label in one loop (one view shape: less wasm).
    let grid: String = mid(y_domain)
        .into_iter()
        .map(|t| {
            format!(
                "M{:.2} {:.2}H{:.2}",
                x.map(x_domain.0),
                y.map(t),
                x.map(x_domain.1)
            )
        })
        .collect();
    let labels = mid(y_domain)
        .into_iter()
        .map(|t| (CURVE_MARGIN.0 - 4.0, y.map(t) + 4.0, "end", t))
        .chain(
            mid(x_domain)
                .into_iter()
                .map(|t| (x.map(t), base + 14.0, "middle", t)),
        )
        .map(|(tx, ty, anchor, t)| {
            view! {
                <text class="tick" x=tx y=ty text-anchor=anchor>
                    {t.to_string()}
                </text>
            }
        })
        .collect_view();
    let marker = marker.map(|(mx, my)| {
        view! {
            <line class="ref" x1=x.map(mx) x2=x.map(mx) y1=y.map(y_domain.1) y2=base />
            <circle class="dot marker" cx=x.map(mx) cy=y.map(my) r="4.5" data-x=mx data-y=my />
        }
    });
    view! {
        <svg
            class="chart curve"
            role="img"
            aria-label=aria_label
            width=width
            height=height
            viewBox=format!("0 0 {width} {height}")
        >
            <path class="grid" d=grid />
            {labels}
            <path class="band" d=band_path(&band, &x, &y) />
            <path class="line" d=polyline_path(&line, &x, &y) />
            {marker}
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
    fn a_band_goes_out_along_the_highs_and_back_along_the_lows() {
        let x = Scale::new((0.0, 10.0), (0.0, 100.0));
        let y = Scale::new((0.0, 10.0), (100.0, 0.0));
        let d = band_path(
            &[(0.0, 1.0, 3.0), (5.0, 2.0, 6.0), (10.0, 4.0, 8.0)],
            &x,
            &y,
        );
        assert_eq!(
            d,
            "M0.00 70.00L50.00 40.00L100.00 20.00L100.00 60.00L50.00 80.00L0.00 90.00Z"
        );
        assert_eq!(band_path(&[], &x, &y), "");
    }

    #[test]
    fn a_curve_s_scales_fill_its_box_inside_the_margins() {
        let (x, y) = curve_scales((0.0, 100.0), (0.0, 100.0));
        let (width, height) = CURVE_SIZE;
        let (left, bottom, top, right) = CURVE_MARGIN;
        assert_eq!(x.map(0.0), left);
        assert_eq!(x.map(100.0), width - right);
        assert_eq!(y.map(0.0), height - bottom);
        assert_eq!(y.map(100.0), top);
        // The marker follows the value: halfway along is halfway across.
        assert_eq!(x.map(50.0), (left + width - right) / 2.0);
    }

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
        assert_eq!(signed(f64::NAN, 2), "—", "never NaN");
        assert_eq!(signed(f64::NEG_INFINITY, 2), "—");
    }

    #[test]
    fn long_labels_are_cut_to_the_width() {
        assert_eq!(fit_text("Lunch: standard", 200.0, 6.8), "Lunch: standard");
        let cut = fit_text("Parental level of education: some high school", 150.0, 6.8);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.chars().count() as f64 * 6.8 <= 150.0, "{cut}");
    }

    #[test]
    fn the_start_and_end_values_never_overlap() {
        // Close values: the end goes one line lower.
        let (close, top) = end_labels("66.0", 150.0, "63.2", 140.0, 320.0);
        assert_eq!(close.len(), 2);
        assert!(close[1].y > close[0].y, "{close:?}");
        assert!(top > 18.0);
        // Far apart: one line.
        let (far, top) = end_labels("66.0", 40.0, "93.2", 280.0, 320.0);
        assert_eq!((far[0].y, far[1].y, top), (10.0, 10.0, 18.0));
        // The same text: drawn once. Near an edge: kept inside the chart.
        let (same, _) = end_labels("66.0", 0.0, "66.0", 0.0, 320.0);
        assert_eq!(same.len(), 1);
        assert!(same[0].x >= 0.0);
        let (edge, _) = end_labels("66.0", 10.0, "99.9", 319.0, 320.0);
        assert!(edge[1].right(TICK_CHAR) <= 320.0, "{edge:?}");
    }

    /// Whether two placed texts share a line and overlap horizontally.
    fn collide(a: &Placed, b: &Placed, char_px: f64) -> bool {
        (a.y - b.y).abs() < 12.0 && a.x < b.right(char_px) && b.x < a.right(char_px)
    }

    #[test]
    fn waterfall_texts_never_collide_even_for_extreme_students() {
        let labels: Vec<String> = [
            "Parental level of education: some high school",
            "Race/ethnicity: group E",
            "Reading score: 100",
            "Writing score: 0",
            "Test preparation course: completed",
            "Lunch: free/reduced",
            "Gender: female",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let cases: [(f64, [f64; 7]); 5] = [
            // The strongest student: 62.7 → 109.1, its amounts near the end line.
            (62.7, [-1.7, 5.5, 7.1, 0.0, 0.0, 13.1, 22.4]),
            (66.0, [0.1, -0.2, 0.3, -0.1, 0.0, 0.2, -2.9]),
            (66.0, [-3.0, 2.0, 40.0, -70.0, 5.0, -9.0, 1.0]),
            (66.0, [1.0, 2.0, 20.0, 30.0, 4.0, 3.0, 2.0]),
            (0.0, [-0.5, -1.0, -2.0, -3.0, -0.1, -0.2, -0.3]),
        ];
        for width in [260.0, 320.0, 600.0] {
            for (baseline, values) in &cases {
                let layout = WaterfallLayout::new(*baseline, &labels, values, width);
                assert_eq!(layout.rows.len(), 7);
                for (i, a) in layout.ends.iter().enumerate() {
                    assert!(a.x >= 0.0 && a.right(TICK_CHAR) <= width + 0.5, "{a:?}");
                    for b in &layout.ends[i + 1..] {
                        assert!(!collide(a, b, TICK_CHAR), "{a:?} {b:?}");
                    }
                }
                for row in &layout.rows {
                    assert!(row.label.right(LABEL_CHAR) <= width, "{:?}", row.label);
                    assert!(row.amount.x >= 0.0 && row.amount.right(LABEL_CHAR) <= width + 0.5);
                    // The dashed lines stay beside the bars, below every label, and off
                    // every amount.
                    for (x, y1, y2, _) in layout.ref_segments() {
                        let (a0, a1) = (row.amount.x, row.amount.right(LABEL_CHAR));
                        let beside = y1 < row.amount.y && y2 > row.amount.y - 9.0;
                        assert!(
                            !(beside && x >= a0 && x <= a1),
                            "a dashed line crosses {:?}",
                            row.amount
                        );
                        let label_top = row.label.y - 10.0;
                        assert!(
                            y2 < label_top || y1 > row.label.y + 3.0,
                            "a dashed line crosses {:?}",
                            row.label
                        );
                    }
                    for end in &layout.ends {
                        assert!(
                            end.y + 3.0 < row.label.y - 10.0,
                            "{end:?} over {:?}",
                            row.label
                        );
                    }
                }
                assert!(layout.height.is_finite() && layout.height > layout.axis_y);
            }
        }
    }

    #[test]
    fn charts_take_their_measured_width_within_bounds() {
        assert_eq!(chart_width(None, 260.0, 960.0, 320.0), 320.0);
        assert_eq!(chart_width(Some(512.7), 260.0, 960.0, 320.0), 512.0);
        assert_eq!(chart_width(Some(100.0), 260.0, 960.0, 320.0), 260.0);
        assert_eq!(
            chart_width(Some(4000.0), 260.0, 960.0, 320.0),
            960.0,
            "at most max"
        );
        assert_eq!(chart_width(Some(f64::NAN), 260.0, 960.0, 320.0), 320.0);
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
