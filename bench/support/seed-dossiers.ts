/**
 * Seeding shared by the dossier benches (bench/dossiers.ts, bench/lookup.ts): a fresh database for
 * a bench, and N dossiers of 40 catalogue procedures across the demo agencies, with generate_series
 * SQL. Dossier g has the code `BENCH-g` and the lookup secret md5(g).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { ensureDatabase, startEmbedded } from '../../apps/server/src/db/embedded.ts';
import type { Database } from '../../apps/server/src/db/schema.ts';

/**
 * A fresh database for one run: on DATABASE_URL's server if set (dropped by `stop` unless
 * BENCH_KEEP_DB is set), else on an embedded PostgreSQL in a temporary directory; BENCH_DB names a
 * database a previous run kept, already seeded (`reused`). `tmp` is a directory for the run's files.
 */
export async function benchDatabase(label: string): Promise<{
  url: string;
  reused: boolean;
  tmp: string;
  stop: () => Promise<void>;
}> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `congvu-bench-${label}-`));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  const reuse = process.env.BENCH_DB;
  if (reuse) return { url: reuse, reused: true, tmp, stop: async () => cleanup() };
  const external = process.env.DATABASE_URL;
  if (external) {
    const u = new URL(external);
    const name = `congvu_bench_${Date.now().toString(36)}`;
    await ensureDatabase(external, name);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      reused: false,
      tmp,
      async stop() {
        if (!process.env.BENCH_KEEP_DB) {
          const c = new pg.Client({ connectionString: external });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        }
        cleanup();
      },
    };
  }
  const s = await startEmbedded(path.join(tmp, 'pg'), { persistent: false });
  await ensureDatabase(s.url('postgres'), 'bench');
  return {
    url: s.url('bench'),
    reused: false,
    tmp,
    async stop() {
      await s.stop();
      cleanup();
    },
  };
}

/** 40 procedures (every third toàn trình, the rest with a counter channel only) shared by every agency. */
export async function seedCatalogue(db: Kysely<Database>) {
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
export async function seedDossiers(db: Kysely<Database>, N: number, opts: { events?: boolean } = {}) {
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
    if (opts.events) await seedEvents(db, start + 1, end);
    process.stdout.write(`\r  seeded ${end.toLocaleString('en')} / ${N.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
}

/**
 * The history a dossier of that state would have (what the public lookup shows): received, then
 * (unless refused) processing a day later, then its last state — a supplement request, the
 * withdrawal, done at finished_at, or done and then delivered. 1–4 events per dossier.
 */
async function seedEvents(db: Kysely<Database>, from: number, to: number) {
  await sql`
    INSERT INTO dossier_events (id, dossier_id, at, kind, state, portal_status, agency_id)
    SELECT gen_random_uuid(), d.id, e.at, e.kind, e.state, m.portal_status, d.agency_id
    FROM generate_series(${from}::int, ${to}::int) g
    JOIN dossiers d ON d.code = 'BENCH-' || g
    CROSS JOIN LATERAL (VALUES
        (1, d.received_at, 'received', 'received'),
        (2, d.received_at + interval '1 day', 'step_assigned', 'processing'),
        (3, coalesce(d.finished_at, d.received_at + interval '3 days'),
            CASE d.state WHEN 'delivered' THEN 'done' WHEN 'supplement' THEN 'supplement_requested' ELSE d.state END,
            CASE d.state WHEN 'delivered' THEN 'done' ELSE d.state END),
        (4, d.delivered_at, 'delivered', 'delivered')
      ) AS e(k, at, kind, state)
    JOIN LATERAL (SELECT portal_status FROM dossier_state_map m WHERE m.state = e.state LIMIT 1) m ON true
    WHERE (e.k = 1)
       OR (e.k = 2 AND d.state <> 'refused')
       OR (e.k = 3 AND d.state IN ('refused', 'withdrawn', 'supplement', 'done', 'delivered'))
       OR (e.k = 4 AND d.state = 'delivered')`.execute(db);
}
