/**
 * Vectra in its own formats, for the vector table of `npm run bench`: one process per format so
 * that its load time and peak RSS are its own.
 *   tsx scripts/bench-vectra.ts protobuf|json <dir> <count> [dims=384]
 * Writes `count` deterministic random unit vectors through Vectra's LocalIndex with the codec,
 * then, in a second LocalIndex, times the load (the first queryItems call reads the file) and
 * queryItems (top 100). Prints one JSON line.
 */
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../src/random.js';
import { summary } from './lib/stats.js';

const [format, dir, countArg, dimsArg] = process.argv.slice(2);
if ((format !== 'protobuf' && format !== 'json') || !dir || !countArg) throw new Error('usage: bench-vectra protobuf|json <dir> <count> [dims]');
const count = Number(countArg);
const dims = Number(dimsArg ?? 384);

const importStart = performance.now();
const vectra = await import('vectra');
const importMs = performance.now() - importStart;
const codec = () => (format === 'protobuf' ? new vectra.ProtobufCodec() : new vectra.JsonCodec());
const folder = path.join(dir, `vectra-${format}`);
rmSync(folder, { recursive: true, force: true });

const rand = mulberry32(11);
const unitVector = () => {
  const v = Array.from({ length: dims }, () => rand() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

const result: Record<string, unknown> = { format, count, dims, importMs };
try {
  const writer = new vectra.LocalIndex(folder, undefined, undefined, codec());
  await writer.createIndex({ version: 1 });
  const t0 = performance.now();
  const items = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, vector: unitVector(), metadata: {} }));
  await writer.batchInsertItems(items);
  result.writeMs = performance.now() - t0;
  result.fileMb = statSync(path.join(folder, writer.indexName)).size / 1e6;

  const reader = new vectra.LocalIndex(folder, undefined, undefined, codec());
  const query = unitVector();
  const t1 = performance.now();
  await reader.queryItems(query, '', 100);
  result.loadMs = performance.now() - t1;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await reader.queryItems(query, '', 100);
    times.push(performance.now() - t);
  }
  result.query = summary(times);
} catch (err) {
  result.error = (err as Error).message.slice(0, 200);
}
result.maxRssMb = process.resourceUsage().maxRSS / 1024;
rmSync(folder, { recursive: true, force: true });
console.log(JSON.stringify(result));
