import { KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEdoc, type Edoc, signEnvelope } from '@congvu/edxml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateAuthority,
  createCrl,
  createRootCa,
  generateRsaKeyPair,
  issueAgencyCertificate,
} from '../src/modules/signing/pki.ts';
import { cachingRevocationSource } from '../src/modules/signing/revocation.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf } from './support/pdf.ts';

/*
 * Revocation of the certificate that signed an arriving envelope (issue 5): B trusts a CA whose
 * CRL is served on loopback; envelopes signed by its certificates go through exchange.receive
 * with the app's real RevocationSource (HTTP, cached).
 */

let B: TestApp;
let ca: CertificateAuthority;
let crlServer: Server;
let base: string;
let crl: Uint8Array;
const hits: Record<string, number> = {};
const tag = String(process.pid % 1000);
const fromCode = `H66.${tag}.1`;
let bCode: string;
let clerk: string;
let seq = 0;

/** A key and a certificate of the CA (or another), with a CRL distribution point when given. */
async function signer(crlPath: string | null, issuer: CertificateAuthority = ca) {
  const keys = await generateRsaKeyPair(2048);
  const issued = await issueAgencyCertificate(issuer, {
    agencyName: 'Ủy ban nhân dân tỉnh Gửi',
    publicKey: keys.publicKey,
    ...(crlPath ? { crlUrl: `${base}${crlPath}` } : {}),
  });
  return {
    serialNumber: issued.serialNumber,
    key: {
      privateKey: KeyObject.from(keys.privateKey),
      certificate: new Uint8Array(issued.certificate.rawData),
    },
  };
}

/** A signed edoc to B's agency, received as the inbox would; the inbound row. */
async function receiveSignedBy(key: Awaited<ReturnType<typeof signer>>['key']) {
  seq++;
  const number = String(100 + seq);
  const documentId = `${fromCode},2026/03/05,${number}/UBND-VP`;
  const edoc: Edoc = {
    header: {
      from: { organId: fromCode, organName: 'Ủy ban nhân dân tỉnh Gửi' },
      to: [{ organId: bCode, organName: 'Sở Tài chính tỉnh Nhận' }],
      documentId,
      code: { number, notation: 'UBND-VP' },
      promulgation: { date: '2026/03/05' },
      documentType: { type: 0, typeDetail: 0, typeName: 'Công văn' },
      subject: `Về việc kiểm tra chứng thư số ${seq}`,
      signerInfo: { fullName: 'Nguyễn Văn Gửi' },
      toPlaces: ['Sở Tài chính tỉnh Nhận'],
      otherInfo: { priority: 0 },
      responseFor: [],
    },
    traceHeaders: [{ organId: fromCode, timestamp: '2026/03/05 09:00:00' }],
    business: { documentId, docType: 0, reason: 'Văn bản điện tử mới', paper: 0 },
    manifest: [{ contentId: 'cid:1', contentType: 'application/pdf', attachmentName: 'cong-van.pdf' }],
  };
  const xml = buildEdoc(edoc, [
    {
      contentId: 'cid:1',
      attachmentName: 'cong-van.pdf',
      contentType: 'application/pdf',
      content: new Uint8Array(await makePdf(`Công văn ${number}`)),
    },
  ]);
  const id = `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`;
  const outcome = await B.services.exchange.receive(
    { id, kind: 'edoc', from: fromCode, to: bCode, documentId },
    Buffer.from(signEnvelope(xml, key), 'utf8'),
  );
  expect(outcome).toBe('accepted');
  return B.db
    .selectFrom('exchange_inbound')
    .selectAll()
    .where('hub_message_id', '=', id)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  crlServer = createServer((req, res) => {
    hits[req.url ?? ''] = (hits[req.url ?? ''] ?? 0) + 1;
    if (req.url === '/ca.crl') res.end(Buffer.from(crl));
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => crlServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(crlServer.address() as AddressInfo).port}`;
  ca = await createRootCa({ name: 'CA thử nghiệm thu hồi', modulusLength: 2048 });
  crl = await createCrl(ca, []);
  B = await setupApp();
  const admin = (await B.f.session(['admin'])).cookie;
  const trusted = await B.app.inject({
    method: 'POST',
    url: '/api/signing/trust-anchors',
    headers: { cookie: admin },
    payload: { name: 'CA thử nghiệm thu hồi', pem: ca.certificate.toString('pem') },
  });
  expect(trusted.statusCode).toBe(201);
  bCode = `H55.${tag}.1`;
  const b = (await B.f.agency({ code: bCode, name: 'Sở Tài chính tỉnh Nhận', shortName: 'STC' })).id;
  const o = await B.f.official({ roles: ['clerk'], agencyId: b });
  clerk = await B.f.login(o.username);
}, 60_000);

afterAll(async () => {
  await B?.close();
  await new Promise((resolve) => crlServer?.close(resolve));
});

describe('revocation of the certificate that signed an arriving envelope', () => {
  it('revoked: kept for the clerk, not trusted, shown as revoked; good: trusted; one CRL fetch for both', async () => {
    const good = await signer('/ca.crl');
    const revoked = await signer('/ca.crl');
    crl = await createCrl(ca, [
      { serialNumber: revoked.serialNumber, date: new Date(Date.now() - 3_600_000), reason: 'keyCompromise' },
    ]);

    const r = await receiveSignedBy(revoked.key);
    expect(r).toMatchObject({
      outcome: 'accepted',
      xml_signature: 'valid',
      xml_trusted: false,
      xml_revocation: 'revoked',
    });
    expect(r.xml_revocation_detail).toMatch(/đã bị thu hồi ngày .* \(lý do: lộ khóa bí mật\)/);
    const g = await receiveSignedBy(good.key);
    expect(g).toMatchObject({ xml_signature: 'valid', xml_trusted: true, xml_revocation: 'good' });
    expect(g.xml_revocation_detail).toBe('Chứng thư số chưa bị thu hồi');
    // The CRL was fetched once for the two envelopes (the app's source keeps it for a minute).
    expect(hits['/ca.crl']).toBe(1);

    // The incoming document says so to the clerk, who may return it (02).
    const view = await B.app.inject({
      method: 'GET',
      url: `/api/documents/${r.document_id}/exchange`,
      headers: { cookie: clerk },
    });
    expect(view.statusCode).toBe(200);
    expect(view.json().inbound).toMatchObject({
      xmlSignature: 'valid',
      xmlTrusted: false,
      xmlRevocation: 'revoked',
      xmlRevocationDetail: expect.stringContaining('đã bị thu hồi'),
    });
    const goodView = await B.app.inject({
      method: 'GET',
      url: `/api/documents/${g.document_id}/exchange`,
      headers: { cookie: clerk },
    });
    expect(goodView.json().inbound).toMatchObject({ xmlTrusted: true, xmlRevocation: 'good' });
  });

  it('unknown (CRL unreachable, or no CRL/OCSP address): still trusted, said to be unchecked', async () => {
    const unreachable = await receiveSignedBy((await signer('/missing.crl')).key);
    expect(unreachable).toMatchObject({ xml_trusted: true, xml_revocation: 'unknown' });
    expect(unreachable.xml_revocation_detail).toContain('không lấy được dữ liệu thu hồi');
    expect(hits['/missing.crl']).toBe(1);
    const none = await receiveSignedBy((await signer(null)).key);
    expect(none).toMatchObject({ xml_trusted: true, xml_revocation: 'unknown' });
    expect(none.xml_revocation_detail).toContain('không có địa chỉ CRL/OCSP');
  });

  it('a certificate no trust anchor issued is not checked for revocation (nothing fetched)', async () => {
    const other = await createRootCa({ name: 'CA không tin cậy', modulusLength: 2048 });
    const before = hits['/other.crl'] ?? 0;
    const row = await receiveSignedBy((await signer('/other.crl', other)).key);
    expect(row).toMatchObject({ xml_signature: 'valid', xml_trusted: false, xml_revocation: null });
    expect(hits['/other.crl'] ?? 0).toBe(before);
  });
});

describe('cachingRevocationSource', () => {
  it('keeps answers and "unreachable" for its time, shares a fetch in flight, asks again after', async () => {
    let t = 0;
    const asked: string[] = [];
    const src = cachingRevocationSource(
      {
        crl: async (url) => {
          asked.push(url);
          return url.endsWith('down') ? null : Uint8Array.of(0x30, asked.length);
        },
        ocsp: async (url, req) => {
          asked.push(`${url} ${req[0]}`);
          return Uint8Array.of(0x30, req[0] ?? 0);
        },
      },
      { ttlMs: 1000, now: () => t },
    );
    const [a, b] = await Promise.all([src.crl('http://x/a'), src.crl('http://x/a')]);
    expect(a).toEqual(Uint8Array.of(0x30, 1));
    expect(b).toBe(a);
    expect(await src.crl('http://x/down')).toBeNull();
    expect(await src.crl('http://x/down')).toBeNull();
    expect(await src.ocsp('http://o', Uint8Array.of(7))).toEqual(Uint8Array.of(0x30, 7));
    expect(await src.ocsp('http://o', Uint8Array.of(8))).toEqual(Uint8Array.of(0x30, 8));
    expect(await src.ocsp('http://o', Uint8Array.of(7))).toEqual(Uint8Array.of(0x30, 7));
    expect(asked).toEqual(['http://x/a', 'http://x/down', 'http://o 7', 'http://o 8']);
    t = 1000;
    expect(await src.crl('http://x/a')).toEqual(Uint8Array.of(0x30, 5));
    expect(asked).toHaveLength(5);
  });
});
