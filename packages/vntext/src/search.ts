const NONSPACING_MARKS_RE = /\p{Mn}/gu;
/** Soft hyphen and zero-width characters that sneak in from word processors. */
const INVISIBLE_RE = /[\u00ad\u200b-\u200d\u2060]/g;
/** đ, and ð (U+00F0), the eth that old converters often produce instead of đ. */
const D_STROKE_RE = /[đð]/g;
const WHITESPACE_RE = /\s+/g;
const NON_WORD_RE = /[^\p{L}\p{N}]+/u;

/**
 * Key for diacritic- and case-insensitive search: NFC → lowercase → strip every diacritic
 * (tone marks and the vowel marks of ă â ê ô ơ ư) → đ → d → collapse whitespace → trim.
 * Soft hyphens and zero-width characters are dropped. Punctuation is kept.
 *
 * `searchKey('Ủy ban Nhân dân tỉnh Đắk Lắk') === 'uy ban nhan dan tinh dak lak'`
 */
export function searchKey(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .normalize('NFD')
    .replace(NONSPACING_MARKS_RE, '')
    .replace(D_STROKE_RE, 'd')
    .replace(INVISIBLE_RE, '')
    .replace(WHITESPACE_RE, ' ')
    .trim();
}

/** The words of `searchKey(s)`: runs of letters and digits; punctuation and spaces separate words. */
export function tokens(s: string): string[] {
  return searchKey(s)
    .split(NON_WORD_RE)
    .filter((t) => t.length > 0);
}

/**
 * Compiles a query once for filtering many strings (see {@link matchesSearch} for the rules).
 */
export function compileSearch(query: string): (haystack: string) => boolean {
  const wanted = tokens(query);
  if (wanted.length === 0) return () => true;
  return (haystack) => {
    const words = tokens(haystack);
    const joined = words.join('');
    const starts: number[] = [];
    let at = 0;
    for (const w of words) {
      starts.push(at);
      at += w.length;
    }
    return wanted.every((q) => starts.some((s) => joined.startsWith(q, s)));
  };
}

/**
 * Diacritic- and case-insensitive word-prefix search.
 *
 * Every query word must be a prefix of some word of the haystack, in any order
 * (`'van an'` matches "Nguyễn Văn An"; `'an'` does not match "Lan"). A query word may also run on
 * across the following haystack words, for queries typed without spaces (`'hanoi'` matches "Hà Nội").
 * An empty (or punctuation-only) query matches everything.
 */
export function matchesSearch(haystack: string, query: string): boolean {
  return compileSearch(query)(haystack);
}
