/**
 * The one-stop forms (TT 01/2018/TT-VPCP Mẫu 01–05) signed with the agency's signature: what the
 * officer sends to have a form signed, and the signed copy kept with the dossier.
 */
import { z } from 'zod';
import { SigningInput } from './signing.ts';

export const DOSSIER_FORMS = ['receipt', 'supplement', 'refusal', 'apology', 'control'] as const;
export const DossierFormKind = z.enum(DOSSIER_FORMS);
export type DossierFormKind = z.infer<typeof DossierFormKind>;

/** The agency seal's password, or the token's signatures for the challenges of `…/sign/start`. */
export const SignDossierForm = z.strictObject({ signing: SigningInput });
export type SignDossierForm = z.infer<typeof SignDossierForm>;

/** A form as it was signed: one per dossier, form and content (the same content is signed once). */
export const SignedDossierForm = z.object({
  id: z.uuid(),
  form: DossierFormKind,
  /** sha256 of what the form shows (its data), the key that makes signing again a no-op. */
  contentSha256: z.string(),
  /** sha256 of the signed PDF in the file store. */
  sha256: z.string(),
  agencyId: z.uuid(),
  agencyName: z.string(),
  /** The certificate that signed (the agency's), as its subject. */
  certificateSubject: z.string(),
  signedById: z.uuid(),
  signedByName: z.string(),
  signedAt: z.string(),
});
export type SignedDossierForm = z.infer<typeof SignedDossierForm>;
