/**
 * Child process of bench/dossiers.ts: the real app on loopback over DATABASE_URL, so that the
 * export's peak memory is measured in a process of its own. Prints `PORT <n>`; answers a line
 * `rss` on stdin with `RSS <peak resident set in KB>` (process.resourceUsage().maxRSS).
 * BENCH_POOL sets the pool size (4 unless set; `congvu serve` has 10) and BENCH_RATE_PER_MINUTE the
 * per-client limit of the public and sign-in routes (1000 unless set; bench/lookup.ts lifts it for
 * loopback load).
 */
import readline from 'node:readline';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createDb } from '../../apps/server/src/db/pool.ts';

const config = loadConfig({ ...process.env, CONGVU_LOG_LEVEL: 'silent' });
const { db } = createDb(process.env.DATABASE_URL!, Number(process.env.BENCH_POOL ?? 4));
const { app } = await buildApp({
  config,
  db,
  logger: false,
  dispatch: false,
  loginRatePerMinute: Number(process.env.BENCH_RATE_PER_MINUTE ?? 1000),
});
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}`);
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() === 'rss') {
    const m = process.memoryUsage();
    console.log(
      `RSS ${process.resourceUsage().maxRSS} now=${Math.round(m.rss / 1e6)} heap=${Math.round(m.heapUsed / 1e6)} ext=${Math.round(m.external / 1e6)} ab=${Math.round(m.arrayBuffers / 1e6)}`,
    );
  }
  if (line.trim() === 'exit') {
    await app.close();
    await db.destroy();
    process.exit(0);
  }
});
