#!/usr/bin/env bash
# Installs what is missing, skipping what is already there.
#   scripts/setup.sh          what the build needs: the wasm32 target, the
#                             wasm-bindgen CLI at the version in Cargo.lock,
#                             and the npm packages.
#   scripts/setup.sh --chromium   also Debian's Chromium and ChromeDriver
#                             (Playwright, screenshots, bench).
#   scripts/setup.sh --test   also everything the tests drive: Chromium,
#                             Firefox ESR and geckodriver, WebKitGTK's
#                             WebKitWebDriver and MiniBrowser, and Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

# geckodriver has no Debian package (and npm's downloads a binary, which
# fails here): built from crates.io, about 6-9 minutes the first time.
GECKODRIVER_VERSION=0.36.0

say() { echo "setup: $*"; }
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"

# Debian packages whose file is missing, from "package:file" pairs.
missing_packages() {
  local pair
  for pair in "$@"; do [[ -e ${pair#*:} ]] || echo "${pair%%:*}"; done
}

# Installs Debian packages in the background (apt is mostly download, cargo
# mostly CPU); apt_wait waits for them.
apt_pid=""
apt_start() {
  (($# == 0)) && return 0
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing: $* (Debian package names; this script installs them with apt-get, which this system lacks: install them with its own package manager, then run this again)" >&2
    exit 1
  fi
  say "installing from Debian: $* (in the background)"
  [[ -z $sudo ]] || sudo -v # asks for the password here, not in the background
  ( $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ) &
  apt_pid=$!
}
apt_wait() {
  [[ -z $apt_pid ]] && return 0
  wait "$apt_pid" || { echo "setup: apt-get install failed" >&2; exit 1; }
  say "Debian packages installed"
}

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local wanted have
  wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [[ "$have" != "$wanted" ]]; then
    say "installing wasm-bindgen-cli $wanted (have: ${have:-none}; takes a few minutes)"
    # Not --locked: the CLI's own lockfile pins versions the registry here may not serve.
    cargo install wasm-bindgen-cli --version "$wanted" --force
  fi
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund
  fi
}

geckodriver_tool() {
  local have
  have=$( (geckodriver --version 2>/dev/null || ~/.cargo/bin/geckodriver --version 2>/dev/null || true) | awk 'NR == 1 {print $2}')
  if [[ "$have" != "$GECKODRIVER_VERSION" ]]; then
    say "installing geckodriver $GECKODRIVER_VERSION (have: ${have:-none}; takes several minutes)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --force
  fi
}

# rustfmt and clippy, for the style gate of npm test (rustup's default
# profile has them; a minimal one does not).
style_tools() {
  if ! cargo fmt --version >/dev/null 2>&1; then
    say "adding the rustfmt component"
    rustup component add rustfmt
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    say "adding the clippy component"
    rustup component add clippy
  fi
}

chromium=(chromium:/usr/bin/chromium chromium-driver:/usr/bin/chromedriver)
engines=(firefox-esr:/usr/bin/firefox-esr webkit2gtk-driver:/usr/bin/WebKitWebDriver xvfb:/usr/bin/Xvfb)

case "${1:-}" in
  "") build_tools ;;
  --chromium)
    apt_start $(missing_packages "${chromium[@]}")
    build_tools
    apt_wait ;;
  --test)
    apt_start $(missing_packages "${chromium[@]}" "${engines[@]}")
    build_tools
    style_tools
    geckodriver_tool
    apt_wait ;;
  *) echo "usage: scripts/setup.sh [--chromium | --test]" >&2; exit 2 ;;
esac
