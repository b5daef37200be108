/**
 * Test PKI and signed PDFs made by independent tools: OpenSSL (`openssl ca`) for the
 * certificates, CRLs and OCSP responses, NSS (`certutil`, `pk12util`) for the key store and
 * poppler's `pdfsig -add-signature` for the signatures. Nothing here uses CongVu's own signer.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const CRL_URL = 'http://crl.test/root.crl';
export const OCSP_URL = 'http://ocsp.test/';

const CA_CNF = `
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = policy_any
copy_extensions = none
unique_subject = no
[ policy_any ]
commonName = supplied
organizationName = optional
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
crlDistributionPoints = URI:${CRL_URL}
authorityInfoAccess = OCSP;URI:${OCSP_URL}
[ leaf_nousage ]
basicConstraints = CA:FALSE
keyUsage = critical,keyEncipherment
[ ocsp_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./root.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ sub_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
crlDistributionPoints = URI:${CRL_URL}
`;

/** A one-page PDF 1.4 with a classic cross-reference table, written by hand. */
export function simplePdf(text = 'Quyet dinh so 1/QD-UBND'): Uint8Array {
  const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** The same page, written with compressed object and cross-reference streams (PDF 1.5). */
export function xrefStreamPdf(text = 'Quyet dinh so 3/QD-UBND'): Uint8Array {
  const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const inStream: [number, string][] = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [
      3,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    ],
    [5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
  ];
  let body = '';
  const header: string[] = [];
  for (const [num, o] of inStream) {
    header.push(`${num} ${body.length}`);
    body += `${o}\n`;
  }
  const head = `${header.join(' ')}\n`;
  const objStm = deflateSync(Buffer.from(head + body, 'latin1'));
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const size = () => parts.reduce((n, b) => n + b.length, 0);
  const offsets: Record<number, number> = {};
  const contentZ = deflateSync(Buffer.from(content, 'latin1'));
  offsets[4] = size();
  parts.push(
    Buffer.from(`4 0 obj\n<< /Length ${contentZ.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
    contentZ,
    Buffer.from('\nendstream\nendobj\n'),
  );
  offsets[6] = size();
  parts.push(
    Buffer.from(
      `6 0 obj\n<< /Type /ObjStm /N ${inStream.length} /First ${head.length} /Length ${objStm.length} /Filter /FlateDecode >>\nstream\n`,
      'latin1',
    ),
    objStm,
    Buffer.from('\nendstream\nendobj\n'),
  );
  offsets[7] = size();
  const rows: number[][] = [[0, 0, 65535]];
  for (let n = 1; n <= 7; n++) {
    const k = inStream.findIndex(([num]) => num === n);
    rows.push(k >= 0 ? [2, 6, k] : [1, offsets[n] ?? 0, 0]);
  }
  const raw = Buffer.alloc(rows.length * 7);
  rows.forEach(([t, a, b], i) => {
    raw.writeUInt8(t ?? 0, i * 7);
    raw.writeUInt32BE(a ?? 0, i * 7 + 1);
    raw.writeUInt16BE(b ?? 0, i * 7 + 5);
  });
  const xrefZ = deflateSync(raw);
  parts.push(
    Buffer.from(
      `7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length ${xrefZ.length} /Filter /FlateDecode >>\nstream\n`,
      'latin1',
    ),
    xrefZ,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${offsets[7]}\n%%EOF\n`, 'latin1'),
  );
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Appends an incremental update redefining/adding `objects` (number → body). `prev` is the offset
 * of the last cross-reference section, `size` the trailer /Size, `root` the catalog number.
 */
export function appendUpdate(
  pdf: Uint8Array,
  objects: Record<number, string>,
  prev: number,
  size: number,
  root: number,
): Uint8Array {
  let out = '\n';
  const base = pdf.length;
  const entries: [number, number][] = [];
  for (const [num, body] of Object.entries(objects)) {
    entries.push([Number(num), base + Buffer.byteLength(out, 'latin1')]);
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xref = base + Buffer.byteLength(out, 'latin1');
  out += 'xref\n';
  for (const [num, off] of entries) out += `${num} 1\n${String(off).padStart(10, '0')} 00000 n \n`;
  const newSize = Math.max(size, ...entries.map(([n]) => n + 1));
  out += `trailer\n<< /Size ${newSize} /Root ${root} 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(out, 'latin1')]));
}

export interface Pki {
  dir: string;
  /** DER of the trusted root. */
  root: Uint8Array;
  /** DER of another, untrusted root. */
  otherRoot: Uint8Array;
  /** Signs `pdf` with the NSS nickname: good | revoked | expired | sha1 | other | nousage | impostor | viasub (ec: cmsSign only; poppler 22 signs with RSA keys only). */
  sign(pdf: Uint8Array, nick: string, reason?: string): Uint8Array;
  /**
   * Signs `simplePdf()` with `openssl cms` (a second, independent signer): an incremental update
   * adds the signature field, the widget on page 3 and the /Sig dictionary. `docMdp` makes it a
   * certification signature with that /P.
   */
  cmsSign(
    nick: string,
    opts?: { md?: string; pss?: boolean; docMdp?: 1 | 2 | 3; timestamp?: boolean; embedCrl?: Uint8Array },
  ): Uint8Array;
  /** Revokes a leaf (keyCompromise; once) and returns the new DER CRL. */
  revoke(nick: string): Uint8Array;
  crl(): Uint8Array;
  /**
   * Answers a DER OCSP request from the CA's database (openssl ocsp), signed by the root itself,
   * by a delegated responder (id-kp-OCSPSigning) or by a certificate of the root without that right.
   */
  ocsp(request: Uint8Array, responder?: 'root' | 'delegated' | 'undelegated'): Uint8Array;
  pdfsigText(pdf: Uint8Array): string;
  cleanup(): void;
}

export function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'congvu-pades-'));
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  const ssl = (...args: string[]) => run('openssl', args);
  writeFileSync(path.join(dir, 'ca.cnf'), CA_CNF);
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  run('mkdir', ['newcerts', 'nss']);
  const rootCa = (name: string, cn: string) =>
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '3650',
      '-subj',
      `/CN=${cn}/O=CongVu Test`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  rootCa('root', 'CongVu Test Root');
  rootCa('otherca', 'Other Root');
  // Same name as the trusted root, another key: must never be mistaken for it.
  rootCa('fakeroot', 'CongVu Test Root');
  run('certutil', ['-N', '-d', 'sql:nss', '--empty-password']);
  const leaf = (
    nick: string,
    cn: string,
    opts: {
      ca?: string;
      ext?: string;
      md?: string;
      dates?: [string, string];
      key?: string[];
      chain?: string;
    },
  ) => {
    ssl(
      'req',
      '-newkey',
      ...(opts.key ?? ['rsa:2048']),
      '-nodes',
      '-keyout',
      `${nick}.key`,
      '-out',
      `${nick}.csr`,
      '-utf8',
      '-subj',
      `/CN=${cn}/O=UBND tỉnh Sơn Lâm`,
    );
    const ca = opts.ca ?? 'root';
    ssl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      `${ca}.pem`,
      '-keyfile',
      `${ca}.key`,
      '-in',
      `${nick}.csr`,
      '-out',
      `${nick}.pem`,
      '-extensions',
      opts.ext ?? 'leaf',
      '-notext',
      '-utf8',
      '-md',
      opts.md ?? 'sha256',
      ...(opts.dates ? ['-startdate', opts.dates[0], '-enddate', opts.dates[1]] : ['-days', '365']),
    );
    ssl(
      'pkcs12',
      '-export',
      '-inkey',
      `${nick}.key`,
      '-in',
      `${nick}.pem`,
      '-certfile',
      opts.chain ?? `${ca}.pem`,
      '-name',
      nick,
      '-out',
      `${nick}.p12`,
      '-passout',
      'pass:pw',
    );
    run('pk12util', ['-i', `${nick}.p12`, '-d', 'sql:nss', '-W', 'pw']);
  };
  leaf('good', 'Nguyễn Văn A', {});
  leaf('revoked', 'Trần Thị B', {});
  leaf('expired', 'Lê Văn C', { dates: ['20200101000000Z', '20210101000000Z'] });
  leaf('sha1', 'Phạm Văn D', { md: 'sha1' });
  leaf('other', 'Người Lạ', { ca: 'otherca' });
  leaf('nousage', 'Hoàng Văn E', { ext: 'leaf_nousage' });
  leaf('impostor', 'Kẻ Mạo Danh', { ca: 'fakeroot' });
  leaf('tsrevoked', 'Bùi Văn H', {});
  leaf('dssrevoked', 'Đặng Thị K', {});
  leaf('ocspresp', 'CongVu OCSP Responder', { ext: 'ocsp_ext' });
  leaf('ec', 'Vũ Thị F', { key: ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] });
  // An intermediate CA under the root; its leaf's PKCS#12 carries the intermediate and the root.
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'subca.key',
    '-out',
    'subca.csr',
    '-subj',
    '/CN=CongVu Sub CA/O=CongVu Test',
  );
  ssl(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'root.pem',
    '-keyfile',
    'root.key',
    '-in',
    'subca.csr',
    '-out',
    'subca.pem',
    '-extensions',
    'sub_ca',
    '-notext',
    '-days',
    '1000',
  );
  writeFileSync(
    path.join(dir, 'subchain.pem'),
    readFileSync(path.join(dir, 'subca.pem'), 'utf8') + readFileSync(path.join(dir, 'root.pem'), 'utf8'),
  );
  leaf('viasub', 'Đỗ Văn G', { ca: 'subca', chain: 'subchain.pem' });
  const der = (pemFile: string) =>
    new Uint8Array(
      Buffer.from(readFileSync(path.join(dir, pemFile), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'),
    );
  let n = 0;
  const revoked = new Set<string>();
  // A time-stamping authority under the root (RFC 3161 tokens from `openssl ts`).
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=CongVu Test TSA/O=CongVu Test',
  );
  ssl(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'root.pem',
    '-keyfile',
    'root.key',
    '-in',
    'tsa.csr',
    '-out',
    'tsa.pem',
    '-extensions',
    'tsa_ext',
    '-notext',
    '-days',
    '1000',
  );
  writeFileSync(path.join(dir, 'tsaserial'), '01\n');
  /** Puts a CRL into SignedData.crls (outside the signed attributes). */
  const addCrl = (cms: Uint8Array, crl: Uint8Array): Uint8Array => {
    const ci = pkijs.ContentInfo.fromBER(Uint8Array.from(cms).buffer);
    const sd = new pkijs.SignedData({ schema: ci.content });
    sd.crls = [pkijs.CertificateRevocationList.fromBER(Uint8Array.from(crl).buffer)];
    const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
    return new Uint8Array(out.toSchema().toBER(false));
  };
  /** Adds an RFC 3161 token over the signature value as the unsigned signatureTimeStampToken. */
  const addTimestamp = (cms: Uint8Array, i: number): Uint8Array => {
    const ci = pkijs.ContentInfo.fromBER(Uint8Array.from(cms).buffer);
    const sd = new pkijs.SignedData({ schema: ci.content });
    const si = sd.signerInfos[0] as pkijs.SignerInfo;
    const digest = createHash('sha256').update(si.signature.valueBlock.valueHexView).digest('hex');
    ssl('ts', '-query', '-digest', digest, '-sha256', '-cert', '-no_nonce', '-out', `ts${i}.tsq`);
    ssl('ts', '-reply', '-config', 'ca.cnf', '-queryfile', `ts${i}.tsq`, '-token_out', '-out', `ts${i}.der`);
    const token = asn1js.fromBER(Uint8Array.from(readFileSync(path.join(dir, `ts${i}.der`))).buffer).result;
    si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.14', values: [token] })],
    });
    const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
    return new Uint8Array(out.toSchema().toBER(false));
  };
  const crl = () => {
    ssl(
      'ca',
      '-config',
      'ca.cnf',
      '-cert',
      'root.pem',
      '-keyfile',
      'root.key',
      '-gencrl',
      '-crldays',
      '30',
      '-out',
      'crl.pem',
    );
    ssl('crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der');
    return new Uint8Array(readFileSync(path.join(dir, 'crl.der')));
  };
  return {
    dir,
    root: der('root.pem'),
    otherRoot: der('otherca.pem'),
    sign(pdf, nick, reason) {
      const i = ++n;
      writeFileSync(path.join(dir, `in${i}.pdf`), pdf);
      run('pdfsig', [
        `in${i}.pdf`,
        `out${i}.pdf`,
        '-add-signature',
        '-nssdir',
        'sql:nss',
        '-nick',
        nick,
        ...(reason ? ['-reason', reason] : []),
      ]);
      return new Uint8Array(readFileSync(path.join(dir, `out${i}.pdf`)));
    },
    cmsSign(nick, opts = {}) {
      const i = ++n;
      const base = simplePdf();
      const placeholder = '0'.repeat(16_384);
      const ref = opts.docMdp
        ? ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${opts.docMdp} /V /1.2 >> >>]`
        : '';
      const update = appendUpdate(
        base,
        {
          1: `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >>${opts.docMdp ? ' /Perms << /DocMDP 6 0 R >>' : ''} >>`,
          3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [7 0 R] >>',
          6: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 0000000000 0000000000 0000000000] /Contents <${placeholder}> /M (D:${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)${ref} >>`,
          7: '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky 1) /V 6 0 R /Rect [0 0 0 0] /P 3 0 R /F 132 >>',
        },
        Number(/startxref\s+(\d+)/.exec(Buffer.from(base).toString('latin1'))?.[1]),
        6,
        1,
      );
      const buf = Buffer.from(update);
      const b = buf.indexOf(`<${placeholder}>`);
      const c = b + placeholder.length + 2;
      const range = `[0 ${String(b).padStart(10, '0')} ${String(c).padStart(10, '0')} ${String(buf.length - c).padStart(10, '0')}]`;
      const at = buf.indexOf('[0 0000000000 0000000000 0000000000]');
      buf.write(range, at, 'latin1');
      writeFileSync(path.join(dir, `tbs${i}.bin`), Buffer.concat([buf.subarray(0, b), buf.subarray(c)]));
      ssl(
        ...[
          'cms',
          '-sign',
          '-binary',
          '-in',
          `tbs${i}.bin`,
          '-signer',
          `${nick}.pem`,
          '-inkey',
          `${nick}.key`,
        ],
        ...['-certfile', 'root.pem', '-outform', 'DER', '-out', `sig${i}.der`, '-md', opts.md ?? 'sha256'],
        ...(opts.pss ? ['-keyopt', 'rsa_padding_mode:pss'] : []),
      );
      let sigDer: Uint8Array = readFileSync(path.join(dir, `sig${i}.der`));
      if (opts.timestamp) sigDer = addTimestamp(sigDer, i);
      if (opts.embedCrl) sigDer = addCrl(sigDer, opts.embedCrl);
      const sigHex = Buffer.from(sigDer).toString('hex');
      if (sigHex.length > placeholder.length) throw new Error('signature too large');
      buf.write(sigHex, b + 1, 'latin1');
      return new Uint8Array(buf);
    },
    revoke(nick) {
      if (revoked.has(nick)) return crl();
      revoked.add(nick);
      ssl(
        'ca',
        '-config',
        'ca.cnf',
        '-cert',
        'root.pem',
        '-keyfile',
        'root.key',
        '-revoke',
        `${nick}.pem`,
        '-crl_reason',
        'keyCompromise',
      );
      return crl();
    },
    crl,
    ocsp(request, responder = 'root') {
      const i = ++n;
      writeFileSync(path.join(dir, `req${i}.der`), request);
      const signer = { root: 'root', delegated: 'ocspresp', undelegated: 'good' }[responder];
      ssl(
        'ocsp',
        '-index',
        'index.txt',
        '-rsigner',
        `${signer}.pem`,
        '-rkey',
        `${signer}.key`,
        '-CA',
        'root.pem',
        '-reqin',
        `req${i}.der`,
        '-respout',
        `resp${i}.der`,
        '-ndays',
        '1',
      );
      return new Uint8Array(readFileSync(path.join(dir, `resp${i}.der`)));
    },
    pdfsigText(pdf) {
      const i = ++n;
      writeFileSync(path.join(dir, `check${i}.pdf`), pdf);
      try {
        return run('pdfsig', ['-nssdir', 'sql:nss', `check${i}.pdf`]);
      } catch (e) {
        return String((e as { stdout?: Buffer }).stdout ?? '');
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
