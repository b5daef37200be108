import { IsoDate, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import type { Api } from '../../platform/http.ts';
import { authOf } from '../../platform/http.ts';
import { csvStream, xlsxStream } from './export.ts';
import { statsPolicy } from './stats-policy.ts';
import type { StatsService } from './stats-service.ts';

const tags = ['dossiers'];

const Period = z.object({ agencyId: Uuid.optional(), from: IsoDate, to: IsoDate });
const DashboardQuery = Period.extend({ by: z.enum(['agency', 'procedure', 'official']).default('agency') });
const ExportQuery = z.object({
  agencyId: Uuid.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  state: z
    .enum([
      'submitted',
      'received',
      'refused',
      'processing',
      'supplement',
      'financial',
      'withdrawn',
      'stopped',
      'done',
      'delivered',
    ])
    .optional(),
});
const PublicQuery = z.object({
  agencyCode: z
    .string()
    .regex(/^[0-9A-Za-z.]{1,40}$/, 'Mã định danh cơ quan không hợp lệ')
    .optional(),
  year: z.coerce.number().int().min(2022).max(2100),
});

/** The QĐ 766 index, the supervisor dashboard and the exports (dossiers.supervise), and the public index. */
export function statsRoutes(app: Api, stats: StatsService) {
  app.get(
    '/api/dossiers/stats/index766',
    {
      config: { access: statsPolicy.supervise },
      schema: {
        tags,
        summary: 'Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) của cơ quan hoặc toàn tỉnh trong kỳ',
        querystring: Period,
      },
    },
    async (req) => stats.index766(authOf(req), req.query),
  );

  app.get(
    '/api/public/service-index',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Chỉ số QĐ 766 công khai theo năm (cơ quan theo mã định danh, hoặc toàn tỉnh): chỉ số liệu',
        querystring: PublicQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return stats.publicIndex(req.query);
    },
  );

  app.get(
    '/api/dossiers/stats/dashboard',
    {
      config: { access: statsPolicy.supervise },
      schema: {
        tags,
        summary:
          'Theo dõi hồ sơ: đang xử lý trong hạn / quá hạn, tạm dừng, đã xong đúng hạn / trễ hạn, rút, từ chối',
        querystring: DashboardQuery,
      },
    },
    async (req) => stats.dashboard(authOf(req), req.query),
  );

  const name = (q: z.infer<typeof ExportQuery>) =>
    `ho-so${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}${q.state ? `-${q.state}` : ''}`;

  app.get(
    '/api/dossiers/export.csv',
    {
      config: { access: statsPolicy.supervise },
      schema: { tags, summary: 'Xuất danh sách hồ sơ (CSV UTF-8), truyền dần', querystring: ExportQuery },
    },
    async (req, reply) => {
      const f = await stats.exportFilter(authOf(req), req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name(req.query)}.csv"`)
        .header('cache-control', 'no-store')
        .send(csvStream(stats.exportPage, f));
    },
  );

  app.get(
    '/api/dossiers/export.xlsx',
    {
      config: { access: statsPolicy.supervise },
      schema: { tags, summary: 'Xuất danh sách hồ sơ (XLSX), truyền dần', querystring: ExportQuery },
    },
    async (req, reply) => {
      const f = await stats.exportFilter(authOf(req), req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name(req.query)}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(xlsxStream(stats.exportPage, f));
    },
  );
}
