import 'reflect-metadata';
import { X509Certificate as NodeX509, randomBytes, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  challengeOf,
  memorySigningSessionStore,
  newPendingSignature,
  verifyClientSignature,
} from '../src/modules/signing/client-flow.ts';
import { createRootCa } from '../src/modules/signing/pki.ts';
import { type TokenClient, tokenClient } from './support/token-client.ts';

let ca: Awaited<ReturnType<typeof createRootCa>>;
let token: TokenClient;
let other: TokenClient;

beforeAll(async () => {
  ca = await createRootCa({ modulusLength: 2048 });
  token = await tokenClient(ca);
  other = await tokenClient(ca, { fullName: 'Mai Thị Nga', agencyName: 'Sở Nội vụ tỉnh Sơn Lâm' });
});

describe('test token client', () => {
  it('signs with SHA-256 + RSA PKCS#1 v1.5 under its certificate; altered bytes fail', () => {
    const bytes = randomBytes(300);
    const sig = token.signSignedAttributes(bytes);
    const cert = new NodeX509(Buffer.from(token.certificateChain[0] ?? []));
    expect(cert.subject).toContain('CN=Lý Văn Thắng');
    expect(cert.checkIssued(new NodeX509(Buffer.from(ca.certificate.rawData)))).toBe(true);
    expect(verify('sha256', bytes, cert.publicKey, sig)).toBe(true);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    expect(verify('sha256', bytes, cert.publicKey, sig)).toBe(false);
  });
});

describe('client-side signing sessions', () => {
  const start = (officialId: string, now: Date) =>
    newPendingSignature(
      {
        officialId,
        subject: { kind: 'document_file', id: 'f1' },
        algorithm: 'RSA-SHA256',
        certificateChain: token.certificateChain,
        signedAttributes: randomBytes(200),
        state: new Uint8Array([1, 2, 3]),
      },
      now,
    );

  it('start → client signs the challenge → complete: single use, own session only, verified', async () => {
    const store = memorySigningSessionStore();
    const now = new Date('2026-11-23T08:00:00Z');
    const pending = start('u1', now);
    await store.put(pending);
    const challenge = challengeOf(pending);
    expect(challenge.expiresAt).toBe('2026-11-23T08:05:00.000Z');

    const signature = token.signSignedAttributes(Buffer.from(challenge.signedAttributes, 'base64'));
    expect(await store.take(challenge.sessionId, 'someone-else', now)).toBeNull();
    const taken = await store.take(challenge.sessionId, 'u1', now);
    expect(taken?.state).toEqual(new Uint8Array([1, 2, 3]));
    if (!taken) throw new Error('session lost');
    expect(verifyClientSignature(taken, signature)).toBe(true);
    expect(await store.take(challenge.sessionId, 'u1', now)).toBeNull();

    // Another key, or other bytes, do not verify.
    expect(verifyClientSignature(taken, other.signSignedAttributes(taken.signedAttributes))).toBe(false);
    expect(verifyClientSignature(taken, token.signSignedAttributes(randomBytes(200)))).toBe(false);
    expect(verifyClientSignature({ ...taken, algorithm: 'ECDSA-P256-SHA256' }, signature)).toBe(false);
  });

  it('an expired session cannot be completed', async () => {
    const store = memorySigningSessionStore();
    const now = new Date('2026-11-23T08:00:00Z');
    const pending = start('u1', now);
    await store.put(pending);
    expect(await store.take(pending.id, 'u1', new Date('2026-11-23T08:05:00Z'))).toBeNull();
  });
});
