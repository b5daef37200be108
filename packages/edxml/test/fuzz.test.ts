/**
 * Fuzzing inside the suite (about 5,000 inputs; `npx tsx packages/edxml/fuzz/run.ts` runs 100,000+):
 * generated models must build and parse back equal; mutated messages must give a result or an
 * EdxmlError, never another throw, and what lenient mode accepts must round-trip; chunked parsing
 * must agree with whole parsing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, nthInput, prng, seeds } from '../fuzz/corpus.ts';
import {
  buildEdoc,
  buildStatus,
  type Edoc,
  type EdocAttachment,
  EdxmlError,
  manifestFor,
  type ParseResult,
  parseEdxml,
  parseEdxmlSync,
  STATUS_CODES,
  type StatusMessage,
  signEnvelope,
} from '../src/index.ts';
import { attachment, edoc, makeKeys, type TestKeys } from './helpers.ts';

const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(
        '&',
        '<',
        '>',
        '"',
        "'",
        '\r',
        '\n',
        '\t',
        ']',
        ' ',
        'ư',
        'Đ',
        'ế',
        '\u{1F600}',
        '&amp;',
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .filter((s) => !INVALID_XML_CHAR.test(s));
const nonBlank = text.filter((s) => s.trim() !== '');
const digit = fc.constantFrom(...'0123456789');
const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const alnum = fc.oneof(digit, upper);
const organId = fc.oneof(
  fc
    .tuple(
      fc.string({ unit: digit, minLength: 3, maxLength: 3 }),
      fc.string({ unit: digit, minLength: 2, maxLength: 2 }),
      fc.string({ unit: digit, minLength: 2, maxLength: 2 }),
      upper,
      fc.string({ unit: digit, minLength: 2, maxLength: 2 }),
    )
    .map(([a, b, c, l, d]) => `${a}.${b}.${c}.${l}${d}`),
  fc
    .tuple(
      upper,
      fc.string({ unit: alnum, maxLength: 3 }),
      fc.array(fc.string({ unit: alnum, minLength: 1, maxLength: 3 }), { maxLength: 4 }),
    )
    .map(([l, first, rest]) => [`${l}${first}`, ...rest].join('.')),
);
const date = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', '/'));
const timestamp = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/'));
const word = fc.string({ unit: fc.oneof(alnum, fc.constantFrom('Đ', '-')), minLength: 1, maxLength: 8 });
const documentId = fc
  .tuple(organId, date, fc.string({ unit: digit, minLength: 1, maxLength: 5 }), word)
  .map(([o, d, n, s]) => `${o},${d},${n}/${s}`);
const int = fc.nat({ max: 100_000 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const organ = fc
  .record({
    organId,
    organizationInCharge: opt(text),
    organName: opt(text),
    organAdd: opt(text),
    email: opt(text),
    telephone: opt(text),
    fax: opt(text),
    website: opt(text),
  })
  .map(clean);
const staff = fc
  .record({ department: opt(text), staff: opt(text), email: opt(text), mobile: opt(text) })
  .map(clean);
const responseFor = fc
  .record({ organId, code: opt(text), promulgationDate: opt(date), documentId })
  .map(clean);

const business = fc.integer({ min: 0, max: 3 }).chain((docType) =>
  fc
    .record({
      docType: fc.constant(docType as 0 | 1 | 2 | 3),
      documentId: opt(documentId),
      reason: opt(text),
      paper: opt(fc.nat({ max: 1 })),
      staffInfo: opt(staff),
      documentInfo:
        docType === 2
          ? fc
              .record({
                documentInfo: opt(int),
                documentReceiver: opt(int),
                receivers: opt(
                  fc.array(fc.record({ organId, receiverType: opt(fc.nat({ max: 3 })) }).map(clean), {
                    maxLength: 3,
                  }),
                ),
              })
              .map(clean)
          : fc.constant(undefined),
      replacements:
        docType === 3
          ? fc.array(
              fc.record({ documentId, organIds: opt(fc.array(organId, { maxLength: 3 })) }).map(clean),
              { minLength: 1, maxLength: 2 },
            )
          : fc.constant(undefined),
    })
    .map(clean),
);

const attachments = fc
  .uniqueArray(
    fc.record({
      contentId: word.map((w) => `cid:${w}`),
      attachmentName: opt(text),
      description: opt(text),
      contentType: opt(text),
      content: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
    }),
    { maxLength: 3, selector: (a) => a.contentId },
  )
  .map((xs) => xs.map(clean) as EdocAttachment[]);

const edocModel: fc.Arbitrary<[Edoc, EdocAttachment[]]> = fc
  .tuple(
    fc.record({
      from: organ,
      to: fc.array(organ, { minLength: 1, maxLength: 3 }),
      documentId,
      code: fc.record({ number: nonBlank, notation: nonBlank }),
      promulgation: fc.record({ place: opt(text), date }).map(clean),
      documentType: fc.record({ type: int, typeDetail: opt(int), typeName: nonBlank }).map(clean),
      subject: nonBlank,
      content: opt(text),
      signerInfo: opt(
        fc.record({ competence: opt(text), position: opt(text), fullName: opt(text) }).map(clean),
      ),
      dueDate: opt(date),
      toPlaces: opt(fc.array(text, { maxLength: 3 })),
      otherInfo: opt(
        fc
          .record({
            priority: opt(fc.integer({ min: 0, max: 3 })),
            sphereOfPromulgation: opt(text),
            typerNotation: opt(text),
            promulgationAmount: opt(int),
            pageAmount: opt(int),
            direction: opt(fc.boolean()),
            appendixes: opt(fc.array(text, { maxLength: 3 })),
          })
          .map(clean),
      ),
      steeringType: opt(int),
      responseFor: fc.array(responseFor, { maxLength: 2 }),
    }),
    fc.array(fc.record({ organId, timestamp }), { maxLength: 3 }),
    opt(business),
    attachments,
  )
  .map(([header, traceHeaders, business, atts]) => {
    const env: Edoc = { header: clean(header), traceHeaders, manifest: manifestFor(atts) };
    if (business) env.business = business;
    return [env, atts];
  });

const statusModel: fc.Arbitrary<StatusMessage> = fc
  .record({
    from: organ,
    responseFor,
    staffInfo: opt(staff),
    statusCode: fc.constantFrom(...STATUS_CODES.map((s) => s.code)),
    description: opt(text),
    timestamp,
  })
  .map(clean);

describe('generated models build and parse back equal (strict)', () => {
  it('edoc', () => {
    fc.assert(
      fc.property(edocModel, ([env, atts]) => {
        const r = parseEdxmlSync(buildEdoc(env, atts), { mode: 'strict' });
        expect(r.kind).toBe('edoc');
        if (r.kind !== 'edoc') return;
        expect(r.warnings).toEqual([]);
        expect(r.edoc).toEqual(env);
        expect(r.attachments.map((a) => a.content)).toEqual(atts.map((a) => a.content));
      }),
      { numRuns: 300, seed: 20_250_305 },
    );
  }, 60_000);

  it('status', () => {
    fc.assert(
      fc.property(statusModel, (msg) => {
        const r = parseEdxmlSync(buildStatus(msg), { mode: 'strict' });
        expect(r).toEqual({ kind: 'status', status: msg, signed: false, warnings: [] });
      }),
      { numRuns: 200, seed: 20_250_306 },
    );
  });
});

let keys: TestKeys;
let corpus: Buffer[];
beforeAll(() => {
  keys = makeKeys();
  corpus = seeds([
    signEnvelope(buildEdoc(edoc(), [attachment()]), { privateKey: keys.keyPem, certificate: keys.certPem }),
  ]);
});
afterAll(() => keys?.cleanup());

describe('mutation fuzzing', () => {
  it('4,000 mutated messages: only EdxmlErrors, lenient acceptances round-trip', () => {
    const codes = new Map<string, number>();
    const failures: string[] = [];
    for (let n = 0; n < 4_000; n++) {
      const r = check(nthInput(corpus, 7, n));
      codes.set(r.lenient, (codes.get(r.lenient) ?? 0) + 1);
      codes.set(`verify:${r.verify}`, (codes.get(`verify:${r.verify}`) ?? 0) + 1);
      if (r.failure) failures.push(`#${n}: ${r.failure}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // The fuzzer reaches deep: acceptances, validation codes, signature checks.
    expect(codes.get('ACCEPTED') ?? 0).toBeGreaterThan(200);
    for (const c of [
      'EDXML_MISSING_ELEMENT',
      'EDXML_BAD_BASE64',
      'EDXML_DUPLICATE_ELEMENT',
      'verify:EDXML_SIG_DIGEST_MISMATCH',
    ])
      expect(codes.get(c) ?? 0, c).toBeGreaterThan(0);
  }, 120_000);

  it('500 mutated messages parse the same in random chunks as in one piece', async () => {
    const rand = prng(99);
    const summary = (r: ParseResult | string) => (typeof r === 'string' ? r : JSON.stringify(r));
    for (let n = 0; n < 500; n++) {
      const input = nthInput(corpus, 11, n);
      let whole: ParseResult | string;
      try {
        whole = parseEdxmlSync(input);
      } catch (e) {
        if (!(e instanceof EdxmlError)) throw e;
        whole = e.code;
      }
      const pieces: Buffer[] = [];
      for (let i = 0; i < input.length; ) {
        const len = 1 + Math.floor(rand() * (rand() < 0.5 ? 8 : 4096));
        pieces.push(input.subarray(i, i + len));
        i += len;
      }
      let chunked: ParseResult | string;
      try {
        chunked = await parseEdxml(pieces);
      } catch (e) {
        if (!(e instanceof EdxmlError)) throw e;
        chunked = e.code;
      }
      expect(summary(chunked), `input #${n}`).toBe(summary(whole));
    }
  }, 60_000);
});
