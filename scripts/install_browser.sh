#!/usr/bin/env bash
# Install Debian's chromium and a Chinese font for the end-to-end tests, once.
set -euo pipefail
# (grep without -q reads fc-list to its end: with -q it can exit first, and under pipefail the
# writer's SIGPIPE would make an installed font look missing and reinstall on every run)
if [ -x /usr/bin/chromium ] && fc-list : family 2>/dev/null | grep -i "wenquanyi\|wqy" >/dev/null; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
