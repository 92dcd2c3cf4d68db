/**
 * Field readers for the dev IdP's YAML: each reads one field of an untrusted object, records a readable problem
 * (with the field's path) instead of throwing, so a newcomer sees every mistake in the file at once.
 */
export class FieldReader {
  readonly problems: string[] = [];

  /** The object at `path`, or undefined (with a problem) when it is not a plain mapping. */
  record(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.problems.push(`${path} must be a mapping (key: value lines)`);
    return undefined;
  }

  /** Typos such as `redirect_uri` would otherwise be ignored silently and surface later as a confusing refusal. */
  onlyKnownKeys(doc: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(doc)) {
      if (!known.includes(key)) this.problems.push(`${path}.${key} is not a known setting (known: ${known.join(', ')})`);
    }
  }

  text(doc: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = doc[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim().length > 0) return value;
    this.problems.push(`${path}.${key} must be a non-empty text`);
    return undefined;
  }

  requiredText(doc: Record<string, unknown>, key: string, path: string): string {
    const present = doc[key] !== undefined && doc[key] !== null;
    const value = this.text(doc, key, path);
    if (!present) this.problems.push(`${path}.${key} is required`);
    return value ?? '';
  }

  /** A list of non-empty texts; a missing list is empty. */
  texts(doc: Record<string, unknown>, key: string, path: string): string[] {
    const value = doc[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string' && v.trim().length > 0)) return [...value];
    this.problems.push(`${path}.${key} must be a list of non-empty texts`);
    return [];
  }

  /** Absolute http(s) URLs without fragment; plain http is fine here (development, loopback callers). */
  urls(doc: Record<string, unknown>, key: string, path: string): string[] {
    const list = this.texts(doc, key, path);
    list.forEach((url, i) => this.checkUrl(url, `${path}.${key}[${i}]`));
    return list;
  }

  url(doc: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = this.text(doc, key, path);
    if (value !== undefined) this.checkUrl(value, `${path}.${key}`);
    return value;
  }

  boolean(doc: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean {
    const value = doc[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problems.push(`${path}.${key} must be true or false`);
    return fallback;
  }

  oneOf<T extends string>(doc: Record<string, unknown>, key: string, path: string, allowed: readonly T[], fallback: T): T {
    const value = doc[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${path}.${key} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
    return fallback;
  }

  private checkUrl(value: string, path: string): void {
    const url = parseUrl(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) this.problems.push(`${path} must be an absolute http(s) URL; got ${JSON.stringify(value)}`);
    else if (url.hash) this.problems.push(`${path} must not have a #fragment`);
    else if (url.username || url.password) this.problems.push(`${path} must not contain a user name or password`);
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
