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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { ensureDatabase, startEmbedded } from '../apps/server/src/db/embedded.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createDb } from '../apps/server/src/db/pool.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const skipExport = process.argv.includes('--index-only');
const nArg = process.argv.find((a) => a.startsWith('--n='));
const N = nArg ? Number(nArg.slice(4)) : quick ? 50_000 : 1_000_000;
const PASSWORD = 'MatKhau-Bench-2026';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-dossiers-'));
fs.chmodSync(tmp, 0o755);
let stop: (() => Promise<void>) | null = null;
let url = process.env.DATABASE_URL;
// BENCH_DB: a database a previous run kept (BENCH_KEEP_DB=1), already seeded: measure again only.
const reuse = process.env.BENCH_DB;
if (reuse) {
  url = reuse;
} else if (url) {
  const adminUrl = url;
  const u = new URL(url);
  const name = `congvu_bench_${Date.now().toString(36)}`;
  await ensureDatabase(url, name);
  if (!process.env.BENCH_KEEP_DB)
    stop = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  u.pathname = `/${name}`;
  url = u.toString();
} else {
  const s = await startEmbedded(path.join(tmp, 'pg'), { persistent: false });
  stop = s.stop;
  await ensureDatabase(s.url('postgres'), 'bench');
  url = s.url('bench');
}
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

/** 40 procedures (every third toàn trình, the rest with a counter channel only) shared by every agency. */
async function seedCatalogue() {
  await sql`
    INSERT INTO procedures (id, code, name, authority_level, online_level, published, valid_from)
    SELECT gen_random_uuid(), '8.' || lpad(g::text, 6, '0'), 'Thủ tục đo hiệu năng ' || g, 'commune',
           CASE WHEN g % 3 = 0 THEN 'full' ELSE 'partial' END, true, '2024-01-01'
    FROM generate_series(1, 40) g`.execute(db);
  await sql`
    INSERT INTO procedure_cases (id, procedure_id, ordinal, name)
    SELECT gen_random_uuid(), id, 1, 'Trường hợp 1' FROM procedures`.execute(db);
  await sql`
    INSERT INTO procedure_channels (case_id, channel, duration_value, duration_unit)
    SELECT id, 1, 10, 'working_days' FROM procedure_cases`.execute(db);
  await sql`
    INSERT INTO procedure_agencies (procedure_id, agency_id)
    SELECT p.id, a.id FROM procedures p CROSS JOIN agencies a`.execute(db);
}

/**
 * Dossiers in batches of 100,000 rows, received 07:00–16:00 local over the 365 days of 2025. Of
 * every 20: 1 refused, 1 withdrawn, 1 paused, 3 processing, 8 done, 6 delivered; due 10 days after
 * receipt, finished 0–12 days after it (so some late); a third online; a quarter fee-bearing.
 */
async function seedDossiers() {
  const batch = 100_000;
  for (let start = 0; start < N; start += batch) {
    const end = Math.min(N, start + batch);
    await sql`
      WITH ag AS (SELECT array_agg(id ORDER BY code) AS ids FROM agencies),
           pc AS (SELECT array_agg(p.id ORDER BY p.code) AS pids, array_agg(c.id ORDER BY p.code) AS cids
                  FROM procedures p JOIN procedure_cases c ON c.procedure_id = p.id),
           s AS (SELECT ARRAY['refused','withdrawn','supplement','processing','processing','processing',
                              'done','done','done','done','done','done','done','done',
                              'delivered','delivered','delivered','delivered','delivered','delivered'] AS st),
           g AS (SELECT g, (timestamp '2025-01-01 07:00' + (g % 365) * interval '1 day'
                                + (g % 541) * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS rec,
                        (SELECT st[1 + g % 20] FROM s) AS state
                 FROM generate_series(${start + 1}::int, ${end}::int) g)
      INSERT INTO dossiers (id, code, agency_id, procedure_id, case_id, channel, state, portal_status,
                            applicant_name, applicant_id_no, submitted_at, received_at, clock_start_at,
                            original_due_at, due_at, current_agency_id, finished_at, delivered_at,
                            delivery_method, electronic_result, fee_total, paid_online, lookup_secret)
      SELECT gen_random_uuid(), 'BENCH-' || g.g, ag.ids[1 + g.g % array_length(ag.ids, 1)],
             pc.pids[1 + g.g % 40], pc.cids[1 + g.g % 40], 1 + (g.g % 3 = 0)::int, g.state,
             (SELECT portal_status FROM dossier_state_map m WHERE m.state = g.state LIMIT 1),
             'Nguyễn Văn Dân ' || g.g, lpad(g.g::text, 12, '0'), g.rec, g.rec, g.rec,
             g.rec + interval '10 days', g.rec + interval '10 days', ag.ids[1 + g.g % array_length(ag.ids, 1)],
             CASE WHEN g.state IN ('done', 'delivered') THEN g.rec + (g.g % 13) * interval '1 day' END,
             CASE WHEN g.state = 'delivered' THEN g.rec + (g.g % 13 + 1) * interval '1 day' END,
             CASE WHEN g.state = 'delivered' THEN 'counter' END,
             g.state IN ('done', 'delivered') AND g.g % 2 = 0,
             CASE WHEN g.g % 4 = 0 THEN 50000 ELSE 0 END, g.g % 8 = 0, md5(g.g::text)
      FROM g, ag, pc`.execute(db);
    // The per-row trigger (one dossier UPDATE per component) is off for the bulk load; the
    // dossiers' counts are then set once per batch, as the trigger would have left them.
    await sql`ALTER TABLE dossier_components DISABLE TRIGGER dossier_components_counts`.execute(db);
    await sql`
      INSERT INTO dossier_components (id, dossier_id, ordinal, name, originals, digitised)
      SELECT gen_random_uuid(), d.id, k, 'Thành phần ' || k, 1,
             (abs(hashtext(d.code || k)) % 4)::smallint
      FROM generate_series(${start + 1}::int, ${end}::int) g
      JOIN dossiers d ON d.code = 'BENCH-' || g
      CROSS JOIN generate_series(1, 2) k`.execute(db);
    await sql`
      UPDATE dossiers d SET components_total = c.n, components_digitised = c.dig, components_reused = c.reused
      FROM (SELECT dc.dossier_id, count(*) AS n, count(*) FILTER (WHERE dc.digitised >= 1) AS dig,
                   count(*) FILTER (WHERE dc.digitised >= 2) AS reused
            FROM generate_series(${start + 1}::int, ${end}::int) g
            JOIN dossiers d2 ON d2.code = 'BENCH-' || g
            JOIN dossier_components dc ON dc.dossier_id = d2.id
            GROUP BY dc.dossier_id) c
      WHERE d.id = c.dossier_id`.execute(db);
    await sql`ALTER TABLE dossier_components ENABLE TRIGGER dossier_components_counts`.execute(db);
    process.stdout.write(`\r  seeded ${end.toLocaleString('en')} / ${N.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
}

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
    await seedCatalogue();
    await seedDossiers();
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
  await stop?.();
  fs.rmSync(tmp, { recursive: true, force: true });
}
