/**
 * The exchange hub's operator API (/api/hub-admin): agencies, connected systems, queues, messages,
 * dead letters, purge. The hub's own API for systems (/hub/v1) is described in the server's
 * modules/hub/schema.ts; these are what the operator's screen and the server share.
 */
import { z } from 'zod';

/** An agency code at the hub: QĐ 20/2020 (H37.02.02) or QCVN 102 (000.00.00.H49). */
export const HubCode = z.string().regex(/^[0-9A-Z.]{1,35}$/, 'Mã định danh: chữ in hoa, số và dấu chấm');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const HubAdminAgency = z.object({
  code: z.string(),
  legacyCode: z.string().nullable(),
  name: z.string(),
  parentCode: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type HubAdminAgency = z.infer<typeof HubAdminAgency>;

export const HubAgencyQuery = z.object({
  /** Diacritic- and case-insensitive words matched against name and codes. */
  q: z.string().max(200).optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const HubAgencyCreate = z.object({
  code: HubCode,
  legacyCode: HubCode.nullish().or(z.literal('').transform(() => null)),
  name: z.string().trim().min(1, 'Nhập tên cơ quan').max(500),
  parentCode: HubCode.nullish().or(z.literal('').transform(() => null)),
  email: optionalText(200).pipe(z.email('Thư điện tử không hợp lệ').nullable()),
  phone: optionalText(50),
});
export type HubAgencyCreate = z.input<typeof HubAgencyCreate>;

/** Everything but the code (the routing address) may change; absent fields stay. */
export const HubAgencyPatch = z
  .object({
    legacyCode: HubCode.nullable().or(z.literal('').transform(() => null)),
    name: z.string().trim().min(1, 'Nhập tên cơ quan').max(500),
    parentCode: HubCode.nullable().or(z.literal('').transform(() => null)),
    email: optionalText(200).pipe(z.email('Thư điện tử không hợp lệ').nullable()),
    phone: optionalText(50),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Không có gì để sửa');
export type HubAgencyPatch = z.input<typeof HubAgencyPatch>;

export const HubAdminSystem = z.object({
  id: z.uuid(),
  name: z.string(),
  active: z.boolean(),
  callbackUrl: z.string().nullable(),
  agencies: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
export type HubAdminSystem = z.infer<typeof HubAdminSystem>;

export const HubSystemCreate = z.object({
  name: z.string().trim().min(1, 'Nhập tên hệ thống').max(200),
  agencies: z.array(HubCode).min(1, 'Chọn ít nhất một cơ quan').max(500),
  callbackUrl: z
    .url({ protocol: /^https?$/, error: 'Địa chỉ http(s)' })
    .nullish()
    .or(z.literal('').transform(() => null)),
});
export type HubSystemCreate = z.input<typeof HubSystemCreate>;

/** A new system or a rotated secret: the secret is shown this once and never again. */
export const HubSystemSecret = z.object({
  id: z.uuid(),
  name: z.string(),
  agencies: z.array(z.string()),
  secret: z.string(),
});
export type HubSystemSecret = z.infer<typeof HubSystemSecret>;

const QueueCounts = {
  edoc: z.number().int(),
  status: z.number().int(),
  /** Arrival of the oldest pending delivery; null when nothing waits. */
  oldestAt: z.iso.datetime().nullable(),
};
export const HubQueues = z.object({
  /** The hub's clock, for the age of the oldest pending delivery. */
  now: z.iso.datetime(),
  agencies: z.array(z.object({ code: z.string(), name: z.string(), ...QueueCounts })),
  systems: z.array(z.object({ id: z.uuid(), name: z.string(), ...QueueCounts })),
});
export type HubQueues = z.infer<typeof HubQueues>;

export const HUB_DELIVERY_STATES = ['pending', 'done', 'fail'] as const;
export const HubMessageQuery = z.object({
  id: z.uuid().optional(),
  /** Sending agency. */
  from: HubCode.optional(),
  /** A recipient agency. */
  to: HubCode.optional(),
  kind: z.enum(['edoc', 'status']).optional(),
  /** A delivery (to `to`, if given) in this state. */
  state: z.enum(HUB_DELIVERY_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type HubMessageQuery = z.input<typeof HubMessageQuery>;

export const HubAdminMessage = z.object({
  id: z.uuid(),
  kind: z.enum(['edoc', 'status']),
  from: z.string(),
  senderSystem: z.uuid(),
  documentId: z.string(),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  size: z.number().int(),
  createdAt: z.iso.datetime(),
  deliveries: z.array(
    z.object({
      to: z.string(),
      state: z.enum(HUB_DELIVERY_STATES),
      fetchedCount: z.number().int(),
      firstFetchedAt: z.iso.datetime().nullable(),
      ackedAt: z.iso.datetime().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type HubAdminMessage = z.infer<typeof HubAdminMessage>;

/**
 * What did not get through: a delivery its recipient acknowledged `fail`, or a push to a
 * system's callback that failed every try while the message still waits for that system.
 */
export const HubDeadLetter = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('delivery'),
    messageId: z.uuid(),
    kind: z.enum(['edoc', 'status']),
    from: z.string(),
    to: z.string(),
    documentId: z.string(),
    createdAt: z.iso.datetime(),
    at: z.iso.datetime(),
    reason: z.string().nullable(),
  }),
  z.object({
    type: z.literal('push'),
    messageId: z.uuid(),
    kind: z.enum(['edoc', 'status']),
    from: z.string(),
    systemId: z.uuid(),
    systemName: z.string(),
    callbackUrl: z.string().nullable(),
    documentId: z.string(),
    createdAt: z.iso.datetime(),
    at: z.iso.datetime(),
    attempts: z.number().int(),
    reason: z.string().nullable(),
  }),
]);
export type HubDeadLetter = z.infer<typeof HubDeadLetter>;

/** Requeue: a failed delivery goes back to its recipient's queue; a failed push is tried again. */
export const HubRequeue = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delivery'), messageId: z.uuid(), to: HubCode }),
  z.object({ type: z.literal('push'), messageId: z.uuid(), systemId: z.uuid() }),
]);
export type HubRequeue = z.infer<typeof HubRequeue>;

export const HubPurge = z.object({ days: z.number().int().min(0).max(36_500) });
export const HubPurgeResult = z.object({
  messages: z.number().int(),
  deliveries: z.number().int(),
  nonces: z.number().int(),
});
export type HubPurgeResult = z.infer<typeof HubPurgeResult>;
