import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, enqueueMail, MAIL_TOPIC, mailHandler } from '../src/platform/mail/service.ts';
import {
  backoffMs,
  DestinationUnavailable,
  enqueue,
  type OutboxHandler,
  type OutboxLog,
  outboxDispatcher,
} from '../src/platform/outbox/service.ts';
import { setupApp, type TestApp } from './helpers.ts';

/** The transactional outbox: enqueue with the caller's commit, once per key, retried with backoff. */
let t: TestApp;
beforeAll(async () => {
  // The app's own dispatcher polls once at start, then sleeps: the rows here are ours to run.
  t = await setupApp({ CONGVU_OUTBOX_POLL_MS: '60000' });
});
afterAll(async () => t.close());

const quiet: OutboxLog = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const key = (s: string) => `${s}:${++n}:${Date.now()}`;

function row(dedupeKey: string) {
  return t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
}
const makeDue = (dedupeKey: string) =>
  t.db
    .updateTable('outbox')
    .set({ next_attempt_at: sql`now()` })
    .where('dedupe_key', '=', dedupeKey)
    .execute();

describe('outbox', () => {
  it('enqueues only with the caller commit, and a duplicate key once', async () => {
    const k = key('rollback');
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueue(trx, { topic: 'test.a', payload: { x: 1 }, dedupeKey: k });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.selectFrom('outbox').select('id').where('dedupe_key', '=', k).execute()).toEqual([]);

    const k2 = key('dup');
    const first = await t.db
      .transaction()
      .execute((trx) => enqueue(trx, { topic: 'test.a', payload: { x: 1 }, dedupeKey: k2 }));
    const second = await t.db
      .transaction()
      .execute((trx) => enqueue(trx, { topic: 'test.a', payload: { x: 2 }, dedupeKey: k2 }));
    expect([first, second]).toEqual([true, false]);
    const rows = await t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', k2).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, payload: { x: 1 } });
  });

  it('a failing handler is retried with exponential backoff, its writes undone; success settles it once', async () => {
    const k = key('flaky');
    let calls = 0;
    const handler: OutboxHandler = async (payload, ctx) => {
      calls++;
      // Work the handler does in the dispatcher's transaction: kept only when it succeeds.
      await enqueue(ctx.trx, {
        topic: 'test.child',
        payload: { call: calls },
        dedupeKey: `${k}:child:${calls}`,
      });
      if (calls < 3) throw new Error(`SMTP 451 lần ${calls}`);
      expect(payload).toEqual({ hello: 'xin chào' });
      return undefined;
    };
    const d = outboxDispatcher(
      t.db,
      { 'test.flaky': handler },
      { log: quiet, pollMs: 10, baseDelayMs: 60_000 },
    );
    await t.db
      .transaction()
      .execute((trx) => enqueue(trx, { topic: 'test.flaky', payload: { hello: 'xin chào' }, dedupeKey: k }));

    const t0 = Date.now();
    expect(await d.runOnce()).toBe(1);
    let r = await row(k);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP 451 lần 1', sent_at: null });
    let wait = r.next_attempt_at.getTime() - t0;
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThan(61_000 + (Date.now() - t0));
    expect(await d.runOnce()).toBe(0); // not due yet

    await makeDue(k);
    const t1 = Date.now();
    expect(await d.runOnce()).toBe(1);
    r = await row(k);
    expect(r).toMatchObject({ status: 'pending', attempts: 2, last_error: 'SMTP 451 lần 2' });
    wait = r.next_attempt_at.getTime() - t1;
    expect(wait).toBeGreaterThan(119_000); // doubled
    expect(wait).toBeLessThan(121_000 + (Date.now() - t1));

    await makeDue(k);
    expect(await d.runOnce()).toBe(1);
    r = await row(k);
    expect(r).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(r.sent_at).toBeInstanceOf(Date);
    await makeDue(k);
    expect(await d.runOnce()).toBe(0); // settled rows never run again
    expect(calls).toBe(3);
    const children = await t.db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('topic', '=', 'test.child')
      .where('dedupe_key', 'like', `${k}:child:%`)
      .execute();
    expect(children.map((c) => c.dedupe_key)).toEqual([`${k}:child:3`]);
  });

  it('an unavailable destination spends no attempt, pauses its topic only, and is tried again after the pause', async () => {
    const down = key('down');
    const down2 = key('down2');
    const other = key('other');
    let reachable = false;
    const calls: string[] = [];
    const d = outboxDispatcher(
      t.db,
      {
        'test.remote': async (payload) => {
          calls.push((payload as { k: string }).k);
          if (!reachable) throw new DestinationUnavailable('connect ECONNREFUSED', 300);
          return undefined;
        },
        'test.local': async () => undefined,
      },
      { log: quiet, pollMs: 10, baseDelayMs: 60_000, maxAttempts: 1 },
    );
    await t.db.transaction().execute(async (trx) => {
      await enqueue(trx, { topic: 'test.remote', payload: { k: down }, dedupeKey: down });
      await enqueue(trx, { topic: 'test.remote', payload: { k: down2 }, dedupeKey: down2 });
      await enqueue(trx, { topic: 'test.local', payload: {}, dedupeKey: other });
    });
    // The first remote row meets the closed door; the second is not tried during the pause;
    // the other topic goes on.
    expect(await d.runOnce()).toBe(2);
    expect(calls).toEqual([down]);
    expect(await row(down)).toMatchObject({
      status: 'pending',
      attempts: 0,
      last_error: 'connect ECONNREFUSED',
    });
    expect(await row(down2)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    expect((await row(other)).status).toBe('sent');
    await makeDue(down);
    expect(await d.runOnce()).toBe(0); // paused, though due
    // Still down after the pause: no attempt spent (maxAttempts 1 would have given it up).
    await sleep(350);
    expect(await d.runOnce()).toBe(1);
    expect(calls).toEqual([down, down2]);
    expect(await row(down2)).toMatchObject({ status: 'pending', attempts: 0 });
    reachable = true;
    await sleep(350);
    await makeDue(down);
    await makeDue(down2);
    expect(await d.runOnce()).toBe(2);
    expect(await row(down)).toMatchObject({ status: 'sent', attempts: 0, last_error: null });
    expect((await row(down2)).status).toBe('sent');
  });

  it('gives up after the last attempt; a handler may settle a row as skipped', async () => {
    const k = key('dead');
    const errors: string[] = [];
    const d = outboxDispatcher(
      t.db,
      {
        'test.dead': async () => {
          throw new Error('hộp thư không tồn tại');
        },
      },
      {
        log: { ...quiet, error: (_o, msg) => errors.push(msg) },
        pollMs: 10,
        baseDelayMs: 1,
        maxAttempts: 2,
      },
    );
    await t.db
      .transaction()
      .execute((trx) => enqueue(trx, { topic: 'test.dead', payload: {}, dedupeKey: k }));
    await d.runOnce();
    await makeDue(k);
    await d.runOnce();
    expect(await row(k)).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: 'hộp thư không tồn tại',
    });
    expect(errors).toEqual(['outbox: gave up after the last attempt']);
    await makeDue(k);
    expect(await d.runOnce()).toBe(0);
  });

  it('mail without SMTP_URL is settled as skipped with a clear log line', async () => {
    const k = key('mail');
    const lines: { obj: object; msg: string }[] = [];
    const log: OutboxLog = { ...quiet, info: (obj, msg) => lines.push({ obj, msg }) };
    const mailer = createMailer({ smtpUrl: undefined, smtpFrom: 'CongVu <x@example.vn>' });
    expect(mailer.enabled).toBe(false);
    const d = outboxDispatcher(t.db, { [MAIL_TOPIC]: mailHandler(mailer) }, { log, pollMs: 10 });
    await t.db
      .transaction()
      .execute((trx) =>
        enqueueMail(trx, { to: 'canbo@example.vn', subject: 'Văn bản đến chờ vào sổ', text: 'Nội dung' }, k),
      );
    expect(await d.runOnce()).toBe(1);
    expect(await row(k)).toMatchObject({ status: 'skipped', attempts: 0, sent_at: expect.any(Date) });
    expect(lines).toEqual([
      {
        msg: 'outbox: skipped',
        obj: expect.objectContaining({
          reason: 'SMTP_URL chưa đặt: không gửi thư "Văn bản đến chờ vào sổ" tới canbo@example.vn',
        }),
      },
    ]);
  });

  it('rows share a transaction in order; one failure undoes only its own writes; alone topics run alone', async () => {
    const topic = `test.batch.${n++}`;
    const lone = `test.alone.${n++}`;
    const order: string[] = [];
    const txids = new Map<string, string>();
    const d = outboxDispatcher(
      t.db,
      {
        [topic]: async (payload, ctx) => {
          const { i } = payload as { i: number };
          order.push(`b${i}`);
          txids.set(
            `b${i}`,
            (await sql<{ x: string }>`SELECT txid_current()::text AS x`.execute(ctx.trx)).rows[0]!.x,
          );
          await enqueue(ctx.trx, { topic: `${topic}.child`, payload: {}, dedupeKey: `${topic}:child:${i}` });
          if (i === 2) throw new Error('lỗi riêng của dòng 2');
          return undefined;
        },
        [lone]: async (_p, ctx) => {
          order.push('alone');
          txids.set(
            'alone',
            (await sql<{ x: string }>`SELECT txid_current()::text AS x`.execute(ctx.trx)).rows[0]!.x,
          );
          return undefined;
        },
      },
      { log: quiet, pollMs: 10, baseDelayMs: 60_000, rowsPerTransaction: 10, aloneTopics: [lone] },
    );
    await t.db.transaction().execute(async (trx) => {
      for (const i of [0, 1, 2, 3]) await enqueue(trx, { topic, payload: { i }, dedupeKey: `${topic}:${i}` });
      await enqueue(trx, { topic: lone, payload: {}, dedupeKey: `${lone}:1` });
      await enqueue(trx, { topic, payload: { i: 4 }, dedupeKey: `${topic}:4` });
    });
    expect(await d.runOnce()).toBe(6);
    expect(order).toEqual(['b0', 'b1', 'b2', 'b3', 'alone', 'b4']);
    // b0–b3 in one transaction, the alone row in its own, b4 in the next.
    expect(new Set(['b0', 'b1', 'b2', 'b3'].map((k) => txids.get(k))).size).toBe(1);
    expect(txids.get('alone')).not.toBe(txids.get('b0'));
    expect(txids.get('b4')).not.toBe(txids.get('alone'));
    for (const i of [0, 1, 3, 4]) expect((await row(`${topic}:${i}`)).status).toBe('sent');
    expect(await row(`${topic}:2`)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'lỗi riêng của dòng 2',
    });
    expect((await row(`${lone}:1`)).status).toBe('sent');
    const children = await t.db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('topic', '=', `${topic}.child`)
      .orderBy('dedupe_key')
      .execute();
    expect(children.map((c) => c.dedupe_key)).toEqual([0, 1, 3, 4].map((i) => `${topic}:child:${i}`));
  });

  it('two dispatchers in parallel never run the same row twice', async () => {
    const topic = `test.race.${n++}`;
    const seen: { id: string; by: string }[] = [];
    const slow =
      (by: string): OutboxHandler =>
      async (_p, ctx) => {
        seen.push({ id: ctx.id, by });
        await sleep(5);
        return undefined;
      };
    await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 40; i++) await enqueue(trx, { topic, payload: { i }, dedupeKey: `${topic}:${i}` });
    });
    const d1 = outboxDispatcher(t.db, { [topic]: slow('d1') }, { log: quiet, pollMs: 10 });
    const d2 = outboxDispatcher(t.db, { [topic]: slow('d2') }, { log: quiet, pollMs: 10 });
    const [n1, n2] = await Promise.all([d1.runOnce(1000), d2.runOnce(1000)]);
    expect(n1 + n2).toBe(40);
    expect(n1).toBeGreaterThan(0);
    expect(n2).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.id)).size).toBe(40);
    expect(seen).toHaveLength(40);
    const statuses = await t.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
      .where('topic', '=', topic)
      .groupBy('status')
      .execute();
    expect(statuses).toEqual([{ status: 'sent', n: '40' }]);
  });

  it('the loop runs due rows by itself and stops cleanly, finishing the row in hand', async () => {
    const topic = `test.loop.${n++}`;
    let started = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const d = outboxDispatcher(
      t.db,
      {
        [topic]: async () => {
          started++;
          await gate;
          return undefined;
        },
      },
      { log: quiet, pollMs: 10 },
    );
    d.start();
    await t.db.transaction().execute((trx) => enqueue(trx, { topic, payload: {}, dedupeKey: `${topic}:1` }));
    const until = Date.now() + 5000;
    while (started === 0 && Date.now() < until) await sleep(10);
    expect(started).toBe(1);
    const stopping = d.stop();
    setTimeout(release, 50);
    await stopping;
    expect(await row(`${topic}:1`)).toMatchObject({ status: 'sent' }); // stop waited for it
    await t.db.transaction().execute((trx) => enqueue(trx, { topic, payload: {}, dedupeKey: `${topic}:2` }));
    await sleep(100);
    expect(await row(`${topic}:2`)).toMatchObject({ status: 'pending' }); // stopped: nobody polls
    expect(started).toBe(1);
  });

  it('backoff doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 10_000, 3_600_000))).toEqual([
      10_000, 20_000, 40_000, 80_000, 3_600_000,
    ]);
  });
});
