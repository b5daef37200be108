/**
 * The long fuzz run: `npx tsx packages/edxml/fuzz/run.ts [--count 100000] [--seed 1] [--from 0]`.
 *
 * Each input (a seed message with stacked mutations, reproducible from --seed and its index) goes
 * through strict parsing, lenient parsing (plus a build/parse round trip of what it accepts) and
 * signature verification. Reported: outcome counts by code for each, per-input time (max, p99,
 * mean) and every failure: a throw other than EdxmlError, a lenient acceptance that does not
 * round-trip. The inputs run in a child process; if it makes no progress for 10 s the run stops
 * and names the input (a hang). Exit status 1 on any failure or hang.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildEdoc, signEnvelope } from '../src/index.ts';
import { makeKeys } from '../test/helpers.ts';
import { check, nthInput, seeds } from './corpus.ts';

interface Report {
  count: number;
  from: number;
  seed: number;
  seeds: number;
  seconds: number;
  strict: Record<string, number>;
  lenient: Record<string, number>;
  verify: Record<string, number>;
  maxMs: number;
  maxAt: number;
  p99Ms: number;
  meanMs: number;
  overOneSecond: number;
  failures: Array<{ n: number; failure: string }>;
  failureCount: number;
}

const STALL_MS = 10_000;
/** Before the first input: loading the code and building the seed corpus (slow on a loaded machine). */
const STARTUP_MS = 120_000;
const BEAT_EVERY = 25;

function args(): { count: number; seed: number; from: number } {
  const get = (name: string, dflt: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? dflt : Number(process.argv[i + 1]);
  };
  return { count: get('count', 100_000), seed: get('seed', 1), from: get('from', 0) };
}

/** A signed seed, when the openssl CLI is there to make a certificate. */
function signedSeed(): string[] {
  let keys: ReturnType<typeof makeKeys> | undefined;
  try {
    keys = makeKeys('fuzz');
    const env = {
      header: {
        from: { organId: 'H37.02.02', organName: 'Sở KH&CN' },
        to: [{ organId: '000.00.00.H41' }],
        documentId: 'H37.02.02,2025/03/05,1/SKHCN',
        code: { number: '1', notation: 'SKHCN' },
        promulgation: { date: '2025/03/05' },
        documentType: { type: 1, typeName: 'Công văn' },
        subject: 'Ký số',
        responseFor: [],
      },
      traceHeaders: [],
      manifest: [{ contentId: 'cid:1', attachmentName: 'a.txt' }],
    };
    const xml = buildEdoc(env, [
      { contentId: 'cid:1', attachmentName: 'a.txt', content: Buffer.from('đính kèm') },
    ]);
    return [signEnvelope(xml, { privateKey: keys.keyPem, certificate: keys.certPem })];
  } catch {
    console.warn('openssl not available: no signed seed');
    return [];
  } finally {
    keys?.cleanup();
  }
}

function child(): void {
  const { count, seed, from } = args();
  const corpus = seeds(signedSeed());
  const strict: Record<string, number> = {};
  const lenient: Record<string, number> = {};
  const verify: Record<string, number> = {};
  const times = new Float64Array(count);
  const failures: Report['failures'] = [];
  let failureCount = 0;
  let maxMs = 0;
  let maxAt = -1;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const n = from + i;
    if (i % BEAT_EVERY === 0) process.send?.({ type: 'beat', n });
    const r = check(nthInput(corpus, seed, n));
    strict[r.strict] = (strict[r.strict] ?? 0) + 1;
    lenient[r.lenient] = (lenient[r.lenient] ?? 0) + 1;
    verify[r.verify] = (verify[r.verify] ?? 0) + 1;
    times[i] = r.ms;
    if (r.ms > maxMs) {
      maxMs = r.ms;
      maxAt = n;
    }
    if (r.failure) {
      failureCount++;
      if (failures.length < 20) failures.push({ n, failure: r.failure.slice(0, 2000) });
    }
    if ((i + 1) % 10_000 === 0)
      console.log(`  ${i + 1} inputs, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const sorted = Float64Array.from(times).sort();
  const report: Report = {
    count,
    from,
    seed,
    seeds: corpus.length,
    seconds: (performance.now() - t0) / 1000,
    strict,
    lenient,
    verify,
    maxMs,
    maxAt,
    p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, count),
    overOneSecond: times.filter((t) => t > 1000).length,
    failures,
    failureCount,
  };
  process.send?.({ type: 'done', report });
}

function table(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return [`${title}:`, ...rows.map(([k, v]) => `  ${k.padEnd(34)} ${String(v).padStart(7)}`)].join('\n');
}

function print(r: Report): void {
  console.log(
    `\nedxml fuzz: ${r.count} inputs from #${r.from} (seed ${r.seed}, ${r.seeds} seed messages), ${r.seconds.toFixed(1)} s`,
  );
  console.log(`failures: ${r.failureCount}`);
  for (const f of r.failures) console.log(`  #${f.n}: ${f.failure}`);
  console.log(
    `per-input time (strict + lenient + round trip + verify): max ${r.maxMs.toFixed(1)} ms (input #${r.maxAt}), ` +
      `p99 ${r.p99Ms.toFixed(2)} ms, mean ${r.meanMs.toFixed(2)} ms, over 1 s: ${r.overOneSecond}`,
  );
  console.log(table('strict parse', r.strict));
  console.log(table('lenient parse', r.lenient));
  console.log(table('verifyEnvelope', r.verify));
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const c = fork(self, ['--child', ...process.argv.slice(2)]);
  let last = Date.now();
  let at = -1;
  let done = false;
  const watchdog = setInterval(() => {
    const limit = at === -1 ? STARTUP_MS : STALL_MS;
    if (Date.now() - last > limit) {
      clearInterval(watchdog);
      c.kill('SIGKILL');
      const { seed } = args();
      console.error(
        at === -1
          ? `HANG: the fuzz child did not start its first input within ${STARTUP_MS / 1000} s`
          : `HANG: no progress for ${STALL_MS / 1000} s after input #${at}; reproduce with --seed ${seed} --from ${at} --count ${BEAT_EVERY}`,
      );
      process.exit(1);
    }
  }, 500);
  c.on('message', (m: { type: 'beat'; n: number } | { type: 'done'; report: Report }) => {
    last = Date.now();
    if (m.type === 'beat') at = m.n;
    else {
      done = true;
      clearInterval(watchdog);
      print(m.report);
      process.exitCode = m.report.failureCount || m.report.overOneSecond ? 1 : 0;
    }
  });
  c.on('exit', (code) => {
    clearInterval(watchdog);
    if (!done) {
      console.error(`fuzz child exited with ${code} after input #${at}`);
      process.exit(1);
    }
  });
}

if (process.argv.includes('--child')) child();
else parent();
