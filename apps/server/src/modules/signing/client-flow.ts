import { randomUUID, verify, X509Certificate } from 'node:crypto';
import type { SignatureAlgorithm } from '@congvu/pades';

/**
 * Signing with the official's own token (USB token / smart card through a local signing
 * plug-in on their computer): the private key never reaches the server. The contract, before
 * any route exists:
 *
 *   1. start    client → server  { documentId, fileId, certificateChain: base64 DER[], signer first }
 *               server: checks the certificate (chains to a trusted CA, in validity, digitalSignature
 *               or nonRepudiation, not revoked, holder is the signed-in official); asks
 *               packages/pades `prepareSignature` for the DER CMS signed attributes and an opaque
 *               state; `store.put(pending)`; answers a SigningChallenge.
 *   2. sign     on the client: signature = token.sign(signedAttributes) — SHA-256 then RSA PKCS#1
 *               v1.5 (or ECDSA P-256, DER) — exactly what a RawSigner's `sign` returns.
 *   3. complete client → server  SigningResponse
 *               server: `store.take(sessionId, officialId, now)` (single use, unexpired, own
 *               sessions only); `verifyClientSignature` (fails fast on a wrong key or altered
 *               bytes); pades `completeSignature(state, signature)`; stores the signed file and
 *               audits, in one transaction.
 *
 * The store is an interface so a PostgreSQL table can back it when the routes arrive (several
 * server processes); the in-memory one serves one process and the tests.
 */

export interface PendingSignature {
  id: string;
  /** Only this official may complete it. */
  officialId: string;
  /** What is being signed, for the caller (e.g. { kind: 'document_file', id }). */
  subject: { kind: string; id: string };
  algorithm: SignatureAlgorithm;
  /** DER certificates, the signer's first. */
  certificateChain: Uint8Array[];
  /** DER of the CMS signed attributes: the bytes the token signs. */
  signedAttributes: Uint8Array;
  /** Opaque state from pades `prepareSignature`, handed back to `completeSignature`. */
  state: Uint8Array;
  createdAt: Date;
  expiresAt: Date;
}

/** Server → client after `start`. Bytes are base64. */
export interface SigningChallenge {
  sessionId: string;
  algorithm: SignatureAlgorithm;
  signedAttributes: string;
  expiresAt: string;
}

/** Client → server for `complete`. */
export interface SigningResponse {
  sessionId: string;
  /** base64 of the raw signature value (PKCS#1 v1.5, or DER ECDSA-Sig-Value). */
  signature: string;
}

export interface SigningSessionStore {
  put(p: PendingSignature): Promise<void>;
  /** Removes and returns the session when it exists, belongs to `officialId` and has not expired. */
  take(id: string, officialId: string, now: Date): Promise<PendingSignature | null>;
}

/** How long the official has to confirm on the token (PIN entry included). */
export const SIGNING_SESSION_TTL_MS = 5 * 60_000;

export function newPendingSignature(
  p: Omit<PendingSignature, 'id' | 'createdAt' | 'expiresAt'>,
  now = new Date(),
  ttlMs = SIGNING_SESSION_TTL_MS,
): PendingSignature {
  if (p.certificateChain.length === 0) throw new Error('signing session: empty certificate chain');
  return { ...p, id: randomUUID(), createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
}

export function challengeOf(p: PendingSignature): SigningChallenge {
  return {
    sessionId: p.id,
    algorithm: p.algorithm,
    signedAttributes: Buffer.from(p.signedAttributes).toString('base64'),
    expiresAt: p.expiresAt.toISOString(),
  };
}

export function memorySigningSessionStore(): SigningSessionStore {
  const sessions = new Map<string, PendingSignature>();
  return {
    async put(p) {
      if (sessions.has(p.id)) throw new Error(`signing session ${p.id} exists`);
      sessions.set(p.id, p);
    },
    async take(id, officialId, now) {
      for (const [k, s] of sessions) if (s.expiresAt <= now) sessions.delete(k);
      const s = sessions.get(id);
      if (!s || s.officialId !== officialId) return null;
      sessions.delete(id);
      return s;
    },
  };
}

/** True when `signature` over the session's signed attributes verifies with the signer's certificate. */
export function verifyClientSignature(p: PendingSignature, signature: Uint8Array): boolean {
  const first = p.certificateChain[0];
  if (!first) return false;
  const key = new X509Certificate(Buffer.from(first)).publicKey;
  if (p.algorithm === 'RSA-SHA256') {
    if (key.asymmetricKeyType !== 'rsa') return false;
    return verify('sha256', p.signedAttributes, key, signature);
  }
  if (key.asymmetricKeyType !== 'ec') return false;
  return verify('sha256', p.signedAttributes, { key, dsaEncoding: 'der' }, signature);
}
