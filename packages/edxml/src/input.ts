/** Feeding strings, byte arrays and (async) iterables of byte chunks to the tokenizer, with a byte limit. */
import { isAscii, isUtf8 } from 'node:buffer';
import { EdxmlError } from './errors.ts';
import type { XmlTokenizer } from './xml/tokenizer.ts';

/** What the parser and the verifier read: a string, bytes, or chunks of bytes (a stream). */
export type EdxmlInput = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Large strings and buffers are fed in slices of this size, so decoded text stays bounded. */
const SLICE = 1 << 20;

/** Index of the first byte that does not start or continue a valid UTF-8 sequence (length when none). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length) return i; // incomplete: the valid text ends here
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k] as number;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return i;
}

/**
 * The trailing bytes of `b` that start a UTF-8 sequence still incomplete but valid so far (what a
 * streaming decoder holds back for the next chunk); empty when the tail is complete or already
 * invalid (then the bad bytes are reported with the chunk that holds them).
 */
function incompleteTail(b: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k] as number;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (need <= k || c < 0xc2 || c > 0xf4) return EMPTY;
    if (k >= 2) {
      // The second byte's range depends on the first (no overlong form, no surrogate, ≤ U+10FFFF).
      const d = b[b.length - k + 1] as number;
      const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
      if (d < lo || d > hi) return EMPTY;
    }
    return b.subarray(b.length - k);
  }
  return EMPTY;
}

const EMPTY = new Uint8Array(0);

/** Runs of pure ASCII are found block by block: ASCII decodes several times faster than UTF-8. */
const ASCII_BLOCK = 8192;

function decodeRun(b: Uint8Array, from: number, to: number, ascii: boolean): string {
  const buf = Buffer.from(b.buffer, b.byteOffset + from, to - from);
  return buf.toString(ascii ? 'latin1' : 'utf8');
}

/**
 * Text of bytes already known to be valid, complete UTF-8, decoded in pieces: pure-ASCII runs
 * apart from the rest. V8 decodes non-ASCII UTF-8 ~100 times slower than ASCII, and a whole buffer
 * takes the slow path for one accented letter; an edXML message is a few KB of Vietnamese header
 * and then base64. A piece never splits a character: an ASCII block starts and ends on an ASCII
 * byte. The pieces are joined, so the tokenizer sees the same text per chunk as before.
 */
export function decodeValidUtf8(b: Uint8Array): string {
  if (b.length === 0) return '';
  if (isAscii(b)) return decodeRun(b, 0, b.length, true);
  let s = '';
  let runStart = 0;
  let runAscii: boolean | undefined;
  for (let i = 0; i < b.length; i += ASCII_BLOCK) {
    const end = Math.min(b.length, i + ASCII_BLOCK);
    const ascii = isAscii(b.subarray(i, end));
    if (runAscii !== undefined && ascii !== runAscii) {
      s += decodeRun(b, runStart, i, runAscii);
      runStart = i;
    }
    runAscii = ascii;
  }
  return s + decodeRun(b, runStart, b.length, runAscii === true);
}

/** UTF-8 bytes to a string, as TextDecoder('utf-8', { fatal: true }) does (a leading BOM dropped); undefined when invalid. */
export function decodeUtf8(b: Uint8Array): string | undefined {
  if (!isUtf8(b)) return undefined;
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  return decodeValidUtf8(bom ? b.subarray(3) : b);
}

export class Feeder {
  private bytes = 0;
  /** Bytes of an incomplete sequence held until the next chunk. */
  private pending: Uint8Array = EMPTY;
  /** Nothing decoded yet: a UTF-8 byte order mark here is dropped (as TextDecoder does). */
  private atStart = true;
  /** A lone first byte kept until the second arrives (to tell a UTF-16 byte order mark). */
  private head: Uint8Array | undefined = EMPTY;

  constructor(
    private readonly tokenizer: XmlTokenizer,
    private readonly maxBytes: number,
  ) {}

  private count(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes)
      throw new EdxmlError('EDXML_TOO_LARGE', `more than ${this.maxBytes} bytes`);
  }

  bytesIn(input: Uint8Array): void {
    if (input.length === 0) return;
    if (this.bytes + input.length > this.maxBytes && this.bytes < this.maxBytes) {
      // Whatever the chunking, an error before the limit is reported first.
      const room = this.maxBytes - this.bytes;
      this.bytesIn(input.subarray(0, room));
      this.tokenizer.flush();
      input = input.subarray(room);
    }
    this.count(input.length);
    let chunk = input;
    if (this.head !== undefined) {
      chunk = this.head.length ? Buffer.concat([this.head, input]) : input;
      if (chunk.length < 2) {
        this.head = chunk;
        return;
      }
      this.head = undefined;
      const [a, b] = [chunk[0], chunk[1]];
      if ((a === 0xfe && b === 0xff) || (a === 0xff && b === 0xfe))
        throw new EdxmlError('EDXML_UNSUPPORTED_ENCODING', 'UTF-16 byte order mark');
    }
    this.decode(chunk);
  }

  private decode(chunk: Uint8Array): void {
    const all = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const tail = incompleteTail(all);
    let body = tail.length ? all.subarray(0, all.length - tail.length) : all;
    if (!isUtf8(body)) {
      // Report the first error in document order, whatever the chunking: give the tokenizer the
      // valid text before the bad byte (it may fail first), then fail on the encoding.
      const bad = firstInvalidUtf8(all);
      const before = new TextDecoder('utf-8').decode(all.subarray(0, bad));
      if (before) this.tokenizer.write(before);
      this.tokenizer.flush();
      throw new EdxmlError('EDXML_BAD_ENCODING', `near byte ${this.bytes - all.length + bad}`);
    }
    this.pending = tail.length ? Uint8Array.from(tail) : EMPTY;
    if (body.length === 0) return;
    if (this.atStart) {
      this.atStart = false;
      if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)
        body = body.subarray(3);
    }
    const s = decodeValidUtf8(body);
    if (s) this.tokenizer.write(s);
  }

  stringIn(s: string): void {
    if (s.length === 0) return;
    this.count(Buffer.byteLength(s, 'utf8'));
    this.head = undefined;
    this.tokenizer.write(s);
  }

  end(): void {
    const head = this.head;
    this.head = undefined;
    if (head?.length) this.decode(head);
    if (this.pending.length)
      throw new EdxmlError('EDXML_BAD_ENCODING', 'truncated UTF-8 sequence at the end');
    this.tokenizer.end();
  }
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

function* slices(input: string | Uint8Array): Generator<string | Uint8Array> {
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; ) {
      let j = Math.min(input.length, i + SLICE);
      const c = input.charCodeAt(j - 1);
      if (j < input.length && c >= 0xd800 && c <= 0xdbff) j--; // never split a surrogate pair
      yield input.slice(i, j);
      i = j;
    }
  } else if (input instanceof Uint8Array) {
    for (let i = 0; i < input.length; i += SLICE) yield input.subarray(i, Math.min(input.length, i + SLICE));
  } else {
    throw new TypeError('expected a string or a Uint8Array');
  }
}

function feedOne(feeder: Feeder, chunk: string | Uint8Array): void {
  if (typeof chunk === 'string') feeder.stringIn(chunk);
  else feeder.bytesIn(chunk);
}

/** Feeds a string or bytes, slice by slice. */
export function feedSync(feeder: Feeder, input: string | Uint8Array): void {
  for (const s of slices(input)) feedOne(feeder, s);
  feeder.end();
}

/** Feeds any input; awaits `between` after each chunk (attachment sinks apply back-pressure there). */
export async function feedAsync(
  feeder: Feeder,
  input: EdxmlInput,
  between: () => Promise<void>,
): Promise<void> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    for (const s of slices(input)) {
      feedOne(feeder, s);
      await between();
    }
  } else if (isAsyncIterable(input)) {
    for await (const chunk of input) {
      feedOne(feeder, chunk);
      await between();
    }
  } else if (input && typeof (input as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    for (const chunk of input as Iterable<Uint8Array>) {
      feedOne(feeder, chunk);
      await between();
    }
  } else {
    throw new TypeError('expected a string, a Uint8Array or an iterable of Uint8Array');
  }
  feeder.end();
  await between();
}
