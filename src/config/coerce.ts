import { isLoopbackHost, LOOPBACK_DESCRIPTION } from '../shared/index.js';
import type { RawValue } from './raw-source.js';

/** Collects every problem instead of stopping at the first one. */
export class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

export function asString(raw: RawValue | undefined, problems: Problems): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw.value === 'string') return raw.value;
  if (typeof raw.value === 'number' || typeof raw.value === 'boolean') return String(raw.value);
  problems.add(`${raw.source} must be text; got ${show(raw.value)}`);
  return undefined;
}

export function asInt(raw: RawValue | undefined, problems: Problems, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw.value === 'number' ? raw.value : typeof raw.value === 'string' ? Number(raw.value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.add(`${raw.source} must be a whole number from ${min} to ${max}; got ${show(raw.value)}`);
    return undefined;
  }
  return n;
}

export function asBool(raw: RawValue | undefined, problems: Problems): boolean | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw.value === 'boolean') return raw.value;
  const text = String(raw.value).toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(text)) return true;
  if (['false', 'no', '0', 'off'].includes(text)) return false;
  problems.add(`${raw.source} must be true or false; got ${show(raw.value)}`);
  return undefined;
}

/**
 * Lists as OpenMetadata writes them in the environment: `[a,b]`, `["a","b"]` (JSON) or `a,b`; YAML arrays as they are.
 */
export function asList(raw: RawValue | undefined, problems: Problems): string[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw.value)) {
    if (raw.value.every((x) => typeof x === 'string')) return raw.value.map((x: string) => x.trim()).filter(Boolean);
    problems.add(`${raw.source} must be a list of text values; got ${show(raw.value)}`);
    return undefined;
  }
  if (typeof raw.value !== 'string') {
    problems.add(`${raw.source} must be a list like [a,b]; got ${show(raw.value)}`);
    return undefined;
  }
  let text = raw.value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed.map((x: string) => x.trim()).filter(Boolean);
    } catch {
      // Not JSON: OpenMetadata's unquoted [a,b] form.
    }
    if (!text.endsWith(']')) {
      problems.add(`${raw.source} must be a list like [a,b]; got ${show(raw.value)}`);
      return undefined;
    }
    text = text.slice(1, -1);
  }
  return text
    .split(',')
    .map((x) => x.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);
}

export function asJsonObject(raw: RawValue | undefined, problems: Problems): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  let value = raw.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      problems.add(`${raw.source} must be a JSON object like {"key":"value"}; got ${show(raw.value)}`);
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(`${raw.source} must be an object; got ${show(raw.value)}`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

export function oneOf<T extends string>(
  raw: RawValue | undefined,
  problems: Problems,
  allowed: readonly T[],
): T | undefined {
  const text = asString(raw, problems);
  if (text === undefined || raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  problems.add(`${raw.source} must be one of ${allowed.join(', ')}; got ${show(text)}`);
  return undefined;
}

/** Checks an absolute URL; https is required unless loopback is allowed and the host is loopback. */
export function asUrl(
  raw: RawValue | undefined,
  problems: Problems,
  rule: { httpsRequired: boolean },
): string | undefined {
  const text = asString(raw, problems);
  if (text === undefined || raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.add(`${raw.source} must be an absolute URL such as https://example.com/path; got ${show(text)}`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add(`${raw.source} must be an http(s) URL; got ${show(text)}`);
    return undefined;
  }
  if (url.protocol === 'http:' && (rule.httpsRequired || !isLoopbackHost(url.hostname))) {
    problems.add(
      `${raw.source} must be an https URL${rule.httpsRequired ? ' in production' : ` (plain http is allowed only for loopback hosts: ${LOOPBACK_DESCRIPTION})`}; got ${show(text)}`,
    );
    return undefined;
  }
  if (url.username || url.password) {
    problems.add(`${raw.source} must not contain credentials; got a URL with a user name or password`);
    return undefined;
  }
  return text.replace(/\/+$/, '');
}
