#!/usr/bin/env python3
"""The scikit-learn / xgboost / catboost side of `make bench-train`.

Searches the same grids as the Rust trainer (read from trainer/grids.toml, or --grid) with
GridSearchCV on exactly the Rust run's train/test split (`split.test_rows` of its report.json),
then scores each family's refitted best model on the held-out test rows. Preprocessing follows
the original Python project: a ColumnTransformer with median imputation + standard scaling for
the numeric scores and most-frequent imputation + one-hot encoding for the categories, inside
a Pipeline so it is refitted in every cross-validation fold (as the Rust trainer does).

    python bench/sklearn_pipeline.py --report target/bench/rust/report.json \
        [--data data/stud.csv] [--grid trainer/grids.toml] [--only FAMILY ...] [--out FILE]

Prints progress and a table to stderr/stdout and writes the figures as JSON to --out.
GridSearchCV runs with its default n_jobs (1), like the original project; every estimator that
takes a seed gets random_state=42 (the report's cv seed).
"""

import time

_PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib import metadata  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

_IMPORT_SECONDS = time.perf_counter() - _PROCESS_START

CATEGORICAL = [
    "gender",
    "race_ethnicity",
    "parental_level_of_education",
    "lunch",
    "test_preparation_course",
]
SCORES = ["math_score", "reading_score", "writing_score"]


@dataclass
class FamilySpec:
    """How one family of grids.toml maps onto a Python estimator."""

    make: Callable[[int], Any]  # seed -> unfitted estimator
    # Our parameter name -> the estimator's, where they differ.
    aliases: dict[str, str] = field(default_factory=dict)


def _linear_regression(seed: int):
    from sklearn.linear_model import LinearRegression

    return LinearRegression()


def _ridge(seed: int):
    from sklearn.linear_model import Ridge

    return Ridge(random_state=seed)


def _lasso(seed: int):
    from sklearn.linear_model import Lasso

    return Lasso(random_state=seed)


def _decision_tree(seed: int):
    from sklearn.tree import DecisionTreeRegressor

    return DecisionTreeRegressor(random_state=seed)


def _random_forest(seed: int):
    from sklearn.ensemble import RandomForestRegressor

    return RandomForestRegressor(random_state=seed)


def _gradient_boosting(seed: int):
    from sklearn.ensemble import GradientBoostingRegressor

    return GradientBoostingRegressor(random_state=seed)


def _xgboost(seed: int):
    from xgboost import XGBRegressor

    # n_jobs left at xgboost's default, as the original project did.
    return XGBRegressor(random_state=seed)


def _catboost(seed: int):
    from catboost import CatBoostRegressor

    # allow_writing_files=False: no catboost_info/ folder in the working directory.
    return CatBoostRegressor(
        verbose=False, thread_count=1, random_seed=seed, allow_writing_files=False
    )


def _adaboost(seed: int):
    from sklearn.ensemble import AdaBoostRegressor

    return AdaBoostRegressor(random_state=seed)


def _knn(seed: int):
    from sklearn.neighbors import KNeighborsRegressor

    return KNeighborsRegressor()


STAGES = {"n_trees": "n_estimators", "trees": "n_estimators", "rounds": "n_estimators"}

FAMILIES: dict[str, FamilySpec] = {
    "linear_regression": FamilySpec(_linear_regression),
    "ridge": FamilySpec(_ridge, {"lambda": "alpha", "l2": "alpha"}),
    "lasso": FamilySpec(_lasso, {"lambda": "alpha", "l1": "alpha"}),
    "decision_tree": FamilySpec(_decision_tree),
    "random_forest": FamilySpec(
        _random_forest, {**STAGES, "mtry": "max_features", "m": "max_features"}
    ),
    "gradient_boosting": FamilySpec(
        _gradient_boosting, {**STAGES, "eta": "learning_rate", "shrinkage": "learning_rate"}
    ),
    "xgboost": FamilySpec(
        _xgboost,
        {
            **STAGES,
            "eta": "learning_rate",
            "lambda": "reg_lambda",
            "alpha": "reg_alpha",
            "colsample": "colsample_bytree",
        },
    ),
    "catboost": FamilySpec(
        _catboost,
        {
            "n_estimators": "iterations",
            "max_depth": "depth",
            "eta": "learning_rate",
            "l2_reg": "l2_leaf_reg",
            "reg_lambda": "l2_leaf_reg",
            **{k: "iterations" for k in STAGES},
        },
    ),
    "adaboost": FamilySpec(_adaboost, {**STAGES}),
    "knn": FamilySpec(_knn, {"k": "n_neighbors", "neighbors": "n_neighbors"}),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def estimator_params(estimator) -> set[str]:
    """Every parameter the estimator's constructor takes."""
    names = set(inspect.signature(type(estimator).__init__).parameters) - {"self", "kwargs"}
    try:
        names |= set(estimator.get_params(deep=False))
    except Exception:  # noqa: BLE001 - some wrappers only know what was set
        pass
    return names


def to_python(value):
    """A TOML grid value as the estimator wants it ("none" means None, as in the trainer)."""
    if isinstance(value, str) and value.lower() in ("none", "null"):
        return None
    return value


def map_grid(family: str, spec: FamilySpec, grid: dict, estimator):
    """Our grid -> a GridSearchCV param_grid on the pipeline's "model" step.

    Returns (param_grid, reverse name map, skipped parameter names)."""
    known = estimator_params(estimator)
    param_grid: dict[str, list] = {}
    reverse: dict[str, str] = {}
    skipped: list[str] = []
    for ours, values in grid.items():
        theirs = spec.aliases.get(ours, ours)
        if theirs not in known:
            skipped.append(ours)
            continue
        if not isinstance(values, list):
            values = [values]
        param_grid[f"model__{theirs}"] = [to_python(v) for v in values]
        reverse[theirs] = ours
    return param_grid, reverse, skipped


def jsonable(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def preprocessor(numeric_columns: list[str]) -> ColumnTransformer:
    numeric = Pipeline(
        [("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]
    )
    categorical = Pipeline(
        [
            ("imputer", SimpleImputer(strategy="most_frequent")),
            ("one_hot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    return ColumnTransformer(
        [("num", numeric, numeric_columns), ("cat", categorical, CATEGORICAL)]
    )


def load(data_path: str, report: dict):
    target = report.get("target", "math_score")
    df = pd.read_csv(data_path, keep_default_na=False, na_values=[""], dtype=str)
    for col in SCORES:
        df[col] = pd.to_numeric(df[col])
    n = len(df)
    rows = report["data"]["rows"]
    if n != rows:
        raise SystemExit(f"{data_path} has {n} data rows but the report was made from {rows}")
    test_rows = sorted(report["split"]["test_rows"])
    is_test = np.zeros(n, dtype=bool)
    is_test[test_rows] = True
    if target not in SCORES:
        raise SystemExit(f"target {target!r} is not one of {', '.join(SCORES)}")
    # The two other scores are the numeric features (reading and writing for math_score).
    numeric = [c for c in SCORES if c != target]
    features = CATEGORICAL + numeric
    x, y = df[features], df[target].astype(float)
    return target, numeric, x[~is_test], y[~is_test], x[is_test], y[is_test]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("scikit-learn", "numpy", "scipy", "pandas", "xgboost-cpu", "xgboost", "catboost"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", required=True, help="the Rust run's report.json (its split)")
    ap.add_argument("--data", default="data/stud.csv")
    ap.add_argument("--grid", default="trainer/grids.toml")
    ap.add_argument("--only", action="append", default=[], help="search only this family")
    ap.add_argument("--out", help="write the figures as JSON here")
    args = ap.parse_args()

    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    # report.json holds a report per target; the benchmark trains the default one.
    report = report["reports"][0] if "reports" in report else report
    with open(args.grid, "rb") as f:
        grids = tomllib.load(f)

    target, numeric, x_train, y_train, x_test, y_test = load(args.data, report)
    folds = int(report.get("cv", {}).get("folds", 5))
    seed = int(report.get("cv", {}).get("seed", 42))
    cv = KFold(n_splits=folds, shuffle=True, random_state=seed)
    log(
        f"sklearn: {len(x_train)} training / {len(x_test)} test rows (the Rust split), "
        f"target {target}, {folds}-fold CV, seed {seed}"
    )

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    families_out, notes = [], []
    search_total = 0.0
    for family, grid in grids.items():
        if args.only and family not in args.only:
            continue
        spec = FAMILIES.get(family)
        if spec is None:
            note = f"{family}: no Python equivalent known; skipped"
            log(f"  NOTE {note}")
            notes.append(note)
            continue
        try:
            estimator = spec.make(seed)
        except ImportError as e:
            note = f"{family}: cannot import its estimator ({e}); skipped"
            log(f"  NOTE {note}")
            notes.append(note)
            continue
        param_grid, reverse, skipped = map_grid(family, spec, grid, estimator)
        for p in skipped:
            note = f"{family}: parameter {p!r} has no equivalent on {type(estimator).__name__}; searched without it"
            log(f"  NOTE {note}")
            notes.append(note)
        pipe = Pipeline([("pre", preprocessor(numeric)), ("model", estimator)])
        search = GridSearchCV(pipe, param_grid or [{}], cv=cv, scoring="r2", refit=True)
        points = math.prod(len(v) for v in param_grid.values()) if param_grid else 1
        log(f"  {family}: {points} grid points x {folds} folds ...")
        t0 = time.perf_counter()
        try:
            search.fit(x_train, y_train)
        except Exception as e:  # noqa: BLE001 - one broken family must not end the benchmark
            seconds = time.perf_counter() - t0
            search_total += seconds
            note = f"{family}: search failed after {seconds:.1f}s: {type(e).__name__}: {e}"
            log(f"  ERROR {note}")
            notes.append(note)
            families_out.append({"family": family, "error": str(e), "fit_seconds": seconds})
            continue
        seconds = time.perf_counter() - t0
        search_total += seconds
        pred = search.predict(x_test)
        best = {
            reverse.get(k.removeprefix("model__"), k.removeprefix("model__")): jsonable(v)
            for k, v in search.best_params_.items()
        }
        i = search.best_index_
        row = {
            "family": family,
            "estimator": type(estimator).__name__,
            "best_params": best,
            "cv_r2_mean": float(search.best_score_),
            "cv_r2_std": float(search.cv_results_["std_test_score"][i]),
            "test_r2": float(r2_score(y_test, pred)),
            "test_mae": float(mean_absolute_error(y_test, pred)),
            "test_rmse": float(math.sqrt(mean_squared_error(y_test, pred))),
            "grid_points": points,
            "fits": points * folds + 1,
            "fit_seconds": seconds,
        }
        families_out.append(row)
        log(
            f"  {family}: CV R² {row['cv_r2_mean']:.4f}, test R² {row['test_r2']:.4f}, "
            f"{seconds:.2f}s, best {best}"
        )

    total = time.perf_counter() - _PROCESS_START
    result = {
        "tool": "sklearn GridSearchCV",
        "versions": versions(),
        "data": args.data,
        "report": args.report,
        "grid": args.grid,
        "target": target,
        "n_train": len(x_train),
        "n_test": len(x_test),
        "cv": {"folds": folds, "shuffle": True, "random_state": seed, "n_jobs": 1},
        "families": families_out,
        "notes": notes,
        "import_seconds": _IMPORT_SECONDS,
        "search_seconds": search_total,
        "total_seconds": total,
    }
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    log(f"sklearn: searches {search_total:.1f}s, process {total:.1f}s (imports {_IMPORT_SECONDS:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
