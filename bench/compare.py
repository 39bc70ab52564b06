#!/usr/bin/env python3
"""Puts the Rust trainer's report.json beside the scikit-learn pipeline's figures.

    python bench/compare.py --rust target/bench/rust/report.json --rust-seconds S \
        --sklearn target/bench/sklearn.json --sklearn-seconds S --out target/bench/summary.json

Prints one table (family | Rust test R² | sklearn test R² | Δ | Rust CV R² | sklearn CV R²),
both wall times and the speed ratio, and writes the same as JSON. Standard library only.
"""

import argparse
import json
import os
import platform
import sys

SPEEDUP_TARGET = 25.0  # the issue: at least 25x faster than the GridSearchCV pipeline
R2_TOLERANCE = 0.01  # the issue: each family's test R² within 0.01 of sklearn's, or better


def fmt(x, spec=".4f", missing="–"):
    if x is None:
        return missing
    digits = int(spec.rstrip("f").split(".")[-1])
    return format(0.0 if abs(x) < 0.5 * 10**-digits else x, spec)  # no "-0.0000"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rust", required=True, help="the trainer's report.json")
    ap.add_argument("--rust-seconds", type=float, required=True, help="its wall time")
    ap.add_argument("--rust-runs", default="", help="every run's wall time, space-separated")
    ap.add_argument("--rust-command", default="")
    ap.add_argument("--sklearn", required=True, help="bench/sklearn_pipeline.py's JSON")
    ap.add_argument("--sklearn-seconds", type=float, required=True, help="its wall time")
    ap.add_argument("--sklearn-command", default="")
    ap.add_argument("--grid", default="", help="the grid file both sides searched")
    ap.add_argument("--grid-sha256", default="")
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.rust, encoding="utf-8") as f:
        rust = json.load(f)
    # report.json holds a report per target; the benchmark trains the default one.
    rust = rust["reports"][0] if "reports" in rust else rust
    with open(args.sklearn, encoding="utf-8") as f:
        sk = json.load(f)

    rust_by = {f["family"]: f for f in rust.get("families", [])}
    sk_by = {f["family"]: f for f in sk.get("families", [])}
    order = list(rust_by) + [f for f in sk_by if f not in rust_by]

    rows = []
    for name in order:
        r, s = rust_by.get(name), sk_by.get(name)
        r_test = r.get("test_r2") if r else None
        s_test = s.get("test_r2") if s else None
        delta = r_test - s_test if r_test is not None and s_test is not None else None
        rows.append(
            {
                "family": name,
                "rust_test_r2": r_test,
                "sklearn_test_r2": s_test,
                "delta_test_r2": delta,
                "rust_cv_r2": r.get("cv_r2_mean") if r else None,
                "sklearn_cv_r2": s.get("cv_r2_mean") if s else None,
                "within_tolerance": None if delta is None else delta >= -R2_TOLERANCE,
                "rust_best_params": r.get("best_params") if r else None,
                "sklearn_best_params": s.get("best_params") if s else None,
                "rust_search_seconds_cpu": r.get("search_seconds") if r else None,
                "rust_refit_seconds": r.get("fit_seconds") if r else None,
                "rust_search_fits": r.get("search_fits") if r else None,
                "sklearn_fit_seconds": s.get("fit_seconds") if s else None,
                "sklearn_fits": s.get("fits") if s else None,
                "sklearn_error": s.get("error") if s else None,
                "only_in": "rust" if s is None else "sklearn" if r is None else None,
            }
        )

    speedup = args.sklearn_seconds / args.rust_seconds if args.rust_seconds > 0 else None
    compared = [r for r in rows if r["delta_test_r2"] is not None]
    summary = {
        "command": "make bench-train (scripts/bench-train.sh)",
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sk.get("versions", {}).get("python"),
        },
        "grid": args.grid,
        "grid_sha256": args.grid_sha256,
        "split": {
            "seed": rust["split"]["seed"],
            "n_train": rust["split"]["n_train"],
            "n_test": rust["split"]["n_test"],
        },
        "rust": {
            "command": args.rust_command,
            "wall_seconds": args.rust_seconds,
            "wall_seconds_runs": [float(t) for t in args.rust_runs.split()],
            "winner": rust.get("winner"),
        },
        "sklearn": {
            "command": args.sklearn_command,
            "wall_seconds": args.sklearn_seconds,
            "search_seconds": sk.get("search_seconds"),
            "import_seconds": sk.get("import_seconds"),
            "versions": sk.get("versions"),
            "cv": sk.get("cv"),
        },
        "speedup": speedup,
        "speedup_target": SPEEDUP_TARGET,
        "speedup_met": None if speedup is None else speedup >= SPEEDUP_TARGET,
        "r2_tolerance": R2_TOLERANCE,
        "r2_met": bool(compared) and all(r["within_tolerance"] for r in compared),
        "families": rows,
        "notes": args.note + sk.get("notes", []),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    head = ["family", "Rust test R²", "sklearn test R²", "Δ", "Rust CV R²", "sklearn CV R²", f"Δ ≥ -{R2_TOLERANCE}"]
    table = []
    for r in rows:
        status = {True: "ok", False: "LOW", None: ""}[r["within_tolerance"]]
        if r["only_in"]:
            status = f"{r['only_in']} only"
        if r["sklearn_error"]:
            status = "sklearn failed"
        table.append(
            [
                r["family"],
                fmt(r["rust_test_r2"]),
                fmt(r["sklearn_test_r2"]),
                fmt(r["delta_test_r2"], "+.4f"),
                fmt(r["rust_cv_r2"]),
                fmt(r["sklearn_cv_r2"]),
                status,
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 or i == len(cells) - 1 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    out = [line(head), line(["-" * w for w in widths])] + [line(t) for t in table]
    out.append("")
    runs = summary["rust"]["wall_seconds_runs"]
    many = f"  (median of {len(runs)} runs: {', '.join(f'{t:.2f}' for t in runs)})"
    out.append(
        f"Rust trainer wall time:     {args.rust_seconds:9.2f} s" + (many if len(runs) > 1 else "")
    )
    out.append(
        f"sklearn pipeline wall time: {args.sklearn_seconds:9.2f} s"
        f"  (searches {sk.get('search_seconds', 0):.2f} s, imports {sk.get('import_seconds', 0):.2f} s)"
    )
    if speedup is not None:
        verdict = "meets" if speedup >= SPEEDUP_TARGET else "MISSES"
        out.append(
            f"speed ratio (sklearn / Rust): {speedup:.1f}x  ({verdict} the {SPEEDUP_TARGET:g}x target)"
        )
    if compared:
        worst = min(compared, key=lambda r: r["delta_test_r2"])
        verdict = "every family within" if summary["r2_met"] else "NOT every family within"
        out.append(
            f"test R²: {verdict} {R2_TOLERANCE} of sklearn or better "
            f"(worst Δ {fmt(worst['delta_test_r2'], '+.5f')}, {worst['family']})"
        )
    for n in summary["notes"]:
        out.append(f"note: {n}")
    out.append(f"written: {args.out}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
