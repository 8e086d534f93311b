#!/usr/bin/env bash
# Set up .venv with the test requirements and the browser tests' Node packages (axe-core),
# make sure Debian's chromium is there for the browser tests, then run pytest with this
# script's arguments and exit with its status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_venv() {  # $1: requirements file; reinstall only when it (or requirements.txt) changed
  local req=$1 stamp=".venv/.$1.sha256" hash
  [[ -x .venv/bin/python ]] || python3 -m venv .venv
  hash=$(cat requirements.txt "$req" | sha256sum | cut -d' ' -f1)
  if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]]; then
    echo "Installing $req into .venv ..."
    .venv/bin/python -m pip install -q -r "$req"
    echo "$hash" >"$stamp"
  fi
}

ensure_venv requirements-test.txt

ensure_node_packages() {  # the browser tests' Node packages (axe-core): `npm ci` only when the lock changed
  local dir=tests/browser/node hash
  local stamp="$dir/node_modules/.package-lock.sha256"  # inside node_modules: gone with it
  hash=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
  [[ "$(cat "$stamp" 2>/dev/null || true)" == "$hash" ]] && return
  if ! command -v npm >/dev/null; then
    # The accessibility tests then skip with this reason, or fail in CI (CI=true).
    echo "npm is missing: the accessibility tests need axe-core (install Node.js 20 with npm)." >&2
    return
  fi
  echo "Installing the browser tests' Node packages (npm ci in $dir) ..."
  npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  echo "$hash" >"$stamp"
}

ensure_node_packages

# Playwright drives Debian's chromium (`playwright install` cannot download a browser here).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "Installing Debian's chromium for the browser tests (apt-get) ..."
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  ${sudo[@]+"${sudo[@]}"} apt-get update -qq
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

exec .venv/bin/python -m pytest "$@"
