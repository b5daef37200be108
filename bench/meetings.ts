/**
 * Live meetings under load (issue 8): N delegates' WebSocket connections (2,000; 200 with --quick;
 * any N with --n=) to one meeting of the real app in a child process (bench/support/dossiers-server.ts,
 * the whole app as `congvu serve` builds it), each subscribed to `meeting:<id>`. Then R rounds
 * (5; 2 with --quick) of what a chair does: open a secret poll, every delegate votes over HTTP
 * (50 at a time), close the poll, send a notice. For the opening, the result and the notice, the time
 * from the chair's request leaving to the event's arrival at every client is measured in this
 * process (one clock). Prints connections held at the end, the server's memory, p50/p99 per
 * action and over all. Target: all N held, p99 ≤ 300 ms (ceiling = 300, ratio = p99 / 300).
 * Runs on a fresh database: DATABASE_URL's server if set, else an embedded PostgreSQL.
 *
 *   npm run bench -- meetings [--quick] [--n=N]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createDb } from '../apps/server/src/db/pool.ts';
import { permissionsFor } from '../apps/server/src/platform/policy.ts';
import { benchDatabase } from './support/seed-dossiers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const nArg = process.argv.find((a) => a.startsWith('--n='));
const N = nArg ? Number(nArg.slice(4)) : quick ? 200 : 2000;
const ROUNDS = quick ? 2 : 5;
const VOTE_CONCURRENCY = 50;
const CEILING_MS = 300;

const bench = await benchDatabase('meetings');
const { db, pool } = createDb(bench.url, 4);
const sessionCookie = () => randomBytes(32).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

try {
  await migrate(pool);
  const config = loadConfig({
    DATABASE_URL: bench.url,
    CONGVU_DATA_DIR: bench.tmp,
    CONGVU_LOG_LEVEL: 'silent',
  });
  const { app, services } = await buildApp({ config, db, logger: false, dispatch: false });
  const s0 = performance.now();
  const agency = await services.org.createAgency(
    { auth: null, ip: null },
    {
      code: 'H99.1',
      name: 'Hội đồng nhân dân tỉnh (đo hiệu năng)',
      kind: 'province_committee',
      validFrom: '2025-01-01',
    },
  );
  // The chair: an official with a session; the delegates: N officials with sessions, written
  // straight into the tables (signing 2,000 people in through argon2 would take minutes).
  const people = Array.from({ length: N + 1 }, (_, i) => ({
    id: uuidv7(),
    username: `daibieu${i}`,
    fullName: i === 0 ? 'Chủ tọa Đo Hiệu Năng' : `Đại biểu ${i}`,
    cookie: sessionCookie(),
  }));
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    await db
      .insertInto('officials')
      .values(
        chunk.map((p) => ({
          id: p.id,
          username: p.username,
          full_name: p.fullName,
          sort_key: p.fullName,
          email: null,
          phone: null,
          // Never a valid argon2 hash: these accounts sign in only through the session written below.
          password_hash: 'x',
          totp_secret: null,
          locked_until: null,
        })),
      )
      .execute();
    await db
      .insertInto('sessions')
      .values(
        chunk.map((p) => ({
          id: sha256(p.cookie),
          official_id: p.id,
          expires_at: new Date(Date.now() + 86_400_000),
        })),
      )
      .execute();
  }
  const chair = people[0]!;
  await db
    .insertInto('official_roles')
    .values({ official_id: chair.id, role: 'admin', agency_id: null })
    .execute();
  const grants = [{ role: 'admin' as const, agencyId: null }];
  const admin = {
    auth: {
      officialId: chair.id,
      fullName: chair.fullName,
      roles: grants,
      permissions: new Set(permissionsFor(grants)),
      actingFor: null,
      sessionId: null,
      tokenId: null,
    },
    ip: null,
  };
  const m = services.meetings;
  const body = await m.createBody(admin, {
    agencyId: agency.id,
    kind: 'council',
    name: 'HĐND tỉnh (đo hiệu năng)',
    quorumRule: 'majority_of_all',
  });
  await db
    .insertInto('meeting_members')
    .values(
      people.map((p, i) => ({
        id: uuidv7(),
        body_id: body.id,
        official_id: p.id,
        full_name: p.fullName,
        role: i === 0 ? ('chair' as const) : ('delegate' as const),
        voting: true,
        valid_from: '2025-01-01',
      })),
    )
    .execute();
  const meeting = await m.createMeeting(admin, {
    bodyId: body.id,
    kind: 'session',
    title: 'Kỳ họp đo hiệu năng',
    startsAt: new Date().toISOString(),
    agenda: [{ title: 'Biểu quyết' }],
  });
  await m.invite(admin, meeting.id);
  await sql`UPDATE meeting_attendance SET checked_in_at = now() WHERE meeting_id = ${meeting.id}`.execute(db);
  await m.setStatus(admin, meeting.id, 'open');
  await app.close();
  console.log(
    `meetings: ${N.toLocaleString('en')} delegates seeded in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
  );

  // The real app in its own process: its memory is the server's.
  const child = spawn(
    path.join(here, '../node_modules/.bin/tsx'),
    [path.join(here, 'support', 'dossiers-server.ts')],
    {
      env: {
        ...process.env,
        DATABASE_URL: bench.url,
        CONGVU_DATA_DIR: bench.tmp,
        CONGVU_LOG_LEVEL: 'silent',
        BENCH_POOL: '10',
        NODE_OPTIONS: heapArgs().join(' '),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const port = Number((await nextLine()).split(' ')[1]);
  const base = `http://127.0.0.1:${port}`;
  const topic = `meeting:${meeting.id}`;

  try {
    /** Each client resolves the waiter of an event kind with the time it arrived. */
    type Waiter = { kind: string; resolve: (t: number) => void };
    const clients: Array<{ ws: WebSocket; waiters: Waiter[]; closed: boolean }> = [];
    const c0 = performance.now();
    for (let i = 1; i <= N; i += 100) {
      await Promise.all(
        people.slice(i, Math.min(i + 100, N + 1)).map(
          (p) =>
            new Promise<void>((resolve, reject) => {
              const ws = new WebSocket(`ws://127.0.0.1:${port}/api/live`, {
                headers: { cookie: `congvu_sid=${p.cookie}` },
              });
              const c = { ws, waiters: [] as Waiter[], closed: false };
              clients.push(c);
              ws.on('close', () => {
                c.closed = true;
              });
              ws.on('error', reject);
              ws.on('message', (raw) => {
                const t = performance.now();
                const msg = JSON.parse(String(raw)) as {
                  type: string;
                  data?: { type: string; pollId?: string; noticeId?: string };
                };
                if (msg.type === 'subscribed') return resolve();
                if (msg.type === 'error') return reject(new Error(`subscribe refused: ${String(raw)}`));
                if (msg.type !== 'event' || !msg.data) return;
                const w = c.waiters.findIndex((x) => x.kind === msg.data!.type);
                if (w >= 0) c.waiters.splice(w, 1)[0]!.resolve(t);
              });
              ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic })));
            }),
        ),
      );
    }
    console.log(
      `  ${clients.length} connections subscribed in ${((performance.now() - c0) / 1000).toFixed(1)} s`,
    );

    const chairCookie = `congvu_sid=${chair.cookie}`;
    const post = async (url: string, cookie: string, body: object) => {
      const r = await fetch(base + url, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${url}: ${r.status} ${await r.text()}`);
      return (await r.json()) as { id: string };
    };
    /**
     * Arms every client for the next event of a kind, runs the chair's action, returns each client's
     * delay in ms from the request leaving to the event's arrival (rounds run one after another, so
     * the next event of the kind is the action's).
     */
    const measure = async (kind: string, action: () => Promise<unknown>) => {
      const arrivals = clients.map(
        (c) => new Promise<number>((resolve) => c.waiters.push({ kind, resolve })),
      );
      const t0 = performance.now();
      await action();
      return (await Promise.all(arrivals)).map((t) => t - t0);
    };

    const delays: Record<string, number[]> = { 'poll.opened': [], 'poll.closed': [], notice: [] };
    for (let r = 0; r < ROUNDS; r++) {
      let pollId = '';
      delays['poll.opened']!.push(
        ...(await measure('poll.opened', async () => {
          pollId = (
            await post(`/api/meetings/${meeting.id}/polls`, chairCookie, {
              title: `Nghị quyết số ${r + 1}`,
              kind: 'secret',
              rule: 'majority_of_all',
            })
          ).id;
        })),
      );
      // Every delegate votes (not measured: the votes' own latency is not a broadcast).
      for (let i = 1; i <= N; i += VOTE_CONCURRENCY)
        await Promise.all(
          people
            .slice(i, Math.min(i + VOTE_CONCURRENCY, N + 1))
            .map((p, k) =>
              post(`/api/meetings/polls/${pollId}/vote`, `congvu_sid=${p.cookie}`, { option: (i + k) % 3 }),
            ),
        );
      delays['poll.closed']!.push(
        ...(await measure('poll.closed', () => post(`/api/meetings/polls/${pollId}/close`, chairCookie, {}))),
      );
      delays.notice!.push(
        ...(await measure('notice', () =>
          post(`/api/meetings/${meeting.id}/notices`, chairCookie, { text: `Thông báo số ${r + 1}` }),
        )),
      );
    }

    child.stdin!.write('rss\n');
    const rss = await nextLine();
    const held = clients.filter((c) => !c.closed && c.ws.readyState === WebSocket.OPEN).length;
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
    };
    console.log(
      `${N.toLocaleString('en')} delegates, ${ROUNDS} rounds (secret poll opened, ${N} votes, result, notice)`,
    );
    console.log(
      `${'event'.padEnd(14)} ${'receipts'.padStart(9)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`,
    );
    for (const [k, xs] of Object.entries(delays))
      console.log(
        `${k.padEnd(14)} ${String(xs.length).padStart(9)} ${`${pct(xs, 50).toFixed(1)} ms`.padStart(9)} ${`${pct(xs, 99).toFixed(1)} ms`.padStart(9)} ${`${Math.max(...xs).toFixed(1)} ms`.padStart(9)}`,
      );
    const all = Object.values(delays).flat();
    const p50 = pct(all, 50);
    const p99 = pct(all, 99);
    console.log(
      `server memory: ${rss.replace(/^RSS (\d+)/, (_, kb) => `peak RSS ${Math.round(Number(kb) / 1024)} MB,`)}`,
    );
    console.log(`connections held ${held}/${N}; p99 ${p99.toFixed(1)} ms (target ≤ ${CEILING_MS} ms)`);
    for (const c of clients) c.ws.terminate();
    console.log(
      `BENCH meetings p99=${p99.toFixed(1)}ms ceiling=${CEILING_MS} ratio=${(p99 / CEILING_MS).toFixed(2)} p50=${p50.toFixed(1)}ms held=${held}/${N}`,
    );
    if (held !== N) throw new Error(`${N - held} connections were lost`);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin!.write('exit\n');
    await exited;
  }
} finally {
  await db.destroy();
  await bench.stop();
}
