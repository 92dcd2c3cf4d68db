#!/usr/bin/env bash
# The former name of the Node.js 24 leg, kept for habits and old notes: the whole suite on Node.js 24 (or
# GATEHOUSE_NODE24_VERSION, e.g. 24.22.0) through scripts/test-on-node.sh.
set -euo pipefail
exec bash "$(dirname "$0")/test-on-node.sh" "${GATEHOUSE_NODE24_VERSION:-24}" all
