/**
 * Documents at scale: seeds N documents across the demo agencies (N = 1,000,000; 20,000 with
 * --quick), then measures p50/p95 of a worklist query and of a 3-word diacritic-free search,
 * through the real service, first at N/10 documents and then at N. Targets: p95 ≤ 50 ms each;
 * search p95 at N over p95 at N/10 ≤ 1.5. Runs on a fresh embedded PostgreSQL (or DATABASE_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { ensureDatabase, startEmbedded } from '../apps/server/src/db/embedded.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createDb } from '../apps/server/src/db/pool.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import type { AuthContext } from '../apps/server/src/platform/policy.ts';
import { permissionsFor } from '../apps/server/src/platform/policy.ts';

const quick = process.argv.includes('--quick');
const nArg = process.argv.find((a) => a.startsWith('--n='));
const N = nArg ? Number(nArg.slice(4)) : quick ? 20_000 : 1_000_000;
const SAMPLES = quick ? 60 : 200;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-docs-'));
fs.chmodSync(tmp, 0o755);
let stop: (() => Promise<void>) | null = null;
let url = process.env.DATABASE_URL;
if (url) {
  const adminUrl = url;
  const u = new URL(url);
  const name = `congvu_bench_${Date.now().toString(36)}`;
  await ensureDatabase(url, name);
  // The bench database goes when the run ends (BENCH_KEEP_DB=1 keeps it to study plans).
  if (!process.env.BENCH_KEEP_DB)
    stop = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
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
const { db, pool } = createDb(url, 4);
await migrate(pool);
const config = loadConfig({ DATABASE_URL: url, CONGVU_DATA_DIR: tmp, CONGVU_LOG_LEVEL: 'silent' });
const { services } = await buildApp({ config, db, logger: false });
await seedDemo(services.org, services.calendar, services.documents);

// A specialist of one Sở reads: worklist "to handle" and search, as the screens do.
const reader = await sql<{ id: string; agency_id: string; department_id: string; full_name: string }>`
  SELECT o.id, d.agency_id, m.department_id, o.full_name FROM officials o
  JOIN memberships m ON m.official_id = o.id JOIN departments d ON d.id = m.department_id
  WHERE o.username = 'cv.snv'`.execute(db);
const me = reader.rows[0]!;
const auth: AuthContext = {
  officialId: me.id,
  fullName: me.full_name,
  roles: [{ role: 'specialist', agencyId: me.agency_id }],
  permissions: new Set(permissionsFor([{ role: 'specialist' }])),
  actingFor: null,
  sessionId: null,
  tokenId: null,
};

const WORDS = [
  'quyết định',
  'phê duyệt',
  'kế hoạch',
  'chuyển đổi số',
  'ngân sách',
  'dự toán',
  'đất đai',
  'xây dựng',
  'nông thôn mới',
  'cải cách hành chính',
  'y tế',
  'giáo dục',
  'an toàn giao thông',
  'phòng chống thiên tai',
  'báo cáo',
  'tình hình',
  'kinh tế',
  'xã hội',
  'thủ tục',
  'hồ sơ',
  'đầu tư công',
  'giải ngân',
  'thanh tra',
  'khiếu nại',
  'tố cáo',
  'cán bộ',
  'công chức',
  'đào tạo',
  'bồi dưỡng',
  'văn hóa',
  'du lịch',
  'môi trường',
];

/** Inserts documents in batches with SQL (the per-row service path is measured by the tests, not here). */
async function seedDocuments(from: number, to: number) {
  const batch = 50_000;
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    await sql`
      WITH ag AS (SELECT array_agg(id ORDER BY code) AS ids FROM agencies),
           w AS (SELECT ${WORDS}::text[] AS words)
      INSERT INTO documents (id, agency_id, direction, channel, type_id, number, notation, issuer_name, subject,
                             urgency, secrecy, status, created_at)
      SELECT gen_random_uuid(), ag.ids[1 + (g % array_length(ag.ids, 1))],
             CASE WHEN g % 3 = 0 THEN 'outgoing' ELSE 'incoming' END, 'electronic',
             (ARRAY['cong_van','quyet_dinh','bao_cao','ke_hoach','thong_bao','to_trinh'])[1 + g % 6],
             (g % 999 + 1)::text, 'UBND-VP', 'Văn phòng UBND tỉnh',
             initcap(w.words[1 + (hashint4(g) & 31)]) || ' về ' || w.words[1 + ((hashint4(g) >> 5) & 31)] ||
               ' và ' || w.words[1 + ((hashint4(g) >> 10) & 31)] || ' năm ' || (2020 + g % 7) || ' (số ' || g || ')',
             (ARRAY['normal','normal','normal','urgent','very_urgent','flash'])[1 + g % 6],
             'none', 'registered', now() - (g || ' minutes')::interval
      FROM generate_series(${start}::int, ${end - 1}::int) AS g, ag, w`.execute(db);
    // One document in twenty of the reader's agency is assigned to the reader's department.
    await sql`
      INSERT INTO document_assignments (id, document_id, assigner_id, role, assignee_department_id, status)
      SELECT gen_random_uuid(), d.id, ${me.id}, 'lead', ${me.department_id}, 'pending'
      FROM documents d WHERE d.agency_id = ${me.agency_id} AND d.number::int % 20 = 0
        AND NOT EXISTS (SELECT 1 FROM document_assignments a WHERE a.document_id = d.id)`.execute(db);
  }
  // What autovacuum does after a bulk load: statistics, and the visibility map that lets the
  // search read its index alone.
  await sql`VACUUM (ANALYZE) documents`.execute(db);
  await sql`ANALYZE document_assignments`.execute(db);
}

// Three unaccented words each: one common phrase (about 9 % of documents) and pairs of phrases
// (about 1 %), as an official would type them.
const QUERIES = ['chuyen doi so', 'ngan sach giao', 'ke hoach dau', 'bao cao tinh', 'van hoa du'];

async function measure(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(i); // warm up
  const t: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(t.length * 0.5)]!, p95: t[Math.floor(t.length * 0.95)]! };
}

async function round(label: string) {
  const worklist = await measure(() => services.documents.worklist(auth, 'to_handle', 1, 20));
  const search = await measure((i) =>
    services.documents.search(auth, { q: QUERIES[i % QUERIES.length], page: 1, pageSize: 20 }),
  );
  // The screen asks for the count beside the page and shows the page first; measured apart.
  const count = await measure((i) =>
    services.documents.count(auth, { q: QUERIES[i % QUERIES.length], page: 1, pageSize: 20 }),
  );
  console.log(
    `${label}: worklist p50=${worklist.p50.toFixed(1)}ms p95=${worklist.p95.toFixed(1)}ms; search p50=${search.p50.toFixed(1)}ms p95=${search.p95.toFixed(1)}ms; count (to 1 000) p50=${count.p50.toFixed(1)}ms p95=${count.p95.toFixed(1)}ms`,
  );
  return { worklist, search, count };
}

try {
  let t0 = performance.now();
  await seedDocuments(0, N / 10);
  console.log(`seeded ${N / 10} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const small = await round(`${N / 10} documents`);
  t0 = performance.now();
  await seedDocuments(N / 10, N);
  console.log(`seeded up to ${N} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const big = await round(`${N} documents`);
  const growth = big.search.p95 / small.search.p95;
  const met = big.worklist.p95 <= 50 && big.search.p95 <= 50 && growth <= 1.5;
  console.log(
    `search p95 growth ${N / 10} → ${N}: ×${growth.toFixed(2)} (target ≤ 1.5); targets ${met ? 'met' : 'NOT met'}`,
  );
  console.log(
    `BENCH documents search_p95=${big.search.p95.toFixed(1)}ms ceiling=50ms ratio=${(big.search.p95 / 50).toFixed(2)} worklist_p95=${big.worklist.p95.toFixed(1)}ms count_p95=${big.count.p95.toFixed(1)}ms growth=${growth.toFixed(2)}`,
  );
} finally {
  await db.destroy();
  await stop?.();
  fs.rmSync(tmp, { recursive: true, force: true });
}
