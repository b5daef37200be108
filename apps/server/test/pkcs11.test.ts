import { execFileSync } from 'node:child_process';
import { createPublicKey, X509Certificate as NodeX509, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signPdf, verifyPdf } from '@congvu/pades';
import type pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nssDb, pdfsig } from '../../../packages/pades/test/helpers.ts';
import { makePdf } from './support/pdf.ts';

/**
 * The PKCS#11 signer against SoftHSM2: keys are generated inside the token and never read out.
 * SOFTHSM2_CONF is process-wide, so this file sets it before loading anything (vitest runs each
 * file in its own process).
 */

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '1234';
const dir = mkdtempSync(path.join(tmpdir(), 'congvu-hsm-'));
mkdirSync(path.join(dir, 'tokens'));
writeFileSync(
  path.join(dir, 'softhsm2.conf'),
  `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
);
process.env.SOFTHSM2_CONF = path.join(dir, 'softhsm2.conf');
execFileSync('softhsm2-util', [
  '--init-token',
  '--free',
  '--label',
  'congvu-test',
  '--pin',
  PIN,
  '--so-pin',
  '5678',
]);

const P = (await import('pkcs11js')).default;
const { pkcs11Signer, closePkcs11Modules, ecdsaRawToDer } = await import('../src/modules/signing/pkcs11.ts');
const pki = await import('../src/modules/signing/pki.ts');

let lib: pkcs11js.PKCS11;
let session: Buffer;
let ca: Awaited<ReturnType<typeof pki.createRootCa>>;

function slotOf(label: string): Buffer {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === label);
  if (!slot) throw new Error(`no token ${label}`);
  return slot;
}

function attr(object: Buffer, type: number): Buffer {
  const v = lib.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  if (!Buffer.isBuffer(v)) throw new Error('attribute not a buffer');
  return v;
}

const privateTemplate = (label: string, id: string): pkcs11js.Template => [
  { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
  { type: P.CKA_TOKEN, value: true },
  { type: P.CKA_PRIVATE, value: true },
  { type: P.CKA_SENSITIVE, value: true },
  { type: P.CKA_EXTRACTABLE, value: false },
  { type: P.CKA_SIGN, value: true },
  { type: P.CKA_LABEL, value: label },
  { type: P.CKA_ID, value: Buffer.from(id, 'hex') },
];

/** RSA-2048 generated inside the token; returns the SPKI DER of its public half. */
function generateRsa(label: string, id: string): { spki: Buffer; privateKey: Buffer } {
  const keys = lib.C_GenerateKeyPair(
    session,
    { mechanism: P.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY },
      { type: P.CKA_TOKEN, value: true },
      { type: P.CKA_VERIFY, value: true },
      { type: P.CKA_LABEL, value: label },
      { type: P.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: P.CKA_MODULUS_BITS, value: 2048 },
      { type: P.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ],
    privateTemplate(label, id),
  );
  const n = attr(keys.publicKey, P.CKA_MODULUS).toString('base64url');
  const e = attr(keys.publicKey, P.CKA_PUBLIC_EXPONENT).toString('base64url');
  const spki = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' }).export({
    type: 'spki',
    format: 'der',
  });
  return { spki, privateKey: keys.privateKey };
}

/** EC P-256 generated inside the token; SPKI DER from CKA_EC_POINT. */
function generateP256(label: string, id: string): Buffer {
  const keys = lib.C_GenerateKeyPair(
    session,
    { mechanism: P.CKM_EC_KEY_PAIR_GEN },
    [
      { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY },
      { type: P.CKA_TOKEN, value: true },
      { type: P.CKA_VERIFY, value: true },
      { type: P.CKA_LABEL, value: label },
      { type: P.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: P.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
    ],
    privateTemplate(label, id),
  );
  // CKA_EC_POINT is a DER OCTET STRING (04 41) around the uncompressed point.
  const point = attr(keys.publicKey, P.CKA_EC_POINT);
  expect(point.subarray(0, 3).toString('hex')).toBe('044104');
  return Buffer.concat([
    Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
    point.subarray(2),
  ]);
}

async function certFor(spki: Buffer, fullName: string): Promise<Uint8Array> {
  const { certificate } = await pki.issueOfficialCertificate(ca, {
    fullName,
    agencyName: 'Sở Nội vụ tỉnh Sơn Lâm',
    publicKey: spki,
  });
  return new Uint8Array(certificate.rawData);
}

let rsaCert: Uint8Array;
let ecCert: Uint8Array;

beforeAll(async () => {
  // The test's own handle initializes the library first: the signer must cope with
  // CKR_CRYPTOKI_ALREADY_INITIALIZED and leave finalizing to us.
  lib = new P.PKCS11();
  lib.load(MODULE);
  lib.C_Initialize();
  session = lib.C_OpenSession(slotOf('congvu-test'), P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
  lib.C_Login(session, P.CKU_USER, PIN);
  ca = await pki.createRootCa({ modulusLength: 2048 });
  const rsa = generateRsa('ky-so-rsa', 'a1');
  rsaCert = await certFor(rsa.spki, 'Lý Văn Thắng');
  ecCert = await certFor(generateP256('ky-so-ec', 'b2'), 'Mai Thị Nga');
});

afterAll(() => {
  closePkcs11Modules();
  lib.C_Logout(session);
  lib.C_CloseSession(session);
  lib.C_Finalize();
  lib.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pkcs11Signer (SoftHSM2)', () => {
  it('the private key stays in the token: sensitive, not extractable', () => {
    lib.C_FindObjectsInit(session, [
      { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
      { type: P.CKA_LABEL, value: 'ky-so-rsa' },
    ]);
    const [key] = lib.C_FindObjects(session, 1);
    lib.C_FindObjectsFinal(session);
    if (!key) throw new Error('key not found');
    expect(() => attr(key, P.CKA_PRIVATE_EXPONENT)).toThrow(/SENSITIVE/);
  });

  it('RSA by label: CKM_SHA256_RSA_PKCS, verifies with the certificate; changed data fails', async () => {
    const signer = pkcs11Signer({
      module: MODULE,
      tokenLabel: 'congvu-test',
      pin: PIN,
      keyLabel: 'ky-so-rsa',
      certificateChain: [rsaCert, new Uint8Array(ca.certificate.rawData)],
    });
    expect(signer.algorithm).toBe('RSA-SHA256');
    expect(signer.keyBits).toBe(2048);
    const chain = await signer.certificateChain();
    expect(chain).toHaveLength(2);
    expect(Buffer.from(chain[0] ?? [])).toEqual(Buffer.from(rsaCert));

    const data = new TextEncoder().encode('thuộc tính đã ký / signed attributes');
    const sig = await signer.sign(data);
    expect(sig).toHaveLength(256);
    const cert = new NodeX509(Buffer.from(rsaCert));
    expect(cert.checkIssued(new NodeX509(Buffer.from(ca.certificate.rawData)))).toBe(true);
    expect(verify('sha256', data, cert.publicKey, sig)).toBe(true);
    const changed = Uint8Array.from(data);
    changed[0] = (changed[0] ?? 0) ^ 1;
    expect(verify('sha256', changed, cert.publicKey, sig)).toBe(false);

    // Concurrent signatures are serialized and all valid.
    const many = await Promise.all([1, 2, 3].map((i) => signer.sign(new Uint8Array([i]))));
    many.forEach((s, i) => {
      expect(verify('sha256', new Uint8Array([i + 1]), cert.publicKey, s)).toBe(true);
    });
  });

  it('EC P-256 by id and slot index: DER ECDSA-Sig-Value over SHA-256', async () => {
    const signer = pkcs11Signer({
      module: MODULE,
      slot: 0,
      pin: PIN,
      keyId: 'b2',
      certificateChain: [ecCert],
    });
    expect(signer.algorithm).toBe('ECDSA-P256-SHA256');
    const data = new Uint8Array(1000).fill(7);
    const sig = await signer.sign(data);
    expect(sig[0]).toBe(0x30);
    const key = new NodeX509(Buffer.from(ecCert)).publicKey;
    expect(verify('sha256', data, { key, dsaEncoding: 'der' }, sig)).toBe(true);
    expect(verify('sha256', data.subarray(1), { key, dsaEncoding: 'der' }, sig)).toBe(false);
  });

  it('signs PDFs on the token (RSA and EC): our verifier and poppler find them valid and trusted', async () => {
    const anchors = [new Uint8Array(ca.certificate.rawData)];
    const nss = nssDb(ca.certificate.toString('pem'));
    const caDer = new Uint8Array(ca.certificate.rawData);
    for (const [keyLabel, cert, name] of [
      ['ky-so-rsa', rsaCert, 'Lý Văn Thắng'],
      ['ky-so-ec', ecCert, 'Mai Thị Nga'],
    ] as const) {
      const signer = pkcs11Signer({
        module: MODULE,
        tokenLabel: 'congvu-test',
        pin: PIN,
        keyLabel,
        certificateChain: [cert, caDer],
      });
      const signed = await signPdf(new Uint8Array(await makePdf('Van ban ky bang token')), signer, {
        reason: 'Ký số bằng thiết bị',
      });
      const report = await verifyPdf(signed, { trustAnchors: anchors });
      expect(report, keyLabel).toMatchObject({ valid: true, trusted: true });
      expect(report.signatures[0]!.signer.commonName).toBe(name);
      const out = pdfsig(nss, signed);
      expect(out, keyLabel).toContain('Signature is Valid.');
      expect(out, keyLabel).toContain('Certificate is Trusted.');
      // One byte changed inside the signed range: both verifiers refuse it.
      const bad = signed.slice();
      bad[100] = bad[100]! ^ 0x01;
      expect((await verifyPdf(bad, { trustAnchors: anchors })).valid).toBe(false);
      expect(pdfsig(nss, bad)).not.toContain('Signature is Valid.');
    }
  });

  it('refuses a wrong PIN, an unknown token, an unknown key, an empty chain', () => {
    const base = {
      module: MODULE,
      tokenLabel: 'congvu-test',
      keyLabel: 'ky-so-rsa',
      certificateChain: [rsaCert],
    };
    // Our own session is logged in, so the token accepts any PIN for new sessions (PKCS#11
    // login state is per application); a wrong PIN is checked in a fresh process below.
    expect(() => pkcs11Signer({ ...base, pin: PIN, tokenLabel: 'khong-co' })).toThrow(/no token labelled/);
    expect(() => pkcs11Signer({ ...base, pin: PIN, keyLabel: 'khong-co' })).toThrow(/no private key/);
    expect(() => pkcs11Signer({ ...base, pin: PIN, keyLabel: undefined })).toThrow(/keyLabel or keyId/);
    expect(() => pkcs11Signer({ ...base, pin: PIN, certificateChain: [] })).toThrow(/chain is empty/);
    expect(() => pkcs11Signer({ ...base, pin: PIN, certificateChain: [ecCert] })).toThrow(/does not match/);
    expect(() =>
      pkcs11Signer({ ...base, pin: PIN, keyLabel: 'ky-so-ec', certificateChain: [rsaCert] }),
    ).toThrow(/does not match/);
  });

  it('a wrong PIN fails in a process of its own (CKR_PIN_INCORRECT)', () => {
    const script = `
      const { pkcs11Signer } = await import(${JSON.stringify(path.resolve(import.meta.dirname, '../src/modules/signing/pkcs11.ts'))});
      const base = { module: ${JSON.stringify(MODULE)}, tokenLabel: 'congvu-test', keyLabel: 'ky-so-rsa', certificateChain: [new Uint8Array(${JSON.stringify([...rsaCert])})] };
      try { pkcs11Signer({ ...base, pin: '0000' }); console.log('accepted'); } catch (e) { console.log('refused', e.message); }
      const s = pkcs11Signer({ ...base, pin: '${PIN}' });
      console.log('signed', (await s.sign(new Uint8Array([1]))).length);
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env },
      encoding: 'utf8',
    });
    expect(out).toMatch(/refused .*PIN_INCORRECT/);
    expect(out).toContain('signed 256');
  });

  it('ecdsaRawToDer: leading zeros dropped, high bit padded', () => {
    const raw = new Uint8Array(64);
    raw[31] = 1;
    raw[32] = 0x80;
    expect(Buffer.from(ecdsaRawToDer(raw)).toString('hex')).toBe(`3026020101022100${'80'}${'00'.repeat(31)}`);
  });
});
