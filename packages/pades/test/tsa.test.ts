/**
 * PAdES B-T: signature time-stamps from an independent RFC 3161 authority (`openssl ts -reply`
 * under the fixtures' root), checked by our verifier, poppler's pdfsig and `openssl ts -verify`.
 * The signer's certificate comes from the helpers' CA (no CRL/OCSP pointers, which NSS would
 * try to reach), so pdfsig can report it trusted.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeTimestampedSignature,
  p12Signer,
  prepareSignature,
  type RawSigner,
  renderReportVi,
  SignError,
  signPdf,
  type TimestampAuthority,
  verifyPdf,
} from '../src/index.ts';
import { makePki, type Pki, simplePdf } from './fixtures.ts';
import { makePki as makeSignerPki, nssDb, pdfsig } from './helpers.ts';

let pki: Pki;
let nss: string;
let official: RawSigner;
/** DER of the signer's CA. */
let signerCa: Uint8Array;
let n = 0;

const ssl = (...args: string[]) =>
  execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
const file = (name: string) => path.join(pki.dir, name);

/** The fixtures' TSA: `openssl ts -reply` answers the DER request with a DER TimeStampResp. */
const opensslTsa: TimestampAuthority = async (request) => {
  const i = ++n;
  writeFileSync(file(`q${i}.tsq`), request);
  ssl('ts', '-reply', '-config', 'ca.cnf', '-queryfile', `q${i}.tsq`, '-out', `r${i}.tsr`);
  return new Uint8Array(readFileSync(file(`r${i}.tsr`)));
};

/** Records what the authority answered. */
function recording(tsa: TimestampAuthority) {
  const seen: { request: Uint8Array; response: Uint8Array }[] = [];
  const authority: TimestampAuthority = async (request) => {
    const response = await tsa(request);
    seen.push({ request, response });
    return response;
  };
  return { authority, seen };
}

/** The newest signature's CMS SignerInfo, read from /Contents (first DER element). */
function lastSignerInfo(pdf: Uint8Array): pkijs.SignerInfo {
  const text = Buffer.from(pdf).toString('latin1');
  const m = [...text.matchAll(/\/Contents\s*<([0-9a-fA-F]+)>/g)].at(-1);
  const asn = asn1js.fromBER(Uint8Array.from(Buffer.from(m?.[1] ?? '', 'hex')).buffer);
  const sd = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn.result }).content });
  return sd.signerInfos[0] as pkijs.SignerInfo;
}

beforeAll(async () => {
  pki = makePki();
  const signerPki = await makeSignerPki();
  nss = nssDb(signerPki.caPem);
  signerCa = new Uint8Array(Buffer.from(signerPki.caPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  official = p12Signer(await signerPki.p12('Nguyễn Văn An', 'mk'), 'mk');
}, 90_000);
afterAll(() => {
  pki?.cleanup();
  if (nss) rmSync(nss, { recursive: true, force: true });
});

describe('signing with a time-stamp authority (PAdES B-T)', () => {
  it('embeds the token: our verifier takes the TSA time, pdfsig and openssl ts -verify accept the file', async () => {
    const { authority, seen } = recording(opensslTsa);
    const claimed = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000); // /M has whole seconds
    const signed = await signPdf(simplePdf(), official, {
      reason: 'Phê duyệt',
      signingTime: claimed,
      timestampAuthority: authority,
    });
    expect(seen).toHaveLength(1);

    // The request: SHA-256 over the signature value, a nonce, the TSA certificate asked for.
    const si = lastSignerInfo(signed);
    const imprint = createHash('sha256').update(si.signature.valueBlock.valueHexView).digest('hex');
    const req = pkijs.TimeStampReq.fromBER(Uint8Array.from(seen[0]!.request).buffer);
    expect(Buffer.from(req.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex')).toBe(
      imprint,
    );
    writeFileSync(file('bt.tsq'), seen[0]!.request);
    const query = ssl('ts', '-query', '-in', 'bt.tsq', '-text');
    expect(query).toMatch(/Hash Algorithm: sha256/);
    expect(query).toMatch(/Nonce: 0x[0-9A-F]+/);
    expect(query).toMatch(/Certificate required: yes/);

    // The embedded token is the authority's, and it is over this signature value.
    const attr = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    expect(attr).toBeDefined();
    writeFileSync(file('bt.tst'), new Uint8Array(attr!.values[0]!.toBER(false)));
    const tokenText = ssl('ts', '-reply', '-in', 'bt.tst', '-token_in', '-token_out', '-text');
    expect(tokenText).toMatch(/Policy OID: (1\.2\.3\.4\.1|tsa_policy1)\n/); // openssl's name for it
    expect(
      ssl('ts', '-verify', '-in', 'bt.tst', '-token_in', '-digest', imprint, '-CAfile', 'root.pem'),
    ).toContain('Verification: OK');
    writeFileSync(file('bt.tsr'), seen[0]!.response);
    expect(ssl('ts', '-verify', '-in', 'bt.tsr', '-queryfile', 'bt.tsq', '-CAfile', 'root.pem')).toContain(
      'Verification: OK',
    );

    // Our verifier: the signing time is the TSA's, not the claimed /M.
    const tsaTime = new Date(/Time stamp: (.+)/.exec(tokenText)?.[1] ?? '');
    expect(Number.isNaN(tsaTime.getTime())).toBe(false);
    const r = await verifyPdf(signed, { trustAnchors: [signerCa, pki.root] });
    const s = r.signatures[0];
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(s?.signingTimeSource).toBe('timestamp');
    expect(new Date(s?.signingTime ?? 0).getTime()).toBe(tsaTime.getTime());
    expect(s?.signingTime).not.toBe(claimed.toISOString());
    expect(renderReportVi(r)).toContain('(theo dấu thời gian)');

    // Poppler (NSS) still accepts the signature with the unsigned attribute.
    const out = pdfsig(nss, signed);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
  });

  it('the two-step flow: completeTimestampedSignature with a value from an external device', async () => {
    const chain = await official.certificateChain();
    const prep = await prepareSignature(simplePdf(), { certificateChain: chain });
    const value = await official.sign(prep.signedAttributes);
    const signed = await completeTimestampedSignature(prep.prepared, value, chain, opensslTsa);
    const r = await verifyPdf(signed, { trustAnchors: [signerCa, pki.root] });
    expect(r.valid).toBe(true);
    expect(r.signatures[0]?.signingTimeSource).toBe('timestamp');
    expect(pdfsig(nss, signed)).toContain('Signature is Valid.');
  });

  it('the reserved /Contents must hold the token too', async () => {
    const chain = await official.certificateChain();
    // Enough for the B-B signature (about 2.5 kB here), not for the token on top of it.
    const prep = await prepareSignature(simplePdf(), { certificateChain: chain, contentsSize: 3_000 });
    const value = await official.sign(prep.signedAttributes);
    await expect(completeTimestampedSignature(prep.prepared, value, chain, opensslTsa)).rejects.toThrow(
      /signature needs \d+ bytes \(\d+ of them the time-stamp token\), 3000 reserved/,
    );
  });
});

/** A TimeStampResp with only a status (what a refusing TSA sends). */
function refusal(status: number, failBit?: number, text?: string): Uint8Array {
  let failInfo: asn1js.BitString | undefined;
  if (failBit !== undefined) {
    const bytes = new Uint8Array((failBit >> 3) + 1);
    bytes[failBit >> 3] = 0x80 >> (failBit & 7);
    failInfo = new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (failBit & 7) });
  }
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status,
      ...(text ? { statusStrings: [new asn1js.Utf8String({ value: text })] } : {}),
      ...(failInfo ? { failInfo } : {}),
    }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

/** Re-encodes the authority's answer after `edit` changed the token's SignedData. */
function tampered(response: Uint8Array, edit: (sd: pkijs.SignedData) => void): Uint8Array {
  const resp = pkijs.TimeStampResp.fromBER(Uint8Array.from(response).buffer);
  const sd = new pkijs.SignedData({ schema: resp.timeStampToken!.content });
  edit(sd);
  resp.timeStampToken = new pkijs.ContentInfo({
    contentType: '1.2.840.113549.1.7.2',
    content: sd.toSchema(true),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

describe('a time-stamp authority that refuses or answers wrongly stops the signing', () => {
  const signWith = (timestampAuthority: TimestampAuthority) =>
    signPdf(simplePdf(), official, { timestampAuthority });

  it('rejection, waiting, garbage, an error page, no answer', async () => {
    await expect(signWith(async () => refusal(2, 0, 'unsupported algorithm'))).rejects.toThrow(
      /refused the request: rejection \(badAlg\) — unsupported algorithm/,
    );
    await expect(signWith(async () => refusal(2, 25))).rejects.toThrow(/rejection \(systemFailure\)/);
    await expect(signWith(async () => refusal(3))).rejects.toThrow(/refused the request: waiting$/);
    await expect(signWith(async () => refusal(0))).rejects.toThrow(/granted the request but sent no token/);
    await expect(signWith(async () => new Uint8Array([1, 2, 3]))).rejects.toThrow(
      /not an RFC 3161 TimeStampResp \(3 bytes\)/,
    );
    const html = new Uint8Array(Buffer.from('<html><body>502 Bad Gateway</body></html>'));
    await expect(signWith(async () => html)).rejects.toThrow(
      /TimeStampResp \(\d+ bytes: "<html><body>502 Bad/,
    );
    await expect(
      signWith(async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      }),
    ).rejects.toThrow(/did not answer: connect ECONNREFUSED/);
    await expect(signWith(async () => refusal(2))).rejects.toBeInstanceOf(SignError);
  });

  it('a token over another imprint, for another nonce, without the TSA certificate, with a broken signature', async () => {
    // Another imprint: the authority is asked about something else.
    await expect(
      signWith(async () => {
        ssl('ts', '-query', '-digest', 'ab'.repeat(32), '-sha256', '-cert', '-out', 'other.tsq');
        ssl('ts', '-reply', '-config', 'ca.cnf', '-queryfile', 'other.tsq', '-out', 'other.tsr');
        return new Uint8Array(readFileSync(file('other.tsr')));
      }),
    ).rejects.toThrow(/over other data \(its message imprint does not match\)/);

    // The same imprint, another nonce (a replayed or mixed-up answer).
    await expect(
      signWith(async (request) => {
        const req = pkijs.TimeStampReq.fromBER(Uint8Array.from(request).buffer);
        req.nonce = new asn1js.Integer({ value: 42 });
        return opensslTsa(new Uint8Array(req.toSchema().toBER(false)));
      }),
    ).rejects.toThrow(/does not answer this request \(nonce missing or different\)/);

    // certReq dropped on the way: the token cannot be checked.
    await expect(
      signWith(async (request) => {
        const req = pkijs.TimeStampReq.fromBER(Uint8Array.from(request).buffer);
        req.certReq = false;
        return opensslTsa(new Uint8Array(req.toSchema().toBER(false)));
      }),
    ).rejects.toThrow(/does not carry the certificate that signed it/);

    // One bit of the TSA's signature flipped.
    await expect(
      signWith(async (request) =>
        tampered(await opensslTsa(request), (sd) => {
          const sig = new Uint8Array(sd.signerInfos[0]!.signature.valueBlock.valueHexView);
          sig[10]! ^= 1;
          sd.signerInfos[0]!.signature = new asn1js.OctetString({ valueHex: sig.buffer });
        }),
      ),
    ).rejects.toThrow(/token's signature does not verify/);
  });
});

describe('verifying a time-stamp whose authority is not trusted', () => {
  it('falls back to the claimed time and says why in a CHAIN warning', async () => {
    const claimed = new Date(Math.floor(Date.now() / 1000) * 1000); // /M has whole seconds
    // The TSA is under the fixtures' root; only the signer's CA is trusted.
    const signed = await signPdf(simplePdf(), official, {
      signingTime: claimed,
      timestampAuthority: opensslTsa,
    });
    const r = await verifyPdf(signed, { trustAnchors: [signerCa] });
    const s = r.signatures[0];
    expect(s?.valid).toBe(true);
    expect(s?.trusted).toBe(true);
    expect(s?.signingTimeSource).toBe('pdf');
    expect(s?.signingTime).toBe(claimed.toISOString());
    const warnings = s?.checks.filter((c) => c.code === 'CHAIN' && c.status === 'warning') ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('Dấu thời gian do "CongVu Test TSA" cấp chưa xác thực được');
    expect(renderReportVi(r)).toContain('(do người ký khai)');

    // Trusting the TSA's root as well makes the TSA time the signing time.
    const both = await verifyPdf(signed, { trustAnchors: [signerCa, pki.root] });
    expect(both.signatures[0]?.signingTimeSource).toBe('timestamp');
    expect(both.signatures[0]?.checks.filter((c) => c.code === 'CHAIN')).toMatchObject([{ status: 'ok' }]);
  });
});
