import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { p12Signer, signPdf } from '@congvu/pades';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/**
 * Incoming documents are verified on arrival: each PDF's signatures against the trust store, the
 * report kept with the document and shown in its detail, in Vietnamese.
 */
let t: TestApp;
let dir: string;
let clerk: string;
let registerId: string;
let caPem: string;
let p12: Uint8Array;

function pki() {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '30',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/C=VN/CN=CongVu Test Root',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'me.key',
    '-out',
    'me.csr',
    '-utf8',
    '-subj',
    '/C=VN/O=Bộ Nội vụ/CN=Phạm Thị Thanh Trà',
  ]);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'keyUsage=critical,digitalSignature,nonRepudiation\n');
  run([
    'x509',
    '-req',
    '-in',
    'me.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-sha256',
    '-extfile',
    'ext.cnf',
    '-out',
    'me.pem',
  ]);
  run([
    'pkcs12',
    '-export',
    '-inkey',
    'me.key',
    '-in',
    'me.pem',
    '-certfile',
    'ca.pem',
    '-passout',
    'pass:mk',
    '-out',
    'me.p12',
  ]);
  caPem = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  p12 = new Uint8Array(fs.readFileSync(path.join(dir, 'me.p12')));
}

function pdf(text: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((r) => doc.on('end', () => r(new Uint8Array(Buffer.concat(chunks)))));
  doc.text(text);
  doc.end();
  return done;
}

async function upload(bytes: Uint8Array, name: string): Promise<string> {
  const boundary = 'b0undary';
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { cookie: clerk, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  expect(res.statusCode).toBe(201);
  return res.json().sha256;
}

async function arrive(bytes: Uint8Array, subject: string) {
  const sha = await upload(bytes, 'van-ban.pdf');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/documents/incoming',
    headers: { cookie: clerk },
    payload: {
      registerId,
      typeId: 'cong_van',
      issuerName: 'Bộ Nội vụ',
      subject,
      files: [{ sha256: sha, name: 'van-ban.pdf', role: 'main' }],
    },
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().documentId as string;
  const until = Date.now() + 20_000;
  for (;;) {
    await t.services.outbox.runOnce();
    const d = (
      await t.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: { cookie: clerk } })
    ).json();
    if (d.signatureChecks.length > 0) return d;
    if (Date.now() > until) throw new Error('not verified');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-sigcheck-'));
  pki();
  t = await setupApp({ CONGVU_OUTBOX_POLL_MS: '50' });
  const agency = (await t.f.agency({ name: 'Sở Tư pháp' })).id;
  const admin = (await t.f.session(['admin'])).cookie;
  registerId = (
    await t.app.inject({
      method: 'POST',
      url: '/api/documents/registers',
      headers: { cookie: admin },
      payload: { agencyId: agency, kind: 'incoming', code: 'DEN', name: 'Sổ văn bản đến' },
    })
  ).json().id;
  clerk = (await t.f.session(['clerk'], agency)).cookie;
  const trust = await t.app.inject({
    method: 'POST',
    url: '/api/signing/trust-anchors',
    headers: { cookie: admin },
    payload: { name: 'Root CA thử nghiệm', pem: caPem },
  });
  expect(trust.statusCode).toBe(201);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('verification on arrival', () => {
  it('a signed PDF from a trusted CA is reported valid and trusted, with the signer, in Vietnamese', async () => {
    const signed = await signPdf(await pdf('Cong van so 12/BNV-VP'), p12Signer(p12, 'mk'), {
      reason: 'Ban hành',
    });
    const d = await arrive(signed, 'Về việc hướng dẫn chuyển đổi số');
    expect(d.signatureChecks).toHaveLength(1);
    expect(d.signatureChecks[0]).toMatchObject({
      name: 'van-ban.pdf',
      signatureCount: 1,
      valid: true,
      trusted: true,
      signers: [{ name: 'Phạm Thị Thanh Trà', valid: true, trusted: true }],
    });
    expect(d.signatureChecks[0].text).toContain('Phạm Thị Thanh Trà');
  });

  it('an unsigned PDF says so; a tampered signed PDF is reported invalid', async () => {
    const plain = await arrive(await pdf('Khong ky'), 'Về việc gửi bản chưa ký');
    expect(plain.signatureChecks[0]).toMatchObject({ signatureCount: 0, valid: false, trusted: false });
    expect(plain.signatureChecks[0].text).toBe('Tệp không có chữ ký số.');
    const signed = await signPdf(await pdf('Cong van so 13/BNV-VP'), p12Signer(p12, 'mk'), {});
    const bad = signed.slice();
    // The page size is inside the signed bytes: 595.28 becomes 695.28.
    const at = Buffer.from(bad).indexOf('595.28');
    expect(at).toBeGreaterThan(0);
    bad[at] = '6'.charCodeAt(0);
    const d = await arrive(bad, 'Về việc văn bản bị sửa');
    expect(d.signatureChecks[0]).toMatchObject({ signatureCount: 1, valid: false });
  });
});
