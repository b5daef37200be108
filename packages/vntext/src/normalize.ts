import type { Tone } from './chars.ts';
import {
  applyVowelMark,
  isVowelMark,
  TONE_MARKS,
  toneOfMark,
  VI_ALPHABET,
  VI_MARKED_VOWELS,
  VI_VOWELS,
} from './chars.ts';

/**
 * Tone-mark placement style for the syllables that are spelled two ways (oa, oe, uy with no final consonant).
 *
 * - `'old'` (traditional, the default): mark on the first vowel — hòa, khỏe, thúy, ủy ban.
 *   This is what Vietnamese government documents overwhelmingly use (e.g. "Ủy ban nhân dân",
 *   "Hòa Bình") and what most Vietnamese keyboards produce by default.
 * - `'new'` (the 1980s Ministry of Education rule): mark on the second vowel — hoà, khoẻ, thuý, uỷ ban.
 */
export type ToneStyle = 'old' | 'new';

/**
 * Unicode NFC normalisation. Turns decomposed text (macOS file names, some TCVN3/VNI → Unicode
 * converters, deprecated U+0340/U+0341 tone marks) into the precomposed form used everywhere else.
 */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

/**
 * Moves tone marks to their canonical position, word by word, so that `hoà` and `hòa`
 * (`thuý`/`thúy`, `khoẻ`/`khỏe`, `uỷ`/`ủy`, also misplaced marks such as `qúy`, `gìa`) become the same string.
 *
 * The result is NFC. Case is kept letter by letter, punctuation and spacing are untouched, and
 * anything that is not a well-formed Vietnamese syllable (foreign words, abbreviations, words with
 * more than one tone mark or non-Vietnamese diacritics) is left as it is (NFC only).
 */
export function normalizeToneMarks(s: string, style: ToneStyle = 'old'): string {
  return nfc(s).replace(WORD_RE, (word) => normalizeWord(word, style));
}

const WORD_RE = /[\p{L}\p{M}]+/gu;

const LETTERS: ReadonlySet<string> = new Set(VI_ALPHABET);

const ONSETS: ReadonlySet<string> = new Set([
  '',
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gh',
  'gi',
  'h',
  'k',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'ngh',
  'nh',
  'p',
  'ph',
  'qu',
  'r',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
]);

/** Vowel clusters (main vowel with its glides), without tone. */
const NUCLEI: ReadonlySet<string> = new Set(
  [
    'a ă â e ê i o ô ơ u ư y',
    'ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê',
    'iêu yêu oai oao oay oeo uây uêu uôi uya uyê uyu ươi ươu',
  ]
    .join(' ')
    .split(' '),
);

/** Final consonants; `k` is accepted for Central Highlands names (Đắk Lắk). */
const CODAS: ReadonlySet<string> = new Set(['', 'c', 'ch', 'k', 'm', 'n', 'ng', 'nh', 'p', 't']);

/** The clusters whose mark position depends on the style when there is no final consonant. */
const STYLE_DEPENDENT: ReadonlySet<string> = new Set(['oa', 'oe', 'uy']);

interface Unit {
  /** Lowercase letter without tone mark (one UTF-16 unit). */
  ch: string;
  tone: Tone;
  upper: boolean;
}

function toUnits(word: string): Unit[] | undefined {
  const units: Unit[] = [];
  let cur: Unit | undefined;
  for (const c of word.normalize('NFD')) {
    const cp = c.codePointAt(0) ?? 0;
    const tone = toneOfMark(cp);
    if (tone !== 0) {
      if (cur === undefined || cur.tone !== 0) return undefined;
      cur.tone = tone;
      continue;
    }
    if (isVowelMark(cp)) {
      const marked = cur === undefined ? undefined : applyVowelMark(cur.ch, cp);
      if (cur === undefined || marked === undefined) return undefined;
      cur.ch = marked;
      continue;
    }
    const lower = c.toLowerCase();
    if (!LETTERS.has(lower)) return undefined;
    cur = { ch: lower, tone: 0, upper: lower !== c };
    units.push(cur);
  }
  return units;
}

/** Index (in the toneless lowercase spelling) of the letter that carries the tone, or -1 if not Vietnamese. */
function tonePosition(letters: string, style: ToneStyle): number {
  let i = 0;
  while (i < letters.length && !VI_VOWELS.has(letters[i] ?? '')) i++;
  let onset = letters.slice(0, i);
  if (onset === 'q' && letters[i] === 'u') {
    onset = 'qu';
    i++;
  } else if (onset === 'g' && letters[i] === 'i' && VI_VOWELS.has(letters[i + 1] ?? '')) {
    // "gi" + vowel: the i belongs to the onset (già, giữ); alone it is the vowel (gì, gìn).
    onset = 'gi';
    i++;
  }
  if (!ONSETS.has(onset)) return -1;
  let j = i;
  while (j < letters.length && VI_VOWELS.has(letters[j] ?? '')) j++;
  const nucleus = letters.slice(i, j);
  const coda = letters.slice(j);
  if (!NUCLEI.has(nucleus) || !CODAS.has(coda)) return -1;
  return i + nucleusTonePosition(nucleus, coda !== '', style);
}

function nucleusTonePosition(nucleus: string, hasCoda: boolean, style: ToneStyle): number {
  if (nucleus.length === 1) return 0;
  // A vowel with a vowel mark takes the tone; in ươ it is the ơ (người, thuở, tuần, thuyền).
  let marked = -1;
  for (let k = 0; k < nucleus.length; k++) if (VI_MARKED_VOWELS.has(nucleus[k] ?? '')) marked = k;
  if (marked >= 0) return marked;
  // With a final consonant the last vowel takes it (hoàng, toán, huỳnh, soóc).
  if (hasCoda) return nucleus.length - 1;
  // Three vowels: the middle one (ngoài, xoáy, khuỷu, ngoẹo).
  if (nucleus.length === 3) return 1;
  // oa / oe / uy: the only clusters spelled two ways.
  if (STYLE_DEPENDENT.has(nucleus)) return style === 'new' ? 1 : 0;
  // Other falling diphthongs: the first vowel (mái, mía, múa, cối).
  return 0;
}

function normalizeWord(word: string, style: ToneStyle): string {
  const units = toUnits(word);
  if (units === undefined) return word;
  let tone: Tone = 0;
  for (const u of units) {
    if (u.tone === 0) continue;
    if (tone !== 0) return word;
    tone = u.tone;
  }
  if (tone === 0) return word;
  const pos = tonePosition(units.map((u) => u.ch).join(''), style);
  if (pos < 0) return word;
  let out = '';
  for (let k = 0; k < units.length; k++) {
    const u = units[k] as Unit;
    const ch = k === pos ? (u.ch + TONE_MARKS[tone]).normalize('NFC') : u.ch;
    out += u.upper ? ch.toUpperCase() : ch;
  }
  return out;
}
