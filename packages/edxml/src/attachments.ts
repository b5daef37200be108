/** Streaming base64 decoding of attachment content into a caller's sink, with size and SHA-256. */
import { createHash, type Hash } from 'node:crypto';
import { EdxmlError } from './errors.ts';

/** Receives the decoded bytes of one attachment. */
export interface AttachmentWriter {
  write(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
  /** Called instead of end() when the parse fails after the attachment was opened. */
  abort?(error: unknown): void;
}

/** Where attachment content goes: `open(index)` is called when attachment number `index` (0-based, in document order) starts. */
export interface AttachmentSink {
  open(index: number): AttachmentWriter;
}

/**
 * 'collect': keep each attachment's content in memory (small messages); 'discard': size and hash
 * only; 'check': the base64 checked and the size counted, nothing kept or hashed (`sha256` is '';
 * for a reader that needs only the header, such as the hub's).
 */
export type AttachmentMode = 'collect' | 'discard' | 'check' | AttachmentSink;

const EMPTY = Buffer.alloc(0);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*$/;

/**
 * `s` is canonical base64 (alphabet, then at most two "=" closing a 4-character group): the bytes.
 * Node's decoder skips what is not base64, so decoding and encoding again gives `s` back exactly
 * when it is; that is two native passes instead of a regular expression over every character.
 * Undefined when not (also for valid base64 whose unused low bits are not zero: the caller then
 * takes the character-by-character path, which accepts it as before).
 */
function canonicalBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? bytes : undefined;
}

export class Base64Decoder {
  private carry = '';
  private length = 0;
  private padding = 0;

  constructor(private readonly path: string) {}

  private fail(detail: string): never {
    throw new EdxmlError('EDXML_BAD_BASE64', detail, this.path);
  }

  write(s: string): Buffer {
    const fast = this.fast(s);
    if (fast) return fast;
    if (!/[ \t\n\r]/.test(s)) return this.slow(s);
    const clean = s.replace(/[ \t\n\r]+/g, ''); // e.g. base64 in lines of 76
    return this.fast(clean) ?? this.slow(clean);
  }

  /**
   * The common case (no padding seen yet, canonical base64 without whitespace in this chunk) in
   * native passes; undefined to let slow() decide, with the same outcome as it alone would give.
   */
  private fast(clean: string): Buffer | undefined {
    if (this.padding > 0 || clean.length === 0) return undefined;
    const data = this.carry ? this.carry + clean : clean;
    const n = data.length - (data.length % 4);
    const rest = data.slice(n);
    if (!BASE64_CHARS.test(rest)) return undefined;
    const head = data.slice(0, n);
    const bytes = canonicalBase64(head);
    if (!bytes) return undefined;
    // "=" may only end the chunk (the carry holds no "=": no padding was seen before).
    const eq = head.indexOf('=');
    if (eq !== -1) {
      if (rest.length) return undefined;
      this.padding = head.length - eq;
    }
    this.length += clean.length;
    this.carry = rest;
    return bytes;
  }

  private slow(clean: string): Buffer {
    if (clean.length === 0) return EMPTY;
    if (this.padding > 0) {
      if (!/^=+$/.test(clean)) this.fail('data after the "=" padding');
      this.padding += clean.length;
    } else {
      if (!BASE64.test(clean)) {
        const bad = /[^A-Za-z0-9+/=]/.exec(clean);
        this.fail(bad ? `character ${JSON.stringify(bad[0])}` : 'misplaced "="');
      }
      const eq = clean.indexOf('=');
      if (eq !== -1) this.padding = clean.length - eq;
    }
    if (this.padding > 2) this.fail('more than two "=" of padding');
    this.length += clean.length;
    const data = this.carry + clean;
    const n = data.length - (data.length % 4);
    this.carry = data.slice(n);
    return n ? Buffer.from(data.slice(0, n), 'base64') : EMPTY;
  }

  end(): void {
    if (this.length % 4 !== 0) this.fail('length is not a multiple of 4');
  }
}

/** One attachment's content being decoded. */
export class AttachmentContent {
  size = 0;
  private readonly hash: Hash | undefined;
  private readonly decoder: Base64Decoder;
  private readonly chunks: Buffer[] | undefined;
  private digest: string | undefined;
  open = true;

  constructor(
    path: string,
    collect: boolean,
    readonly writer: AttachmentWriter | undefined,
    private readonly schedule: (f: () => void | Promise<void>) => void,
    hashed = true,
  ) {
    this.hash = hashed ? createHash('sha256') : undefined;
    this.decoder = new Base64Decoder(path);
    this.chunks = collect ? [] : undefined;
  }

  write(text: string): void {
    const bytes = this.decoder.write(text);
    if (bytes.length === 0) return;
    this.size += bytes.length;
    this.hash?.update(bytes);
    this.chunks?.push(bytes);
    const w = this.writer;
    if (w) this.schedule(() => w.write(bytes));
  }

  end(): void {
    this.decoder.end();
    this.digest = this.hash?.digest('hex') ?? '';
    this.open = false;
    const w = this.writer;
    if (w) this.schedule(() => w.end());
  }

  get sha256(): string {
    return this.digest ?? '';
  }

  get content(): Buffer | undefined {
    return this.chunks ? Buffer.concat(this.chunks) : undefined;
  }
}
