/**
 * A small PDF object model, tokenizer and serializer (ISO 32000-1 §7.2–7.3): enough to read the
 * structure of an existing file and to write the objects of an incremental update. Pure: bytes in,
 * bytes out.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A string as its raw bytes; `hex` remembers how it was written (it is re-written as hex). */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
}

export class PdfDict {
  readonly map = new Map<string, PdfObject>();
  constructor(entries?: Record<string, PdfObject | undefined>) {
    if (entries) for (const [k, v] of Object.entries(entries)) if (v !== undefined) this.map.set(k, v);
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream data as stored in the file (still encoded). */
    readonly data: Uint8Array,
  ) {}
}

/** Written verbatim (used for fixed-size placeholders). */
export class PdfRaw {
  constructor(readonly text: string) {}
}

export type PdfObject =
  | null
  | boolean
  | number
  | PdfName
  | PdfRef
  | PdfString
  | PdfDict
  | PdfStream
  | PdfRaw
  | PdfObject[];

export class PdfSyntaxError extends Error {}

/** Bytes → a string with one char per byte (latin1), for regex searches over the file. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  }
  return out;
}

export function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  for (
    let i = hay.indexOf(first, from);
    i >= 0 && i + needle.length <= hay.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export function isWhite(b: number | undefined): boolean {
  return b !== undefined && WHITESPACE.has(b);
}

function isRegular(b: number | undefined): boolean {
  return b !== undefined && !WHITESPACE.has(b) && !DELIMITERS.has(b);
}

/** Parses PDF objects from `bytes` starting at `pos`. */
export class PdfParser {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  skipWhite(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The next regular token (keyword or number) without consuming it, or null. */
  peekKeyword(): string | null {
    this.skipWhite();
    let end = this.pos;
    while (isRegular(this.bytes[end])) end++;
    return end > this.pos ? latin1(this.bytes, this.pos, end) : null;
  }

  readKeyword(): string {
    const k = this.peekKeyword();
    if (k === null) throw new PdfSyntaxError(`expected a keyword at ${this.pos}`);
    this.pos += k.length;
    return k;
  }

  expectKeyword(word: string): void {
    const k = this.readKeyword();
    if (k !== word) throw new PdfSyntaxError(`expected '${word}' at ${this.pos - k.length}, found '${k}'`);
  }

  /** Reads one object; `N G R` becomes a reference. A dict followed by `stream` becomes a stream. */
  readObject(resolveLength?: (ref: PdfRef) => number | undefined): PdfObject {
    this.skipWhite();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new PdfSyntaxError('unexpected end of data');
    if (c === 0x2f) return this.readName();
    if (c === 0x28) return this.readLiteralString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) {
        const dict = this.readDict(resolveLength);
        const save = this.pos;
        if (this.peekKeyword() === 'stream') return this.readStreamBody(dict, resolveLength);
        this.pos = save;
        return dict;
      }
      return this.readHexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfObject[] = [];
      for (;;) {
        this.skipWhite();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        if (this.pos >= b.length) throw new PdfSyntaxError('unterminated array');
        arr.push(this.readObject(resolveLength));
      }
    }
    const word = this.readKeyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      const n = Number(word);
      if (/^\d+$/.test(word)) {
        // `N G R`?
        const save = this.pos;
        const g = this.peekKeyword();
        if (g !== null && /^\d+$/.test(g)) {
          this.pos += g.length;
          if (this.peekKeyword() === 'R') {
            this.pos += 1;
            return new PdfRef(n, Number(g));
          }
        }
        this.pos = save;
      }
      return n;
    }
    throw new PdfSyntaxError(`unexpected token '${word}' at ${this.pos - word.length}`);
  }

  private readName(): PdfName {
    const b = this.bytes;
    this.pos++;
    let name = '';
    while (isRegular(b[this.pos])) {
      const ch = b[this.pos]!;
      if (ch === 0x23 && /^[0-9a-fA-F]{2}$/.test(latin1(b, this.pos + 1, this.pos + 3))) {
        name += String.fromCharCode(Number.parseInt(latin1(b, this.pos + 1, this.pos + 3), 16));
        this.pos += 3;
      } else {
        name += String.fromCharCode(ch);
        this.pos++;
      }
    }
    return new PdfName(name);
  }

  private readLiteralString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const ch = b[this.pos++]!;
      if (ch === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) break;
        const map: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };
        if (map[e] !== undefined) out.push(map[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) {
            v = v * 8 + (b[this.pos++]! - 0x30);
          }
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (ch === 0x28) {
        depth++;
        out.push(ch);
      } else if (ch === 0x29) {
        if (--depth === 0) return new PdfString(Uint8Array.from(out));
        out.push(ch);
      } else out.push(ch);
    }
    throw new PdfSyntaxError('unterminated string');
  }

  private readHexString(): PdfString {
    const b = this.bytes;
    const end = b.indexOf(0x3e, this.pos);
    if (end < 0) throw new PdfSyntaxError('unterminated hex string');
    let hex = latin1(b, this.pos + 1, end).replace(/[\s\0]/g, '');
    this.pos = end + 1;
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new PdfSyntaxError('bad hex string');
    if (hex.length % 2) hex += '0';
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return new PdfString(out, true);
  }

  private readDict(resolveLength?: (ref: PdfRef) => number | undefined): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipWhite();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      if (this.pos >= b.length) throw new PdfSyntaxError('unterminated dictionary');
      const key = this.readObject(resolveLength);
      if (!(key instanceof PdfName)) throw new PdfSyntaxError(`dictionary key is not a name at ${this.pos}`);
      dict.set(key.name, this.readObject(resolveLength));
    }
  }

  private readStreamBody(dict: PdfDict, resolveLength?: (ref: PdfRef) => number | undefined): PdfStream {
    const b = this.bytes;
    this.pos += 'stream'.length;
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    const lenObj = dict.get('Length');
    let length =
      typeof lenObj === 'number' ? lenObj : lenObj instanceof PdfRef ? resolveLength?.(lenObj) : undefined;
    // Trust /Length only when `endstream` follows it; otherwise search for `endstream`.
    if (length === undefined || !/^\s*endstream/.test(latin1(b, start + length, start + length + 20))) {
      const idx = indexOfBytes(b, fromLatin1('endstream'), start);
      if (idx < 0) throw new PdfSyntaxError('stream without endstream');
      length = idx - start;
      while (length > 0 && (b[start + length - 1] === 0x0a || b[start + length - 1] === 0x0d)) length--;
    }
    this.pos = start + length;
    this.skipWhite();
    this.expectKeyword('endstream');
    return new PdfStream(dict, b.subarray(start, start + length));
  }
}

// ---------------------------------------------------------------------------------------------
// Serialization

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error('PDF numbers must be finite');
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const x of bytes) s += x.toString(16).padStart(2, '0');
  return s;
}

function escapeName(name: string): string {
  let out = '/';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (c < 0x21 || c > 0x7e || DELIMITERS.has(c) || c === 0x23) out += `#${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Serializes an object to PDF syntax (latin1 text; stream data is appended raw). */
export function serialize(obj: PdfObject): Uint8Array {
  const parts: Uint8Array[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(fromLatin1(text));
    text = '';
  };
  const walk = (o: PdfObject): void => {
    if (o === null) text += 'null';
    else if (typeof o === 'boolean') text += o ? 'true' : 'false';
    else if (typeof o === 'number') text += formatNumber(o);
    else if (o instanceof PdfName) text += escapeName(o.name);
    else if (o instanceof PdfRef) text += `${o.num} ${o.gen} R`;
    else if (o instanceof PdfString) text += `<${hex(o.bytes)}>`;
    else if (o instanceof PdfRaw) text += o.text;
    else if (Array.isArray(o)) {
      text += '[';
      o.forEach((x, i) => {
        if (i) text += ' ';
        walk(x);
      });
      text += ']';
    } else if (o instanceof PdfDict) {
      text += '<<';
      for (const [k, v] of o.map) {
        text += `${escapeName(k)} `;
        walk(v);
        text += '\n';
      }
      text += '>>';
    } else if (o instanceof PdfStream) {
      o.dict.set('Length', o.data.length);
      walk(o.dict);
      text += '\nstream\n';
      flush();
      parts.push(o.data);
      text += '\nendstream';
    }
  };
  walk(obj);
  flush();
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PDF text string: PDFDocEncoding when ASCII, otherwise UTF-16BE with a BOM. */
export function textString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(fromLatin1(text));
  const units: number[] = [0xfe, 0xff];
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    units.push(u >> 8, u & 0xff);
  }
  return new PdfString(Uint8Array.from(units));
}

/** Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ latin1). */
export function decodeTextString(s: PdfString): string {
  const b = s.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return out;
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  return latin1(b);
}
