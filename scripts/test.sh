#!/usr/bin/env bash
# Runs every test: the pure core (cargo test, and a short pass of the
# hostile-input property tests), the browser shell (wasm-bindgen-test) in
# headless Chromium, Firefox and WebKit, the consent-log receiver (SQLite and
# PostgreSQL), the config schema against the validator, then the release
# bundle's size against its budget, the demo site end to end in Chromium
# (Playwright), the visitor's journey in Firefox and WebKit
# (selenium-webdriver under node --test) and the npm package in a scratch
# app. Ends with one summary line: "total: N passed, 0 failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
xvfb_pid=""
trap 'rm -f "$log"; [[ -z $xvfb_pid ]] || kill "$xvfb_pid"' EXIT

# Runs node's test runner on a folder; its "# pass N" becomes "N passed"
# for the summary below.
node_tests() {
  local out
  out=$(mktemp)
  # One file at a time: WebKitWebDriver drives one session at a time.
  node --test --test-concurrency=1 --test-reporter=tap "$1" 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]}
  grep -E '^# pass [0-9]+' "$out" | awk '{ print $3 " passed" }' | tee -a "$log"
  rm -f "$out"
  return "$status"
}

echo "== style: cargo fmt, and cargo clippy with warnings as errors, over the workspace"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --features standalone,loaded-texts -- -D warnings
cargo clippy --target wasm32-unknown-unknown --test browser -- -D warnings

echo "== core: cargo test"
cargo test --lib 2>&1 | tee -a "$log"
cargo test -p koekje-check 2>&1 | tee -a "$log"
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input 2>&1 | tee -a "$log"
# The contracts written out in JS, the types and the README, held to their one definition.
cargo test --test contracts 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

geckodriver=$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")
# WebKitGTK's MiniBrowser needs a display: an Xvfb of our own, on the first
# free display number (it writes the number to fd 3), for both WebKit runs.
display=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$display" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s $display ]] && break; sleep 0.1; done
[[ -s $display ]] || { echo "test.sh: Xvfb did not start" >&2; exit 1; }
webkit_display=:$(cat "$display")
rm -f "$display"

echo "== shell: wasm-bindgen-test in headless Firefox"
GECKODRIVER=$geckodriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/engines/webdriver-firefox.json WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in WebKit (WebKitGTK's MiniBrowser)"
# The runner speaks to WebKitWebDriver as to safaridriver; it sends no
# capabilities then, and WebKitWebDriver starts MiniBrowser by default.
SAFARIDRIVER=/usr/bin/WebKitWebDriver DISPLAY=$webkit_display WASM_BINDGEN_TEST_TIMEOUT=60 \
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

echo "== config checker: node --test tests/check (the checker wasm built above)"
node_tests tests/check/

echo "== end to end: the visitor's journey in Firefox and WebKit"
KOEKJE_ENGINES=firefox,webkit GECKODRIVER=$geckodriver DISPLAY=$webkit_display node_tests tests/engines/

echo "== the npm package: packed, installed in a scratch app, built with Vite, run in Chromium"
node_tests tests/package/

# Every runner above passed (set -e and pipefail stop at the first failure).
passed=$(grep -oE '([0-9]+) passed' "$log" | awk '{ n += $1 } END { print n + 0 }')
echo "total: ${passed} passed, 0 failed"
