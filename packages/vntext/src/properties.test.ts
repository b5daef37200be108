import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVi, compareViNames, normalizeToneMarks, searchKey, sortKeyVi } from './index.ts';

// ---------------------------------------------------------------------------------------------
// Generators (independent of the implementation's tables on purpose)

const TONE_MARKS = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const ALPHABET = 'aăâbcdđeêghiklmnoôơpqrstuưvxy';
const VOWELS = 'aăâeêioôơuưy';
const ONSETS = 'b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x'.split(' ').concat('');
const NUCLEI = (
  'a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê ' +
  'iêu yêu oai oay oeo uây uôi uya uyê uyu ươi ươu'
).split(' ');
const CODAS = 'c ch m n ng nh p t'.split(' ').concat('', '', '');

/** Every Vietnamese letter with every tone, both cases, composed. */
const VI_LETTERS: string[] = [...ALPHABET].flatMap((l) =>
  (VOWELS.includes(l) ? TONE_MARKS : ['']).flatMap((m) => {
    const c = (l + m).normalize('NFC');
    return [c, c.toUpperCase()];
  }),
);

type CaseMode = 'lower' | 'upper' | 'title' | 'random';

interface SyllableSpec {
  onset: string;
  nucleus: string;
  coda: string;
  tone: number;
  /** Which vowel gets the mark (modulo the number of vowels): exercises misplaced marks. */
  markAt: number;
  caseMode: CaseMode;
  caseBits: boolean[];
  decomposed: boolean;
}

const syllableSpec: fc.Arbitrary<SyllableSpec> = fc.record({
  onset: fc.constantFrom(...ONSETS),
  nucleus: fc.constantFrom(...NUCLEI),
  coda: fc.constantFrom(...CODAS),
  tone: fc.integer({ min: 0, max: 5 }),
  markAt: fc.nat({ max: 3 }),
  caseMode: fc.constantFrom<CaseMode>('lower', 'lower', 'title', 'upper', 'random'),
  caseBits: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  decomposed: fc.boolean(),
});

function buildSyllable(spec: SyllableSpec): string {
  const letters = [...(spec.onset + spec.nucleus + spec.coda)];
  const vowelIdx = letters.flatMap((l, i) => (VOWELS.includes(l) ? [i] : []));
  const at = vowelIdx[spec.markAt % vowelIdx.length] ?? 0;
  const chars = letters.map((l, i) => {
    const ch = i === at ? (l + TONE_MARKS[spec.tone]).normalize('NFC') : l;
    const upper =
      spec.caseMode === 'upper' ||
      (spec.caseMode === 'title' && i === 0) ||
      (spec.caseMode === 'random' && spec.caseBits[i % 8] === true);
    return upper ? ch.toUpperCase() : ch;
  });
  const word = chars.join('');
  return spec.decomposed ? word.normalize('NFD') : word;
}

const syllable = syllableSpec.map(buildSyllable);
const lowerSyllable = syllableSpec.map((s) => buildSyllable({ ...s, caseMode: 'lower', decomposed: false }));

/** Vietnamese running text: syllables with spaces and punctuation. */
const viText = fc
  .array(fc.tuple(syllable, fc.constantFrom(' ', ' ', ' ', '  ', ', ', '-', '\n', '. ', '\t', '/', ' 12 ')), {
    maxLength: 8,
  })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

/** Arbitrary strings over Vietnamese letters, digits, spaces and punctuation (not necessarily words). */
const viChars = fc.string({
  unit: fc.constantFrom(...VI_LETTERS, ...' 0123456789.,-/()\n\t'),
  maxLength: 30,
});

/** Vietnamese strings in either normalisation form. */
const viInput = fc.oneof(
  viText,
  viChars,
  viChars.map((s) => s.normalize('NFD')),
);

/** Anything at all, including unpaired surrogates and odd Unicode. */
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());

/** Words joined by single spaces (the shape the reference comparator understands). */
const viWords = fc.array(syllable, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const negate = (n: number): number => (n === 0 ? 0 : -n);
const cmpKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// A small reference comparator written from the specification, table-driven.

const LETTER_INFO = new Map<string, { letter: number; tone: number }>();
[...ALPHABET].forEach((l, letter) => {
  (VOWELS.includes(l) ? TONE_MARKS : ['']).forEach((m, tone) => {
    LETTER_INFO.set((l + m).normalize('NFC'), { letter, tone });
  });
});

function referenceCompare(a: string, b: string): number {
  const parse = (s: string) =>
    s
      .normalize('NFC')
      .split(' ')
      .map((w) => {
        const letters: number[] = [];
        const cases: number[] = [];
        let tone = 0;
        for (const ch of w) {
          const lower = ch.toLowerCase();
          const info = LETTER_INFO.get(lower);
          if (info === undefined) throw new Error(`unexpected ${ch}`);
          letters.push(info.letter);
          tone = info.tone || tone;
          cases.push(lower === ch ? 0 : 1);
        }
        return { letters, tone, cases };
      });
  const lex = (x: readonly number[], y: readonly number[]): number => {
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = (x[i] ?? 0) - (y[i] ?? 0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  };
  const wa = parse(a);
  const wb = parse(b);
  for (let i = 0; i < Math.min(wa.length, wb.length); i++) {
    const x = wa[i];
    const y = wb[i];
    if (x === undefined || y === undefined) break;
    const d = lex(x.letters, y.letters) || x.tone - y.tone;
    if (d !== 0) return sign(d);
  }
  if (wa.length !== wb.length) return sign(wa.length - wb.length);
  const d = lex(
    wa.flatMap((w) => w.cases),
    wb.flatMap((w) => w.cases),
  );
  if (d !== 0) return sign(d);
  return cmpKeys(a.normalize('NFC'), b.normalize('NFC'));
}

// ---------------------------------------------------------------------------------------------

describe('searchKey properties', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(fc.oneof(viInput, anyText), (s) => searchKey(searchKey(s)) === searchKey(s)));
  });

  it('returns ASCII for Vietnamese input', () => {
    fc.assert(
      fc.property(viInput, (s) => {
        expect(searchKey(s)).toMatch(/^[\x20-\x7e]*$/);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on tone placement, case or normalisation form', () => {
    fc.assert(
      fc.property(viInput, (s) => {
        const k = searchKey(s);
        expect(searchKey(normalizeToneMarks(s, 'new'))).toBe(k);
        expect(searchKey(s.normalize('NFD'))).toBe(k);
        expect(searchKey(s.toUpperCase())).toBe(k);
      }),
    );
  });
});

describe('normalizeToneMarks properties', () => {
  it('is idempotent in both styles', () => {
    fc.assert(
      fc.property(fc.oneof(viInput, anyText), fc.constantFrom('old' as const, 'new' as const), (s, style) => {
        const once = normalizeToneMarks(s, style);
        expect(normalizeToneMarks(once, style)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('converts between styles losslessly', () => {
    fc.assert(
      fc.property(viInput, (s) => {
        const oldStyle = normalizeToneMarks(s, 'old');
        const newStyle = normalizeToneMarks(s, 'new');
        expect(normalizeToneMarks(newStyle, 'old')).toBe(oldStyle);
        expect(normalizeToneMarks(oldStyle, 'new')).toBe(newStyle);
      }),
    );
  });

  it('only moves tone marks', () => {
    const isTone = (c: string) => TONE_MARKS.includes(c) && c !== '';
    const stripTones = (s: string) => [...s.normalize('NFD')].filter((c) => !isTone(c)).join('');
    const toneCount = (s: string) => [...s.normalize('NFD')].filter(isTone).length;
    fc.assert(
      fc.property(fc.oneof(viInput, anyText), (s) => {
        const out = normalizeToneMarks(s);
        expect(stripTones(out)).toBe(stripTones(s.normalize('NFC')));
        expect(toneCount(out)).toBe(toneCount(s));
      }),
    );
  });

  it('gives one spelling whichever vowel the mark was typed on', () => {
    fc.assert(
      fc.property(syllableSpec, fc.nat({ max: 3 }), (spec, otherAt) => {
        const a = buildSyllable(spec);
        const b = buildSyllable({ ...spec, markAt: otherAt });
        expect(normalizeToneMarks(a)).toBe(normalizeToneMarks(b));
        expect(normalizeToneMarks(a, 'new')).toBe(normalizeToneMarks(b, 'new'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compareVi properties', () => {
  const sample = fc.oneof(viWords, viText, viChars, anyText);

  it('is reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(compareVi(a, a)).toBe(0);
        expect(sign(compareVi(a, b))).toBe(negate(sign(compareVi(b, a))));
      }),
      { numRuns: 300 },
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(sample, sample, sample, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(compareVi) as [string, string, string];
        expect(compareVi(x, y)).toBeLessThanOrEqual(0);
        expect(compareVi(y, z)).toBeLessThanOrEqual(0);
        expect(compareVi(x, z)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
    // Triples that share a prefix, so that they differ only in tones, case or the last letter.
    fc.assert(
      fc.property(viWords, syllable, syllable, syllable, (p, s1, s2, s3) => {
        const [x, y, z] = [`${p} ${s1}`, `${p} ${s2}`, `${p} ${s3}`].sort(compareVi) as [
          string,
          string,
          string,
        ];
        expect(compareVi(x, z)).toBeLessThanOrEqual(0);
        if (compareVi(x, y) < 0 || compareVi(y, z) < 0) expect(compareVi(x, z)).toBeLessThan(0);
      }),
    );
  });

  it('orders exactly like sortKeyVi with plain <', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(sign(compareVi(a, b))).toBe(cmpKeys(sortKeyVi(a), sortKeyVi(b)));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a reference model of the dictionary order', () => {
    fc.assert(
      fc.property(viWords, viWords, (a, b) => {
        expect(sign(compareVi(a, b))).toBe(referenceCompare(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the normalisation form', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(compareVi(a.normalize('NFD'), b)).toBe(compareVi(a, b));
      }),
    );
  });

  const icu = Intl.Collator.supportedLocalesOf(['vi']).length > 0 ? new Intl.Collator('vi') : undefined;
  it.skipIf(icu === undefined)('agrees with ICU (Intl.Collator vi) on single syllables', () => {
    fc.assert(
      fc.property(lowerSyllable, lowerSyllable, (a, b) => {
        const x = normalizeToneMarks(a);
        const y = normalizeToneMarks(b);
        expect(sign(compareVi(x, y))).toBe(sign(icu?.compare(x, y) ?? 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('compareViNames properties', () => {
  const name = fc.array(syllable, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

  it('is antisymmetric and transitive', () => {
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(sign(compareViNames(a, b))).toBe(negate(sign(compareViNames(b, a))));
        const [x, y, z] = [a, b, c].sort(compareViNames) as [string, string, string];
        expect(compareViNames(x, y)).toBeLessThanOrEqual(0);
        expect(compareViNames(x, z)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('is decided by the given name when the given names differ', () => {
    const given = (n: string) => normalizeToneMarks(n.split(' ').at(-1) ?? '').toLowerCase();
    fc.assert(
      fc.property(name, name, (a, b) => {
        fc.pre(given(a) !== given(b));
        expect(sign(compareViNames(a, b))).toBe(sign(compareVi(given(a), given(b))));
      }),
    );
  });
});
