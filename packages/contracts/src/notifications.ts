import { z } from 'zod';

/** What a notification is about (the bell shows them; each may also go out by e-mail). */
export const NOTIFICATION_KINDS = [
  'document_assigned', // a document was assigned to the official or their department
  'draft_to_review', // a draft waits for the official's review
  'draft_returned', // the official's draft was returned by a reviewer
  'draft_approved', // the official's draft was approved
  'document_received', // an issued document arrived in the incoming queue of the clerk's agency
  'document_to_assign', // a registered incoming document is presented to the agency's leaders
  'assignment_done', // an assignment the official gave was finished
  'assignment_returned', // an assignment the official gave was returned
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const Notification = z.object({
  id: z.uuid(),
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  /** Path in the staff web app, e.g. /van-ban/<id>. */
  link: z.string().nullable(),
  documentId: z.uuid().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type NotificationQuery = z.input<typeof NotificationQuery>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  total: z.number().int(),
  unread: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const NotificationCount = z.object({ unread: z.number().int() });
export type NotificationCount = z.infer<typeof NotificationCount>;
