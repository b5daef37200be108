import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTlv } from '../src/der.ts';
import { completeSignature, p12Signer, prepareSignature, type RawSigner, signPdf } from '../src/index.ts';
import { PdfFile } from '../src/pdf-file.ts';
import { decodeTextString, latin1, type PdfDict, PdfRef, type PdfString } from '../src/pdf-objects.ts';
import {
  classicPdf,
  makePalettePng,
  makePki,
  makePng,
  nssDb,
  type Pki,
  pdfFromObjects,
  pdfkitPdf,
  pdfsig,
  renderPage,
  xrefStreamPdf,
} from './helpers.ts';

let pki: Pki;
let nss: string;
let signerA: RawSigner;
let signerB: RawSigner;

beforeAll(async () => {
  pki = await makePki();
  nss = nssDb(pki.caPem);
  signerA = p12Signer(await pki.p12('Nguyễn Văn An', 'mật-khẩu-1'), 'mật-khẩu-1');
  signerB = p12Signer(await pki.p12('Văn thư UBND tỉnh', 'pw2'), 'pw2');
}, 60_000);

afterAll(() => rmSync(nss, { recursive: true, force: true }));

function byteRanges(pdf: Uint8Array): { ranges: number[][]; contents: Uint8Array }[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: { ranges: number[][]; contents: Uint8Array }[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
    out.push({
      ranges: [
        [a, b],
        [c, d],
      ],
      // The CMS element's own length, not "strip trailing zeros": the DER may end with a 0x00 byte.
      contents: cmsElement(Buffer.from(text.slice(b + 1, c - 1), 'hex')),
    });
  }
  return out;
}

function cmsElement(padded: Buffer): Buffer {
  return padded.subarray(0, readTlv(padded).end);
}

/** `openssl cms -verify` over the signed bytes with the CA trusted; throws on failure. */
function opensslVerify(pdf: Uint8Array, which = 0): string {
  const { ranges, contents } = byteRanges(pdf)[which]!;
  const signed = Buffer.concat(
    ranges.map(([start, len]) => Buffer.from(pdf.subarray(start!, start! + len!))),
  );
  writeFileSync(join(nss, 'content.bin'), signed);
  writeFileSync(join(nss, 'sig.der'), contents);
  return execFileSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-binary',
      '-in',
      join(nss, 'sig.der'),
      '-content',
      join(nss, 'content.bin'),
      '-CAfile',
      join(nss, 'ca.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The signature dictionary of the i-th field, read back with the package's parser. */
function sigDict(pdf: Uint8Array, i: number): PdfDict {
  const doc = new PdfFile(pdf);
  const fields = doc.resolve(doc.dict(doc.catalog.get('AcroForm'), 'AcroForm').get('Fields')) as PdfRef[];
  return doc.dict(doc.dict(fields[i], 'field').get('V'), 'signature');
}

function signatureBlocks(out: string): string[] {
  return out.split(/^Signature #\d+:/m).slice(1);
}

describe('signPdf (PAdES B-B, incremental update)', () => {
  for (const [label, make] of [
    ['pdfkit (classic xref)', pdfkitPdf],
    ['hand-made classic xref', async () => classicPdf()],
    ['xref stream + object stream', async () => xrefStreamPdf()],
  ] as const) {
    it(`signs a ${label} PDF; pdfsig and openssl accept it`, async () => {
      const pdf = await make();
      const signed = await signPdf(pdf, signerA, {
        reason: 'Phê duyệt văn bản',
        location: 'Thành phố Sơn Lâm',
        name: 'Nguyễn Văn An',
        signingTime: new Date('2026-03-05T02:03:04Z'),
      });
      // Incremental: the original bytes are untouched.
      expect(Buffer.from(signed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
      const out = pdfsig(nss, signed);
      expect(out).toContain('Signature Validation: Signature is Valid.');
      expect(out).toContain('Certificate Validation: Certificate is Trusted.');
      expect(out).toContain('Signature Type: ETSI.CAdES.detached');
      expect(out).not.toMatch(/Error|Warning/); // poppler found no damaged structure
      expect(out).toContain('- Total document signed');
      expect(out).toContain('Signer Certificate Common Name: Nguyễn Văn An');
      expect(out).toContain('Signing Time: Mar 05 2026 02:03:04'); // pdfsig runs with TZ=UTC
      expect(decodeTextString(sigDict(signed, 0).get('M') as PdfString)).toBe("D:20260305090304+07'00'");
      opensslVerify(signed);
      // The update is readable by our own parser and the new field is in the AcroForm.
      const doc = new PdfFile(signed);
      expect(doc.dict(doc.catalog.get('AcroForm'), 'AcroForm').get('SigFlags')).toBe(3);
      expect(doc.usesXrefStream).toBe(label.startsWith('xref stream'));
    });
  }

  it('reason and location in Vietnamese round-trip as UTF-16 text strings', async () => {
    const signed = await signPdf(classicPdf(), signerA, { reason: 'Đồng ý ban hành', location: 'Hà Nội' });
    // pdfsig 22.12 does not print /Reason; read the dictionary back with the parser.
    expect(pdfsig(nss, signed)).toContain('Signature is Valid.');
    const sig = sigDict(signed, 0);
    expect(decodeTextString(sig.get('Reason') as PdfString)).toBe('Đồng ý ban hành');
    expect(decodeTextString(sig.get('Location') as PdfString)).toBe('Hà Nội');
    expect(Buffer.from((sig.get('Reason') as PdfString).bytes.subarray(0, 2)).toString('hex')).toBe('feff');
  });

  it('two signers: the second signature is appended and both stay valid', async () => {
    for (const make of [pdfkitPdf, async () => xrefStreamPdf()]) {
      const once = await signPdf(await make(), signerA, { reason: 'Ký duyệt' });
      const twice = await signPdf(once, signerB, { reason: 'Đóng dấu cơ quan' });
      expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
      const out = pdfsig(nss, twice);
      expect(out).not.toMatch(/Error|Warning/);
      const blocks = signatureBlocks(out);
      expect(blocks).toHaveLength(2);
      for (const b of blocks) {
        expect(b).toContain('Signature Validation: Signature is Valid.');
        expect(b).toContain('Certificate Validation: Certificate is Trusted.');
      }
      expect(blocks[0]).toContain('Nguyễn Văn An');
      expect(blocks[0]).toContain('Not total document signed'); // covers only its revision
      expect(blocks[1]).toContain('Văn thư UBND tỉnh');
      expect(blocks[1]).toContain('Total document signed');
      opensslVerify(twice, 0);
      opensslVerify(twice, 1);
      // distinct field names
      const names = [
        ...Buffer.from(twice)
          .toString('latin1')
          .matchAll(/\/T \(?<?([^\n>)]*)/g),
      ].map((m) => m[1]);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('one changed byte inside the signed range makes the signature invalid', async () => {
    const signed = await signPdf(classicPdf(), signerA, {});
    const text = Buffer.from(signed).toString('latin1');
    const at = text.indexOf('Classic xref');
    const tampered = signed.slice();
    tampered[at] = 'K'.charCodeAt(0);
    const out = pdfsig(nss, tampered);
    expect(out).not.toContain('Signature is Valid.');
    expect(out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    expect(() => opensslVerify(tampered)).toThrow();
  });

  it('the client-side flow (prepare → device signs → complete) gives the same kind of file', async () => {
    const chain = await signerB.certificateChain();
    const prep = await prepareSignature(classicPdf(), {
      certificateChain: chain,
      reason: 'Ký bằng USB token',
    });
    const small = await prepareSignature(classicPdf(), { certificateChain: chain, contentsSize: 500 });
    expect(() => completeSignature(small.prepared, new Uint8Array(), chain)).toThrow(/does not verify/);
    const smallValue = await signerB.sign(small.signedAttributes);
    expect(() => completeSignature(small.prepared, smallValue, chain)).toThrow(/500 reserved/);
    const value = await signerB.sign(prep.signedAttributes);
    const done = completeSignature(prep.prepared, value, chain);
    expect(pdfsig(nss, done)).toContain('Signature Validation: Signature is Valid.');
    // A value over other data, or from another key, is refused rather than embedded.
    const wrong = await signerB.sign(new Uint8Array([1, 2, 3]));
    expect(() => completeSignature(prep.prepared, wrong, chain)).toThrow(/does not verify/);
    const otherKey = await signerA.sign(prep.signedAttributes);
    expect(() => completeSignature(prep.prepared, otherKey, chain)).toThrow(/does not verify/);
    // A filled placeholder cannot be filled twice.
    expect(() => completeSignature(done, value, chain)).toThrow(/already filled/);
  });

  it('signPdf writes the same bytes as prepare → device signs → complete (small and >64 KB files)', async () => {
    const chain = await signerB.certificateChain();
    const content = 'q 1 0 0 1 0 0 cm Q\n'.repeat(9000); // ~170 KB: several copy-and-hash chunks
    const big = pdfFromObjects([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    ]);
    const opts = { reason: 'Đối chiếu hai cách ký', signingTime: new Date('2026-11-23T03:00:00Z') };
    for (const pdf of [classicPdf(), xrefStreamPdf(), big]) {
      const prep = await prepareSignature(pdf, { ...opts, certificateChain: chain });
      const twoStep = completeSignature(prep.prepared, await signerB.sign(prep.signedAttributes), chain);
      const oneStep = await signPdf(pdf, signerB, opts);
      expect(Buffer.from(oneStep)).toEqual(Buffer.from(twoStep));
    }
    expect(pdfsig(nss, await signPdf(big, signerB, opts))).toContain(
      'Signature Validation: Signature is Valid.',
    );
  });

  it('ECDSA P-256 from an OpenSSL-made PKCS#12 (AES/PBKDF2): valid in pdfsig and openssl', async () => {
    const ec = p12Signer(pki.ecP12('Chữ ký EC', 'pw-ec'), 'pw-ec');
    expect(ec.algorithm).toBe('ECDSA-P256-SHA256');
    expect(await ec.certificateChain()).toHaveLength(2);
    const signed = await signPdf(await signPdf(xrefStreamPdf(), ec, { reason: 'EC' }), signerA, {});
    const blocks = signatureBlocks(pdfsig(nss, signed));
    expect(blocks[0]).toContain('Signer Certificate Common Name: Chữ ký EC');
    for (const b of blocks) {
      expect(b).toContain('Signature Validation: Signature is Valid.');
      expect(b).toContain('Certificate Validation: Certificate is Trusted.');
    }
    opensslVerify(signed, 0);
  });

  it('keeps existing form fields (inline AcroForm, indirect /Annots array), CRLF files', async () => {
    const pdf = pdfFromObjects(
      [
        '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/Helv 0 Tf 0 g) >> >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots 4 0 R >>',
        '[5 0 R]',
        '<< /Type /Annot /Subtype /Widget /FT /Tx /T (Signature1) /Rect [10 10 100 30] /P 3 0 R >>',
      ],
      '\r\n',
    );
    const signed = await signPdf(pdf, signerA, {});
    const out = pdfsig(nss, signed);
    expect(out).not.toMatch(/Error|Warning/);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    const doc = new PdfFile(signed);
    const acro = doc.dict(doc.catalog.get('AcroForm'), 'AcroForm');
    const fields = doc.resolve(acro.get('Fields')) as PdfRef[];
    expect(fields).toHaveLength(2);
    expect(latin1((acro.get('DA') as PdfString).bytes)).toBe('/Helv 0 Tf 0 g');
    // The name "Signature1" is taken by the text field: the new one is Signature2.
    expect(decodeTextString(doc.dict(fields[1], 'field').get('T') as PdfString)).toBe('Signature2');
    // The indirect /Annots array got a new version with both widgets.
    expect(doc.resolve(new PdfRef(4, 0))).toHaveLength(2);
    expect(doc.trailer.get('ID')).toBeDefined();
  });

  it('refuses a document certified with no changes allowed (DocMDP P=1)', async () => {
    const pdf = pdfFromObjects([
      '<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      '<< /Type /Sig /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 /V /1.2 >> >>] >>',
    ]);
    await expect(signPdf(pdf, signerA, {})).rejects.toThrow(/DocMDP P=1/);
  });

  it('refuses what is not a PDF and a page that does not exist', async () => {
    await expect(signPdf(new Uint8Array([1, 2, 3]), signerA, {})).rejects.toThrow(/not a PDF/);
    await expect(signPdf(classicPdf(), signerA, { page: 3 })).rejects.toThrow(/no page 4/);
  });

  it('p12Signer rejects a wrong password', async () => {
    const p12 = await pki.p12('X', 'right');
    expect(() => p12Signer(p12, 'wrong')).toThrow(/PKCS#12/);
  });

  it('p12Signer refuses a file whose localKeyId names another key’s certificate', async () => {
    const bags = (der: Uint8Array, pw: string) =>
      forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary')), pw);
    const mine = bags(await pki.p12('Chủ', 'a'), 'a');
    const other = bags(await pki.p12('Người khác', 'b'), 'b');
    const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const certBag = forge.pki.oids.certBag as string;
    const key = mine.getBags({ bagType: keyBag })[keyBag]?.[0]?.key;
    const cert = other.getBags({ bagType: certBag })[certBag]?.[0]?.cert;
    if (!key || !cert) throw new Error('fixture bags missing');
    // forge gives the key and the first certificate the same localKeyId
    const mixed = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [cert], 'c', { algorithm: '3des' }));
    const der = Uint8Array.from(mixed.getBytes(), (c) => c.charCodeAt(0));
    expect(() => p12Signer(der, 'c')).toThrow(/not the key’s/);
  });

  it('a signer that is not a checked local key has its value verified before it is embedded', async () => {
    const chain = await signerA.certificateChain();
    const device: RawSigner = {
      algorithm: 'RSA-SHA256',
      certificateChain: async () => chain,
      sign: (data) => signerB.sign(data), // the wrong key behind the right certificate
    };
    await expect(signPdf(classicPdf(), device)).rejects.toThrow(/does not verify/);
    expect(signerA.checkedLocalKey).toBe(true);
  });
});

describe('visible signature appearance', () => {
  const tinos = new Uint8Array(
    readFileSync(
      join(process.cwd(), 'node_modules/@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf'),
    ),
  );
  // A red disc (the seal) on a transparent background.
  const seal = makePng(60, 60, (x, y) =>
    (x - 30) ** 2 + (y - 30) ** 2 < 25 ** 2 ? [220, 0, 0, 255] : [0, 0, 255, 0],
  );
  const lines = ['Ký bởi: Nguyễn Văn An', 'Cơ quan: UBND tỉnh Sơn Lâm', 'Thời gian: 05/03/2026 09:03:04'];

  it('draws the PNG with transparency and Vietnamese text in the embedded font; the signature stays valid', async () => {
    const signed = await signPdf(classicPdf(), signerA, {
      appearance: { rect: [300, 100, 240, 80], image: seal, lines, font: tinos },
    });
    const out = pdfsig(nss, signed);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    const px = renderPage(nss, signed);
    // The image sits in the left 45 % of the box (108 pt), centred: disc centre ≈ (354, 140).
    const [r, g, b] = px(354, 140);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    // Outside the disc but inside the box: transparent, so the white page shows (not blue).
    expect(px(302, 102)).toEqual([255, 255, 255]);
    // Text on the right: some dark pixels.
    let dark = 0;
    for (let x = 410; x < 538; x++) for (let y = 105; y < 175; y++) if (px(x, y)[0] < 100) dark++;
    expect(dark).toBeGreaterThan(100);
    // The font is an embedded subset (tagged name) with a ToUnicode map, and small.
    const file = join(nss, 'fonts.pdf');
    writeFileSync(file, signed);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+Tinos-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(signed.length - classicPdf().length).toBeLessThan(70_000);
  });

  it('without an image the text fills the box; a glyph missing from the font is an error', async () => {
    const signed = await signPdf(await pdfkitPdf(), signerB, {
      appearance: { rect: [50, 50, 200, 50], lines, font: tinos, color: [0, 0, 0.8] },
    });
    expect(pdfsig(nss, signed)).toContain('Signature Validation: Signature is Valid.');
    await expect(
      signPdf(classicPdf(), signerB, { appearance: { rect: [0, 0, 100, 40], lines: ['😀'], font: tinos } }),
    ).rejects.toThrow(/no glyph/);
    await expect(
      signPdf(classicPdf(), signerB, { appearance: { rect: [0, 0, 100, 40], lines: ['Ký'] } }),
    ).rejects.toThrow(/needs a font/);
  });

  it('a palette PNG with tRNS (common for seals): transparent where index 0', async () => {
    const png = makePalettePng(40, 40, (x, y) => (x - 20) ** 2 + (y - 20) ** 2 < 15 ** 2);
    const signed = await signPdf(classicPdf(), signerA, {
      appearance: { rect: [100, 100, 40, 40], image: png },
    });
    expect(pdfsig(nss, signed)).toContain('Signature Validation: Signature is Valid.');
    const px = renderPage(nss, signed);
    expect(px(120, 120)).toEqual([210, 0, 0]);
    expect(px(101, 101)).toEqual([255, 255, 255]);
  });

  it('an RGB PNG without alpha works; a non-PNG image is refused', async () => {
    const rgb = makePng(20, 10, () => [0, 0, 200, 255], false);
    const signed = await signPdf(xrefStreamPdf(), signerA, {
      appearance: { rect: [100, 100, 40, 20], image: rgb },
    });
    expect(pdfsig(nss, signed)).toContain('Signature Validation: Signature is Valid.');
    const [r, , b] = renderPage(nss, signed)(120, 110);
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(50);
    await expect(
      signPdf(classicPdf(), signerA, {
        appearance: { rect: [0, 0, 10, 10], image: new Uint8Array([1, 2, 3]) },
      }),
    ).rejects.toThrow(/not a PNG/);
  });
});
