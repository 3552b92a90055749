#!/usr/bin/env bash
# Runs every test: the pure core (cargo test, and a short pass of the
# hostile-input property tests), the browser shell (wasm-bindgen-test) in
# headless Chromium, Firefox and WebKit, then the release bundle's size
# against its budget, the demo site end to end in Chromium (Playwright) and
# the visitor's journey in Firefox and WebKit (selenium-webdriver under
# node --test). WebKitGTK's MiniBrowser needs a display: Xvfb gives it one.
# Ends with one summary line: "total: N passed, 0 failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== core: cargo test"
cargo test --lib 2>&1 | tee -a "$log"
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

geckodriver=$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")
xvfb=(xvfb-run -a -s "-screen 0 1280x1024x24")

echo "== shell: wasm-bindgen-test in headless Firefox"
GECKODRIVER=$geckodriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/engines/webdriver-firefox.json WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in WebKit (WebKitGTK's MiniBrowser)"
# The runner speaks to WebKitWebDriver as to safaridriver; it sends no
# capabilities then, and WebKitWebDriver starts MiniBrowser by default.
SAFARIDRIVER=/usr/bin/WebKitWebDriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  "${xvfb[@]}" cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

echo "== end to end: Playwright against the demo site"
bash scripts/build.sh
node scripts/size.mjs --check
npx playwright test 2>&1 | tee -a "$log"

echo "== end to end: the visitor's journey in Firefox and WebKit"
KOEKJE_ENGINES=firefox,webkit GECKODRIVER=$geckodriver \
  "${xvfb[@]}" node --test --test-reporter=tap --test-concurrency=1 tests/engines/flows.test.mjs 2>&1 | tee -a "$log"

# Every runner above passed (set -e and pipefail stop at the first failure).
# Counted: cargo's and Playwright's "N passed", node --test's "# pass N".
passed=$( (grep -oE '([0-9]+) passed' "$log" | awk '{ print $1 }'; grep -E '^# pass [0-9]+$' "$log" | awk '{ print $3 }') |
  awk '{ n += $1 } END { print n + 0 }')
echo "total: ${passed} passed, 0 failed"
