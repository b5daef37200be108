import type { SigningChallenge, SigningInput } from '@congvu/contracts';
import type { z } from 'zod';
import { AppError } from '../../platform/errors.ts';

/**
 * The signature hook of the one-stop forms: the agency's signature (chữ ký số cơ quan) on a form
 * the dossiers module generated. The signing module plugs the real signer in; dossiers never sees
 * a key, a password or a certificate. Called outside any transaction; either returns a signed PDF
 * that verified against the trust store (already in the file store), or throws an AppError.
 */
export interface FormSignRequest {
  dossierId: string;
  /** Dossier code, shown in the visible signature. */
  code: string;
  agencyId: string;
  agencyName: string;
  /** The officer who has the form signed (owner of a token-signing session). */
  officerId: string;
  /** What the form says, e.g. "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (the signature's reason). */
  title: string;
  fileName: string;
  /** The unsigned form. */
  pdf: Uint8Array;
  /** sha256 of the form's data: ties a token-signing session to this content. */
  contentSha256: string;
}

export interface SignedFormFile {
  sha256: string;
  name: string;
  /** Subject of the agency certificate that signed. */
  certificateSubject: string;
}

export type FormChallenge = z.infer<typeof SigningChallenge>;

export interface FormSigner {
  signForm(req: FormSignRequest, signing: SigningInput): Promise<SignedFormFile>;
  /** Client-side flow: what the agency's token must sign for `signForm`. */
  startForm(req: FormSignRequest): Promise<FormChallenge[]>;
}

/** No signing module: nothing is pretended to be signed. */
export const noFormSigner: FormSigner = {
  async signForm() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
  async startForm() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
};
