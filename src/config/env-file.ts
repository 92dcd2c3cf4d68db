import { readFileSync } from 'node:fs';

/** Variables read from an environment file, and the lines that were skipped (as systemd skips them). */
export interface EnvFile {
  readonly env: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses an environment file with systemd's `EnvironmentFile=` rules, so `gatehouse --env-file` sees exactly what the
 * service will: one `NAME=value` per line; blank lines and lines starting with `#` or `;` are comments; an unquoted
 * value is the rest of the line (spaces kept, so `OIDC_SCOPE=openid email profile groups` is one value), trimmed;
 * a value that starts with `"…"` allows `\"`, `\\`, `\$` and `` \` `` escapes, `'…'` is literal, both may span lines
 * (quotes later in a value are plain characters, so JSON stays as written); a backslash at the end of a
 * line continues it. `$VAR` is not expanded and `#` after a value is part of it, as in systemd.
 */
export function parseEnvFile(text: string): EnvFile {
  const env: Record<string, string> = {};
  const warnings: string[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    // Leading whitespace, then a comment or blank line.
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '#' || text[i] === ';' || text[i] === '\n' || text[i] === '\r') {
      while (i < text.length && text[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    let key = '';
    while (i < text.length && text[i] !== '=' && text[i] !== '\n') key += text[i++];
    key = key.trim();
    if (text[i] !== '=') {
      if (key !== '') warnings.push(`line ${startLine}: no "=", ignored`);
      i++;
      line++;
      continue;
    }
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let value = '';
    // Unquoted characters are trimmed at the end of the line; quoted ones are kept as they are.
    let keptLength = 0;
    // Quotes are special only where a value (or a quoted part of it) starts: `{"a":"b"}` stays JSON, as in systemd.
    let atStart = true;
    while (i < text.length && text[i] !== '\n') {
      const c = text[i] as string;
      if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
        i += text[i + 1] === '\r' ? 3 : 2;
        line++;
      } else if (c === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        keptLength = value.length;
        atStart = false;
        i += 2;
      } else if (atStart && (c === '"' || c === "'")) {
        const close = c;
        i++;
        while (i < text.length && text[i] !== close) {
          if (text[i] === '\n') line++;
          if (close === '"' && text[i] === '\\' && i + 1 < text.length) {
            const next = text[i + 1] as string;
            if (next === '\n') line++;
            else value += '"\\$`'.includes(next) ? next : `\\${next}`;
            i += 2;
          } else value += text[i++];
        }
        if (i >= text.length) warnings.push(`line ${startLine}: unterminated ${close} quote`);
        i++;
        keptLength = value.length;
      } else {
        value += c;
        if (c !== ' ' && c !== '\t' && c !== '\r') keptLength = value.length;
        atStart = false;
        i++;
      }
    }
    i++;
    line++;
    if (!NAME.test(key)) {
      warnings.push(`line ${startLine}: "${key}" is not a valid variable name, ignored`);
      continue;
    }
    env[key] = value.slice(0, keptLength);
  }
  return { env, warnings };
}

/** Reads and parses an environment file (see parseEnvFile). */
export function loadEnvFile(path: string): EnvFile {
  return parseEnvFile(readFileSync(path, 'utf8'));
}
