/**
 * Writing an incremental update appended to the original bytes (ISO 32000-1 §7.5.6): new and
 * replaced objects, then a cross-reference section of the same kind as the file's newest one
 * (table or stream) whose /Prev points at it. Earlier bytes are never rewritten, so earlier
 * signatures stay valid. The file is read by PdfFile (pdf-file.ts).
 */
import { deflateSync } from 'node:zlib';
import type { PdfFile } from './pdf-file.ts';
import {
  concat,
  fromLatin1,
  PdfDict,
  PdfName,
  type PdfObject,
  PdfParseError,
  PdfRef,
  PdfStream,
  serializeInto,
} from './pdf-objects.ts';

const ENDOBJ = fromLatin1('\nendobj\n');

/** Appends `b` to `parts` and returns its length (a module function: no closure per call). */
function pushPart(parts: Uint8Array[], b: Uint8Array): number {
  parts.push(b);
  return b.length;
}

/** Collects the objects of one incremental update and writes it after the original bytes. */
export class IncrementalUpdate {
  private nextNum: number;
  private readonly objects = new Map<number, { gen: number; obj: PdfObject }>();

  constructor(readonly doc: PdfFile) {
    if (doc.startxref === undefined)
      throw new PdfParseError('the cross-reference data is unreadable: an update cannot be appended');
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
   * (absolute offsets of its header and of its end), so that placeholders can be found later.
   */
  write(onObject?: (num: number, start: number, end: number) => void): Uint8Array {
    const orig = this.doc.buf;
    const { parts, length } = this.writeParts(onObject);
    return concat([orig, ...parts], orig.length + length);
  }

  /**
   * Only the bytes the update appends to the original ones, as pieces in order (large data such
   * as a placeholder given as PdfRaw bytes is one piece, by identity), with offsets reported and
   * written as in `write`, i.e. counted from the start of the original file; so that a caller can
   * hash and copy the original bytes and the update without joining them first.
   */
  writeParts(onObject?: (num: number, start: number, end: number) => void): {
    parts: Uint8Array[];
    length: number;
  } {
    const orig = this.doc.buf;
    const parts: Uint8Array[] = [];
    let pos = orig.length;
    const last = orig[orig.length - 1];
    if (last !== 0x0a && last !== 0x0d) pos += pushPart(parts, fromLatin1('\n'));
    const offsets = new Map<number, { offset: number; gen: number }>();
    for (const [num, { gen, obj }] of [...this.objects].sort((a, b) => a[0] - b[0])) {
      const start = pos;
      offsets.set(num, { offset: start, gen });
      pos += pushPart(parts, fromLatin1(`${num} ${gen} obj\n`));
      pos += serializeInto(obj, parts);
      onObject?.(num, start, pos);
      pos += pushPart(parts, ENDOBJ);
    }
    const trailer = new PdfDict();
    for (const key of ['Root', 'Info', 'ID']) {
      const v = this.doc.trailer.get(key);
      if (v !== undefined) trailer.set(key, v);
    }
    trailer.set('Prev', this.doc.startxref as number);
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
      pos += pushPart(parts, fromLatin1(`${num} 0 obj\n`));
      pos += serializeInto(stream, parts);
      pos += pushPart(parts, ENDOBJ);
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
      pos += pushPart(parts, fromLatin1(`${text}trailer\n`));
      pos += serializeInto(trailer, parts);
      pos += pushPart(parts, fromLatin1('\n'));
    }
    pos += pushPart(parts, fromLatin1(`startxref\n${xrefOffset}\n%%EOF\n`));
    return { parts, length: pos - orig.length };
  }
}
