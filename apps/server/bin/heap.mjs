// The heap bound of the long-running commands (`congvu serve`, `congvu hub`). V8 sizes its default
// heap limit from the machine's memory (about 4 GB on 24 GB) and, with that much room, collects
// old-space garbage lazily: a 1,000,000-row export then peaks at ~330 MB resident where 512 MB of
// heap keeps it at ~250 MB (docs/BENCHMARKS.md, dossiers). The live heap of a server is ~70 MB.
export const DEFAULT_HEAP_MB = 512;

/** CONGVU_HEAP_MB: megabytes of old-space heap; 0 leaves V8's default. */
export function heapMb(env = process.env) {
  const raw = env.CONGVU_HEAP_MB;
  if (raw === undefined || raw.trim() === '') return DEFAULT_HEAP_MB;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || (n > 0 && n < 128))
    throw new Error(
      `CONGVU_HEAP_MB phải là số MB nguyên từ 128 trở lên, hoặc 0 (giới hạn mặc định của V8): "${raw}"`,
    );
  return n;
}

/**
 * Node's arguments for the bound: none when the operator chose V8's default (0) or set the heap
 * in NODE_OPTIONS or on node's command line themselves.
 */
export function heapArgs(env = process.env, execArgv = process.execArgv) {
  const mb = heapMb(env);
  const own =
    /--max-old-space-size/.test(env.NODE_OPTIONS ?? '') ||
    execArgv.some((a) => a.startsWith('--max-old-space-size'));
  return mb === 0 || own ? [] : [`--max-old-space-size=${mb}`];
}
