import { AuditEntry, AuditQuery, AuditVerifyResult, Page } from '@congvu/contracts';
import type { Api, AppContext } from '../http.ts';
import { listAudit, verifyAudit } from './service.ts';

export function auditRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Nhật ký hệ thống',
        querystring: AuditQuery,
        response: { 200: Page(AuditEntry) },
      },
    },
    async (req) => {
      const { items, total } = await listAudit(ctx.db, req.query);
      return {
        total,
        items: items.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          onBehalfOfId: r.on_behalf_of_id,
          onBehalfOfName: r.on_behalf_of_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          summary: r.summary,
          ip: r.ip,
        })),
      };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Kiểm tra toàn vẹn chuỗi nhật ký',
        response: { 200: AuditVerifyResult },
      },
    },
    async () => verifyAudit(ctx.db),
  );
}
