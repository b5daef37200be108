import { z } from 'zod';
import type { Db } from '../../db/pool.ts';
import { enqueue } from '../../platform/outbox/service.ts';

/**
 * Workflow events the documents module publishes on the outbox (topic `documents.event`), in the
 * transaction of the transition. They state facts (who acted, whose turn it is now); subscribers
 * (notifications) decide what to do with them. This file is the module's published contract.
 */
export const DOCUMENTS_EVENT_TOPIC = 'documents.event';

const Base = z.object({
  documentId: z.uuid(),
  subject: z.string(),
  /** Secret documents (mật and above): subscribers must not copy the subject out of the system. */
  secret: z.boolean(),
  actorId: z.uuid().nullable(),
});

export const DocumentEvent = z.discriminatedUnion('kind', [
  Base.extend({
    kind: z.literal('assigned'),
    assignments: z
      .array(
        z.object({
          id: z.uuid(),
          role: z.enum(['lead', 'support', 'info']),
          officialId: z.uuid().nullable(),
          departmentId: z.uuid().nullable(),
          deadline: z.string().nullable(),
        }),
      )
      .min(1),
  }),
  /** A draft waits for a reviewer: sent (round start) or passed on by the previous reviewer. */
  Base.extend({
    kind: z.enum(['submitted', 'forwarded']),
    round: z.number().int(),
    step: z.number().int(),
    reviewerId: z.uuid(),
  }),
  Base.extend({
    kind: z.enum(['review_returned', 'approved']),
    approvalId: z.uuid(),
    drafterId: z.uuid().nullable(),
    comment: z.string().nullable(),
  }),
  /** Registered (vào sổ): presented to the agency's leaders to assign; urgent ones say so at once. */
  Base.extend({
    kind: z.literal('registered'),
    agencyId: z.uuid(),
    number: z.number().int(),
    urgency: z.enum(['normal', 'urgent', 'very_urgent', 'flash']),
  }),
  /** Issued, with the incoming copies delivered to recipient agencies of this installation. */
  Base.extend({
    kind: z.literal('issued'),
    issuerName: z.string(),
    number: z.string(),
    notation: z.string(),
    deliveredTo: z.array(z.object({ agencyId: z.uuid(), documentId: z.uuid() })),
    /** Recipients outside this installation (by electronic code): the exchange sends to them. */
    external: z.array(z.object({ code: z.string(), name: z.string() })).default([]),
  }),
  Base.extend({
    kind: z.enum(['assignment_done', 'assignment_returned']),
    assignmentId: z.uuid(),
    assignerId: z.uuid(),
    note: z.string(),
  }),
]);
export type DocumentEvent = z.infer<typeof DocumentEvent>;

/** The event's natural identity: publishing the same transition twice enqueues it once. */
export function documentEventKey(e: DocumentEvent): string {
  switch (e.kind) {
    case 'assigned':
      return `documents:assigned:${e.assignments[0]!.id}`;
    case 'submitted':
    case 'forwarded':
      // One per reviewer: a parallel group's members each hear of their turn.
      return `documents:${e.kind}:${e.documentId}:${e.round}:${e.step}:${e.reviewerId}`;
    case 'registered':
      return `documents:registered:${e.documentId}`;
    case 'review_returned':
    case 'approved':
      return `documents:${e.kind}:${e.approvalId}`;
    case 'issued':
      return `documents:issued:${e.documentId}`;
    case 'assignment_done':
    case 'assignment_returned':
      return `documents:${e.kind}:${e.assignmentId}`;
  }
}

/** Publishes inside the transition's transaction. */
export function publishDocumentEvent(trx: Db, e: DocumentEvent): Promise<boolean> {
  const event = DocumentEvent.parse(e);
  return enqueue(trx, { topic: DOCUMENTS_EVENT_TOPIC, payload: event, dedupeKey: documentEventKey(event) });
}

/**
 * Status transitions of a document (topic `documents.status`), published once per document and
 * kind in the transaction that records them: the exchange turns those of documents that came
 * from another installation into edXML business statuses (01 received … 06 done, 02 returned).
 */
export const DOCUMENTS_STATUS_TOPIC = 'documents.status';

export const DocumentStatusKind = z.enum([
  'received',
  'registered',
  'assigned',
  'in_progress',
  'done',
  'returned',
]);
export const DocumentStatusEvent = z.object({
  documentId: z.uuid(),
  kind: DocumentStatusKind,
  actorId: z.uuid().nullable(),
  at: z.iso.datetime(),
  /** Why (returned): the reason given to the sender. */
  note: z.string().optional(),
});
export type DocumentStatusEvent = z.infer<typeof DocumentStatusEvent>;

export function publishDocumentStatus(trx: Db, e: DocumentStatusEvent): Promise<boolean> {
  const event = DocumentStatusEvent.parse(e);
  return enqueue(trx, {
    topic: DOCUMENTS_STATUS_TOPIC,
    payload: event,
    dedupeKey: `documents:status:${event.documentId}:${event.kind}`,
  });
}

/**
 * An issued document recalled (thu hồi), replaced or updated (topic `documents.validity`), once
 * per document and kind (updates: once per update): the exchange tells the recipients outside
 * the installation.
 */
export const DOCUMENTS_VALIDITY_TOPIC = 'documents.validity';
export const DocumentValidityEvent = z.object({
  documentId: z.uuid(),
  kind: z.enum(['recalled', 'replaced', 'updated']),
  reason: z.string(),
  actorId: z.uuid().nullable(),
  /** replaced: the document that replaces it. */
  replacementId: z.uuid().optional(),
  /** updated: this update's id (a document may be updated more than once). */
  updateId: z.uuid().optional(),
  /** updated: the corrected fields, as they are after the update. */
  fields: z
    .object({
      subject: z.string(),
      signerCompetence: z.string().nullable(),
      signerPosition: z.string().nullable(),
      signerName: z.string().nullable(),
      pageCount: z.number().int().nullable(),
    })
    .optional(),
});
export type DocumentValidityEvent = z.infer<typeof DocumentValidityEvent>;

export function publishDocumentValidity(trx: Db, e: DocumentValidityEvent): Promise<boolean> {
  const event = DocumentValidityEvent.parse(e);
  return enqueue(trx, {
    topic: DOCUMENTS_VALIDITY_TOPIC,
    payload: event,
    dedupeKey: `documents:validity:${event.documentId}:${event.kind}${event.updateId ? `:${event.updateId}` : ''}`,
  });
}
