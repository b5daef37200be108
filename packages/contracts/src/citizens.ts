/**
 * Citizen accounts of the public-service portal (issue 7): sign-up/sign-in with phone or e-mail
 * and password, reset by e-mail, OIDC sign-in, the profile and the data store.
 * Primitives are declared here rather than imported from index.ts, which re-exports this file.
 */
import { z } from 'zod';

const Id = z.uuid();
const Instant = z.string();

/** The staff rule (index.ts NewPassword), repeated to avoid an import cycle. */
export const CitizenPassword = z
  .string()
  .min(10, 'Mật khẩu cần ít nhất 10 ký tự')
  .max(200)
  .regex(/[A-Za-z]/, 'Mật khẩu cần có chữ cái')
  .regex(/\d/, 'Mật khẩu cần có chữ số');

/** A Vietnamese mobile number, +84 / 84 / 0 prefix, spaces and dots allowed; normalised to 0 + 9 digits. */
export const CitizenPhone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s.-]/g, ''))
  .pipe(z.string().regex(/^(\+?84|0)\d{9}$/, 'Số điện thoại không hợp lệ'))
  .transform((s) => `0${s.slice(-9)}`);

export const CitizenEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Thư điện tử không hợp lệ').max(254));

/** Căn cước công dân: 12 digits. */
export const CccdNumber = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'Số CCCD gồm 12 chữ số');

export const CitizenSignUp = z
  .object({
    email: CitizenEmail.optional(),
    phone: CitizenPhone.optional(),
    password: CitizenPassword,
    fullName: z.string().trim().min(2).max(200),
  })
  .refine((v) => v.email !== undefined || v.phone !== undefined, {
    message: 'Cần số điện thoại hoặc thư điện tử',
    path: ['email'],
  });
export type CitizenSignUp = z.infer<typeof CitizenSignUp>;

export const CitizenSignIn = z.object({
  /** Phone number or e-mail address. */
  login: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type CitizenSignIn = z.infer<typeof CitizenSignIn>;

export const CitizenProfile = z.object({
  id: Id,
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  idNo: z.string().nullable(),
  address: z.string().nullable(),
  hasPassword: z.boolean(),
  /** OIDC identities linked to the account (issuer URLs). */
  identities: z.array(z.object({ issuer: z.string(), linkedAt: Instant })),
  /** Dossier notifications by e-mail / SMS (the notification centre always has them). */
  notifyEmail: z.boolean(),
  notifySms: z.boolean(),
  createdAt: Instant,
});
export type CitizenProfile = z.infer<typeof CitizenProfile>;

/** PUT /api/citizen/me: the whole editable profile; null clears a field. */
export const CitizenProfileUpdate = z.object({
  fullName: z.string().trim().min(2).max(200),
  email: CitizenEmail.nullable(),
  phone: CitizenPhone.nullable(),
  idNo: CccdNumber.nullable(),
  address: z.string().trim().max(500).nullable(),
});
export type CitizenProfileUpdate = z.infer<typeof CitizenProfileUpdate>;

export const CitizenResetRequest = z.object({ email: CitizenEmail });
export const CitizenResetConfirm = z.object({
  token: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{40,64}$/, 'Liên kết đặt lại mật khẩu không hợp lệ'),
  newPassword: CitizenPassword,
});

/** Where to go after an OIDC sign-in: a path on this site only (never another origin). */
export const CitizenOidcStartQuery = z.object({
  returnTo: z
    .string()
    .max(500)
    .regex(/^\/(?![/\\])[^\s]*$/, 'Địa chỉ quay lại phải là một đường dẫn trong trang')
    .optional(),
  /** 1: link an identity to the signed-in account instead of signing in. */
  link: z.enum(['0', '1']).optional(),
});
export const CitizenOidcCallbackQuery = z.object({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(500).optional(),
});

export const CitizenStoreItem = z.object({
  id: Id,
  kind: z.enum(['component', 'result']),
  code: z.string().nullable(),
  name: z.string(),
  blob: z.string(),
  sourceDossierCode: z.string().nullable(),
  validUntil: z.string().nullable(),
  createdAt: Instant,
});
export type CitizenStoreItem = z.infer<typeof CitizenStoreItem>;

/** A notification of the citizen's notification centre (one dossier event). */
export const CitizenNotification = z.object({
  id: Id,
  dossierId: Id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string(),
  createdAt: Instant,
  readAt: Instant.nullable(),
});
export type CitizenNotification = z.infer<typeof CitizenNotification>;
export const CitizenNotificationList = z.object({
  items: z.array(CitizenNotification),
  unread: z.number().int(),
});
export type CitizenNotificationList = z.infer<typeof CitizenNotificationList>;
export const CitizenNotificationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** PUT /api/citizen/notification-preferences. */
export const CitizenNotificationPrefs = z.object({ email: z.boolean(), sms: z.boolean() });
export type CitizenNotificationPrefs = z.infer<typeof CitizenNotificationPrefs>;

/** DELETE /api/citizen/identities: the identity to unlink. */
export const CitizenIdentityRef = z.object({ issuer: z.string().min(1).max(500) });
