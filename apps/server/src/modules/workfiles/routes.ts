import {
  AddWorkFileNote,
  ArchiveDueItem,
  ArchiveDueQuery,
  AttachDocument,
  CloseWorkFile,
  CreateFileList,
  CreateFileListItem,
  DepositWorkFile,
  FileList,
  FileListDetail,
  FileListQuery,
  IsoDate,
  List,
  OpenWorkFile,
  Page,
  ReopenWorkFile,
  RetentionClass,
  UpdateFileListItem,
  Uuid,
  WorkFile,
  WorkFileDetail,
  WorkFileQuery,
} from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { workfilesPolicy } from './policy.ts';
import type { WorkfilesService } from './service.ts';

const tags = ['workfiles'];
const IdParams = z.object({ id: Uuid });
const ItemParams = z.object({ id: Uuid, itemId: Uuid });
const DocParams = z.object({ id: Uuid, documentId: Uuid });
const NoteParams = z.object({ id: Uuid, noteId: Uuid });
const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, 'Idempotency-Key gồm 8–100 ký tự chữ, số, gạch')
  .optional();

export function workfilesRoutes(app: Api, files: WorkfilesService) {
  const who = (req: Parameters<typeof authOf>[0]) => ({ ...actor(req), auth: authOf(req) });

  app.get(
    '/api/workfiles/retention-classes',
    {
      config: { access: workfilesPolicy.read },
      schema: {
        tags,
        summary: 'Danh mục thời hạn bảo quản hồ sơ, tài liệu',
        querystring: z.object({ asOf: IsoDate.optional() }),
        response: { 200: List(RetentionClass) },
      },
    },
    async (req) => ({ items: await files.retentionClasses(req.query.asOf) }),
  );

  // --- Danh mục hồ sơ

  app.get(
    '/api/workfiles/lists',
    {
      config: { access: workfilesPolicy.read },
      schema: {
        tags,
        summary: 'Danh mục hồ sơ của cơ quan mình, theo năm',
        querystring: FileListQuery,
        response: { 200: List(FileList) },
      },
    },
    async (req) => ({ items: await files.lists(authOf(req), req.query) }),
  );
  app.post(
    '/api/workfiles/lists',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Lập danh mục hồ sơ của năm',
        body: CreateFileList,
        response: { 201: FileListDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await files.createList(who(req), req.body)),
  );
  app.get(
    '/api/workfiles/lists/:id',
    {
      config: { access: workfilesPolicy.read },
      schema: {
        tags,
        summary: 'Danh mục hồ sơ và các hồ sơ trong danh mục',
        params: IdParams,
        response: { 200: FileListDetail },
      },
    },
    async (req) => files.getList(authOf(req), req.params.id),
  );
  app.post(
    '/api/workfiles/lists/:id/items',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Thêm hồ sơ vào danh mục (chưa duyệt)',
        params: IdParams,
        body: CreateFileListItem,
        response: { 201: FileListDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await files.addItem(who(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/workfiles/lists/:id/items/:itemId',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Sửa hồ sơ trong danh mục (chưa duyệt)',
        params: ItemParams,
        body: UpdateFileListItem,
        response: { 200: FileListDetail },
      },
    },
    async (req) => files.updateItem(who(req), req.params.id, req.params.itemId, req.body),
  );
  app.delete(
    '/api/workfiles/lists/:id/items/:itemId',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Bỏ hồ sơ khỏi danh mục (chưa duyệt)',
        params: ItemParams,
        response: { 200: FileListDetail },
      },
    },
    async (req) => files.removeItem(who(req), req.params.id, req.params.itemId),
  );
  app.post(
    '/api/workfiles/lists/:id/approve',
    {
      config: { access: workfilesPolicy.approveList },
      schema: {
        tags,
        summary: 'Duyệt danh mục hồ sơ (người đứng đầu cơ quan)',
        params: IdParams,
        response: { 200: FileListDetail },
      },
    },
    async (req) => files.approveList(who(req), req.params.id),
  );

  // --- Hồ sơ công việc

  app.get(
    '/api/workfiles/files',
    {
      config: { access: workfilesPolicy.read },
      schema: {
        tags,
        summary: 'Hồ sơ công việc được xem: của mình, của phòng mình, hoặc cả cơ quan (lãnh đạo, văn thư)',
        querystring: WorkFileQuery,
        response: { 200: Page(WorkFile) },
      },
    },
    async (req) => files.listFiles(authOf(req), req.query),
  );
  app.post(
    '/api/workfiles/files',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Lập hồ sơ công việc theo danh mục hoặc ngoài danh mục',
        body: OpenWorkFile,
        response: { 201: WorkFileDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await files.openFile(who(req), req.body)),
  );
  app.get(
    '/api/workfiles/files/:id',
    {
      config: { access: workfilesPolicy.read },
      schema: {
        tags,
        summary: 'Hồ sơ công việc: văn bản, ghi chú, trạng thái',
        params: IdParams,
        response: { 200: WorkFileDetail },
      },
    },
    async (req) => files.getFile(authOf(req), req.params.id),
  );
  app.post(
    '/api/workfiles/files/:id/documents',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Đưa văn bản vào hồ sơ',
        params: IdParams,
        body: AttachDocument,
        response: { 200: WorkFileDetail },
      },
    },
    async (req) => files.attachDocument(who(req), req.params.id, req.body.documentId),
  );
  app.delete(
    '/api/workfiles/files/:id/documents/:documentId',
    {
      config: { access: workfilesPolicy.manage },
      schema: { tags, summary: 'Rút văn bản khỏi hồ sơ (hồ sơ đang mở)', params: DocParams },
    },
    async (req, reply) => {
      await files.detachDocument(who(req), req.params.id, req.params.documentId);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/workfiles/files/:id/notes',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Thêm ghi chú vào hồ sơ',
        params: IdParams,
        headers: z.object({ 'idempotency-key': IdempotencyKey }),
        body: AddWorkFileNote,
        response: { 201: WorkFileDetail },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await files.addNote(who(req), req.params.id, req.body.body, req.headers['idempotency-key'] ?? null),
        ),
  );
  app.delete(
    '/api/workfiles/files/:id/notes/:noteId',
    {
      config: { access: workfilesPolicy.manage },
      schema: { tags, summary: 'Xóa ghi chú (hồ sơ đang mở)', params: NoteParams },
    },
    async (req, reply) => {
      await files.removeNote(who(req), req.params.id, req.params.noteId);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/workfiles/files/:id/close',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Kết thúc hồ sơ (đóng hồ sơ) kèm chứng từ kết thúc',
        params: IdParams,
        body: CloseWorkFile,
        response: { 200: WorkFileDetail },
      },
    },
    async (req) => files.close(who(req), req.params.id, req.body),
  );
  app.post(
    '/api/workfiles/files/:id/reopen',
    {
      config: { access: workfilesPolicy.manage },
      schema: {
        tags,
        summary: 'Mở lại hồ sơ đã kết thúc (lãnh đạo, quản trị cơ quan)',
        params: IdParams,
        body: ReopenWorkFile,
        response: { 200: WorkFileDetail },
      },
    },
    async (req) => files.reopen(who(req), req.params.id, req.body.reason),
  );
  app.post(
    '/api/workfiles/files/:id/deposit',
    {
      config: { access: workfilesPolicy.archive },
      schema: {
        tags,
        summary: 'Ghi nhận nộp lưu hồ sơ vào Lưu trữ cơ quan',
        params: IdParams,
        body: DepositWorkFile,
        response: { 200: WorkFileDetail },
      },
    },
    async (req) => files.deposit(who(req), req.params.id, req.body.depositedOn),
  );
  app.get(
    '/api/workfiles/archive-due',
    {
      config: { access: workfilesPolicy.archive },
      schema: {
        tags,
        summary: 'Hồ sơ đến hạn nộp lưu (01 năm sau khi kết thúc, thời hạn bảo quản từ 05 năm)',
        querystring: ArchiveDueQuery,
        response: { 200: List(ArchiveDueItem) },
      },
    },
    async (req) => ({ items: await files.archiveDue(authOf(req), req.query) }),
  );
}
