const MAX_GROUPS = 500;
const MAX_GROUP_LENGTH = 256;

/**
 * Group names from a claim value. OneLogin sends groups as an array or as one semicolon-delimited string
 * ("Admins;Data Stewards"), depending on the parameter mapping; both give the same list. Trimmed, de-duplicated,
 * bounded (a hostile or misconfigured provider cannot make us store thousands of roles sources).
 */
export function normaliseGroups(value: unknown): string[] {
  let raw: unknown[];
  if (typeof value === 'string') raw = value.split(';');
  else if (Array.isArray(value)) raw = value;
  else return [];
  const out = new Set<string>();
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    const name = item.trim();
    if (name.length === 0 || name.length > MAX_GROUP_LENGTH) continue;
    out.add(name);
    if (out.size >= MAX_GROUPS) break;
  }
  return [...out];
}
