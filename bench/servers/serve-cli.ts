// `gatehouse <command>` on the TypeScript sources (run with `node --import tsx`): the real CLI process a deployment runs,
// without a build. Only the exit code is set, so the process ends when nothing it opened is left running.
import { runCli } from '../../src/cli/index.js';

process.exitCode = await runCli(process.argv.slice(2));
