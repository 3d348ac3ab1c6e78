#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser).
# Installs it from apt when it is missing and we may; otherwise those tests
# skip and say why.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get)…"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && exit 0
fi
echo "Chromium is not installed (apt-get install chromium); the browser tests will be skipped."
exit 0
