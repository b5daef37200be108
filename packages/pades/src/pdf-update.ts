/**
 * Reading an existing PDF's structure (classic cross-reference tables, cross-reference streams,
 * object streams) and writing an incremental update appended to the original bytes (ISO 32000-1
 * §7.5.6). Earlier bytes are never rewritten, so earlier signatures stay valid.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import {
  concat,
  fromLatin1,
  latin1,
  PdfDict,
  PdfName,
  type PdfObject,
  PdfParser,
  PdfRef,
  PdfStream,
  PdfSyntaxError,
  serialize,
} from './pdf-objects.ts';

type XrefEntry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };

export class PdfReadError extends Error {}

/** Decodes a stream's data (FlateDecode with optional PNG/TIFF predictors; no filter). */
export function decodeStream(stream: PdfStream): Uint8Array {
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  const parmsObj = stream.dict.get('DecodeParms');
  const parmsList = Array.isArray(parmsObj) ? parmsObj : [parmsObj];
  let data = stream.data;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw new PdfReadError('bad /Filter');
    if (f.name !== 'FlateDecode') throw new PdfReadError(`unsupported filter ${f.name}`);
    data = new Uint8Array(inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */ }));
    const parms = parmsList[i];
    if (parms instanceof PdfDict) data = unpredict(data, parms);
  });
  return data;
}

function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = Number(parms.get('Predictor') ?? 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfReadError(`unsupported predictor ${predictor}`);
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
      } else throw new PdfReadError(`bad PNG filter type ${type}`);
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

/** An existing PDF, read lazily: the cross-reference data of every revision and object lookup. */
export class PdfDocument {
  readonly xref = new Map<number, XrefEntry>();
  /** The trailer of the newest revision (for an xref stream: its dictionary). */
  readonly trailer: PdfDict;
  /** Offset of the newest cross-reference section (the update's /Prev). */
  readonly lastXrefOffset: number;
  /** Whether the newest section is a cross-reference stream. */
  readonly usesXrefStream: boolean;
  private readonly cache = new Map<number, PdfObject>();
  private readonly objStreams = new Map<number, { data: Uint8Array; first: number; offsets: number[] }>();

  constructor(readonly bytes: Uint8Array) {
    const tail = latin1(bytes, Math.max(0, bytes.length - 2048));
    const m = /startxref\s+(\d+)\s+%%EOF[\s\S]*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail);
    if (!m) throw new PdfReadError('no startxref: not a PDF or truncated');
    this.lastXrefOffset = Number(m[1]);
    const first = this.readSection(this.lastXrefOffset);
    this.trailer = first.trailer;
    this.usesXrefStream = first.isStream;
    const seen = new Set([this.lastXrefOffset]);
    let prev = first.trailer.get('Prev');
    while (typeof prev === 'number' && !seen.has(prev)) {
      seen.add(prev);
      prev = this.readSection(prev).trailer.get('Prev');
    }
    if (this.trailer.get('Encrypt')) throw new PdfReadError('encrypted PDFs are not supported');
    if (!(this.trailer.get('Root') instanceof PdfRef)) throw new PdfReadError('trailer without /Root');
  }

  get size(): number {
    const s = this.trailer.get('Size');
    let max = typeof s === 'number' ? s : 0;
    for (const k of this.xref.keys()) max = Math.max(max, k + 1);
    return max;
  }

  /** Reads one xref section; entries already known (from newer sections) are kept. */
  private readSection(offset: number): { trailer: PdfDict; isStream: boolean } {
    const p = new PdfParser(this.bytes, offset);
    if (p.peekKeyword() === 'xref') {
      p.readKeyword();
      for (;;) {
        const k = p.peekKeyword();
        if (k === 'trailer') break;
        if (k === null || !/^\d+$/.test(k)) throw new PdfReadError(`bad xref table at ${p.pos}`);
        const start = Number(p.readKeyword());
        const count = Number(p.readKeyword());
        for (let i = 0; i < count; i++) {
          const off = Number(p.readKeyword());
          const gen = Number(p.readKeyword());
          const kind = p.readKeyword();
          const num = start + i;
          if (this.xref.has(num)) continue;
          if (kind === 'n') this.xref.set(num, { type: 1, offset: off, gen });
          else this.xref.set(num, { type: 1, offset: -1, gen }); // free: shadows older revisions
        }
      }
      p.readKeyword();
      const trailer = p.readObject();
      if (!(trailer instanceof PdfDict)) throw new PdfReadError('bad trailer');
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number') this.readSection(stm);
      return { trailer, isStream: false };
    }
    p.readKeyword();
    p.readKeyword();
    p.expectKeyword('obj');
    const obj = p.readObject();
    if (!(obj instanceof PdfStream) || (obj.dict.get('Type') as PdfName | undefined)?.name !== 'XRef') {
      throw new PdfReadError(`no cross-reference section at ${offset}`);
    }
    const data = decodeStream(obj);
    const w = obj.dict.get('W');
    if (!Array.isArray(w) || w.length !== 3) throw new PdfReadError('bad /W');
    const [w0, w1, w2] = w.map(Number) as [number, number, number];
    const size = Number(obj.dict.get('Size'));
    const index = (obj.dict.get('Index') as number[] | undefined) ?? [0, size];
    let at = 0;
    const field = (width: number, dflt: number) => {
      if (width === 0) return dflt;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[at++]!;
      return v;
    };
    for (let s = 0; s + 1 < index.length; s += 2) {
      const start = Number(index[s]);
      const count = Number(index[s + 1]);
      for (let i = 0; i < count; i++) {
        if (at + w0 + w1 + w2 > data.length) throw new PdfReadError('xref stream shorter than its /Index');
        const type = field(w0, 1);
        const f1 = field(w1, 0);
        const f2 = field(w2, 0);
        const num = start + i;
        if (this.xref.has(num)) continue;
        if (type === 1) this.xref.set(num, { type: 1, offset: f1, gen: f2 });
        else if (type === 2) this.xref.set(num, { type: 2, stream: f1, index: f2 });
        else if (type === 0) this.xref.set(num, { type: 1, offset: -1, gen: f2 });
      }
    }
    return { trailer: obj.dict, isStream: true };
  }

  /** The object `num` (null when free or missing). */
  get(num: number): PdfObject {
    if (this.cache.has(num)) return this.cache.get(num)!;
    const e = this.xref.get(num);
    let obj: PdfObject = null;
    if (e?.type === 1 && e.offset >= 0) obj = this.readAt(num, e.offset);
    else if (e?.type === 2) obj = this.readFromObjectStream(e.stream, e.index);
    this.cache.set(num, obj);
    return obj;
  }

  /** Follows a reference; other values are returned as they are. */
  resolve(o: PdfObject | undefined): PdfObject {
    let v: PdfObject = o ?? null;
    for (let i = 0; i < 32 && v instanceof PdfRef; i++) v = this.get(v.num);
    return v;
  }

  dict(o: PdfObject | undefined, what: string): PdfDict {
    const v = this.resolve(o);
    if (v instanceof PdfDict) return v;
    if (v instanceof PdfStream) return v.dict;
    throw new PdfReadError(`${what}: not a dictionary`);
  }

  private readAt(num: number, offset: number): PdfObject {
    const p = new PdfParser(this.bytes, offset);
    const header = () => {
      const n = p.readKeyword();
      p.readKeyword();
      p.expectKeyword('obj');
      return Number(n);
    };
    try {
      if (header() !== num) throw new PdfSyntaxError('object number mismatch');
    } catch {
      // A wrong offset (hand-edited files): look for the object header in the file.
      const m = new RegExp(`(?:^|[^0-9])${num}\\s+\\d+\\s+obj`, 'g');
      const text = latin1(this.bytes);
      let found = -1;
      for (let r = m.exec(text); r; r = m.exec(text)) found = r.index + (/^\d/.test(r[0]) ? 0 : 1);
      if (found < 0) throw new PdfReadError(`object ${num} not found`);
      p.pos = found;
      header();
    }
    return p.readObject((ref) => {
      const v = ref.num === num ? undefined : this.resolve(ref);
      return typeof v === 'number' ? v : undefined;
    });
  }

  private readFromObjectStream(streamNum: number, index: number): PdfObject {
    let os = this.objStreams.get(streamNum);
    if (!os) {
      const s = this.get(streamNum);
      if (!(s instanceof PdfStream)) throw new PdfReadError(`object stream ${streamNum} missing`);
      const data = decodeStream(s);
      const n = Number(s.dict.get('N'));
      const hp = new PdfParser(data, 0);
      const offsets: number[] = [];
      for (let i = 0; i < n; i++) {
        hp.readKeyword();
        offsets.push(Number(hp.readKeyword()));
      }
      os = { data, first: Number(s.dict.get('First')), offsets };
      this.objStreams.set(streamNum, os);
    }
    const off = os.offsets[index];
    if (off === undefined) throw new PdfReadError(`object stream ${streamNum} has no entry ${index}`);
    return new PdfParser(os.data, os.first + off).readObject();
  }

  get catalog(): PdfDict {
    return this.dict(this.trailer.get('Root'), 'catalog');
  }

  /** References of the pages in order (walks the page tree). */
  pages(): PdfRef[] {
    const out: PdfRef[] = [];
    const seen = new Set<number>();
    const walk = (ref: PdfObject | undefined) => {
      if (!(ref instanceof PdfRef) || seen.has(ref.num)) return;
      seen.add(ref.num);
      const node = this.dict(ref, 'page tree node');
      const type = node.get('Type');
      const kids = this.resolve(node.get('Kids'));
      if (Array.isArray(kids) && (!(type instanceof PdfName) || type.name === 'Pages')) {
        for (const k of kids) walk(k);
      } else out.push(ref);
    };
    walk(this.catalog.get('Pages'));
    return out;
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

/** Collects the objects of one incremental update and writes it after the original bytes. */
export class IncrementalUpdate {
  private nextNum: number;
  private readonly objects = new Map<number, { gen: number; obj: PdfObject }>();

  constructor(readonly doc: PdfDocument) {
    this.nextNum = doc.size;
  }

  /** A new object number for `obj`. */
  add(obj: PdfObject): PdfRef {
    const num = this.nextNum++;
    this.objects.set(num, { gen: 0, obj });
    return new PdfRef(num, 0);
  }

  /** A new version of an existing object. */
  replace(ref: PdfRef, obj: PdfObject): void {
    this.objects.set(ref.num, { gen: ref.gen, obj });
  }

  /**
   * The original bytes followed by the update. `onObject` reports where each object landed
   * (absolute offsets), so that placeholders can be found later.
   */
  write(onObject?: (num: number, start: number, bytes: Uint8Array) => void): Uint8Array {
    const orig = this.doc.bytes;
    const parts: Uint8Array[] = [orig];
    let pos = orig.length;
    const push = (b: Uint8Array) => {
      parts.push(b);
      pos += b.length;
    };
    const last = orig[orig.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(fromLatin1('\n'));
    const offsets = new Map<number, { offset: number; gen: number }>();
    for (const [num, { gen, obj }] of [...this.objects].sort((a, b) => a[0] - b[0])) {
      offsets.set(num, { offset: pos, gen });
      push(fromLatin1(`${num} ${gen} obj\n`));
      const body = serialize(obj);
      onObject?.(num, pos, body);
      push(body);
      push(fromLatin1('\nendobj\n'));
    }
    const trailer = new PdfDict();
    for (const key of ['Root', 'Info', 'ID']) {
      const v = this.doc.trailer.get(key);
      if (v !== undefined) trailer.set(key, v);
    }
    trailer.set('Prev', this.doc.lastXrefOffset);
    const xrefOffset = pos;
    if (this.doc.usesXrefStream) {
      const num = this.nextNum++;
      offsets.set(num, { offset: xrefOffset, gen: 0 });
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      const index: number[] = [];
      const rows: number[] = [];
      for (const n of nums) {
        const prevRun = index.length >= 2 && index[index.length - 2]! + index[index.length - 1]! === n;
        if (prevRun) index[index.length - 1]!++;
        else index.push(n, 1);
        const { offset, gen } = offsets.get(n)!;
        rows.push(
          1,
          (offset >>> 24) & 0xff,
          (offset >>> 16) & 0xff,
          (offset >>> 8) & 0xff,
          offset & 0xff,
          gen >> 8,
          gen & 0xff,
        );
      }
      const dict = new PdfDict({ Type: new PdfName('XRef'), Size: this.nextNum, Index: index, W: [1, 4, 2] });
      for (const [k, v] of trailer.map) dict.set(k, v);
      dict.set('Filter', new PdfName('FlateDecode'));
      const stream = new PdfStream(dict, new Uint8Array(deflateSync(Uint8Array.from(rows))));
      push(fromLatin1(`${num} 0 obj\n`));
      push(serialize(stream));
      push(fromLatin1('\nendobj\n'));
    } else {
      let text = 'xref\n';
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      for (let i = 0; i < nums.length; ) {
        let j = i;
        while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
        text += `${nums[i]} ${j - i + 1}\n`;
        for (let k = i; k <= j; k++) {
          const { offset, gen } = offsets.get(nums[k]!)!;
          text += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
        }
        i = j + 1;
      }
      trailer.set('Size', this.nextNum);
      push(fromLatin1(text));
      push(fromLatin1('trailer\n'));
      push(serialize(trailer));
      push(fromLatin1('\n'));
    }
    push(fromLatin1(`startxref\n${xrefOffset}\n%%EOF\n`));
    return concat(parts);
  }
}
