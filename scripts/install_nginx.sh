#!/usr/bin/env bash
# Install Debian's nginx-light for `make cluster` and the cluster browser test, once.
# The package's service is not started: `make cluster` runs nginx in the foreground with
# its own configuration on 127.0.0.1 (deploy/cluster.py), nothing listens on port 80.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Keep the package's post-install from starting a system-wide nginx (the usual
# policy-rc.d switch, removed again if we put it there).
created=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  created=1
fi
cleanup() { if [ -n "$created" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null
