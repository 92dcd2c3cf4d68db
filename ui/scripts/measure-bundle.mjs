// Prints the size of every built UI file and what the sign-in page loads (raw and gzip), from ui/dist.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = 'ui/dist';
const files = ['index.html', ...readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`)];
let first = { raw: 0, gz: 0 };
const html = readFileSync(join(dist, 'index.html'), 'utf8');
for (const f of files) {
  const data = readFileSync(join(dist, f));
  const gz = gzipSync(data, { level: 9 }).length;
  // The sign-in page loads index.html plus what it references directly; admin pages are separate lazy chunks.
  const initial = f === 'index.html' || html.includes(f);
  if (initial) first = { raw: first.raw + data.length, gz: first.gz + gz };
  console.log(`${f.padEnd(36)} ${String(data.length).padStart(8)} B  gzip ${String(gz).padStart(7)} B${initial ? '  (sign-in page)' : ''}`);
}
console.log(`sign-in page total: ${first.raw} B, gzip ${first.gz} B`);
