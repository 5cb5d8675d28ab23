// Prints the size of every built frontend asset, raw and gzip-compressed,
// and their totals (make bench runs it after npm run build). It prints
// figures only; it never fails on a size.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname, '../dist');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : name === '.gitkeep' ? [] : [p];
  });
}

const rows = files(dist).map((p) => {
  const data = readFileSync(p);
  return { file: relative(dist, p), raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
});
if (rows.length === 0) {
  console.error(`no built files in ${dist}: run npm run build first`);
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
console.log('frontend bundle size (dist):');
for (const r of rows.sort((a, b) => b.gzip - a.gzip)) {
  console.log(`  ${r.file.padEnd(36)} ${kb(r.raw)} raw ${kb(r.gzip)} gzip`);
}
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`  ${'total'.padEnd(36)} ${kb(total.raw)} raw ${kb(total.gzip)} gzip`);
console.log(`BenchmarkFrontendBundle\t1\t${total.gzip} gzip-bytes\t${total.raw} raw-bytes`);
