#!/usr/bin/env bash
# Installs the real tools the test suite drives: Chromium (HTML report),
# patch and git (diffs), Hugo, Jekyll with jekyll-redirect-from, GNU
# parallel (Debian), pre-commit (PyPI) and Hexo with its renderers (npm,
# into $MDMIGRATE_SITE_TOOLS, default /opt/mdmigrate-site-tools, where the
# tests look for node_modules). Idempotent: what is there is not installed
# again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need chromium chromium
need patch patch
need hugo hugo
need git git
need jekyll jekyll
need parallel parallel
need node nodejs
need npm npm
if ! dpkg -s ruby-jekyll-redirect-from >/dev/null 2>&1; then
  missing+=(ruby-jekyll-redirect-from)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-tools: apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "install-test-tools: pip install pre-commit"
  python3 -m pip install -q pre-commit
fi

prefix="${MDMIGRATE_SITE_TOOLS:-/opt/mdmigrate-site-tools}"
if ! cmp -s "$here/site-tools/package.json" "$prefix/package.json" \
   || [ ! -x "$prefix/node_modules/.bin/hexo" ]; then
  echo "install-test-tools: npm install (hexo) into $prefix"
  mkdir -p "$prefix"
  cp "$here/site-tools/package.json" "$prefix/package.json"
  (cd "$prefix" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
