import { z } from 'zod';

/**
 * Request and response schemas of the hub API (/hub/v1), each with its inferred type. The
 * client (client.ts) parses every answer with the same schemas.
 */

/** Agency code: QĐ 20/2020 (e.g. H37.02.02) or QCVN 102 (e.g. 000.00.00.H49): dots, digits, A–Z. */
export const HubAgencyCode = z
  .string()
  .regex(/^[0-9A-Z.]{1,35}$/, 'mã định danh: chữ in hoa, số và dấu chấm');
export const MessageKind = z.enum(['edoc', 'status']);
export type MessageKind = z.infer<typeof MessageKind>;
export const MessageId = z.uuid();

export const SendHeaders = z.object({
  'x-message-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  /** Comma-separated agency codes. */
  'x-to': z
    .string()
    .max(4000)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(HubAgencyCode).min(1).max(200))
    .optional(),
});

export const SendResult = z.object({
  id: MessageId,
  recipients: z.array(z.string()),
});
export type SendResult = z.infer<typeof SendResult>;

export const ListQuery = z.object({
  kind: MessageKind.optional(),
  agency: HubAgencyCode.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** `true`: small envelopes come inline (base64 `body`), fetched with the list. */
  withBodies: z.enum(['true', 'false', '1', '0']).optional(),
});
export type ListQuery = {
  kind?: MessageKind;
  agency?: string;
  limit?: number;
  withBodies?: 'true' | 'false' | '1' | '0';
};

export const PendingMessage = z.object({
  id: MessageId,
  kind: MessageKind,
  from: z.string(),
  /** The recipient agency this queue entry is for. */
  to: z.string(),
  documentId: z.string(),
  businessType: z.number().int().min(0).max(3).optional(),
  statusCode: z.string().optional(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
  /** The envelope (base64), when asked for with `withBodies` and small enough. */
  body: z.string().optional(),
});
export type PendingMessage = z.infer<typeof PendingMessage>;

export const FetchQuery = z.object({ agency: HubAgencyCode.optional() });

export const AckBody = z.object({
  agency: HubAgencyCode,
  status: z.enum(['done', 'fail']),
  reason: z.string().max(2000).optional(),
});
export type AckBody = z.infer<typeof AckBody>;

export const AckResult = z.object({
  id: MessageId,
  agency: z.string(),
  /** The delivery's state after the call: the first acknowledgement wins. */
  state: z.enum(['done', 'fail']),
  ackedAt: z.iso.datetime(),
});
export type AckResult = z.infer<typeof AckResult>;

export const AckManyBody = z.object({
  items: z
    .array(AckBody.extend({ id: MessageId }))
    .min(1)
    .max(1000),
});
export const AckManyResult = z.object({
  items: z.array(
    z.union([
      AckResult,
      z.object({ id: z.string(), agency: z.string(), error: z.literal('HUB_MESSAGE_NOT_FOUND') }),
    ]),
  ),
});
export type AckManyResult = z.infer<typeof AckManyResult>;

export const SentQuery = z.object({
  kind: MessageKind.optional(),
  /** Messages accepted at or after this instant. */
  since: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type SentQuery = { kind?: MessageKind; since?: string; limit?: number };

export const SentMessage = z.object({
  id: MessageId,
  kind: MessageKind,
  from: z.string(),
  documentId: z.string(),
  statusCode: z.string().optional(),
  createdAt: z.iso.datetime(),
  recipients: z.array(
    z.object({
      code: z.string(),
      state: z.enum(['pending', 'done', 'fail']),
      fetchedAt: z.iso.datetime().nullable(),
      ackedAt: z.iso.datetime().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type SentMessage = z.infer<typeof SentMessage>;

export const HubAgency = z.object({
  code: z.string(),
  legacyCode: z.string().nullable(),
  name: z.string(),
  parentCode: z.string().nullable(),
});
export type HubAgency = z.infer<typeof HubAgency>;

export const HubHealth = z.object({ status: z.literal('ok'), db: z.literal('ok'), time: z.iso.datetime() });

/** The error body every refusal carries (as in the rest of the app), with the axis error number. */
export const HubErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
