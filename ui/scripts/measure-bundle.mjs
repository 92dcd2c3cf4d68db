// Prints the size (raw and gzip, as node's zlib compresses it) of every built UI file, and what the sign-in page
// downloads: index.html plus the files it references. Everything else is a lazy chunk loaded after sign-in.
// Run after a build: node ui/scripts/measure-bundle.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = ['index.html', ...readdirSync(join(dist, 'assets')).sort().map((f) => `assets/${f}`)];
const kb = (n) => `${(n / 1024).toFixed(1).padStart(6)} KB`;

const initial = { raw: 0, gzip: 0 };
const lazy = { raw: 0, gzip: 0 };
console.log(`${'file'.padEnd(40)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)}`);
for (const file of files) {
  const data = readFileSync(join(dist, file));
  const gzip = gzipSync(data, { level: 9 }).length;
  const onSignIn = file === 'index.html' || html.includes(`/${file}`);
  const total = onSignIn ? initial : lazy;
  total.raw += data.length;
  total.gzip += gzip;
  console.log(`${file.padEnd(40)} ${kb(data.length)} ${kb(gzip)}${onSignIn ? '  sign-in page' : ''}`);
}
console.log(`\nsign-in page (first load): ${kb(initial.raw).trim()} raw, ${kb(initial.gzip).trim()} gzip`);
console.log(`lazy chunks (after sign-in): ${kb(lazy.raw).trim()} raw, ${kb(lazy.gzip).trim()} gzip in total`);
