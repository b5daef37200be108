/**
 * The PDF object model, tokenizer and serializer (ISO 32000-1 §7.2–7.4) shared by signing and
 * verification: enough to read the objects of an existing file, decode its Flate streams and write
 * the objects of an incremental update. Pure: bytes in, bytes out. The tokenizer works on bytes
 * (a character-class table, numbers read without regular expressions, native searches for
 * `endstream` and hex strings), because verification reads every signed revision of a file.
 */
import { inflateSync } from 'node:zlib';

export class PdfParseError extends Error {}

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/**
 * A string as its raw bytes. `hex` remembers how it was written (it is always re-written as hex);
 * `start`/`end` are the byte offsets of the token in the file (end exclusive), or -1 when built.
 */
export class PdfString {
  private value: Uint8Array | (() => Uint8Array);
  /** `bytes` may be a function that decodes them on first use (hex strings read from a file). */
  constructor(
    bytes: Uint8Array | (() => Uint8Array),
    readonly hex = false,
    readonly start = -1,
    readonly end = -1,
  ) {
    this.value = bytes;
  }
  get bytes(): Uint8Array {
    if (typeof this.value === 'function') this.value = this.value();
    return this.value;
  }
  text(): string {
    return decodeTextString(this);
  }
}

export class PdfDict {
  readonly map: Map<string, PdfObject>;
  constructor(entries?: Record<string, PdfObject | undefined> | Map<string, PdfObject>) {
    if (entries instanceof Map) this.map = entries;
    else {
      this.map = new Map();
      if (entries) for (const [k, v] of Object.entries(entries)) if (v !== undefined) this.map.set(k, v);
    }
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
  /** The value of `key` when it is a name. */
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream data as stored in the file (still encoded). */
    readonly data: Uint8Array,
  ) {}
}

/** Written verbatim (used for fixed-size placeholders): latin1 text or bytes. */
export class PdfRaw {
  constructor(readonly text: string | Uint8Array) {}
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

/** A Buffer view of `bytes` (no copy), for Node's native searches and conversions. */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes → a string with one char per byte (latin1), for searches over the file. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Short tokens (names, keywords) are cheaper built here than through a native call.
  if (end - start <= 16) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return bufferOf(bytes).toString('latin1', start, end);
}

export function fromLatin1(text: string): Uint8Array {
  const b = Buffer.from(text, 'latin1');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  return bufferOf(hay).indexOf(needle, from);
}

// Character classes (ISO 32000-1 §7.2.2): 0 regular, 1 white-space, 2 delimiter.
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[c] = 2;
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

export function isWhite(b: number | undefined): boolean {
  return b !== undefined && CLASS[b] === 1;
}

export function isRegular(b: number | undefined): boolean {
  return b !== undefined && CLASS[b] === 0;
}

/** Whether bytes[start, end) is an unsigned integer (digits only). */
function isDigits(b: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (b[i]! < 0x30 || b[i]! > 0x39) return false;
  return true;
}

/** The number bytes[start, end) spells (`[+-]?(\d+\.?\d*|\.\d+)`), or NaN. */
function parseNumber(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (b[i] === 0x2b || b[i] === 0x2d) {
    neg = b[i] === 0x2d;
    i++;
  }
  let value = 0;
  let digits = 0;
  let dot = -1;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && dot < 0) dot = i;
    else return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  // Integers up to 15 digits are exact as accumulated; anything else goes through Number().
  if (dot >= 0 || digits > 15) value = Math.abs(Number(latin1(b, start, end)));
  return neg ? -value : value;
}

const ENDSTREAM = Buffer.from('endstream', 'latin1');

/** Resolves a stream's /Length value (a number or a reference) to a number, when it can. */
export type LengthResolver = (length: PdfObject) => number | undefined;

/** Parses PDF objects from `bytes` starting at `pos`. */
export class PdfParser {
  pos: number;
  readonly bytes: Buffer;
  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bufferOf(bytes);
    this.pos = pos;
  }

  skipWhite(): void {
    const b = this.bytes;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (CLASS[c] === 1) p++;
      else if (c === 0x25) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      } else break;
    }
    this.pos = p;
  }

  private regularEnd(from: number): number {
    const b = this.bytes;
    let e = from;
    while (e < b.length && CLASS[b[e]!] === 0) e++;
    return e;
  }

  /** The next regular token (keyword or number) without consuming it; '' when there is none. */
  peekKeyword(): string {
    this.skipWhite();
    return latin1(this.bytes, this.pos, this.regularEnd(this.pos));
  }

  readKeyword(): string {
    this.skipWhite();
    const end = this.regularEnd(this.pos);
    if (end === this.pos) throw new PdfParseError(`expected a keyword at ${this.pos}`);
    const k = latin1(this.bytes, this.pos, end);
    this.pos = end;
    return k;
  }

  expectKeyword(word: string): void {
    this.skipWhite();
    const at = this.pos;
    const end = this.regularEnd(at);
    let same = end - at === word.length;
    for (let i = 0; same && i < word.length; i++) same = this.bytes[at + i] === word.charCodeAt(i);
    if (!same) throw new PdfParseError(`expected '${word}' at ${at}, found '${latin1(this.bytes, at, end)}'`);
    this.pos = end;
  }

  /** Reads an unsigned integer token, or throws. */
  readInt(): number {
    this.skipWhite();
    const end = this.regularEnd(this.pos);
    if (!isDigits(this.bytes, this.pos, end)) throw new PdfParseError(`expected an integer at ${this.pos}`);
    const n = parseNumber(this.bytes, this.pos, end);
    this.pos = end;
    return n;
  }

  /**
   * Reads one object; `N G R` becomes a reference. A dictionary followed by `stream` becomes a
   * stream, its /Length resolved through `resolveLength` when it is not a direct number.
   */
  readObject(resolveLength?: LengthResolver, depth = 0): PdfObject {
    if (depth > 100) throw new PdfParseError('nesting too deep');
    this.skipWhite();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new PdfParseError('unexpected end of data');
    if (c === 0x2f) return this.readName();
    if (c === 0x28) return this.readLiteralString();
    if (c === 0x3c) {
      if (b[this.pos + 1] !== 0x3c) return this.readHexString();
      const dict = this.readDict(resolveLength, depth);
      const save = this.pos;
      this.skipWhite();
      const p = this.pos;
      if (b[p] === 0x73 && this.regularEnd(p) === p + 6 && latin1(b, p, p + 6) === 'stream') {
        this.pos = p + 6;
        return this.readStreamBody(dict, resolveLength);
      }
      this.pos = save;
      return dict;
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
        if (this.pos >= b.length) throw new PdfParseError('unterminated array');
        arr.push(this.readObject(resolveLength, depth + 1));
      }
    }
    const start = this.pos;
    const end = this.regularEnd(start);
    if (end === start) throw new PdfParseError(`unexpected byte ${c} at ${start}`);
    const n = parseNumber(b, start, end);
    if (!Number.isNaN(n)) {
      this.pos = end;
      if (isDigits(b, start, end)) {
        // `N G R`?
        this.skipWhite();
        const gStart = this.pos;
        const gEnd = this.regularEnd(gStart);
        if (isDigits(b, gStart, gEnd)) {
          this.pos = gEnd;
          this.skipWhite();
          if (b[this.pos] === 0x52 && !isRegular(b[this.pos + 1])) {
            this.pos++;
            return new PdfRef(n, parseNumber(b, gStart, gEnd));
          }
        }
        this.pos = end;
      }
      return n;
    }
    const word = latin1(b, start, end);
    this.pos = end;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfParseError(`unexpected token '${word}' at ${start}`);
  }

  /** `num gen obj <object> [stream … endstream]` at the current position (`endobj` not required). */
  readIndirect(resolveLength?: LengthResolver): { num: number; gen: number; value: PdfObject } {
    const num = this.readInt();
    const gen = this.readInt();
    this.expectKeyword('obj');
    return { num, gen, value: this.readObject(resolveLength) };
  }

  private readName(): PdfName {
    const b = this.bytes;
    const start = ++this.pos;
    let end = start;
    let escaped = false;
    for (let c = b[end]; end < b.length && CLASS[c!] === 0; c = b[++end]) if (c === 0x23) escaped = true;
    this.pos = end;
    if (!escaped) return new PdfName(latin1(b, start, end));
    let name = '';
    for (let i = start; i < end; i++) {
      const ch = b[i]!;
      if (ch === 0x23 && i + 2 < end && HEX[b[i + 1]!]! >= 0 && HEX[b[i + 2]!]! >= 0) {
        name += String.fromCharCode(HEX[b[i + 1]!]! * 16 + HEX[b[i + 2]!]!);
        i += 2;
      } else name += String.fromCharCode(ch);
    }
    return new PdfName(name);
  }

  private readLiteralString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
    // Fast path: no escapes before the balancing parenthesis → the bytes as they are.
    let depth = 0;
    let p = start;
    for (; p < b.length; p++) {
      const ch = b[p]!;
      if (ch === 0x5c) break;
      if (ch === 0x28) depth++;
      else if (ch === 0x29 && --depth === 0) {
        this.pos = p + 1;
        return new PdfString(
          new Uint8Array(b.buffer, b.byteOffset + start + 1, p - start - 1),
          false,
          start,
          p + 1,
        );
      }
    }
    this.pos = start + 1;
    const out: number[] = [];
    depth = 1;
    while (this.pos < b.length) {
      const ch = b[this.pos++]!;
      if (ch === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) break;
        const mapped = e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 102 ? 12 : -1;
        if (mapped >= 0) out.push(mapped);
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
        if (--depth === 0) return new PdfString(Uint8Array.from(out), false, start, this.pos);
        out.push(ch);
      } else out.push(ch);
    }
    throw new PdfParseError('unterminated string');
  }

  /**
   * A hex string; characters other than hex digits (white space) are skipped, an odd digit padded.
   * Decoded on first use: a signature's /Contents is mostly zero padding that nobody reads.
   */
  private readHexString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
    const end = b.indexOf(0x3e, start);
    if (end < 0) throw new PdfParseError('unterminated hex string');
    this.pos = end + 1;
    return new PdfString(() => decodeHex(b, start + 1, end), true, start, end + 1);
  }

  private readDict(resolveLength: LengthResolver | undefined, depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const map = new Map<string, PdfObject>();
    for (;;) {
      this.skipWhite();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return new PdfDict(map);
      }
      if (this.pos >= b.length) throw new PdfParseError('unterminated dictionary');
      if (b[this.pos] !== 0x2f) throw new PdfParseError(`dictionary key is not a name at ${this.pos}`);
      const key = this.readName();
      map.set(key.name, this.readObject(resolveLength, depth + 1));
    }
  }

  private readStreamBody(dict: PdfDict, resolveLength: LengthResolver | undefined): PdfStream {
    const b = this.bytes;
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    const lenObj = dict.get('Length') ?? null;
    let length = typeof lenObj === 'number' ? lenObj : lenObj !== null ? resolveLength?.(lenObj) : undefined;
    // Trust /Length only when `endstream` follows it; otherwise search for `endstream`.
    if (
      length === undefined ||
      !Number.isInteger(length) ||
      length < 0 ||
      !this.endstreamAt(start + length)
    ) {
      const idx = b.indexOf(ENDSTREAM, start);
      if (idx < 0) throw new PdfParseError('stream without endstream');
      length = idx - start;
      while (length > 0 && (b[start + length - 1] === 0x0a || b[start + length - 1] === 0x0d)) length--;
    }
    this.pos = start + length;
    this.skipWhite();
    this.expectKeyword('endstream');
    return new PdfStream(dict, b.subarray(start, start + length));
  }

  private endstreamAt(at: number): boolean {
    const b = this.bytes;
    if (at > b.length) return false;
    let p = at;
    while (p < b.length && p < at + 8 && CLASS[b[p]!] === 1) p++;
    return b.indexOf(ENDSTREAM, p) === p;
  }
}

/** The bytes that the hex digits in bytes[start, end) spell (other characters skipped, an odd digit padded). */
export function decodeHex(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n % 2 === 0) {
    // Node's hex decoder stops at the first non-hex pair: a full-length result means clean input.
    const fast = Buffer.from(latin1(bytes, start, end), 'hex');
    if (fast.length * 2 === n) return new Uint8Array(fast.buffer, fast.byteOffset, fast.length);
  }
  const out = new Uint8Array((n + 1) >> 1);
  let k = 0;
  let hi = -1;
  for (let i = start; i < end; i++) {
    const v = HEX[bytes[i]!]!;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out[k++] = hi * 16 + v;
      hi = -1;
    }
  }
  if (hi >= 0) out[k++] = hi * 16;
  return out.slice(0, k);
}

// ---------------------------------------------------------------------------------------------
// Stream filters

/** Decodes a stream's data (FlateDecode with optional PNG predictors; no filter). */
export function decodeStream(stream: PdfStream): Uint8Array {
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  const parmsObj = stream.dict.get('DecodeParms');
  const parmsList = Array.isArray(parmsObj) ? parmsObj : [parmsObj];
  let data = stream.data;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw new PdfParseError('bad /Filter');
    if (f.name !== 'FlateDecode') throw new PdfParseError(`unsupported filter ${f.name}`);
    const out = inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */ });
    data = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const parms = parmsList[i];
    if (parms instanceof PdfDict) data = unpredict(data, parms);
  });
  return data;
}

function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = Number(parms.get('Predictor') ?? 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfParseError(`unsupported predictor ${predictor}`);
  }
  const colors = Number(parms.get('Colors') ?? 1);
  const bpc = Number(parms.get('BitsPerComponent') ?? 8);
  const columns = Number(parms.get('Columns') ?? 1);
  return pngUnfilter(
    data,
    Math.ceil((colors * bpc * columns) / 8),
    Math.max(1, Math.ceil((colors * bpc) / 8)),
  );
}

/** Reverses PNG row filters (each row prefixed by its filter type byte). */
export function pngUnfilter(data: Uint8Array, rowLength: number, bpp: number): Uint8Array {
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowLength + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLength + i - bpp]! : 0;
      let v: number;
      if (type === 0) v = raw;
      else if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new PdfParseError(`bad PNG filter type ${type}`);
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Serialization

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error('PDF numbers must be finite');
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

function escapeName(name: string): string {
  let plain = true;
  for (let i = 0; i < name.length && plain; i++) {
    const c = name.charCodeAt(i);
    plain = c > 0x20 && c < 0x7f && CLASS[c] === 0 && c !== 0x23;
  }
  if (plain) return `/${name}`;
  let out = '/';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (c < 0x21 || c > 0x7e || CLASS[c] === 2 || c === 0x23) out += `#${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Serializes an object to PDF syntax (latin1 text; stream data is appended raw). */
export function serialize(obj: PdfObject): Uint8Array {
  const parts: Uint8Array[] = [];
  serializeInto(obj, parts);
  return parts.length === 1 ? parts[0]! : concat(parts);
}

/** Serializes an object as pieces appended to `parts` (large data is not copied); returns their length. */
export function serializeInto(obj: PdfObject, parts: Uint8Array[]): number {
  const w = new Writer(parts);
  w.walk(obj);
  w.flush();
  return w.length;
}

/** Accumulates PDF syntax as latin1 text, cut into byte pieces around raw data. */
class Writer {
  length = 0;
  private text = '';
  constructor(private readonly parts: Uint8Array[]) {}

  flush(): void {
    if (this.text) this.push(fromLatin1(this.text));
    this.text = '';
  }

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }

  walk(o: PdfObject): void {
    if (o === null) this.text += 'null';
    else if (typeof o === 'boolean') this.text += o ? 'true' : 'false';
    else if (typeof o === 'number') this.text += formatNumber(o);
    else if (o instanceof PdfName) this.text += escapeName(o.name);
    else if (o instanceof PdfRef) this.text += `${o.num} ${o.gen} R`;
    else if (o instanceof PdfString) this.text += `<${bufferOf(o.bytes).toString('hex')}>`;
    else if (o instanceof PdfRaw) {
      if (typeof o.text === 'string') this.text += o.text;
      else {
        this.flush();
        this.push(o.text);
      }
    } else if (Array.isArray(o)) {
      this.text += '[';
      for (let i = 0; i < o.length; i++) {
        if (i) this.text += ' ';
        this.walk(o[i] as PdfObject);
      }
      this.text += ']';
    } else if (o instanceof PdfDict) {
      this.text += '<<';
      for (const [k, v] of o.map) {
        this.text += `${escapeName(k)} `;
        this.walk(v);
        this.text += '\n';
      }
      this.text += '>>';
    } else if (o instanceof PdfStream) {
      o.dict.set('Length', o.data.length);
      this.walk(o.dict);
      this.text += '\nstream\n';
      this.flush();
      this.push(o.data);
      this.text += '\nendstream';
    }
  }
}

export function concat(parts: Uint8Array[], totalLength?: number): Uint8Array {
  const out = Buffer.concat(parts, totalLength);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a PDF text string: UTF-16BE with a BOM, UTF-8 with a BOM, else UTF-8 when the bytes are
 * valid UTF-8 (some producers write it without a BOM), else PDFDocEncoding (≈ latin1).
 */
export function decodeTextString(s: PdfString): string {
  const b = s.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return out;
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  try {
    return utf8.decode(b);
  } catch {
    return latin1(b);
  }
}
