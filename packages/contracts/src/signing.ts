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
