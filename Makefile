# The two commands the README starts with:
#   make serve   build the app and serve it on http://127.0.0.1:8080 (trunk serve)
#   make test    every check CI runs: format, lints, native tests, wasm tests in headless
#                Chromium, the release build and the browser end-to-end tests, and the hosting
#                lints (cfn-lint, actionlint + shellcheck)
# Each installs what it needs when missing (scripts/tools.sh) and skips what is there.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

DATA ?= data/stud.csv
SCHEMA ?= data/students.schema.json
TRAINER := target/release/trainer
PARITY := target/parity/test_split.json
EXTREMES := e2e/fixtures/extremes.csv
HOSTING_VENV := target/hosting-venv

.PHONY: help serve test build train data tools-web tools-all lint native-test assets-current \
        parity-cases wasm-test e2e deny trainer-bin bench-train bench-uci bench-quick bench-web wasm-size route-cost tools-hosting lint-hosting fuzz site site-uci e2e-hosting screenshots

help:
	@echo "make serve   build and serve the app on http://127.0.0.1:8080"
	@echo "make test    run every test (what CI runs)"
	@echo "make site DATA=your.csv [SCHEMA=your.schema.json] [SITE=folder]   a site for your own data"
	@echo "make train   retrain assets/model.json and assets/report.json from $(DATA)"
	@echo "make bench-train   time the trainer against the scikit-learn pipeline (same grids and split)"
	@echo "make bench-uci     our search on real students (UCI, Portuguese) against Cortez & Silva (2008)"
	@echo "make bench-web     load performance of the release build in headless Chromium"
	@echo "make wasm-size     the app's wasm by crate (twiggy), after make build"
	@echo "make route-cost    what each page adds to the first load (builds a copy of HEAD per page)"
	@echo "make e2e-hosting   the hosting suites alone (Static Web Apps CLI, S3 deploy on moto, offline)"
	@echo "make screenshots   the README's screenshots (e2e/screenshots/), from a release build"
	@echo "make fuzz    fuzz every reader of untrusted input (nightly; not part of make test)"
	@echo "make deny    the dependency policy: licenses, bans, sources (deny.toml; offline)"

serve: tools-web
	trunk serve

test: tools-all data lint deny lint-hosting native-test assets-current wasm-test build e2e
	@echo "make test: all checks passed"

tools-web:
	@scripts/tools.sh web

tools-all:
	@scripts/tools.sh all

tools-hosting:
	@scripts/tools.sh hosting

# The dataset is never committed: bring the shared copy in when it is beside the project.
# Any data/NAME.csv comes from ../shared/data/NAME.csv (stud.csv, student-por.csv).
data: $(DATA)
data/%.csv:
	@if [ -f ../shared/data/$*.csv ]; then mkdir -p $(dir $@) && cp ../shared/data/$*.csv $@ && echo "copied ../shared/data/$*.csv to $@"; \
	else echo "$@ is missing and ../shared/data/$*.csv is not there: see data/README.md" >&2; exit 1; fi

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# The dependency policy (deny.toml): licenses the project can ship, crates.io only, duplicate
# versions listed. These checks read Cargo.lock and the fetched crates: no network.
deny:
	@scripts/tools.sh deny
	cargo deny --offline --locked check licenses bans sources

# The hosting files with the clouds' own linters: cfn-lint (informational checks too) on the
# CloudFormation template, actionlint (running shellcheck on every `run:`) on the workflows, and
# shellcheck on the scripts. actionlint skips shellcheck silently when it cannot run it: a
# workflow with an unquoted variable must fail first.
ACTIONLINT := $(HOSTING_VENV)/bin/actionlint -shellcheck shellcheck
lint-hosting: tools-hosting
	$(HOSTING_VENV)/bin/cfn-lint --include-checks I -- hosting/cloudfront.json
	@if printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $$X\n' | \
	  $(ACTIONLINT) - >/dev/null; then echo "actionlint did not run shellcheck" >&2; exit 1; fi
	$(ACTIONLINT) .github/workflows/*.yml
	shellcheck scripts/*.sh .ci/run

native-test:
	cargo test --workspace --locked

trainer-bin:
	cargo build --release --locked -p trainer

train: data trainer-bin
	$(TRAINER) train --data $(DATA) --schema $(SCHEMA) --out assets

# A static site for another table, without touching the committed default: trains on DATA
# (with SCHEMA when given on the command line, else the trainer's own rule: a *.schema.json
# beside DATA naming it, or inference), keeps the model set and reports in $(SITE)-models and
# builds the site into $(SITE). E.g.
#   make site DATA=../shared/data/student-por.csv SCHEMA=data/uci-student.schema.json
SITE ?= target/site
site: tools-web trainer-bin
	scripts/site.sh "$(DATA)" "$(if $(filter command line environment,$(origin SCHEMA)),$(SCHEMA))" "$(SITE)"

# The second site the browser tests check (e2e/site-uci.test.mjs): the UCI Portuguese course
# with its dataset file, and the test-split students' native predictions for every model.
UCI_DATA := data/student-por.csv
UCI_SITE := target/site-uci
site-uci: tools-web trainer-bin $(UCI_DATA)
	scripts/site.sh $(UCI_DATA) data/uci-student.schema.json $(UCI_SITE)
	@mkdir -p target/parity-uci
	$(TRAINER) predict --model $(UCI_SITE)-models/model.json --input $(UCI_DATA) --rows-of $(UCI_SITE)-models/report.json --format json --all-models > target/parity-uci/test_split.json

# The committed model is the one the trainer produces from the real data: model.json byte for
# byte, report.json in everything but its measured timings.
assets-current: data trainer-bin
	$(TRAINER) train --data $(DATA) --schema $(SCHEMA) --out assets --check --quiet

# The test-split students with the native predictions: the wasm and browser tests compare to it.
parity-cases: data trainer-bin
	@mkdir -p $(dir $(PARITY))
	$(TRAINER) predict --model assets/model.json --input $(DATA) --rows-of assets/report.json --format json --all-models > $(PARITY)
	@# Extreme students (every score 0 or 100) with each model of the set, interval and raw
	@# estimate included: the page must show the same three numbers (e2e/targets.test.mjs).
	@for t in math_score reading_score writing_score; do \
	  $(TRAINER) predict --model assets/model.json --input $(EXTREMES) --target $$t --format json > $(dir $(PARITY))extremes-$$t.json; \
	  $(TRAINER) predict --model assets/model.json --input $(EXTREMES) --target $$t --unaware --format json > $(dir $(PARITY))extremes-$$t-unaware.json; \
	done

# The wasm lints run here: the parity test embeds the cases parity-cases writes.
wasm-test: parity-cases
	cargo clippy -p model -p app --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
	@# The release build's split points (app's `split` feature, which scripts/build-wasm.mjs
	@# builds with; the tests run without it: a wasm that is not split cannot load them).
	cargo clippy -p app --target wasm32-unknown-unknown --features split --locked -- -D warnings
	@# The trainer as a library for a browser's Web Worker: no rayon, no clap, no indicatif.
	cargo clippy -p trainer --lib --test web --target wasm32-unknown-unknown --no-default-features --locked -- -D warnings
	cargo test -p trainer --target wasm32-unknown-unknown --no-default-features --locked --test web
	cargo test -p model -p app --target wasm32-unknown-unknown --locked

build: tools-web
	trunk build --release

e2e: parity-cases site-uci
	node --test e2e/

# The README's screenshots (e2e/screenshots/, committed): the tests that lay the pages out at
# 1280 and 390 px write them only here, so a test run leaves the work tree as it was.
screenshots: build parity-cases
	SCREENSHOTS=1 node --test --test-name-pattern='screenshots|accessibility violations with curves' e2e/pages.test.mjs e2e/predict.test.mjs e2e/audit.test.mjs e2e/whatif.test.mjs

# The hosting suites alone (the clouds' own tools against the release build): the Static Web
# Apps CLI, its config schema, the S3 deploy against moto, the service worker's faults and the
# offline reload. `make test` runs them with the rest.
HOSTING_SUITES := e2e/hosting.test.mjs e2e/swa-config.test.mjs e2e/deploy-s3.test.mjs e2e/sw-faults.test.mjs e2e/offline.test.mjs
e2e-hosting: tools-all build
	node --test $(HOSTING_SUITES)

# The trainer against the scikit-learn/xgboost/catboost GridSearchCV pipeline (same grids, same
# split); venv in target/bench-venv, results in target/bench/summary.json.
bench-train: data
	scripts/bench-train.sh

# Our search on the UCI Student Performance data (Portuguese course, real students) against
# Cortez & Silva (2008), Table 5 (RMSE of G3, 20 x 10-fold CV) in its three input setups, with
# scikit-learn's random forest and gradient boosting on the same folds (bench/uci.py); venv in
# target/bench-venv, results in target/bench-uci/summary.json. BENCH_UCI_REPEATS=2 for a quick
# run (default 20: tens of minutes). Not part of `make test`.
# The quick preset (trainer/grids-quick.toml) against the full grids: time and CV R² per target.
bench-quick:
	scripts/bench-quick.sh

bench-uci:
	scripts/bench-uci.sh

# Cold-load bytes and time to the first prediction, per-prediction latency in the wasm, and
# batch times, as medians over fresh Chromium profiles (bench/web.mjs).
bench-web: tools-all build
	@scripts/tools.sh bench
	node bench/web.mjs

# What the app's wasm is made of, by crate (twiggy on the release build, which keeps names
# before wasm-bindgen and wasm-opt): `make build` first.
wasm-size:
	@scripts/tools.sh bench
	node scripts/wasm-size.mjs

# The first-load bytes each page's code costs: a release build of HEAD per dropped route.
route-cost: tools-web
	scripts/route-cost.sh

# cargo-fuzz (nightly) on every reader of untrusted input, 1,000,000 executions or 5 minutes
# per target, one target at a time; prints executions and coverage, minimises fuzz/corpus.
# Not part of `make test` or CI (time).
fuzz:
	@scripts/tools.sh fuzz
	scripts/fuzz.sh
