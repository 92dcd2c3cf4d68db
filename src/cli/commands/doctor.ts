import { loadConfig, redactUrl, type GatehouseConfig } from '../../config/index.js';
import { checkProvidersOnline, productionChecklist, readConfiguredDatabase, startupProblems } from '../../preflight/index.js';
import { GATEHOUSE_VERSION } from '../../shared/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';

/** One finding: FAIL = production would not start with it; WARN = it starts, but something will not work. */
interface Finding {
  level: 'FAIL' | 'WARN';
  message: string;
  fix: string;
}

/** How to meet each production checklist item (the checklist says what is wrong; this says what to do). */
const CHECKLIST_FIX: Record<string, string> = {
  'signing-keys': 'Generate a key pair (`gatehouse keys generate`) and set RSA_PRIVATE_KEY_FILE_PATH / RSA_PUBLIC_KEY_FILE_PATH.',
  'https': 'Set GATEHOUSE_PUBLIC_URL to the https address people use (TLS at the proxy or ingress).',
  'encryption-key': 'Set GATEHOUSE_ENCRYPTION_KEY to `openssl rand -base64 32`, the same on every instance.',
  'bootstrap-admin': 'Sign in as that administrator once and change the initial password (or `gatehouse admin set-password`).',
};

const jwksUrlOf = (config: GatehouseConfig) => `${config.server.publicUrl}/api/v1/system/config/jwks`;

/** Our own JWKS as clients will fetch it (through the public URL), and whether bearer checks trust it. */
async function ownJwksFindings(config: GatehouseConfig, io: CliIo): Promise<Finding[]> {
  const url = jwksUrlOf(config);
  const findings: Finding[] = [];
  if (!config.authentication.publicKeyUrls.includes(url)) {
    findings.push({
      level: 'WARN', message: `AUTHENTICATION_PUBLIC_KEYS does not include Gatehouse's own JWKS (${url}): tokens Gatehouse signs are refused as bearer tokens.`,
      fix: `Add ${url} to AUTHENTICATION_PUBLIC_KEYS (next to the provider's JWKS URL).`,
    });
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
    const body = (await response.json().catch(() => ({}))) as { keys?: { kid?: string }[] };
    const kids = (body.keys ?? []).map((k) => k.kid ?? '?');
    if (response.status === 200 && kids.length > 0) io.out(`OK    Own JWKS reachable at ${url}: key ids [${kids.join(', ')}]`);
    else findings.push({ level: 'WARN', message: `Own JWKS at ${url} answered ${response.status} with ${kids.length} key(s).`, fix: 'Check that the public URL reaches this Gatehouse (proxy routes, path prefix).' });
  } catch (error) {
    findings.push({
      level: 'WARN', message: `Own JWKS at ${url} is not reachable from here (${error instanceof Error ? error.message : String(error)}).`,
      fix: 'Start Gatehouse (`gatehouse serve`) and make GATEHOUSE_PUBLIC_URL reach it from where clients and the platform run.',
    });
  }
  return findings;
}

/**
 * `gatehouse doctor`: the diagnostics page's checks from the command line, against a live configuration: what serve
 * refuses (read-only), the production checklist, each provider (discovery, JWKS, clock skew), our own JWKS. Each
 * finding comes with its fix. Exit 0 when production would start with this configuration, 1 when not.
 */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check a live configuration as production would: every finding with its fix (exit 1 if production would not start)',
  usage: 'gatehouse doctor [--config gatehouse.yaml]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const result = loadConfig({ env: io.env, file: values.config, version: GATEHOUSE_VERSION });
    if (!result.ok) {
      for (const problem of result.problems) io.out(`FAIL  ${problem}\n      fix: see docs/configuration.md`);
      io.err(`Production would not start: the configuration has ${result.problems.length} problem(s).`);
      return 1;
    }
    const config = result.config;
    const findings: Finding[] = [];
    const { facts, unreachable } = await readConfiguredDatabase(config);
    if (unreachable) findings.push({ level: 'FAIL', message: `The database ${redactUrl(config.database.url)} cannot be reached: ${unreachable}.`, fix: 'Check DATABASE_URL, the network and the database server.' });
    const refused = await startupProblems(facts);
    for (const p of refused) findings.push({ level: 'FAIL', message: p.message, fix: 'As the message says: serve refuses to start until it is fixed.' });
    // Development configurations are judged as production would judge them: that is the question doctor answers.
    for (const item of await productionChecklist(facts)) {
      if (item.ok) io.out(`OK    ${item.message}`);
      else if (!refused.some((p) => p.check === item.id)) findings.push({ level: 'FAIL', message: item.message, fix: CHECKLIST_FIX[item.id] ?? 'See docs/deployment.md.' });
    }
    if (config.authentication.providers.length > 0 && !refused.some((p) => p.check === 'providers')) {
      const { probes, problems } = await checkProvidersOnline(config);
      for (const p of probes) if (p.discovery.ok) io.out(`OK    Provider ${p.id}: discovery, JWKS key ids [${p.jwksKids.join(', ')}], clock skew ${p.clockSkewSeconds ?? 'unknown'} s`);
      // Serve starts without its providers (they are discovered at first use), but nobody could sign in with them.
      for (const problem of problems) findings.push({ level: 'WARN', message: problem, fix: 'The message names the fix; docs/onelogin.md covers OneLogin settings.' });
    }
    findings.push(...(await ownJwksFindings(config, io)));
    for (const f of findings) io.out(`${f.level}  ${f.message}\n      fix: ${f.fix}`);
    const failures = findings.filter((f) => f.level === 'FAIL').length;
    if (failures > 0) {
      io.err(`Production would not start with this configuration: ${failures} finding(s) marked FAIL.`);
      return 1;
    }
    io.out(`# Production would start with this configuration${findings.length ? `; ${findings.length} warning(s) above` : ''}.`);
    return 0;
  },
};
