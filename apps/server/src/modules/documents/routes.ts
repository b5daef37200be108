import {
  AssignDocument,
  Assignment,
  CreateOutgoing,
  CreateRegister,
  DocumentDetail,
  DocumentQuery,
  DocumentSummary,
  DocumentType,
  FinishAssignment,
  IsoDate,
  IssueDocument,
  IssueResult,
  List,
  NumberDocument,
  NumberResult,
  Page,
  Register,
  RegisterBook,
  RegisterBookQuery,
  RegisterIncoming,
  RegisterReceived,
  ReturnAssignment,
  ReturnIncoming,
  ReviewDecision,
  SigningChallenges,
  StartDocumentSigning,
  SubmitDraft,
  Uuid,
  WORK_QUEUES,
} from '@congvu/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { sendBlob } from '../../platform/files/routes.ts';
import { type Api, type AppContext, actor, authOf } from '../../platform/http.ts';
import { tableToPdf, tableToXlsx } from '../../platform/print/table.ts';
import { documentsPolicy } from './policy.ts';
import { documentsHandlingRoutes } from './routes-handling.ts';
import type { DocumentsService } from './service.ts';

const tags = ['documents'];
const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, 'Idempotency-Key gồm 8–100 ký tự chữ, số, gạch')
  .optional();

export function documentsRoutes(app: Api, docs: DocumentsService, ctx: AppContext) {
  documentsHandlingRoutes(app, docs);
  app.get(
    '/api/documents/types',
    {
      config: { access: 'session' },
      schema: {
        tags,
        summary: 'Danh mục tên loại văn bản (NĐ 30)',
        querystring: z.object({ asOf: IsoDate.optional() }),
        response: { 200: List(DocumentType) },
      },
    },
    async (req) => ({ items: await docs.listTypes(req.query.asOf) }),
  );
  app.get(
    '/api/documents/registers',
    {
      config: { access: documentsPolicy.read },
      schema: { tags, summary: 'Sổ đăng ký văn bản của cơ quan mình', response: { 200: List(Register) } },
    },
    async (req) => ({ items: await docs.listRegisters(authOf(req)) }),
  );
  app.get(
    '/api/documents/registers/:id/book',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary:
          'Sổ đăng ký văn bản đến/đi và sổ theo dõi giải quyết (Phụ lục IV NĐ 30): xem, in PDF, xuất XLSX',
        params: z.object({ id: Uuid }),
        querystring: RegisterBookQuery,
      },
    },
    async (req, reply) => {
      const b = await docs.book(authOf(req), req.params.id, req.query);
      const file = `${b.register.code}-${req.query.year}${b.kind === 'tracking' ? '-theo-doi' : ''}`;
      if (req.query.format === 'pdf')
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file)}.pdf`)
          .send(await tableToPdf(b.table));
      if (req.query.format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file)}.xlsx`)
          .send(await tableToXlsx(b.table, b.register.code));
      return RegisterBook.parse({
        registerId: b.register.id,
        kind: b.kind,
        title: b.table.heading[1]?.text ?? '',
        heading: b.table.heading.map((h) => h.text),
        year: req.query.year,
        columns: b.table.columns.map((c) => c.header),
        rows: b.table.rows,
        documentIds: b.documentIds,
      });
    },
  );
  app.post(
    '/api/documents/registers',
    {
      config: { access: documentsPolicy.manageRegisters },
      schema: { tags, summary: 'Mở sổ đăng ký văn bản', body: CreateRegister, response: { 201: Register } },
    },
    async (req, reply) => reply.status(201).send(await docs.createRegister(actor(req), req.body)),
  );
  app.post(
    '/api/documents/incoming',
    {
      config: { access: documentsPolicy.register },
      schema: {
        tags,
        summary: 'Vào sổ văn bản đến (giấy hoặc bản quét)',
        headers: z.object({ 'idempotency-key': IdempotencyKey }),
        body: RegisterIncoming,
        response: {
          201: z.object({
            documentId: Uuid,
            number: z.number().int(),
            year: z.number().int(),
            replayed: z.boolean(),
          }),
        },
      },
    },
    async (req, reply) => {
      const auth = authOf(req);
      const r = await docs.registerIncoming(
        { ...actor(req), auth },
        req.body,
        req.headers['idempotency-key'] ?? null,
      );
      return reply.status(201).send(r);
    },
  );
  app.get(
    '/api/documents',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Tìm văn bản (không dấu, không phân biệt hoa thường), mới nhất trước',
        querystring: DocumentQuery,
        response: { 200: z.object({ items: z.array(DocumentSummary), hasMore: z.boolean() }) },
      },
    },
    async (req) => docs.search(authOf(req), req.query),
  );
  app.get(
    '/api/documents/:id/files/:position',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Tải tệp của văn bản (người được xem văn bản)',
        params: z.object({ id: Uuid, position: z.coerce.number().int().min(1).max(1000) }),
      },
    },
    async (req, reply) => {
      const f = await docs.file(authOf(req), req.params.id, req.params.position);
      return sendBlob(ctx, reply, f, f.name);
    },
  );
  app.get(
    '/api/documents/:id/blobs/:sha256',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Tải tệp gắn với văn bản (phiên bản dự thảo, tệp kèm ý kiến) cho người được xem văn bản',
        params: z.object({ id: Uuid, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (req, reply) => {
      const f = await docs.attachedFile(authOf(req), req.params.id, req.params.sha256);
      return sendBlob(ctx, reply, f, f.name);
    },
  );
  app.get(
    '/api/documents/count',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Đếm số văn bản tìm được (tới 1 000)',
        querystring: DocumentQuery,
        response: { 200: z.object({ total: z.number().int(), capped: z.boolean() }) },
      },
    },
    async (req) => docs.count(authOf(req), req.query),
  );
  app.get(
    '/api/documents/:id',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Chi tiết văn bản và diễn biến xử lý',
        params: z.object({ id: Uuid }),
        response: { 200: DocumentDetail },
      },
    },
    async (req) => {
      if (!req.auth) throw new AppError('UNAUTHENTICATED');
      return docs.get(req.auth, req.params.id);
    },
  );

  const DocParams = z.object({ id: Uuid });
  const AssignmentParams = z.object({ id: Uuid, assignmentId: Uuid });
  app.post(
    '/api/documents/:id/assignments',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Bút phê, phân công xử lý (chủ trì / phối hợp / để biết)',
        params: DocParams,
        body: AssignDocument,
        response: { 201: List(Assignment) },
      },
    },
    async (req, reply) => {
      const items = await docs.assign({ ...actor(req), auth: authOf(req) }, req.params.id, req.body);
      return reply.status(201).send({ items });
    },
  );
  app.post(
    '/api/documents/:id/assignments/:assignmentId/start',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Bắt đầu xử lý',
        params: AssignmentParams,
        response: { 200: List(Assignment) },
      },
    },
    async (req) => ({
      items: await docs.handle({ ...actor(req), auth: authOf(req) }, req.params.id, req.params.assignmentId, {
        kind: 'start',
      }),
    }),
  );
  app.post(
    '/api/documents/:id/assignments/:assignmentId/finish',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Hoàn thành xử lý',
        params: AssignmentParams,
        body: FinishAssignment,
        response: { 200: List(Assignment) },
      },
    },
    async (req) => ({
      items: await docs.handle({ ...actor(req), auth: authOf(req) }, req.params.id, req.params.assignmentId, {
        kind: 'finish',
        result: req.body.result,
      }),
    }),
  );
  app.post(
    '/api/documents/:id/assignments/:assignmentId/return',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Trả lại người giao',
        params: AssignmentParams,
        body: ReturnAssignment,
        response: { 200: List(Assignment) },
      },
    },
    async (req) => ({
      items: await docs.handle({ ...actor(req), auth: authOf(req) }, req.params.id, req.params.assignmentId, {
        kind: 'return',
        reason: req.body.reason,
      }),
    }),
  );

  const Queue = z.enum(WORK_QUEUES);
  app.get(
    '/api/documents/worklist',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Việc cần làm: chờ phân công, chờ xử lý, đang xử lý, quá hạn, để biết',
        querystring: z.object({
          queue: Queue,
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: Page(DocumentSummary) },
      },
    },
    async (req) => docs.worklist(authOf(req), req.query.queue, req.query.page, req.query.pageSize),
  );
  app.get(
    '/api/documents/worklist/counts',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Số việc trong từng hàng đợi',
        response: { 200: z.record(Queue, z.number().int()) },
      },
    },
    async (req) => docs.worklistCounts(authOf(req)),
  );

  const who = (req: Parameters<typeof authOf>[0]) => ({ ...actor(req), auth: authOf(req) });
  app.post(
    '/api/documents/outgoing',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Dự thảo văn bản đi và trình duyệt',
        body: CreateOutgoing,
        response: { 201: z.object({ documentId: Uuid }) },
      },
    },
    async (req, reply) => reply.status(201).send(await docs.createOutgoing(who(req), req.body)),
  );
  app.post(
    '/api/documents/:id/submit',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Trình duyệt lại dự thảo (các bước, có thể có nhóm duyệt song song)',
        params: DocParams,
        body: SubmitDraft,
      },
    },
    async (req, reply) => {
      await docs.submit(who(req), req.params.id, req.body);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/documents/:id/review',
    {
      config: { access: documentsPolicy.read },
      schema: { tags, summary: 'Duyệt hoặc trả lại dự thảo', params: DocParams, body: ReviewDecision },
    },
    async (req, reply) => {
      await docs.review(who(req), req.params.id, req.body.decision, req.body.comment, req.body.signing);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/documents/:id/signing/start',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Ký số bằng thiết bị của người ký (USB token): lấy dữ liệu cần ký',
        params: DocParams,
        body: StartDocumentSigning,
        response: { 200: SigningChallenges },
      },
    },
    async (req) => {
      const b = req.body;
      if (b.purpose === 'personal')
        return { challenges: await docs.startPersonalSigning(who(req), req.params.id) };
      return { challenges: await docs.startAgencySigning(who(req), req.params.id, b.registerId) };
    },
  );
  app.post(
    '/api/documents/:id/number',
    {
      config: { access: documentsPolicy.register },
      schema: {
        tags,
        summary: 'Cấp số, ký hiệu văn bản đi (trước khi ký số cơ quan và phát hành)',
        params: DocParams,
        body: NumberDocument,
        response: { 200: NumberResult },
      },
    },
    async (req) => docs.numberDocument(who(req), req.params.id, req.body.registerId),
  );
  app.post(
    '/api/documents/:id/issue',
    {
      config: { access: documentsPolicy.register },
      schema: {
        tags,
        summary: 'Phát hành: cấp số, ký số cơ quan, kiểm tra chữ ký và gửi nơi nhận',
        params: DocParams,
        body: IssueDocument,
        response: { 200: IssueResult },
      },
    },
    async (req) => docs.issue(who(req), req.params.id, req.body.registerId, req.body.signing),
  );
  app.post(
    '/api/documents/:id/register',
    {
      config: { access: documentsPolicy.register },
      schema: {
        tags,
        summary: 'Vào sổ văn bản điện tử đã đến',
        params: DocParams,
        body: RegisterReceived,
        response: {
          200: z.object({
            documentId: Uuid,
            number: z.number().int(),
            year: z.number().int(),
            replayed: z.boolean(),
          }),
        },
      },
    },
    async (req) => docs.registerReceived(who(req), req.params.id, req.body.registerId),
  );
  app.post(
    '/api/documents/:id/return',
    {
      config: { access: documentsPolicy.register },
      schema: {
        tags,
        summary: 'Trả lại văn bản điện tử đã đến (từ chối tiếp nhận, gửi trạng thái 02 kèm lý do)',
        params: DocParams,
        body: ReturnIncoming,
        response: { 200: z.object({ documentId: Uuid, status: z.literal('returned') }) },
      },
    },
    async (req) => docs.returnIncoming(who(req), req.params.id, req.body.reason),
  );
}
