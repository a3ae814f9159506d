#!/usr/bin/env bash
# Debian packages some tests use: chromium (the report rendered in a real browser, driven by
# playwright-core) and dataset-fashion-mnist (the Fashion-MNIST loader). Installed when missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "ensure-system-packages: missing ${missing[*]} and not root; the tests that need them will be skipped" >&2
  exit 0
fi
echo "ensure-system-packages: installing ${missing[*]}" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
