//! The in-page benchmark hook.

use crate::{parse_models, MODEL_JSON};

/// The benchmark hook `make bench-web` calls (`window.predictorBench`, set by boot.js):
/// microseconds per prediction of the default model over `n` predictions, timed in the page
/// with `performance.now()`. The students vary so no work can be skipped.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = benchPredictions)]
pub fn bench_predictions(n: u32) -> f64 {
    let Some(predictor) = parse_models(MODEL_JSON)
        .ok()
        .and_then(|m| m.get(m.default_target(), false).cloned())
    else {
        return f64::NAN;
    };
    let students: Vec<model::Student> = (0..64)
        .map(|i| {
            let mut s = predictor.reference_student();
            s.set("reading_score", (30 + i).to_string());
            s.set("writing_score", (90 - i / 2).to_string());
            s
        })
        .collect();
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let started = performance.now();
    let mut sum = 0.0;
    for i in 0..n as usize {
        sum += predictor
            .predict(&students[i % students.len()])
            .unwrap_or_default();
    }
    let elapsed_ms = performance.now() - started;
    // `sum` is used so the loop cannot be optimised away.
    if sum.is_nan() {
        return f64::NAN;
    }
    elapsed_ms * 1000.0 / f64::from(n.max(1))
}
