/**
 * Mutation fuzzing of the parser and the verifier: seeds (built messages, a signed one, the axis SDK
 * fixtures when present), byte- and token-level mutators driven by a seeded PRNG, and the check
 * every input must pass: each entry point returns a result or throws an EdxmlError (with a code),
 * nothing else; whatever lenient parsing accepts round-trips through the builder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  buildEdoc,
  buildStatus,
  type Edoc,
  EdxmlError,
  type ParseResult,
  parseEdxmlSync,
  verifyEnvelopeSync,
} from '../src/index.ts';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDXML = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

function sampleEdoc(): Edoc {
  return {
    header: {
      from: { organId: 'H37.02.02', organName: 'Sở KH&CN Lạng Sơn', email: 'a@b.vn' },
      to: [{ organId: '000.00.00.H41', organName: 'UBND tỉnh Nghệ An' }],
      documentId: 'H37.02.02,2025/03/05,12/SKHCN-VP',
      code: { number: '12', notation: 'SKHCN-VP' },
      promulgation: { place: 'Lạng Sơn', date: '2025/03/05' },
      documentType: { type: 1, typeDetail: 0, typeName: 'Công văn' },
      subject: 'V/v <thử> & "kiểm tra"',
      dueDate: '2025/03/20',
      toPlaces: ['Như trên'],
      otherInfo: { priority: 0, pageAmount: 1, direction: true, appendixes: ['PL'] },
      steeringType: 1,
      responseFor: [{ organId: 'G22', documentId: 'G22,2025/01/02,1/VPCP', promulgationDate: '2025/01/02' }],
    },
    traceHeaders: [{ organId: 'H37.02.02', timestamp: '2025/03/05 08:00:00' }],
    business: {
      docType: 3,
      reason: 'Thay thế',
      replacements: [{ documentId: 'H37.02.02,2025/03/01,10/SKHCN-VP', organIds: ['000.00.00.H41'] }],
      staffInfo: { staff: 'Văn thư' },
    },
    manifest: [
      { contentId: 'cid:1', contentType: 'application/pdf', attachmentName: 'a.pdf' },
      { contentId: 'cid:2', contentType: 'text/plain', attachmentName: 'b.txt' },
    ],
  };
}

function findFixtures(): string | undefined {
  const env = process.env.CONGVU_SHARED;
  if (env)
    return existsSync(path.join(env, 'fixtures', 'edxml-vxp-sdk'))
      ? path.join(env, 'fixtures', 'edxml-vxp-sdk')
      : undefined;
  let dir = path.dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const d = path.join(dir, 'shared', 'fixtures', 'edxml-vxp-sdk');
    if (existsSync(d)) return d;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A signed seed is made by the caller (it needs a key); pass it in `extra`. */
export function seeds(extra: string[] = []): Buffer[] {
  const out: string[] = [
    buildEdoc(sampleEdoc(), [
      {
        contentId: 'cid:1',
        contentType: 'application/pdf',
        attachmentName: 'a.pdf',
        content: Buffer.from('%PDF-1.4 x'),
      },
      {
        contentId: 'cid:2',
        contentType: 'text/plain',
        attachmentName: 'b.txt',
        content: Buffer.from('tiếng Việt'),
      },
    ]),
    buildStatus({
      from: { organId: '000.00.00.H41', organName: 'UBND tỉnh Nghệ An' },
      responseFor: {
        organId: 'H37.02.02',
        documentId: 'H37.02.02,2025/03/05,12/SKHCN-VP',
        code: '12/SKHCN-VP',
      },
      statusCode: '02',
      description: 'Từ chối: sai nơi nhận',
      timestamp: '2025/03/05 10:00:00',
    }),
    ...extra,
  ];
  const dir = findFixtures();
  if (dir) {
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.edxml'))
      .sort()) {
      // Attachment content shortened (keeping it valid base64) so that each input stays small.
      const text = readFileSync(path.join(dir, f), 'utf8').replace(
        /(<edXML:ContentTransferEncoded[^>]*>)([A-Za-z0-9+/=]{1200})[A-Za-z0-9+/=]*(<)/,
        '$1$2$3',
      );
      out.push(text);
    }
  }
  return out.map((s) => Buffer.from(s, 'utf8'));
}

const TOKENS = [
  '<',
  '>',
  '/>',
  '</',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '&lt',
  '&xxe;',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '<?pi x?>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE edXML [<!ENTITY e "x">]>',
  '"',
  "'",
  '=',
  ' ',
  '\r\n',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\u{1F600}',
  'xmlns="urn:x"',
  ` xmlns:edXML="${EDXML}"`,
  ' xmlns=""',
  'edXML:',
  'xlink:',
  ':',
  '1212',
  '<edXML:Unknown>1</edXML:Unknown>',
  '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>',
  '<edXML:StatusCode>99</edXML:StatusCode>',
  '=====',
  'QUJD',
  '2014/02/30',
  '28.22.H17',
];

const NAMES = [
  'edXML',
  'edXML:edXMLEnvelope',
  'edXML:edXMLHeader',
  'edXML:MessageHeader',
  'edXML:From',
  'edXML:To',
  'edXML:OrganId',
  'edXML:DocumentId',
  'edXML:StatusCode',
  'edXML:ResponseFor',
  'edXML:Bussiness',
  'edXML:BussinessDocType',
  'edXML:Reference',
  'edXML:ContentId',
  'AttachmentEncoded',
  'Attachment',
  'ContentId',
  'edXML:ContentTransferEncoded',
  'Signature',
  'SignedInfo',
  'DigestValue',
];

/** One mutation of `input`; several may be stacked. */
export function mutate(input: Buffer, rand: () => number): Buffer {
  const n = input.length;
  const at = () => Math.floor(rand() * (n + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  // Weighted: structure-aware mutations reach the validation layer, byte-level ones the tokenizer.
  const r = rand();
  const kind =
    r < 0.25
      ? 9
      : r < 0.37
        ? 6
        : r < 0.49
          ? 2
          : r < 0.59
            ? 10
            : r < 0.67
              ? 1
              : r < 0.74
                ? 3
                : r < 0.79
                  ? 0
                  : r < 0.84
                    ? 4
                    : r < 0.89
                      ? 5
                      : r < 0.94
                        ? 7
                        : 8;
  switch (kind) {
    case 0: {
      // flip low bits in a few bytes (mostly keeps UTF-8 valid)
      const b = Buffer.from(input);
      for (let k = 1 + Math.floor(rand() * 3); k > 0 && n > 0; k--) {
        const i = Math.floor(rand() * n);
        b[i] = (b[i] ?? 0) ^ (1 << Math.floor(rand() * 7));
      }
      return b;
    }
    case 10: {
      // drop or duplicate one leaf element
      const s = input.toString('utf8');
      const hits = [...s.matchAll(/<((?:edXML:)?\w+)>[^<]*<\/\1>/g)];
      if (hits.length === 0) return input;
      const h = pick(hits);
      const start = h.index ?? 0;
      const end = start + h[0].length;
      return Buffer.from(s.slice(0, start) + (rand() < 0.5 ? '' : h[0] + h[0]) + s.slice(end), 'utf8');
    }
    case 1: {
      const i = at();
      const len = Math.floor(rand() * Math.min(64, n - i + 1));
      return Buffer.concat([input.subarray(0, i), input.subarray(i + len)]);
    }
    case 2: {
      const i = at();
      return Buffer.concat([input.subarray(0, i), Buffer.from(pick(TOKENS)), input.subarray(i)]);
    }
    case 3: {
      // copy a slice elsewhere
      const i = at();
      const len = Math.floor(rand() * Math.min(400, n - i + 1));
      const j = at();
      return Buffer.concat([input.subarray(0, j), input.subarray(i, i + len), input.subarray(j)]);
    }
    case 4:
      return input.subarray(0, at());
    case 5: {
      // swap two slices
      let i = at();
      let j = at();
      if (i > j) [i, j] = [j, i];
      const len = Math.floor(rand() * Math.min(200, (j - i) / 2 + 1));
      if (len === 0) return input;
      return Buffer.concat([
        input.subarray(0, i),
        input.subarray(j - len, j),
        input.subarray(i + len, j - len),
        input.subarray(i, i + len),
        input.subarray(j),
      ]);
    }
    case 6: {
      // rename one element
      const s = input.toString('latin1');
      const from = pick(NAMES);
      const idx = s.indexOf(from, Math.floor(rand() * s.length));
      const k = idx === -1 ? s.indexOf(from) : idx;
      if (k === -1) return input;
      return Buffer.concat([input.subarray(0, k), Buffer.from(pick(NAMES)), input.subarray(k + from.length)]);
    }
    case 7: {
      // repeat a slice (nesting, element count, sizes)
      const i = at();
      const len = 1 + Math.floor(rand() * Math.min(40, n - i + 1));
      const times = 2 + Math.floor(rand() * 200);
      const slice = input.subarray(i, i + len);
      return Buffer.concat([
        input.subarray(0, i),
        ...Array.from({ length: times }, () => slice),
        input.subarray(i),
      ]);
    }
    case 8: {
      // random bytes
      const i = at();
      const bytes = Buffer.from(
        Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)),
      );
      return Buffer.concat([input.subarray(0, i), bytes, input.subarray(i)]);
    }
    default: {
      // change the text between two tags
      const s = input.toString('utf8');
      const re = />([^<]{1,80})</g;
      const hits = [...s.matchAll(re)];
      if (hits.length === 0) return input;
      const h = pick(hits);
      const repl = pick([
        '',
        ' ',
        '0',
        '-1',
        '99',
        'abc',
        '2025/13/40',
        'true',
        'x'.repeat(100),
        pick(TOKENS),
      ]);
      const start = (h.index ?? 0) + 1;
      return Buffer.from(s.slice(0, start) + repl + s.slice(start + (h[1]?.length ?? 0)), 'utf8');
    }
  }
}

export interface CheckResult {
  strict: string;
  lenient: string;
  verify: string;
  ms: number;
  /** Set when a check failed: a non-EdxmlError throw, or a lenient acceptance that does not round-trip. */
  failure?: string;
}

function outcome(f: () => ParseResult): { code: string; result?: ParseResult } {
  try {
    return { code: 'ACCEPTED', result: f() };
  } catch (e) {
    if (e instanceof EdxmlError) return { code: e.code };
    throw e;
  }
}

function roundTrips(r: ParseResult): boolean {
  const xml =
    r.kind === 'edoc'
      ? buildEdoc(
          r.edoc,
          r.attachments.map((a) => ({ ...a, content: a.content ?? Buffer.alloc(0) })),
          { mode: 'lenient' },
        )
      : buildStatus(r.status, { mode: 'lenient' });
  const again = parseEdxmlSync(xml, { mode: 'lenient' });
  if (r.kind === 'edoc' && again.kind === 'edoc')
    return isDeepStrictEqual(again.edoc, r.edoc) && isDeepStrictEqual(again.attachments, r.attachments);
  if (r.kind === 'status' && again.kind === 'status') return isDeepStrictEqual(again.status, r.status);
  return false;
}

const LIMITS = { maxBytes: 4 * 1024 * 1024 };

export function check(input: Buffer): CheckResult {
  const t0 = performance.now();
  const res: CheckResult = { strict: '', lenient: '', verify: '', ms: 0 };
  try {
    res.strict = outcome(() => parseEdxmlSync(input, { mode: 'strict', limits: LIMITS })).code;
    const l = outcome(() => parseEdxmlSync(input, { mode: 'lenient', limits: LIMITS }));
    res.lenient = l.code;
    if (l.result) {
      try {
        if (!roundTrips(l.result)) res.failure = 'lenient result does not round-trip';
      } catch (e) {
        res.failure = `round trip threw ${e instanceof EdxmlError ? e.message : String((e as Error)?.stack ?? e)}`;
      }
    }
    const v = verifyEnvelopeSync(input, { limits: LIMITS });
    res.verify = v.valid ? 'VALID' : (v.failure?.code ?? 'NO_CODE');
    if (!v.valid && !v.failure) res.failure = 'verify: invalid without a failure code';
  } catch (e) {
    res.failure = `non-EdxmlError: ${String((e as Error)?.stack ?? e)}`;
  }
  res.ms = performance.now() - t0;
  return res;
}

/** The n-th input of a run: a seed with 1 (70 %), 2 or 3 stacked mutations, all from (seed, n). */
export function nthInput(corpus: readonly Buffer[], runSeed: number, n: number): Buffer {
  const rand = prng((runSeed * 1_000_003 + n) >>> 0);
  let b = corpus[Math.floor(rand() * corpus.length)] as Buffer;
  const x = rand();
  const k = x < 0.7 ? 1 : x < 0.9 ? 2 : 3;
  for (let i = 0; i < k; i++) b = mutate(b, rand);
  return b;
}
