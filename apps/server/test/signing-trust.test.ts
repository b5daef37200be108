import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/** The trust store: only CA certificates, once each, every change audited, admins only. */
let t: TestApp;
let admin: string;

/** A self-signed certificate made by openssl: a CA, or an end-entity one. */
function certificate(ca: boolean, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-ca-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-subj',
      `/C=VN/O=Ban Co yeu Chinh phu/CN=${name}`,
      '-utf8',
      '-addext',
      ca ? 'basicConstraints=critical,CA:TRUE' : 'basicConstraints=critical,CA:FALSE',
    ],
    { stdio: 'pipe' },
  );
  const pem = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return pem;
}

beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
});
afterAll(async () => t.close());

const post = (cookie: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/signing/trust-anchors', headers: { cookie }, payload });

describe('trust anchors', () => {
  it('an administrator adds a root CA once, lists and removes it; all audited', async () => {
    const pem = certificate(true, 'Root CA thử nghiệm');
    const added = await post(admin, { name: 'Root CA chuyên dùng Chính phủ (thử)', pem });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      name: 'Root CA chuyên dùng Chính phủ (thử)',
      subject: expect.stringContaining('Root CA thử nghiệm'),
      fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await post(admin, { name: 'Lần hai', pem })).json().code).toBe('TRUST_ANCHOR_EXISTS');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/signing/trust-anchors',
      headers: { cookie: admin },
    });
    expect(list.json().items).toHaveLength(1);
    expect(await t.services.signing.trustAnchorsDer()).toHaveLength(1);
    const id = added.json().id;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/signing/trust-anchors/${id}`,
      headers: { cookie: admin },
    });
    expect(del.statusCode).toBe(204);
    expect(await t.services.signing.trustAnchorsDer()).toHaveLength(0);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/signing/trust-anchors/${id}`,
      headers: { cookie: admin },
    });
    expect(again.json().code).toBe('TRUST_ANCHOR_NOT_FOUND');
    // Added again after removal: allowed (the old row stays for the record).
    expect((await post(admin, { name: 'Thêm lại', pem })).statusCode).toBe(201);
    const actions = (await t.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    expect(actions.filter((a) => a.startsWith('signing.trust_anchor.'))).toEqual([
      'signing.trust_anchor.added',
      'signing.trust_anchor.removed',
      'signing.trust_anchor.added',
    ]);
  });

  it('refuses an end-entity certificate and unreadable text, in Vietnamese', async () => {
    const leaf = await post(admin, {
      name: 'Chứng thư cá nhân',
      pem: certificate(false, 'Nguyễn Văn A'),
    });
    expect(leaf.json()).toMatchObject({ code: 'TRUST_ANCHOR_NOT_CA' });
    expect(leaf.json().message).toContain('không phải của một tổ chức chứng thực');
    const junk = await post(admin, {
      name: 'Rác',
      pem: `-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(40)}\n-----END CERTIFICATE-----`,
    });
    expect(junk.json().code).toBe('TRUST_ANCHOR_INVALID');
  });

  it('only administrators manage the trust store', async () => {
    const leader = (await t.f.session(['leader'])).cookie;
    expect((await post(leader, { name: 'Không được', pem: certificate(true, 'X') })).statusCode).toBe(403);
  });
});
