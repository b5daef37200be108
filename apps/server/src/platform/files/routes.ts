import { StoredFile } from '@congvu/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import { AppError } from '../errors.ts';
import { type Api, type AppContext, actor } from '../http.ts';
import { filesRepo } from './repo.ts';

export function fileRoutes(app: Api, ctx: AppContext) {
  app.post(
    '/api/files',
    {
      config: { access: 'files.write' },
      schema: {
        tags: ['files'],
        summary: 'Tải tệp lên (PDF, DOCX, XLSX, JPG, PNG, ZIP)',
        consumes: ['multipart/form-data'],
        response: { 201: StoredFile },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('BAD_REQUEST', undefined, 'Cần gửi tệp dạng multipart/form-data');
      const part = await req.file({ limits: { fileSize: ctx.config.maxUploadBytes, files: 1 } });
      if (!part) throw new AppError('BAD_REQUEST', undefined, 'Không có tệp nào được gửi');
      const data = await part.toBuffer();
      if (part.file.truncated) throw new AppError('FILE_TOO_LARGE', { maxBytes: ctx.config.maxUploadBytes });
      const stored = await ctx.blobs.put(data);
      const name = (part.filename || `tep.${stored.type.ext}`).slice(0, 255);
      const uploader = req.auth?.officialId;
      if (!uploader) throw new AppError('FORBIDDEN');
      await ctx.db.transaction().execute(async (trx) => {
        await filesRepo(trx).insertBlob({ sha256: stored.sha256, size: stored.size, mime: stored.type.mime });
        await filesRepo(trx).addUploader(stored.sha256, uploader);
        await recordAudit(trx, actor(req), {
          action: 'file.uploaded',
          entityType: 'blob',
          entityId: stored.sha256,
          summary: { name, size: stored.size, mime: stored.type.mime },
        });
      });
      return reply
        .status(201)
        .send({ sha256: stored.sha256, size: stored.size, mime: stored.type.mime, name });
    },
  );

  app.get(
    '/api/files/:sha256',
    {
      config: { access: 'files.read' },
      schema: {
        tags: ['files'],
        summary: 'Tải về tệp mình đã tải lên (tệp của văn bản tải qua văn bản)',
        params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (req, reply) => {
      const who = req.auth?.officialId;
      const blob = who ? await filesRepo(ctx.db).findOwnBlob(req.params.sha256, who) : undefined;
      if (!blob) throw new AppError('FILE_NOT_FOUND');
      return sendBlob(ctx, reply, blob, null);
    },
  );
}

/** Sends a stored blob inline (browsers show PDFs and images), with its name when known. */
export async function sendBlob(
  ctx: AppContext,
  reply: FastifyReply,
  blob: { sha256: string; mime: string },
  name: string | null,
) {
  const data = await ctx.blobs.read(blob.sha256);
  if (name) reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
  // An upload is never a page of this site: no script, no plugin, not embeddable by another site.
  // A PDF keeps Chromium's viewer (it does not open in a sandboxed document); its type was sniffed.
  if (blob.mime !== 'application/pdf')
    reply.header(
      'content-security-policy',
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
  return reply
    .header('content-type', blob.mime)
    .header('cache-control', 'private, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'same-origin')
    .send(data);
}
