#!/usr/bin/env bash
# Headless Chromium for the Neo4j Browser end-to-end test (tests/browser/): Debian's `chromium` package.
# Idempotent and quick when it is already there; run by `make test` (CI runs as root). Playwright drives this
# binary directly (executable_path=/usr/bin/chromium), so `playwright install` is never needed.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium yourself (the browser test will be skipped)" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-chromium: not root and no password-less sudo; run 'apt-get install chromium' as root" \
         "(the browser test will be skipped)" >&2
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when apt does not know the package yet (e.g. a fresh container).
if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update -q
fi
if ! $SUDO apt-get install -y -q --no-install-recommends chromium fonts-liberation; then
  echo "install-chromium: apt-get could not install chromium (the browser test will be skipped)" >&2
  exit 0
fi
echo "install-chromium: installed $($CHROMIUM --version 2>/dev/null || echo chromium)"
