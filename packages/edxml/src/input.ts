/** Feeding strings, byte arrays and (async) iterables of byte chunks to the tokenizer, with a byte limit. */
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

/** The trailing bytes of `b` that start an incomplete UTF-8 sequence. */
function incompleteTail(b: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k] as number;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? b.subarray(b.length - k) : EMPTY;
  }
  return EMPTY;
}

const EMPTY = new Uint8Array(0);

export class Feeder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;
  /** Bytes of an incomplete sequence held by the decoder. */
  private pending: Uint8Array = EMPTY;
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
    let s: string;
    try {
      s = this.decoder.decode(chunk, { stream: true });
    } catch {
      // Report the first error in document order, whatever the chunking: give the tokenizer the
      // valid text before the bad byte (it may fail first), then fail on the encoding.
      const all = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      const bad = firstInvalidUtf8(all);
      const before = new TextDecoder('utf-8').decode(all.subarray(0, bad));
      if (before) this.tokenizer.write(before);
      this.tokenizer.flush();
      throw new EdxmlError('EDXML_BAD_ENCODING', `near byte ${this.bytes - all.length + bad}`);
    }
    this.pending =
      chunk.length >= 3 ? incompleteTail(chunk) : incompleteTail(Buffer.concat([this.pending, chunk]));
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
    let s: string;
    try {
      s = this.decoder.decode();
    } catch {
      throw new EdxmlError('EDXML_BAD_ENCODING', 'truncated UTF-8 sequence at the end');
    }
    if (s) this.tokenizer.write(s);
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
