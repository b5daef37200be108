/**
 * The contract between the parts of PAdES signing and verification. Pure types: no I/O.
 */

export type SignatureAlgorithm = 'RSA-SHA256' | 'ECDSA-P256-SHA256';

/**
 * Whatever holds a private key: a PKCS#12 file, a PKCS#11 token or HSM, a remote device (the
 * client-side flow). The PDF code never sees the key.
 */
export interface RawSigner {
  readonly algorithm: SignatureAlgorithm;
  /** DER certificates: the signer's first, then the intermediates (the root may be left out). */
  certificateChain(): Promise<Uint8Array[]>;
  /**
   * Signs `data` (the DER of the CMS signed attributes): hashes it with SHA-256 and returns the
   * raw signature value (PKCS#1 v1.5 for RSA; DER ECDSA-Sig-Value for ECDSA).
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /**
   * True only for a key held by this process whose public key was checked against
   * `certificateChain()[0]` when the signer was made. Its RSA signatures come from OpenSSL, which
   * checks every CRT result with the public exponent before returning it, so the PDF code does not
   * verify them again (RSA only: ECDSA values are always verified). Tokens, HSMs and remote devices
   * leave it unset: their values are verified against the certificate before they are embedded.
   */
  readonly checkedLocalKey?: boolean;
}

/** Fetches revocation data for the verifier (the server does the network; tests serve it locally). */
export interface RevocationSource {
  /** The DER CRL at a distribution point URL, or null when unreachable. */
  crl(url: string): Promise<Uint8Array | null>;
  /** The DER OCSP response for a DER OCSP request sent to `url`, or null when unreachable. */
  ocsp(url: string, request: Uint8Array): Promise<Uint8Array | null>;
}

/** An RFC 3161 time-stamp authority: DER TimeStampReq in, DER TimeStampResp out. */
export type TimestampAuthority = (request: Uint8Array) => Promise<Uint8Array>;
