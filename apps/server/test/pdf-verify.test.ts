import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki, simplePdf } from '../../../packages/pades/test/fixtures.ts';
import { httpRevocationSource } from '../src/cli/pdf-verify.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
const congvu = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, CONGVU_LOG_LEVEL: 'silent' } });

let pki: Pki;
const file = (name: string, data: Uint8Array | string) => {
  const p = path.join(pki.dir, name);
  writeFileSync(p, data);
  return p;
};
const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

beforeAll(() => {
  pki = makePki();
}, 60_000);
afterAll(() => pki?.cleanup());

describe('congvu pdf verify', () => {
  it('exit 0 and the JSON report when every signature is valid and trusted', async () => {
    const pdf = file('signed.pdf', pki.sign(simplePdf(), 'good'));
    const ca = file('root.pem', pem(pki.root));
    const { stdout, stderr } = await congvu('pdf', 'verify', pdf, '--trust', ca, '--no-revocation');
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ valid: true, trusted: true });
    expect(report.signatures[0].signer.commonName).toBe('Nguyễn Văn A');
    expect(stderr).toContain('Chữ ký 1: Nguyễn Văn A');
    const text = await congvu('pdf', 'verify', pdf, '--trust', ca, '--no-revocation', '--text');
    expect(text.stdout).toContain('HỢP LỆ');
  });

  it('exit 1 when untrusted, invalid, or unsigned', async () => {
    const pdf = file('signed1.pdf', pki.sign(simplePdf(), 'good'));
    const other = file('other.pem', pem(pki.otherRoot));
    await expect(congvu('pdf', 'verify', pdf, '--trust', other, '--no-revocation')).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('"trusted": false'),
    });
    await expect(congvu('pdf', 'verify', pdf, '--no-revocation')).rejects.toMatchObject({ code: 1 });
    const expired = file('expired.pdf', pki.sign(simplePdf(), 'expired'));
    const ca = file('root1.pem', pem(pki.root));
    await expect(congvu('pdf', 'verify', expired, '--trust', ca, '--no-revocation')).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('"valid": false'),
    });
    const unsigned = file('unsigned.pdf', simplePdf());
    await expect(congvu('pdf', 'verify', unsigned, '--trust', ca)).rejects.toMatchObject({ code: 1 });
  });

  it('exit 2 on unreadable input: missing file, not a PDF, bad trust file', async () => {
    const ca = file('root2.pem', pem(pki.root));
    await expect(
      congvu('pdf', 'verify', path.join(pki.dir, 'missing.pdf'), '--trust', ca),
    ).rejects.toMatchObject({
      code: 2,
    });
    const junk = file('junk.pdf', 'this is not a PDF');
    await expect(congvu('pdf', 'verify', junk, '--trust', ca)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('không phải PDF'),
    });
    const pdf = file('signed2.pdf', pki.sign(simplePdf(), 'good'));
    const badCa = file('bad.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(congvu('pdf', 'verify', pdf, '--trust', badCa)).rejects.toMatchObject({ code: 2 });
  });

  it('has --help', async () => {
    const { stdout } = await congvu('pdf', 'verify', '--help');
    expect(stdout).toContain('Usage: congvu pdf verify');
  });
});

describe('httpRevocationSource', () => {
  let server: Server;
  let base: string;
  const seen: { method?: string; type?: string; body: Buffer }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, type: req.headers['content-type'], body: Buffer.concat(chunks) });
        if (req.url === '/root.crl') res.end(Buffer.from(pki.crl()));
        else if (req.url === '/ocsp') res.end(Buffer.from(pki.ocsp(new Uint8Array(Buffer.concat(chunks)))));
        else if (req.url === '/slow') setTimeout(() => res.end('late'), 2_000);
        else {
          res.statusCode = 404;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('GETs CRLs, POSTs OCSP requests, and answers null on errors and timeouts', async () => {
    const src = httpRevocationSource(500);
    const crl = await src.crl(`${base}/root.crl`);
    expect(crl?.[0]).toBe(0x30);
    expect(seen.at(-1)?.method).toBe('GET');
    expect(await src.crl(`${base}/nothing.crl`)).toBeNull();
    expect(await src.crl(`${base}/slow`)).toBeNull();
    expect(await src.crl('ldap://example/cn=crl')).toBeNull();
    // An OCSP request openssl understands (any well-formed one gets a signed answer).
    const { execFileSync } = await import('node:child_process');
    execFileSync(
      'openssl',
      ['ocsp', '-issuer', 'root.pem', '-cert', 'good.pem', '-reqout', 'req.der', '-no_nonce'],
      { cwd: pki.dir, stdio: 'ignore' },
    );
    const { readFileSync } = await import('node:fs');
    const req = new Uint8Array(readFileSync(path.join(pki.dir, 'req.der')));
    const resp = await src.ocsp(`${base}/ocsp`, req);
    expect(resp?.[0]).toBe(0x30);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', type: 'application/ocsp-request' });
    expect(Buffer.from(seen.at(-1)?.body ?? [])).toEqual(Buffer.from(req));
  });
});
