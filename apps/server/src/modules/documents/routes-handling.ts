import {
  AddDraftVersion,
  AssignmentForward,
  DraftVersion,
  ForwardAssignment,
  ForwardReview,
  List,
  Opinion,
  RecallDocument,
  RecordOpinion,
  ReplaceDocument,
  UpdateIssued,
  Uuid,
  ValidityChangeResult,
} from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { documentsPolicy } from './policy.ts';
import type { DocumentsService } from './service.ts';

/** Routes of document handling: opinions, forwarding, draft versions, review forwarding, recall. */
export function documentsHandlingRoutes(app: Api, docs: DocumentsService) {
  const tags = ['documents'];
  const DocParams = z.object({ id: Uuid });
  const AssignmentParams = z.object({ id: Uuid, assignmentId: Uuid });
  const IdempotencyKey = z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, 'Idempotency-Key gồm 8–100 ký tự chữ, số, gạch')
    .optional();
  const who = (req: Parameters<typeof authOf>[0]) => ({ ...actor(req), auth: authOf(req) });

  app.post(
    '/api/documents/:id/assignments/:assignmentId/opinions',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Ghi ý kiến xử lý (kèm tệp) vào một phân công',
        params: AssignmentParams,
        headers: z.object({ 'idempotency-key': IdempotencyKey }),
        body: RecordOpinion,
        response: { 201: Opinion },
      },
    },
    async (req, reply) => {
      const opinion = await docs.recordOpinion(
        who(req),
        req.params.id,
        req.params.assignmentId,
        req.body,
        req.headers['idempotency-key'] ?? null,
      );
      return reply.status(201).send(opinion);
    },
  );
  app.post(
    '/api/documents/:id/assignments/:assignmentId/forward',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Chuyển xử lý cho cán bộ hoặc phòng ban khác trong cơ quan',
        params: AssignmentParams,
        body: ForwardAssignment,
        response: { 201: AssignmentForward },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await docs.forwardAssignment(who(req), req.params.id, req.params.assignmentId, req.body)),
  );
  app.get(
    '/api/documents/:id/versions',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Các phiên bản dự thảo (tệp chính)',
        params: DocParams,
        response: { 200: List(DraftVersion) },
      },
    },
    async (req) => ({ items: await docs.listVersions(authOf(req), req.params.id) }),
  );
  app.post(
    '/api/documents/:id/versions',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Thêm phiên bản dự thảo (DOCX, PDF đã tải lên)',
        params: DocParams,
        body: AddDraftVersion,
        response: { 201: DraftVersion },
      },
    },
    async (req, reply) => reply.status(201).send(await docs.addVersion(who(req), req.params.id, req.body)),
  );
  app.post(
    '/api/documents/:id/review/forward',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Chuyển duyệt cho cán bộ khác (thêm một bước sau bước hiện tại)',
        params: DocParams,
        body: ForwardReview,
      },
    },
    async (req, reply) => {
      await docs.forwardReview(who(req), req.params.id, req.body);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/documents/:id/recall',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Thu hồi văn bản đã phát hành',
        params: DocParams,
        body: RecallDocument,
        response: { 200: ValidityChangeResult },
      },
    },
    async (req) => docs.recall(who(req), req.params.id, req.body.reason),
  );
  app.post(
    '/api/documents/:id/replace',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Thay thế văn bản đã phát hành bằng văn bản khác đã phát hành',
        params: DocParams,
        body: ReplaceDocument,
        response: { 200: ValidityChangeResult },
      },
    },
    async (req) => docs.replace(who(req), req.params.id, req.body.reason, req.body.replacementId),
  );
  app.post(
    '/api/documents/:id/update',
    {
      config: { access: documentsPolicy.read },
      schema: {
        tags,
        summary: 'Cập nhật thông tin văn bản đã phát hành',
        params: DocParams,
        body: UpdateIssued,
        response: { 200: ValidityChangeResult },
      },
    },
    async (req) => docs.updateIssued(who(req), req.params.id, req.body),
  );
}
