#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` builds it (prepare script).
import { runCli } from '../dist/cli/index.js';

process.exitCode = await runCli(process.argv.slice(2));
