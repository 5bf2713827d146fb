#!/usr/bin/env bash
# Makes sure a Chromium for Playwright exists (Playwright's own download is not used).
set -euo pipefail
browser="${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from the distribution's packages..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found at $browser. Install it (e.g. 'sudo apt-get install chromium') or set PLAYWRIGHT_CHROMIUM_EXECUTABLE." >&2
exit 1
