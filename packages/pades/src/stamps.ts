/**
 * Generated demo images for visible signatures (NĐ 30/2020 Phụ lục I): a signer's handwritten-looking
 * signature in blue ink and an agency's round red seal (con dấu), both PNG with a transparent
 * background. Nothing is copied from a real person or agency; everything is drawn from a seed.
 */
import { deflateSync } from 'node:zlib';
import {
  type Contour,
  CoverageMask,
  type OutlineFont,
  type Point,
  parseOutlineFont,
} from './glyph-outline.ts';
import { FontError } from './truetype.ts';

export interface StampImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export interface SealImage extends StampImage {
  /** The seal's real diameter: place the image this wide (it is square and the seal fills it). */
  diameterMm: number;
  /** The resolution the image was drawn for: width = diameterMm / 25.4 × dpi. */
  dpi: number;
}

export interface SealOptions {
  /** A smaller line along the bottom arc, e.g. the province; none by default. */
  bottomLine?: string;
  /** Real diameter in millimetres. Default 38 (agency seals are about 36–42 mm). */
  diameterMm?: number;
  /** Default 300. */
  dpi?: number;
}

const SIGNATURE_INK: [number, number, number] = [0x1a, 0x3c, 0x9e];
const SEAL_INK: [number, number, number] = [0xd0, 0x02, 0x1b];

// ---------------------------------------------------------------------------------------------
// PNG

let crcTable: Uint32Array | null = null;

function crc32(data: Uint8Array, from: number, to: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Encodes 8-bit RGBA pixels (rows top to bottom, not premultiplied) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new RangeError('PNG size must be positive integers');
  if (rgba.length !== width * height * 4) throw new RangeError('RGBA data does not match the PNG size');
  const stride = width * 4;
  const filtered = new Uint8Array(height * (stride + 1));
  const candidate = new Uint8Array(stride);
  const best = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : null;
    // Per row, the filter whose output has the smallest sum of absolute (signed) bytes.
    let bestType = 0;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let type = 0; type <= 4; type++) {
      let score = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= 4 ? row[i - 4]! : 0;
        const b = up ? up[i]! : 0;
        const c = up && i >= 4 ? up[i - 4]! : 0;
        const predictor =
          type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const out = (row[i]! - predictor) & 0xff;
        candidate[i] = out;
        score += out < 128 ? out : 256 - out;
      }
      if (score < bestScore) {
        bestScore = score;
        bestType = type;
        best.set(candidate);
      }
    }
    filtered[y * (stride + 1)] = bestType;
    filtered.set(best, y * (stride + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, width);
  h.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, not interlaced
  const chunks: [string, Uint8Array][] = [
    ['IHDR', ihdr],
    ['IDAT', new Uint8Array(deflateSync(filtered, { level: 9 }))],
    ['IEND', new Uint8Array(0)],
  ];
  const out = new Uint8Array(8 + chunks.reduce((n, [, d]) => n + 12 + d.length, 0));
  const v = new DataView(out.buffer);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  for (const [type, data] of chunks) {
    v.setUint32(at, data.length);
    for (let k = 0; k < 4; k++) out[at + 4 + k] = type.charCodeAt(k);
    out.set(data, at + 8);
    v.setUint32(at + 8 + data.length, crc32(out, at + 4, at + 8 + data.length));
    at += 12 + data.length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** One ink colour over a coverage mask (times an optional per-pixel density) as RGBA. */
function inkImage(mask: CoverageMask, ink: [number, number, number], density?: Float32Array): Uint8Array {
  const rgba = new Uint8Array(mask.width * mask.height * 4);
  for (let i = 0; i < mask.data.length; i++) {
    const a = Math.round(255 * Math.min(1, mask.data[i]! * (density ? density[i]! : 1)));
    if (a === 0) continue;
    rgba.set(ink, 4 * i);
    rgba[4 * i + 3] = a;
  }
  return rgba;
}

// ---------------------------------------------------------------------------------------------
// Randomness: deterministic for a given text and seed.

function hashText(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0; // FNV-1a over UTF-16 code units
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: small, fast and good enough for shapes. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth 2-D value noise in [0, 1], cell size in pixels. */
function valueNoise(random: () => number, cell: number): (x: number, y: number) => number {
  const size = 64;
  const grid = Float32Array.from({ length: size * size }, () => random());
  const at = (i: number, j: number) =>
    grid[(((j % size) + size) % size) * size + (((i % size) + size) % size)]!;
  const smooth = (t: number) => t * t * (3 - 2 * t);
  return (x, y) => {
    const gx = x / cell;
    const gy = y / cell;
    const i = Math.floor(gx);
    const j = Math.floor(gy);
    const u = smooth(gx - i);
    const w = smooth(gy - j);
    const top = at(i, j) * (1 - u) + at(i + 1, j) * u;
    const bottom = at(i, j + 1) * (1 - u) + at(i + 1, j + 1) * u;
    return top * (1 - w) + bottom * w;
  };
}

// ---------------------------------------------------------------------------------------------
// Signature

const SIGNATURE_WIDTH = 300;
const SIGNATURE_HEIGHT = 120;

/** Letters by the cursive shape they leave in a quick signature. */
type LetterShape = 'tall' | 'deep' | 'oval' | 'hump' | 'cup' | 'eye' | 'wave';

function letterShape(letter: string): LetterShape {
  if ('bdfhklt'.includes(letter)) return 'tall';
  if ('gjpqy'.includes(letter)) return 'deep';
  if ('aco'.includes(letter)) return 'oval';
  if ('mnrsxz'.includes(letter)) return 'hump';
  if ('e'.includes(letter)) return 'eye';
  return 'cup';
}

/** Plain lower-case letters of a Vietnamese name (diacritics and đ folded). */
function foldLetters(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * The pen's path as strokes of key points (x right, y up, x-height 1). The signature is the given
 * name (the last word of a Vietnamese name) written fast: a tall capital loop, the letters as cursive
 * loops and humps, then a long flourish back underneath.
 */
function signatureStrokes(name: string, random: () => number): Point[][] {
  const words = name.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const given = foldLetters(words[words.length - 1] ?? '') || 'a';
  const jitter = (amount: number) => (random() - 0.5) * 2 * amount;
  const pts: Point[] = [];
  const add = (x: number, y: number, j = 0.08) => pts.push({ x: x + jitter(j), y: y + jitter(j) });

  // The capital: up the right side of a tall loop, down its left side, crossing into the letters.
  const capH = 2.0 + random() * 0.7;
  const capW = 1.0 + random() * 0.5;
  add(-0.2 - random() * 0.5, -0.4 + random() * 0.8);
  add(capW * 0.5, capH * 0.45);
  add(capW * 0.9, capH * 0.9);
  add(capW * 0.55, capH);
  add(capW * 0.15, capH * 0.75);
  add(capW * 0.3, capH * 0.25);
  add(capW * 0.8, 0.05);
  let x = capW + 0.2;

  // The letters (at most seven; a hurried signature drops the rest). A short name runs on in a
  // dwindling wave so that every signature has some length.
  const shapes: LetterShape[] = [...given.slice(1, 8)].map(letterShape);
  while (shapes.length < 4) shapes.push('wave');
  shapes.forEach((shape, i) => {
    const w = 0.8 + random() * 0.35;
    const h = 0.85 + random() * 0.3;
    switch (shape) {
      case 'tall': {
        const t = 1.7 + random() * 0.6;
        add(x + w * 0.55, t * 0.6);
        add(x + w * 0.7, t);
        add(x + w * 0.3, t * 0.85);
        add(x + w * 0.4, 0.1);
        break;
      }
      case 'deep': {
        add(x + w * 0.3, 0.9 * h);
        add(x + w * 0.6, 0.1);
        add(x + w * 0.5, -1.1 - random() * 0.4);
        add(x + w * 0.1, -0.8);
        add(x + w * 0.7, 0.0);
        break;
      }
      case 'oval': {
        add(x + w * 0.75, 0.9 * h);
        add(x + w * 0.2, 0.75 * h);
        add(x + w * 0.25, 0.05);
        add(x + w * 0.8, 0.5 * h);
        add(x + w * 0.9, 0.05);
        break;
      }
      case 'hump': {
        add(x + w * 0.2, 0.95 * h);
        add(x + w * 0.55, 0.9 * h);
        add(x + w * 0.8, 0.05);
        break;
      }
      case 'eye': {
        add(x + w * 0.5, 0.6 * h);
        add(x + w * 0.35, 0.85 * h);
        add(x + w * 0.15, 0.45 * h);
        add(x + w * 0.6, 0.0);
        break;
      }
      case 'wave': {
        const fall = 0.8 ** (i + 1);
        add(x + w * 0.3, 0.9 * h * fall);
        add(x + w * 0.75, 0.05);
        break;
      }
      default: {
        add(x + w * 0.15, 0.85 * h);
        add(x + w * 0.45, 0.0);
        add(x + w * 0.85, 0.9 * h);
        break;
      }
    }
    x += w;
  });

  // The flourish: either down past the last letter and a long sweep back left underneath, or a
  // loop below the last letter and a tail flicked up to the right over a separate underline.
  const end = x;
  const depth = 0.6 + random() * 0.5;
  const strokes = [pts];
  if (random() < 0.6) {
    add(end + 0.4, -0.15);
    add(end + 0.2, -depth * 0.8);
    add(end * 0.55, -depth);
    add(end * 0.1, -depth * 0.75);
    add(-0.9 - random() * 0.6, -depth * 0.3 + jitter(0.2));
  } else {
    add(end + 0.25, -depth);
    add(end - 0.35, -depth * 0.7);
    add(end + 0.3, 0.2);
    add(end + 1.2 + random() * 0.5, 1.3 + random() * 0.6);
    strokes.push([
      { x: capW * 0.2, y: -depth * 0.9 + jitter(0.15) },
      { x: end * 0.5, y: -depth * 1.1 + jitter(0.15) },
      { x: end + 0.6, y: -depth * 1.2 + jitter(0.15) },
    ]);
  }
  // Often a light crossbar through the capital, written last.
  if (random() < 0.6) {
    const y = capH * (0.45 + random() * 0.2);
    strokes.push([
      { x: capW * 0.1, y: y + jitter(0.1) },
      { x: capW * 0.9, y: y + 0.15 + jitter(0.1) },
      { x: capW + 0.3 + random() * end * 0.3, y: y + 0.05 + jitter(0.15) },
    ]);
  }
  return strokes;
}

/** Centripetal Catmull-Rom spline through the points, sampled every `step` (same units). */
function catmullRom(points: Point[], step: number): Point[] {
  if (points.length < 2) return points.slice();
  const first = points[0]!;
  const second = points[1]!;
  const last = points[points.length - 1]!;
  const beforeLast = points[points.length - 2]!;
  const ext = [
    { x: 2 * first.x - second.x, y: 2 * first.y - second.y },
    ...points,
    { x: 2 * last.x - beforeLast.x, y: 2 * last.y - beforeLast.y },
  ];
  const out: Point[] = [first];
  for (let i = 1; i < ext.length - 2; i++) {
    const p0 = ext[i - 1]!;
    const p1 = ext[i]!;
    const p2 = ext[i + 1]!;
    const p3 = ext[i + 2]!;
    const knot = (a: Point, b: Point) => Math.max(1e-6, Math.sqrt(Math.hypot(b.x - a.x, b.y - a.y)));
    const t0 = 0;
    const t1 = t0 + knot(p0, p1);
    const t2 = t1 + knot(p1, p2);
    const t3 = t2 + knot(p2, p3);
    const lerp = (a: Point, b: Point, ta: number, tb: number, t: number): Point => {
      const u = (t - ta) / (tb - ta);
      return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u };
    };
    const n = Math.max(2, Math.ceil(Math.hypot(p2.x - p1.x, p2.y - p1.y) / step) * 2);
    for (let k = 1; k <= n; k++) {
      const t = t1 + ((t2 - t1) * k) / n;
      // Barry and Goldman's pyramid.
      const a1 = lerp(p0, p1, t0, t1, t);
      const a2 = lerp(p1, p2, t1, t2, t);
      const a3 = lerp(p2, p3, t2, t3, t);
      const b1 = lerp(a1, a2, t0, t2, t);
      const b2 = lerp(a2, a3, t1, t3, t);
      out.push(lerp(b1, b2, t1, t2, t));
    }
  }
  return out;
}

/** Draws a stroke of varying width as a dense row of anti-aliased discs (coverage = max). */
function stampDiscs(mask: CoverageMask, path: Point[], radius: (i: number) => number): void {
  for (let i = 0; i < path.length; i++) {
    const { x: cx, y: cy } = path[i]!;
    const r = radius(i);
    if (r <= 0) continue;
    const fade = Math.min(1, 2 * r); // hair-thin ends fade rather than stay one pixel strong
    const x0 = Math.max(0, Math.floor(cx - r - 1));
    const x1 = Math.min(mask.width - 1, Math.ceil(cx + r + 1));
    const y0 = Math.max(0, Math.floor(cy - r - 1));
    const y1 = Math.min(mask.height - 1, Math.ceil(cy + r + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const c = Math.min(1, Math.max(0, r + 0.5 - d)) * fade;
        const k = y * mask.width + x;
        if (c > mask.data[k]!) mask.data[k] = c;
      }
    }
  }
}

/**
 * A handwritten-looking signature for a (demo) official: blue ink on a transparent 300×120 PNG,
 * the same image for the same name and seed.
 */
export function signatureImage(name: string, seed = 0): StampImage {
  const random = prng(hashText(name.normalize('NFC'), seed));
  const strokes = signatureStrokes(name, random);
  // Slant and a slightly rising or falling baseline, as a hand writes.
  const slant = 0.25 + random() * 0.25;
  const angle = ((random() - 0.35) * 8 * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const shaped = strokes.map((s) =>
    s.map((p) => {
      const x = p.x + p.y * slant;
      return { x: x * cos - p.y * sin, y: x * sin + p.y * cos };
    }),
  );
  // Fit into the image with a margin, keeping proportions; image y runs down.
  const margin = 10;
  const all = shaped.flat();
  const minX = Math.min(...all.map((p) => p.x));
  const maxX = Math.max(...all.map((p) => p.x));
  const minY = Math.min(...all.map((p) => p.y));
  const maxY = Math.max(...all.map((p) => p.y));
  const scale = Math.min(
    (SIGNATURE_WIDTH - 2 * margin) / (maxX - minX),
    (SIGNATURE_HEIGHT - 2 * margin) / (maxY - minY),
  );
  const offX = (SIGNATURE_WIDTH - (maxX - minX) * scale) / 2;
  const offY = (SIGNATURE_HEIGHT - (maxY - minY) * scale) / 2;
  const toImage = (p: Point): Point => ({ x: offX + (p.x - minX) * scale, y: offY + (maxY - p.y) * scale });

  const mask = new CoverageMask(SIGNATURE_WIDTH, SIGNATURE_HEIGHT);
  const pressure = valueNoise(random, 40);
  const base = 1.1 + random() * 0.4; // pen radius in pixels
  for (const stroke of shaped) {
    const path = catmullRom(stroke.map(toImage), 0.25);
    // Cumulative length for the tapers at both ends.
    const along = [0];
    for (let i = 1; i < path.length; i++)
      along.push(along[i - 1]! + Math.hypot(path[i]!.x - path[i - 1]!.x, path[i]!.y - path[i - 1]!.y));
    const total = along[along.length - 1]! || 1;
    stampDiscs(mask, path, (i) => {
      const p = path[i]!;
      const q = path[Math.min(path.length - 1, i + 1)]!;
      const r = path[Math.max(0, i - 1)]!;
      const len = Math.hypot(q.x - r.x, q.y - r.y) || 1;
      const down = (q.y - r.y) / len; // image y down: downstrokes carry more pressure
      const s = along[i]!;
      const taper = Math.min(1, s / Math.min(18, total * 0.15), (total - s) / Math.min(45, total * 0.3));
      const ease = taper <= 0 ? 0 : Math.sqrt(taper);
      return base * (0.65 + 0.6 * pressure(p.x, p.y)) * (1 + 0.3 * down) * ease;
    });
  }
  return {
    png: encodePng(SIGNATURE_WIDTH, SIGNATURE_HEIGHT, inkImage(mask, SIGNATURE_INK)),
    width: SIGNATURE_WIDTH,
    height: SIGNATURE_HEIGHT,
  };
}

// ---------------------------------------------------------------------------------------------
// Seal

function circle(cx: number, cy: number, r: number, clockwise: boolean): Contour {
  const n = Math.max(64, Math.ceil(r * 2));
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const t = ((clockwise ? 1 : -1) * 2 * Math.PI * i) / n;
    out.push({ x: cx + r * Math.cos(t), y: cy + r * Math.sin(t) });
  }
  return out;
}

function ring(mask: CoverageMask, cx: number, cy: number, inner: number, outer: number): void {
  mask.fill([circle(cx, cy, outer, true), circle(cx, cy, inner, false)]);
}

function star(cx: number, cy: number, outer: number, rotation = 0): Contour {
  const inner = outer * 0.382; // the regular pentagram's ratio
  const out: Point[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 ? inner : outer;
    const t = rotation + (i * Math.PI) / 5 - Math.PI / 2;
    out.push({ x: cx + r * Math.cos(t), y: cy + r * Math.sin(t) });
  }
  return out;
}

interface ShapedText {
  glyphs: { gid: number; advance: number }[];
  /** Sum of advances, font units. */
  width: number;
  /** Lowest and highest outline point, font units. */
  yMin: number;
  yMax: number;
}

function shapeText(font: OutlineFont, text: string): ShapedText {
  const glyphs: ShapedText['glyphs'] = [];
  let width = 0;
  let yMin = 0;
  let yMax = font.capHeight;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const gid = font.glyphFor(cp);
    if (gid === undefined)
      throw new FontError(`the font has no glyph for '${ch}' (U+${cp.toString(16).toUpperCase()})`);
    const advance = font.advance(gid);
    for (const p of font.contours(gid).flat()) {
      yMin = Math.min(yMin, p.y);
      yMax = Math.max(yMax, p.y);
    }
    glyphs.push({ gid, advance });
    width += advance;
  }
  return { glyphs, width, yMin, yMax };
}

/** How a line of text sits on its arc: font size and baseline radius in pixels, the arc it spans. */
interface ArcFit {
  size: number;
  /** Horizontal scale of the glyphs (1 = as designed). */
  squeeze: number;
  /** Extra space between letters, pixels. */
  tracking: number;
  radius: number;
  /** Radians. */
  angle: number;
}

/** The narrowest the glyphs get before the text shrinks instead. */
const MIN_SQUEEZE = 0.7;

/**
 * Fits a line of text into the band between two radii along an arc of at most `maxAngle`: the
 * size fills the band's depth, the glyphs are narrowed (to 70 %) and, if still too long, the size
 * shrinks. `top`: tops outwards, the baseline near the inner radius; otherwise tops inwards.
 */
function fitArc(
  font: OutlineFont,
  shaped: ShapedText,
  inner: number,
  outer: number,
  maxAngle: number,
  top: boolean,
): ArcFit {
  const em = font.unitsPerEm;
  const gaps = shaped.glyphs.length - 1;
  const baseline = (s: number) => (top ? inner - (shaped.yMin / em) * s : outer + (shaped.yMin / em) * s);
  // Arc length measured on the baseline.
  const available = (s: number) => maxAngle * baseline(s);
  const squeezeFor = (s: number) => (available(s) - 0.06 * s * gaps) / ((shaped.width / em) * s);
  let size = (outer - inner) / ((shaped.yMax - shaped.yMin) / em);
  // The baseline moves as the size changes, so shrink in small steps rather than solve for it.
  for (let i = 0; i < 80 && squeezeFor(size) < MIN_SQUEEZE; i++) size *= 0.98;
  const squeeze = Math.min(1, Math.max(0.5, squeezeFor(size)));
  const tracking = 0.06 * size;
  const radius = baseline(size);
  const length = (shaped.width / em) * size * squeeze + tracking * gaps;
  return { size, squeeze, tracking, radius, angle: length / radius };
}

/**
 * Sets text along an arc round (c, c). `top`: centred on 12 o'clock, reading clockwise, glyph tops
 * pointing outwards. Otherwise centred on 6 o'clock, reading anticlockwise (left to right for the
 * reader), glyph tops pointing to the centre.
 */
function arcText(font: OutlineFont, shaped: ShapedText, c: number, fit: ArcFit, top: boolean): Contour[] {
  const { size, squeeze, tracking, radius } = fit;
  const scale = size / font.unitsPerEm;
  const out: Contour[] = [];
  let along = -(fit.angle * radius) / 2;
  for (const g of shaped.glyphs) {
    const adv = g.advance * scale * squeeze;
    const theta = (along + adv / 2) / radius;
    // The glyph's centre on the circle, the reading direction and the glyph's up direction.
    const sin = Math.sin(theta);
    const cos = Math.cos(theta);
    const px = c + radius * sin;
    const py = top ? c - radius * cos : c + radius * cos;
    const [tx, ty] = top ? [cos, sin] : [cos, -sin];
    const [ux, uy] = top ? [sin, -cos] : [-sin, -cos];
    for (const contour of font.contours(g.gid, 0.25 / scale)) {
      out.push(
        contour.map((p) => {
          const gx = p.x * scale * squeeze - adv / 2;
          const gy = p.y * scale;
          return { x: px + gx * tx + gy * ux, y: py + gx * ty + gy * uy };
        }),
      );
    }
    along += adv + tracking;
  }
  return out;
}

/**
 * A round red seal (con dấu) for a (demo) agency: two outer rings, the agency name in capitals
 * along the upper arc, a five-point star in the middle and optionally a smaller line along the
 * bottom arc. `font` is a TrueType font with the Vietnamese capitals (e.g. Tinos Bold). The PNG is
 * square, transparent outside the seal, and as wide as the seal at `dpi`.
 */
export function sealImage(agencyName: string, font: Uint8Array, opts: SealOptions = {}): SealImage {
  const diameterMm = opts.diameterMm ?? 38;
  const dpi = opts.dpi ?? 300;
  if (!(diameterMm >= 10 && diameterMm <= 100)) throw new RangeError('seal diameter must be 10–100 mm');
  if (!(dpi >= 72 && dpi <= 1200)) throw new RangeError('seal resolution must be 72–1200 dpi');
  const outline = parseOutlineFont(font);
  const name = agencyName.normalize('NFC').trim().toLocaleUpperCase('vi');
  const bottom = opts.bottomLine?.normalize('NFC').trim().toLocaleUpperCase('vi') ?? '';
  if (!name) throw new RangeError('the seal needs an agency name');
  const edge = Math.round((diameterMm / 25.4) * dpi);
  const mask = new CoverageMask(edge, edge);
  const c = edge / 2;
  const R = edge / 2 - 1;

  // Rings: a bold outer one, a thin one inside it, and a thin one round the centre.
  ring(mask, c, c, R * 0.955, R);
  ring(mask, c, c, R * 0.905, R * 0.925);
  ring(mask, c, c, R * 0.57, R * 0.585);
  const bandInner = R * 0.62;
  const bandOuter = R * 0.875;
  const bandMiddle = (bandInner + bandOuter) / 2;
  const degrees = Math.PI / 180;

  const topText = shapeText(outline, name);
  const bottomText = bottom ? shapeText(outline, bottom) : null;
  const topFit = fitArc(outline, topText, bandInner, bandOuter, (bottomText ? 230 : 290) * degrees, true);
  mask.fill(arcText(outline, topText, c, topFit, true));
  if (bottomText) {
    // Smaller than the name, within the arc the name leaves free (less room for two small stars).
    const shrink = (bandOuter - bandInner) * 0.18;
    const free = 2 * Math.PI - topFit.angle - 36 * degrees;
    const fit = fitArc(
      outline,
      bottomText,
      bandInner + shrink,
      bandOuter - shrink,
      Math.min(free, 110 * degrees),
      false,
    );
    mask.fill(arcText(outline, bottomText, c, fit, false));
    // Small stars halfway between the ends of the two lines, pointing outwards.
    for (const side of [1, -1]) {
      const t = (side * (topFit.angle / 2 + Math.PI - fit.angle / 2)) / 2; // clockwise from 12 o'clock
      const x = c + bandMiddle * Math.sin(t);
      const y = c - bandMiddle * Math.cos(t);
      mask.fill([star(x, y, (bandOuter - bandInner) * 0.22, t)]);
    }
  } else mask.fill([star(c, c + bandMiddle, (bandOuter - bandInner) * 0.25, Math.PI)]);
  mask.fill([star(c, c, R * 0.4)]);

  // Ink: uneven pressure across the seal, a fine mottle, and the odd pale speck.
  const random = prng(hashText(`${name}|${bottom}`, 7));
  const broad = valueNoise(random, edge / 3);
  const fine = valueNoise(random, Math.max(2, edge / 60));
  const finer = valueNoise(random, Math.max(1, edge / 150));
  const tilt = random() * 2 * Math.PI;
  const density = new Float32Array(edge * edge);
  for (let y = 0; y < edge; y++) {
    for (let x = 0; x < edge; x++) {
      const lean = (((x - c) * Math.cos(tilt) + (y - c) * Math.sin(tilt)) / R) * 0.08;
      const mottle = 0.6 * fine(x, y) + 0.4 * finer(x, y);
      const speck = 0.5 + 0.5 * smoothstep(0.12, 0.24, mottle);
      density[y * edge + x] = (0.8 + 0.15 * broad(x, y) + 0.1 * mottle - lean) * speck;
    }
  }
  return {
    png: encodePng(edge, edge, inkImage(mask, SEAL_INK, density)),
    width: edge,
    height: edge,
    diameterMm,
    dpi,
  };
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
