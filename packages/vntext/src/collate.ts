/**
 * Vietnamese collation with precomputed sort keys.
 *
 * A string is read as words (runs of letters and digits; everything else separates words).
 * Words are compared one after another, like a dictionary groups compounds under their first
 * syllable: first the letters of the word in Vietnamese alphabet order
 * (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; f j w z in their Latin places;
 * other scripts after Latin by code point), then the word's tone
 * (ngang < huyền < hỏi < ngã < sắc < nặng), then the next word.
 * Digit runs compare by numeric value and before letters ("Tổ 2" < "Tổ 10").
 * Ties are broken by letter case (lowercase first), then by the NFC text itself,
 * so compareVi(a, b) === 0 only for canonically equivalent strings.
 *
 * Key layout: primary (words) ␁ case flags ␁ NFC text. Every character of the first two levels
 * is in U+0001..U+3FFF, so keys also sort the same way as UTF-8 bytes (e.g. PostgreSQL `COLLATE "C"`)
 * up to the last level.
 */
import { applyVowelMark, isMark, isVowelMark, toneOfMark } from './chars.ts';

const LEVEL_SEP = 0x01;
const WORD_SEP = 0x02;
/** Tone t is encoded as TONE_BASE + t. */
const TONE_BASE = 0x03;
/** A digit run is encoded as NUMBER_BASE + its length (leading zeros dropped), then its digits. */
const NUMBER_BASE = 0x0100;
const NUMBER_MAX_LENGTH = 0x0eff;
/** A Latin letter is LATIN_BASE + its index in LATIN_ORDER. */
const LATIN_BASE = 0x1000;
/** Any other letter: OTHER_LETTER, then its code point as two units. */
const OTHER_LETTER = 0x2000;
const OTHER_BASE = 0x3000;
const CASE_LOWER = 0x02;
const CASE_UPPER = 0x03;

/** Vietnamese alphabet with the four non-Vietnamese Latin letters (f j w z) at their Latin positions. */
const LATIN_ORDER = 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
const LATIN_INDEX: ReadonlyMap<string, number> = new Map([
  ...[...LATIN_ORDER].map((ch, i) => [ch, i] as const),
  ['ð', LATIN_ORDER.indexOf('đ')], // eth, a frequent mis-encoding of đ
]);

const LETTER_OR_NUMBER_RE = /^[\p{L}\p{N}]$/u;

function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
}

function codesToString(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

/** Encodes the primary (letters, digits, tones) and case levels of `s`. */
function encodeLevels(s: string): { primary: string; caseLevel: string } {
  const out: number[] = [];
  const cases: number[] = [];
  let inWord = false;
  let tones: number[] = [];
  let digits = '';
  /** LATIN_ORDER index of the letter just emitted (so a following vowel mark can amend it), or -1. */
  let lastLatin = -1;

  const flushDigits = (): void => {
    if (digits === '') return;
    let start = 0;
    while (start < digits.length - 1 && digits.charCodeAt(start) === 0x30) start++;
    const significant = digits.slice(start);
    out.push(NUMBER_BASE + Math.min(significant.length, NUMBER_MAX_LENGTH));
    for (let i = 0; i < significant.length; i++) out.push(significant.charCodeAt(i));
    digits = '';
  };
  const startWord = (): void => {
    if (inWord) return;
    if (out.length > 0) out.push(WORD_SEP);
    inWord = true;
  };
  const endWord = (): void => {
    flushDigits();
    if (!inWord) return;
    if (tones.length === 0) out.push(TONE_BASE);
    else for (const t of tones) out.push(TONE_BASE + t);
    tones = [];
    inWord = false;
    lastLatin = -1;
  };

  for (const ch of s.normalize('NFD')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x30 && cp <= 0x39) {
      startWord();
      digits += ch;
      lastLatin = -1;
      continue;
    }
    if (isMark(ch, cp)) {
      if (!inWord) continue;
      const tone = toneOfMark(cp);
      if (tone !== 0) tones.push(tone);
      else if (lastLatin >= 0 && isVowelMark(cp)) {
        const marked = applyVowelMark(LATIN_ORDER[lastLatin] ?? '', cp);
        if (marked !== undefined) {
          lastLatin = LATIN_ORDER.indexOf(marked);
          out[out.length - 1] = LATIN_BASE + lastLatin;
        }
      }
      // Other marks (diaeresis, cedilla, …) are ignored below the last level.
      continue;
    }
    if (isAsciiLetter(cp) || (cp >= 0x80 && LETTER_OR_NUMBER_RE.test(ch))) {
      startWord();
      flushDigits();
      const lower = ch.toLowerCase();
      cases.push(lower === ch ? CASE_LOWER : CASE_UPPER);
      const index = LATIN_INDEX.get(lower);
      if (index !== undefined) {
        out.push(LATIN_BASE + index);
        lastLatin = index;
      } else {
        const lcp = lower.codePointAt(0) ?? cp;
        out.push(OTHER_LETTER, OTHER_BASE + (lcp >> 10), OTHER_BASE + (lcp & 0x3ff));
        lastLatin = -1;
      }
      continue;
    }
    endWord();
  }
  endWord();
  return { primary: codesToString(out), caseLevel: codesToString(cases) };
}

const LEVEL = String.fromCharCode(LEVEL_SEP);

/**
 * Sort key for Vietnamese order: `sortKeyVi(a) < sortKeyVi(b)` exactly when `compareVi(a, b) < 0`.
 * Compute keys once when sorting many strings (see {@link sortVi}).
 */
export function sortKeyVi(s: string): string {
  const { primary, caseLevel } = encodeLevels(s);
  return primary + LEVEL + caseLevel + LEVEL + s.normalize('NFC');
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Comparator for Vietnamese dictionary order (see the module notes). Returns -1, 0 or 1. */
export function compareVi(a: string, b: string): number {
  if (a === b) return 0;
  return compareKeys(sortKeyVi(a), sortKeyVi(b));
}

/**
 * Sort key for personal names: the given name (last word) first, then the family and middle names
 * from the start, then the whole name as in {@link sortKeyVi}.
 */
export function sortKeyViName(fullName: string): string {
  const words = fullName.trim().split(/\s+/u);
  const given = words.pop() ?? '';
  return (
    encodeLevels(given).primary + LEVEL + encodeLevels(words.join(' ')).primary + LEVEL + sortKeyVi(fullName)
  );
}

/**
 * Comparator for Vietnamese personal names: by given name (the last word), then by the rest of the
 * name from the start (family name, middle names): "Trần Văn An" < "Nguyễn Thị Bình" < "Trần Thị Bình".
 */
export function compareViNames(a: string, b: string): number {
  if (a === b) return 0;
  return compareKeys(sortKeyViName(a), sortKeyViName(b));
}

function sortByKey<T>(array: readonly T[], text: (item: T) => string, keyOf: (s: string) => string): T[] {
  const decorated = array.map((item, index) => ({ item, index, key: keyOf(text(item)) }));
  decorated.sort((x, y) => compareKeys(x.key, y.key) || x.index - y.index);
  return decorated.map((d) => d.item);
}

const identity = (s: unknown): string => s as string;

/** Returns a new array sorted in Vietnamese order (stable; each key computed once). */
export function sortVi(array: readonly string[]): string[];
export function sortVi<T>(array: readonly T[], key: (item: T) => string): T[];
export function sortVi<T>(array: readonly T[], key?: (item: T) => string): T[] {
  return sortByKey(array, key ?? identity, sortKeyVi);
}

/** Returns a new array of personal names sorted the Vietnamese way (see {@link compareViNames}). */
export function sortViNames(array: readonly string[]): string[];
export function sortViNames<T>(array: readonly T[], key: (item: T) => string): T[];
export function sortViNames<T>(array: readonly T[], key?: (item: T) => string): T[] {
  return sortByKey(array, key ?? identity, sortKeyViName);
}
