import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { p12Signer, renderReportVi, signPdf, verifyPdf } from '../src/index.ts';
import { makePki, type Pki, pdfkitPdf } from './helpers.ts';

/** Our signer and our verifier agree (each is also checked against poppler in its own tests). */
let pki: Pki;
let anchors: Uint8Array[];
beforeAll(async () => {
  pki = await makePki();
  const der = forge.asn1
    .toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pki.caPem)))
    .getBytes();
  anchors = [Uint8Array.from(der, (c) => c.charCodeAt(0))];
});

describe('sign then verify', () => {
  it('a signer and then the agency sign one file; both verify, the first sees only allowed changes', async () => {
    const signer = p12Signer(await pki.p12('Trần Quốc Hưng', 'mk'), 'mk');
    const agency = p12Signer(await pki.p12('Ủy ban nhân dân tỉnh Sơn Lâm', 'mk'), 'mk');
    const once = await signPdf(await pdfkitPdf(), signer, { reason: 'Phê duyệt', location: 'Sơn Lâm' });
    const twice = await signPdf(once, agency, { reason: 'Phát hành' });
    const report = await verifyPdf(twice, { trustAnchors: anchors });
    expect(report.valid).toBe(true);
    expect(report.trusted).toBe(true);
    expect(report.signatures.map((s) => s.signer.commonName)).toEqual([
      'Trần Quốc Hưng',
      'Ủy ban nhân dân tỉnh Sơn Lâm',
    ]);
    expect(report.signatures.map((s) => s.modificationsAfter)).toEqual(['allowed', 'none']);
    expect(report.signatures[0]!.reason).toBe('Phê duyệt');
    expect(renderReportVi(report)).toContain('Trần Quốc Hưng');
  });

  it('one byte changed in the signed range fails; without the CA it is valid but not trusted', async () => {
    const signer = p12Signer(await pki.p12('Lê Thị Thanh Hà', 'mk'), 'mk');
    const signed = await signPdf(await pdfkitPdf(), signer, { reason: 'Ký duyệt' });
    const untrusted = await verifyPdf(signed, { trustAnchors: [] });
    expect(untrusted).toMatchObject({ valid: true, trusted: false });
    const bad = signed.slice();
    const at = bad.indexOf(0x42 /* B */, 200); // inside the first byte range ("BT" of the page)
    bad[at] = 0x43;
    const report = await verifyPdf(bad, { trustAnchors: anchors });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]!.checks.find((c) => c.code === 'INTEGRITY')?.status).toBe('failed');
  });

  it('a /Contents whose hex has white space inside the CMS is decoded whole, and still verifies', async () => {
    const signer = p12Signer(await pki.p12('Phạm Minh Đức', 'mk'), 'mk');
    const signed = Buffer.from(await signPdf(await pdfkitPdf(), signer, {}));
    const text = signed.toString('latin1');
    const m = /\/Contents <([0-9a-f]+)>/.exec(text.slice(text.lastIndexOf('/ByteRange')));
    const hex = m?.[1] ?? '';
    const at = text.lastIndexOf(`<${hex}>`) + 1;
    // Same length: a line break inside the CMS, two padding digits fewer at the end.
    const spaced = `${hex.slice(0, 101)}\n ${hex.slice(101, -2)}`;
    expect(spaced).toHaveLength(hex.length);
    signed.write(spaced, at, 'latin1');
    const report = await verifyPdf(new Uint8Array(signed), { trustAnchors: anchors });
    expect(report.valid).toBe(true);
    expect(report.signatures[0]!.checks.filter((c) => c.status !== 'ok').map((c) => c.code)).toEqual([
      'REVOCATION',
    ]);
  });
});
