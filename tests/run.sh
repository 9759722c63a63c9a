#!/usr/bin/env bash
# The test command of the README: installs what the suite needs on a fresh machine, then runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

# Browser tests drive Debian's chromium (playwright cannot download its own browser here);
# CJK fonts so the Chinese page renders in screenshots.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
      || echo "warning: could not install chromium/fonts-noto-cjk: browser tests will be skipped" >&2
  else
    echo "note: chromium or fonts-noto-cjk missing and not root: browser tests will be skipped" >&2
  fi
fi

.venv/bin/ruff check .
exec .venv/bin/pytest -q "$@"
