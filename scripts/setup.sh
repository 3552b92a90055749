#!/usr/bin/env bash
# Installs what the build and tests need, skipping what is already there:
# the wasm32 target, the wasm-bindgen CLI at the version in Cargo.lock,
# Debian's Chromium and ChromeDriver, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$wanted" ]]; then
  say "installing wasm-bindgen-cli $wanted (have: ${have:-none}; takes a few minutes)"
  # Not --locked: the CLI's own lockfile pins versions the registry here may not serve.
  cargo install wasm-bindgen-cli --version "$wanted" --force
fi

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  say "installing Chromium and ChromeDriver from Debian"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi
