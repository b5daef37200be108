import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, X509Certificate as NodeX509, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySigner, pkcs12Signer, readPkcs12 } from '../src/modules/signing/key-signer.ts';
import {
  createRootCa,
  generateRsaKeyPair,
  issueOfficialCertificate,
  toPkcs12,
} from '../src/modules/signing/pki.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'congvu-p12-'));
let ca: Awaited<ReturnType<typeof createRootCa>>;
const caDer = () => new Uint8Array(ca.certificate.rawData);

beforeAll(async () => {
  ca = await createRootCa({ modulusLength: 2048 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function certFor(publicKey: KeyObject, fullName: string): Promise<Uint8Array> {
  const { certificate } = await issueOfficialCertificate(ca, {
    fullName,
    agencyName: 'Sở Tài chính tỉnh Sơn Lâm',
    publicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  });
  return new Uint8Array(certificate.rawData);
}

/** A .p12 written by `openssl pkcs12 -export` with OpenSSL 3's defaults. */
function opensslP12(privateKey: KeyObject, cert: Uint8Array, password: string): Uint8Array {
  const key = path.join(dir, 'k.pem');
  const crt = path.join(dir, 'c.pem');
  const chain = path.join(dir, 'ca.pem');
  const out = path.join(dir, 'o.p12');
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(crt, new NodeX509(Buffer.from(cert)).toString());
  writeFileSync(chain, ca.certificate.toString('pem'));
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    key,
    '-in',
    crt,
    '-certfile',
    chain,
    '-passout',
    `pass:${password}`,
    '-out',
    out,
  ]);
  return readFileSync(out);
}

describe('PKCS#12 and key signers', () => {
  it('reads back our .p12 (non-ASCII password): key, own certificate first, chain; wrong password refused', async () => {
    const keys = await generateRsaKeyPair();
    const { certificate } = await issueOfficialCertificate(ca, {
      fullName: 'Phan Thị Kim Oanh',
      agencyName: 'Sở Tài chính tỉnh Sơn Lâm',
      publicKey: keys.publicKey,
    });
    const password = 'mật khẩu Sơn Lâm';
    // The CA first on purpose: the reader puts the key's certificate first.
    const p12 = await toPkcs12({
      privateKey: keys.privateKey,
      chain: [ca.certificate, certificate],
      password,
    });
    const r = readPkcs12(p12, password);
    expect(r.certificates).toHaveLength(2);
    expect(Buffer.from(r.certificates[0] ?? [])).toEqual(Buffer.from(certificate.rawData));
    expect(r.privateKey.asymmetricKeyType).toBe('rsa');

    const signer = pkcs12Signer(p12, password);
    expect(signer.algorithm).toBe('RSA-SHA256');
    const data = new TextEncoder().encode('signed attributes');
    const sig = await signer.sign(data);
    const pub = new NodeX509(Buffer.from(certificate.rawData)).publicKey;
    expect(verify('sha256', data, pub, sig)).toBe(true);
    expect(verify('sha256', data.subarray(1), pub, sig)).toBe(false);
    expect(() => readPkcs12(p12, 'mat khau Son Lam')).toThrow(/MAC mismatch/);
  });

  it("reads OpenSSL 3's own .p12: RSA and EC P-256 (DER ECDSA signatures)", async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaCert = await certFor(rsa.publicKey, 'Chu Văn An');
    const r = readPkcs12(opensslP12(rsa.privateKey, rsaCert, 'pw-rsa'), 'pw-rsa');
    expect(Buffer.from(r.certificates[0] ?? [])).toEqual(Buffer.from(rsaCert));
    expect(r.certificates).toHaveLength(2);

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecCert = await certFor(ec.publicKey, 'Tạ Thị Bích');
    const signer = pkcs12Signer(opensslP12(ec.privateKey, ecCert, 'pw-ec'), 'pw-ec');
    expect(signer.algorithm).toBe('ECDSA-P256-SHA256');
    const data = new Uint8Array([1, 2, 3]);
    const sig = await signer.sign(data);
    expect(sig[0]).toBe(0x30);
    const pub = new NodeX509(Buffer.from(ecCert)).publicKey;
    expect(verify('sha256', data, { key: pub, dsaEncoding: 'der' }, sig)).toBe(true);
  });

  it('keySigner refuses a certificate that is not the key’s, an empty chain, other curves', async () => {
    const a = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const certB = await certFor(b.publicKey, 'Hồ Sỹ Dũng');
    expect(() => keySigner(a.privateKey, [certB])).toThrow(/not the key/);
    expect(() => keySigner(a.privateKey, [])).toThrow(/empty/);
    const k384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => keySigner(k384.privateKey, [certB, caDer()])).toThrow(/unsupported/);
    expect(keySigner(b.privateKey, [certB, caDer()]).algorithm).toBe('RSA-SHA256');
  });
});
