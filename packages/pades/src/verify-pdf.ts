/**
 * Just enough of a PDF reader for signature verification: objects, cross-reference tables and
 * streams (with object streams), the revisions of an incrementally updated file, the signature
 * dictionaries, and a conservative classifier of what later revisions changed. Pure: bytes in.
 */
import { inflateSync } from 'node:zlib';

export class PdfParseError extends Error {}

export type PdfValue =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfValue[]
  | PdfDict
  | PdfStream;

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfString {
  /** `start`/`end`: byte offsets of the token in the file (end exclusive), when read from the file. */
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    readonly start: number,
    readonly end: number,
  ) {}
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2)
        s += String.fromCharCode(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
      return s;
    }
    const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(b);
    return utf8.includes('\uFFFD') ? Array.from(b, (c) => String.fromCharCode(c)).join('') : utf8;
  }
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export class PdfDict {
  constructor(readonly map: Map<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly raw: Uint8Array,
  ) {}
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');

/** A recursive-descent reader over the file bytes (or over an inflated object stream). */
export class Lexer {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
  ) {}

  private skipWs(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  private regular(): string {
    const start = this.pos;
    const b = this.buf;
    while (this.pos < b.length && !WS.has(b[this.pos] as number) && !DELIM.has(b[this.pos] as number))
      this.pos++;
    return latin1(b.subarray(start, this.pos));
  }

  /** Reads a keyword or number without consuming it when it does not match. */
  peekKeyword(): string {
    const save = this.pos;
    this.skipWs();
    const k = this.regular();
    this.pos = save;
    return k;
  }

  expectKeyword(k: string): void {
    this.skipWs();
    const got = this.regular();
    if (got !== k) throw new PdfParseError(`expected ${k} at ${this.pos}, got ${got}`);
  }

  readValue(depth = 0): PdfValue {
    if (depth > 100) throw new PdfParseError('nesting too deep');
    this.skipWs();
    const b = this.buf;
    const c = b[this.pos];
    if (c === undefined) throw new PdfParseError('unexpected end of data');
    if (c === 0x2f) {
      this.pos++;
      const raw = this.regular();
      return new PdfName(
        raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      );
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const map = new Map<string, PdfValue>();
      for (;;) {
        this.skipWs();
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          break;
        }
        const key = this.readValue(depth + 1);
        if (!(key instanceof PdfName)) throw new PdfParseError(`dictionary key expected at ${this.pos}`);
        map.set(key.name, this.readValue(depth + 1));
      }
      return new PdfDict(map);
    }
    if (c === 0x3c) {
      const start = this.pos;
      const end = b.indexOf(0x3e, start);
      if (end < 0) throw new PdfParseError('unterminated hex string');
      const hex = latin1(b.subarray(start + 1, end)).replace(/[^0-9A-Fa-f]/g, '');
      const out = new Uint8Array(Math.ceil(hex.length / 2));
      for (let i = 0; i < out.length; i++)
        out[i] = Number.parseInt(`${hex.slice(2 * i, 2 * i + 2)}0`.slice(0, 2), 16);
      this.pos = end + 1;
      return new PdfString(out, true, start, end + 1);
    }
    if (c === 0x28) return this.literalString();
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        if (this.pos >= b.length) throw new PdfParseError('unterminated array');
        arr.push(this.readValue(depth + 1));
      }
    }
    const tok = this.regular();
    if (tok === '') throw new PdfParseError(`unexpected byte ${c} at ${this.pos}`);
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok)) {
      const n = Number(tok);
      if (/^\d+$/.test(tok)) {
        // "num gen R"
        const save = this.pos;
        this.skipWs();
        const g = this.regular();
        if (/^\d+$/.test(g)) {
          this.skipWs();
          if (this.regular() === 'R') return new PdfRef(n, Number(g));
        }
        this.pos = save;
      }
      return n;
    }
    throw new PdfParseError(`unexpected token ${tok} at ${this.pos}`);
  }

  private literalString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const c = b[this.pos++] as number;
      if (c === 0x5c) {
        const e = b[this.pos++] as number;
        const map: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };
        if (map[e] !== undefined) out.push(map[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && (b[this.pos] as number) >= 0x30 && (b[this.pos] as number) <= 0x37; k++)
            v = v * 8 + ((b[this.pos++] as number) - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return new PdfString(Uint8Array.from(out), false, start, this.pos);
        out.push(c);
      } else out.push(c);
    }
    throw new PdfParseError('unterminated string');
  }

  /** "num gen obj <value> [stream ... endstream] endobj" at the current position. */
  readIndirect(resolveLength: (v: PdfValue) => number | undefined): {
    num: number;
    gen: number;
    value: PdfValue;
  } {
    this.skipWs();
    const num = Number(this.regular());
    this.skipWs();
    const gen = Number(this.regular());
    this.expectKeyword('obj');
    if (!Number.isInteger(num) || !Number.isInteger(gen))
      throw new PdfParseError(`object header expected at ${this.pos}`);
    let value = this.readValue();
    if (value instanceof PdfDict && this.peekKeyword() === 'stream') {
      this.expectKeyword('stream');
      const b = this.buf;
      if (b[this.pos] === 0x0d) this.pos++;
      if (b[this.pos] === 0x0a) this.pos++;
      const start = this.pos;
      let len = resolveLength(value.get('Length') ?? null);
      if (
        len === undefined ||
        start + len > b.length ||
        !latin1(b.subarray(start + len, start + len + 12)).includes('endstream')
      ) {
        // Bad or indirect-unresolvable /Length: find endstream instead.
        const idx = latin1(b.subarray(start, Math.min(b.length, start + 64 * 1024 * 1024))).indexOf(
          'endstream',
        );
        if (idx < 0) throw new PdfParseError('endstream not found');
        len = idx;
        while (len > 0 && (b[start + len - 1] === 0x0a || b[start + len - 1] === 0x0d)) len--;
      }
      value = new PdfStream(value, b.subarray(start, start + len));
      this.pos = start + len;
      this.expectKeyword('endstream');
    }
    return { num, gen, value };
  }
}

/** Decodes a stream's data (FlateDecode with PNG predictors; no filter). */
export function decodeStream(s: PdfStream): Uint8Array {
  const f = s.dict.get('Filter');
  const filters = Array.isArray(f) ? f : f ? [f] : [];
  let data: Uint8Array = s.raw;
  for (const fl of filters) {
    if (!(fl instanceof PdfName)) throw new PdfParseError('bad filter');
    if (fl.name !== 'FlateDecode') throw new PdfParseError(`unsupported filter ${fl.name}`);
    data = new Uint8Array(inflateSync(data));
  }
  const parms = s.dict.get('DecodeParms');
  if (parms instanceof PdfDict) {
    const predictor = parms.get('Predictor');
    if (typeof predictor === 'number' && predictor >= 10) {
      const colors = (parms.get('Colors') as number | undefined) ?? 1;
      const columns = (parms.get('Columns') as number | undefined) ?? 1;
      const bpc = (parms.get('BitsPerComponent') as number | undefined) ?? 8;
      data = unpredictPng(
        data,
        Math.ceil((colors * bpc * columns) / 8),
        Math.max(1, Math.ceil((colors * bpc) / 8)),
      );
    }
  }
  return data;
}

function unpredictPng(data: Uint8Array, rowLen: number, bpp: number): Uint8Array {
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    for (let i = 0; i < rowLen; i++) {
      const x = data[r * (rowLen + 1) + 1 + i] as number;
      const a = i >= bpp ? (out[r * rowLen + i - bpp] as number) : 0;
      const up = r > 0 ? (out[(r - 1) * rowLen + i] as number) : 0;
      const ul = r > 0 && i >= bpp ? (out[(r - 1) * rowLen + i - bpp] as number) : 0;
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + a;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((a + up) >> 1);
      else if (type === 4) {
        const p = a + up - ul;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? up : ul);
      } else throw new PdfParseError('bad PNG predictor');
      out[r * rowLen + i] = v & 0xff;
    }
  }
  return out;
}

/** Where an object lives according to one cross-reference section. */
export type XrefEntry =
  | { type: 'free' }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; stream: number; index: number };

export interface XrefSection {
  /** Byte offset of the section ("xref" keyword or the xref stream object). */
  offset: number;
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** The offset just after this section's "%%EOF" (and its end-of-line): the end of its revision. */
  revisionEnd: number;
}

function findStartxref(buf: Uint8Array, before: number): number {
  const tail = latin1(buf.subarray(Math.max(0, before - 2048), before));
  const i = tail.lastIndexOf('startxref');
  if (i < 0) throw new PdfParseError('startxref not found');
  const m = /startxref\s+(\d+)/.exec(tail.slice(i));
  if (!m) throw new PdfParseError('startxref offset missing');
  return Number(m[1]);
}

function revisionEndAfter(buf: Uint8Array, from: number): number {
  const s = latin1(buf.subarray(from));
  const i = s.indexOf('%%EOF');
  if (i < 0) return buf.length;
  let end = from + i + 5;
  if (buf[end] === 0x0d) end++;
  if (buf[end] === 0x0a) end++;
  return end;
}

/** A parsed PDF: the cross-reference sections in file order (oldest first) and object access. */
export class PdfFile {
  sections: XrefSection[] = [];
  private cache = new Map<string, PdfValue>();
  private objStmCache = new Map<string, Map<number, PdfValue>>();
  private reading = new Set<number>();

  /** True when the cross-reference data was unusable and the sections were rebuilt by scanning. */
  readonly reconstructed: boolean = false;

  constructor(readonly buf: Uint8Array) {
    const head = latin1(buf.subarray(0, Math.min(1024, buf.length)));
    if (!head.includes('%PDF-')) throw new PdfParseError('not a PDF file (no %PDF- header)');
    try {
      this.sections = this.readChain();
      if (!this.offsetsPointAtObjects())
        throw new PdfParseError('cross-reference offsets do not point at objects');
    } catch {
      this.sections = this.scanRevisions();
      this.reconstructed = true;
      this.cache.clear();
      this.objStmCache.clear();
    }
  }

  private readChain(): XrefSection[] {
    const seen = new Set<number>();
    let offset: number | undefined = findStartxref(this.buf, this.buf.length);
    const chain: XrefSection[] = [];
    while (offset !== undefined) {
      if (seen.has(offset) || chain.length > 10_000) throw new PdfParseError('cross-reference loop');
      seen.add(offset);
      const sec = this.readSection(offset);
      chain.push(sec);
      const prev = sec.trailer.get('Prev');
      offset = typeof prev === 'number' ? prev : undefined;
    }
    return chain.reverse();
  }

  private offsetsPointAtObjects(): boolean {
    for (const sec of this.sections)
      for (const [num, e] of sec.entries) {
        if (e.type !== 'offset') continue;
        const at = latin1(this.buf.subarray(e.offset, e.offset + 32));
        if (!new RegExp(`^\\s*${num}\\s+${e.gen}\\s+obj\\b`).test(at)) return false;
      }
    return true;
  }

  /**
   * Rebuilds the revisions from the bytes: a revision ends at each "%%EOF"; its objects are the
   * "n g obj" headers before it (and the members of its object streams); its trailer is its last
   * "trailer" dictionary or cross-reference stream.
   */
  private scanRevisions(): XrefSection[] {
    const text = latin1(this.buf);
    const ends: number[] = [];
    for (const m of text.matchAll(/%%EOF/g)) ends.push(revisionEndAfter(this.buf, m.index));
    if (ends.length === 0 || (ends.at(-1) ?? 0) < this.buf.length - 64) ends.push(this.buf.length);
    const sections: XrefSection[] = ends.map((end) => ({
      offset: -1,
      entries: new Map<number, XrefEntry>(),
      trailer: new PdfDict(new Map()),
      revisionEnd: end,
    }));
    const sectionOf = (pos: number) => {
      const i = ends.findIndex((e) => pos < e);
      return i < 0 ? sections.length - 1 : i;
    };
    for (const m of text.matchAll(/(?<![0-9])(\d+)[ \t\r\n\f\0]+(\d+)[ \t\r\n\f\0]+obj\b/g)) {
      const sec = sections[sectionOf(m.index)] as XrefSection;
      sec.entries.set(Number(m[1]), { type: 'offset', offset: m.index, gen: Number(m[2]) });
      if (sec.offset < 0) sec.offset = m.index;
    }
    this.sections = sections;
    sections.forEach((sec, si) => {
      for (const [num, e] of [...sec.entries]) {
        if (e.type !== 'offset') continue;
        let v: PdfValue;
        try {
          v = this.objectAt(e.offset, si);
        } catch {
          continue;
        }
        if (!(v instanceof PdfStream)) continue;
        if (v.dict.name('Type') === 'XRef') sec.trailer = v.dict;
        if (v.dict.name('Type') === 'ObjStm') {
          try {
            const lx = new Lexer(decodeStream(v), 0);
            const n = v.dict.get('N') as number;
            for (let i = 0; i < n; i++) {
              const onum = lx.readValue() as number;
              lx.readValue();
              if (!sec.entries.has(onum))
                sec.entries.set(onum, { type: 'compressed', stream: num, index: i });
            }
          } catch {}
        }
      }
      const start = si === 0 ? 0 : (ends[si - 1] ?? 0);
      const t = text.lastIndexOf('trailer', sec.revisionEnd);
      if (t >= start) {
        try {
          const d = new Lexer(this.buf, t + 7).readValue();
          if (d instanceof PdfDict) sec.trailer = d;
        } catch {}
      }
      if (sec.offset < 0) sec.offset = start;
    });
    const kept = sections.filter((s) => s.entries.size > 0 || s.trailer.map.size > 0);
    if (kept.length === 0) throw new PdfParseError('no objects found');
    // A revision without a trailer inherits the previous one's root.
    kept.forEach((s, i) => {
      if (!s.trailer.get('Root') && i > 0) s.trailer = kept[i - 1]?.trailer ?? s.trailer;
    });
    return kept;
  }

  private readSection(offset: number): XrefSection {
    const lx = new Lexer(this.buf, offset);
    if (lx.peekKeyword() === 'xref') {
      lx.expectKeyword('xref');
      const entries = new Map<number, XrefEntry>();
      while (lx.peekKeyword() !== 'trailer') {
        const first = lx.readValue();
        const count = lx.readValue();
        if (typeof first !== 'number' || typeof count !== 'number')
          throw new PdfParseError('bad xref subsection');
        for (let i = 0; i < count; i++) {
          const off = lx.readValue();
          const gen = lx.readValue();
          const kind = lx.peekKeyword();
          lx.expectKeyword(kind);
          if (typeof off !== 'number' || typeof gen !== 'number') throw new PdfParseError('bad xref entry');
          if (!entries.has(first + i))
            entries.set(first + i, kind === 'n' ? { type: 'offset', offset: off, gen } : { type: 'free' });
        }
      }
      lx.expectKeyword('trailer');
      const trailer = lx.readValue();
      if (!(trailer instanceof PdfDict)) throw new PdfParseError('bad trailer');
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number') {
        // Hybrid file: the stream's entries complete the table's.
        for (const [n, e] of this.readSection(stm).entries) if (!entries.has(n)) entries.set(n, e);
      }
      return { offset, entries, trailer, revisionEnd: revisionEndAfter(this.buf, lx.pos) };
    }
    const { value } = lx.readIndirect((v) => (typeof v === 'number' ? v : undefined));
    if (!(value instanceof PdfStream) || value.dict.name('Type') !== 'XRef')
      throw new PdfParseError(`no cross-reference at ${offset}`);
    const d = value.dict;
    const data = decodeStream(value);
    const w = d.get('W');
    if (!Array.isArray(w) || w.length !== 3) throw new PdfParseError('bad /W');
    const [w0, w1, w2] = w as number[];
    const size = d.get('Size') as number;
    const index = (d.get('Index') as number[] | undefined) ?? [0, size];
    const entries = new Map<number, XrefEntry>();
    let p = 0;
    const field = (n: number) => {
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + (data[p++] ?? 0);
      return v;
    };
    for (let k = 0; k + 1 < index.length; k += 2) {
      const first = index[k] as number;
      for (let i = 0; i < (index[k + 1] as number); i++) {
        const t = (w0 ?? 0) === 0 ? 1 : field(w0 ?? 0);
        const a = field(w1 ?? 0);
        const b = field(w2 ?? 0);
        if (t === 0) entries.set(first + i, { type: 'free' });
        else if (t === 1) entries.set(first + i, { type: 'offset', offset: a, gen: b });
        else if (t === 2) entries.set(first + i, { type: 'compressed', stream: a, index: b });
      }
    }
    return { offset, entries, trailer: d, revisionEnd: revisionEndAfter(this.buf, lx.pos) };
  }

  /** The entry of object `num` as of section index `upTo` (inclusive), newest first. */
  entryAt(num: number, upTo: number): { entry: XrefEntry; section: number } | undefined {
    for (let i = Math.min(upTo, this.sections.length - 1); i >= 0; i--) {
      const e = this.sections[i]?.entries.get(num);
      if (e) return { entry: e, section: i };
    }
    return undefined;
  }

  /** Reads the object at a file offset (cached). */
  objectAt(offset: number, upTo = this.sections.length - 1): PdfValue {
    const key = `o${offset}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    // A stream whose /Length refers back to itself (directly or not) would recurse forever.
    if (this.reading.has(offset)) throw new PdfParseError(`reference loop at ${offset}`);
    this.reading.add(offset);
    try {
      const lx = new Lexer(this.buf, offset);
      const { value } = lx.readIndirect((v) => {
        try {
          const r = this.resolve(v, upTo);
          return typeof r === 'number' ? r : undefined;
        } catch {
          return undefined; // unresolvable /Length: the stream is delimited by "endstream"
        }
      });
      this.cache.set(key, value);
      return value;
    } finally {
      this.reading.delete(offset);
    }
  }

  /** The value of object `num` as the revision ending with section `upTo` saw it. */
  object(num: number, upTo = this.sections.length - 1): PdfValue {
    const found = this.entryAt(num, upTo);
    if (!found || found.entry.type === 'free') return null;
    const e = found.entry;
    if (e.type === 'offset') return this.objectAt(e.offset, upTo);
    const key = `${e.stream}@${found.section}`;
    let objs = this.objStmCache.get(key);
    if (!objs) {
      objs = new Map();
      const stm = this.object(e.stream, upTo);
      if (!(stm instanceof PdfStream)) throw new PdfParseError(`object stream ${e.stream} missing`);
      const data = decodeStream(stm);
      const n = stm.dict.get('N') as number;
      const first = stm.dict.get('First') as number;
      const lx = new Lexer(data, 0);
      const pairs: [number, number][] = [];
      for (let i = 0; i < n; i++) pairs.push([lx.readValue() as number, lx.readValue() as number]);
      for (const [onum, off] of pairs) {
        lx.pos = first + off;
        objs.set(onum, lx.readValue());
      }
      this.objStmCache.set(key, objs);
    }
    return objs.get(num) ?? null;
  }

  resolve(v: PdfValue | undefined, upTo = this.sections.length - 1): PdfValue {
    let cur: PdfValue = v ?? null;
    for (let i = 0; i < 32 && cur instanceof PdfRef; i++) cur = this.object(cur.num, upTo);
    return cur;
  }

  /**
   * The revision a signature covering bytes [0, end) signed: the index of its newest section
   * (sections after it are the later incremental updates), or -1 when `end` is not the end of a
   * revision. Linearized files list their first-page section out of file order, so a revision is
   * "the sections before `end`", and the later ones must all be appended after it.
   */
  revisionEndingAt(end: number): number {
    const before = this.sections.filter((s) => s.offset < end);
    if (before.length === 0) return -1;
    const tail = this.sections.slice(before.length);
    if (tail.some((s) => s.offset < end)) return -1;
    const endsHere =
      before.some((s) => s.revisionEnd === end) || (tail.length === 0 && end === this.buf.length);
    return endsHere ? before.length - 1 : -1;
  }
}

export interface FoundSignature {
  objectNumber: number;
  /** The /T of the signature field whose /V is this dictionary. */
  fieldName?: string;
  dict: PdfDict;
  byteRange: number[];
  contents: PdfString;
  /** The signature dictionary's /M, if any. */
  pdfSigningTime?: Date;
  name?: string;
  reason?: string;
  subFilter?: string;
}

/** Parses "D:YYYYMMDDHHmmSSOHH'mm'" (PDF date). */
export function parsePdfDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (sign === '+' || sign === '-') t -= (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return new Date(t);
}

/** Every signature dictionary defined in any revision (objects with /ByteRange and /Contents). */
export function findSignatures(pdf: PdfFile): FoundSignature[] {
  const out: FoundSignature[] = [];
  const seen = new Set<string>();
  const fieldNames = new Map<number, string>();
  pdf.sections.forEach((sec, si) => {
    for (const [num, e] of sec.entries) {
      if (e.type !== 'offset') continue;
      let v: PdfValue;
      try {
        v = pdf.objectAt(e.offset, si);
      } catch {
        continue;
      }
      if (!(v instanceof PdfDict)) continue;
      const fv = v.get('V');
      const ft = v.get('T');
      if (fv instanceof PdfRef && ft instanceof PdfString) fieldNames.set(fv.num, ft.text());
      const br = v.get('ByteRange');
      const contents = v.get('Contents');
      if (!Array.isArray(br) || !(contents instanceof PdfString)) continue;
      if (br.length !== 4 || !br.every((x) => typeof x === 'number')) continue;
      const key = br.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const str = (k: string) => {
        const s = v.get(k);
        return s instanceof PdfString ? s.text() : undefined;
      };
      const m = str('M');
      out.push({
        objectNumber: num,
        dict: v,
        byteRange: br as number[],
        contents,
        pdfSigningTime: m ? parsePdfDate(m) : undefined,
        name: str('Name'),
        reason: str('Reason'),
        subFilter: v.name('SubFilter'),
      });
    }
  });
  for (const f of out) f.fieldName = fieldNames.get(f.objectNumber);
  return out.sort(
    (a, b) => (a.byteRange[3] ?? 0) + (a.byteRange[2] ?? 0) - ((b.byteRange[3] ?? 0) + (b.byteRange[2] ?? 0)),
  );
}

// ---------- modification classifier ----------

export interface ModificationFinding {
  kind: 'allowed' | 'suspicious';
  objectNumber: number;
  what: string;
}

function same(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfRef && b instanceof PdfRef) return a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName && b instanceof PdfName) return a.name === b.name;
  if (a instanceof PdfString && b instanceof PdfString)
    return Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a instanceof PdfDict && b instanceof PdfDict) return sameDict(a, b, new Set());
  if (a instanceof PdfStream && b instanceof PdfStream)
    return sameDict(a.dict, b.dict, new Set()) && Buffer.from(a.raw).equals(Buffer.from(b.raw));
  return false;
}

function sameDict(a: PdfDict, b: PdfDict, ignore: Set<string>): boolean {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  for (const k of keys) if (!ignore.has(k) && !same(a.get(k), b.get(k))) return false;
  return true;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !same(a.get(k), b.get(k)));
}

/** Classifies what the sections after `signedUpTo` (a section index) changed. */
export function classifyModifications(pdf: PdfFile, signedUpTo: number): ModificationFinding[] {
  const last = pdf.sections.length - 1;
  const findings: ModificationFinding[] = [];
  const isSigField = (v: PdfValue, upTo: number): boolean => {
    const d = pdf.resolve(v, upTo);
    if (!(d instanceof PdfDict)) return false;
    if (d.name('FT') === 'Sig') return true;
    const parent = pdf.resolve(d.get('Parent'), upTo);
    return parent instanceof PdfDict && parent.name('FT') === 'Sig';
  };
  const addedOnlySig = (oldArr: PdfValue, newArr: PdfValue, upTo: number): boolean => {
    const o = pdf.resolve(oldArr, signedUpTo);
    const n = pdf.resolve(newArr, upTo);
    const oa = Array.isArray(o) ? o : o === null ? [] : null;
    if (!oa || !Array.isArray(n)) return false;
    if (!oa.every((x) => n.some((y) => same(x, y)))) return false;
    return n.filter((y) => !oa.some((x) => same(x, y))).every((y) => isSigField(y, upTo));
  };
  const root = pdf.sections[signedUpTo]?.trailer.get('Root');
  const info = pdf.sections[signedUpTo]?.trailer.get('Info');
  const lastRoot = pdf.sections[last]?.trailer.get('Root');
  if (last > signedUpTo && !same(root, lastRoot))
    findings.push({
      kind: 'suspicious',
      objectNumber: lastRoot instanceof PdfRef ? lastRoot.num : 0,
      what: 'document catalog replaced',
    });
  if (last > signedUpTo && pdf.sections[last]?.trailer.get('Encrypt') !== undefined)
    findings.push({ kind: 'suspicious', objectNumber: 0, what: 'encryption added' });
  const seen = new Set<number>();
  for (let si = last; si > signedUpTo; si--) {
    const sec = pdf.sections[si] as XrefSection;
    for (const [num, e] of sec.entries) {
      if (seen.has(num) || num === 0) continue;
      seen.add(num);
      const before = pdf.entryAt(num, signedUpTo);
      const existed = before !== undefined && before.entry.type !== 'free';
      if (e.type === 'free') {
        if (existed) findings.push({ kind: 'suspicious', objectNumber: num, what: 'object deleted' });
        continue;
      }
      if (!existed) continue; // New objects only matter through the objects that reference them.
      let oldV: PdfValue;
      let newV: PdfValue;
      try {
        oldV = pdf.object(num, signedUpTo);
        newV = pdf.object(num, last);
      } catch {
        findings.push({ kind: 'suspicious', objectNumber: num, what: 'unreadable object' });
        continue;
      }
      if (same(oldV, newV)) {
        findings.push({ kind: 'allowed', objectNumber: num, what: 'rewritten unchanged' });
        continue;
      }
      const ok = (what: string) => findings.push({ kind: 'allowed', objectNumber: num, what });
      const bad = (what: string) => findings.push({ kind: 'suspicious', objectNumber: num, what });
      if (oldV instanceof PdfDict && newV instanceof PdfDict) {
        const type = oldV.name('Type');
        const keys = changedKeys(oldV, newV);
        if (root instanceof PdfRef && root.num === num) {
          const other = keys.filter((k) => !['AcroForm', 'DSS', 'Perms'].includes(k));
          const acro = keys.includes('AcroForm')
            ? acroFormOk(
                pdf.resolve(oldV.get('AcroForm'), signedUpTo),
                pdf.resolve(newV.get('AcroForm'), last),
              )
            : true;
          if (other.length === 0 && acro) ok('catalog: signature form / DSS');
          else bad(`catalog changed: ${keys.join(', ')}`);
        } else if (info instanceof PdfRef && info.num === num) ok('document information');
        else if (type === 'Page') {
          const other = keys.filter((k) => k !== 'Annots');
          if (
            other.length === 0 &&
            addedOnlySig(oldV.get('Annots') ?? null, newV.get('Annots') ?? null, last)
          )
            ok('page: signature widget added');
          else bad(`page changed: ${keys.join(', ')}`);
        } else if (keys.length > 0 && isSigField(newV, last) && isSigField(oldV, signedUpTo))
          ok('signature field');
        else if (
          !oldV.get('Type') &&
          keys.every((k) => ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k)) &&
          acroFormOk(oldV, newV)
        )
          ok('form: signature field added');
        else bad(`${type ?? 'object'} changed: ${keys.join(', ')}`);
      } else if (Array.isArray(oldV) && Array.isArray(newV)) {
        if (addedOnlySig(oldV, newV, last)) ok('annotations: signature widget added');
        else bad('array changed');
      } else if (newV instanceof PdfStream && newV.dict.name('Type') === 'XRef') ok('cross-reference stream');
      else bad(oldV instanceof PdfStream ? 'stream content changed' : 'object changed');
    }
  }
  return findings;

  function acroFormOk(o: PdfValue, n: PdfValue): boolean {
    if (o === null && n instanceof PdfDict) {
      const f = pdf.resolve(n.get('Fields'), last);
      return Array.isArray(f) && f.every((x) => isSigField(x, last));
    }
    if (!(o instanceof PdfDict) || !(n instanceof PdfDict)) return false;
    const keys = changedKeys(o, n);
    if (!keys.every((k) => ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k))) return false;
    return !keys.includes('Fields') || addedOnlySig(o.get('Fields') ?? null, n.get('Fields') ?? null, last);
  }
}
