#!/usr/bin/env python3
"""The scikit-learn side of `make bench-uci`: fixed models on the trainer's own folds.

Cross-validates scikit-learn's RandomForestRegressor(n_estimators=500) and
GradientBoostingRegressor() (defaults otherwise, random_state fixed to the report's cv seed)
on exactly the rows and folds the Rust trainer cross-validated in one run:

- the rows: the trainer's training split, i.e. every row of --data but the report's
  `split.test_rows` (scikit-learn's train_test_split(test_size, random_state=seed));
- the folds: RepeatedKFold(n_splits=cv.folds, n_repeats=cv.repeats (1 when absent),
  random_state=cv.seed) over the training split's positions, as trainer/src/split.rs
  (repeated_folds) makes them: one RandomState(seed) shuffles the positions once per run, each
  run continuing its stream, so the first run is KFold(shuffle=True, random_state=seed);
- the features: every column but the target, the ignored ones and --drop, and they must be
  the features of the run's model.json (beside --report) when it is there; numeric features
  (the model's kinds; else integer/number in --schema; else columns of numbers) get median
  imputation + standard scaling, the rest most-frequent imputation + one-hot encoding, refitted
  in every fold as the trainer's preprocessing is.

Also LinearRegression(), as a check that the folds are the trainer's (its linear_regression
must score the same to rounding), and a naive baseline that needs no fitting (the paper's "NV"): --naive COL predicts the target
as that column (G2 in setup A, G1 in setup B), without it the fitting folds' mean.

    python bench/uci.py --report target/bench-uci/A/report.json --data data/student-por.csv \
        [--schema FILE] [--drop COL ...] [--naive COL] [--models rf,gb] [--out FILE]

Without --report it makes the split and folds itself (seed 42, 10 folds, --repeats R): for
trying things before the trainer has run. Per-fold RMSE and MAE are averaged over all folds of
all repeats; the std is over the same folds (ddof 0, as GridSearchCV reports it).
"""

import time

_PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from importlib import metadata  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402
from sklearn.model_selection import RepeatedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

MODELS = {
    # The fold check: least squares has one set of predictions whatever the encoding, so the
    # trainer's linear_regression must score the same to rounding on the same folds.
    "lr": ("LinearRegression()", lambda seed, jobs: LinearRegression()),
    "rf": ("RandomForestRegressor(n_estimators=500)",
           lambda seed, jobs: RandomForestRegressor(n_estimators=500, random_state=seed, n_jobs=jobs)),
    "gb": ("GradientBoostingRegressor()",
           lambda seed, jobs: GradientBoostingRegressor(random_state=seed)),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def delimiter(path: str) -> str:
    """The separator the header line uses (comma, semicolon or tab), as the trainer finds it."""
    with open(path, encoding="utf-8-sig") as f:
        header = f.readline()
    return max([",", ";", "\t"], key=header.count)


def read_schema(path: str | None) -> tuple[dict[str, str], set[str]]:
    """Column -> "numeric"/"categorical" from a dataset file, and its ignored columns."""
    if not path:
        return {}, set()
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    schema = doc.get("schema", doc)
    kinds = {}
    for field in schema["fields"]:
        kind = field.get("type", "string")
        kinds[field["name"]] = "numeric" if kind in ("number", "integer") else "categorical"
    ignored = set(doc.get("roles", {}).get("ignored", []))
    return kinds, ignored


def load(path: str, kinds: dict[str, str]) -> pd.DataFrame:
    df = pd.read_csv(path, sep=delimiter(path), quoting=csv.QUOTE_MINIMAL,
                     keep_default_na=False, na_values=[""], dtype=str, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    for col in df.columns:
        kind = kinds.get(col)
        if kind == "categorical":
            continue
        values = pd.to_numeric(df[col].str.replace(",", ".", regex=False), errors="coerce")
        numeric = values.notna() | df[col].isna()
        if kind == "numeric" or numeric.all():
            df[col] = values
    return df


def unwrap(report: dict) -> dict:
    """report.json holds a report per target; the bench trains one."""
    return report["reports"][0] if "reports" in report else report


def report_drops(report: dict) -> list[str]:
    """The columns the trainer was told to leave out, wherever this report version keeps them."""
    for where in (report.get("data", {}), report):
        for key in ("dropped", "drop", "dropped_columns"):
            if isinstance(where.get(key), list):
                return [str(c) for c in where[key]]
    return []


def report_features(report: dict) -> list[str] | None:
    data = report.get("data", {})
    for key in ("features", "feature_columns", "columns"):
        value = data.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return value
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            return [v["name"] for v in value]
    return None


def model_features(path: str | None, target: str) -> dict[str, str] | None:
    """Feature name -> "numeric"/"categorical" of the model.json bundle for `target`."""
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    bundles = doc.get("bundles", [doc])
    for b in bundles:
        if b.get("target") == target:
            return {f["name"]: f["kind"] for f in b["features"]}
    raise SystemExit(f"{path} has no model for {target!r}")


def fold_plan(report: dict | None, n: int, args) -> dict:
    """The training rows and every (repeat, seed, fit positions, validation positions)."""
    if report is not None:
        split, cv = report["split"], report.get("cv", {})
        rows = report.get("data", {}).get("rows")
        if rows is not None and rows != n:
            raise SystemExit(f"{args.data} has {n} data rows but the report was made from {rows}")
        test = np.array(sorted(split["test_rows"]), dtype=int)
        folds = int(cv.get("folds", 5))
        seed = int(cv.get("seed", split.get("seed", 42)))
        repeats = int(cv.get("repeats", 1))
        split_seed = int(split.get("seed", 42))
    else:
        split_seed = seed = args.seed
        _, test = train_test_split(np.arange(n), test_size=args.test_fraction, random_state=split_seed)
        test = np.sort(test)
        folds, repeats = args.folds, args.repeats
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    train = np.flatnonzero(~is_test)
    plan = []
    splitter = RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    for i, (fit, val) in enumerate(splitter.split(train)):
        plan.append((i // folds, i % folds, fit, val))
    return {"train": train, "test": test, "folds": folds, "repeats": repeats, "seed": seed,
            "split_seed": split_seed, "plan": plan}


def preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    return ColumnTransformer([
        ("num", Pipeline([("imputer", SimpleImputer(strategy="median")),
                          ("scaler", StandardScaler())]), numeric),
        ("cat", Pipeline([("imputer", SimpleImputer(strategy="most_frequent")),
                          ("one_hot", OneHotEncoder(handle_unknown="ignore"))]), categorical),
    ])


def summarise(rmse: list[float], mae: list[float]) -> dict:
    return {"cv_rmse_mean": float(np.mean(rmse)), "cv_rmse_std": float(np.std(rmse)),
            "cv_mae_mean": float(np.mean(mae)), "cv_mae_std": float(np.std(mae)),
            "folds_scored": len(rmse)}


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("scikit-learn", "numpy", "scipy", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", help="the trainer's report.json (its split, folds, target)")
    ap.add_argument("--data", default="data/student-por.csv")
    ap.add_argument("--schema", help="the dataset file (column types, ignored columns)")
    ap.add_argument("--model", help="the run's model.json (default: beside --report)")
    ap.add_argument("--target", help="default: the report's target, else G3")
    ap.add_argument("--drop", action="append", default=[], help="a column left out (repeatable)")
    ap.add_argument("--naive", help="the naive baseline predicts the target as this column")
    ap.add_argument("--models", default="lr,rf,gb", help=f"comma-separated, of: {', '.join(MODELS)}")
    ap.add_argument("--n-jobs", type=int, default=1, help="the random forest's n_jobs")
    ap.add_argument("--seed", type=int, default=42, help="without --report")
    ap.add_argument("--folds", type=int, default=10, help="without --report")
    ap.add_argument("--repeats", type=int, default=20, help="without --report")
    ap.add_argument("--test-fraction", type=float, default=0.2, help="without --report")
    ap.add_argument("--out", help="write the figures as JSON here")
    ap.add_argument("--cache", help="a folder of earlier results, keyed by everything that decides "
                    "them (data, rows, folds, features, model, versions): a rerun with other grids "
                    "reuses them")
    args = ap.parse_args()

    report = None
    if args.report:
        with open(args.report, encoding="utf-8") as f:
            report = unwrap(json.load(f))
    kinds, ignored = read_schema(args.schema)
    df = load(args.data, kinds)
    target = args.target or (report or {}).get("target") or "G3"
    if target not in df.columns:
        raise SystemExit(f"{args.data} has no column {target!r}")
    drops = list(dict.fromkeys(args.drop + (report_drops(report) if report else [])))
    for col in drops:
        if col not in df.columns:
            raise SystemExit(f"--drop {col}: {args.data} has no such column")
    features = [c for c in df.columns if c != target and c not in drops and c not in ignored]
    listed = report_features(report) if report else None
    if listed is not None and sorted(listed) != sorted(features):
        raise SystemExit(f"the report's features {sorted(listed)} are not this run's {sorted(features)}")
    model_path = args.model or (os.path.join(os.path.dirname(args.report), "model.json")
                                if args.report else None)
    trained = model_features(model_path, target)
    if trained is not None:
        if sorted(trained) != sorted(features):
            raise SystemExit(f"{model_path}'s features {sorted(trained)} are not this run's "
                             f"{sorted(features)} (--drop as the trainer was given it?)")
        numeric = [c for c in features if trained[c] == "numeric"]
        for c in numeric:
            if not pd.api.types.is_numeric_dtype(df[c]):
                df[c] = pd.to_numeric(df[c].str.replace(",", ".", regex=False), errors="coerce")
        for c in features:
            if c not in numeric and pd.api.types.is_numeric_dtype(df[c]):
                df[c] = df[c].map(lambda v: None if pd.isna(v) else format(v, "g"))
    else:
        numeric = [c for c in features if pd.api.types.is_numeric_dtype(df[c])]
    categorical = [c for c in features if c not in numeric]

    n = len(df)
    plan = fold_plan(report, n, args)
    train = plan["train"]
    x, y = df.loc[train, features].reset_index(drop=True), df.loc[train, target].astype(float).to_numpy()
    log(f"uci: {len(train)} training rows of {n} (test {len(plan['test'])}), target {target}, "
        f"{len(numeric)} numeric + {len(categorical)} categorical features"
        f"{', without ' + ', '.join(drops) if drops else ''}; "
        f"{plan['folds']}-fold CV x {plan['repeats']} repeat(s) (RepeatedKFold, seed {plan['seed']}) "
        f"= {len(plan['plan'])} folds; kinds from {'the model' if trained else 'the schema' if kinds else 'the data'}")

    results = []
    # The naive baseline: no fitting.
    rmse, mae = [], []
    naive = df.loc[train, args.naive].astype(float).to_numpy() if args.naive else None
    for _, _, fit, val in plan["plan"]:
        pred = naive[val] if naive is not None else np.full(len(val), y[fit].mean())
        err = pred - y[val]
        rmse.append(math.sqrt(float(np.mean(err**2))))
        mae.append(float(np.mean(np.abs(err))))
    results.append({"model": "naive", "estimator": f"G3 = {args.naive}" if args.naive else
                    "the fitting folds' mean", **summarise(rmse, mae), "fit_seconds": 0.0})

    with open(args.data, "rb") as f:
        data_sha = hashlib.sha256(f.read()).hexdigest()
    for key in [m.strip() for m in args.models.split(",") if m.strip()]:
        if key not in MODELS:
            raise SystemExit(f"unknown model {key!r} (known: {', '.join(MODELS)})")
        label, make = MODELS[key]
        identity = json.dumps({
            "data": data_sha, "target": target, "numeric": numeric, "categorical": categorical,
            "train": train.tolist(), "folds": plan["folds"], "repeats": plan["repeats"],
            "seed": plan["seed"], "model": label, "versions": versions(),
        }, sort_keys=True)
        cached = None
        if args.cache:
            cached = os.path.join(args.cache, f"{key}-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.json")
            if os.path.exists(cached):
                with open(cached, encoding="utf-8") as f:
                    row = json.load(f)
                results.append(row)
                log(f"  {key}: CV RMSE {row['cv_rmse_mean']:.4f} ± {row['cv_rmse_std']:.4f} "
                    f"(from {cached}, {row['fit_seconds']:.1f}s when computed)")
                continue
        rmse, mae = [], []
        t0 = time.perf_counter()
        for i, (r, k, fit, val) in enumerate(plan["plan"]):
            pipe = Pipeline([("pre", preprocessor(numeric, categorical)),
                             ("model", make(plan["seed"], args.n_jobs))])
            pipe.fit(x.iloc[fit], y[fit])
            err = pipe.predict(x.iloc[val]) - y[val]
            rmse.append(math.sqrt(float(np.mean(err**2))))
            mae.append(float(np.mean(np.abs(err))))
            if (i + 1) % 50 == 0:
                log(f"  {key}: {i + 1}/{len(plan['plan'])} folds, {time.perf_counter() - t0:.0f}s")
        seconds = time.perf_counter() - t0
        row = {"model": key, "estimator": label, **summarise(rmse, mae), "fit_seconds": seconds}
        results.append(row)
        if cached:
            os.makedirs(args.cache, exist_ok=True)
            with open(cached, "w", encoding="utf-8") as f:
                json.dump(row, f, indent=2)
        log(f"  {key}: CV RMSE {row['cv_rmse_mean']:.4f} ± {row['cv_rmse_std']:.4f}, "
            f"MAE {row['cv_mae_mean']:.4f} ({seconds:.1f}s)")

    out = {
        "tool": "scikit-learn on the trainer's folds (bench/uci.py)",
        "versions": versions(),
        "data": args.data,
        "report": args.report,
        "target": target,
        "dropped": drops,
        "features": {"numeric": numeric, "categorical": categorical},
        "n_rows": n,
        "n_train": int(len(train)),
        "n_test": int(len(plan["test"])),
        "cv": {"splitter": "RepeatedKFold", "folds": plan["folds"], "repeats": plan["repeats"],
               "random_state": plan["seed"], "split_seed": plan["split_seed"]},
        "models": results,
        "total_seconds": time.perf_counter() - _PROCESS_START,
    }
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
