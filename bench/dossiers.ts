/**
 * Dossiers at scale (issue 6): seeds N dossiers (1,000,000; 50,000 with --quick; any N with --n=)
 * received over 2025 across the demo agencies, two components each, with generate_series SQL; then
 * - the QĐ 766 index of the province for 2025 through the stats service (median of 3 runs),
 *   target ≤ 5 s (the ratio of the last line is time / 5 s);
 * - the export of every dossier to CSV and to XLSX through the real HTTP routes of a server in a
 *   child process (bench/support/dossiers-server.ts), each in a fresh child whose peak RSS
 *   (process.resourceUsage().maxRSS) is read after the download; targets ≤ 60 s and ≤ 300 MB each.
 * Runs on a fresh database: DATABASE_URL's server if set, else an embedded PostgreSQL.
 *
 *   npm run bench -- dossiers [--quick] [--n=N]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
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
const skipExport = process.argv.includes('--index-only');
const nArg = process.argv.find((a) => a.startsWith('--n='));
const N = nArg ? Number(nArg.slice(4)) : quick ? 50_000 : 1_000_000;
const PASSWORD = 'MatKhau-Bench-2026';

const bench = await benchDatabase('dossiers');
const { tmp, stop } = bench;
const reuse = bench.reused;
const url = bench.url;
const dbUrl = url;
const { db, pool } = createDb(dbUrl, 4);
await migrate(pool);
const config = loadConfig({ DATABASE_URL: dbUrl, CONGVU_DATA_DIR: tmp, CONGVU_LOG_LEVEL: 'silent' });
const { app, services } = await buildApp({ config, db, logger: false, dispatch: false });
if (!reuse) await seedDemo(services.org, services.calendar, services.documents);
if (!reuse)
  await services.org.createOfficial(
    { auth: null, ip: null },
    {
      username: 'bench.admin',
      fullName: 'Quản trị đo hiệu năng',
      password: PASSWORD,
      roles: [{ role: 'admin', agencyId: null }],
      memberships: [],
    },
  );

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Starts the server child; resolves with its port and a function asking its peak RSS. */
async function startServer(nodeOptions: string) {
  const child = spawn(
    path.join(here, '../node_modules/.bin/tsx'),
    [path.join(here, 'support/dossiers-server.ts')],
    {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        CONGVU_DATA_DIR: tmp,
        CONGVU_LOG_LEVEL: 'silent',
        NODE_OPTIONS: nodeOptions,
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: Array<(l: string) => void> = [];
  lines.on('line', (l) => waiting.shift()?.(l));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const port = Number((await next()).split(' ')[1]);
  return {
    port,
    async rssMb() {
      const p = next();
      child.stdin!.write('rss\n');
      return Number((await p).split(' ')[1]) / 1024;
    },
    async stop() {
      child.stdin!.write('exit\n');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Downloads one export through HTTP as a signed-in administrator; time, bytes, lines and the child's peak RSS. */
async function exportOnce(ext: 'csv' | 'xlsx', nodeOptions = '') {
  const server = await startServer(nodeOptions);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const idle = await server.rssMb();
    const t0 = performance.now();
    const res = await fetch(`${base}/api/dossiers/export.${ext}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`export.${ext}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (ext === 'csv') for (const b of chunk) if (b === 10) newlines++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      seconds,
      bytes,
      rows: ext === 'csv' ? newlines - 1 : null,
      peakMb: await server.rssMb(),
      idleMb: idle,
    };
  } finally {
    await server.stop();
  }
}

try {
  console.log(`dossiers: seeding ${N.toLocaleString('en')} dossiers (${2 * N} components) …`);
  const s0 = performance.now();
  if (!reuse) {
    await seedCatalogue(db);
    await seedDossiers(db, N);
    await sql`VACUUM (ANALYZE) dossiers`.execute(db);
    await sql`VACUUM (ANALYZE) dossier_components`.execute(db);
  }
  console.log(`  seeded in ${((performance.now() - s0) / 1000).toFixed(1)} s`);

  const times: number[] = [];
  let last: Awaited<ReturnType<typeof services.dossierStats.publicIndex>> | null = null;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = await services.dossierStats.publicIndex({ year: 2025 });
    times.push((performance.now() - t0) / 1000);
  }
  const index = median(times);
  console.log(
    `index766 province 2025: ${times.map((x) => `${x.toFixed(2)} s`).join(', ')} (median ${index.toFixed(2)} s); ` +
      `received ${last!.counts.received.toLocaleString('en')}, total ${last!.total} / ${last!.totalMax}`,
  );

  await app.close();
  // Each export twice: with the heap `congvu serve` runs with (apps/server/bin/heap.mjs, 512 MB
  // unless CONGVU_HEAP_MB says otherwise), then with V8's default limit (a few GB here; old-space
  // garbage is then collected lazily) for comparison.
  const served = heapArgs().join(' ');
  for (const [label, opts] of skipExport
    ? []
    : ([
        [`as congvu serve: ${served || 'NODE_OPTIONS heap'}`, served],
        ['V8 default heap', ''],
      ] as const)) {
    for (const ext of ['csv', 'xlsx'] as const) {
      const r = await exportOnce(ext, opts);
      console.log(
        `export.${ext} (${label}): ${r.seconds.toFixed(1)} s, ${(r.bytes / 1e6).toFixed(1)} MB` +
          `${r.rows === null ? '' : `, ${r.rows.toLocaleString('en')} rows`}, peak RSS ${r.peakMb.toFixed(0)} MB ` +
          `(after start ${r.idleMb.toFixed(0)} MB); targets ≤ 60 s, ≤ 300 MB`,
      );
    }
  }
  console.log(`BENCH dossiers index=${index.toFixed(2)}s ceiling=5 ratio=${(index / 5).toFixed(2)}`);
} finally {
  await db.destroy();
  await stop();
}
