#!/usr/bin/env bash
# Runs every test: the pure core (cargo test), the browser shell in headless
# Chromium (wasm-bindgen-test), then the demo site end to end (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== core: cargo test (unit tests, then a short pass of the hostile-input property tests)"
cargo test --lib
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input

echo "== shell: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser

echo "== end to end: Playwright against the demo site"
bash scripts/build.sh
npx playwright test
