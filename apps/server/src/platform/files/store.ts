import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { type SniffedType, sniff } from './sniff.ts';

/** Content-addressed blob store on disk: <root>/ab/cd/<sha256>. Writes are atomic (temp + rename). */
export class BlobStore {
  constructor(
    readonly root: string,
    readonly maxBytes: number,
  ) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('FILE_NOT_FOUND');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Checks size and type, then stores; the same content stored twice is kept once. */
  async put(data: Buffer): Promise<{ sha256: string; size: number; type: SniffedType }> {
    if (data.length > this.maxBytes) throw new AppError('FILE_TOO_LARGE', { maxBytes: this.maxBytes });
    const type = sniff(data);
    if (!type) throw new AppError('FILE_TYPE_NOT_ALLOWED');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const dest = this.pathOf(sha256);
    try {
      await fs.access(dest);
    } catch {
      await fs.mkdir(path.dirname(dest), { recursive: true });
      // A name of its own per call: callers storing the same content at once each write their
      // own copy, and the renames replace one identical file with another.
      const tmp = `${dest}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
      try {
        await fs.writeFile(tmp, data, { flag: 'wx' });
        await fs.rename(tmp, dest);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    }
    return { sha256, size: data.length, type };
  }

  async read(sha256: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(sha256));
    } catch {
      throw new AppError('FILE_NOT_FOUND');
    }
  }
}
