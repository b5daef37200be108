/**
 * The exchange fault test (issue 5): N documents (2,000; 100 with --quick) are issued at A to an
 * agency of B, go A → hub → B, B's worker answers 01 on arrival and B's clerk registers each (03),
 * while the hub, A and B (each with its exchange worker inside) are killed with SIGKILL at random
 * moments and started again. When the kills stop and the flow settles, the databases must show
 * every document registered at B exactly once and statuses 01 and 03 at A exactly once each.
 *
 *   npm run test:faults [-- --quick | --count N | --seed S | --gap MIN-MAX]
 *
 * Prints one line per check and the plain summary `N passed, N failed`; exits 1 on a failure.
 */
import { B_CODE, type Cluster, type Proc, sleep, startCluster } from './cluster.ts';
import { arrivedAtB, count, issueDocument, makePdf, registerAtB, signIn } from './flow.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const N = Number(arg('--count') ?? (quick ? 100 : 2000));
const seed = Number(arg('--seed') ?? Date.now() % 100_000);
// Time between kills, in ms: random within [min, max].
const [gapMin, gapMax] = (arg('--gap') ?? (quick ? '3000-7000' : '8000-20000')).split('-').map(Number) as [
  number,
  number,
];
const ISSUERS = 4;
const REGISTRARS = 2;
/** The whole run stops (and fails) after this, whatever happens. */
const HARD_LIMIT_MS = Number(arg('--limit-s') ?? (quick ? 900 : 3600)) * 1000;
/** After the kills stop, how long the flow may take to settle. */
const SETTLE_MS = quick ? 120_000 : 300_000;

/** mulberry32: a small seeded PRNG, so that a failing schedule can be run again with --seed. */
function prng(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** Throws the first error of a background driver (set by run). */
let failFast = () => {};

const t0 = Date.now();
const log = (m: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);

const results: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function finish(): never {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const hardLimit = setTimeout(async () => {
  check(`the run ends within ${HARD_LIMIT_MS / 1000} s`, false, 'hard time limit reached');
  // Databases dropped if that is quick; the exit hook of cluster.ts kills the children anyway.
  await Promise.race([cluster?.close(), sleep(15_000)]).catch(() => {});
  finish();
}, HARD_LIMIT_MS);
hardLimit.unref();

process.on('unhandledRejection', (e) => check('no unhandled error', false, String((e as Error)?.stack ?? e)));

log(`exchange fault test: ${N} documents, seed ${seed}, a kill every ${gapMin}–${gapMax} ms`);
let cluster: Cluster | null = null;
try {
  cluster = await startCluster({ log });
  await run(cluster);
} catch (e) {
  check('the scenario runs to its end', false, (e as Error).stack ?? String(e));
  if (cluster) log(`process logs: ${cluster.dir} (FAULTS_KEEP=1 keeps them)`);
} finally {
  await cluster?.close().catch((e) => log(`cleanup: ${(e as Error).message}`));
}
finish();

async function run(c: Cluster) {
  const { A, B, hub } = c;
  const actors = await signIn(A, B);
  const tag = seed.toString(36);
  const pdfs = await Promise.all([0, 1, 2, 3].map((k) => makePdf(`Cong van thu nghiem loi ${tag} mau ${k}`)));

  // Issuers: documents 0..N-1 drafted, approved and issued at A.
  let next = 0;
  const issued = new Set<string>();
  const issuing = Promise.all(
    Array.from({ length: ISSUERS }, async () => {
      while (next < N) {
        const i = next++;
        const id = await issueDocument(A, actors, `Văn bản thử nghiệm lỗi số ${i} (${tag})`, pdfs[i % 4]!);
        issued.add(id);
        if (issued.size % 100 === 0) log(`${issued.size} issued at A`);
      }
    }),
  );

  // B's clerk registers whatever has arrived, until every document has (each registrar takes
  // the documents whose id ends with its digit parity).
  let stopRegistering = false;
  const registering = Promise.all(
    Array.from({ length: REGISTRARS }, async (_, k) => {
      while (!stopRegistering) {
        const ids = (await arrivedAtB(B, 80)).filter(
          (id) => Number.parseInt(id.slice(-1), 16) % REGISTRARS === k,
        );
        for (const id of ids) await registerAtB(B, actors.clerkB, id);
        if (ids.length === 0) await sleep(300);
      }
    }),
  );

  // The killer: one of hub, A, B at a time, at random moments, down for a random while.
  let killing = true;
  const procs: Proc[] = [hub, A.proc, B.proc];
  const killer = (async () => {
    // Every process is killed at least once per round of three (a shuffled order each round).
    let order: Proc[] = [];
    while (killing) {
      await sleep(between(gapMin, gapMax));
      if (!killing) break;
      if (order.length === 0) order = procs.slice().sort(() => random() - 0.5);
      const p = order.shift()!;
      await p.kill();
      log(`SIGKILL ${p.name} (kill ${p.kills} of ${p.name})`);
      await sleep(between(0, 2000));
      await p.start();
    }
  })();
  // A driver that fails (an unexpected answer) ends the run at once.
  let fatal: Error | null = null;
  const onFatal = (e: unknown) => {
    fatal ??= e as Error;
  };
  issuing.catch(onFatal);
  registering.catch(onFatal);
  killer.catch(onFatal);
  failFast = () => {
    if (fatal) throw fatal;
  };
  const watch = setInterval(async () => {
    try {
      const arrived = await count(B.pool, `SELECT count(*) AS n FROM documents WHERE agency_id = $1`, [
        B.agencyId,
      ]);
      const s01 = await count(A.pool, `SELECT count(*) AS n FROM exchange_timeline WHERE event = '01'`);
      const s03 = await count(A.pool, `SELECT count(*) AS n FROM exchange_timeline WHERE event = '03'`);
      log(`progress: issued ${issued.size}/${N}, at B ${arrived}, 01 at A ${s01}, 03 at A ${s03}`);
    } catch {
      // a progress line is skipped
    }
  }, 10_000);

  try {
    await issuing;
    log(`all ${N} issued at A`);
    // Keep killing until B has registered everything, so that the kills also fall on the tail.
    await until(
      'every document registered at B',
      async () =>
        (await count(
          B.pool,
          `SELECT count(*) AS n FROM documents WHERE agency_id = $1 AND status <> 'received'`,
          [B.agencyId],
        )) >= N,
      SETTLE_MS + 300_000,
    );
    // And until each process has been killed at least once: on a quiet machine the documents can
    // all be through before the first round of kills is complete.
    await until(
      'each of hub, A and B killed at least once',
      async () => procs.every((p) => p.kills > 0),
      3 * (gapMax + 2000) + 120_000,
    );
  } finally {
    killing = false;
    stopRegistering = true;
    clearInterval(watch);
    await Promise.allSettled([killer, registering, issuing]);
  }
  failFast();
  log(`kills: hub ${hub.kills}, A ${A.proc.kills}, B ${B.proc.kills}; waiting for the statuses to settle`);
  for (const p of procs) if (!p.alive) await p.start();
  let settled = false;
  try {
    await until(
      'statuses 01 and 03 at A',
      async () =>
        (await count(
          A.pool,
          `SELECT count(DISTINCT document_id) AS n FROM exchange_timeline WHERE event = '01'`,
        )) >= N &&
        (await count(
          A.pool,
          `SELECT count(DISTINCT document_id) AS n FROM exchange_timeline WHERE event = '03'`,
        )) >= N,
      SETTLE_MS,
    );
    settled = true;
  } catch (e) {
    log((e as Error).message);
  }
  // Late duplicates would show within a few polling rounds.
  await sleep(3000);
  await checks(c, issued, settled);
}

async function until(what: string, ok: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    failFast();
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function checks(c: Cluster, issued: Set<string>, settled: boolean) {
  const { A, B, hub } = c;
  check('the flow settled after the last kill', settled);
  check(
    'each of hub, A and B was killed with SIGKILL at least once',
    hub.kills > 0 && A.proc.kills > 0 && B.proc.kills > 0,
    `hub ${hub.kills}, A ${A.proc.kills}, B ${B.proc.kills}`,
  );

  const issuedAtA = await count(
    A.pool,
    `SELECT count(*) AS n FROM documents WHERE agency_id = $1 AND direction = 'outgoing' AND status = 'issued'`,
    [A.agencyId],
  );
  check(`A issued ${N} documents`, issuedAtA === N && issued.size === N, `${issuedAtA} in A's database`);

  const out = (
    await A.pool.query<{ n: string; docs: string; sent: string }>(
      `SELECT count(*) AS n, count(DISTINCT document_id) AS docs, count(*) FILTER (WHERE state = 'sent') AS sent
       FROM exchange_outbound WHERE kind = 'edoc'`,
    )
  ).rows[0]!;
  check(
    'A queued one envelope per document and the hub accepted each',
    Number(out.n) === N && Number(out.docs) === N && Number(out.sent) === N,
    `${out.n} envelopes, ${out.docs} documents, ${out.sent} sent`,
  );

  const hubEdocs = (
    await c.hubPool.query<{ n: string; docs: string; keys: string }>(
      `SELECT count(*) AS n, count(DISTINCT document_id) AS docs, count(DISTINCT message_key) AS keys
       FROM hub_messages WHERE kind = 'edoc'`,
    )
  ).rows[0]!;
  check(
    'the hub holds each edoc once',
    Number(hubEdocs.n) === N && Number(hubEdocs.docs) === N && Number(hubEdocs.keys) === N,
    `${hubEdocs.n} messages, ${hubEdocs.docs} DocumentIds`,
  );
  const pending = await count(c.hubPool, `SELECT count(*) AS n FROM hub_deliveries WHERE state <> 'done'`);
  check('the hub has every delivery acknowledged as done', pending === 0, `${pending} not done`);

  const atB = (
    await B.pool.query<{ n: string; distinct_docs: string; registered: string }>(
      `SELECT count(*) AS n, count(DISTINCT (number, notation, issued_on)) AS distinct_docs,
              count(*) FILTER (WHERE status <> 'received') AS registered
       FROM documents WHERE agency_id = $1 AND direction = 'incoming'`,
      [B.agencyId],
    )
  ).rows[0]!;
  const entries = await count(B.pool, `SELECT count(*) AS n FROM register_entries WHERE register_id = $1`, [
    B.registerId,
  ]);
  const entriesDistinct = await count(
    B.pool,
    `SELECT count(DISTINCT document_id) AS n FROM register_entries WHERE register_id = $1`,
    [B.registerId],
  );
  check(
    `B holds ${N} incoming documents, each once, each registered once`,
    Number(atB.n) === N &&
      Number(atB.distinct_docs) === N &&
      Number(atB.registered) === N &&
      entries === N &&
      entriesDistinct === N,
    `${atB.n} documents, ${atB.distinct_docs} distinct, ${atB.registered} registered, ${entries} register entries`,
  );

  // The same documents on both sides: number/notation/date of every issued document at A.
  const key = (r: { number: string; notation: string; issued_on: string }) =>
    `${r.number}/${r.notation}/${r.issued_on}`;
  const sentKeys = new Set(
    (
      await A.pool.query(
        `SELECT number, notation, issued_on::text FROM documents WHERE agency_id = $1 AND status = 'issued'`,
        [A.agencyId],
      )
    ).rows.map(key),
  );
  const gotKeys = (
    await B.pool.query(
      `SELECT number, notation, issued_on::text FROM documents WHERE agency_id = $1 AND direction = 'incoming'`,
      [B.agencyId],
    )
  ).rows.map(key);
  const missing = [...sentKeys].filter((k) => !gotKeys.includes(k));
  check(
    'B received exactly the documents A issued',
    missing.length === 0 && gotKeys.length === sentKeys.size,
    missing.length ? `missing ${missing.slice(0, 5).join(', ')}` : '',
  );

  const inEdocs = (
    await B.pool.query<{ n: string; docs: string }>(
      `SELECT count(*) AS n, count(DISTINCT document_id) AS docs FROM exchange_inbound
       WHERE kind = 'edoc' AND document_id IS NOT NULL`,
    )
  ).rows[0]!;
  check(
    'B recorded each edoc once (exchange_inbound)',
    Number(inEdocs.n) === N && Number(inEdocs.docs) === N,
    `${inEdocs.n} rows, ${inEdocs.docs} documents`,
  );

  for (const code of ['01', '03']) {
    const bOut = (
      await B.pool.query<{ n: string; docs: string; sent: string }>(
        `SELECT count(*) AS n, count(DISTINCT document_id) AS docs, count(*) FILTER (WHERE state = 'sent') AS sent
         FROM exchange_outbound WHERE kind = 'status' AND status_code = $1`,
        [code],
      )
    ).rows[0]!;
    check(
      `B queued status ${code} once per document and sent it`,
      Number(bOut.n) === N && Number(bOut.docs) === N && Number(bOut.sent) === N,
      `${bOut.n} envelopes, ${bOut.docs} documents, ${bOut.sent} sent`,
    );
    const hubStatus = await count(
      c.hubPool,
      `SELECT count(*) AS n FROM hub_messages WHERE kind = 'status' AND status_code = $1`,
      [code],
    );
    check(`the hub holds status ${code} once per document`, hubStatus === N, `${hubStatus} messages`);
    const aIn = (
      await A.pool.query<{ n: string; docs: string; applied: string }>(
        `SELECT count(*) AS n, count(DISTINCT edxml_document_id) AS docs,
                count(*) FILTER (WHERE outcome = 'applied') AS applied
         FROM exchange_inbound WHERE kind = 'status' AND status_code = $1`,
        [code],
      )
    ).rows[0]!;
    const timeline = (
      await A.pool.query<{ n: string; docs: string }>(
        `SELECT count(*) AS n, count(DISTINCT document_id) AS docs FROM exchange_timeline
         WHERE event = $1 AND agency_code = $2`,
        [code, B_CODE],
      )
    ).rows[0]!;
    check(
      `status ${code} reached A exactly once per document`,
      Number(aIn.n) === N &&
        Number(aIn.docs) === N &&
        Number(aIn.applied) === N &&
        Number(timeline.n) === N &&
        Number(timeline.docs) === N,
      `${aIn.n} received (${aIn.docs} documents, ${aIn.applied} applied), timeline ${timeline.n} rows for ${timeline.docs} documents`,
    );
  }

  for (const [name, inst] of [
    ['A', A],
    ['B', B],
  ] as const) {
    const failed = await count(inst.pool, `SELECT count(*) AS n FROM outbox WHERE status = 'failed'`);
    check(`no outbox job of ${name} ran out of attempts`, failed === 0, `${failed} failed`);
  }
}
