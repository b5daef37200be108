import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniff } from '../src/platform/files/sniff.ts';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await setupApp({ CONGVU_MAX_UPLOAD_MB: '0.01' });
  cookie = (await t.f.session(['specialist'])).cookie;
});
afterAll(async () => t.close());

function multipart(name: string, data: Buffer) {
  const boundary = `----congvu${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
  };
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('files', () => {
  it('stores by SHA-256, once, and serves it back', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/files', ...multipart('quyet-dinh.pdf', PDF) });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ mime: 'application/pdf', size: PDF.length, name: 'quyet-dinh.pdf' });
    expect(a.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const b = await t.app.inject({ method: 'POST', url: '/api/files', ...multipart('ban-sao.pdf', PDF) });
    expect(b.json().sha256).toBe(a.json().sha256);
    expect(await t.db.selectFrom('blobs').selectAll().execute()).toHaveLength(1);
    const get = await t.app.inject({
      method: 'GET',
      url: `/api/files/${a.json().sha256}`,
      headers: { cookie },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('application/pdf');
    expect(get.rawPayload.equals(PDF)).toBe(true);
    // Served with safe headers: never sniffed into something else, not readable by another site.
    expect(get.headers['x-content-type-options']).toBe('nosniff');
    expect(get.headers['cross-origin-resource-policy']).toBe('same-origin');
    // Knowing the hash is not enough: another official gets nothing.
    const other = (await t.f.session(['specialist'])).cookie;
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/files/${a.json().sha256}`,
      headers: { cookie: other },
    });
    expect(denied.statusCode).toBe(404);
    expect(denied.json().code).toBe('FILE_NOT_FOUND');
  });

  it('serves an uploaded image sandboxed: no script, no plugin, whatever is inside', async () => {
    const up = await t.app.inject({ method: 'POST', url: '/api/files', ...multipart('anh.png', PNG) });
    expect(up.statusCode).toBe(201);
    const get = await t.app.inject({
      method: 'GET',
      url: `/api/files/${up.json().sha256}`,
      headers: { cookie },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/png');
    expect(get.headers['content-security-policy']).toBe(
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
    expect(get.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a type it does not accept, whatever the name says', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...multipart('virus.pdf', Buffer.from('MZ\x90\x00 not a pdf')),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(res.json().message).toContain('PDF, DOCX, XLSX');
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(20_000)]);
    const res = await t.app.inject({ method: 'POST', url: '/api/files', ...multipart('anh.png', big) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('FILE_TOO_LARGE');
  });

  it('a missing file is a 404 with a code', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/files/${'b'.repeat(64)}`,
      headers: { cookie },
    });
    expect(res.json()).toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('blob store', () => {
  it('the same content stored by several callers at once is kept once, and none fails', async () => {
    const data = Buffer.from(`%PDF-1.7\n% ${Date.now()} stored at once\n%%EOF\n`);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.ctx.blobs.put(data)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const sha = (results[0] as PromiseFulfilledResult<{ sha256: string }>).value.sha256;
    expect((await t.ctx.blobs.read(sha)).equals(data)).toBe(true);
    const dir = path.dirname(t.ctx.blobs.pathOf(sha));
    expect(fs.readdirSync(dir)).toEqual([sha]); // no temporary file left behind
  });
});

describe('type sniffing', () => {
  const zipWith = (...names: string[]) =>
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(names.join('\0'))]);
  it('tells OOXML documents from plain ZIPs', () => {
    expect(sniff(zipWith('[Content_Types].xml', 'word/document.xml'))?.ext).toBe('docx');
    expect(sniff(zipWith('[Content_Types].xml', 'xl/workbook.xml'))?.ext).toBe('xlsx');
    expect(sniff(zipWith('ho-so/a.pdf'))?.ext).toBe('zip');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.ext).toBe('jpg');
    expect(sniff(PNG)?.ext).toBe('png');
    expect(sniff(Buffer.from('GIF89a'))).toBeNull();
  });
});
