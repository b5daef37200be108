import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classicPdf, makePki, makePng, nssDb, pdfsig } from '../../../packages/pades/test/helpers.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
const congvu = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, CONGVU_LOG_LEVEL: 'silent' } });

let dir: string;
let nss: string;

beforeAll(async () => {
  const pki = await makePki();
  nss = nssDb(pki.caPem);
  dir = mkdtempSync(path.join(tmpdir(), 'pdf-sign-cli-'));
  writeFileSync(path.join(dir, 'in.pdf'), classicPdf());
  writeFileSync(path.join(dir, 'key.p12'), await pki.p12('Lê Thị Cúc', 'mật khẩu'));
  writeFileSync(
    path.join(dir, 'seal.png'),
    makePng(40, 40, (x, y) => ((x - 20) ** 2 + (y - 20) ** 2 < 18 ** 2 ? [220, 0, 0, 255] : [0, 0, 0, 0])),
  );
});

afterAll(() => {
  for (const d of [dir, nss]) rmSync(d, { recursive: true, force: true });
});

describe('congvu pdf sign', () => {
  it('signs with a PKCS#12 file, invisibly or with the seal image and text; pdfsig accepts both', async () => {
    const f = (n: string) => path.join(dir, n);
    const a = await congvu(
      'pdf',
      'sign',
      f('in.pdf'),
      f('a.pdf'),
      '--p12',
      f('key.p12'),
      '--password',
      'mật khẩu',
    );
    expect(a.stdout).toContain('Đã ký');
    const b = await congvu(
      ...['pdf', 'sign', f('a.pdf'), f('b.pdf'), '--p12', f('key.p12'), '--password', 'mật khẩu'],
      ...['--image', f('seal.png'), '--reason', 'Ký duyệt', '--rect', '300,100,220,60'],
    );
    expect(b.stdout).toContain('Đã ký');
    const out = pdfsig(nss, new Uint8Array(readFileSync(f('b.pdf'))));
    expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(out).toContain('Signer Certificate Common Name: Lê Thị Cúc');
  });

  it('a wrong password or a bad --rect: a message and a non-zero exit, no output file', async () => {
    const f = (n: string) => path.join(dir, n);
    await expect(
      congvu('pdf', 'sign', f('in.pdf'), f('x.pdf'), '--p12', f('key.p12'), '--password', 'sai'),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Không ký được') });
    await expect(
      congvu(
        'pdf',
        'sign',
        f('in.pdf'),
        f('x.pdf'),
        '--p12',
        f('key.p12'),
        '--password',
        'mật khẩu',
        '--rect',
        '1,2',
      ),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--rect') });
    expect(() => readFileSync(f('x.pdf'))).toThrow();
  });
});
