/**
 * Character tables shared by the normaliser, the search helpers and the collator.
 * Everything works on NFD (decomposed) text: a Vietnamese letter is a base letter,
 * at most one vowel mark (breve, circumflex, horn) and at most one tone mark.
 */

/** Tones in traditional dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng. */
export type Tone = 0 | 1 | 2 | 3 | 4 | 5;

/** Combining tone mark for each tone (index = Tone); '' for ngang (no mark). */
export const TONE_MARKS: readonly string[] = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];

/** The tone a combining mark stands for, or 0 when it is not a tone mark. */
export function toneOfMark(cp: number): Tone {
  switch (cp) {
    case 0x0300: // grave: huyền
      return 1;
    case 0x0309: // hook above: hỏi
      return 2;
    case 0x0303: // tilde: ngã
      return 3;
    case 0x0301: // acute: sắc
      return 4;
    case 0x0323: // dot below: nặng
      return 5;
    default:
      return 0;
  }
}

const BREVE = 0x0306;
const CIRCUMFLEX = 0x0302;
const HORN = 0x031b;

/** True for the three vowel (letter-forming) marks: breve, circumflex, horn. */
export function isVowelMark(cp: number): boolean {
  return cp === BREVE || cp === CIRCUMFLEX || cp === HORN;
}

/**
 * The Vietnamese letter formed by a lowercase base letter plus a vowel mark
 * (a+breve → ă, a/e/o+circumflex → â/ê/ô, o/u+horn → ơ/ư), or undefined.
 */
export function applyVowelMark(base: string, cp: number): string | undefined {
  if (cp === BREVE) return base === 'a' ? 'ă' : undefined;
  if (cp === CIRCUMFLEX) {
    if (base === 'a') return 'â';
    if (base === 'e') return 'ê';
    if (base === 'o') return 'ô';
    return undefined;
  }
  if (cp === HORN) {
    if (base === 'o') return 'ơ';
    if (base === 'u') return 'ư';
  }
  return undefined;
}

/** True for combining marks (fast path for the Combining Diacritical Marks block). */
const MARK_RE = /^\p{M}$/u;
export function isMark(ch: string, cp: number): boolean {
  if (cp < 0x0300) return false;
  if (cp <= 0x036f) return true;
  return MARK_RE.test(ch);
}

/** The 29 letters of the Vietnamese alphabet, lowercase, in alphabet order. */
export const VI_ALPHABET = 'aăâbcdđeêghiklmnoôơpqrstuưvxy';

/** Vowel letters (without tone). */
export const VI_VOWELS: ReadonlySet<string> = new Set('aăâeêioôơuưy');

/** Vowel letters that carry a vowel mark. */
export const VI_MARKED_VOWELS: ReadonlySet<string> = new Set('ăâêôơư');
