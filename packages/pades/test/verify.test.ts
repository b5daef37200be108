import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PdfParseError,
  type RevocationSource,
  renderReportVi,
  type SignatureReport,
  verifyPdf,
} from '../src/index.ts';
import { PdfFile } from '../src/pdf-file.ts';
import { type PdfDict, PdfRef, type PdfStream } from '../src/pdf-objects.ts';
import { verifyRaw } from '../src/verify-cert.ts';
import { appendUpdate, CRL_URL, makePki, OCSP_URL, type Pki, simplePdf, xrefStreamPdf } from './fixtures.ts';

let pki: Pki;
let signed: Uint8Array;

beforeAll(() => {
  pki = makePki();
  signed = pki.sign(simplePdf(), 'good', 'Phê duyệt');
}, 60_000);
afterAll(() => pki?.cleanup());

const check = (s: SignatureReport | undefined, code: string) =>
  s?.checks.filter((c) => c.code === code) ?? [];
const status = (s: SignatureReport | undefined, code: string) => check(s, code).map((c) => c.status);

describe('verifyPdf on PDFs signed by poppler (pdfsig)', () => {
  it('valid and trusted: every check passes, the signer and evidence are reported', async () => {
    const r = await verifyPdf(signed, { trustAnchors: [pki.root] });
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0];
    expect(s?.signer.commonName).toBe('Nguyễn Văn A');
    expect(s?.signer.organization).toBe('UBND tỉnh Sơn Lâm');
    expect(s?.serial).toBe('1000');
    expect(s?.algorithm).toBe('RSA-SHA256');
    expect(s?.reason).toBe('Phê duyệt');
    expect(s?.coversWholeDocument).toBe(true);
    expect(s?.modificationsAfter).toBe('none');
    for (const code of ['INTEGRITY', 'CRYPTO', 'CHAIN', 'VALIDITY', 'KEY_USAGE', 'ALGORITHM'])
      expect(status(s, code), code).toEqual(['ok']);
    // No revocation source: a warning, not a failure.
    expect(status(s, 'REVOCATION')).toEqual(['warning']);
    expect(Math.abs(new Date(s?.signingTime ?? 0).getTime() - Date.now())).toBeLessThan(120_000);
    expect(s?.certificates[0]).toMatch(/^MII/);
    expect(Buffer.from(s?.certificates[1] ?? '', 'base64')).toEqual(Buffer.from(pki.root));
    expect(renderReportVi(r)).toContain('Chữ ký 1: Nguyễn Văn A (UBND tỉnh Sơn Lâm) — HỢP LỆ');
    // The field name agrees with poppler's.
    expect(s?.fieldName).toBe(/Signature Field Name: (\S+)/.exec(pki.pdfsigText(signed))?.[1]);
  });

  it('untrusted: another root, or no trust anchor at all, fails the chain but not the signature', async () => {
    for (const anchors of [[pki.otherRoot], []]) {
      const r = await verifyPdf(signed, { trustAnchors: anchors });
      expect(r.trusted).toBe(false);
      expect(r.valid).toBe(true);
      expect(status(r.signatures[0], 'CHAIN')).toEqual(['failed']);
    }
    const other = await verifyPdf(pki.sign(simplePdf(), 'other'), { trustAnchors: [pki.root] });
    expect(other.trusted).toBe(false);
    expect(renderReportVi(other)).toContain('KHÔNG TIN CẬY');
  });

  it('one byte changed inside the signed range: integrity fails', async () => {
    const bad = new Uint8Array(signed);
    const at = Buffer.from(bad).indexOf('Quyet dinh');
    bad[at] = 'J'.charCodeAt(0);
    const r = await verifyPdf(bad, { trustAnchors: [pki.root] });
    expect(r.valid).toBe(false);
    expect(status(r.signatures[0], 'INTEGRITY')).toContain('failed');
    expect(check(r.signatures[0], 'INTEGRITY').find((c) => c.status === 'failed')?.message).toMatch(
      /không khớp/,
    );
    expect(pki.pdfsigText(bad)).toMatch(/Digest Mismatch|Signature is Invalid/i);
  });

  it('a byte changed inside /Contents or a forged /ByteRange fails', async () => {
    const s = await verifyPdf(signed, { trustAnchors: [pki.root] });
    const [, b = 0, c = 0] = s.signatures[0]?.byteRange ?? [];
    const bad = new Uint8Array(signed);
    // A hex digit in the middle of the RSA signature value, found through the parsed CMS.
    const contentsHex = Buffer.from(signed.subarray(b + 1, c - 1)).toString('latin1');
    const asn = asn1js.fromBER(Buffer.from(contentsHex.replace(/[^0-9a-fA-F]/g, ''), 'hex'));
    const sd = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn.result }).content });
    const sigHex = Buffer.from(sd.signerInfos[0]?.signature.valueBlock.valueHexView ?? []).toString('hex');
    const at = contentsHex.toLowerCase().indexOf(sigHex);
    expect(at).toBeGreaterThan(0);
    const i = b + 1 + at + 100;
    bad[i] = bad[i] === 0x30 ? 0x31 : 0x30; // "0" ↔ "1": a different hex digit whatever the case
    const r = await verifyPdf(bad, { trustAnchors: [pki.root] });
    expect(r.valid).toBe(false);
    expect(status(r.signatures[0], 'CRYPTO')).toEqual(['failed']);
    const text = Buffer.from(signed).toString('latin1');
    const m = /\/ByteRange \[0 (\d+) /.exec(text);
    expect(m).not.toBeNull();
    const forged = Buffer.from(
      text.replace(
        /\/ByteRange \[0 (\d+) /,
        (_, n: string) => `/ByteRange [0 ${String(Number(n) - 1).padStart(n.length)} `,
      ),
      'latin1',
    );
    const f = await verifyPdf(new Uint8Array(forged), { trustAnchors: [pki.root] });
    expect(f.valid).toBe(false);
    expect(status(f.signatures[0], 'INTEGRITY')).toContain('failed');
  });

  it('an incremental update that changes the page content after signing is suspicious, and pdfsig agrees', async () => {
    const file = new PdfFile(signed);
    const last = file.sections.at(-1);
    const size = last?.trailer.get('Size') as number;
    const content = 'BT /F1 18 Tf 72 720 Td (Quyet dinh so 2/QD-UBND) Tj ET';
    // Keep the signature widget: only the page content differs.
    const page = file.object(3) as PdfDict;
    const a = page.get('Annots');
    const annots = a instanceof PdfRef ? `${a.num} ${a.gen} R` : '[]';
    expect(annots).not.toBe('[]');
    const updated = appendUpdate(
      signed,
      {
        3: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${size} 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots ${annots} >>`,
        [size]: `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      },
      last?.offset ?? 0,
      size,
      1,
    );
    const r = await verifyPdf(updated, { trustAnchors: [pki.root] });
    const s = r.signatures[0];
    expect(s?.coversWholeDocument).toBe(false);
    expect(s?.modificationsAfter).toBe('suspicious');
    expect(r.valid).toBe(false);
    expect(check(s, 'INTEGRITY').find((c) => c.status === 'failed')?.message).toMatch(
      /sửa đổi nội dung sau khi ký/,
    );
    // The signature itself still verifies over its own revision.
    expect(status(s, 'CRYPTO')).toEqual(['ok']);
    expect(pki.pdfsigText(updated)).toContain('Not total document signed');
  });

  it('a second signature appended: both valid, the first reports allowed modifications', async () => {
    const twice = pki.sign(signed, 'revoked', 'Ký ban hành');
    const r = await verifyPdf(twice, { trustAnchors: [pki.root] });
    expect(r.signatures).toHaveLength(2);
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(r.signatures[0]?.modificationsAfter).toBe('allowed');
    expect(r.signatures[0]?.coversWholeDocument).toBe(false);
    expect(r.signatures[1]?.modificationsAfter).toBe('none');
    expect(r.signatures[1]?.coversWholeDocument).toBe(true);
    expect(r.signatures[1]?.signer.commonName).toBe('Trần Thị B');
    expect(pki.pdfsigText(twice)).toContain('Signature #2');
  });

  it('revoked certificate via the CRL: reported revoked with date and reason, in Vietnamese', async () => {
    const pdf = pki.sign(simplePdf(), 'revoked');
    const goodCrl = pki.crl();
    const before = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: crlOnly(goodCrl) });
    expect(status(before.signatures[0], 'REVOCATION')).toEqual(['ok']);
    expect(before.signatures[0]?.revocationData[0]).toMatchObject({
      source: 'crl',
      url: CRL_URL,
      status: 'good',
    });

    const crl = pki.revoke('revoked');
    const r = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: crlOnly(crl) });
    const s = r.signatures[0];
    expect(r.valid).toBe(false);
    expect(status(s, 'REVOCATION')).toEqual(['failed']);
    expect(s?.revocationData[0]).toMatchObject({ source: 'crl', status: 'revoked', reason: 'keyCompromise' });
    expect(s?.revocationData[0]?.data).toBe(Buffer.from(crl).toString('base64'));
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    expect(renderReportVi(r)).toContain(`Chứng thư số đã bị thu hồi ngày ${today} (lý do: lộ khóa bí mật)`);
  });

  it('revocation via OCSP (openssl responder), and an unreachable source is only a warning', async () => {
    const pdf = pki.sign(simplePdf(), 'good');
    const ocsp: RevocationSource = {
      crl: async () => null,
      ocsp: async (url, req) => (url === OCSP_URL ? pki.ocsp(req) : null),
    };
    const r = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: ocsp });
    expect(status(r.signatures[0], 'REVOCATION')).toEqual(['ok']);
    expect(r.signatures[0]?.revocationData[0]).toMatchObject({ source: 'ocsp', status: 'good' });

    const revokedPdf = pki.sign(simplePdf(), 'revoked');
    pki.revoke('revoked');
    const rr = await verifyPdf(revokedPdf, { trustAnchors: [pki.root], revocation: ocsp });
    expect(status(rr.signatures[0], 'REVOCATION')).toEqual(['failed']);
    expect(rr.signatures[0]?.revocationData[0]).toMatchObject({
      source: 'ocsp',
      status: 'revoked',
      reason: 'keyCompromise',
    });
    expect(
      Math.abs(new Date(rr.signatures[0]?.revocationData[0]?.revokedAt ?? 0).getTime() - Date.now()),
    ).toBeLessThan(120_000);

    // A responder the CA delegated to (id-kp-OCSPSigning) is believed; any other certificate is not.
    const via = (who: 'delegated' | 'undelegated'): RevocationSource => ({
      crl: async () => null,
      ocsp: async (_url, req) => pki.ocsp(req, who),
    });
    const delegated = await verifyPdf(revokedPdf, { trustAnchors: [pki.root], revocation: via('delegated') });
    expect(delegated.signatures[0]?.revocationData[0]).toMatchObject({ source: 'ocsp', status: 'revoked' });
    const forged = await verifyPdf(revokedPdf, { trustAnchors: [pki.root], revocation: via('undelegated') });
    expect(forged.signatures[0]?.revocationData[0]?.status).toBe('unknown');
    expect(status(forged.signatures[0], 'REVOCATION')).toEqual(['warning']);

    const down: RevocationSource = { crl: async () => null, ocsp: async () => null };
    const u = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: down });
    expect(u.valid).toBe(true);
    expect(status(u.signatures[0], 'REVOCATION')).toEqual(['warning']);
    expect(u.signatures[0]?.revocationData[0]?.status).toBe('unknown');
  });

  it('expired certificate: expired at signing time fails; expired since only warns', async () => {
    const r = await verifyPdf(pki.sign(simplePdf(), 'expired'), { trustAnchors: [pki.root] });
    expect(r.valid).toBe(false);
    expect(check(r.signatures[0], 'VALIDITY')[0]).toMatchObject({ status: 'failed' });
    expect(renderReportVi(r)).toContain('đã hết hạn ngày 01/01/2021');

    const later = await verifyPdf(signed, {
      trustAnchors: [pki.root],
      now: new Date(Date.now() + 2 * 365 * 86_400_000),
    });
    expect(later.valid).toBe(true);
    expect(check(later.signatures[0], 'VALIDITY')[0]?.status).toBe('warning');
    expect(renderReportVi(later)).toContain('Chứng thư số đã hết hạn ngày');
  });

  it('a claimed signing time after the verification time fails', async () => {
    const r = await verifyPdf(signed, { trustAnchors: [pki.root], now: new Date(Date.now() - 86_400_000) });
    expect(r.valid).toBe(false);
    expect(
      check(r.signatures[0], 'VALIDITY')
        .map((c) => c.message)
        .join(' '),
    ).toContain('ở sau thời điểm kiểm tra');
  });

  it('SHA-1 in the certificate chain: invalid unless allowSha1, then a warning', async () => {
    const pdf = pki.sign(simplePdf(), 'sha1');
    const strict = await verifyPdf(pdf, { trustAnchors: [pki.root] });
    expect(strict.valid).toBe(false);
    expect(status(strict.signatures[0], 'ALGORITHM')).toEqual(['failed']);
    expect(check(strict.signatures[0], 'ALGORITHM')[0]?.message).toContain('SHA-1');
    const legacy = await verifyPdf(pdf, { trustAnchors: [pki.root], allowSha1: true });
    expect(legacy.valid).toBe(true);
    expect(status(legacy.signatures[0], 'ALGORITHM')).toEqual(['warning']);
  });

  it('a certificate not meant for signing fails KEY_USAGE', async () => {
    const r = await verifyPdf(pki.sign(simplePdf(), 'nousage'), { trustAnchors: [pki.root] });
    expect(status(r.signatures[0], 'KEY_USAGE')).toEqual(['failed']);
    expect(r.valid).toBe(false);
  });

  it('the chain is built by signature: a root with the same name but another key is not trusted', async () => {
    const r = await verifyPdf(pki.sign(simplePdf(), 'impostor'), { trustAnchors: [pki.root] });
    expect(r.signatures[0]?.issuer).toBe(
      'CN=CongVu Test Root, O=CongVu Test'.split(', ').reverse().join(', '),
    );
    expect(r.trusted).toBe(false);
    expect(status(r.signatures[0], 'CHAIN')).toEqual(['failed']);
  });

  it('through an intermediate CA carried in the CMS; revocation checked for the leaf and the intermediate', async () => {
    const pdf = pki.sign(simplePdf(), 'viasub');
    const r = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: crlOnly(pki.crl()) });
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(r.signatures[0]?.certificates.length).toBeGreaterThanOrEqual(3);
    // The leaf's CRL is the sub CA's (not served here): unknown, a warning; the intermediate is good.
    expect(status(r.signatures[0], 'REVOCATION')).toEqual(['warning']);
    expect(r.signatures[0]?.revocationData.map((e) => e.status)).toEqual(['unknown', 'good']);
  });

  it('verifyRaw: ECDSA P-256, RSA-PSS and RSA PKCS#1 v1.5 signatures (poppler 22 signs RSA only)', () => {
    const data = Buffer.from('signed attributes');
    const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecSig = new Uint8Array(sign('sha256', data, ec.privateKey));
    expect(
      verifyRaw('1.2.840.10045.4.3.2', undefined, undefined, spki(ec.publicKey), data, ecSig),
    ).toMatchObject({
      ok: true,
      algorithm: 'ECDSA-SHA256',
    });
    expect(
      verifyRaw('1.2.840.10045.2.1', undefined, 'sha256', spki(ec.publicKey), Buffer.from('other'), ecSig).ok,
    ).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pss = new Uint8Array(
      sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.1.8',
        algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }).toSchema(),
      }),
      saltLength: 32,
    }).toSchema();
    expect(
      verifyRaw('1.2.840.113549.1.1.10', params, undefined, spki(rsa.publicKey), data, pss),
    ).toMatchObject({
      ok: true,
      algorithm: 'RSA-PSS-SHA256',
    });
    const v15 = new Uint8Array(sign('sha384', data, rsa.privateKey));
    expect(
      verifyRaw('1.2.840.113549.1.1.1', undefined, 'sha384', spki(rsa.publicKey), data, v15).algorithm,
    ).toBe('RSA-SHA384');
    expect(verifyRaw('1.2.840.113549.1.1.1', undefined, 'sha256', spki(rsa.publicKey), data, v15).ok).toBe(
      false,
    );
  });

  it('PDFs with cross-reference and object streams: signed once and twice', async () => {
    const once = pki.sign(xrefStreamPdf(), 'good');
    const twice = pki.sign(once, 'viasub');
    const r = await verifyPdf(twice, { trustAnchors: [pki.root] });
    expect(r.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(r.signatures.map((s) => s.modificationsAfter)).toEqual(['allowed', 'none']);
    const file = new PdfFile(xrefStreamPdf());
    expect((file.object(3) as PdfDict).name('Type')).toBe('Page');
  });

  it('an update adding a non-signature annotation to the signed page is suspicious', async () => {
    const file = new PdfFile(signed);
    const last = file.sections.at(-1);
    const size = last?.trailer.get('Size') as number;
    const page = file.object(3) as PdfDict;
    const a = file.resolve(page.get('Annots')) as PdfRef[];
    const refs = a.map((x) => `${x.num} ${x.gen} R`).join(' ');
    const updated = appendUpdate(
      signed,
      {
        3: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [${refs} ${size} 0 R] >>`,
        [size]:
          '<< /Type /Annot /Subtype /FreeText /Rect [72 600 300 640] /Contents (Da huy) /DA (/Helv 12 Tf) >>',
      },
      last?.offset ?? 0,
      size,
      1,
    );
    const r = await verifyPdf(updated, { trustAnchors: [pki.root] });
    expect(r.signatures[0]?.modificationsAfter).toBe('suspicious');
    expect(r.valid).toBe(false);
  });

  it('an update pointing the trailer at a new catalog (a whole new document) is suspicious', async () => {
    const file = new PdfFile(signed);
    const last = file.sections.at(-1);
    const size = last?.trailer.get('Size') as number;
    const content = 'BT /F1 18 Tf 72 720 Td (Van ban khac) Tj ET';
    const updated = appendUpdate(
      signed,
      {
        [size]: `<< /Type /Catalog /Pages ${size + 1} 0 R >>`,
        [size + 1]: `<< /Type /Pages /Kids [${size + 2} 0 R] /Count 1 >>`,
        [size + 2]:
          `<< /Type /Page /Parent ${size + 1} 0 R /MediaBox [0 0 595 842] /Contents ${size + 3} 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
        [size + 3]: `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      },
      last?.offset ?? 0,
      size,
      size,
    );
    const r = await verifyPdf(updated, { trustAnchors: [pki.root] });
    expect(r.signatures[0]?.modificationsAfter).toBe('suspicious');
    expect(check(r.signatures[0], 'INTEGRITY').find((c) => c.status === 'failed')?.message).toContain(
      'document catalog replaced',
    );
    expect(r.valid).toBe(false);
  });

  it('a PDF whose cross-reference offsets are wrong is read by scanning, and its signature verifies', async () => {
    const good = Buffer.from(simplePdf());
    // Twelve bytes inserted after the header: every offset of the table is now wrong.
    const broken = Buffer.concat([
      good.subarray(0, 9),
      Buffer.from('%broken-xref\n'.slice(0, 12)),
      good.subarray(9),
    ]);
    expect(new PdfFile(broken).reconstructed).toBe(true);
    expect(new PdfFile(good).reconstructed).toBe(false);
    const pdf = pki.sign(new Uint8Array(broken), 'good');
    const file = new PdfFile(pdf);
    expect(file.reconstructed).toBe(true);
    expect(file.sections).toHaveLength(2);
    const r = await verifyPdf(pdf, { trustAnchors: [pki.root] });
    expect(r.valid).toBe(true);
    expect(r.signatures[0]?.coversWholeDocument).toBe(true);
    // A second signature in a rebuilt file is an allowed change; a new page content is not.
    const content = 'BT /F1 18 Tf 72 720 Td (Khac) Tj ET';
    const changed = appendUpdate(
      pdf,
      { 4: `<< /Length ${content.length} >>\nstream\n${content}\nendstream` },
      0,
      6,
      1,
    );
    const rc = await verifyPdf(changed, { trustAnchors: [pki.root] });
    expect(rc.signatures[0]?.modificationsAfter).toBe('suspicious');
    expect(rc.valid).toBe(false);
    const twice = pki.sign(pdf, 'viasub');
    const r2 = await verifyPdf(twice, { trustAnchors: [pki.root] });
    expect(r2.signatures.map((s) => [s.valid, s.modificationsAfter])).toEqual([
      [true, 'allowed'],
      [true, 'none'],
    ]);
  });

  it('signatures made by openssl cms: RSA PKCS#1, RSA-PSS, ECDSA P-256 all verify; SHA-1 digest per allowSha1', async () => {
    for (const [nick, opts, alg] of [
      ['good', {}, 'RSA-SHA256'],
      ['good', { pss: true }, 'RSA-PSS-SHA256'],
      ['ec', {}, 'ECDSA-SHA256'],
      ['good', { md: 'sha384' }, 'RSA-SHA384'],
    ] as const) {
      const pdf = pki.cmsSign(nick, opts);
      const r = await verifyPdf(pdf, { trustAnchors: [pki.root] });
      expect(r.valid, alg).toBe(true);
      expect(r.trusted, alg).toBe(true);
      expect(r.signatures[0]?.algorithm).toBe(alg);
      expect(r.signatures[0]?.fieldName).toBe('Chu ky 1');
      expect(pki.pdfsigText(pdf), alg).toContain('Signature is Valid');
    }
    const sha1 = pki.cmsSign('good', { md: 'sha1' });
    const strict = await verifyPdf(sha1, { trustAnchors: [pki.root] });
    expect(status(strict.signatures[0], 'CRYPTO')).toEqual(['ok']);
    expect(status(strict.signatures[0], 'ALGORITHM')).toEqual(['failed']);
    expect(strict.valid).toBe(false);
    const legacy = await verifyPdf(sha1, { trustAnchors: [pki.root], allowSha1: true });
    expect(status(legacy.signatures[0], 'ALGORITHM')).toEqual(['warning']);
    expect(legacy.valid).toBe(true);
  });

  it('certification signature with DocMDP P=1: any later update, even a signature, is suspicious', async () => {
    const certified = pki.cmsSign('good', { docMdp: 1 });
    expect((await verifyPdf(certified, { trustAnchors: [pki.root] })).valid).toBe(true);
    const r = await verifyPdf(pki.sign(certified, 'viasub'), { trustAnchors: [pki.root] });
    expect(r.signatures[0]?.modificationsAfter).toBe('suspicious');
    expect(r.signatures[0]?.valid).toBe(false);
    expect(r.signatures[1]?.valid).toBe(true);
    const p2 = await verifyPdf(pki.sign(pki.cmsSign('good', { docMdp: 2 }), 'viasub'), {
      trustAnchors: [pki.root],
    });
    expect(p2.signatures[0]?.modificationsAfter).toBe('allowed');
  });

  it('an RFC 3161 timestamp gives the signing time; revocation after it is only a warning', async () => {
    const pdf = pki.cmsSign('tsrevoked', { timestamp: true });
    const r = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: crlOnly(pki.crl()) });
    const s = r.signatures[0];
    expect(r.valid).toBe(true);
    expect(s?.signingTimeSource).toBe('timestamp');
    expect(Math.abs(new Date(s?.signingTime ?? 0).getTime() - Date.now())).toBeLessThan(60_000);
    expect(renderReportVi(r)).toContain('(theo dấu thời gian)');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const crl = pki.revoke('tsrevoked');
    const after = await verifyPdf(pdf, { trustAnchors: [pki.root], revocation: crlOnly(crl) });
    expect(check(after.signatures[0], 'REVOCATION')[0]).toMatchObject({ status: 'warning' });
    expect(check(after.signatures[0], 'REVOCATION')[0]?.message).toContain('sau thời điểm ký');
    expect(after.valid).toBe(true);
    // Without the timestamp the claimed time proves nothing: the same revocation fails.
    const plain = pki.cmsSign('tsrevoked');
    const p = await verifyPdf(plain, { trustAnchors: [pki.root], revocation: crlOnly(crl) });
    expect(status(p.signatures[0], 'REVOCATION')).toEqual(['failed']);
  });

  it('revocation data carried by the signature (CMS crls) or the PDF (/DSS) is used without a network source', async () => {
    {
      const crl = pki.revoke('dssrevoked');
      const revokedPdf = pki.cmsSign('dssrevoked', { embedCrl: crl });
      const r = await verifyPdf(revokedPdf, { trustAnchors: [pki.root] });
      expect(status(r.signatures[0], 'REVOCATION')).toEqual(['failed']);
      expect(r.signatures[0]?.revocationData[0]).toMatchObject({
        source: 'crl',
        embedded: true,
        status: 'revoked',
      });
      const goodPdf = pki.cmsSign('good', { embedCrl: crl });
      const g = await verifyPdf(goodPdf, { trustAnchors: [pki.root] });
      expect(status(g.signatures[0], 'REVOCATION')).toEqual(['ok']);
      expect(g.valid).toBe(true);
    }
    // A DSS added in a later update: an allowed change, and its CRL is used.
    const base = pki.cmsSign('good');
    const crl = Buffer.from(pki.crl());
    const withDss = appendUpdate(
      base,
      {
        1: '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >> /DSS 8 0 R >>',
        8: '<< /CRLs [9 0 R] >>',
        9: `<< /Length ${crl.length} >>\nstream\n${crl.toString('latin1')}\nendstream`,
      },
      new PdfFile(base).sections.at(-1)?.offset ?? 0,
      8,
      1,
    );
    const d = await verifyPdf(withDss, { trustAnchors: [pki.root] });
    expect(d.signatures[0]?.modificationsAfter).toBe('allowed');
    expect(d.valid).toBe(true);
    expect(status(d.signatures[0], 'REVOCATION')).toEqual(['ok']);
    expect(d.signatures[0]?.revocationData[0]).toMatchObject({ embedded: true, status: 'good' });
  });

  it('objects appended after the signature without a cross-reference section are suspicious', async () => {
    const appended = Buffer.concat([
      Buffer.from(signed),
      Buffer.from('4 0 obj\n<< /Length 20 >>\nstream\nBT (Khac) Tj ET    \nendstream\nendobj\n'),
    ]);
    const r = await verifyPdf(new Uint8Array(appended), { trustAnchors: [pki.root] });
    expect(r.signatures[0]?.modificationsAfter).toBe('suspicious');
    expect(r.valid).toBe(false);
    // Trailing comments and blank lines are harmless.
    const harmless = Buffer.concat([Buffer.from(signed), Buffer.from('\n%%EOF\n\n')]);
    expect((await verifyPdf(new Uint8Array(harmless), { trustAnchors: [pki.root] })).valid).toBe(true);
  });

  it('a stream whose /Length refers to itself is read up to endstream, without recursing forever', () => {
    const text = Buffer.from(simplePdf()).toString('latin1');
    const looped = text.replace(/4 0 obj\n<< \/Length \d+ >>/, '4 0 obj\n<< /Length 4 0 R >>');
    expect(looped).not.toBe(text);
    // Same byte count is not needed: the scan fallback rebuilds the offsets.
    const file = new PdfFile(new Uint8Array(Buffer.from(looped, 'latin1')));
    const content = file.object(4) as PdfStream;
    expect(Buffer.from(content.data).toString('latin1')).toContain('Quyet dinh so 1');
  });

  it('no signature: neither valid nor trusted; not a PDF: PdfParseError', async () => {
    const r = await verifyPdf(simplePdf(), { trustAnchors: [pki.root] });
    expect(r).toMatchObject({ valid: false, trusted: false, signatures: [] });
    expect(renderReportVi(r)).toContain('không có chữ ký số');
    await expect(verifyPdf(new TextEncoder().encode('hello'), { trustAnchors: [] })).rejects.toBeInstanceOf(
      PdfParseError,
    );
  });
});

function crlOnly(crl: Uint8Array): RevocationSource {
  return { crl: async (url) => (url === CRL_URL ? crl : null), ocsp: async () => null };
}
