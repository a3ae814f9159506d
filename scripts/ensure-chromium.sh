#!/usr/bin/env bash
# The report test renders in Debian's chromium (driven by playwright-core). Install it when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and this is not root; the report browser test will be skipped" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium for the report test" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
