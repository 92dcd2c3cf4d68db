import { stringify } from 'yaml';
import { loadConfig, redactConfig, redactUrl, type GatehouseConfig } from '../../config/index.js';
import { checkProvidersOnline, productionChecklist, readConfiguredDatabase, startupProblems } from '../../preflight/index.js';
import { GATEHOUSE_VERSION } from '../../shared/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';

/** Every reason serve would refuse this configuration (read-only), plus the providers' answers with --online. */
async function serveProblems(config: GatehouseConfig, online: boolean, io: CliIo): Promise<string[]> {
  const { facts, unreachable } = await readConfiguredDatabase(config);
  const problems: string[] = [];
  if (unreachable) {
    problems.push(`The database ${redactUrl(config.database.url)} (DATABASE_URL) cannot be reached: ${unreachable}. serve needs it; the checks below assume a new database.`);
  }
  if (facts.databaseNote) io.out(`# Note: the database could not be read (${facts.databaseNote}); checked as a new database.`);
  const refused = await startupProblems(facts);
  problems.push(...refused.map((p) => p.message));
  if (config.environment === 'production') {
    io.out('# Production checklist');
    for (const item of await productionChecklist(facts)) io.out(`#   ${item.ok ? 'OK ' : 'NO '} ${item.id}: ${item.message}`);
  }
  if (online && config.authentication.providers.length > 0) {
    // The registry refuses unusable provider settings; those are already listed.
    if (refused.some((p) => p.check === 'providers')) problems.push('The providers were not contacted (--online): fix their settings first.');
    else {
      const { probes, problems: found } = await checkProvidersOnline(config);
      for (const p of probes) {
        const skew = p.clockSkewSeconds === null ? 'unknown' : `${p.clockSkewSeconds} s`;
        io.out(`# Provider ${p.id}: discovery ${p.discovery.ok ? 'ok' : `FAILED (${p.discovery.error ?? 'INTERNAL'})`}, JWKS key ids [${p.jwksKids.join(', ')}], clock skew ${skew}`);
      }
      problems.push(...found);
    }
  }
  return problems;
}

/**
 * `gatehouse config check [--config file] [--online]`: runs every check `serve` runs before it listens, without
 * changing anything (no migration, no key, no account), so "OK" means serve will start. Exit 0 only then.
 */
export const configCheckCommand: CliCommand = {
  name: 'config check',
  summary: 'Check that serve would start with this configuration (--online: also reach the providers)',
  usage: 'gatehouse config check [--config gatehouse.yaml] [--online]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, online: { type: 'boolean' } });
    const result = loadConfig({ env: io.env, file: values.config, version: GATEHOUSE_VERSION });
    if (!result.ok) {
      io.err(`The configuration has ${result.problems.length} problem(s):`);
      for (const problem of result.problems) io.err(`  - ${problem}`);
      return 1;
    }
    io.out('# Effective configuration (secrets shown as ***)');
    io.out(stringify(redactConfig(result.config)).trimEnd());
    const problems = await serveProblems(result.config, values.online === true, io);
    if (problems.length > 0) {
      io.err(`serve would refuse to start: ${problems.length} problem(s):`);
      for (const problem of problems) io.err(`  - ${problem}`);
      return 1;
    }
    io.out(`# OK: the configuration is valid and serve would start${values.online ? '; every provider answered' : ''}.`);
    return 0;
  },
};
