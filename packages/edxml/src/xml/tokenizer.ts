/**
 * A small streaming XML 1.0 + Namespaces tokenizer, written for untrusted edXML traffic.
 *
 * - No DTD: `<!DOCTYPE` anywhere is rejected (EDXML_DOCTYPE_FORBIDDEN), so there is no entity
 *   declaration, no external entity and no entity expansion. Only the five predefined entities and
 *   character references are decoded; any other `&name;` is EDXML_UNDEFINED_ENTITY.
 * - Streaming: text (and CDATA) is delivered in slices of at most TEXT_SLICE characters, so a 50 MB
 *   base64 attachment never becomes one string. Markup (a tag, comment, PI) must fit maxMarkupLength.
 * - Hard limits on depth and element count; the byte limit is the caller's (it sees the bytes).
 * - Two narrow leniencies are delegated to callbacks: stray bytes before the first `<` and prefixes
 *   used without declaration. Without callbacks both are errors.
 *
 * Text and attribute values are reported as the XML Infoset has them: line ends normalised to LF,
 * attribute whitespace normalised, references decoded. Comments are checked and dropped.
 */
import { EdxmlError } from '../errors.ts';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Text and CDATA are reported in slices of at most this many characters. */
export const TEXT_SLICE = 65_536;
/** The longest character or entity reference accepted, `&` and `;` included. */
const MAX_REF = 32;
/** Leading junk is looked at over at most this many characters. */
const JUNK_WINDOW = 64;

export interface XmlName {
  /** '' when unprefixed. */
  prefix: string;
  local: string;
  /** Namespace name; '' for none. */
  uri: string;
  qname: string;
}

export interface XmlAttribute extends XmlName {
  value: string;
}

export interface StartTag {
  name: XmlName;
  /** Attributes other than namespace declarations, in document order. */
  attributes: XmlAttribute[];
  /** Namespace declarations on this element: prefix ('' for the default) → URI ('' undeclares). */
  declarations: ReadonlyMap<string, string>;
  /** In-scope namespaces (declared ones only): prefix ('' for the default) → URI. */
  scope: ReadonlyMap<string, string>;
  /** Character offset of the `<` in the input. */
  offset: number;
  /** 1 for the root element. */
  depth: number;
  selfClosing: boolean;
}

export interface XmlHandler {
  startElement(tag: StartTag): void;
  /** `offset` is the `<` of the end tag (of the start tag for an empty-element tag). */
  endElement(tag: StartTag, offset: number): void;
  /** Character data inside the root element, possibly in several slices. */
  text(chunk: string): void;
  /** A processing instruction; `where` tells prolog, content or epilog. */
  processingInstruction?(target: string, data: string, where: 'prolog' | 'content' | 'epilog'): void;
}

export interface TokenizerLimits {
  maxDepth: number;
  maxElements: number;
  /** Longest start tag, end tag, comment, PI or XML declaration, in characters. */
  maxMarkupLength: number;
  maxAttributes: number;
}

export interface TokenizerOptions {
  limits: TokenizerLimits;
  /** Characters before the first `<` that XML does not allow: return true to skip them. */
  onLeadingJunk?: (junk: string) => boolean;
  /** A prefix used without declaration: return a namespace URI to bind it for the whole document. */
  onUndeclaredPrefix?: (prefix: string) => string | undefined;
}

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
/** A QName at the current position (sticky). */
const QNAME_AT = new RegExp(`${NCNAME}(?::${NCNAME})?`, 'uy');
const NCNAME_FULL = new RegExp(`^${NCNAME}$`, 'u');
const NAME_FULL = new RegExp(`^[:${NAME_START}][:${NAME_CHAR}]*$`, 'u');
/** Any character outside the XML 1.0 Char production (lone surrogates included). */
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/**
 * Code units that may belong to a character outside XML 1.0 Char: controls, any surrogate (paired
 * ones are fine), U+FFFE, U+FFFF. A superset of INVALID_CHAR without the /u flag, so it is matched
 * two to five times faster; only strings it finds something in are looked at with INVALID_CHAR.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for the control characters XML forbids
export const MAYBE_INVALID_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;
const XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>$/;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isAllWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWs(s.charCodeAt(i))) return false;
  return true;
}

function nwf(detail: string, offset?: number): EdxmlError {
  return new EdxmlError(
    'EDXML_NOT_WELL_FORMED',
    offset === undefined ? detail : `${detail} (offset ${offset})`,
  );
}

function checkChars(s: string, offset: number): void {
  if (!MAYBE_INVALID_CHAR.test(s)) return;
  const m = INVALID_CHAR.exec(s);
  if (m) {
    const cp = m[0].codePointAt(0) ?? 0;
    throw new EdxmlError(
      'EDXML_INVALID_CHAR',
      `U+${cp.toString(16).toUpperCase().padStart(4, '0')} (offset ${offset + m.index})`,
    );
  }
}

function normalizeNewlines(s: string): string {
  return s.indexOf('\r') === -1 ? s : s.replace(/\r\n?/g, '\n');
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function resolveReference(name: string, offset: number): string {
  const pre = PREDEFINED[name];
  if (pre !== undefined) return pre;
  if (name.charCodeAt(0) === 0x23) {
    const hex = name.charCodeAt(1) === 0x78;
    const digits = name.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits))
      throw nwf(`bad character reference &${name};`, offset);
    const cp = Number.parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(cp)) throw new EdxmlError('EDXML_INVALID_CHAR', `&${name}; (offset ${offset})`);
    return String.fromCodePoint(cp);
  }
  if (NAME_FULL.test(name)) throw new EdxmlError('EDXML_UNDEFINED_ENTITY', `&${name}; (offset ${offset})`);
  throw nwf('bare & (escape it as &amp;)', offset);
}

/** Decodes the predefined entities and character references; everything else is an error. */
export function decodeReferences(s: string, offset: number): string {
  let a = s.indexOf('&');
  if (a === -1) return s;
  let out = '';
  let i = 0;
  while (a !== -1) {
    out += s.slice(i, a);
    const semi = s.indexOf(';', a + 1);
    if (semi === -1 || semi - a >= MAX_REF) throw nwf('bare & or unterminated reference', offset + a);
    out += resolveReference(s.slice(a + 1, semi), offset + a);
    i = semi + 1;
    a = s.indexOf('&', i);
  }
  return out + s.slice(i);
}

interface Frame {
  tag: StartTag;
}

type Phase = 'start' | 'prolog' | 'content' | 'cdata' | 'epilog';

const EMPTY_SCOPE: ReadonlyMap<string, string> = new Map();

export class XmlTokenizer {
  private buf = '';
  private pos = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private final = false;
  private phase: Phase = 'start';
  private readonly stack: Frame[] = [];
  private elements = 0;
  /** Markup that needed more input: wait until the pending text has at least this length. */
  private retryAt = 0;
  private readonly bound = new Map<string, string>();

  constructor(
    private readonly handler: XmlHandler,
    private readonly options: TokenizerOptions,
  ) {}

  /** Feeds decoded text. */
  write(chunk: string): void {
    if (this.final) throw new Error('write after end');
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos) + chunk;
    }
    this.pos = 0;
    if (this.buf.length < this.retryAt) return;
    this.run();
  }

  /** Processes all buffered input now (no waiting for more), e.g. before reporting an input error. */
  flush(): void {
    if (!this.final) this.run();
  }

  end(): void {
    this.final = true;
    this.run();
    if (this.phase === 'start' || this.phase === 'prolog') throw nwf('no root element');
    if (this.phase !== 'epilog')
      throw nwf('unexpected end of input: elements not closed', this.base + this.pos);
  }

  private run(): void {
    this.retryAt = 0;
    while (this.pos < this.buf.length) {
      let progressed: boolean;
      switch (this.phase) {
        case 'start':
          progressed = this.stepStart();
          break;
        case 'prolog':
        case 'epilog':
          progressed = this.stepMisc();
          break;
        case 'content':
          progressed = this.buf.charCodeAt(this.pos) === LT ? this.stepMarkup() : this.stepText();
          break;
        case 'cdata':
          progressed = this.stepCdata();
          break;
      }
      if (!progressed) break;
    }
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = '';
      this.pos = 0;
    }
  }

  /** Called when markup starting at `start` is incomplete: wait, or fail at end or over the limit. */
  private needMore(start: number, what: string): false {
    if (this.final) throw nwf(`unexpected end of input in ${what}`, this.base + start);
    const pending = this.buf.length - start;
    if (pending > this.options.limits.maxMarkupLength)
      throw new EdxmlError(
        'EDXML_MARKUP_TOO_LONG',
        `${what} longer than ${this.options.limits.maxMarkupLength}`,
      );
    // Grow geometrically before trying again, so tiny writes do not re-scan long markup each time.
    this.retryAt = Math.max(pending * 2, pending + 1024);
    if (start > this.pos) this.pos = start;
    return false;
  }

  private startsWith(s: string, at = this.pos): boolean {
    return this.buf.startsWith(s, at);
  }

  private stepStart(): boolean {
    const b = this.buf;
    if (this.base + this.pos === 0 && b.charCodeAt(0) === 0xfeff) this.pos = 1;
    const p = this.pos;
    if (p >= b.length) return false;
    const lt = b.indexOf('<', p);
    if (lt === -1) {
      const rest = b.slice(p);
      if (!this.final && (isAllWs(rest) || rest.length <= JUNK_WINDOW)) return false;
      if (isAllWs(rest)) throw nwf('no root element');
      throw new EdxmlError('EDXML_LEADING_JUNK', `no markup in the first ${JUNK_WINDOW} characters`);
    }
    if (!this.final && b.length - lt < 6) return false;
    const declFollows = /^<\?xml[ \t\r\n?]/.test(b.slice(lt, lt + 6));
    if (lt > p) {
      const junk = b.slice(p, lt);
      if (!(isAllWs(junk) && !declFollows)) {
        if (!this.options.onLeadingJunk?.(junk))
          throw new EdxmlError(
            'EDXML_LEADING_JUNK',
            `${JSON.stringify(junk.slice(0, 32))} before the first <`,
          );
      }
      this.pos = lt;
    }
    if (declFollows) {
      const close = b.indexOf('?>', lt);
      if (close === -1) return this.needMore(lt, 'the XML declaration');
      const decl = b.slice(lt, close + 2);
      const m = XML_DECL.exec(decl);
      if (!m) throw nwf('malformed XML declaration', this.base + lt);
      const enc = m[3];
      if (enc !== undefined && !/^utf-?8$/i.test(enc))
        throw new EdxmlError('EDXML_UNSUPPORTED_ENCODING', enc);
      this.pos = close + 2;
    }
    this.phase = 'prolog';
    return true;
  }

  private stepMisc(): boolean {
    const b = this.buf;
    let p = this.pos;
    while (p < b.length && isWs(b.charCodeAt(p))) p++;
    this.pos = p;
    if (p >= b.length) return false;
    if (b.charCodeAt(p) !== LT)
      throw nwf(
        this.phase === 'prolog' ? 'text before the root element' : 'text after the root element',
        this.base + p,
      );
    if (!this.final && b.length - p < 9) return this.needMore(p, 'markup');
    if (this.startsWith('<!--')) return this.stepComment();
    if (this.startsWith('<?')) return this.stepPi();
    if (this.startsWith('<!DOCTYPE'))
      throw new EdxmlError('EDXML_DOCTYPE_FORBIDDEN', `offset ${this.base + p}`);
    if (this.startsWith('<!') || this.startsWith('</'))
      throw nwf('unexpected markup outside the root', this.base + p);
    if (this.phase === 'epilog') throw nwf('content after the root element', this.base + p);
    return this.stepStartTag();
  }

  private stepMarkup(): boolean {
    const p = this.pos;
    if (!this.final && this.buf.length - p < 9) return this.needMore(p, 'markup');
    const c = this.buf.charCodeAt(p + 1);
    if (c === SLASH) return this.stepEndTag();
    if (c === 0x21) {
      if (this.startsWith('<!--')) return this.stepComment();
      if (this.startsWith('<![CDATA[')) {
        this.pos = p + 9;
        this.phase = 'cdata';
        return true;
      }
      if (this.startsWith('<!DOCTYPE'))
        throw new EdxmlError('EDXML_DOCTYPE_FORBIDDEN', `offset ${this.base + p}`);
      throw nwf('markup declarations are not allowed', this.base + p);
    }
    if (c === 0x3f) return this.stepPi();
    return this.stepStartTag();
  }

  private stepComment(): boolean {
    const b = this.buf;
    const p = this.pos;
    const close = b.indexOf('-->', p + 4);
    if (close === -1) return this.needMore(p, 'a comment');
    if (close + 3 - p > this.options.limits.maxMarkupLength)
      throw new EdxmlError('EDXML_MARKUP_TOO_LONG', 'comment');
    const body = b.slice(p + 4, close);
    if (body.includes('--') || body.endsWith('-')) throw nwf('"--" inside a comment', this.base + p);
    checkChars(body, this.base + p + 4);
    this.pos = close + 3;
    return true;
  }

  private stepPi(): boolean {
    const b = this.buf;
    const p = this.pos;
    const close = b.indexOf('?>', p + 2);
    if (close === -1) return this.needMore(p, 'a processing instruction');
    if (close + 2 - p > this.options.limits.maxMarkupLength)
      throw new EdxmlError('EDXML_MARKUP_TOO_LONG', 'processing instruction');
    const body = b.slice(p + 2, close);
    const m = /^([^ \t\r\n]+)(?:[ \t\r\n]+([\s\S]*))?$/.exec(body);
    const target = m?.[1] ?? '';
    if (!m || !NCNAME_FULL.test(target)) throw nwf('bad processing instruction target', this.base + p);
    if (target.toLowerCase() === 'xml')
      throw nwf('XML declaration not at the start of the document', this.base + p);
    const data = m[2] ?? '';
    checkChars(data, this.base + p);
    this.pos = close + 2;
    const where = this.phase === 'prolog' ? 'prolog' : this.phase === 'epilog' ? 'epilog' : 'content';
    this.handler.processingInstruction?.(target, normalizeNewlines(data), where);
    return true;
  }

  private stepText(): boolean {
    const b = this.buf;
    const p = this.pos;
    const limit = Math.min(b.length, p + TEXT_SLICE);
    const rel = b.slice(p, limit).indexOf('<');
    let end: number;
    if (rel !== -1) {
      end = p + rel;
    } else {
      if (this.final && limit === b.length) throw nwf('unexpected end of input in text', this.base + p);
      end = this.holdBack(p, limit, true);
      if (end <= p) return this.needMore(p, 'text');
    }
    this.emitText(b.slice(p, end), p);
    this.pos = end;
    return true;
  }

  /** End of a text slice cut before `limit`: keep back what could join with what follows. */
  private holdBack(p: number, limit: number, references: boolean): number {
    const b = this.buf;
    let end = limit;
    if (references) {
      // An unterminated reference near the end may be completed by the next input.
      const from = Math.max(p, end - MAX_REF + 1);
      const tail = b.slice(from, end);
      const amp = tail.lastIndexOf('&');
      if (amp !== -1 && tail.indexOf(';', amp) === -1) end = from + amp;
    }
    // "]]>" split across slices (two "]"), CR LF split, a surrogate pair split: at most 3 characters.
    for (let k = 0; k < 3 && end > p; k++) {
      const c = b.charCodeAt(end - 1);
      if (c === 0x5d || c === 0x0d || (c >= 0xd800 && c <= 0xdbff)) end--;
      else break;
    }
    return end;
  }

  private emitText(raw: string, p: number): void {
    if (raw.length === 0) return;
    const off = this.base + p;
    if (raw.includes(']]>')) throw nwf('"]]>" in text', off + raw.indexOf(']]>'));
    checkChars(raw, off);
    const text = decodeReferences(normalizeNewlines(raw), off);
    if (text.length) this.handler.text(text);
  }

  private stepCdata(): boolean {
    const b = this.buf;
    const p = this.pos;
    const limit = Math.min(b.length, p + TEXT_SLICE);
    const rel = b.slice(p, Math.min(b.length, limit + 2)).indexOf(']]>');
    let end: number;
    let done = false;
    if (rel !== -1 && p + rel <= limit) {
      end = p + rel;
      done = true;
    } else {
      if (this.final && limit === b.length) throw nwf('unterminated CDATA section', this.base + p);
      end = this.holdBack(p, limit, false);
      if (end <= p) return this.needMore(p, 'a CDATA section');
    }
    const raw = b.slice(p, end);
    checkChars(raw, this.base + p);
    const text = normalizeNewlines(raw);
    if (text.length) this.handler.text(text);
    if (done) {
      this.pos = end + 3;
      this.phase = 'content';
    } else {
      this.pos = end;
    }
    return true;
  }

  /** A name matched up to `i` may continue after the end of the buffer ("p:" then "local"). */
  private cutName(i: number): boolean {
    return !this.final && i + 1 >= this.buf.length && this.buf.charCodeAt(i) === 0x3a;
  }

  private stepStartTag(): boolean {
    const b = this.buf;
    const start = this.pos;
    const len = b.length;
    let i = start + 1;
    QNAME_AT.lastIndex = i;
    const m = QNAME_AT.exec(b);
    if (!m) {
      if (i >= len) return this.needMore(start, 'a start tag');
      throw nwf('bad element name', this.base + i);
    }
    const qname = m[0];
    i += qname.length;
    if (this.cutName(i)) return this.needMore(start, 'a start tag');
    const raw: Array<[string, string]> = [];
    let selfClosing = false;
    for (;;) {
      if (i >= len) return this.needMore(start, 'a start tag');
      let ws = false;
      while (i < len && isWs(b.charCodeAt(i))) {
        i++;
        ws = true;
      }
      if (i >= len) return this.needMore(start, 'a start tag');
      const c = b.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (i + 1 >= len) return this.needMore(start, 'a start tag');
        if (b.charCodeAt(i + 1) !== GT) throw nwf('"/" not followed by ">"', this.base + i);
        i += 2;
        selfClosing = true;
        break;
      }
      if (!ws) throw nwf('missing whitespace before an attribute', this.base + i);
      QNAME_AT.lastIndex = i;
      const am = QNAME_AT.exec(b);
      if (!am) throw nwf('bad attribute name', this.base + i);
      i += am[0].length;
      if (this.cutName(i)) return this.needMore(start, 'a start tag');
      while (i < len && isWs(b.charCodeAt(i))) i++;
      if (i >= len) return this.needMore(start, 'a start tag');
      if (b.charCodeAt(i) !== EQ) throw nwf(`attribute ${am[0]} without a value`, this.base + i);
      i++;
      while (i < len && isWs(b.charCodeAt(i))) i++;
      if (i >= len) return this.needMore(start, 'a start tag');
      const q = b.charCodeAt(i);
      if (q !== DQ && q !== SQ) throw nwf('attribute value not quoted', this.base + i);
      const close = b.indexOf(q === DQ ? '"' : "'", i + 1);
      if (close === -1) return this.needMore(start, 'a start tag');
      if (raw.length >= this.options.limits.maxAttributes)
        throw new EdxmlError(
          'EDXML_MARKUP_TOO_LONG',
          `more than ${this.options.limits.maxAttributes} attributes`,
        );
      raw.push([am[0], this.attributeValue(b.slice(i + 1, close), i + 1)]);
      i = close + 1;
    }
    if (i - start > this.options.limits.maxMarkupLength)
      throw new EdxmlError('EDXML_MARKUP_TOO_LONG', `start tag of ${qname}`);
    this.pos = i;
    this.openElement(qname, raw, start, selfClosing);
    return true;
  }

  private attributeValue(raw: string, p: number): string {
    const off = this.base + p;
    const lt = raw.indexOf('<');
    if (lt !== -1) throw nwf('"<" in an attribute value', off + lt);
    checkChars(raw, off);
    const spaced = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw;
    return decodeReferences(spaced, off);
  }

  private resolve(prefix: string, scope: ReadonlyMap<string, string>, offset: number): string {
    if (prefix === 'xml') return XML_NS;
    const uri = scope.get(prefix) ?? this.bound.get(prefix);
    if (uri !== undefined && uri !== '') return uri;
    const lenient = this.options.onUndeclaredPrefix?.(prefix);
    if (lenient === undefined) throw nwf(`undeclared namespace prefix "${prefix}"`, offset);
    this.bound.set(prefix, lenient);
    return lenient;
  }

  private openElement(
    qname: string,
    raw: Array<[string, string]>,
    offset: number,
    selfClosing: boolean,
  ): void {
    const parent = this.stack[this.stack.length - 1];
    const depth = this.stack.length + 1;
    if (depth > this.options.limits.maxDepth)
      throw new EdxmlError('EDXML_TOO_DEEP', `more than ${this.options.limits.maxDepth} levels`);
    if (++this.elements > this.options.limits.maxElements)
      throw new EdxmlError('EDXML_TOO_MANY_ELEMENTS', `more than ${this.options.limits.maxElements}`);
    const off = this.base + offset;
    const seen = new Set<string>();
    const decls = new Map<string, string>();
    const plain: Array<[string, string]> = [];
    for (const [name, value] of raw) {
      if (seen.has(name)) throw nwf(`attribute ${name} repeated`, off);
      seen.add(name);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        const prefix = name === 'xmlns' ? '' : name.slice(6);
        if (prefix === 'xmlns' || value === XMLNS_NS)
          throw nwf('the xmlns prefix and namespace are reserved', off);
        if (prefix === 'xml' ? value !== XML_NS : value === XML_NS)
          throw nwf('the xml prefix is bound to the XML namespace only', off);
        if (prefix !== '' && value === '') throw nwf(`prefix ${prefix} bound to the empty namespace`, off);
        decls.set(prefix, value);
      } else {
        plain.push([name, value]);
      }
    }
    const parentScope = parent?.tag.scope ?? EMPTY_SCOPE;
    let scope = parentScope;
    if (decls.size) {
      const s = new Map(parentScope);
      for (const [k, v] of decls) if (k !== 'xml') s.set(k, v);
      scope = s;
    }
    const name = this.qualify(qname, scope, off, true);
    const attributes: XmlAttribute[] = [];
    const expanded = new Set<string>();
    for (const [an, value] of plain) {
      const a = this.qualify(an, scope, off, false) as XmlAttribute;
      a.value = value;
      const key = `${a.uri}\u0000${a.local}`;
      if (expanded.has(key)) throw nwf(`attribute {${a.uri}}${a.local} repeated`, off);
      expanded.add(key);
      attributes.push(a);
    }
    const tag: StartTag = { name, attributes, declarations: decls, scope, offset: off, depth, selfClosing };
    if (depth === 1) this.phase = 'content';
    this.handler.startElement(tag);
    if (selfClosing) {
      this.handler.endElement(tag, off);
      if (depth === 1) this.phase = 'epilog';
    } else {
      this.stack.push({ tag });
    }
  }

  private qualify(
    qname: string,
    scope: ReadonlyMap<string, string>,
    offset: number,
    element: boolean,
  ): XmlName {
    const colon = qname.indexOf(':');
    if (colon === -1) {
      return { prefix: '', local: qname, uri: element ? (scope.get('') ?? '') : '', qname };
    }
    const prefix = qname.slice(0, colon);
    if (prefix === 'xmlns') throw nwf('the xmlns prefix cannot name an element', offset);
    return { prefix, local: qname.slice(colon + 1), uri: this.resolve(prefix, scope, offset), qname };
  }

  private stepEndTag(): boolean {
    const b = this.buf;
    const start = this.pos;
    let i = start + 2;
    QNAME_AT.lastIndex = i;
    const m = QNAME_AT.exec(b);
    if (!m) {
      if (i >= b.length) return this.needMore(start, 'an end tag');
      throw nwf('bad end tag', this.base + start);
    }
    i += m[0].length;
    if (this.cutName(i)) return this.needMore(start, 'an end tag');
    while (i < b.length && isWs(b.charCodeAt(i))) i++;
    if (i >= b.length) return this.needMore(start, 'an end tag');
    if (b.charCodeAt(i) !== GT) throw nwf('bad end tag', this.base + start);
    if (i + 1 - start > this.options.limits.maxMarkupLength)
      throw new EdxmlError('EDXML_MARKUP_TOO_LONG', 'end tag');
    const frame = this.stack.pop();
    if (!frame || frame.tag.name.qname !== m[0])
      throw nwf(`end tag </${m[0]}> does not match <${frame?.tag.name.qname ?? ''}>`, this.base + start);
    this.pos = i + 1;
    this.handler.endElement(frame.tag, this.base + start);
    if (this.stack.length === 0) this.phase = 'epilog';
    return true;
  }
}
