import type { SignatureStatus } from '@congvu/contracts';

/**
 * The signature hook of the documents module. The final approver of a draft signs it in person
 * (chữ ký số cá nhân); at issuance the clerk applies the agency signature (chữ ký số cơ quan,
 * NĐ 30 art. 14 and 32). Until the signature module plugs a real signer in, `unsignedSigner`
 * answers "unsigned" and the document records exactly that.
 *
 * Called outside the database transaction that records the result, after the request has been
 * checked, so a slow device or remote service never holds a row lock.
 */
export interface SignatureResult {
  status: SignatureStatus;
}

export interface SignRequest {
  documentId: string;
  /** The main file to sign (the latest draft version), if the document has one. */
  file: { sha256: string; name: string } | null;
}

export interface Signer {
  /** The signer (final step) approves: their personal signature on the main file. */
  signPersonal(req: SignRequest & { officialId: string }): Promise<SignatureResult>;
  /** Issuance: the agency's signature, applied by the clerk on a document already signed. */
  signAgency(req: SignRequest & { agencyId: string; clerkId: string | null }): Promise<SignatureResult>;
}

export const unsignedSigner: Signer = {
  async signPersonal() {
    return { status: 'unsigned' };
  },
  async signAgency() {
    return { status: 'unsigned' };
  },
};
