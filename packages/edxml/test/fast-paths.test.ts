/**
 * The fast paths (packages/edxml/README.md "Speed") give the same outcomes as the plain rules:
 * base64 checked by a native round trip, UTF-8 decoded in ASCII and non-ASCII runs, signing keys
 * and certificates read once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Base64Decoder } from '../src/attachments.ts';
import {
  buildEdoc,
  EdxmlError,
  parseEdxml,
  parseEdxmlSync,
  signEnvelope,
  verifyEnvelopeSync,
} from '../src/index.ts';
import { attachment, edoc, makeKeys, type TestKeys } from './helpers.ts';

/** The base64 rules as written before the fast path: one regular expression per chunk. */
function referenceBase64(chunks: string[]): string {
  let carry = '';
  let length = 0;
  let padding = 0;
  const out: Buffer[] = [];
  for (const s of chunks) {
    const clean = s.replace(/[ \t\n\r]+/g, '');
    if (clean.length === 0) continue;
    if (padding > 0) {
      if (!/^=+$/.test(clean)) return 'BAD';
      padding += clean.length;
    } else {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return 'BAD';
      const eq = clean.indexOf('=');
      if (eq !== -1) padding = clean.length - eq;
    }
    if (padding > 2) return 'BAD';
    length += clean.length;
    const data = carry + clean;
    const n = data.length - (data.length % 4);
    carry = data.slice(n);
    out.push(Buffer.from(data.slice(0, n), 'base64'));
  }
  if (length % 4 !== 0) return 'BAD';
  return Buffer.concat(out).toString('hex');
}

function decodeAll(chunks: string[]): string {
  const d = new Base64Decoder('/x');
  const out: Buffer[] = [];
  try {
    for (const c of chunks) out.push(d.write(c));
    d.end();
  } catch (e) {
    if (e instanceof EdxmlError && e.code === 'EDXML_BAD_BASE64') return 'BAD';
    throw e;
  }
  return Buffer.concat(out).toString('hex');
}

/** A small deterministic generator (xorshift), so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function split(s: string, r: (n: number) => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const n = 1 + r(r(2) ? 9 : 200);
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out.length ? out : [''];
}

describe('base64 with the native round trip', () => {
  it('gives the outcome and bytes of the plain rules, whatever the chunking', () => {
    const r = rng(7);
    const cases: string[] = [];
    for (let i = 0; i < 400; i++) {
      let s = Buffer.from(Array.from({ length: r(60) }, () => r(256))).toString('base64');
      switch (r(9)) {
        case 0: // lines of 76, CRLF
          s = s.replace(/.{1,76}/g, '$&\r\n');
          break;
        case 1: // low bits not zero: valid, not canonical
          if (s.endsWith('==')) s = `${s.slice(0, -3)}${'BCD'[r(3)]}==`;
          else if (s.endsWith('=')) s = `${s.slice(0, -2)}${'BCD'[r(3)]}=`;
          break;
        case 2: // a character outside the alphabet
          s = `${s.slice(0, r(s.length + 1))}${'-_*é<'[r(5)]}${s.slice(r(s.length + 1))}`;
          break;
        case 3: // "=" inside, or too many
          s = `${s.slice(0, r(s.length + 1))}=${s.slice(r(s.length + 1))}`;
          break;
        case 4: // length not a multiple of 4
          s = s.replace(/=+$/, '');
          break;
        case 5:
          s = `${s}===`;
          break;
        default:
          break;
      }
      cases.push(s);
    }
    for (const s of cases) {
      const want = referenceBase64([s]);
      expect(decodeAll([s]), s).toBe(want);
      for (let k = 0; k < 4; k++) {
        const chunks = split(s, r);
        expect(decodeAll(chunks), JSON.stringify(chunks)).toBe(referenceBase64(chunks));
      }
    }
    // Non-canonical but valid ("QR==" is "A" with a stray low bit), as before.
    expect(decodeAll(['QR=='])).toBe('41');
    expect(decodeAll(['QQ', '=='])).toBe('41');
    expect(decodeAll(['QQ=', '=='])).toBe('BAD');
  });
});

const VI = 'Sở Khoa học và Công nghệ tỉnh Lạng Sơn — “đường” 𠀀 ắ';

function chunksOf(b: Buffer, sizes: (i: number) => number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < b.length; k++) {
    const n = Math.max(1, sizes(k));
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function outcome(input: string | Buffer | Buffer[]): Promise<string> {
  try {
    const r = Array.isArray(input)
      ? await parseEdxml(input, { attachments: 'discard' })
      : parseEdxmlSync(input);
    return JSON.stringify(r);
  } catch (e) {
    if (!(e instanceof EdxmlError)) throw e;
    return `${e.code}: ${e.message}`;
  }
}

describe('UTF-8 decoding in ASCII and non-ASCII runs', () => {
  // Vietnamese in the header and after the attachment (a 20 KB one: several ASCII blocks).
  const xml = buildEdoc(edoc({ subject: VI.repeat(40) }), [
    attachment({ content: Buffer.alloc(20_000, 7), description: VI }),
  ]);
  const bytes = Buffer.from(xml, 'utf8');

  it('reads bytes as the string they encode, in any chunking', async () => {
    const want = await outcome(xml);
    expect(want).toContain(VI);
    expect(await outcome(bytes)).toBe(want);
    const asStream = (s: string) => s.replace(/"content":\{[^}]*\}/g, ''); // discard: no content
    for (const size of [1, 2, 3, 5, 8191, 8192, 8193]) {
      const r = await outcome(chunksOf(bytes, () => size));
      expect(asStream(r), String(size)).toBe(asStream((await outcome([bytes])) as string));
    }
  });

  it('drops a leading byte order mark, also split, and reports offsets without it', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await outcome(Buffer.concat([bom, bytes]))).toBe(await outcome(bytes));
    const bad = Buffer.from(`${xml.slice(0, 200)}<<${xml.slice(200)}`, 'utf8');
    const want = await outcome([bad]);
    expect(want).toMatch(/^EDXML_NOT_WELL_FORMED: .*offset 201\)$/);
    for (const size of [1, 2, 4])
      expect(await outcome(chunksOf(Buffer.concat([bom, bad]), () => size))).toBe(want);
  });

  it('reports a bad sequence at its byte, whatever the chunking, and a truncated end', async () => {
    const at = bytes.indexOf('<edXML:Subject>') + 15;
    for (const seq of [
      [0xe0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90],
      [0xc0, 0xaf],
      [0xe1, 0x41],
    ]) {
      const bad = Buffer.concat([bytes.subarray(0, at), Buffer.from(seq), bytes.subarray(at)]);
      const want = await outcome(bad);
      expect(want, String(seq)).toMatch(new RegExp(`^EDXML_BAD_ENCODING: .*near byte ${at}$`));
      for (const size of [1, 2, 3, 7, at + 1, at + 2])
        expect(await outcome(chunksOf(bad, (k) => (k === 0 ? size : 64))), `${seq} ${size}`).toBe(want);
    }
    const truncated = Buffer.concat([bytes, Buffer.from([0xe1, 0x80])]);
    expect(await outcome(truncated)).toMatch(/^EDXML_BAD_ENCODING: .*truncated UTF-8 sequence at the end$/);
    expect(await outcome(chunksOf(truncated, () => 1))).toBe(await outcome(truncated));
  });

  it("'check' checks the base64 and counts the size, without content or hash", () => {
    const r = parseEdxmlSync(bytes, { attachments: 'check' });
    expect(r.kind === 'edoc' && r.attachments.map((a) => [a.size, a.sha256, a.content])).toEqual([
      [20_000, '', undefined],
    ]);
    const broken = xml.replace(/(<edXML:ContentTransferEncoded[^>]*>)(.{10})/, '$1$2*');
    expect(() => parseEdxmlSync(broken, { attachments: 'check' })).toThrow(/EDXML_BAD_BASE64/);
  });
});

describe('signing keys and certificates read once', () => {
  let a: TestKeys;
  let b: TestKeys;
  beforeAll(() => {
    a = makeKeys('Người ký A');
    b = makeKeys('Người ký B');
  });
  afterAll(() => {
    a.cleanup();
    b.cleanup();
  });
  const xml = buildEdoc(edoc(), [attachment()]);

  it('signs with the key given each time, also when a buffer is reused', () => {
    const subject = (s: string) => verifyEnvelopeSync(s).certificate?.subject ?? '';
    expect(subject(signEnvelope(xml, { privateKey: a.keyPem, certificate: a.certPem }))).toMatch(/A/);
    expect(subject(signEnvelope(xml, { privateKey: b.keyPem, certificate: b.certPem }))).toMatch(/B/);
    const key = Buffer.from(a.keyPem);
    const cert = Buffer.from(a.certPem);
    expect(subject(signEnvelope(xml, { privateKey: key, certificate: cert }))).toMatch(/A/);
    // The same Buffer objects, now holding B's key and a certificate of A: refused, not cached.
    const keyB = Buffer.from(b.keyPem);
    const reused = Buffer.alloc(keyB.length);
    keyB.copy(reused);
    expect(() => signEnvelope(xml, { privateKey: reused, certificate: cert })).toThrow(
      /EDXML_SIG_KEY_MISMATCH/,
    );
    cert.fill(0x20);
    expect(() => signEnvelope(xml, { privateKey: key, certificate: cert })).toThrow(
      /EDXML_SIG_BAD_CERTIFICATE/,
    );
  });

  it('returns each caller its own copy of the certificate', () => {
    const signed = signEnvelope(xml, { privateKey: a.keyPem, certificate: a.certPem });
    const first = verifyEnvelopeSync(signed);
    expect(first.valid).toBe(true);
    const der = Buffer.from(first.certificate?.der ?? []);
    first.certificate?.der.fill(0);
    const second = verifyEnvelopeSync(signed);
    expect(second.valid).toBe(true);
    expect(second.certificate?.der.equals(der)).toBe(true);
    expect(verifyEnvelopeSync(signed.replace('<edXML:Subject>', '<edXML:Subject>x')).failure?.code).toBe(
      'EDXML_SIG_DIGEST_MISMATCH',
    );
  });
});
