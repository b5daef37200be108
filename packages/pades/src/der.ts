/**
 * A minimal ASN.1 BER/DER reader and DER writer (X.690) for the hot paths of CMS signing and
 * verification: it walks elements in place (offsets into the input, no copies, no schema
 * objects), where asn1js/pkijs build a full object tree. Indefinite lengths are read (BER CMS from
 * some signers); only DER is written. Pure.
 */

export class DerError extends Error {}

/** One element: its tag byte(s) and where its header, content and end lie in `buf`. */
export interface Tlv {
  readonly buf: Uint8Array;
  /** First identifier octet (class, constructed bit and low tag number, e.g. 0x30 SEQUENCE, 0xa0 [0]). */
  readonly tag: number;
  /** The tag number (after the class bits), for high tag numbers too. */
  readonly tagNumber: number;
  readonly constructed: boolean;
  readonly start: number;
  readonly contentStart: number;
  /** End of the content (before the end-of-contents octets of an indefinite length). */
  readonly contentEnd: number;
  /** End of the element. */
  readonly end: number;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Reads the element starting at `pos` (which must end by `limit`). */
export function readTlv(buf: Uint8Array, pos = 0, limit = buf.length, depth = 0): Tlv {
  if (depth > 64) throw new DerError('ASN.1 nesting too deep');
  const start = pos;
  if (pos >= limit) throw new DerError('ASN.1: unexpected end of data');
  const tag = buf[pos++]!;
  const constructed = (tag & 0x20) !== 0;
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (pos >= limit || i > 4) throw new DerError('ASN.1: bad tag');
      const b = buf[pos++]!;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new DerError('ASN.1: truncated length');
  const first = buf[pos++]!;
  if (first === 0x80) {
    if (!constructed) throw new DerError('ASN.1: indefinite length on a primitive element');
    const contentStart = pos;
    let p = pos;
    for (;;) {
      if (p + 2 > limit) throw new DerError('ASN.1: missing end-of-contents');
      if (buf[p] === 0 && buf[p + 1] === 0) break;
      p = readTlv(buf, p, limit, depth + 1).end;
    }
    return { buf, tag, tagNumber, constructed, start, contentStart, contentEnd: p, end: p + 2 };
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || pos + n > limit) throw new DerError('ASN.1: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++]!;
  }
  if (pos + len > limit) throw new DerError('ASN.1: element longer than its container');
  return {
    buf,
    tag,
    tagNumber,
    constructed,
    start,
    contentStart: pos,
    contentEnd: pos + len,
    end: pos + len,
  };
}

/** The elements inside a constructed element. */
export function children(t: Tlv): Tlv[] {
  if (!t.constructed) throw new DerError('ASN.1: expected a constructed element');
  const out: Tlv[] = [];
  for (let p = t.contentStart; p < t.contentEnd; ) {
    const c = readTlv(t.buf, p, t.contentEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The element's content octets (a view). */
export function content(t: Tlv): Uint8Array {
  return t.buf.subarray(t.contentStart, t.contentEnd);
}

/** The whole element, header included (a view). */
export function raw(t: Tlv): Uint8Array {
  return t.buf.subarray(t.start, t.end);
}

/** `t` when it has tag `tag`, else a DerError naming `what`. */
export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`ASN.1: ${what} expected`);
  return t;
}

/** An OCTET STRING's value (whatever its tag); a constructed (BER) one is its segments joined. */
export function octets(t: Tlv): Uint8Array {
  if (!t.constructed) return content(t);
  const parts = children(t).map(octets);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function oid(t: Tlv): string {
  if (t.tag !== TAG.oid) throw new DerError('ASN.1: object identifier expected');
  const b = t.buf;
  const parts: number[] = [];
  let v = 0;
  for (let i = t.contentStart; i < t.contentEnd; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

// ---------------------------------------------------------------------------------------------
// DER writing

/** One DER element: `tag`, the definite length, then `parts` concatenated. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  // The length octets written in place: short form below 128, else 0x80|n then n big-endian bytes.
  const lenBytes = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : len < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(2 + lenBytes + len);
  out[0] = tag;
  if (lenBytes === 0) out[1] = len;
  else {
    out[1] = 0x80 | lenBytes;
    for (let i = lenBytes, v = len; i >= 1; i--, v = Math.floor(v / 256)) out[1 + i] = v & 0xff;
  }
  let at = 2 + lenBytes;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const oidCache = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER element. */
export function derOid(dotted: string): Uint8Array {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split('.').map(Number);
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const body: number[] = [];
  for (const v of values) {
    const seven: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) seven.unshift(0x80 | (x & 0x7f));
    body.push(...seven);
  }
  const out = tlv(TAG.oid, Uint8Array.from(body));
  oidCache.set(dotted, out);
  return out;
}

/** A small non-negative INTEGER element. */
export function derSmallInt(n: number): Uint8Array {
  if (n < 0 || n > 127) throw new DerError('only small integers are written');
  return Uint8Array.of(TAG.integer, 1, n);
}

export const DER_NULL = Uint8Array.of(TAG.null, 0);
