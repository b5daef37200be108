import {
  CreateProcedureSector,
  List,
  NewProcedureVersion,
  Page,
  ProcedureDetail,
  ProcedureExportQuery,
  ProcedureImportBody,
  ProcedureImportReport,
  ProcedureInput,
  ProcedureQuery,
  ProcedureSector,
  ProcedureSummary,
  PublishProcedure,
  UpdateProcedure,
  Uuid,
} from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { proceduresPolicy as policy } from './policy.ts';
import type { ProceduresService } from './service.ts';

const tags = ['procedures'];
const IdParams = z.object({ id: Uuid });
/** A province's whole catalogue in one LayThuTuc file. */
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export function proceduresRoutes(app: Api, procedures: ProceduresService) {
  const who = (req: Parameters<typeof authOf>[0]) => ({ ...actor(req), auth: authOf(req) });

  app.get(
    '/api/procedure-sectors',
    {
      config: { access: policy.read },
      schema: {
        tags,
        summary: 'Danh mục lĩnh vực thủ tục hành chính',
        response: { 200: List(ProcedureSector) },
      },
    },
    async () => ({ items: await procedures.sectors() }),
  );
  app.post(
    '/api/procedure-sectors',
    {
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Thêm lĩnh vực',
        body: CreateProcedureSector,
        response: { 201: ProcedureSector },
      },
    },
    async (req, reply) => reply.status(201).send(await procedures.createSector(who(req), req.body)),
  );

  app.get(
    '/api/procedures',
    {
      config: { access: policy.read },
      schema: {
        tags,
        summary: 'Tra cứu thủ tục hành chính (mặc định: phiên bản có hiệu lực hôm nay)',
        querystring: ProcedureQuery,
        response: { 200: Page(ProcedureSummary) },
      },
    },
    async (req) => procedures.list(req.query),
  );
  app.post(
    '/api/procedures',
    {
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Thêm thủ tục hành chính',
        body: ProcedureInput,
        response: { 201: ProcedureDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await procedures.create(who(req), req.body)),
  );
  app.get(
    '/api/procedures/export',
    {
      config: { access: policy.read },
      schema: {
        tags,
        summary: 'Xuất danh mục theo cấu trúc LayThuTuc của Cổng Dịch vụ công quốc gia',
        querystring: ProcedureExportQuery,
        response: { 200: z.object({ result: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (req) => procedures.exportRecords(req.query),
  );
  app.post(
    '/api/procedures/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Nhập danh mục từ tệp LayThuTuc (mảng bản ghi hoặc { result: [...] })',
        body: ProcedureImportBody,
        response: { 200: ProcedureImportReport },
      },
    },
    async (req) => procedures.importRecords(who(req), req.body),
  );
  app.get(
    '/api/procedures/:id',
    {
      config: { access: policy.read },
      schema: { tags, summary: 'Chi tiết thủ tục', params: IdParams, response: { 200: ProcedureDetail } },
    },
    async (req) => procedures.get(req.params.id),
  );
  app.put(
    '/api/procedures/:id',
    {
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Sửa nội dung phiên bản (khi chưa có hồ sơ)',
        params: IdParams,
        body: UpdateProcedure,
        response: { 200: ProcedureDetail },
      },
    },
    async (req) => procedures.update(who(req), req.params.id, req.body),
  );
  app.post(
    '/api/procedures/:id/publish',
    {
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Công bố hoặc ngừng công bố',
        params: IdParams,
        body: PublishProcedure,
        response: { 200: ProcedureDetail },
      },
    },
    async (req) => procedures.setPublished(who(req), req.params.id, req.body.published),
  );
  app.post(
    '/api/procedures/:id/versions',
    {
      config: { access: policy.manage },
      schema: {
        tags,
        summary: 'Phiên bản mới có hiệu lực từ ngày (đóng phiên bản đang có hiệu lực)',
        params: IdParams,
        body: NewProcedureVersion,
        response: { 201: ProcedureDetail },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await procedures.newVersion(who(req), req.params.id, req.body)),
  );
}
