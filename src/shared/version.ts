import { readFileSync } from 'node:fs';

/** Gatehouse's version from package.json (two levels up from both src/shared and dist/shared). */
export const GATEHOUSE_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
