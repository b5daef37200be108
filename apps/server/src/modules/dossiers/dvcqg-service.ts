import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Db } from '../../db/pool.ts';
import type { DvcqgService, DvcqgSyncState } from '../../db/schema.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueue, type OutboxHandler } from '../../platform/outbox/service.ts';
import { capNhatTienDoHoSoMC, dongBoHoSoMC, dvcqgAccepted } from './dvcqg.ts';
import { dvcqgRepo } from './dvcqg-repo.ts';

/**
 * The national portal sync (STANDARDS §4.6). A dossier event (published by the dossiers module on
 * topic `dossiers.event`) is handed to `onDossierEvent`, which queues topic `dvcqg.sync` in the
 * same transaction; the handler builds DongBoHoSoMC from the dossier as it is when sent (a retried
 * old event never sends a stale snapshot) and, for step events, CapNhatTienDoHoSoMC, and POSTs
 * them. Each (event, service) is one row of dvcqg_sync_log, written outside the outbox
 * transaction so that failed attempts stay visible; a failure throws, and the outbox retries with
 * its backoff. A message already sent is not sent again by a retry.
 */
export const DVCQG_SYNC_TOPIC = 'dvcqg.sync';

export const DvcqgSyncMessage = z.object({ dossierId: z.uuid(), eventId: z.uuid() });
export type DvcqgSyncMessage = z.infer<typeof DvcqgSyncMessage>;

export interface DvcqgOptions {
  /** CONGVU_DVCQG_URL; undefined: nothing is sent, each message is logged as disabled. */
  url: string | undefined;
  /** CONGVU_DVCQG_TOKEN, sent as a bearer token. */
  token: string | undefined;
  /** Base of the links to files in the payloads (CONGVU_PUBLIC_URL). */
  publicUrl: string | undefined;
  timeoutMs?: number;
}

export function dvcqgService(db: Db, opts: DvcqgOptions) {
  const repo = dvcqgRepo(db);
  const fileUrl = (sha: string) => `${opts.publicUrl ?? ''}/api/files/${sha}`;

  async function post(body: unknown) {
    const res = await fetch(opts.url as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token && { authorization: `Bearer ${opts.token}` }),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    return { status: res.status, text: await res.text() };
  }

  /** Sends one message unless already sent; throws on failure (after logging it). */
  async function deliver(
    m: DvcqgSyncMessage,
    service: DvcqgService,
    isUpdating: boolean,
    payload: unknown,
  ): Promise<'sent' | 'already' | 'disabled'> {
    const before = await repo.findLog(m.eventId, service);
    if (before?.state === 'sent') return 'already';
    const row = await repo.upsertLog({
      id: uuidv7(),
      dossierId: m.dossierId,
      eventId: m.eventId,
      service,
      isUpdating,
      payload,
    });
    if (!opts.url) {
      await repo.settle(row.id, {
        state: 'disabled',
        attempted: false,
        error: 'CONGVU_DVCQG_URL chưa được cấu hình',
      });
      return 'disabled';
    }
    let status: number | null = null;
    let text: string | null = null;
    try {
      ({ status, text } = await post(payload));
    } catch (e) {
      const error = `không gửi được: ${(e as Error).message}`;
      await repo.settle(row.id, { state: 'failed', attempted: true, error });
      throw new Error(`${service}: ${error}`);
    }
    const verdict = dvcqgAccepted(status, text);
    if (!verdict.ok) {
      await repo.settle(row.id, {
        state: 'failed',
        attempted: true,
        httpStatus: status,
        response: text,
        error: verdict.reason,
      });
      throw new Error(`${service}: ${verdict.reason}`);
    }
    await repo.settle(row.id, { state: 'sent', attempted: true, httpStatus: status, response: text });
    return 'sent';
  }

  const handler: OutboxHandler = async (payload) => {
    const parsed = DvcqgSyncMessage.safeParse(payload);
    if (!parsed.success) return { skipped: 'thông điệp không hợp lệ' };
    const m = parsed.data;
    if (!(await repo.eventExists(m.dossierId, m.eventId))) return { skipped: 'không có sự kiện hồ sơ' };
    const dossier = await repo.loadDossier(m.dossierId, fileUrl);
    if (!dossier) return { skipped: 'không có hồ sơ' };
    const isUpdating = await repo.sentBefore(m.dossierId, m.eventId);
    const outcomes = [await deliver(m, 'DongBoHoSoMC', isUpdating, dongBoHoSoMC(dossier, isUpdating))];
    const progress = await repo.loadProgress(m.dossierId, m.eventId);
    if (progress) outcomes.push(await deliver(m, 'CapNhatTienDoHoSoMC', true, capNhatTienDoHoSoMC(progress)));
    if (outcomes.includes('disabled')) return { skipped: 'CONGVU_DVCQG_URL chưa được cấu hình: không gửi' };
    if (outcomes.every((o) => o === 'already')) return { skipped: 'đã gửi trước đó' };
    return undefined;
  };

  return {
    enabled: opts.url !== undefined,

    /**
     * The subscriber of the dossiers module's `dossiers.event`: queues the sync in the caller's
     * transaction (once per event).
     */
    async onDossierEvent(trx: Db, e: DvcqgSyncMessage): Promise<boolean> {
      return enqueue(trx, { topic: DVCQG_SYNC_TOPIC, payload: e, dedupeKey: `dvcqg:${e.eventId}` });
    },

    /** The outbox handler of `dvcqg.sync`. */
    handler,

    async list(q: {
      state?: DvcqgSyncState | undefined;
      dossierId?: string | undefined;
      page: number;
      pageSize: number;
    }) {
      const { items, total } = await repo.list({
        state: q.state,
        dossierId: q.dossierId,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        total,
        items: items.map((r) => ({
          id: r.id,
          dossierId: r.dossier_id,
          dossierCode: r.dossier_code,
          eventId: r.event_id,
          service: r.service,
          isUpdating: r.is_updating,
          state: r.state,
          attempts: r.attempts,
          httpStatus: r.http_status,
          response: r.response,
          error: r.error,
          payload: r.payload as Record<string, unknown>,
          createdAt: r.created_at.toISOString(),
          lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
          sentAt: r.sent_at?.toISOString() ?? null,
        })),
      };
    },

    /** Queues a failed or disabled message again (a new outbox row: the old one may have given up). */
    async retry(actor: AuditActor, id: string) {
      const row = await repo.getLog(id);
      if (!row) throw new AppError('DVCQG_SYNC_NOT_FOUND');
      if (row.state === 'sent' || row.state === 'pending') throw new AppError('DVCQG_SYNC_NOT_RETRYABLE');
      await db.transaction().execute(async (trx) => {
        await enqueue(trx, {
          topic: DVCQG_SYNC_TOPIC,
          payload: { dossierId: row.dossier_id, eventId: row.event_id },
          dedupeKey: `dvcqg:${row.event_id}:retry:${uuidv7()}`,
        });
        await recordAudit(trx, actor, {
          action: 'dvcqg.retry',
          entityType: 'dvcqg_sync_log',
          entityId: row.id,
          summary: { dossierId: row.dossier_id, service: row.service, state: row.state },
        });
      });
      return { queued: true as const };
    },
  };
}

export type DvcqgSyncService = ReturnType<typeof dvcqgService>;
