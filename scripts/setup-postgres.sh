#!/usr/bin/env bash
# Installs Debian's PostgreSQL (server binaries only; no cluster is started)
# when neither pg_ctl on the PATH nor /usr/lib/postgresql/*/bin/pg_ctl exists.
# The consent-log tests and benchmark start their own throwaway server.
set -euo pipefail
if command -v pg_ctl >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  exit 0
fi
echo "setup: installing PostgreSQL from Debian (for the consent-log tests)"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
