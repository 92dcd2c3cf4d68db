const PROBE_ORIGIN = 'https://gatehouse.invalid';
const MAX_LENGTH = 2048;
// Control characters, including tab/CR/LF: browsers silently drop tabs and newlines, so "/\t/evil" becomes "//evil".
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True when a path, read by a browser or by a framework that decodes it, could leave the site. */
function looksOffSite(path: string): boolean {
  return path.startsWith('//') || path.startsWith('/\\') || path.includes('\\') || CONTROL.test(path);
}

/** Decodes percent-encoding until it stops changing (at most 3 rounds); undefined when malformed. */
function decodedForms(path: string): string[] | undefined {
  const forms = [path];
  let current = path;
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * The path to send the browser to after sign-in: only a same-origin path, else `fallback` ("/").
 * Refused: absolute and scheme URLs (https://evil, javascript:), protocol-relative forms (//evil, /\evil, \\evil),
 * their percent-encoded variants (%2F%2F, %5C, double encoding), control characters, and dot-segment tricks
 * (/..//evil normalises to //evil). The result is the normalised path, query and fragment, so what is checked is what
 * the browser will see.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  // Must be an absolute path on this site: a leading "/" and not a second "/" or "\" (that would name another host).
  if (!value.startsWith('/') || looksOffSite(value)) return fallback;
  const forms = decodedForms(value);
  if (!forms || forms.some(looksOffSite)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  const normalisedForms = decodedForms(url.pathname);
  if (!normalisedForms || normalisedForms.some(looksOffSite)) return fallback;
  return normalised;
}
