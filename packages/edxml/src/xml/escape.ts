import { EdxmlError } from '../errors.ts';
import { MAYBE_INVALID_CHAR } from './tokenizer.ts';

const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function check(s: string, path?: string): void {
  if (!MAYBE_INVALID_CHAR.test(s)) return;
  const m = INVALID_CHAR.exec(s);
  if (m) {
    const cp = m[0].codePointAt(0) ?? 0;
    throw new EdxmlError('EDXML_INVALID_CHAR', `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, path);
  }
}

/** Escapes element text so that a parser gives back exactly `s` (CR kept as a reference). */
export function escapeText(s: string, path?: string): string {
  check(s, path);
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

/** Escapes a double-quoted attribute value so that a parser gives back exactly `s`. */
export function escapeAttr(s: string, path?: string): string {
  check(s, path);
  if (!/[&<>"\t\n\r]/.test(s)) return s;
  return s.replace(/[&<>"\t\n\r]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '>'
          ? '&gt;'
          : c === '"'
            ? '&quot;'
            : c === '\t'
              ? '&#9;'
              : c === '\n'
                ? '&#10;'
                : '&#13;',
  );
}
