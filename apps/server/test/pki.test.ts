import 'reflect-metadata';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate as NodeX509, sign, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCIES, DEMO_OFFICIALS } from '../src/demo/province.ts';
import {
  createCrl,
  createRootCa,
  EKU_DOCUMENT_SIGNING,
  generateRsaKeyPair,
  issueAgencyCertificate,
  issueOfficialCertificate,
  toPkcs12,
} from '../src/modules/signing/pki.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
const congvu = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, CONGVU_LOG_LEVEL: 'silent' } });
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });
/** stdout and stderr (where `-info` writes); throws on a non-zero exit. */
const opensslAll = (...args: string[]) => {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  return r.stdout + r.stderr;
};

const dir = mkdtempSync(path.join(tmpdir(), 'congvu-pki-'));
let ca: Awaited<ReturnType<typeof createRootCa>>;
const caPem = path.join(dir, 'ca.pem');

beforeAll(async () => {
  ca = await createRootCa({ modulusLength: 2048 });
  writeFileSync(caPem, ca.certificate.toString('pem'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo PKI', () => {
  it('root CA: self-signed, CA:TRUE, keyCertSign + cRLSign, SHA-256 with RSA', async () => {
    const c = ca.certificate;
    expect(c.subject).toContain('CN=CongVu Demo Root CA');
    expect(c.subject).toBe(c.issuer);
    expect(await c.verify({ publicKey: c.publicKey })).toBe(true);
    expect(c.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(c.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    );
    expect(openssl('x509', '-in', caPem, '-noout', '-text')).toContain('sha256WithRSAEncryption');
  });

  it('official certificate: CN full name, O agency, C=VN, usages, random serials, CRL point', async () => {
    const keys = await generateRsaKeyPair();
    const p = {
      fullName: 'Trần Quốc Hưng',
      agencyName: 'Ủy ban nhân dân tỉnh Sơn Lâm',
      unit: 'Lãnh đạo UBND tỉnh',
      email: 'chutich@sonlam.gov.vn',
      publicKey: keys.publicKey,
      crlUrl: 'http://127.0.0.1:3000/pki/ca.crl',
    };
    const a = await issueOfficialCertificate(ca, p);
    const b = await issueOfficialCertificate(ca, p);
    expect(a.serialNumber).toMatch(/^[0-9a-f]{32}$/);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    const file = path.join(dir, 'official.pem');
    writeFileSync(file, a.certificate.toString('pem'));
    expect(openssl('verify', '-CAfile', caPem, file)).toContain(': OK');
    const text = openssl('x509', '-in', file, '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space');
    expect(text).toContain(
      'Subject: CN=Trần Quốc Hưng, OU=Lãnh đạo UBND tỉnh, O=Ủy ban nhân dân tỉnh Sơn Lâm, C=VN',
    );
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/CA:FALSE/);
    expect(text).toContain('URI:http://127.0.0.1:3000/pki/ca.crl');
    expect(text).toContain('email:chutich@sonlam.gov.vn');
    const eku = a.certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages;
    expect(eku).toEqual([x509.ExtendedKeyUsage.emailProtection, EKU_DOCUMENT_SIGNING]);
  });

  it('agency certificate: CN agency, O parent', async () => {
    const keys = await generateRsaKeyPair();
    const { certificate } = await issueAgencyCertificate(ca, {
      agencyName: 'Văn phòng Ủy ban nhân dân tỉnh Sơn Lâm',
      parentName: 'Ủy ban nhân dân tỉnh Sơn Lâm',
      unit: 'Bộ phận Văn thư',
      publicKey: keys.publicKey,
    });
    expect(certificate.subject).toBe(
      'CN=Văn phòng Ủy ban nhân dân tỉnh Sơn Lâm, OU=Bộ phận Văn thư, O=Ủy ban nhân dân tỉnh Sơn Lâm, C=VN',
    );
    expect(
      new NodeX509(Buffer.from(certificate.rawData)).checkIssued(new NodeX509(readFileSync(caPem))),
    ).toBe(true);
  });

  it('CRL: lists the revoked serial with reason and date, signed by the CA', async () => {
    const keys = await generateRsaKeyPair();
    const revoked = await issueOfficialCertificate(ca, {
      fullName: 'Phạm Văn Đức',
      agencyName: 'Ủy ban nhân dân tỉnh Sơn Lâm',
      publicKey: keys.publicKey,
    });
    const kept = await issueOfficialCertificate(ca, {
      fullName: 'Lê Thị Thanh Hà',
      agencyName: 'Ủy ban nhân dân tỉnh Sơn Lâm',
      publicKey: keys.publicKey,
    });
    const der = await createCrl(
      ca,
      [
        {
          serialNumber: revoked.serialNumber,
          date: new Date('2026-03-02T01:02:03Z'),
          reason: 'keyCompromise',
        },
      ],
      { crlNumber: 42 },
    );
    const file = path.join(dir, 'ca.crl');
    writeFileSync(file, der);
    const text = openssl('crl', '-inform', 'DER', '-in', file, '-noout', '-text');
    expect(text).toContain(`Serial Number: ${revoked.serialNumber.toUpperCase()}`);
    expect(text).not.toContain(kept.serialNumber.toUpperCase());
    expect(text).toMatch(/Revocation Date: Mar {2}2 01:02:03 2026 GMT/);
    expect(text).toContain('Key Compromise');
    expect(text).toMatch(/CRL Number:\s+42/);
    // -CAfile makes openssl check the CRL's signature.
    expect(openssl('crl', '-inform', 'DER', '-in', file, '-noout', '-CAfile', caPem)).toBe('');
    const parsed = new x509.X509Crl(der);
    expect(parsed.findRevoked(revoked.certificate)).not.toBeNull();
    expect(parsed.findRevoked(kept.certificate)).toBeNull();
  });

  it('PKCS#12: OpenSSL 3 reads it without -legacy (AES-256, SHA-256); the key matches the certificate', async () => {
    const keys = await generateRsaKeyPair();
    const { certificate } = await issueOfficialCertificate(ca, {
      fullName: 'Lý Văn Thắng',
      agencyName: 'Sở Nội vụ tỉnh Sơn Lâm',
      publicKey: keys.publicKey,
    });
    const file = path.join(dir, 'u.p12');
    const password = 'mật-khẩu 2026';
    writeFileSync(
      file,
      await toPkcs12({
        privateKey: keys.privateKey,
        chain: [certificate, ca.certificate],
        password,
        friendlyName: 'gd.snv',
      }),
    );
    const info = opensslAll('pkcs12', '-in', file, '-passin', `pass:${password}`, '-nokeys', '-info');
    expect(info).toContain('MAC: sha256');
    expect(info).toMatch(/PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
    expect(info.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(info).toContain('friendlyName: gd.snv');
    const keyPem = openssl('pkcs12', '-in', file, '-passin', `pass:${password}`, '-nocerts', '-nodes');
    const data = Buffer.from('dữ liệu');
    const sig = sign('sha256', data, createPrivateKey(keyPem));
    expect(verify('sha256', data, new NodeX509(Buffer.from(certificate.rawData)).publicKey, sig)).toBe(true);
    expect(() => openssl('pkcs12', '-in', file, '-passin', 'pass:sai', '-nokeys')).toThrow(
      /mac verify error/i,
    );
  });
});

describe('congvu pki demo-ca', () => {
  const out = path.join(dir, 'demo');
  const p12Count = (sub: string) => readdirSync(path.join(out, sub)).filter((f) => f.endsWith('.p12')).length;

  it('writes the CA, a certificate and a .p12 for every demo official and agency; re-run keeps them; --force renews', async () => {
    const first = await congvu(
      'pki',
      'demo-ca',
      '--out',
      out,
      '-p',
      'demo-pw',
      '--crl-url',
      'http://x.vn/ca.crl',
    );
    expect(first.stdout).toContain(`${DEMO_OFFICIALS.length + DEMO_AGENCIES.length} chứng thư mới`);
    expect(p12Count('officials')).toBe(DEMO_OFFICIALS.length);
    expect(p12Count('agencies')).toBe(DEMO_AGENCIES.length);
    const ca1 = readFileSync(path.join(out, 'ca.pem'), 'utf8');
    expect(ca1).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(path.join(out, 'ca-key.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const official = path.join(out, 'officials', 'chutich.pem');
    expect(openssl('verify', '-CAfile', path.join(out, 'ca.pem'), official)).toContain(': OK');
    expect(openssl('x509', '-in', official, '-noout', '-subject', '-nameopt', 'utf8')).toContain(
      'CN=Trần Quốc Hưng',
    );
    const certs = openssl(
      'pkcs12',
      '-in',
      path.join(out, 'officials', 'chutich.p12'),
      '-passin',
      'pass:demo-pw',
      '-nokeys',
    );
    expect(certs.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(openssl('crl', '-inform', 'DER', '-in', path.join(out, 'ca.crl'), '-noout', '-text')).toContain(
      'No Revoked Certificates',
    );
    // The demo time-stamp authority (modules/signing/tsa.ts), not counted among the holders.
    expect(
      openssl(
        'verify',
        '-purpose',
        'timestampsign',
        '-CAfile',
        path.join(out, 'ca.pem'),
        path.join(out, 'tsa.pem'),
      ),
    ).toContain(': OK');
    expect(first.stdout).toContain(`TSA: ${path.join(out, 'tsa.p12')}`);

    const again = await congvu('pki', 'demo-ca', '--out', out, '-p', 'demo-pw');
    expect(again.stdout).toContain('CA giữ nguyên');
    expect(again.stdout).toContain(
      `0 chứng thư mới, ${DEMO_OFFICIALS.length + DEMO_AGENCIES.length} giữ nguyên`,
    );
    expect(readFileSync(path.join(out, 'ca.pem'), 'utf8')).toBe(ca1);

    // A missing holder is filled in under the kept CA.
    rmSync(path.join(out, 'officials', 'chutich.p12'));
    const fill = await congvu('pki', 'demo-ca', '--out', out, '-p', 'demo-pw');
    expect(fill.stdout).toContain('1 chứng thư mới');
    expect(openssl('verify', '-CAfile', path.join(out, 'ca.pem'), official)).toContain(': OK');

    // Revoke: the CRL lists the serial with reason and date; a demo-ca re-run keeps the list.
    const serial = openssl('x509', '-in', official, '-noout', '-serial').trim().replace('serial=', '');
    const rev = await congvu(
      'pki',
      'revoke',
      'chutich',
      '--out',
      out,
      '-p',
      'demo-pw',
      '-r',
      'keyCompromise',
      '-d',
      '2026-11-20',
    );
    expect(rev.stdout).toContain(`Đã thu hồi: sê-ri ${serial.toLowerCase()}`);
    await congvu('pki', 'revoke', 'H99.01', '--out', out, '-p', 'demo-pw');
    const crlText = () =>
      openssl('crl', '-inform', 'DER', '-in', path.join(out, 'ca.crl'), '-noout', '-text');
    let text = crlText();
    expect(text).toContain(`Serial Number: ${serial}`);
    expect(text).toMatch(
      /Revocation Date: Nov 19 17:00:00 2026 GMT\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Key Compromise/,
    );
    expect(text.match(/Serial Number:/g)).toHaveLength(2);
    expect(text).toMatch(/CRL Number:\s+5\s/);
    expect(
      openssl(
        'crl',
        '-inform',
        'DER',
        '-in',
        path.join(out, 'ca.crl'),
        '-noout',
        '-CAfile',
        path.join(out, 'ca.pem'),
      ),
    ).toBe('');
    const twice = await congvu('pki', 'revoke', 'chutich', '--out', out, '-p', 'demo-pw');
    expect(twice.stdout).toContain('Đã thu hồi từ trước');
    await congvu('pki', 'demo-ca', '--out', out, '-p', 'demo-pw');
    text = crlText();
    expect(text).toContain(`Serial Number: ${serial}`);
    expect(text).toMatch(/CRL Number:\s+7\s/);
    await expect(congvu('pki', 'revoke', 'khong.co', '--out', out, '-p', 'demo-pw')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('khong.co'),
    });
    await expect(congvu('pki', 'revoke', 'chutich', '--out', out, '-d', '20/11/2026')).rejects.toMatchObject({
      code: 2,
    });

    await expect(congvu('pki', 'demo-ca', '--out', out, '-p', 'sai-mat-khau')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--force'),
    });

    const forced = await congvu('pki', 'demo-ca', '--out', out, '-p', 'other-pw', '--force');
    expect(forced.stdout).toContain('CA mới tạo');
    expect(readFileSync(path.join(out, 'ca.pem'), 'utf8')).not.toBe(ca1);
    expect(openssl('verify', '-CAfile', path.join(out, 'ca.pem'), official)).toContain(': OK');
    // A new CA starts with an empty CRL.
    expect(crlText()).toContain('No Revoked Certificates');
  }, 240_000);

  it('rejects bad input; has --help', async () => {
    await expect(congvu('pki', 'demo-ca', '--out', out, '--crl-url', 'ftp://x')).rejects.toMatchObject({
      code: 2,
    });
    for (const cmd of ['demo-ca', 'revoke']) {
      const { stdout } = await congvu('pki', cmd, '--help');
      expect(stdout).toContain(`Usage: congvu pki ${cmd}`);
    }
  });
});
