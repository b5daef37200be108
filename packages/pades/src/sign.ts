/**
 * PAdES baseline B-B signing (ETSI EN 319 142-1): an incremental update that adds a signature
 * field, its widget and a signature dictionary whose /Contents holds a detached CAdES signature
 * over the /ByteRange. Two steps so that a remote device (USB token in the browser) can sign:
 * `prepareSignature` → the device signs `signedAttributes` → `completeSignature`.
 */

import { createHash, verify } from 'node:crypto';
import { type Appearance, buildAppearance } from './appearance.ts';
import { certificateFields, sha256, signedAttributesDer, signedDataFor } from './cms.ts';
import { SignError } from './errors.ts';
import { PdfFile } from './pdf-file.ts';
import {
  bufferOf,
  concat,
  decodeTextString,
  latin1,
  PdfDict,
  PdfName,
  type PdfObject,
  PdfRaw,
  PdfRef,
  PdfStream,
  PdfString,
  textString,
} from './pdf-objects.ts';
import { IncrementalUpdate } from './pdf-update.ts';
import { timestampSignatureValue } from './timestamp.ts';
import type { RawSigner, TimestampAuthority } from './types.ts';

export { SignError };

export interface SignOptions {
  /** Signer's name shown by readers (/Name); the certificate's subject is authoritative. */
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** The claimed signing time (/M); default now. */
  signingTime?: Date;
  /** The page (0-based) that carries the signature widget; default 0. */
  page?: number;
  /** A visible signature; absent → an invisible one (zero rectangle). */
  appearance?: Appearance;
  /** The signature field's name; default Signature<N>. */
  fieldName?: string;
  /** Bytes reserved for the CMS in /Contents (time-stamp token included); default 16 384. */
  contentsSize?: number;
  /**
   * An RFC 3161 time-stamp authority: the signature value gets a signature time-stamp as an
   * unsigned attribute (PAdES baseline B-T). Used by `signPdf`; the two-step flow passes it to
   * `completeTimestampedSignature`.
   */
  timestampAuthority?: TimestampAuthority;
}

export interface PreparedSignature {
  /** The PDF with the signature dictionary and a zero-filled /Contents placeholder. */
  prepared: Uint8Array;
  /** DER SET OF signed attributes: what the device must sign (SHA-256 + its key). */
  signedAttributes: Uint8Array;
  /** SHA-256 of the signed byte ranges (the messageDigest attribute). */
  digest: Uint8Array;
  byteRange: [number, number, number, number];
}

const BYTE_RANGE_WIDTH = 60;

/** PDF date string D:YYYYMMDDHHmmSS+07'00' in Việt Nam time (UTC+7, no daylight saving). */
export function pdfDate(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000);
  return `D:${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}+07'00'`;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function existingFieldNames(doc: PdfFile, fields: PdfObject[]): Set<string> {
  const names = new Set<string>();
  for (const f of fields) {
    try {
      const t = doc.dict(f, 'field').get('T');
      if (t instanceof PdfString) names.add(decodeTextString(t));
    } catch {
      // a broken field entry does not stop signing; its name just cannot clash
    }
  }
  return names;
}

/** Builds the incremental update with a placeholder and returns what must be signed. */
export async function prepareSignature(
  pdf: Uint8Array,
  opts: SignOptions & { certificateChain: Uint8Array[] },
): Promise<PreparedSignature> {
  const signerCert = opts.certificateChain[0];
  if (!signerCert) throw new SignError('empty certificate chain');
  const { orig, parts, length, byteRange } = layOutUpdate(pdf, opts);
  const bytes = concat([orig, ...parts], orig.length + length);
  const digest = sha256(bytes.subarray(0, byteRange[1]), bytes.subarray(byteRange[2]));
  return { prepared: bytes, signedAttributes: signedAttributesDer(digest, signerCert), digest, byteRange };
}

/**
 * The update of a signature: the original bytes (not copied) and the pieces appended to them
 * (`length` bytes), with the /ByteRange already written and the /Contents placeholder zero-filled.
 */
interface LaidOut {
  orig: Uint8Array;
  parts: Uint8Array[];
  length: number;
  byteRange: [number, number, number, number];
}

function layOutUpdate(pdf: Uint8Array, opts: SignOptions): LaidOut {
  const doc = new PdfFile(pdf);
  if (doc.trailer.get('Encrypt')) throw new SignError('encrypted PDFs are not supported');
  const catalogRef = doc.trailer.get('Root');
  if (!(catalogRef instanceof PdfRef)) throw new SignError('the trailer has no /Root');
  refuseIfCertifiedNoChanges(doc);
  const update = new IncrementalUpdate(doc);
  const catalog = doc.catalog;
  const pageIndex = opts.page ?? 0;
  const pageRef = doc.pages(pageIndex + 1)[pageIndex];
  if (!pageRef) throw new SignError(`the document has no page ${pageIndex + 1}`);

  const contentsSize = opts.contentsSize ?? 16384;
  const placeholder = contentsPlaceholder(contentsSize);
  const sigDict = new PdfDict({
    Type: new PdfName('Sig'),
    Filter: new PdfName('Adobe.PPKLite'),
    SubFilter: new PdfName('ETSI.CAdES.detached'),
    ByteRange: new PdfRaw(`[${' '.repeat(BYTE_RANGE_WIDTH - 2)}]`),
    Contents: new PdfRaw(placeholder),
    M: textString(pdfDate(opts.signingTime ?? new Date())),
    Name: opts.name ? textString(opts.name) : undefined,
    Reason: opts.reason ? textString(opts.reason) : undefined,
    Location: opts.location ? textString(opts.location) : undefined,
    ContactInfo: opts.contactInfo ? textString(opts.contactInfo) : undefined,
  });
  const sigRef = update.add(sigDict);

  // AcroForm: an indirect one gets a new version; an inline or missing one becomes indirect.
  const acroRefObj = catalog.get('AcroForm');
  const acroForm = acroRefObj ? copyDict(doc.dict(acroRefObj, 'AcroForm')) : new PdfDict();
  const fieldsObj = doc.resolve(acroForm.get('Fields'));
  const fields: PdfObject[] = Array.isArray(fieldsObj) ? [...fieldsObj] : [];
  const taken = existingFieldNames(doc, fields);
  let fieldName = opts.fieldName;
  if (!fieldName) for (let n = 1; !fieldName || taken.has(fieldName); n++) fieldName = `Signature${n}`;
  else if (taken.has(fieldName)) throw new SignError(`a field named ${fieldName} already exists`);

  const ar = opts.appearance?.rect;
  const rect = ar ? [ar[0], ar[1], ar[0] + ar[2], ar[1] + ar[3]] : [0, 0, 0, 0];
  const widget = new PdfDict({
    Type: new PdfName('Annot'),
    Subtype: new PdfName('Widget'),
    FT: new PdfName('Sig'),
    T: textString(fieldName),
    V: sigRef,
    F: 132, // Print + Locked
    P: pageRef,
    Rect: rect,
  });
  const normal = opts.appearance
    ? buildAppearance(update, opts.appearance)
    : update.add(new PdfStream(emptyForm(), new Uint8Array()));
  widget.set('AP', new PdfDict({ N: normal }));
  const widgetRef = update.add(widget);

  fields.push(widgetRef);
  acroForm.set('Fields', fields);
  acroForm.set('SigFlags', 3);
  if (acroRefObj instanceof PdfRef) update.replace(acroRefObj, acroForm);
  else {
    const newCatalog = copyDict(catalog);
    newCatalog.set('AcroForm', update.add(acroForm));
    update.replace(catalogRef, newCatalog);
  }

  // The page's /Annots: an indirect array gets a new version, otherwise the page does.
  const page = doc.dict(pageRef, 'page');
  const annotsObj = page.get('Annots');
  const annots = doc.resolve(annotsObj);
  const newAnnots = [...(Array.isArray(annots) ? annots : []), widgetRef];
  if (annotsObj instanceof PdfRef && Array.isArray(annots)) update.replace(annotsObj, newAnnots);
  else update.replace(pageRef, copyDict(page).set('Annots', newAnnots));

  // Lay out, then fill the /ByteRange in place (its width is fixed).
  let sigStart = -1;
  let sigEnd = -1;
  const { parts, length } = update.writeParts((num, start, end) => {
    if (num === sigRef.num) [sigStart, sigEnd] = [start, end];
  });
  // The placeholder is a piece of its own; the piece before it ends the dictionary's text up to
  // "/Contents " and holds the /ByteRange placeholder (keys are written in insertion order).
  const base = doc.buf.length;
  let contentsAt = base;
  let i = 0;
  for (; i < parts.length && parts[i] !== placeholder; i++) contentsAt += (parts[i] as Uint8Array).length;
  const text = i > 0 && i < parts.length ? bufferOf(parts[i - 1] as Uint8Array) : undefined;
  const brKey = text ? text.lastIndexOf('/ByteRange [') : -1;
  const textStart = contentsAt - (text?.length ?? 0);
  if (
    !text ||
    brKey < 0 ||
    sigStart < base ||
    textStart + brKey < sigStart ||
    contentsAt > sigEnd ||
    text.toString('latin1', text.length - '/Contents '.length) !== '/Contents '
  )
    throw new SignError('signature dictionary was not written');
  const contentsEnd = contentsAt + placeholder.length;
  const total = base + length;
  const byteRange: [number, number, number, number] = [0, contentsAt, contentsEnd, total - contentsEnd];
  const brText = `[${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_WIDTH, ' ');
  if (brText.length !== BYTE_RANGE_WIDTH)
    throw new SignError('file too large for the /ByteRange placeholder');
  text.write(brText, brKey + '/ByteRange '.length, 'latin1');
  return { orig: doc.buf, parts, length, byteRange };
}

let lastPlaceholder: Uint8Array | undefined;

/**
 * `<000…0>`: room for `size` bytes of CMS in hex. The last one made is reused: it is only ever
 * copied into the update, never written to.
 */
function contentsPlaceholder(size: number): Uint8Array {
  if (lastPlaceholder?.length === size * 2 + 2) return lastPlaceholder;
  const b = Buffer.alloc(size * 2 + 2, 0x30);
  b[0] = 0x3c;
  b[b.length - 1] = 0x3e;
  lastPlaceholder = new Uint8Array(b.buffer, b.byteOffset, b.length);
  return lastPlaceholder;
}

/** A certification signature with DocMDP P=1 forbids any change, new signatures included. */
function refuseIfCertifiedNoChanges(doc: PdfFile): void {
  const perms = doc.resolve(doc.catalog.get('Perms'));
  if (!(perms instanceof PdfDict) || !perms.get('DocMDP')) return;
  const refs = doc.resolve(doc.dict(perms.get('DocMDP'), 'DocMDP signature').get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = doc.dict(r, 'signature reference');
    const params = doc.resolve(ref.get('TransformParams'));
    if ((ref.get('TransformMethod') as PdfName | undefined)?.name !== 'DocMDP') continue;
    const p = params instanceof PdfDict ? params.get('P') : undefined;
    if (p === 1) throw new SignError('the document is certified with no changes allowed (DocMDP P=1)');
  }
}

function copyDict(d: PdfDict): PdfDict {
  const c = new PdfDict();
  for (const [k, v] of d.map) c.set(k, v);
  return c;
}

function emptyForm(): PdfDict {
  return new PdfDict({ Type: new PdfName('XObject'), Subtype: new PdfName('Form'), BBox: [0, 0, 0, 0] });
}

/** Finds the newest signature placeholder: its /ByteRange and the /Contents hex span. */
export function findPlaceholder(prepared: Uint8Array): [number, number, number, number] {
  // The newest /ByteRange in the file (the update's signature dictionary), searched from the end.
  const buf = bufferOf(prepared);
  let last: RegExpExecArray | null = null;
  for (let at = buf.lastIndexOf('/ByteRange'); at >= 0 && !last; ) {
    last = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(latin1(buf, at, at + 80));
    at = at > 0 ? buf.lastIndexOf('/ByteRange', at - 1) : -1;
  }
  if (!last) throw new SignError('no signature placeholder');
  const br = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (br[0] !== 0 || br[2] + br[3] !== prepared.length || br[1] >= br[2]) {
    throw new SignError('the placeholder /ByteRange does not match the file');
  }
  if (prepared[br[1]] !== 0x3c || prepared[br[2] - 1] !== 0x3e)
    throw new SignError('bad /Contents placeholder');
  const hex = buf.subarray(br[1] + 1, br[2] - 1);
  if (!hex.equals(Buffer.alloc(hex.length, 0x30)))
    throw new SignError('the /Contents placeholder is already filled');
  return br;
}

/**
 * Checks the device's signature value over the signed attributes, builds the CMS (with
 * `timestampToken`, a DER RFC 3161 token over the signature value, as its signature time-stamp)
 * and writes its hex into the /Contents placeholder of `out` (in place).
 */
function embedSignature(
  out: Uint8Array,
  br: [number, number, number, number],
  signedAttributes: Uint8Array,
  signatureValue: Uint8Array,
  certificateChain: Uint8Array[],
  timestampToken?: Uint8Array,
  checkedLocalKey = false,
): Uint8Array {
  const signerCert = certificateChain[0];
  if (!signerCert) throw new SignError('empty certificate chain');
  // A device that signed something else, or with another key, must not yield a broken file.
  const { publicKey } = certificateFields(signerCert);
  if (!checkedLocalKey && !verify('sha256', signedAttributes, publicKey, signatureValue)) {
    throw new SignError('the signature value does not verify with the signer certificate');
  }
  const cms = signedDataFor(signedAttributes, signatureValue, certificateChain, timestampToken);
  const room = (br[2] - br[1] - 2) / 2;
  if (cms.length > room)
    throw new SignError(
      `signature needs ${cms.length} bytes${timestampToken ? ` (${timestampToken.length} of them the time-stamp token)` : ''}, ${room} reserved`,
    );
  bufferOf(out).write(bufferOf(cms).toString('hex'), br[1] + 1, 'latin1');
  return out;
}

/**
 * Embeds the CMS built from the device's signature value into the prepared PDF, with
 * `timestampToken` (DER RFC 3161 token over the signature value) as its signature time-stamp.
 */
export function completeSignature(
  prepared: Uint8Array,
  signatureValue: Uint8Array,
  certificateChain: Uint8Array[],
  timestampToken?: Uint8Array,
): Uint8Array {
  const br = findPlaceholder(prepared);
  const digest = sha256(prepared.subarray(0, br[1]), prepared.subarray(br[2]));
  const signerCert = certificateChain[0];
  if (!signerCert) throw new SignError('empty certificate chain');
  const attrs = signedAttributesDer(digest, signerCert);
  return embedSignature(prepared.slice(), br, attrs, signatureValue, certificateChain, timestampToken);
}

/**
 * `completeSignature` with a signature time-stamp from `timestampAuthority` (PAdES B-T): the
 * token is requested over the device's signature value and checked before it is embedded.
 */
export async function completeTimestampedSignature(
  prepared: Uint8Array,
  signatureValue: Uint8Array,
  certificateChain: Uint8Array[],
  timestampAuthority: TimestampAuthority,
): Promise<Uint8Array> {
  const { token } = await timestampSignatureValue(timestampAuthority, signatureValue);
  return completeSignature(prepared, signatureValue, certificateChain, token);
}

/**
 * Signs `pdf` with `signer` in one go: the same steps as the client-side flow, except that the
 * prepared file never leaves this function, so its placeholder is filled in place and its digest
 * is not computed twice. With a time-stamp authority, PAdES B-T.
 */
export async function signPdf(
  pdf: Uint8Array,
  signer: RawSigner,
  opts: SignOptions = {},
): Promise<Uint8Array> {
  const chain = await signer.certificateChain();
  const signerCert = chain[0];
  if (!signerCert) throw new SignError('empty certificate chain');
  const { orig, parts, length, byteRange } = layOutUpdate(pdf, opts);
  const out = copyAndHash(orig, parts, length, byteRange);
  const signedAttributes = signedAttributesDer(out.digest, signerCert);
  const value = await signer.sign(signedAttributes);
  const token = opts.timestampAuthority
    ? (await timestampSignatureValue(opts.timestampAuthority, value)).token
    : undefined;
  return embedSignature(
    out.bytes,
    byteRange,
    signedAttributes,
    value,
    chain,
    token,
    signer.checkedLocalKey === true && signer.algorithm === 'RSA-SHA256',
  );
}

/** Copy size between hash updates: the chunk just written is still in the CPU cache when hashed. */
const CHUNK = 64 * 1024;

/**
 * The file `orig` + `parts` in one new buffer, and the SHA-256 of its /ByteRange, computed while
 * copying (each chunk is hashed right after it is written, so the bytes are read from memory
 * once); the file is never joined twice and the placeholder is never hashed.
 */
function copyAndHash(
  orig: Uint8Array,
  parts: Uint8Array[],
  length: number,
  br: [number, number, number, number],
): { bytes: Uint8Array; digest: Uint8Array } {
  const total = orig.length + length;
  const out = new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total);
  const h = createHash('sha256');
  const n = orig.length;
  const signedEnd = br[1];
  const resume = br[2];
  for (let at = 0; at < n; at += CHUNK) {
    const end = Math.min(n, at + CHUNK);
    out.set(orig.subarray(at, end), at);
    if (at < signedEnd) h.update(out.subarray(at, Math.min(end, signedEnd)));
    if (end > resume) h.update(out.subarray(Math.max(at, resume), end));
  }
  let at = n;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  if (signedEnd > n) h.update(out.subarray(n, signedEnd));
  h.update(out.subarray(Math.max(n, resume)));
  return { bytes: out, digest: new Uint8Array(h.digest()) };
}
