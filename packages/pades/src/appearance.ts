/**
 * The visible part of a signature (NĐ 30/2020 Phụ lục I): an image (signature or red seal, PNG
 * with transparency) and lines of text (signer, agency, time) in an embedded Unicode font.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import {
  fromLatin1,
  PdfDict,
  PdfName,
  type PdfRef,
  PdfStream,
  PdfString,
  pngUnfilter,
} from './pdf-objects.ts';
import type { IncrementalUpdate } from './pdf-update.ts';
import { type FontError, parseTrueType, subsetTrueType, type TrueTypeFont } from './truetype.ts';

export interface Appearance {
  /** x, y (lower-left corner), width, height in PDF points on the page. */
  rect: [number, number, number, number];
  /** A PNG (8-bit gray, RGB, RGBA, gray+alpha or palette; not interlaced). */
  image?: Uint8Array;
  /** Lines of text, drawn right of the image (or over the whole box without an image). */
  lines?: string[];
  /** TrueType font bytes for the text (e.g. Tinos for Times New Roman metrics); required with `lines`. */
  font?: Uint8Array;
  /** Largest font size; lines shrink to fit. Default 9. */
  fontSize?: number;
  /** Text colour, RGB 0–1. Default black. */
  color?: [number, number, number];
  /** 'side' (default): image left, text right. 'stacked': image on top, text centred below it. */
  layout?: 'side' | 'stacked';
}

export class AppearanceError extends Error {}

interface DecodedPng {
  width: number;
  height: number;
  colors: 1 | 3;
  pixels: Uint8Array; // colour samples
  alpha: Uint8Array | null;
}

/** Decodes an 8-bit, non-interlaced PNG into colour samples and an optional alpha channel. */
export function decodePng(png: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => png[i] === b)) throw new AppearanceError('the image is not a PNG');
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= png.length) {
    const len = v.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = v.getUint32(pos + 8);
      height = v.getUint32(pos + 12);
      bitDepth = png[pos + 16]!;
      colorType = png[pos + 17]!;
      interlace = png[pos + 20]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (bitDepth !== 8)
    throw new AppearanceError(`only 8-bit PNG images are supported (this one is ${bitDepth}-bit)`);
  if (interlace) throw new AppearanceError('interlaced PNG images are not supported');
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels || width === 0 || height === 0) throw new AppearanceError('unsupported PNG colour type');
  const total = idat.reduce((n, c) => n + c.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const c of idat) {
    joined.set(c, at);
    at += c.length;
  }
  const raw = pngUnfilter(new Uint8Array(inflateSync(joined)), width * channels, channels);
  if (raw.length !== width * height * channels) throw new AppearanceError('truncated PNG image data');
  const n = width * height;
  if (colorType === 3) {
    if (!palette) throw new AppearanceError('palette PNG without PLTE');
    const pixels = new Uint8Array(n * 3);
    const alpha = trns ? new Uint8Array(n) : null;
    for (let i = 0; i < n; i++) {
      const idx = raw[i]!;
      pixels.set(palette.subarray(idx * 3, idx * 3 + 3), i * 3);
      if (alpha) alpha[i] = idx < trns!.length ? trns![idx]! : 255;
    }
    return { width, height, colors: 3, pixels, alpha };
  }
  const colors = colorType === 0 || colorType === 4 ? 1 : 3;
  if (channels === colors) return { width, height, colors, pixels: raw, alpha: null };
  const pixels = new Uint8Array(n * colors);
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < colors; c++) pixels[i * colors + c] = raw[i * channels + c]!;
    alpha[i] = raw[i * channels + colors]!;
  }
  return { width, height, colors, pixels, alpha };
}

function imageXObject(
  update: IncrementalUpdate,
  png: DecodedPng,
): { ref: PdfRef; width: number; height: number } {
  const base = (colors: 1 | 3, data: Uint8Array) =>
    new PdfDict({
      Type: new PdfName('XObject'),
      Subtype: new PdfName('Image'),
      Width: png.width,
      Height: png.height,
      ColorSpace: new PdfName(colors === 3 ? 'DeviceRGB' : 'DeviceGray'),
      BitsPerComponent: 8,
      Filter: new PdfName('FlateDecode'),
      Length: data.length,
    });
  const rgb = new Uint8Array(deflateSync(png.pixels));
  const dict = base(png.colors, rgb);
  if (png.alpha) {
    const a = new Uint8Array(deflateSync(png.alpha));
    dict.set('SMask', update.add(new PdfStream(base(1, a), a)));
  }
  return { ref: update.add(new PdfStream(dict, rgb)), width: png.width, height: png.height };
}

/** Embeds the font as Type0/CIDFontType2 (Identity-H, CID = glyph id) with a ToUnicode CMap. */
function embedFont(
  update: IncrementalUpdate,
  bytes: Uint8Array,
  font: TrueTypeFont,
  used: Map<number, number>,
): PdfRef {
  const scale = 1000 / font.unitsPerEm;
  const gids = [...used.keys()].sort((a, b) => a - b);
  const widths: (number | number[])[] = [];
  for (const g of gids) widths.push(g, [Math.round(font.advance(g) * scale)]);
  const subset = subsetTrueType(bytes, used.keys());
  const file = new Uint8Array(deflateSync(subset));
  const fontFile = update.add(
    new PdfStream(new PdfDict({ Filter: new PdfName('FlateDecode'), Length1: subset.length }), file),
  );
  // A subset font's name carries a tag of six capital letters (ISO 32000-1 §9.6.4).
  let tagSeed = 0;
  for (const g of gids) tagSeed = (tagSeed * 31 + g) >>> 0;
  let tag = '';
  for (let i = 0; i < 6; i++, tagSeed = Math.floor(tagSeed / 26))
    tag += String.fromCharCode(65 + (tagSeed % 26));
  const baseFont = `${tag}+${font.postScriptName}`;
  const descriptor = update.add(
    new PdfDict({
      Type: new PdfName('FontDescriptor'),
      FontName: new PdfName(baseFont),
      Flags: 32,
      FontBBox: font.bbox.map((x) => Math.round(x * scale)),
      ItalicAngle: font.italicAngle,
      Ascent: Math.round(font.ascent * scale),
      Descent: Math.round(font.descent * scale),
      CapHeight: Math.round(font.capHeight * scale),
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  const cidFont = update.add(
    new PdfDict({
      Type: new PdfName('Font'),
      Subtype: new PdfName('CIDFontType2'),
      BaseFont: new PdfName(baseFont),
      CIDSystemInfo: new PdfDict({
        Registry: new PdfString(fromLatin1('Adobe')),
        Ordering: new PdfString(fromLatin1('Identity')),
        Supplement: 0,
      }),
      FontDescriptor: descriptor,
      CIDToGIDMap: new PdfName('Identity'),
      W: widths,
    }),
  );
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  const utf16 = (cp: number) => {
    const s = String.fromCodePoint(cp);
    let out = '';
    for (let i = 0; i < s.length; i++) out += hex4(s.charCodeAt(i));
    return out;
  };
  let cmap =
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
    '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
  for (let i = 0; i < gids.length; i += 100) {
    const chunk = gids.slice(i, i + 100);
    cmap += `${chunk.length} beginbfchar\n`;
    for (const g of chunk) cmap += `<${hex4(g)}> <${utf16(used.get(g)!)}>\n`;
    cmap += 'endbfchar\n';
  }
  cmap += 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';
  const toUnicode = update.add(new PdfStream(new PdfDict(), fromLatin1(cmap)));
  return update.add(
    new PdfDict({
      Type: new PdfName('Font'),
      Subtype: new PdfName('Type0'),
      BaseFont: new PdfName(baseFont),
      Encoding: new PdfName('Identity-H'),
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
}

function n(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** Adds the appearance's objects to the update; returns the form XObject for the widget's /AP /N. */
export function buildAppearance(update: IncrementalUpdate, a: Appearance): PdfRef {
  const [, , w, h] = a.rect;
  if (!(w > 0 && h > 0)) throw new AppearanceError('the signature box needs a positive width and height');
  const resources = new PdfDict();
  let ops = '';
  let textX = 2;
  const pad = 2;
  const stacked = a.layout === 'stacked' && (a.lines?.length ?? 0) > 0;
  // Stacked: the text takes the bottom lines at the requested size, the image the rest above.
  const textH = stacked ? Math.min(h * 0.5, (a.lines?.length ?? 0) * (a.fontSize ?? 9) * 1.2 + 2 * pad) : h;
  if (a.image) {
    const img = imageXObject(update, decodePng(a.image));
    // Fit the image into its part (all of the box without text), keeping its proportions.
    const boxW = a.lines?.length && !stacked ? w * 0.45 : w;
    const boxH = stacked ? h - textH : h;
    const boxY = stacked ? textH : 0;
    const s = Math.min(boxW / img.width, boxH / img.height);
    const iw = img.width * s;
    const ih = img.height * s;
    ops += `q ${n(iw)} 0 0 ${n(ih)} ${n((boxW - iw) / 2)} ${n(boxY + (boxH - ih) / 2)} cm /Im1 Do Q\n`;
    resources.set('XObject', new PdfDict({ Im1: img.ref }));
    if (!stacked) textX = boxW + pad;
  }
  const lines = (a.lines ?? []).map((l) => l.normalize('NFC'));
  if (lines.length) {
    if (!a.font) throw new AppearanceError('text in a signature appearance needs a font (font bytes)');
    let font: TrueTypeFont;
    try {
      font = parseTrueType(a.font);
    } catch (e) {
      throw new AppearanceError(`cannot read the font: ${(e as FontError).message}`);
    }
    const used = new Map<number, number>();
    const encoded = lines.map((line) => {
      let hex = '';
      let width = 0;
      for (const ch of line) {
        const cp = ch.codePointAt(0)!;
        const gid = font.glyphFor(cp);
        if (gid === undefined) {
          throw new AppearanceError(`the font has no glyph for '${ch}' (U+${cp.toString(16).toUpperCase()})`);
        }
        used.set(gid, cp);
        hex += gid.toString(16).padStart(4, '0');
        width += font.advance(gid) / font.unitsPerEm;
      }
      return { hex, width };
    });
    const availW = w - textX - pad;
    const widest = Math.max(...encoded.map((e) => e.width), 0.001);
    const size = Math.min(a.fontSize ?? 9, availW / widest, (textH - 2 * pad) / (lines.length * 1.2));
    if (size < 3) throw new AppearanceError('the signature box is too small for its text');
    const leading = size * 1.2;
    const blockH = leading * lines.length;
    let y = (textH + blockH) / 2 - size * (font.ascent / font.unitsPerEm);
    const [r, g, b] = a.color ?? [0, 0, 0];
    ops += `BT /F1 ${n(size)} Tf ${n(r)} ${n(g)} ${n(b)} rg\n`;
    for (const e of encoded) {
      const x = stacked ? Math.max(pad, (w - e.width * size) / 2) : textX;
      ops += `1 0 0 1 ${n(x)} ${n(y)} Tm <${e.hex}> Tj\n`;
      y -= leading;
    }
    ops += 'ET\n';
    resources.set('Font', new PdfDict({ F1: embedFont(update, a.font, font, used) }));
  }
  const content = new Uint8Array(deflateSync(fromLatin1(ops)));
  return update.add(
    new PdfStream(
      new PdfDict({
        Type: new PdfName('XObject'),
        Subtype: new PdfName('Form'),
        BBox: [0, 0, w, h],
        Resources: resources,
        Filter: new PdfName('FlateDecode'),
      }),
      content,
    ),
  );
}
