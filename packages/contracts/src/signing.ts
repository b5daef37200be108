import { z } from 'zod';

/** A root certificate the operator trusts (the national root CA, the Government-specialised CA). */
export const TrustAnchor = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string(),
  serialNumber: z.string(),
  fingerprintSha256: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  addedAt: z.string(),
  addedByName: z.string().nullable(),
});
export type TrustAnchor = z.infer<typeof TrustAnchor>;

export const AddTrustAnchor = z.object({
  name: z.string().trim().min(3).max(200),
  /** One certificate, PEM ("-----BEGIN CERTIFICATE-----"). */
  pem: z.string().trim().min(100).max(20000),
});
export type AddTrustAnchor = z.infer<typeof AddTrustAnchor>;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Dữ liệu base64');

/**
 * How a signer signs now: the password of their PKCS#12 credential (opened in memory, never
 * stored), or the signatures their token produced for the challenges of a signing session.
 */
export const SigningInput = z.union([
  z.strictObject({ password: z.string().min(1).max(200) }),
  z.strictObject({
    sessions: z
      .array(z.strictObject({ sessionId: z.uuid(), signature: Base64.max(4096) }))
      .min(1)
      .max(20),
  }),
]);
export type SigningInput = z.infer<typeof SigningInput>;

/** Client-side signing: start a session for the approval (personal) or the issuance (agency). */
export const StartDocumentSigning = z.discriminatedUnion('purpose', [
  z.strictObject({ purpose: z.literal('personal') }),
  /** The agency signature: the document is numbered in this outgoing register first. */
  z.strictObject({ purpose: z.literal('agency'), registerId: z.uuid() }),
]);
export type StartDocumentSigning = z.infer<typeof StartDocumentSigning>;

/** One file to sign on the token: sign `signedAttributes` (SHA-256 + the certificate's key). */
export const SigningChallenge = z.object({
  sessionId: z.string(),
  fileName: z.string(),
  algorithm: z.enum(['RSA-SHA256', 'ECDSA-P256-SHA256']),
  signedAttributes: z.string(),
  expiresAt: z.string(),
});
export const SigningChallenges = z.object({ challenges: z.array(SigningChallenge) });

export const SigningCredential = z.object({
  id: z.string(),
  holder: z.object({ kind: z.enum(['official', 'agency']), id: z.string(), name: z.string() }),
  kind: z.enum(['pkcs12', 'token']),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  hasImage: z.boolean(),
  addedAt: z.string(),
});
export type SigningCredential = z.infer<typeof SigningCredential>;

/** The administrator registers a credential: a .p12 (checked with its password, which is not kept), or a token's certificate chain. */
export const AddSigningCredential = z
  .strictObject({
    officialId: z.uuid().optional(),
    agencyId: z.uuid().optional(),
    pkcs12: Base64.max(40_000).optional(),
    password: z.string().min(1).max(200).optional(),
    certificateChain: z.array(Base64.max(12_000)).min(1).max(5).optional(),
    /** PNG: the signature image (official) or the red seal (agency), transparent background. */
    image: Base64.max(400_000).optional(),
    sealDiameterMm: z.number().min(20).max(60).optional(),
  })
  .refine((c) => (c.officialId === undefined) !== (c.agencyId === undefined), {
    message: 'Chọn một cán bộ hoặc một cơ quan',
  })
  .refine((c) => (c.pkcs12 === undefined) !== (c.certificateChain === undefined), {
    message: 'Gửi tệp .p12 (kèm mật khẩu) hoặc chuỗi chứng thư của thiết bị ký số',
  })
  .refine((c) => c.pkcs12 === undefined || c.password !== undefined, {
    message: 'Cần mật khẩu để kiểm tra tệp .p12',
    path: ['password'],
  });
export type AddSigningCredential = z.infer<typeof AddSigningCredential>;

/** What the signed-in official can sign with: their own credential and those of agencies where they are clerk. */
export const MySigning = z.object({
  personal: SigningCredential.nullable(),
  agencies: z.array(SigningCredential),
});
