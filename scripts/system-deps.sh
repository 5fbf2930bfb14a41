#!/usr/bin/env bash
# Install the system programs the tests and demos use, when missing and possible:
# Graphviz's `dot` (rendering) and Debian's Chromium (the browser test).
set -u
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
((${#missing[@]})) || exit 0
if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} missing; install with 'sudo apt-get install ${missing[*]}'" \
       "(macOS: 'brew install graphviz'); tests that need them are skipped" >&2
fi
exit 0
