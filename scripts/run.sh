#!/usr/bin/env bash
# Set up .venv (first run, or when requirements.txt changed) and run the playground in
# development mode on http://${HOST:-127.0.0.1}:${PORT:-5000}.
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

ensure_venv requirements.txt

host=${HOST:-127.0.0.1}
port=${PORT:-5000}
export PINTRK_CONFIG=${PINTRK_CONFIG:-development}

# The Werkzeug debugger runs arbitrary code for whoever reaches it: only on loopback.
debug=()
case "$host" in
  127.0.0.1 | localhost | ::1) debug=(--debug) ;;
  *) echo "HOST=$host is not loopback: running without the debugger." ;;
esac

exec .venv/bin/flask --app app:create_app run ${debug[@]+"${debug[@]}"} --host "$host" --port "$port"
