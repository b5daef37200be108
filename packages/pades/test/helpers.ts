/** Test fixtures: a throw-away CA, signer certificates, PKCS#12 files and PDFs of several shapes. */
/** Test fixtures: a throw-away CA, signer certificates, PKCS#12 files and PDFs of several shapes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import forge from 'node-forge';
import PDFDocument from 'pdfkit';

// Certificates are made with node-forge (@peculiar/x509 needs a reflect-metadata polyfill that is
// not installed); keys come from Node's crypto (fast RSA-2048 generation).
function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }).toString()),
  };
}

function utf8Attrs(cn: string): forge.pki.CertificateField[] {
  return [
    { shortName: 'CN', value: cn, valueTagClass: forge.asn1.Type.UTF8 as unknown as number },
    { shortName: 'O', value: 'CongVu' },
    { shortName: 'C', value: 'VN' },
  ] as forge.pki.CertificateField[];
}

export interface Pki {
  caPem: string;
  /** A PKCS#12 with the signer's key, certificate and the CA certificate. */
  p12(commonName: string, password: string): Promise<Uint8Array>;
  /** The same with an ECDSA P-256 key, made by the openssl CLI (OpenSSL 3 PKCS#12 defaults). */
  ecP12(commonName: string, password: string): Uint8Array;
}

export async function makePki(): Promise<Pki> {
  const caKeys = rsaKeys();
  const now = Date.now();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(now - 86400_000);
  ca.validity.notAfter = new Date(now + 365 * 86400_000);
  ca.setSubject(utf8Attrs('CongVu Test CA'));
  ca.setIssuer(utf8Attrs('CongVu Test CA'));
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  let serial = 2;
  return {
    caPem: forge.pki.certificateToPem(ca),
    ecP12(commonName, password) {
      const dir = mkdtempSync(join(tmpdir(), 'pades-ec-'));
      const f = (n: string) => join(dir, n);
      writeFileSync(f('ca.pem'), forge.pki.certificateToPem(ca));
      writeFileSync(f('ca.key'), forge.pki.privateKeyToPem(caKeys.privateKey));
      writeFileSync(f('ext.cnf'), 'keyUsage=critical,digitalSignature,nonRepudiation\n');
      const ossl = (...args: string[]) =>
        execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      ossl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ec.key'));
      ossl(
        'req',
        '-new',
        '-key',
        f('ec.key'),
        '-subj',
        `/CN=${commonName}/O=CongVu/C=VN`,
        '-utf8',
        '-out',
        f('ec.csr'),
      );
      ossl(
        'x509',
        '-req',
        '-in',
        f('ec.csr'),
        '-CA',
        f('ca.pem'),
        '-CAkey',
        f('ca.key'),
        '-set_serial',
        String(serial++),
        '-days',
        '30',
        '-sha256',
        '-extfile',
        f('ext.cnf'),
        '-out',
        f('ec.pem'),
      );
      ossl(
        'pkcs12',
        '-export',
        '-inkey',
        f('ec.key'),
        '-in',
        f('ec.pem'),
        '-certfile',
        f('ca.pem'),
        '-passout',
        `pass:${password}`,
        '-out',
        f('ec.p12'),
      );
      const p12 = new Uint8Array(readFileSync(f('ec.p12')));
      rmSync(dir, { recursive: true, force: true });
      return p12;
    },
    async p12(commonName, password) {
      const keys = rsaKeys();
      const cert = forge.pki.createCertificate();
      cert.publicKey = keys.publicKey;
      cert.serialNumber = String(serial++).padStart(2, '0');
      cert.validity.notBefore = new Date(now - 3600_000);
      cert.validity.notAfter = new Date(now + 30 * 86400_000);
      cert.setSubject(utf8Attrs(commonName));
      cert.setIssuer(ca.subject.attributes);
      cert.setExtensions([
        { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ]);
      cert.sign(caKeys.privateKey, forge.md.sha256.create());
      const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], password, { algorithm: '3des' });
      return Uint8Array.from(forge.asn1.toDer(p12).getBytes(), (c) => c.charCodeAt(0));
    },
  };
}

/** A two-page PDF from pdfkit (classic xref table as pdfkit writes). */
export function pdfkitPdf(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', compress: true });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.text('Công văn số 12/UBND-VP — trang 1');
    doc.addPage().text('trang 2');
    doc.end();
  });
}

const CLASSIC_CONTENT = 'BT /F1 24 Tf 72 700 Td (Classic xref) Tj ET';

/** Assembles objects into a file with a classic xref table. */
export function classicPdf(): Uint8Array {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${CLASSIC_CONTENT.length} >>\nstream\n${CLASSIC_CONTENT}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}

/**
 * A PDF 1.5 file whose catalog, page tree and page live in a compressed object stream, indexed
 * by a cross-reference stream with a PNG Up predictor (as Word and Acrobat write them).
 */
export function xrefStreamPdf(): Uint8Array {
  const inStream: [number, string][] = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [
      3,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
    ],
  ];
  let header = '';
  let body = '';
  for (const [num, text] of inStream) {
    header += `${num} ${body.length} `;
    body += `${text}\n`;
  }
  const objstm = deflateSync(Buffer.from(header + body, 'latin1'));
  const content = 'BT /F1 24 Tf 72 700 Td (Xref stream) Tj ET';
  const parts: Buffer[] = [];
  let pos = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    pos += buf.length;
  };
  push('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n');
  const off4 = pos;
  push(`4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`);
  const off5 = pos;
  push(
    `5 0 obj\n<< /Type /ObjStm /N ${inStream.length} /First ${header.length} /Filter /FlateDecode /Length ${objstm.length} >>\nstream\n`,
  );
  push(objstm);
  push('\nendstream\nendobj\n');
  const off6 = pos;
  // rows: type(1) field2(4) field3(2) for objects 0..6
  const rows: number[][] = [
    [0, 0, 65535],
    [2, 5, 0],
    [2, 5, 1],
    [2, 5, 2],
    [1, off4, 0],
    [1, off5, 0],
    [1, off6, 0],
  ];
  const raw: number[] = [];
  let prev = new Array(7).fill(0);
  for (const [t, f2, f3] of rows) {
    const row = [
      t!,
      (f2! >>> 24) & 255,
      (f2! >>> 16) & 255,
      (f2! >>> 8) & 255,
      f2! & 255,
      f3! >> 8,
      f3! & 255,
    ];
    raw.push(2, ...row.map((v, i) => (v - prev[i]) & 255)); // PNG Up
    prev = row;
  }
  const xdata = deflateSync(Buffer.from(raw));
  push(
    `6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${xdata.length} >>\nstream\n`,
  );
  push(xdata);
  push(`\nendstream\nendobj\nstartxref\n${off6}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

/** A temp dir with an NSS database trusting the CA, for pdfsig. */
export function nssDb(caPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pades-nss-'));
  writeFileSync(join(dir, 'ca.pem'), caPem);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'ca', '-t', 'CT,C,C', '-i', join(dir, 'ca.pem')]);
  return dir;
}

/** pdfsig's stdout followed by its stderr (poppler reports damaged structure there). */
export function pdfsig(nssDir: string, pdf: Uint8Array): string {
  const file = join(nssDir, `f${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  return `${r.stdout}${r.stderr}`;
}

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** An 8-bit PNG (colour type 6 RGBA or 2 RGB) from a pixel function, rows filtered with Sub. */
export function makePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
  rgba = true,
): Uint8Array {
  const ch = rgba ? 4 : 3;
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(1); // Sub filter, to exercise unfiltering
    let prev = [0, 0, 0, 0];
    for (let x = 0; x < width; x++) {
      const px = pixel(x, y).slice(0, ch);
      raw.push(...px.map((v, i) => (v - prev[i]!) & 255));
      prev = px;
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = rgba ? 6 : 2;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.from(raw))),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

/** A palette PNG (colour type 3) with tRNS: index 0 transparent blue, index 1 opaque red. */
export function makePalettePng(
  width: number,
  height: number,
  inside: (x: number, y: number) => boolean,
): Uint8Array {
  const rgba = makePng(width, height, () => [0, 0, 0, 0]); // reuse the chunk writer via a template
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(0);
    for (let x = 0; x < width; x++) raw.push(inside(x, y) ? 1 : 0);
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from(rgba.subarray(16, 29));
  ihdr[9] = 3;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(rgba.subarray(0, 8)),
      chunk('IHDR', ihdr),
      chunk('PLTE', Uint8Array.from([0, 0, 255, 210, 0, 0])),
      chunk('tRNS', Uint8Array.from([0])),
      chunk('IDAT', deflateSync(Buffer.from(raw))),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

/** Renders page 1 at 72 dpi with pdftoppm; returns a pixel reader in PDF coordinates. */
export function renderPage(dir: string, pdf: Uint8Array): (x: number, y: number) => [number, number, number] {
  const file = join(dir, `r${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', file], { maxBuffer: 64 << 20 });
  // P6\n<w> <h>\n255\n<data>
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('unexpected pdftoppm output');
  const w = Number(header[1]);
  const h = Number(header[2]);
  const data = ppm.subarray(header[0].length);
  return (x, y) => {
    const row = h - 1 - Math.round(y);
    const i = (row * w + Math.round(x)) * 3;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
}

/** A classic-xref file built from object bodies (1-based numbers; object 1 is the catalog). */
export function pdfFromObjects(objs: string[], eol = '\n'): Uint8Array {
  let out = `%PDF-1.7${eol}%\xe2\xe3\xcf\xd3${eol}`;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj${eol}${o}${eol}endobj${eol}`;
  });
  const xref = out.length;
  out += `xref${eol}0 ${objs.length + 1}${eol}0000000000 65535 f\r\n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer${eol}<< /Size ${objs.length + 1} /Root 1 0 R /ID [<AB12><AB12>] >>${eol}startxref${eol}${xref}${eol}%%EOF`;
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}
