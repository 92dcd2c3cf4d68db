import { accessSync, constants } from 'node:fs';
import type { GatehouseConfig } from '../config/index.js';
import { GatehouseError } from '../errors/index.js';
import { audiencesFrom, returnHostsFrom, ruleProblems } from '../gateway/index.js';
import { checkProductionKeys, type KeyProblemKind } from '../keys/index.js';
import { defineProvider, providerProblems, type ProviderSettings } from '../sso/index.js';
import type { StartupFacts } from './startup-facts.js';

export type StartupCheck = 'signing-keys' | 'bootstrap-admin' | 'bootstrap-password' | 'providers' | 'role-mappings' | 'gateway-rules';

/** One reason `serve` refuses to start; `message` names the fix. */
export interface StartupProblem {
  readonly check: StartupCheck;
  /** True when only production refuses it (CONFIG_UNSAFE_FOR_PRODUCTION rather than CONFIG_INVALID). */
  readonly productionOnly: boolean;
  readonly message: string;
}

/** One line of the production checklist (diagnostics page, `config check`). */
export interface ChecklistItem {
  readonly id: string;
  readonly ok: boolean;
  readonly message: string;
}

// The key ring cannot sign with such files in any environment; the other key problems are refused in production only.
const REFUSED_EVERYWHERE: ReadonlySet<KeyProblemKind> = new Set(['unreadable', 'mismatch', 'conflict']);

/** The configured providers as the SSO module takes them (one conversion for the server and the checks). */
export function providerSettingsFrom(config: GatehouseConfig): ProviderSettings[] {
  return config.authentication.providers.map((p) =>
    defineProvider({ ...p, algorithms: [...p.algorithms], clockSkewSeconds: config.authentication.clockSkewSeconds }),
  );
}

function adminMessage(name: string): string {
  return `The bootstrap administrator "${name}" still has its initial password: run \`gatehouse admin set-password ${name}\`, or sign in once and change it, or delete the account once another administrator exists.`;
}

// Roles are data: a mapping to a role nobody created would silently grant nothing at every sign-in.
function roleMappingProblems(facts: StartupFacts): string[] {
  const problems: string[] = [];
  for (const provider of facts.config.authentication.providers) {
    for (const [group, roles] of Object.entries(provider.groupRoleMapping)) {
      for (const role of roles.filter((r) => !facts.roleNames.has(r))) {
        problems.push(`provider "${provider.id}": group "${group}" maps to the role "${role}", which does not exist (role names are case-sensitive; existing roles: ${[...facts.roleNames].sort().join(', ')}). Fix the mapping or create the role.`);
      }
    }
  }
  return problems;
}

// Checked here rather than when the file is read: the rules name roles, and roles are data (the database's and the defaults).
function gatewayProblems(facts: StartupFacts): string[] {
  const { gateway } = facts.config;
  return [
    ...ruleProblems(gateway.rules, facts.roleNames, gateway.caseInsensitiveHosts), ...returnHostsFrom(gateway.returnHosts).problems,
    ...audiencesFrom(gateway.audiences).problems,
  ];
}

/** Bootstrap admins are created from this file when it is set (and no password is); an unreadable one stops the start. */
function adminPasswordFileProblem(config: GatehouseConfig): string | null {
  const { adminPassword, adminPasswordFile } = config.bootstrap;
  if (!config.authentication.basic.enabled || adminPassword || !adminPasswordFile) return null;
  try {
    accessSync(adminPasswordFile, constants.R_OK);
    return null;
  } catch {
    return `GATEHOUSE_ADMIN_PASSWORD_FILE cannot be read: ${adminPasswordFile}`;
  }
}

async function keyProblems(facts: StartupFacts) {
  const { jwt } = facts.config;
  return checkProductionKeys({ privateKeyFile: jwt.privateKeyFile, publicKeyFile: jwt.publicKeyFile, keyId: jwt.keyId, keys: facts.storedKeys });
}

/**
 * Every reason `serve` refuses to start, beyond what loading the configuration already reports: provider settings,
 * group -> role mappings to roles that do not exist, gateway access rules (roles, prefixes, hosts, order) and return hosts, unusable key files, and in production the production checklist.
 * `serve` (Gatehouse.prepare) and `gatehouse config check` both call this, so their verdicts and messages agree.
 */
export async function startupProblems(facts: StartupFacts): Promise<StartupProblem[]> {
  const production = facts.config.environment === 'production';
  const problems: StartupProblem[] = [
    ...providerSettingsFrom(facts.config).flatMap((p) => providerProblems(p, production)).map((message) => ({ check: 'providers' as const, productionOnly: false, message })),
    ...roleMappingProblems(facts).map((message) => ({ check: 'role-mappings' as const, productionOnly: false, message })),
    ...gatewayProblems(facts).map((message) => ({ check: 'gateway-rules' as const, productionOnly: false, message })),
  ];
  const passwordFile = adminPasswordFileProblem(facts.config);
  if (passwordFile) problems.push({ check: 'bootstrap-password', productionOnly: false, message: passwordFile });
  for (const key of await keyProblems(facts)) {
    const everywhere = REFUSED_EVERYWHERE.has(key.kind);
    if (everywhere || production) problems.push({ check: 'signing-keys', productionOnly: !everywhere, message: key.message });
  }
  if (production) {
    for (const name of facts.initialPasswordAdmins) problems.push({ check: 'bootstrap-admin', productionOnly: true, message: adminMessage(name) });
  }
  return problems;
}

/** The error `serve` stops with: every problem listed, production-only ones under CONFIG_UNSAFE_FOR_PRODUCTION. */
export function startupRefusal(problems: readonly StartupProblem[]): GatehouseError {
  const code = problems.every((p) => p.productionOnly) ? 'CONFIG_UNSAFE_FOR_PRODUCTION' : 'CONFIG_INVALID';
  return new GatehouseError(code, `\n  - ${problems.map((p) => p.message).join('\n  - ')}`);
}

/** The production checklist: what production requires, met or not, in any environment (diagnostics, config check). */
export async function productionChecklist(facts: StartupFacts): Promise<ChecklistItem[]> {
  const { config } = facts;
  const keys = (await keyProblems(facts)).map((p) => p.message);
  const https = config.server.publicUrl.startsWith('https://');
  const admins = facts.initialPasswordAdmins;
  return [
    { id: 'signing-keys', ok: keys.length === 0, message: keys.length === 0 ? 'Signing keys are your own (not development keys), 2048 bits or more.' : keys.join(' ') },
    { id: 'https', ok: https, message: https ? 'The public URL uses https.' : `The public URL ${config.server.publicUrl} is not https (GATEHOUSE_PUBLIC_URL).` },
    { id: 'encryption-key', ok: config.encryptionKey !== null, message: config.encryptionKey ? 'GATEHOUSE_ENCRYPTION_KEY is set.' : 'GATEHOUSE_ENCRYPTION_KEY is not set (a development key under the data folder is used).' },
    { id: 'bootstrap-admin', ok: admins.length === 0, message: admins.length === 0 ? 'No bootstrap administrator has its initial password.' : admins.map(adminMessage).join(' ') },
  ];
}
