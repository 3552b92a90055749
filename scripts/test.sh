#!/usr/bin/env bash
# Runs every test: the pure core (cargo test, and a short pass of the
# hostile-input property tests), the browser shell (wasm-bindgen-test) in
# headless Chromium, Firefox and WebKit, then the release bundle's size
# against its budget, the demo site end to end in Chromium (Playwright) and
# the visitor's journey in Firefox and WebKit (selenium-webdriver under
# node --test).
# Ends with one summary line: "total: N passed, 0 failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
xvfb_pid=""
trap 'rm -f "$log"; [[ -z $xvfb_pid ]] || kill "$xvfb_pid"' EXIT

echo "== core: cargo test"
cargo test --lib 2>&1 | tee -a "$log"
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input 2>&1 | tee -a "$log"

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

echo "== end to end: Playwright against the demo site"
bash scripts/build.sh
node scripts/size.mjs --check
npx playwright test 2>&1 | tee -a "$log"

echo "== end to end: the visitor's journey in Firefox and WebKit"
KOEKJE_ENGINES=firefox,webkit GECKODRIVER=$geckodriver DISPLAY=$webkit_display \
  node --test --test-reporter=tap --test-concurrency=1 tests/engines/flows.test.mjs 2>&1 | tee -a "$log"

# Every runner above passed (set -e and pipefail stop at the first failure).
# Counted: cargo's and Playwright's "N passed", node --test's "# pass N".
passed=$( (grep -oE '([0-9]+) passed' "$log" | awk '{ print $1 }'; grep -E '^# pass [0-9]+$' "$log" | awk '{ print $3 }') |
  awk '{ n += $1 } END { print n + 0 }')
echo "total: ${passed} passed, 0 failed"
