import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { outboxRepo } from './repo.ts';

/**
 * Transactional outbox. A module enqueues work inside the transaction that makes the change, so
 * the work exists if and only if the change committed; the dispatcher runs it afterwards, once
 * in effect: rows are claimed under a row lock (FOR UPDATE SKIP LOCKED) and settled in the
 * same transaction that ran their handlers, so two dispatchers never run the same row together
 * and a handler's own database writes commit together with "sent". Up to `rowsPerTransaction`
 * rows, oldest first, share one transaction (each handler inside its own savepoint, so one
 * failure undoes only its own writes); a crash before the commit runs them all again, so
 * handlers with an effect outside the database that must not repeat (e-mail) are listed in
 * `aloneTopics` and run one row per transaction.
 */
export interface OutboxMessage {
  topic: string;
  payload: unknown;
  /** The same key enqueues once (a retried caller, a redelivered event). */
  dedupeKey: string;
  /** Not before this time (default: now). */
  due?: Date;
}

/** Adds a message inside the caller's transaction; false when its dedupe key was already there. */
export function enqueue(trx: Db, m: OutboxMessage): Promise<boolean> {
  return outboxRepo(trx).insert({
    id: uuidv7(),
    topic: m.topic,
    payload: m.payload,
    dedupe_key: m.dedupeKey,
    due: m.due ?? null,
  });
}

export interface OutboxLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HandlerContext {
  /** The dispatcher's transaction: writes here commit with the row's "sent". */
  trx: Db;
  id: string;
  dedupeKey: string;
  /** Failed attempts before this one. */
  attempts: number;
  log: OutboxLog;
}

/**
 * Thrown by a handler when the message's destination cannot be reached now (down, or answering
 * "try later"), which says nothing about the message itself: the row waits `retryInMs` without
 * spending one of its attempts (it is never given up for it), and its whole topic pauses as long —
 * the topic's other rows would meet the same closed door; the first due row after the pause
 * tries it again. The handler chooses the delay (and grows it while the destination stays down).
 */
export class DestinationUnavailable extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'DestinationUnavailable';
  }
}

/** Throw to retry later; return `{ skipped }` when there is nothing to do (said in the log). */
export type OutboxHandler = (
  payload: unknown,
  ctx: HandlerContext,
) => Promise<undefined | { skipped: string }>;

export interface DispatcherOptions {
  log: OutboxLog;
  /** Sleep between polls when nothing is due. */
  pollMs: number;
  /** Delay after the first failure; doubles with each further failure up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts the row is marked failed and left alone. */
  maxAttempts?: number;
  /** Rows per runOnce before the loop yields. */
  batch?: number;
  /** Rows claimed and settled in one transaction (default 20). */
  rowsPerTransaction?: number;
  /** Topics whose rows always run alone in their transaction (effects that must not repeat). */
  aloneTopics?: string[];
}

/** Exponential backoff: base, 2·base, 4·base, ... capped at max. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function outboxDispatcher(db: Db, handlers: Record<string, OutboxHandler>, opts: DispatcherOptions) {
  const topics = Object.keys(handlers);
  const base = opts.baseDelayMs ?? 10_000;
  const max_ = opts.maxDelayMs ?? 3_600_000;
  const maxAttempts = opts.maxAttempts ?? 12;
  const batch = opts.batch ?? 100;
  const { log } = opts;

  let running = false;
  let halt = false;
  /** Topics whose destination was unavailable, until when (epoch ms). */
  const pausedUntil = new Map<string, number>();
  const openTopics = () => topics.filter((t) => (pausedUntil.get(t) ?? 0) <= Date.now());
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;

  const perTransaction = Math.max(1, opts.rowsPerTransaction ?? 20);
  const alone = new Set(opts.aloneTopics ?? []);

  /**
   * Claims up to `max` due rows (oldest first; a row of an alone topic only by itself), runs
   * them in order and settles them in one transaction. Returns how many ran (0: none was free).
   */
  async function processBatch(max: number): Promise<number> {
    const open = openTopics();
    if (open.length === 0) return 0;
    const trx = await db.startTransaction().execute();
    try {
      const claimed = await outboxRepo(trx).claimDue(open, Math.max(1, Math.min(max, perTransaction)));
      const cut = claimed.findIndex((r) => alone.has(r.topic));
      const rows = cut === 0 ? claimed.slice(0, 1) : cut > 0 ? claimed.slice(0, cut) : claimed;
      const settled: { sent: string[]; skipped: string[] } = { sent: [], skipped: [] };
      /** Topics found unavailable in this batch: their later rows wait, untouched. */
      const closed = new Set<string>();
      let ran = 0;
      for (const row of rows) {
        if (ran > 0 && halt) break; // stopping: finish the row in hand, leave the rest
        if (closed.has(row.topic)) continue;
        ran++;
        const handler = handlers[row.topic]!;
        const sp = await trx.savepoint('outbox_handler').execute();
        try {
          const result = await handler(row.payload, {
            trx: sp,
            id: row.id,
            dedupeKey: row.dedupe_key,
            attempts: row.attempts,
            log,
          });
          await sp.releaseSavepoint('outbox_handler').execute();
          if (result?.skipped) {
            log.info({ id: row.id, topic: row.topic, reason: result.skipped }, 'outbox: skipped');
            settled.skipped.push(row.id);
          } else settled.sent.push(row.id);
        } catch (e) {
          // Undo whatever the handler wrote, keep the lock; then count the failure, unless the
          // destination was unavailable (not the message's fault).
          await sp.rollbackToSavepoint('outbox_handler').execute();
          if (e instanceof DestinationUnavailable) {
            const delay = Math.max(0, Math.round(e.retryInMs));
            await outboxRepo(trx).postpone(row.id, e.message, delay);
            pausedUntil.set(row.topic, Date.now() + delay);
            closed.add(row.topic);
            log.warn(
              { id: row.id, topic: row.topic, error: e.message, pausedForMs: delay },
              'outbox: destination unavailable, topic paused',
            );
            continue;
          }
          const attempts = row.attempts + 1;
          const delay = attempts >= maxAttempts ? null : backoffMs(attempts, base, max_);
          const error = e instanceof Error ? e.message : String(e);
          await outboxRepo(trx).fail(row.id, attempts, error, delay);
          if (delay === null)
            log.error(
              { id: row.id, topic: row.topic, attempts, error },
              'outbox: gave up after the last attempt',
            );
          else
            log.warn(
              { id: row.id, topic: row.topic, attempts, error, retryInMs: delay },
              'outbox: will retry',
            );
        }
      }
      await outboxRepo(trx).settle(settled.sent, 'sent');
      await outboxRepo(trx).settle(settled.skipped, 'skipped');
      await trx.commit().execute();
      return ran;
    } catch (e) {
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      throw e;
    }
  }

  const dispatcher = {
    topics,

    /** Runs due rows until none is free (or `limit` ran); returns how many ran. */
    async runOnce(limit = batch): Promise<number> {
      let n = 0;
      while (n < limit && !halt) {
        const ran = await processBatch(limit - n);
        if (ran === 0) break;
        n += ran;
      }
      return n;
    },

    /** Due rows still pending (including rows another dispatcher is running now). */
    due(): Promise<number> {
      return outboxRepo(db).countDue(topics);
    },

    start() {
      if (running || topics.length === 0) return;
      running = true;
      halt = false;
      loop = (async () => {
        while (running) {
          let ran = 0;
          try {
            ran = await dispatcher.runOnce();
          } catch (e) {
            log.error({ err: e }, 'outbox: dispatcher error, trying again after the poll interval');
          }
          if (running && ran === 0)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, opts.pollMs);
              wakeUp = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          wakeUp = null;
        }
      })();
    },

    /**
     * Stops polling and waits for the row in progress to settle. Afterwards nothing runs by itself;
     * `runOnce` still runs due rows when called (tests, maintenance).
     */
    async stop() {
      running = false;
      halt = true;
      wakeUp?.();
      await loop;
      loop = null;
      halt = false;
    },
  };
  return dispatcher;
}

export type OutboxDispatcher = ReturnType<typeof outboxDispatcher>;
