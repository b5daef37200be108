import { Page, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor } from '../../platform/http.ts';
import type { DvcqgSyncService } from './dvcqg-service.ts';

/** Who administers the national portal sync: the same administrators as the document exchange. */
export const DVCQG_ACCESS = 'exchange.manage' as const;

const tags = ['dvcqg'];
const SyncState = z.enum(['pending', 'sent', 'failed', 'disabled']);

export const SyncLogQuery = z.object({
  state: SyncState.optional(),
  dossierId: Uuid.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type SyncLogQuery = z.infer<typeof SyncLogQuery>;

export const SyncLogEntry = z.object({
  id: Uuid,
  dossierId: Uuid,
  dossierCode: z.string(),
  eventId: Uuid,
  service: z.enum(['DongBoHoSoMC', 'CapNhatTienDoHoSoMC']),
  isUpdating: z.boolean(),
  state: SyncState,
  attempts: z.number().int(),
  httpStatus: z.number().int().nullable(),
  response: z.string().nullable(),
  error: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type SyncLogEntry = z.infer<typeof SyncLogEntry>;

export function dvcqgRoutes(app: Api, sync: DvcqgSyncService) {
  app.get(
    '/api/dvcqg/sync-log',
    {
      config: { access: DVCQG_ACCESS },
      schema: {
        tags,
        summary: 'Nhật ký đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia',
        querystring: SyncLogQuery,
        response: { 200: Page(SyncLogEntry) },
      },
    },
    async (req) => sync.list(req.query),
  );
  app.post(
    '/api/dvcqg/sync-log/:id/retry',
    {
      config: { access: DVCQG_ACCESS },
      schema: {
        tags,
        summary: 'Gửi lại một thông điệp đồng bộ bị lỗi hoặc chưa gửi',
        params: z.object({ id: Uuid }),
        response: { 202: z.object({ queued: z.literal(true) }) },
      },
    },
    async (req, reply) => reply.status(202).send(await sync.retry(actor(req), req.params.id)),
  );
}
