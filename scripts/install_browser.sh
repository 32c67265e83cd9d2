#!/usr/bin/env bash
# Install Debian's chromium and a Chinese font for the end-to-end tests, and poppler-utils
# (pdftoppm: tests/e2e/test_print.py turns the printed PDFs into PNGs to look at), once.
set -euo pipefail
# (grep without -q reads fc-list to its end: with -q it can exit first, and under pipefail the
# writer's SIGPIPE would make an installed font look missing and reinstall on every run)
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftoppm ] && fc-list : family 2>/dev/null | grep -i "wenquanyi\|wqy" >/dev/null; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null
