/**
 * One pass over a JSON text that refuses what JSON.parse silently accepts: duplicate keys (the last one would win,
 * so `{"isAdmin":false,"isAdmin":true}` could slip past a reviewer's eye or a proxy's filter) and nesting deeper
 * than `maxDepth`. Returns a problem description, or null when the text is fine. Syntax errors are left to JSON.parse.
 */
export function findJsonStructureProblem(text: string, maxDepth: number): string | null {
  const stack: ({ kind: 'object'; keys: Set<string>; expectKey: boolean } | { kind: 'array' })[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = findStringEnd(text, i);
      if (end < 0) return null;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return null;
        }
        if (top.keys.has(key)) return `duplicate key "${key.slice(0, 40)}"`;
        // Prototype-pollution keys are never legitimate in our API.
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `forbidden key "${key}"`;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (ch === '{' || ch === '[') {
      if (stack.length >= maxDepth) return `nesting deeper than ${maxDepth} levels`;
      stack.push(ch === '{' ? { kind: 'object', keys: new Set(), expectKey: true } : { kind: 'array' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.expectKey = true;
    }
    i++;
  }
  return null;
}

function findStringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j;
  }
  return -1;
}
