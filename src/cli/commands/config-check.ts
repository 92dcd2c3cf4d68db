import { stringify } from 'yaml';
import { loadConfig, redactConfig } from '../../config/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';

/** `gatehouse config check [--config file]`: validates without starting and prints the effective configuration. */
export const configCheckCommand: CliCommand = {
  name: 'config check',
  summary: 'Validate the configuration and print it with secrets redacted',
  usage: 'gatehouse config check [--config gatehouse.yaml]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const result = loadConfig({ env: io.env, file: values.config });
    if (!result.ok) {
      io.err(`The configuration has ${result.problems.length} problem(s):`);
      for (const problem of result.problems) io.err(`  - ${problem}`);
      return 1;
    }
    io.out('# Effective configuration (secrets shown as ***)');
    io.out(stringify(redactConfig(result.config)).trimEnd());
    io.out('# OK: the configuration is valid.');
    return 0;
  },
};
