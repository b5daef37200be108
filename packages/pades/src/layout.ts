/**
 * Where things are on the pages of a PDF, for placing visible signatures: page sizes and the
 * rectangles of the signature widgets already there (the agency seal overlaps the signer's).
 */

import { PdfFile } from './pdf-file.ts';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfString } from './pdf-objects.ts';

export interface PageBox {
  /** Lower-left corner and size, in PDF points. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SignatureWidget {
  fieldName: string;
  /** 0-based page index. */
  page: number;
  /** x, y (lower-left), width, height in points; zero size for an invisible signature. */
  rect: [number, number, number, number];
}

function box(o: unknown): [number, number, number, number] | null {
  if (!Array.isArray(o) || o.length !== 4 || !o.every((v) => typeof v === 'number')) return null;
  const [a, b, c, d] = o as number[];
  return [Math.min(a!, c!), Math.min(b!, d!), Math.abs(c! - a!), Math.abs(d! - b!)];
}

/** The MediaBox (inherited through the page tree) of every page, in page order. */
export function pageBoxes(pdf: Uint8Array): PageBox[] {
  const doc = new PdfFile(pdf);
  return doc.pages().map((ref) => {
    const b = box(doc.resolve(doc.pageAttribute(ref, 'MediaBox'))) ?? [0, 0, 595.28, 841.89];
    return { x: b[0], y: b[1], width: b[2], height: b[3] };
  });
}

/** The signature fields with a widget on a page, oldest first. */
export function signatureWidgets(pdf: Uint8Array): SignatureWidget[] {
  const doc = new PdfFile(pdf);
  const pages = doc.pages();
  const acro = doc.resolve(doc.catalog.get('AcroForm'));
  if (!(acro instanceof PdfDict)) return [];
  const fields = doc.resolve(acro.get('Fields'));
  const out: SignatureWidget[] = [];
  for (const f of Array.isArray(fields) ? fields : []) {
    const field = doc.resolve(f);
    if (!(field instanceof PdfDict)) continue;
    const ft = field.get('FT');
    if (!(ft instanceof PdfName) || ft.name !== 'Sig') continue;
    const p = field.get('P');
    const page = p instanceof PdfRef ? pages.findIndex((r) => r.num === p.num) : -1;
    const rect = box(doc.resolve(field.get('Rect')));
    const t = field.get('T');
    if (page < 0 || !rect) continue;
    out.push({ fieldName: t instanceof PdfString ? decodeTextString(t) : '', page, rect });
  }
  return out;
}
