/**
 * The public dossier lookup under load (issue 7): GET /api/public/dossiers/:code?k= of the real app
 * in a child process (bench/support/dossiers-server.ts, pool of 10 and the per-client limit of 30
 * wrong guesses a minute as `congvu serve`, request logging off), over N seeded dossiers with 1–4
 * events each (1,000,000; 20,000 with --quick; any N with --n=), driven by autocannon for 30 s
 * (6 s with --quick) at 100 connections, each request for a random existing dossier with its
 * secret. Ceiling, in the same run on the same machine with the same load: a bare Fastify
 * hello-world in a child process (bench/support/hello-server.ts). The two alternate in slices (3 of
 * 10 s each; 2 of 3 s with --quick), so that the shared machine's slower and faster stretches fall
 * on both. Targets: ≥ 0.5 of the hello-world's requests/s, p99 ≤ 20 ms.
 * Runs on a fresh database: DATABASE_URL's server if set, else an embedded PostgreSQL.
 *
 *   npm run bench -- lookup [--quick] [--n=N]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createDb } from '../apps/server/src/db/pool.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { benchDatabase, seedCatalogue, seedDossiers } from './support/seed-dossiers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const nArg = process.argv.find((a) => a.startsWith('--n='));
const N = nArg ? Number(nArg.slice(4)) : quick ? 20_000 : 1_000_000;
const DURATION = quick ? 6 : 30;
const SLICES = quick ? 2 : 3;
const WARMUP = quick ? 1 : 3;
const CONNECTIONS = 100;
const SAMPLE = 10_000;

/** Starts a bench server child (tsx), resolves with its port and a stop function. */
async function startChild(script: string, env: Record<string, string>) {
  const child = spawn(
    path.join(here, '../node_modules/.bin/tsx'),
    [...(process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean), path.join(here, 'support', script)],
    {
      env: { ...process.env, ...env, NODE_OPTIONS: heapArgs().join(' ') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`${script} exited with ${c}`)));
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return {
    port: Number(first.split(' ')[1]),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.write('exit\n');
      await exited;
    },
  };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  statuses: Map<string, number>;
}

/** One autocannon run at CONNECTIONS connections for `seconds`. */
async function slice(
  port: number,
  nextPath: () => string,
  seconds: number,
): Promise<Load & { seconds: number }> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
  });
  return {
    seconds: r.duration,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statuses: new Map(Object.entries(r.statusCodeStats ?? {}).map(([c, v]) => [c, v?.count ?? 0] as const)),
  };
}

/**
 * Both servers under the same conditions: after a warm-up of each, SLICES rounds of
 * (lookup DURATION/SLICES s, then hello-world DURATION/SLICES s), so that a slower or faster
 * stretch of a shared machine falls on both alike. Per server: requests/s over its whole measured
 * time, the median of the slices' p50 and the worst slice's p99.
 */
async function alternate(targets: Array<{ port: number; nextPath: () => string }>): Promise<Load[]> {
  for (const t of targets) await slice(t.port, t.nextPath, WARMUP);
  const runs = targets.map(() => [] as Array<Load & { seconds: number }>);
  for (let i = 0; i < SLICES; i++)
    for (const [k, t] of targets.entries()) runs[k]!.push(await slice(t.port, t.nextPath, DURATION / SLICES));
  return runs.map((rs) => {
    const statuses = new Map<string, number>();
    for (const r of rs) for (const [c, n] of r.statuses) statuses.set(c, (statuses.get(c) ?? 0) + n);
    const p50s = rs.map((r) => r.p50).sort((x, y) => x - y);
    const requests = rs.reduce((n, r) => n + r.requests, 0);
    return {
      rps: requests / rs.reduce((n, r) => n + r.seconds, 0),
      p50: p50s[Math.floor(p50s.length / 2)]!,
      p99: Math.max(...rs.map((r) => r.p99)),
      requests,
      non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
      errors: rs.reduce((n, r) => n + r.errors, 0),
      statuses,
    };
  });
}

const bench = await benchDatabase('lookup');
const { db, pool } = createDb(bench.url, 4);
try {
  await migrate(pool);
  if (!bench.reused) {
    const config = loadConfig({
      DATABASE_URL: bench.url,
      CONGVU_DATA_DIR: bench.tmp,
      CONGVU_LOG_LEVEL: 'silent',
    });
    const { app, services } = await buildApp({ config, db, logger: false, dispatch: false });
    console.log(`lookup: seeding ${N.toLocaleString('en')} dossiers …`);
    const s0 = performance.now();
    await seedDemo(services.org, services.calendar, services.documents);
    await seedCatalogue(db);
    await seedDossiers(db, N, { events: true });
    await sql`VACUUM (ANALYZE) dossiers, dossier_events`.execute(db);
    console.log(`  seeded in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    await app.close();
  }
  // Codes of fewer than 8 characters (BENCH-1 … BENCH-9) are refused by the route's validation.
  const { rows } = await sql<{ code: string; lookup_secret: string }>`
    SELECT code, lookup_secret FROM dossiers WHERE length(code) >= 8 ORDER BY random() LIMIT ${SAMPLE}`.execute(
    db,
  );
  const paths = rows.map((r) => `/api/public/dossiers/${encodeURIComponent(r.code)}?k=${r.lookup_secret}`);
  const randomDossier = () => paths[Math.floor(Math.random() * paths.length)]!;

  const server = await startChild('dossiers-server.ts', {
    DATABASE_URL: bench.url,
    CONGVU_DATA_DIR: bench.tmp,
    CONGVU_LOG_LEVEL: 'silent',
    BENCH_POOL: '10',
    // The production limit (30 a minute): the lookup counts wrong guesses only, and the bench makes
    // one (the probe below), so its right lookups from one loopback address are never refused.
    BENCH_RATE_PER_MINUTE: '30',
  });
  const hello = await startChild('hello-server.ts', {});
  let lookup: Load;
  let ceiling: Load;
  try {
    const probe = await fetch(`http://127.0.0.1:${server.port}${paths[0]}`);
    if (probe.status !== 200) throw new Error(`lookup probe: ${probe.status} ${await probe.text()}`);
    const wrong = await fetch(
      `http://127.0.0.1:${server.port}${paths[0]!.replace(/k=.*/, `k=${'0'.repeat(32)}`)}`,
    );
    if (wrong.status !== 404) throw new Error(`wrong secret: ${wrong.status}, expected 404`);
    [lookup, ceiling] = (await alternate([
      { port: server.port, nextPath: randomDossier },
      { port: hello.port, nextPath: () => '/' },
    ])) as [Load, Load];
  } finally {
    await server.stop();
    await hello.stop();
  }
  for (const [name, r] of [
    ['lookup', lookup],
    ['hello-world', ceiling],
  ] as const) {
    const other = [...r.statuses].filter(([c]) => c !== '200');
    if (other.length)
      console.log(`  ${name}: statuses other than 200: ${other.map(([c, n]) => `${c} × ${n}`).join(', ')}`);
  }

  const row = (name: string, r: Load) =>
    `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} ${`${r.p50} ms`.padStart(8)} ${`${r.p99} ms`.padStart(8)} ` +
    `${r.requests.toLocaleString('en').padStart(10)} ${String(r.non2xx).padStart(6)} ${String(r.errors).padStart(6)}`;
  console.log(
    `${CONNECTIONS} connections, ${DURATION} s each in ${SLICES} alternating slices (after ${WARMUP} s of warm-up each), ${N.toLocaleString('en')} dossiers, ${paths.length.toLocaleString('en')} distinct lookups`,
  );
  console.log(
    `${'server'.padEnd(22)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'requests'.padStart(10)} ${'non2xx'.padStart(6)} ${'errors'.padStart(6)}`,
  );
  console.log(row('lookup API', lookup));
  console.log(row('Fastify hello-world', ceiling));
  if (lookup.non2xx || lookup.errors)
    throw new Error(`lookup answered ${lookup.non2xx} non-2xx and ${lookup.errors} errors`);
  const ratio = lookup.rps / ceiling.rps;
  console.log(
    `lookup p99=${lookup.p99}ms (target ≤ 20 ms); req/s ratio ${ratio.toFixed(2)} (target ≥ 0.5); hello-world p99=${ceiling.p99}ms`,
  );
  console.log(
    `BENCH lookup rps=${lookup.rps.toFixed(0)} ceiling=${ceiling.rps.toFixed(0)} ratio=${ratio.toFixed(2)}`,
  );
} finally {
  await db.destroy();
  await bench.stop();
}
