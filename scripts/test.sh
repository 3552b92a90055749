#!/usr/bin/env bash
# Runs every test: the pure core (cargo test, and a short pass of the
# hostile-input property tests), the browser shell in headless Chromium
# (wasm-bindgen-test), then the release bundle's size against its budget and
# the demo site end to end (Playwright). Ends with
# one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== core: cargo test"
cargo test --lib 2>&1 | tee -a "$log"
cargo test -p koekje-check 2>&1 | tee -a "$log"
PROPTEST_CASES=${PROPTEST_CASES:-1000} cargo test --test hostile_input 2>&1 | tee -a "$log"

echo "== shell: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

echo "== end to end: Playwright against the demo site"
bash scripts/build.sh
node scripts/size.mjs --check
echo "== config checker: node --test tests/check"
# node --test ends with "# pass N": counted below as "N passed".
node --test tests/check/ 2>&1 | tee -a "$log" | grep -E '^# (pass|fail)'
sed -i -E 's/^# pass ([0-9]+)$/\1 passed/' "$log"
npx playwright test 2>&1 | tee -a "$log"

# Every runner above passed (set -e and pipefail stop at the first failure).
passed=$(grep -oE '([0-9]+) passed' "$log" | awk '{ n += $1 } END { print n + 0 }')
echo "total: ${passed} passed, 0 failed"
