import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/appearance.ts';
import { CoverageMask, parseOutlineFont } from '../src/glyph-outline.ts';
import { encodePng, sealImage, signatureImage } from '../src/index.ts';
import { FontError } from '../src/truetype.ts';

const fontDir = join(process.cwd(), 'node_modules/@expo-google-fonts/tinos');
const tinosBold = new Uint8Array(readFileSync(join(fontDir, '700Bold/Tinos_700Bold.ttf')));
const tinos = new Uint8Array(readFileSync(join(fontDir, '400Regular/Tinos_400Regular.ttf')));

type Decoded = ReturnType<typeof decodePng>;

/** RGBA of pixel (x, y). */
function pixel(img: Decoded, x: number, y: number): [number, number, number, number] {
  const i = y * img.width + x;
  return [img.pixels[3 * i]!, img.pixels[3 * i + 1]!, img.pixels[3 * i + 2]!, img.alpha![i]!];
}

function inkedPixels(img: Decoded): { x: number; y: number; rgb: number[] }[] {
  const out: { x: number; y: number; rgb: number[] }[] = [];
  for (let i = 0; i < img.width * img.height; i++)
    if (img.alpha![i]! > 0)
      out.push({
        x: i % img.width,
        y: Math.floor(i / img.width),
        rgb: [...img.pixels.subarray(3 * i, 3 * i + 3)],
      });
  return out;
}

describe('encodePng', () => {
  it('writes an RGBA PNG that decodePng reads back exactly, with valid chunk CRCs', () => {
    const width = 37;
    const height = 23;
    const rgba = new Uint8Array(width * height * 4);
    // Noise, gradients and flat areas, so that rows pick different filters.
    let s = 12345;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        if (y % 3 === 0) rgba.set([s & 255, (s >> 8) & 255, (s >> 16) & 255, s >>> 24], i);
        else if (y % 3 === 1) rgba.set([x * 7, y * 11, (x + y) * 3, 255 - x], i);
        else rgba.set([10, 20, 30, 0], i);
      }
    }
    const png = encodePng(width, height, rgba);
    const img = decodePng(png);
    expect([img.width, img.height, img.colors]).toEqual([width, height, 3]);
    for (let i = 0; i < width * height; i++) {
      expect([...img.pixels.subarray(3 * i, 3 * i + 3), img.alpha![i]]).toEqual([
        ...rgba.subarray(4 * i, 4 * i + 4),
      ]);
    }
    const crc32 = (zlib as unknown as { crc32(data: Uint8Array): number }).crc32;
    const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const types: string[] = [];
    for (let at = 8; at < png.length; ) {
      const len = v.getUint32(at);
      types.push(String.fromCharCode(...png.subarray(at + 4, at + 8)));
      expect(v.getUint32(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      at += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('rejects pixel data of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(RangeError);
  });
});

describe('glyph outlines and the scanline fill', () => {
  const font = parseOutlineFont(tinos);

  it("fills an 'O' as a ring: ink on the stroke, a transparent hole, nothing outside", () => {
    const gid = font.glyphFor('O'.codePointAt(0)!)!;
    const contours = font.contours(gid);
    expect(contours).toHaveLength(2);
    const scale = 100 / font.unitsPerEm;
    const mask = new CoverageMask(110, 110);
    mask.fill(contours.map((c) => c.map((p) => ({ x: 5 + p.x * scale, y: 90 - p.y * scale }))));
    const at = (x: number, y: number) => mask.data[y * 110 + x]!;
    const ys = contours.flat().map((p) => 90 - p.y * scale);
    const xs = contours.flat().map((p) => 5 + p.x * scale);
    const midY = Math.round((Math.min(...ys) + Math.max(...ys)) / 2);
    const left = Math.min(...xs);
    const midX = Math.round((left + Math.max(...xs)) / 2);
    expect(at(midX, midY)).toBe(0); // the counter
    expect(at(Math.round(left + 4), midY)).toBe(1); // the thick left stroke
    expect(at(Math.floor(left) - 2, midY)).toBe(0);
    expect(at(1, 1)).toBe(0);
    // Anti-aliased: the stroke's outer edge has partial coverage somewhere.
    const edge = [...mask.data].filter((c) => c > 0.05 && c < 0.95);
    expect(edge.length).toBeGreaterThan(20);
  });

  it('resolves composite glyphs (a base letter plus its accents)', () => {
    const e = font.contours(font.glyphFor('E'.codePointAt(0)!)!);
    const eCircumflexDotBelow = font.contours(font.glyphFor('Ệ'.codePointAt(0)!)!);
    expect(eCircumflexDotBelow.length).toBe(e.length + 2);
    const ys = eCircumflexDotBelow.flat().map((p) => p.y);
    expect(Math.max(...ys)).toBeGreaterThan(font.capHeight); // the circumflex
    expect(Math.min(...ys)).toBeLessThan(-100); // the dot below
    // The accents sit over the letter, not at their own origin.
    const centreX = (points: { x: number }[]) =>
      (Math.min(...points.map((p) => p.x)) + Math.max(...points.map((p) => p.x))) / 2;
    const base = e.flat();
    const width = Math.max(...base.map((p) => p.x)) - Math.min(...base.map((p) => p.x));
    const accents = eCircumflexDotBelow.flat().filter((p) => p.y > font.capHeight || p.y < -50);
    expect(Math.abs(centreX(accents) - centreX(base))).toBeLessThan(width * 0.2);
  });

  it('fills overlapping contours of the same direction once (non-zero winding)', () => {
    const square = (x: number) => [
      { x, y: 0 },
      { x: x + 10, y: 0 },
      { x: x + 10, y: 10 },
      { x, y: 10 },
    ];
    const mask = new CoverageMask(20, 10);
    mask.fill([square(0), square(5)]);
    expect(mask.data[5 * 20 + 7]).toBe(1);
    expect(mask.data[5 * 20 + 17]).toBe(0);
  });
});

describe('signatureImage', () => {
  it('is the same image for the same name and a different one for another name or seed', () => {
    const a = signatureImage('Nguyễn Văn An');
    expect(signatureImage('Nguyễn Văn An').png).toEqual(a.png);
    expect(signatureImage('Nguyễn Văn An'.normalize('NFD')).png).toEqual(a.png); // decomposed input
    expect(signatureImage('Trần Thị Bích Ngọc').png).not.toEqual(a.png);
    expect(signatureImage('Nguyễn Văn An', 1).png).not.toEqual(a.png);
  });

  it('draws blue anti-aliased ink across most of a transparent 300×120 image', () => {
    const sig = signatureImage('Lê Hoàng Long');
    expect([sig.width, sig.height]).toEqual([300, 120]);
    const img = decodePng(sig.png);
    expect(pixel(img, 0, 0)[3]).toBe(0);
    expect(pixel(img, 299, 119)[3]).toBe(0);
    const ink = inkedPixels(img);
    expect(ink.length).toBeGreaterThan(800);
    expect(ink.filter((p) => p.rgb.join() !== '26,60,158')).toEqual([]);
    const alphas = new Set(img.alpha);
    expect(alphas.has(255)).toBe(true);
    expect(alphas.size).toBeGreaterThan(50); // soft edges, not a 1-bit mask
    const xs = ink.map((p) => p.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(150);
  });
});

describe('sealImage', () => {
  it('is a red round seal at real size: transparent corners, ink on the outer ring and the star', () => {
    const seal = sealImage('Ủy ban nhân dân tỉnh Sơn Lâm', tinosBold);
    const img = decodePng(seal.png);
    expect(seal.diameterMm).toBe(38);
    expect(seal.dpi).toBe(300);
    expect(seal.width).toBe(Math.round((38 / 25.4) * 300));
    expect(seal.height).toBe(seal.width);
    const c = seal.width / 2;
    const R = c - 1;
    for (const [x, y] of [
      [0, 0],
      [seal.width - 1, 0],
      [0, seal.width - 1],
      [seal.width - 1, seal.width - 1],
    ] as const)
      expect(pixel(img, x, y)[3]).toBe(0);
    // On the bold outer ring, at four points round it.
    for (const [dx, dy] of [
      [0, -1],
      [1, 0],
      [0, 1],
      [-1, 0],
    ] as const) {
      const p = pixel(img, Math.floor(c + dx * R * 0.975), Math.floor(c + dy * R * 0.975));
      expect(p.slice(0, 3)).toEqual([0xd0, 0x02, 0x1b]);
      expect(p[3]).toBeGreaterThan(100);
    }
    expect(pixel(img, Math.floor(c), Math.floor(c))[3]).toBeGreaterThan(100); // the star
    // Between the outer rings and outside the seal: no ink.
    expect(pixel(img, Math.floor(c), Math.floor(c - R * 0.94))[3]).toBe(0);
    expect(inkedPixels(img).filter((p) => p.rgb.join() !== '208,2,27')).toEqual([]);
  });

  it('sets a Vietnamese name with diacritics and a bottom line; the same input gives the same image', () => {
    const name = 'Sở Kế hoạch và Đầu tư';
    const a = sealImage(name, tinosBold, { bottomLine: 'Tỉnh Sơn Lâm', diameterMm: 40 });
    expect(sealImage(name, tinosBold, { bottomLine: 'Tỉnh Sơn Lâm', diameterMm: 40 }).png).toEqual(a.png);
    expect(a.width).toBe(Math.round((40 / 25.4) * 300));
    // The bottom line puts ink in the lower part of the text band.
    const without = sealImage(name, tinosBold, { diameterMm: 40 });
    const lowerBand = (png: Uint8Array) => {
      const c = a.width / 2;
      return inkedPixels(decodePng(png)).filter((p) => {
        const r = Math.hypot(p.x - c, p.y - c) / c;
        return p.y > c * 1.5 && r > 0.64 && r < 0.87;
      }).length;
    };
    expect(lowerBand(a.png)).toBeGreaterThan(3 * lowerBand(without.png));
  });

  it('names the character the font cannot draw', () => {
    expect(() => sealImage('Sở 内务', tinosBold)).toThrow(FontError);
    expect(() => sealImage('Sở 内务', tinosBold)).toThrow(/U\+5185/);
  });
});
