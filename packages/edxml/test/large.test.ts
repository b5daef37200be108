/**
 * A message with a 50 MB attachment: built, parsed, signed and verified as streams. The assertions
 * are memory bounds (growth of V8 heap + array buffers), not timings.
 */
import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEdocStream,
  createEnvelopeSignature,
  parseEdxml,
  type StreamingAttachment,
  verifyEnvelope,
} from '../src/index.ts';
import { edoc, makeKeys, type TestKeys } from './helpers.ts';

const SIZE = 50 * 1024 * 1024;
const BOUND = 3 * SIZE;

/** Deterministic content, produced 1 MiB at a time and never held whole. */
async function* content(): AsyncGenerator<Buffer> {
  const block = 1 << 20;
  for (let off = 0; off < SIZE; off += block) {
    const b = Buffer.allocUnsafe(Math.min(block, SIZE - off));
    for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((off + i) * 2654435761) >>> 0, i);
    yield b;
  }
}

async function expectedSha256(): Promise<string> {
  const h = createHash('sha256');
  for await (const c of content()) h.update(c);
  return h.digest('hex');
}

function attachment(): StreamingAttachment {
  return {
    contentId: 'cid:1',
    attachmentName: 'big.bin',
    contentType: 'application/octet-stream',
    content: content(),
  };
}

const env = () =>
  edoc(
    {},
    {
      manifest: [{ contentId: 'cid:1', attachmentName: 'big.bin', contentType: 'application/octet-stream' }],
    },
  );

// A full GC before each baseline, so garbage left by an earlier test does not hide growth.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

class Peak {
  private readonly base: number;
  peak = 0;
  constructor() {
    gc();
    const m = process.memoryUsage();
    this.base = m.heapUsed + m.arrayBuffers;
  }
  sample = (): void => {
    const m = process.memoryUsage();
    this.peak = Math.max(this.peak, m.heapUsed + m.arrayBuffers - this.base);
  };
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

let keys: TestKeys;
beforeAll(() => {
  keys = makeKeys();
});
afterAll(() => keys?.cleanup());

describe('50 MB attachment', () => {
  it('streams through build → parse with bounded memory', async () => {
    const sha = await expectedSha256();
    const peak = new Peak();
    let bytes = 0;
    const r = await parseEdxml(buildEdocStream(env(), [attachment()]), {
      mode: 'strict',
      attachments: {
        open: () => ({
          write: (c) => {
            bytes += c.length;
            peak.sample();
          },
          end: peak.sample,
        }),
      },
    });
    peak.sample();
    console.log(
      `[edxml] streamed parse of a 50 MB attachment: peak growth ${mb(peak.peak)} (bound ${mb(BOUND)})`,
    );
    expect(bytes).toBe(SIZE);
    expect(r.kind === 'edoc' && r.attachments[0]).toMatchObject({ size: SIZE, sha256: sha });
    expect(peak.peak).toBeLessThan(BOUND);
  }, 120_000);

  it('collects into a Buffer when asked, within the same bound', async () => {
    const peak = new Peak();
    const r = await parseEdxml(buildEdocStream(env(), [attachment()]), { attachments: 'collect' });
    peak.sample();
    expect(r.kind === 'edoc' && r.attachments[0]?.content?.length).toBe(SIZE);
    console.log(
      `[edxml] collected parse of a 50 MB attachment: peak growth ${mb(peak.peak)} (bound ${mb(BOUND)})`,
    );
    expect(peak.peak).toBeLessThan(BOUND);
  }, 120_000);

  it('signs and verifies as streams (the digest covers the attachment) with bounded memory', async () => {
    const key = { privateKey: keys.keyPem, certificate: keys.certPem };
    const peak = new Peak();
    const sampled = (gen: AsyncIterable<Buffer>) =>
      (async function* () {
        for await (const b of gen) {
          peak.sample();
          yield b;
        }
      })();
    const signature = await createEnvelopeSignature(sampled(buildEdocStream(env(), [attachment()])), key);
    const v = await verifyEnvelope(sampled(buildEdocStream(env(), [attachment()], { signature })));
    console.log(`[edxml] streamed sign + verify of a 50 MB attachment: peak growth ${mb(peak.peak)}`);
    expect(v).toMatchObject({ valid: true });
    expect(peak.peak).toBeLessThan(BOUND);
    // One byte changed at the very end of the attachment: the digest no longer matches.
    async function* altered(): AsyncGenerator<Buffer> {
      let n = 0;
      for await (const c of content()) {
        n += c.length;
        if (n === SIZE) c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 0xff;
        yield c;
      }
    }
    const changed = { ...attachment(), content: altered() };
    const bad = await verifyEnvelope(buildEdocStream(env(), [changed], { signature }));
    expect(bad.failure?.code).toBe('EDXML_SIG_DIGEST_MISMATCH');
  }, 120_000);
});
