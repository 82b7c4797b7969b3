#!/bin/bash
# Regenerates the console screenshots of the README (docs/console-*.png, desktop and phone width): the packaged
# channel on GreenMail with a few real conversations (ConsoleBrowserIT's seed), photographed in headless Chromium by
# src/test/console/screenshots.mjs. Needs Debian's chromium and Node (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd src/test/console && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
CONSOLE_SCREENSHOTS="$PWD/docs" mvn -B verify -Dit.test='ConsoleBrowserIT#screenshots' -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
ls -l docs/console-*.png
