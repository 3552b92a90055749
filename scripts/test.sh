#!/usr/bin/env bash
# Runs every test: the pure core (cargo test, and a short pass of the
# hostile-input property tests), the browser shell in headless Chromium
# (wasm-bindgen-test), the consent-log receiver (SQLite and PostgreSQL), the
# config schema against the validator, then the release bundle's size
# against its budget, the demo site end to end (Playwright) and the npm
# package in a scratch app. Ends with one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs node's test runner on a folder; its "# pass N" becomes "N passed"
# for the summary below.
node_tests() {
  local out
  out=$(mktemp)
  node --test --test-reporter=tap "$1" 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]}
  grep -E '^# pass [0-9]+' "$out" | awk '{ print $3 " passed" }' | tee -a "$log"
  rm -f "$out"
  return "$status"
}

echo "== core: cargo test"
cargo test --lib 2>&1 | tee -a "$log"
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

echo "== consent-log receiver: the real binary over HTTP, on SQLite and a throwaway PostgreSQL"
bash scripts/test-log.sh 2>&1 | tee -a "$log"

echo "== the config's JSON Schema against the same corpus (node --test)"
cargo test --test config_schema_agreement 2>&1 | tee -a "$log"
node_tests tests/config/

echo "== end to end: Playwright against the demo site"
bash scripts/build.sh
node scripts/size.mjs --check
npx playwright test 2>&1 | tee -a "$log"

echo "== the npm package: packed, installed in a scratch app, built with Vite, run in Chromium"
node_tests tests/package/

# Every runner above passed (set -e and pipefail stop at the first failure).
passed=$(grep -oE '([0-9]+) passed' "$log" | awk '{ n += $1 } END { print n + 0 }')
echo "total: ${passed} passed, 0 failed"
