/**
 * The verification side of PDF reading: the signature dictionaries of every revision and a
 * conservative classifier of what later revisions changed. The file itself is read by PdfFile
 * (pdf-file.ts), the same reader signing uses. Pure: bytes in.
 */
import type { PdfFile, XrefSection } from './pdf-file.ts';
import { bufferOf, PdfDict, PdfName, type PdfObject, PdfRef, PdfStream, PdfString } from './pdf-objects.ts';

export interface FoundSignature {
  objectNumber: number;
  /** The /T of the signature field whose /V is this dictionary. */
  fieldName?: string;
  dict: PdfDict;
  byteRange: number[];
  contents: PdfString;
  /** The signature dictionary's /M, if any. */
  pdfSigningTime?: Date;
  name?: string;
  reason?: string;
  subFilter?: string;
}

/** Parses "D:YYYYMMDDHHmmSSOHH'mm'" (PDF date). */
export function parsePdfDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (sign === '+' || sign === '-') t -= (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return new Date(t);
}

/** Every signature dictionary defined in any revision (objects with /ByteRange and /Contents). */
export function findSignatures(pdf: PdfFile): FoundSignature[] {
  const out: FoundSignature[] = [];
  const seen = new Set<string>();
  const fieldNames = new Map<number, string>();
  pdf.sections.forEach((sec, si) => {
    for (const [num, e] of sec.entries) {
      if (e.type !== 'offset') continue;
      let v: PdfObject;
      try {
        v = pdf.objectAt(e.offset, si);
      } catch {
        continue;
      }
      if (!(v instanceof PdfDict)) continue;
      const fv = v.get('V');
      const ft = v.get('T');
      if (fv instanceof PdfRef && ft instanceof PdfString) fieldNames.set(fv.num, ft.text());
      const br = v.get('ByteRange');
      const contents = v.get('Contents');
      if (!Array.isArray(br) || !(contents instanceof PdfString)) continue;
      if (br.length !== 4 || !br.every((x) => typeof x === 'number')) continue;
      const key = br.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const str = (k: string) => {
        const s = v.get(k);
        return s instanceof PdfString ? s.text() : undefined;
      };
      const m = str('M');
      out.push({
        objectNumber: num,
        dict: v,
        byteRange: br as number[],
        contents,
        pdfSigningTime: m ? parsePdfDate(m) : undefined,
        name: str('Name'),
        reason: str('Reason'),
        subFilter: v.name('SubFilter'),
      });
    }
  });
  for (const f of out) f.fieldName = fieldNames.get(f.objectNumber);
  return out.sort(
    (a, b) => (a.byteRange[3] ?? 0) + (a.byteRange[2] ?? 0) - ((b.byteRange[3] ?? 0) + (b.byteRange[2] ?? 0)),
  );
}

// ---------- modification classifier ----------

export interface ModificationFinding {
  kind: 'allowed' | 'suspicious';
  objectNumber: number;
  what: string;
}

function same(a: PdfObject | undefined, b: PdfObject | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfRef && b instanceof PdfRef) return a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName && b instanceof PdfName) return a.name === b.name;
  if (a instanceof PdfString && b instanceof PdfString) return bufferOf(a.bytes).equals(b.bytes);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a instanceof PdfDict && b instanceof PdfDict) return sameDict(a, b, new Set());
  if (a instanceof PdfStream && b instanceof PdfStream)
    return sameDict(a.dict, b.dict, new Set()) && bufferOf(a.data).equals(b.data);
  return false;
}

function sameDict(a: PdfDict, b: PdfDict, ignore: Set<string>): boolean {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  for (const k of keys) if (!ignore.has(k) && !same(a.get(k), b.get(k))) return false;
  return true;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !same(a.get(k), b.get(k)));
}

/** Classifies what the sections after `signedUpTo` (a section index) changed. */
export function classifyModifications(pdf: PdfFile, signedUpTo: number): ModificationFinding[] {
  const last = pdf.sections.length - 1;
  const findings: ModificationFinding[] = [];
  const isSigField = (v: PdfObject, upTo: number): boolean => {
    const d = pdf.resolve(v, upTo);
    if (!(d instanceof PdfDict)) return false;
    if (d.name('FT') === 'Sig') return true;
    const parent = pdf.resolve(d.get('Parent'), upTo);
    return parent instanceof PdfDict && parent.name('FT') === 'Sig';
  };
  const addedOnlySig = (oldArr: PdfObject, newArr: PdfObject, upTo: number): boolean => {
    const o = pdf.resolve(oldArr, signedUpTo);
    const n = pdf.resolve(newArr, upTo);
    const oa = Array.isArray(o) ? o : o === null ? [] : null;
    if (!oa || !Array.isArray(n)) return false;
    if (!oa.every((x) => n.some((y) => same(x, y)))) return false;
    return n.filter((y) => !oa.some((x) => same(x, y))).every((y) => isSigField(y, upTo));
  };
  const root = pdf.sections[signedUpTo]?.trailer.get('Root');
  const info = pdf.sections[signedUpTo]?.trailer.get('Info');
  const lastRoot = pdf.sections[last]?.trailer.get('Root');
  if (last > signedUpTo && !same(root, lastRoot))
    findings.push({
      kind: 'suspicious',
      objectNumber: lastRoot instanceof PdfRef ? lastRoot.num : 0,
      what: 'document catalog replaced',
    });
  if (last > signedUpTo && pdf.sections[last]?.trailer.get('Encrypt') !== undefined)
    findings.push({ kind: 'suspicious', objectNumber: 0, what: 'encryption added' });
  const seen = new Set<number>();
  for (let si = last; si > signedUpTo; si--) {
    const sec = pdf.sections[si] as XrefSection;
    for (const [num, e] of sec.entries) {
      if (seen.has(num) || num === 0) continue;
      seen.add(num);
      const before = pdf.entryAt(num, signedUpTo);
      const existed = before !== undefined && before.entry.type !== 'free';
      if (e.type === 'free') {
        if (existed) findings.push({ kind: 'suspicious', objectNumber: num, what: 'object deleted' });
        continue;
      }
      if (!existed) continue; // New objects only matter through the objects that reference them.
      let oldV: PdfObject;
      let newV: PdfObject;
      try {
        oldV = pdf.object(num, signedUpTo);
        newV = pdf.object(num, last);
      } catch {
        findings.push({ kind: 'suspicious', objectNumber: num, what: 'unreadable object' });
        continue;
      }
      if (same(oldV, newV)) {
        findings.push({ kind: 'allowed', objectNumber: num, what: 'rewritten unchanged' });
        continue;
      }
      const ok = (what: string) => findings.push({ kind: 'allowed', objectNumber: num, what });
      const bad = (what: string) => findings.push({ kind: 'suspicious', objectNumber: num, what });
      if (oldV instanceof PdfDict && newV instanceof PdfDict) {
        const type = oldV.name('Type');
        const keys = changedKeys(oldV, newV);
        if (root instanceof PdfRef && root.num === num) {
          const other = keys.filter((k) => !['AcroForm', 'DSS', 'Perms'].includes(k));
          const acro = keys.includes('AcroForm')
            ? acroFormOk(
                pdf.resolve(oldV.get('AcroForm'), signedUpTo),
                pdf.resolve(newV.get('AcroForm'), last),
              )
            : true;
          if (other.length === 0 && acro) ok('catalog: signature form / DSS');
          else bad(`catalog changed: ${keys.join(', ')}`);
        } else if (info instanceof PdfRef && info.num === num) ok('document information');
        else if (type === 'Page') {
          const other = keys.filter((k) => k !== 'Annots');
          if (
            other.length === 0 &&
            addedOnlySig(oldV.get('Annots') ?? null, newV.get('Annots') ?? null, last)
          )
            ok('page: signature widget added');
          else bad(`page changed: ${keys.join(', ')}`);
        } else if (keys.length > 0 && isSigField(newV, last) && isSigField(oldV, signedUpTo))
          ok('signature field');
        else if (
          !oldV.get('Type') &&
          keys.every((k) => ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k)) &&
          acroFormOk(oldV, newV)
        )
          ok('form: signature field added');
        else bad(`${type ?? 'object'} changed: ${keys.join(', ')}`);
      } else if (Array.isArray(oldV) && Array.isArray(newV)) {
        if (addedOnlySig(oldV, newV, last)) ok('annotations: signature widget added');
        else bad('array changed');
      } else if (newV instanceof PdfStream && newV.dict.name('Type') === 'XRef') ok('cross-reference stream');
      else bad(oldV instanceof PdfStream ? 'stream content changed' : 'object changed');
    }
  }
  return findings;

  function acroFormOk(o: PdfObject, n: PdfObject): boolean {
    if (o === null && n instanceof PdfDict) {
      const f = pdf.resolve(n.get('Fields'), last);
      return Array.isArray(f) && f.every((x) => isSigField(x, last));
    }
    if (!(o instanceof PdfDict) || !(n instanceof PdfDict)) return false;
    const keys = changedKeys(o, n);
    if (!keys.every((k) => ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k))) return false;
    return !keys.includes('Fields') || addedOnlySig(o.get('Fields') ?? null, n.get('Fields') ?? null, last);
  }
}
