/**
 * An existing PDF, read lazily (ISO 32000-1 §7.5): the cross-reference sections of every revision
 * (classic tables, cross-reference streams, hybrid files, object streams) and object lookup as any
 * revision saw it. Only the trailers and cross-reference data are read up front; objects are parsed
 * when asked for, and cached. A file whose cross-reference offsets are wrong is rebuilt by scanning.
 * Signing uses it to find what an incremental update must extend; verification to find signatures
 * and compare revisions. Pure: bytes in.
 */
import {
  bufferOf,
  decodeStream,
  isRegular,
  isWhite,
  latin1,
  PdfDict,
  type PdfObject,
  PdfParseError,
  PdfParser,
  PdfRef,
  PdfStream,
} from './pdf-objects.ts';

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
  /** Whether the section is a cross-reference stream. */
  isStream: boolean;
}

function findStartxref(buf: Buffer): number {
  const from = Math.max(0, buf.length - 2048);
  const i = buf.lastIndexOf('startxref', buf.length, 'latin1');
  if (i < from) throw new PdfParseError('startxref not found');
  const m = /^startxref\s+(\d+)/.exec(latin1(buf, i, Math.min(buf.length, i + 40)));
  if (!m) throw new PdfParseError('startxref offset missing');
  return Number(m[1]);
}

function revisionEndAfter(buf: Buffer, from: number): number {
  const i = buf.indexOf('%%EOF', from, 'latin1');
  if (i < 0) return buf.length;
  let end = i + 5;
  if (buf[end] === 0x0d) end++;
  if (buf[end] === 0x0a) end++;
  return end;
}

/** Whether `num gen obj` starts at `offset` (after optional white space), read byte by byte. */
function objectHeaderAt(buf: Buffer, offset: number, num: number, gen: number): boolean {
  const n = buf.length;
  let p = offset;
  if (p < 0) return false;
  for (let field = 0; field < 2; field++) {
    while (p < n && isWhite(buf[p])) p++;
    const start = p;
    let v = 0;
    for (; p < n && buf[p]! >= 0x30 && buf[p]! <= 0x39; p++) v = v * 10 + buf[p]! - 0x30;
    if (p === start || v !== (field === 0 ? num : gen) || !isWhite(buf[p])) return false;
  }
  while (p < n && isWhite(buf[p])) p++;
  return buf[p] === 0x6f && buf[p + 1] === 0x62 && buf[p + 2] === 0x6a && !isRegular(buf[p + 3]);
}

/** A parsed PDF: the cross-reference sections in file order (oldest first) and object access. */
export class PdfFile {
  readonly buf: Buffer;
  sections: XrefSection[] = [];
  /** True when the cross-reference data was unusable and the sections were rebuilt by scanning. */
  readonly reconstructed: boolean = false;
  /**
   * The offset of the newest cross-reference section as `startxref` gives it, when the chain of
   * sections could be read (what an incremental update's /Prev points to).
   */
  readonly startxref: number | undefined;
  private readonly cache = new Map<number, PdfObject>();
  private readonly objStmCache = new Map<string, Map<number, PdfObject>>();
  private readonly reading = new Set<number>();

  constructor(bytes: Uint8Array) {
    this.buf = bufferOf(bytes);
    const head = this.buf.indexOf('%PDF-', 0, 'latin1');
    if (head < 0 || head > 1024) throw new PdfParseError('not a PDF file (no %PDF- header)');
    let chain: XrefSection[] | undefined;
    try {
      chain = this.readChain();
      this.startxref = chain.at(-1)?.offset;
      this.sections = chain;
      if (!this.offsetsPointAtObjects())
        throw new PdfParseError('cross-reference offsets do not point at objects');
    } catch {
      this.sections = this.scanRevisions();
      this.reconstructed = true;
      this.cache.clear();
      this.objStmCache.clear();
      // The chain stays usable as the /Prev of an update when only object offsets were wrong.
      if (chain) this.sections.at(-1)!.isStream = chain.at(-1)?.isStream ?? false;
    }
  }

  private readChain(): XrefSection[] {
    const seen = new Set<number>();
    let offset: number | undefined = findStartxref(this.buf);
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
      for (const [num, e] of sec.entries)
        if (e.type === 'offset' && !objectHeaderAt(this.buf, e.offset, num, e.gen)) return false;
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
      trailer: new PdfDict(),
      revisionEnd: end,
      isStream: false,
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
        let v: PdfObject;
        try {
          v = this.objectAt(e.offset, si);
        } catch {
          continue;
        }
        if (!(v instanceof PdfStream)) continue;
        if (v.dict.name('Type') === 'XRef') sec.trailer = v.dict;
        if (v.dict.name('Type') === 'ObjStm') {
          try {
            const lx = new PdfParser(decodeStream(v), 0);
            const n = v.dict.get('N') as number;
            for (let i = 0; i < n; i++) {
              const onum = lx.readInt();
              lx.readInt();
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
          const d = new PdfParser(this.buf, t + 7).readObject();
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
    const lx = new PdfParser(this.buf, offset);
    if (lx.peekKeyword() === 'xref') {
      lx.expectKeyword('xref');
      const entries = new Map<number, XrefEntry>();
      while (lx.peekKeyword() !== 'trailer') {
        const first = lx.readInt();
        const count = lx.readInt();
        for (let i = 0; i < count; i++) {
          const e = this.xrefRow(lx);
          if (!entries.has(first + i)) entries.set(first + i, e);
        }
      }
      lx.expectKeyword('trailer');
      const trailer = lx.readObject();
      if (!(trailer instanceof PdfDict)) throw new PdfParseError('bad trailer');
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number') {
        // Hybrid file: the stream's entries complete the table's.
        for (const [n, e] of this.readSection(stm).entries) if (!entries.has(n)) entries.set(n, e);
      }
      return { offset, entries, trailer, revisionEnd: revisionEndAfter(this.buf, lx.pos), isStream: false };
    }
    const { value } = lx.readIndirect((v) => (typeof v === 'number' ? v : undefined));
    if (!(value instanceof PdfStream) || value.dict.name('Type') !== 'XRef')
      throw new PdfParseError(`no cross-reference at ${offset}`);
    const d = value.dict;
    const data = decodeStream(value);
    const w = d.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number'))
      throw new PdfParseError('bad /W');
    const [w0, w1, w2] = w as number[] as [number, number, number];
    const size = d.get('Size') as number;
    const index = (d.get('Index') as number[] | undefined) ?? [0, size];
    const entries = new Map<number, XrefEntry>();
    let p = 0;
    for (let k = 0; k + 1 < index.length; k += 2) {
      const first = index[k] as number;
      const count = index[k + 1] as number;
      for (let i = 0; i < count; i++) {
        let t = w0 === 0 ? 1 : 0;
        for (let j = 0; j < w0; j++) t = t * 256 + (data[p++] ?? 0);
        let a = 0;
        for (let j = 0; j < w1; j++) a = a * 256 + (data[p++] ?? 0);
        let b = 0;
        for (let j = 0; j < w2; j++) b = b * 256 + (data[p++] ?? 0);
        if (t === 0) entries.set(first + i, { type: 'free' });
        else if (t === 1) entries.set(first + i, { type: 'offset', offset: a, gen: b });
        else if (t === 2) entries.set(first + i, { type: 'compressed', stream: a, index: b });
      }
    }
    return { offset, entries, trailer: d, revisionEnd: revisionEndAfter(this.buf, lx.pos), isStream: true };
  }

  /** One row of a classic table: the usual fixed 20 bytes read directly, anything else tokenized. */
  private xrefRow(lx: PdfParser): XrefEntry {
    lx.skipWhite();
    const b = this.buf;
    const p = lx.pos;
    if (p + 18 <= b.length && b[p + 10] === 0x20 && b[p + 16] === 0x20) {
      let off = 0;
      let gen = 0;
      let ok = true;
      for (let i = 0; i < 10 && ok; i++) {
        const c = b[p + i]! - 0x30;
        ok = c >= 0 && c <= 9;
        off = off * 10 + c;
      }
      for (let i = 11; i < 16 && ok; i++) {
        const c = b[p + i]! - 0x30;
        ok = c >= 0 && c <= 9;
        gen = gen * 10 + c;
      }
      const kind = b[p + 17];
      if (ok && (kind === 0x6e || kind === 0x66) && (p + 18 === b.length || b[p + 18]! <= 0x20)) {
        lx.pos = p + 18;
        return kind === 0x6e ? { type: 'offset', offset: off, gen } : { type: 'free' };
      }
    }
    const off = lx.readInt();
    const gen = lx.readInt();
    const kind = lx.readKeyword();
    return kind === 'n' ? { type: 'offset', offset: off, gen } : { type: 'free' };
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
  objectAt(offset: number, upTo = this.sections.length - 1): PdfObject {
    const hit = this.cache.get(offset);
    if (hit !== undefined) return hit;
    // A stream whose /Length refers back to itself (directly or not) would recurse forever.
    if (this.reading.has(offset)) throw new PdfParseError(`reference loop at ${offset}`);
    this.reading.add(offset);
    try {
      const lx = new PdfParser(this.buf, offset);
      const { value } = lx.readIndirect((v) => {
        try {
          const r = this.resolve(v, upTo);
          return typeof r === 'number' ? r : undefined;
        } catch {
          return undefined; // unresolvable /Length: the stream is delimited by "endstream"
        }
      });
      this.cache.set(offset, value);
      return value;
    } finally {
      this.reading.delete(offset);
    }
  }

  /** The value of object `num` as the revision ending with section `upTo` saw it (null when free). */
  object(num: number, upTo = this.sections.length - 1): PdfObject {
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
      const lx = new PdfParser(data, 0);
      const pairs: [number, number][] = [];
      for (let i = 0; i < n; i++) pairs.push([lx.readInt(), lx.readInt()]);
      for (const [onum, off] of pairs) {
        lx.pos = first + off;
        objs.set(onum, lx.readObject());
      }
      this.objStmCache.set(key, objs);
    }
    return objs.get(num) ?? null;
  }

  /** Follows a reference; other values are returned as they are. */
  resolve(v: PdfObject | undefined, upTo = this.sections.length - 1): PdfObject {
    let cur: PdfObject = v ?? null;
    for (let i = 0; i < 32 && cur instanceof PdfRef; i++) cur = this.object(cur.num, upTo);
    return cur;
  }

  /** A dictionary (or a stream's dictionary) in the newest revision, or a PdfParseError naming `what`. */
  dict(o: PdfObject | undefined, what: string): PdfDict {
    const v = this.resolve(o);
    if (v instanceof PdfDict) return v;
    if (v instanceof PdfStream) return v.dict;
    throw new PdfParseError(`${what}: not a dictionary`);
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

  // --- the newest revision, as an incremental update sees it ---

  /** The trailer of the newest revision (for an xref stream: its dictionary). */
  get trailer(): PdfDict {
    return this.sections.at(-1)?.trailer ?? new PdfDict();
  }

  /** Whether the newest section is a cross-reference stream (an update writes the same kind). */
  get usesXrefStream(): boolean {
    return this.sections.at(-1)?.isStream ?? false;
  }

  /** One more than the highest object number in use. */
  get size(): number {
    const s = this.trailer.get('Size');
    let max = typeof s === 'number' ? s : 0;
    for (const sec of this.sections) for (const k of sec.entries.keys()) if (k >= max) max = k + 1;
    return max;
  }

  get catalog(): PdfDict {
    return this.dict(this.trailer.get('Root'), 'catalog');
  }

  /** References of the pages in order (walks the page tree), the first `limit` of them when given. */
  pages(limit = Number.POSITIVE_INFINITY): PdfRef[] {
    const out: PdfRef[] = [];
    this.walkPages(this.catalog.get('Pages'), out, new Set(), limit);
    return out;
  }

  private walkPages(ref: PdfObject | undefined, out: PdfRef[], seen: Set<number>, limit: number): void {
    if (!(ref instanceof PdfRef) || seen.has(ref.num) || out.length >= limit) return;
    seen.add(ref.num);
    const node = this.dict(ref, 'page tree node');
    const kids = this.resolve(node.get('Kids'));
    const type = node.name('Type');
    if (Array.isArray(kids) && (type === undefined || type === 'Pages')) {
      for (const k of kids) this.walkPages(k, out, seen, limit);
    } else out.push(ref);
  }

  /** An inheritable page attribute (MediaBox, Resources, Rotate...). */
  pageAttribute(page: PdfRef, key: string): PdfObject {
    let node: PdfDict | null = this.dict(page, 'page');
    for (let i = 0; node && i < 64; i++) {
      const v = node.get(key);
      if (v !== undefined) return this.resolve(v);
      const parent = node.get('Parent');
      node = parent ? this.dict(parent, 'page parent') : null;
    }
    return null;
  }
}
