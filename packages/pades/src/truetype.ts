/**
 * Just enough of a TrueType font to embed it in a PDF as a CIDFontType2 (Identity-H): the
 * character map (formats 4 and 12), advance widths and the metrics of the font descriptor.
 */

export class FontError extends Error {}

export interface TrueTypeFont {
  postScriptName: string;
  unitsPerEm: number;
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  /** Unicode code point → glyph id. */
  glyphFor(codePoint: number): number | undefined;
  /** Advance width in font units. */
  advance(gid: number): number;
}

export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = v.getUint32(0);
  if (tag !== 0x00010000 && tag !== 0x74727565) throw new FontError('not a TrueType font (glyf outlines)');
  const tables = new Map<string, number>();
  const numTables = v.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const name = String.fromCharCode(bytes[rec]!, bytes[rec + 1]!, bytes[rec + 2]!, bytes[rec + 3]!);
    tables.set(name, v.getUint32(rec + 8));
  }
  const table = (name: string) => {
    const off = tables.get(name);
    if (off === undefined) throw new FontError(`font has no '${name}' table`);
    return off;
  };
  const head = table('head');
  const unitsPerEm = v.getUint16(head + 18);
  const bbox: [number, number, number, number] = [
    v.getInt16(head + 36),
    v.getInt16(head + 38),
    v.getInt16(head + 40),
    v.getInt16(head + 42),
  ];
  const hhea = table('hhea');
  const numberOfHMetrics = v.getUint16(hhea + 34);
  let ascent = v.getInt16(hhea + 4);
  let descent = v.getInt16(hhea + 6);
  let capHeight = ascent;
  const os2 = tables.get('OS/2');
  if (os2 !== undefined) {
    ascent = v.getInt16(os2 + 68);
    descent = v.getInt16(os2 + 70);
    if (v.getUint16(os2) >= 2) capHeight = v.getInt16(os2 + 88);
  }
  const post = tables.get('post');
  const italicAngle = post !== undefined ? v.getInt32(post + 4) / 65536 : 0;
  const hmtx = table('hmtx');
  const advance = (gid: number) => v.getUint16(hmtx + 4 * Math.min(gid, numberOfHMetrics - 1));

  // cmap: prefer format 12 (full Unicode), else format 4 (BMP), from a Unicode subtable.
  const cmap = table('cmap');
  let f4 = -1;
  let f12 = -1;
  for (let i = 0; i < v.getUint16(cmap + 2); i++) {
    const platform = v.getUint16(cmap + 4 + 8 * i);
    const encoding = v.getUint16(cmap + 6 + 8 * i);
    const off = cmap + v.getUint32(cmap + 8 + 8 * i);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = v.getUint16(off);
    if (format === 12) f12 = off;
    else if (format === 4) f4 = off;
  }
  let glyphFor: (cp: number) => number | undefined;
  if (f12 >= 0) {
    const groups = v.getUint32(f12 + 12);
    glyphFor = (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = f12 + 16 + 12 * mid;
        const start = v.getUint32(g);
        const end = v.getUint32(g + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return v.getUint32(g + 8) + (cp - start) || undefined;
      }
      return undefined;
    };
  } else if (f4 >= 0) {
    const segX2 = v.getUint16(f4 + 6);
    const ends = f4 + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    glyphFor = (cp) => {
      if (cp > 0xffff) return undefined;
      for (let i = 0; i < segX2; i += 2) {
        if (cp > v.getUint16(ends + i)) continue;
        const start = v.getUint16(starts + i);
        if (cp < start) return undefined;
        const delta = v.getInt16(deltas + i);
        const ro = v.getUint16(rangeOffsets + i);
        if (ro === 0) return (cp + delta) & 0xffff || undefined;
        const g = v.getUint16(rangeOffsets + i + ro + 2 * (cp - start));
        return g === 0 ? undefined : (g + delta) & 0xffff || undefined;
      }
      return undefined;
    };
  } else throw new FontError('font has no Unicode cmap (format 4 or 12)');

  return {
    postScriptName: postScriptName(bytes, v, tables.get('name')) ?? 'EmbeddedFont',
    unitsPerEm,
    bbox,
    ascent,
    descent,
    capHeight,
    italicAngle,
    glyphFor,
    advance,
  };
}

function postScriptName(bytes: Uint8Array, v: DataView, nameTable: number | undefined): string | null {
  if (nameTable === undefined) return null;
  const count = v.getUint16(nameTable + 2);
  const strings = nameTable + v.getUint16(nameTable + 4);
  for (let i = 0; i < count; i++) {
    const rec = nameTable + 6 + 12 * i;
    if (v.getUint16(rec + 6) !== 6) continue;
    const platform = v.getUint16(rec);
    const len = v.getUint16(rec + 8);
    const off = strings + v.getUint16(rec + 10);
    let s = '';
    if (platform === 3 || platform === 0)
      for (let k = 0; k < len; k += 2) s += String.fromCharCode(v.getUint16(off + k));
    else for (let k = 0; k < len; k++) s += String.fromCharCode(bytes[off + k]!);
    s = s.replace(/[^A-Za-z0-9-]/g, '');
    if (s) return s;
  }
  return null;
}

/**
 * A subset of a TrueType font that keeps the glyph ids (so CID = glyph id still holds) but empties
 * every glyph outside `keep` (glyph 0 and the parts of composite glyphs are kept too). Tables that
 * a PDF CIDFontType2 does not need (post names, kerning, layout) are dropped.
 */
export function subsetTrueType(bytes: Uint8Array, keep: Iterable<number>): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < v.getUint16(4); i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(bytes[rec]!, bytes[rec + 1]!, bytes[rec + 2]!, bytes[rec + 3]!);
    tables.set(tag, { offset: v.getUint32(rec + 8), length: v.getUint32(rec + 12) });
  }
  const need = (tag: string) => {
    const t = tables.get(tag);
    if (!t) throw new FontError(`font has no '${tag}' table`);
    return t;
  };
  const head = need('head');
  const longLoca = v.getInt16(head.offset + 50) === 1;
  const numGlyphs = v.getUint16(need('maxp').offset + 4);
  const loca = need('loca').offset;
  const glyf = need('glyf').offset;
  const glyphRange = (g: number): [number, number] =>
    longLoca
      ? [v.getUint32(loca + 4 * g), v.getUint32(loca + 4 * g + 4)]
      : [v.getUint16(loca + 2 * g) * 2, v.getUint16(loca + 2 * g + 2) * 2];

  const kept = new Set<number>([0]);
  const stack = [...keep];
  while (stack.length) {
    const g = stack.pop()!;
    if (g >= numGlyphs || kept.has(g)) {
      kept.add(g);
      continue;
    }
    kept.add(g);
    const [start, end] = glyphRange(g);
    if (end <= start || v.getInt16(glyf + start) >= 0) continue;
    // Composite glyph: keep its components.
    let p = glyf + start + 10;
    for (;;) {
      const flags = v.getUint16(p);
      stack.push(v.getUint16(p + 2));
      p += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) p += 2;
      else if (flags & 0x0040) p += 4;
      else if (flags & 0x0080) p += 8;
      if (!(flags & 0x0020)) break;
    }
  }

  const glyphParts: Uint8Array[] = [];
  const newLoca = new DataView(new ArrayBuffer(4 * (numGlyphs + 1)));
  let glyfLen = 0;
  for (let g = 0; g < numGlyphs; g++) {
    newLoca.setUint32(4 * g, glyfLen);
    if (!kept.has(g)) continue;
    const [start, end] = glyphRange(g);
    if (end <= start) continue;
    const data = bytes.subarray(glyf + start, glyf + end);
    const padded = new Uint8Array((data.length + 3) & ~3);
    padded.set(data);
    glyphParts.push(padded);
    glyfLen += padded.length;
  }
  newLoca.setUint32(4 * numGlyphs, glyfLen);
  const newGlyf = new Uint8Array(glyfLen);
  let at = 0;
  for (const part of glyphParts) {
    newGlyf.set(part, at);
    at += part.length;
  }
  const newHead = bytes.slice(head.offset, head.offset + head.length);
  new DataView(newHead.buffer).setUint32(8, 0); // checkSumAdjustment
  new DataView(newHead.buffer).setInt16(50, 1); // long loca

  const out = new Map<string, Uint8Array>();
  for (const tag of ['cmap', 'cvt ', 'fpgm', 'hhea', 'hmtx', 'maxp', 'OS/2', 'prep']) {
    const t = tables.get(tag);
    if (t) out.set(tag, bytes.subarray(t.offset, t.offset + t.length));
  }
  out.set('head', newHead);
  out.set('loca', new Uint8Array(newLoca.buffer));
  out.set('glyf', newGlyf);
  return writeFont(out);
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  const padded = new Uint8Array((data.length + 3) & ~3);
  padded.set(data);
  const v = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

function writeFont(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const dirLen = 12 + 16 * n;
  let total = dirLen;
  for (const t of tags) total += (tables.get(t)!.length + 3) & ~3;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x00010000);
  v.setUint16(4, n);
  const pow = 2 ** Math.floor(Math.log2(n));
  v.setUint16(6, pow * 16);
  v.setUint16(8, Math.log2(pow));
  v.setUint16(10, n * 16 - pow * 16);
  let offset = dirLen;
  let headOffset = 0;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const rec = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[rec + k] = tag.charCodeAt(k);
    v.setUint32(rec + 4, checksum(data));
    v.setUint32(rec + 8, offset);
    v.setUint32(rec + 12, data.length);
    out.set(data, offset);
    if (tag === 'head') headOffset = offset;
    offset += (data.length + 3) & ~3;
  });
  v.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
