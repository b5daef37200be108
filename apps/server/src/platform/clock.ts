import { z } from 'zod';
import type { Db } from '../db/pool.ts';
import { recordAudit } from './audit/service.ts';
import { type Api, actor } from './http.ts';

/**
 * The server's clock for business time (receipt of a dossier, deadlines, step times). Real time by
 * default. `CONGVU_CLOCK` starts it at another instant, after which it runs at normal speed: a demo
 * "on Friday 16:30 before a holiday", or a browser test of deadline rules. With
 * `CONGVU_CLOCK_CONTROL=1` an administrator may move it (POST /api/dev/clock) — for tests and
 * training installations only; the route does not exist otherwise. Sessions, tokens, certificates
 * and the audit log keep real time.
 */
export interface Clock {
  now(): Date;
  /** Moves business time to `at` (it keeps running from there). */
  set(at: Date): void;
  /** Whether business time differs from real time. */
  readonly shifted: boolean;
}

export function createClock(start?: Date): Clock {
  let offset = start ? start.getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    set(at: Date) {
      offset = at.getTime() - Date.now();
    },
    get shifted() {
      return offset !== 0;
    },
  };
}

/** POST /api/dev/clock (only with CONGVU_CLOCK_CONTROL=1): an administrator moves business time; audited. */
export function clockRoutes(app: Api, db: Db, clock: Clock) {
  app.post(
    '/api/dev/clock',
    {
      config: { access: 'org.manage' },
      schema: {
        tags: ['dev'],
        summary: 'Đặt thời gian nghiệp vụ (chỉ khi CONGVU_CLOCK_CONTROL=1: thử nghiệm, đào tạo)',
        body: z.object({ at: z.iso.datetime({ offset: true }) }),
        response: { 200: z.object({ now: z.string() }) },
      },
    },
    async (req) => {
      const before = clock.now();
      const at = new Date(req.body.at);
      await db.transaction().execute(async (trx) => {
        await recordAudit(trx, actor(req), {
          action: 'dev.clock.set',
          entityType: 'clock',
          entityId: null,
          summary: { before: before.toISOString(), after: at.toISOString() },
        });
      });
      clock.set(at);
      return { now: clock.now().toISOString() };
    },
  );
}
