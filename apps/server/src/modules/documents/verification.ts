import type { VerificationReport } from '@congvu/pades';
import { renderReportVi } from '@congvu/pades';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Db } from '../../db/pool.ts';
import { enqueue, type OutboxHandler } from '../../platform/outbox/service.ts';
import { documentsRepo } from './repo.ts';

/**
 * Incoming documents are verified on arrival: the registering (or delivering) transaction asks
 * for it on the outbox, and this handler verifies every PDF of the document and keeps the report
 * with it. Off the request path, retried if it fails, done once.
 */
export const DOCUMENTS_VERIFY_TOPIC = 'documents.verify';
const Payload = z.object({ documentId: z.uuid() });

export function requestVerification(trx: Db, documentId: string): Promise<boolean> {
  return enqueue(trx, {
    topic: DOCUMENTS_VERIFY_TOPIC,
    payload: { documentId },
    dedupeKey: `documents:verify:${documentId}`,
  });
}

export interface PdfVerifier {
  readBlob(sha256: string): Promise<Uint8Array>;
  verify(pdf: Uint8Array): Promise<VerificationReport>;
}

export function verificationHandler(verifier: PdfVerifier): OutboxHandler {
  return async (payload, ctx) => {
    const { documentId } = Payload.parse(payload);
    const r = documentsRepo(ctx.trx);
    const files = await r.pdfFilesOf(documentId);
    if (files.length === 0) return { skipped: 'no PDF file' };
    for (const f of files) {
      const report = await verifier.verify(await verifier.readBlob(f.sha256));
      await r.insertSignatureCheck({
        id: uuidv7(),
        document_id: documentId,
        sha256: f.sha256,
        signature_count: report.signatures.length,
        valid: report.valid,
        trusted: report.trusted,
        report: JSON.stringify(report),
        report_text: report.signatures.length ? renderReportVi(report) : 'Tệp không có chữ ký số.',
      });
    }
    return undefined;
  };
}
