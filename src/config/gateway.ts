import { asList, oneOf, type Problems } from './coerce.js';
import type { RawSource } from './raw-source.js';
import { DEFAULTS } from './settings.js';
import type { GatewayConfig, GatewayRuleConfig } from './types.js';

const KEYS = new Set(['hosts', 'pathPrefix', 'methods', 'allow']);

function textList(value: unknown, where: string, problems: Problems): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return value.map((x: string) => x.trim());
  problems.add(`${where} must be a list of text values`);
  return undefined;
}

/**
 * Reads one rule's shape; what the values mean (prefix spelling, hosts, roles, order) is checked by the gateway module
 * at start-up (src/preflight), where the role names are known.
 */
function readRule(entry: unknown, index: number, file: string, problems: Problems): GatewayRuleConfig | null {
  const at = (field?: string) => `gateway.rules[${index}]${field ? `.${field}` : ''} in ${file}`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.add(`${at()} must be an object with pathPrefix and allow`);
    return null;
  }
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record).filter((k) => !KEYS.has(k))) problems.add(`${at()}: unknown field "${key}" (use hosts, pathPrefix, methods, allow)`);
  const pathPrefix = record['pathPrefix'];
  if (typeof pathPrefix !== 'string') problems.add(`${at('pathPrefix')} must be text, e.g. /api`);
  const allowValue = record['allow'];
  let allow: GatewayRuleConfig['allow'] | undefined;
  if (allowValue === undefined) problems.add(`${at('allow')} is required: public, authenticated or a list of roles`);
  else if (typeof allowValue === 'string') allow = allowValue;
  else allow = textList(allowValue, `${at('allow')} (public, authenticated or a list of roles)`, problems);
  const hosts = textList(record['hosts'], at('hosts'), problems);
  const methods = textList(record['methods'], at('methods'), problems);
  if (typeof pathPrefix !== 'string' || allow === undefined) return null;
  return { pathPrefix, allow, ...(hosts ? { hosts } : {}), ...(methods ? { methods } : {}) };
}

/** gateway.audiences (YAML only): host or *.domain -> the `aud` of the assertion for that upstream. */
function readAudiences(raw: RawSource, problems: Problems): { host: string; audience: string }[] {
  const map = raw.yamlValue('gateway.audiences');
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) {
    problems.add(`gateway.audiences in ${raw.fileLabel} must map hosts to audiences, e.g. { data.example.com: catalog-api }`);
    return [];
  }
  const entries: { host: string; audience: string }[] = [];
  for (const [host, audience] of Object.entries(map as Record<string, unknown>)) {
    if (typeof audience === 'string' && audience.trim() !== '') entries.push({ host: host.trim(), audience: audience.trim() });
    else problems.add(`gateway.audiences["${host}"] in ${raw.fileLabel} must be a non-empty text`);
  }
  return entries;
}

/** The gateway's settings: access rules (YAML only: gateway.rules), the default, return hosts and case-insensitive hosts. */
export function readGateway(raw: RawSource, problems: Problems): GatewayConfig {
  const list = raw.yamlValue('gateway.rules');
  const rules: GatewayRuleConfig[] = [];
  if (list !== undefined && list !== null && !Array.isArray(list)) problems.add(`gateway.rules in ${raw.fileLabel} must be a list of rules`);
  if (Array.isArray(list)) {
    list.forEach((entry: unknown, index) => {
      const rule = readRule(entry, index, raw.fileLabel, problems);
      if (rule) rules.push(rule);
    });
  }
  return {
    rules,
    default: oneOf(raw.get('gateway.default'), problems, ['deny', 'authenticated'] as const) ?? DEFAULTS['gateway.default'],
    returnHosts: asList(raw.get('gateway.returnHosts'), problems) ?? [...DEFAULTS['gateway.returnHosts']],
    caseInsensitiveHosts: asList(raw.get('gateway.caseInsensitiveHosts'), problems) ?? [...DEFAULTS['gateway.caseInsensitiveHosts']],
    audiences: readAudiences(raw, problems),
  };
}
