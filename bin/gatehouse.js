#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` builds it (prepare script).
import { runCli } from '../dist/cli/index.js';

const code = await runCli(process.argv.slice(2));
// A command that finished (or a refused start) ends the process now, even if a library left a handle open: a
// process that lingers after a failed start hides the failure from systemd and Kubernetes. A running server: undefined.
if (code !== undefined) process.exit(code);
