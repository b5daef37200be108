/**
 * Cold first start (empty data dir: initdb, migrations, demo seed) and warm restart of
 * `congvu serve` on the embedded database, measured to the first 200 from /api/health.
 * Ceiling, measured in the same run: the embedded PostgreSQL alone (initdb + start for cold,
 * a restart for warm) — what any start must pay before CongVu's own work. The last line
 * reports the warm restart against its ceiling; the cold figures are printed above it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { freePort, startEmbedded } from '../apps/server/src/db/embedded.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'apps/server/bin/congvu.mjs');

async function timeServe(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const { DATABASE_URL: _external, ...env } = process.env;
  const child = spawn(process.execPath, [...heapArgs(), bin, 'serve', '--demo-if-empty'], {
    env: { ...env, CONGVU_DATA_DIR: dataDir, PORT: String(port), CONGVU_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`congvu serve exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 120_000) throw new Error('no health answer within 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    return (performance.now() - t0) / 1000;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The embedded PostgreSQL alone: fresh initdb + start (cold), then a restart (warm). */
async function timeBarePostgres(): Promise<{ cold: number; warm: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-pg-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user
  try {
    let t0 = performance.now();
    let s = await startEmbedded(path.join(dir, 'pg'));
    const cold = (performance.now() - t0) / 1000;
    await s.stop();
    t0 = performance.now();
    s = await startEmbedded(path.join(dir, 'pg'));
    const warm = (performance.now() - t0) / 1000;
    await s.stop();
    return { cold, warm };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cold: number[] = [];
const warm: number[] = [];
const bareCold: number[] = [];
const bareWarm: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user
  try {
    cold.push(await timeServe(dir));
    warm.push(await timeServe(dir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const b = await timeBarePostgres();
  bareCold.push(b.cold);
  bareWarm.push(b.warm);
}
const c = median(cold);
const w = median(warm);
const bc = median(bareCold);
const bw = median(bareWarm);
console.log(
  `cold first start (initdb + migrate + demo data): ${c.toFixed(2)} s; PostgreSQL alone: ${bc.toFixed(2)} s; ratio ${(c / bc).toFixed(2)}`,
);
console.log(`warm restart: ${w.toFixed(2)} s; PostgreSQL alone: ${bw.toFixed(2)} s (median of ${rounds})`);
console.log(`BENCH startup warm=${w.toFixed(2)}s ceiling=${bw.toFixed(2)}s ratio=${(w / bw).toFixed(2)}`);
