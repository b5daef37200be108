/**
 * PAdES sign and verify rates for a 200 KB PDF with RSA-2048, next to `openssl speed rsa2048`
 * measured in the same run on the same machine. Targets (issue 4): sign ≥ 0.5 of openssl's sign
 * rate per core, verify ≥ 0.3 of its verify rate. Both loops run on one core, as openssl speed does.
 * The measures are interleaved (openssl, sign, verify, again) and the best round of each is kept,
 * so that other work on the machine weighs on both sides alike. Also printed: the floor — what a
 * signature needs at the least (SHA-256 of the signed bytes with node:crypto, plus one RSA
 * operation at openssl's rate) — and the rate that floor allows.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { p12Signer, signPdf, verifyPdf } from '@congvu/pades';
import PDFDocument from 'pdfkit';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 1 : 2;
const ROUNDS = quick ? 1 : 3;

function opensslSpeed(): { sign: number; verify: number } {
  const out = execFileSync('openssl', ['speed', '-seconds', String(SECONDS), 'rsa2048'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const line = out.split('\n').find((l) => /^rsa\s+2048 bits/.test(l));
  const m = line?.match(/([\d.]+)\s+([\d.]+)\s*$/);
  if (!m) throw new Error(`unexpected openssl speed output:\n${out}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}

/** A PDF of about 200 KB: text pages (compressed streams), like a long official document. */
async function pdf200k(): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  let n = 0;
  while (n < 720) {
    doc.text(`Điều ${n}. Quy định về việc tiếp nhận, xử lý văn bản điện tử trên hệ thống ${n * 7919}.`);
    n++;
  }
  doc.end();
  return new Uint8Array(await done);
}

function demoP12(dir: string): Uint8Array {
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
    '/C=VN/CN=Bench CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
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
    '-subj',
    '/C=VN/O=UBND tinh Son Lam/CN=Bench Signer',
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
    'pass:bench',
    '-out',
    'me.p12',
  ]);
  return new Uint8Array(fs.readFileSync(path.join(dir, 'me.p12')));
}

async function rate(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-sign-'));
try {
  const input = await pdf200k();
  const signer = p12Signer(demoP12(dir), 'bench');
  const trust = [
    new Uint8Array(execFileSync('openssl', ['x509', '-in', path.join(dir, 'ca.pem'), '-outform', 'DER'])),
  ];
  const signed = await signPdf(input, signer, { reason: 'Đo tốc độ ký', name: 'Bench Signer' });
  const check = await verifyPdf(signed, { trustAnchors: trust });
  if (!check.valid || !check.trusted) throw new Error('the signed PDF does not verify');
  const ossl = { sign: 0, verify: 0 };
  let signRate = 0;
  let verifyRate = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const o = opensslSpeed();
    ossl.sign = Math.max(ossl.sign, o.sign);
    ossl.verify = Math.max(ossl.verify, o.verify);
    signRate = Math.max(signRate, await rate(() => signPdf(input, signer, { reason: 'Đo tốc độ ký' })));
    verifyRate = Math.max(verifyRate, await rate(() => verifyPdf(signed, { trustAnchors: trust })));
  }
  // The floor: hashing the signed bytes (all of the file but /Contents) and one RSA operation.
  const hashRate = await rate(async () => createHash('sha256').update(signed).digest());
  const signFloor = 1 / (1 / hashRate + 1 / ossl.sign);
  const verifyFloor = 1 / (1 / hashRate + 1 / ossl.verify);
  const signRatio = signRate / ossl.sign;
  const verifyRatio = verifyRate / ossl.verify;
  console.log(
    `PDF ${(input.length / 1024).toFixed(0)} KB, RSA-2048, one core, best of ${ROUNDS} × ${SECONDS} s per measure`,
  );
  console.log(`openssl speed rsa2048: sign ${ossl.sign.toFixed(0)}/s, verify ${ossl.verify.toFixed(0)}/s`);
  console.log(
    `floor: SHA-256 of ${(signed.length / 1024).toFixed(0)} KB ${(1e6 / hashRate).toFixed(0)} µs → sign ≤ ${signFloor.toFixed(0)}/s (×${(signFloor / ossl.sign).toFixed(3)}), verify ≤ ${verifyFloor.toFixed(0)}/s (×${(verifyFloor / ossl.verify).toFixed(3)})`,
  );
  console.log(
    `PAdES sign ${signRate.toFixed(1)}/s (×${signRatio.toFixed(3)} of openssl sign, target ≥ 0.5); verify ${verifyRate.toFixed(1)}/s (×${verifyRatio.toFixed(3)} of openssl verify, target ≥ 0.3)`,
  );
  console.log(
    `BENCH signing sign_rate=${signRate.toFixed(1)}/s ceiling=${ossl.sign.toFixed(0)} ratio=${signRatio.toFixed(3)} verify_rate=${verifyRate.toFixed(1)}/s verify_ceiling=${ossl.verify.toFixed(0)} verify_ratio=${verifyRatio.toFixed(3)}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
