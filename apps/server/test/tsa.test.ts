/**
 * The local RFC 3161 time-stamp authority: its certificate, its answers (checked by
 * `openssl ts -verify`), its HTTP transport and client, and PAdES B-T signing through it
 * (checked by our verifier, pdfsig and openssl).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  p12Signer,
  type RawSigner,
  SignError,
  signPdf,
  type TimestampAuthority,
  verifyPdf,
} from '@congvu/pades';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classicPdf, nssDb, pdfsig } from '../../../packages/pades/test/helpers.ts';
import { loadConfig } from '../src/config.ts';
import { pkcs12Signer } from '../src/modules/signing/key-signer.ts';
import {
  createRootCa,
  generateRsaKeyPair,
  issueOfficialCertificate,
  toPkcs12,
} from '../src/modules/signing/pki.ts';
import {
  configuredTimestampAuthority,
  DEMO_TSA_POLICY,
  httpTimestampAuthority,
  issueTsaCertificate,
  localTimestampAuthority,
  serveTimestampAuthority,
  type TsaServer,
} from '../src/modules/signing/tsa.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'congvu-tsa-'));
const f = (name: string) => path.join(dir, name);
/** openssl's stdout + stderr; throws with both on a non-zero exit. */
const openssl = (...args: string[]) => {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
};

let caDer: Uint8Array;
let tsaSigner: RawSigner;
let official: RawSigner;
let nss: string;
let server: TsaServer;
/** The TSA's clock: fixed, so the tests can compare times exactly. */
const TSA_TIME = new Date(Math.floor(Date.now() / 1000) * 1000 - 90_000);

beforeAll(async () => {
  const ca = await createRootCa({
    modulusLength: 2048,
    name: 'CongVu TSA Test CA',
    now: new Date(TSA_TIME.getTime() - 86_400_000),
  });
  caDer = new Uint8Array(ca.certificate.rawData);
  writeFileSync(f('ca.pem'), ca.certificate.toString('pem'));
  nss = nssDb(ca.certificate.toString('pem'));

  const tsaKeys = await generateRsaKeyPair(2048);
  const tsa = await issueTsaCertificate(ca, {
    publicKey: tsaKeys.publicKey,
    notBefore: new Date(TSA_TIME.getTime() - 86_400_000),
  });
  writeFileSync(f('tsa.pem'), tsa.certificate.toString('pem'));
  const tsaP12 = await toPkcs12({
    privateKey: tsaKeys.privateKey,
    chain: [tsa.certificate],
    password: 'tsa',
  });
  tsaSigner = pkcs12Signer(tsaP12, 'tsa');

  const keys = await generateRsaKeyPair(2048);
  const cert = await issueOfficialCertificate(ca, {
    publicKey: keys.publicKey,
    fullName: 'Nguyễn Thị Thư',
    agencyName: 'UBND tỉnh Sơn Lâm',
    notBefore: new Date(TSA_TIME.getTime() - 86_400_000),
  });
  official = p12Signer(
    await toPkcs12({
      privateKey: keys.privateKey,
      chain: [cert.certificate, ca.certificate],
      password: 'pw',
    }),
    'pw',
  );
  server = await serveTimestampAuthority(localTimestampAuthority(tsaSigner, { now: () => TSA_TIME }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  for (const d of [dir, nss]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('the TSA certificate', () => {
  it('is issued by the CA for time-stamping only (critical extendedKeyUsage), as openssl requires', () => {
    expect(openssl('verify', '-purpose', 'timestampsign', '-CAfile', 'ca.pem', 'tsa.pem')).toContain(': OK');
    const text = openssl('x509', '-in', 'tsa.pem', '-noout', '-text');
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping\s/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\s/);
    expect(text).toMatch(/Subject: .*CN ?= ?CongVu Demo TSA/);
  });
});

describe('the local TSA over HTTP, checked by openssl ts', () => {
  const query = async (name: string, ...args: string[]) => {
    openssl('ts', '-query', '-data', 'ca.pem', '-sha256', ...args, '-out', `${name}.tsq`);
    const reply = await httpTimestampAuthority(server.url)(new Uint8Array(readFileSync(f(`${name}.tsq`))));
    writeFileSync(f(`${name}.tsr`), reply);
    return reply;
  };

  it('grants a query: policy, serial, genTime, accuracy, nonce echoed, the certificate when asked', async () => {
    await query('a', '-cert');
    const text = openssl('ts', '-reply', '-in', 'a.tsr', '-text');
    expect(text).toContain('Status: Granted.');
    expect(text).toContain(`Policy OID: ${DEMO_TSA_POLICY}`);
    expect(text).toMatch(/Serial number: 0x[0-9A-F]{8,}/);
    expect(new Date(/Time stamp: (.+)/.exec(text)?.[1] ?? '').getTime()).toBe(TSA_TIME.getTime());
    expect(text).toMatch(/Accuracy: 0x01 seconds/);
    const nonce = /Nonce: (0x[0-9A-F]+)/.exec(openssl('ts', '-query', '-in', 'a.tsq', '-text'))?.[1];
    expect(nonce).toBeDefined();
    expect(text).toContain(`Nonce: ${nonce}`);
    expect(text).toContain('TSA: DirName:');
    // The full check: signature, ESS certificate id, time-stamping purpose, chain to the CA, imprint, nonce.
    expect(openssl('ts', '-verify', '-in', 'a.tsr', '-queryfile', 'a.tsq', '-CAfile', 'ca.pem')).toContain(
      'Verification: OK',
    );
    expect(openssl('ts', '-verify', '-in', 'a.tsr', '-data', 'ca.pem', '-CAfile', 'ca.pem')).toContain(
      'Verification: OK',
    );
    // A different file does not match the imprint.
    expect(() => openssl('ts', '-verify', '-in', 'a.tsr', '-data', 'tsa.pem', '-CAfile', 'ca.pem')).toThrow(
      /message imprint mismatch/,
    );
  });

  it('leaves the certificate out when not asked (openssl then needs it given)', async () => {
    const reply = await query('b');
    const resp = pkijs.TimeStampResp.fromBER(Uint8Array.from(reply).buffer);
    const sd = new pkijs.SignedData({ schema: resp.timeStampToken!.content });
    expect(sd.certificates ?? []).toHaveLength(0);
    expect(
      openssl(
        'ts',
        '-verify',
        '-in',
        'b.tsr',
        '-queryfile',
        'b.tsq',
        '-CAfile',
        'ca.pem',
        '-untrusted',
        'tsa.pem',
      ),
    ).toContain('Verification: OK');
  });

  it('rejects what it cannot do, with the failure info openssl names', async () => {
    await query('sha1', '-cert', '-sha1');
    expect(openssl('ts', '-reply', '-in', 'sha1.tsr', '-text')).toMatch(
      /Status: Rejected\.[\s\S]*unrecognized or unsupported algorithm identifier/,
    );
    openssl('ts', '-query', '-data', 'ca.pem', '-sha256', '-tspolicy', '1.2.3.4', '-out', 'pol.tsq');
    const pol = await httpTimestampAuthority(server.url)(new Uint8Array(readFileSync(f('pol.tsq'))));
    writeFileSync(f('pol.tsr'), pol);
    expect(openssl('ts', '-reply', '-in', 'pol.tsr', '-text')).toMatch(
      /Status: Rejected\.[\s\S]*policy 1\.2\.3\.4 is not offered[\s\S]*the requested TSA policy is not supported/,
    );
    writeFileSync(
      f('junk.tsr'),
      await httpTimestampAuthority(server.url)(new Uint8Array([0x30, 0x03, 1, 2, 3])),
    );
    expect(openssl('ts', '-reply', '-in', 'junk.tsr', '-text')).toMatch(
      /Status: Rejected\.[\s\S]*not a TimeStampReq[\s\S]*the data submitted has the wrong format/,
    );
  });

  it('HTTP: POST with application/timestamp-query only; the client reports transport failures', async () => {
    expect((await fetch(server.url)).status).toBe(405);
    const wrongType = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
    const ok = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: new Uint8Array(readFileSync(f('a.tsq'))),
    });
    expect(ok.headers.get('content-type')).toBe('application/timestamp-reply');

    const closed = await serveTimestampAuthority(async () => new Uint8Array());
    const closedUrl = closed.url;
    await closed.close();
    await expect(httpTimestampAuthority(closedUrl)(new Uint8Array([1]))).rejects.toThrow(/ECONNREFUSED/);
    const broken = await serveTimestampAuthority(async () => {
      throw new Error('out of order');
    });
    await expect(httpTimestampAuthority(broken.url)(new Uint8Array([1]))).rejects.toThrow(
      /answered HTTP 500/,
    );
    await broken.close();
    expect(() => httpTimestampAuthority('ftp://tsa.example/')).toThrow(/must be http/);
  });

  it('CONGVU_TSA_URL configures the authority the server signs with', () => {
    expect(configuredTimestampAuthority(loadConfig({}))).toBeUndefined();
    const config = loadConfig({ CONGVU_TSA_URL: server.url });
    expect(config.tsaUrl).toBe(server.url);
    expect(configuredTimestampAuthority(config)).toBeTypeOf('function');
    expect(() => loadConfig({ CONGVU_TSA_URL: 'tsa.example' })).toThrow(/CONGVU_TSA_URL/);
  });
});

/** The newest signature's timestamp token (unsigned attribute) and signature value. */
function embeddedToken(pdf: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array } {
  const text = Buffer.from(pdf).toString('latin1');
  const hex = [...text.matchAll(/\/Contents\s*<([0-9a-fA-F]+)>/g)].at(-1)?.[1] ?? '';
  const asn = asn1js.fromBER(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);
  const sd = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn.result }).content });
  const si = sd.signerInfos[0]!;
  const tok = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14')?.values[0];
  if (!tok) throw new Error('no signature time-stamp');
  return {
    token: new Uint8Array(tok.toBER(false)),
    signatureValue: new Uint8Array(si.signature.valueBlock.valueHexView),
  };
}

describe('PAdES B-T through the local TSA', () => {
  it('our verifier takes the TSA time; pdfsig trusts the file; openssl ts accepts the embedded token', async () => {
    const claimed = new Date(TSA_TIME.getTime() + 30_000);
    const signed = await signPdf(classicPdf(), official, {
      reason: 'Ký ban hành',
      signingTime: claimed,
      timestampAuthority: httpTimestampAuthority(server.url),
    });
    const r = await verifyPdf(signed, { trustAnchors: [caDer] });
    const s = r.signatures[0];
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(s?.signingTimeSource).toBe('timestamp');
    expect(s?.signingTime).toBe(TSA_TIME.toISOString());

    const out = pdfsig(nss, signed);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');

    const { token, signatureValue } = embeddedToken(signed);
    writeFileSync(f('pdf.tst'), token);
    const digest = createHash('sha256').update(signatureValue).digest('hex');
    expect(
      openssl('ts', '-verify', '-in', 'pdf.tst', '-token_in', '-digest', digest, '-CAfile', 'ca.pem'),
    ).toContain('Verification: OK');
    expect(openssl('ts', '-reply', '-in', 'pdf.tst', '-token_in', '-token_out', '-text')).toContain(
      `Policy OID: ${DEMO_TSA_POLICY}`,
    );
  });

  it('a TSA that fails, refuses or answers for other data makes signing fail with a clear error', async () => {
    const failing = localTimestampAuthority({
      ...tsaSigner,
      sign: async () => {
        throw new Error('HSM không phản hồi');
      },
    });
    await expect(signPdf(classicPdf(), official, { timestampAuthority: failing })).rejects.toThrow(
      /refused the request: rejection \(systemFailure\) — time-stamping failed: HSM không phản hồi/,
    );
    const local = localTimestampAuthority(tsaSigner);
    const otherImprint: TimestampAuthority = async (request) => {
      const req = pkijs.TimeStampReq.fromBER(Uint8Array.from(request).buffer);
      req.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: new Uint8Array(32).buffer });
      return local(new Uint8Array(req.toSchema().toBER(false)));
    };
    const err = await signPdf(classicPdf(), official, { timestampAuthority: otherImprint }).catch((e) => e);
    expect(err).toBeInstanceOf(SignError);
    expect(String(err)).toMatch(/over other data/);
  });

  it('a token from a TSA outside the trust store: the claimed time, and a warning saying so', async () => {
    const stranger = await createRootCa({ modulusLength: 2048, name: 'Unknown TSA Root' });
    const keys = await generateRsaKeyPair(2048);
    const cert = await issueTsaCertificate(stranger, { publicKey: keys.publicKey, name: 'Stranger TSA' });
    const p12 = await toPkcs12({ privateKey: keys.privateKey, chain: [cert.certificate], password: 'x' });
    const claimed = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signed = await signPdf(classicPdf(), official, {
      signingTime: claimed,
      timestampAuthority: localTimestampAuthority(pkcs12Signer(p12, 'x')),
    });
    const r = await verifyPdf(signed, { trustAnchors: [caDer] });
    const s = r.signatures[0];
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(s?.signingTimeSource).toBe('pdf');
    expect(s?.signingTime).toBe(claimed.toISOString());
    expect(s?.checks).toContainEqual({
      code: 'CHAIN',
      status: 'warning',
      message: expect.stringContaining('Dấu thời gian do "Stranger TSA" cấp chưa xác thực được'),
    });
  });
});
