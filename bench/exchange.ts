/**
 * Document exchange end to end (issue 5): documents per second A → hub → B → status 01 back at A,
 * with the hub as `congvu hub` and A and B as `congvu serve` on their own databases on the system
 * PostgreSQL (the cluster of the fault test, test/faults/cluster.ts), each document a signed PDF of
 * about 20 KB. Next to it, in the same run on the same database server: `pgbench -c 8` TPS
 * (TPC-B-like, on a scratch database it initialises itself). Target ≥ 500 documents/s.
 *
 * Method: with A stopped, a backlog of documents is issued at A through the real services in this
 * process (draft with the PDF, the leader's approval and personal signature, the clerk's number,
 * agency signature and issuance — which writes the outbox in its transaction); then A starts and
 * the rate is the number of documents whose status 01 reached A's timeline in the window (from when
 * A answers on its port, 60 s or until the backlog is drained) over the window's length.
 *
 *   npm run bench -- exchange [--quick] [--docs N]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { createDb } from '../apps/server/src/db/pool.ts';
import {
  B_CODE,
  B_NAME,
  type Cluster,
  PASSWORD,
  SIGNING_PASSWORD,
  startCluster,
} from '../test/faults/cluster.ts';
import { count, makePdf } from '../test/faults/flow.ts';

const quick = process.argv.includes('--quick');
const docsArg = process.argv.indexOf('--docs');
const DOCS = docsArg >= 0 ? Number(process.argv[docsArg + 1]) : quick ? 20 : 900;
const WINDOW_S = quick ? 15 : 60;
const PGBENCH_S = quick ? 5 : 30;
const PG_URL = process.env.FAULTS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function pgbenchBin(): string {
  for (const p of ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench']) if (fs.existsSync(p)) return p;
  const found = fs
    .readdirSync('/usr/lib/postgresql', { withFileTypes: true })
    .map((d) => `/usr/lib/postgresql/${d.name}/bin/pgbench`)
    .find((p) => fs.existsSync(p));
  if (!found) throw new Error('pgbench not found (apt-get install postgresql-contrib)');
  return found;
}

/** `pgbench -c 8 -j 2 -T s` TPS on a scratch database (initialised at scale 8, dropped after). */
function pgbench(seconds: number): number {
  const bin = pgbenchBin();
  const name = `congvu_pgbench_${Date.now().toString(36)}`;
  const admin = new URL(PG_URL);
  const conn = ['-h', admin.hostname, '-p', admin.port || '5432', '-U', admin.username || 'postgres'];
  const psql = (sql: string) =>
    execFileSync(bin.replace(/pgbench$/, 'psql'), [...conn, '-d', 'postgres', '-qc', sql], {
      stdio: 'ignore',
    });
  psql(`CREATE DATABASE ${name}`);
  try {
    execFileSync(bin, [...conn, '-i', '-q', '-s', '8', name], { stdio: 'ignore' });
    const out = execFileSync(bin, [...conn, '-c', '8', '-j', '2', '-T', String(seconds), name], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    const m = out.match(/tps = ([\d.]+) \(without initial connection time\)/) ?? out.match(/tps = ([\d.]+)/);
    if (!m) throw new Error(`unexpected pgbench output:\n${out}`);
    return Number(m[1]);
  } finally {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Issues `n` documents at A through the services of an app built here on A's database and files. */
async function issueBacklog(c: Cluster, n: number): Promise<number> {
  const { A } = c;
  const { db } = createDb(A.dbUrl, 4);
  const config = loadConfig({ ...A.proc.env, CONGVU_LOG_LEVEL: 'silent' });
  // No dispatcher here: A's own process sends what this issues once it starts.
  const { app } = await buildApp({ config, db, logger: false, dispatch: false, loginRatePerMinute: 1000 });
  await app.ready();
  try {
    const cookie = async (username: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: PASSWORD },
      });
      const sid = res.cookies.find((x) => x.name === 'congvu_sid');
      if (!sid) throw new Error(`login ${username}: ${res.statusCode}`);
      return `congvu_sid=${sid.value}`;
    };
    const drafter = await cookie(A.users.drafter!);
    const leader = await cookie(A.users.leader!);
    const clerk = await cookie(A.users.clerk);
    const call = async (
      who: string,
      method: 'POST',
      url: string,
      payload: object | Buffer,
      ok: number,
      ct?: string,
    ) => {
      const res = await app.inject({
        method,
        url,
        headers: { cookie: who, ...(ct && { 'content-type': ct }) },
        payload,
      });
      if (res.statusCode !== ok) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.body ? JSON.parse(res.body) : null;
    };
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      [0, 1].map(async () => {
        while (next < n) {
          const i = next++;
          const pdf = await makePdf(`Cong van do toc do lien thong so ${i}`, 20_000);
          const boundary = `----congvu${i}`;
          const body = Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
            ),
            pdf,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          const { sha256 } = await call(
            drafter,
            'POST',
            '/api/files',
            body,
            201,
            `multipart/form-data; boundary=${boundary}`,
          );
          const { documentId } = await call(
            drafter,
            'POST',
            '/api/documents/outgoing',
            {
              agencyId: A.agencyId,
              typeId: 'cong_van',
              subject: `Văn bản đo tốc độ liên thông số ${i}`,
              draftingUnit: 'VP',
              recipients: [{ agencyCode: B_CODE, name: B_NAME }],
              reviewerIds: [A.users.leaderId],
              files: [{ sha256, name: 'cv.pdf', role: 'main' }],
            },
            201,
          );
          const signing = { password: SIGNING_PASSWORD };
          await call(
            leader,
            'POST',
            `/api/documents/${documentId}/review`,
            { decision: 'approved', signing },
            204,
          );
          await call(
            clerk,
            'POST',
            `/api/documents/${documentId}/issue`,
            { registerId: A.registerId, signing },
            200,
          );
        }
      }),
    );
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await app.close();
    await db.destroy();
  }
}

const cluster = await startCluster({ log: (m) => console.log(m) });
try {
  const { A } = cluster;
  await A.proc.stop();
  const issueRate = await issueBacklog(cluster, DOCS);
  const size = (await makePdf('x', 20_000)).length;
  console.log(
    `backlog: ${DOCS} documents issued at A (PDF ~${(size / 1024).toFixed(0)} KB), ${issueRate.toFixed(1)}/s`,
  );
  const xacts = async () => {
    let n = 0;
    for (const pool of [cluster.A.pool, cluster.B.pool, cluster.hubPool])
      n += await count(
        pool,
        `SELECT (xact_commit + xact_rollback) AS n FROM pg_stat_database WHERE datname = current_database()`,
      );
    return n;
  };
  const s0 = performance.now();
  await A.proc.start();
  const started = (performance.now() - s0) / 1000;
  // The window opens when A answers (its outbox and poller start just before it listens).
  const xact0 = await xacts();
  const t0 = performance.now();
  let done = 0;
  let elapsed = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    elapsed = (performance.now() - t0) / 1000;
    done = await count(
      A.pool,
      `SELECT count(DISTINCT document_id) AS n FROM exchange_timeline WHERE event = '01'`,
    );
    if (done >= DOCS || elapsed >= WINDOW_S) break;
  }
  const rate = done / elapsed;
  // Statistics reach pg_stat_database within a second or so.
  await new Promise((r) => setTimeout(r, 1500));
  const perDoc = done ? ((await xacts()) - xact0) / done : 0;
  console.log(
    `exchange: ${done} of ${DOCS} documents with 01 back at A in ${elapsed.toFixed(1)} s from A listening (its start took ${started.toFixed(1)} s): ${rate.toFixed(1)} documents/s`,
  );
  console.log(
    `database transactions in the window (A, B and hub, pollers and the bench's own counting included): ${perDoc.toFixed(0)} per document`,
  );
  const tps = pgbench(PGBENCH_S);
  console.log(`pgbench -c 8 -j 2 -T ${PGBENCH_S} (scale 8) on the same server: ${tps.toFixed(0)} TPS`);
  const ratio = rate / tps;
  console.log(`target ≥ 500 documents/s: ${rate >= 500 ? 'met' : 'NOT met'}`);
  console.log(
    `BENCH exchange docs_per_s=${rate.toFixed(1)}/s ceiling=${tps.toFixed(0)} ratio=${ratio.toFixed(4)}`,
  );
} finally {
  await cluster.close();
}
