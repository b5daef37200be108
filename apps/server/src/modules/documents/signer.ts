import type { SigningInput } from '@congvu/contracts';
import { AppError } from '../../platform/errors.ts';

/**
 * The signature hook of the documents module (NĐ 30 art. 5, 14, 32). The final approver of a
 * draft signs its PDF in person (chữ ký số cá nhân); at issuance the clerk applies the agency's
 * signature (chữ ký số cơ quan) to the main file and to every appendix. The signing module plugs
 * the real signer in; documents never sees a key, a password or a certificate.
 *
 * Called outside the database transaction that records the result, after the request has been
 * checked, so a slow device or remote service never holds a row lock. Every method either
 * returns signed files that verified against the trust store, or throws an AppError.
 */
export interface DocumentFile {
  sha256: string;
  name: string;
}

export interface PersonalSignRequest {
  documentId: string;
  officialId: string;
  /** The main file (latest draft version): a PDF. */
  file: DocumentFile;
  /** What the visible signature shows under the signature image. */
  stamp: { name: string; position: string | null; competence: string | null };
}

export interface AgencySignRequest {
  documentId: string;
  agencyId: string;
  agencyName: string;
  clerkId: string;
  /** The main file, already carrying the signer's personal signature. */
  file: DocumentFile;
  /** Appendices (PDF): signed without image at the top right of their first page. */
  appendices: (DocumentFile & { position: number })[];
  /** Number and notation, shown on the appendices' signatures. */
  notation: string;
}

export interface AgencySignResult {
  file: DocumentFile;
  appendices: (DocumentFile & { position: number })[];
}

/** One file to sign on the holder's token (client-side flow). */
export interface Challenge {
  sessionId: string;
  fileName: string;
  algorithm: 'RSA-SHA256' | 'ECDSA-P256-SHA256';
  signedAttributes: string;
  expiresAt: string;
}

export interface Signer {
  /** The signer approves: their personal signature on the main file. */
  signPersonal(req: PersonalSignRequest, signing: SigningInput): Promise<DocumentFile>;
  /** Issuance: the agency's signature on the main file and the appendices. */
  signAgency(req: AgencySignRequest, signing: SigningInput): Promise<AgencySignResult>;
  /** Client-side flow: what the signer's token must sign for `signPersonal`. */
  startPersonal(req: PersonalSignRequest): Promise<Challenge[]>;
  /** Client-side flow: what the agency's token must sign for `signAgency`. */
  startAgency(req: AgencySignRequest): Promise<Challenge[]>;
}

/** No signing module: every attempt to sign is refused (nothing is pretended to be signed). */
export const noSigner: Signer = {
  async signPersonal() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
  async signAgency() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
  async startPersonal() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
  async startAgency() {
    throw new AppError('SIGNING_NO_CREDENTIAL');
  },
};
