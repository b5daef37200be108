/**
 * Glyph outlines from a TrueType font's 'glyf' table (quadratic contours, composite glyphs) and an
 * anti-aliased scanline fill (non-zero winding) to rasterise them, or any other polygon, into a
 * coverage mask. Used to draw text into generated images (the red seal), not for PDF text.
 */
import { FontError, parseTrueType, type TrueTypeFont } from './truetype.ts';

export interface Point {
  x: number;
  y: number;
}

/** A closed polygon; the last point joins the first. */
export type Contour = Point[];

export interface OutlineFont extends TrueTypeFont {
  /**
   * The glyph's contours flattened into polygons, in font units (y up, origin on the baseline at the
   * glyph's left side bearing point). `tolerance` is the largest distance in font units between a
   * curve and its polygon (default: a thousandth of the em).
   */
  contours(gid: number, tolerance?: number): Contour[];
}

interface RawPoint {
  x: number;
  y: number;
  on: boolean;
}

// Simple glyph flags.
const ON_CURVE = 0x01;
const X_SHORT = 0x02;
const Y_SHORT = 0x04;
const REPEAT = 0x08;
const X_SAME_OR_POSITIVE = 0x10;
const Y_SAME_OR_POSITIVE = 0x20;
// Composite glyph flags.
const ARGS_ARE_WORDS = 0x0001;
const ARGS_ARE_XY = 0x0002;
const HAVE_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const HAVE_XY_SCALE = 0x0040;
const HAVE_2X2 = 0x0080;
const SCALED_OFFSET = 0x0800;

const MAX_COMPOSITE_DEPTH = 8;

export function parseOutlineFont(bytes: Uint8Array): OutlineFont {
  const font = parseTrueType(bytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  for (let i = 0; i < v.getUint16(4); i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(bytes[rec]!, bytes[rec + 1]!, bytes[rec + 2]!, bytes[rec + 3]!);
    tables.set(tag, v.getUint32(rec + 8));
  }
  const table = (tag: string) => {
    const off = tables.get(tag);
    if (off === undefined) throw new FontError(`font has no '${tag}' table`);
    return off;
  };
  const longLoca = v.getInt16(table('head') + 50) === 1;
  const numGlyphs = v.getUint16(table('maxp') + 4);
  const loca = table('loca');
  const glyf = table('glyf');
  const glyphRange = (g: number): [number, number] =>
    longLoca
      ? [v.getUint32(loca + 4 * g), v.getUint32(loca + 4 * g + 4)]
      : [v.getUint16(loca + 2 * g) * 2, v.getUint16(loca + 2 * g + 2) * 2];

  const rawGlyph = (gid: number, depth: number): RawPoint[][] => {
    if (gid >= numGlyphs) throw new FontError(`glyph ${gid} is out of range`);
    const [start, end] = glyphRange(gid);
    if (end <= start) return []; // an empty glyph, e.g. the space
    const p = glyf + start;
    const numberOfContours = v.getInt16(p);
    return numberOfContours >= 0 ? simpleGlyph(v, p, numberOfContours) : compositeGlyph(p + 10, depth);
  };

  const compositeGlyph = (start: number, depth: number): RawPoint[][] => {
    if (depth >= MAX_COMPOSITE_DEPTH) throw new FontError('composite glyphs nested too deeply');
    const out: RawPoint[][] = [];
    let p = start;
    for (;;) {
      const flags = v.getUint16(p);
      const component = v.getUint16(p + 2);
      p += 4;
      let arg1: number;
      let arg2: number;
      if (flags & ARGS_ARE_WORDS) {
        arg1 = flags & ARGS_ARE_XY ? v.getInt16(p) : v.getUint16(p);
        arg2 = flags & ARGS_ARE_XY ? v.getInt16(p + 2) : v.getUint16(p + 2);
        p += 4;
      } else {
        arg1 = flags & ARGS_ARE_XY ? v.getInt8(p) : v.getUint8(p);
        arg2 = flags & ARGS_ARE_XY ? v.getInt8(p + 1) : v.getUint8(p + 1);
        p += 2;
      }
      // Transform [a c; b d] in F2Dot14.
      let a = 1;
      let b = 0;
      let c = 0;
      let d = 1;
      const f2dot14 = (at: number) => v.getInt16(at) / 16384;
      if (flags & HAVE_SCALE) {
        a = d = f2dot14(p);
        p += 2;
      } else if (flags & HAVE_XY_SCALE) {
        a = f2dot14(p);
        d = f2dot14(p + 2);
        p += 4;
      } else if (flags & HAVE_2X2) {
        a = f2dot14(p);
        b = f2dot14(p + 2);
        c = f2dot14(p + 4);
        d = f2dot14(p + 6);
        p += 8;
      }
      const parts = rawGlyph(component, depth + 1).map((contour) =>
        contour.map((q) => ({ x: a * q.x + c * q.y, y: b * q.x + d * q.y, on: q.on })),
      );
      let dx: number;
      let dy: number;
      if (flags & ARGS_ARE_XY) {
        dx = arg1;
        dy = arg2;
        if (flags & SCALED_OFFSET) [dx, dy] = [a * dx + c * dy, b * dx + d * dy];
      } else {
        // Point matching: the component's point arg2 lands on the glyph's point arg1 (so far).
        const parent = out.flat()[arg1];
        const child = parts.flat()[arg2];
        if (!parent || !child) throw new FontError('composite glyph anchors a missing point');
        dx = parent.x - child.x;
        dy = parent.y - child.y;
      }
      for (const contour of parts) out.push(contour.map((q) => ({ x: q.x + dx, y: q.y + dy, on: q.on })));
      if (!(flags & MORE_COMPONENTS)) break;
    }
    return out;
  };

  return {
    ...font,
    contours(gid, tolerance = font.unitsPerEm / 1000) {
      return rawGlyph(gid, 0).map((raw) => flattenContour(raw, tolerance));
    },
  };
}

function simpleGlyph(v: DataView, p: number, numberOfContours: number): RawPoint[][] {
  const ends: number[] = [];
  for (let i = 0; i < numberOfContours; i++) ends.push(v.getUint16(p + 10 + 2 * i));
  const count = numberOfContours ? ends[numberOfContours - 1]! + 1 : 0;
  let at = p + 10 + 2 * numberOfContours;
  at += 2 + v.getUint16(at); // skip the hinting instructions
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; ) {
    const f = v.getUint8(at++);
    flags[i++] = f;
    if (f & REPEAT) for (let r = v.getUint8(at++); r > 0 && i < count; r--) flags[i++] = f;
  }
  const coords = (short: number, sameOrPositive: number): number[] => {
    const out: number[] = [];
    let value = 0;
    for (let i = 0; i < count; i++) {
      const f = flags[i]!;
      if (f & short) {
        const delta = v.getUint8(at++);
        value += f & sameOrPositive ? delta : -delta;
      } else if (!(f & sameOrPositive)) {
        value += v.getInt16(at);
        at += 2;
      }
      out.push(value);
    }
    return out;
  };
  const xs = coords(X_SHORT, X_SAME_OR_POSITIVE);
  const ys = coords(Y_SHORT, Y_SAME_OR_POSITIVE);
  const contours: RawPoint[][] = [];
  let first = 0;
  for (const end of ends) {
    const contour: RawPoint[] = [];
    for (let i = first; i <= end; i++) contour.push({ x: xs[i]!, y: ys[i]!, on: !!(flags[i]! & ON_CURVE) });
    if (contour.length) contours.push(contour);
    first = end + 1;
  }
  return contours;
}

/** Turns a TrueType contour (on-curve points and quadratic control points) into a polygon. */
function flattenContour(raw: RawPoint[], tolerance: number): Contour {
  const n = raw.length;
  // Start on an on-curve point (or, with none, between the last and first control points) and walk
  // round back to it; two control points in a row imply an on-curve point halfway between them.
  const first = raw.findIndex((q) => q.on);
  const start: Point = first >= 0 ? raw[first]! : mid(raw[n - 1]!, raw[0]!);
  const walk = first >= 0 ? Array.from({ length: n }, (_, k) => raw[(first + 1 + k) % n]!) : raw;
  const out: Point[] = [{ x: start.x, y: start.y }];
  let current = start;
  let control: Point | null = null;
  for (const q of walk) {
    if (q.on) {
      if (control) quad(out, current, control, q, tolerance);
      else out.push({ x: q.x, y: q.y });
      current = q;
      control = null;
    } else if (control) {
      const m = mid(control, q);
      quad(out, current, control, m, tolerance);
      current = m;
      control = q;
    } else control = q;
  }
  if (control) quad(out, current, control, start, tolerance);
  const last = out[out.length - 1]!;
  if (out.length > 1 && last.x === start.x && last.y === start.y) out.pop();
  return out;
}

function mid(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** Appends a quadratic Bézier's points after p0 (p0 itself is already in the polygon). */
function quad(out: Point[], p0: Point, p1: Point, p2: Point, tolerance: number): void {
  // The curve strays from its chord by at most |p0 - 2 p1 + p2| / 4.
  const dev = Math.hypot(p0.x - 2 * p1.x + p2.x, p0.y - 2 * p1.y + p2.y) / 4;
  const steps = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(dev / tolerance))));
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    out.push({
      x: u * u * p0.x + 2 * u * t * p1.x + t * t * p2.x,
      y: u * u * p0.y + 2 * u * t * p1.y + t * t * p2.y,
    });
  }
}

/** How many sub-scanlines sample each pixel row. */
const SUBSAMPLES = 16;

/**
 * A grey coverage mask (0 = empty, 1 = fully covered), rows top to bottom. Drawing takes the
 * maximum with what is already there, so separate shapes may touch without darkening.
 */
export class CoverageMask {
  readonly data: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height);
  }

  /**
   * Fills polygons (pixel coordinates, y down) with the non-zero winding rule, anti-aliased:
   * exact horizontal coverage on each of 16 sub-scanlines per pixel row.
   */
  fill(polygons: Contour[], opacity = 1): void {
    interface Edge {
      y0: number;
      y1: number;
      x0: number;
      slope: number;
      dir: number;
    }
    const edges: Edge[] = [];
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const poly of polygons) {
      for (let i = 0; i < poly.length; i++) {
        const a = poly[i]!;
        const b = poly[(i + 1) % poly.length]!;
        if (a.y === b.y) continue;
        const [lo, hi, dir] = a.y < b.y ? [a, b, 1] : [b, a, -1];
        edges.push({ y0: lo.y, y1: hi.y, x0: lo.x, slope: (hi.x - lo.x) / (hi.y - lo.y), dir });
        minY = Math.min(minY, lo.y);
        maxY = Math.max(maxY, hi.y);
      }
    }
    if (!edges.length) return;
    edges.sort((e, f) => e.y0 - f.y0);
    const rowStart = Math.max(0, Math.floor(minY));
    const rowEnd = Math.min(this.height, Math.ceil(maxY));
    const acc = new Float32Array(this.width + 1);
    const crossings: { x: number; dir: number }[] = [];
    let active: Edge[] = [];
    let next = 0;
    const weight = 1 / SUBSAMPLES;
    for (let row = rowStart; row < rowEnd; row++) {
      acc.fill(0);
      let touched = false;
      for (let s = 0; s < SUBSAMPLES; s++) {
        const sy = row + (s + 0.5) / SUBSAMPLES;
        while (next < edges.length && edges[next]!.y0 <= sy) active.push(edges[next++]!);
        active = active.filter((e) => e.y1 > sy);
        crossings.length = 0;
        for (const e of active) {
          if (e.y0 <= sy) crossings.push({ x: e.x0 + (sy - e.y0) * e.slope, dir: e.dir });
        }
        if (crossings.length < 2) continue;
        crossings.sort((p, q) => p.x - q.x);
        let winding = 0;
        for (let i = 0; i < crossings.length - 1; i++) {
          winding += crossings[i]!.dir;
          if (winding !== 0) {
            this.span(acc, crossings[i]!.x, crossings[i + 1]!.x, weight);
            touched = true;
          }
        }
      }
      if (!touched) continue;
      const base = row * this.width;
      for (let x = 0; x < this.width; x++) {
        const c = Math.min(1, acc[x]!) * opacity;
        if (c > this.data[base + x]!) this.data[base + x] = c;
      }
    }
  }

  private span(acc: Float32Array, xa: number, xb: number, w: number): void {
    const a = Math.max(0, Math.min(this.width, xa));
    const b = Math.max(0, Math.min(this.width, xb));
    if (b <= a) return;
    const ia = Math.floor(a);
    const ib = Math.floor(b);
    if (ia === ib) {
      acc[ia] = acc[ia]! + (b - a) * w;
      return;
    }
    acc[ia] = acc[ia]! + (ia + 1 - a) * w;
    for (let i = ia + 1; i < ib; i++) acc[i] = acc[i]! + w;
    if (ib < this.width) acc[ib] = acc[ib]! + (b - ib) * w;
  }
}
