import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoverageMask, parseOutlineFont } from '../src/glyph-outline.ts';

const fontDir = join(process.cwd(), 'node_modules/@expo-google-fonts/tinos');
const tinos = new Uint8Array(readFileSync(join(fontDir, '400Regular/Tinos_400Regular.ttf')));

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
