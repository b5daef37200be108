/**
 * Benchmark of @congvu/workdays due-date computations.
 *
 *   npx tsx bench/workdays.ts [--quick]
 *
 * Measures `WorkCalendar.addWorkingDays('YYYY-MM-DD', n)` — the public string API, parsing and formatting
 * included — on random start dates 2020–2035 and n in 1..30, for ~3 s (~0.5 s with --quick), after a
 * warm-up. In the same run it measures a ceiling: the same loop over the same inputs doing only trivial
 * integer work (day number + n working days with weekend skipping by modulo arithmetic, no holidays, no
 * strings). The ratio ops/ceiling shows how close the real computation is to the bare loop.
 *
 * The last line is machine-readable:
 *   BENCH workdays ops=<integer>/s ceiling=<integer>/s ratio=<2 decimals>
 * Timing never fails the run (exit code 0 whatever the speed).
 */

import { formatIsoDate, toDayNumber, WorkCalendar } from '../packages/workdays/src/index.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 0.5 : 3;
const TARGET = 1_000_000;
const N_INPUTS = 1 << 16; // power of two: index with a mask

// Deterministic inputs (xorshift32), so runs are comparable.
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}
const lo = toDayNumber(2020, 1, 1);
const hi = toDayNumber(2035, 12, 31);
const startDays = new Int32Array(N_INPUTS);
const startIsos: string[] = new Array(N_INPUTS);
const ns = new Int32Array(N_INPUTS);
for (let i = 0; i < N_INPUTS; i++) {
  const dn = lo + Math.floor(random() * (hi - lo + 1));
  startDays[i] = dn;
  startIsos[i] = formatIsoDate(dn);
  ns[i] = 1 + Math.floor(random() * 30);
}

// A calendar with notices, as production would build it (the 2025 notice of STANDARDS §6.1).
const calendar = new WorkCalendar({
  notices: [
    ...['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'].map((date) => ({
      date,
      kind: 'day_off' as const,
      name: 'Tết Nguyên đán',
      replaces: 'tet-nguyen-dan',
    })),
    { date: '2025-05-02', kind: 'day_off', name: 'Nghỉ hoán đổi' },
    { date: '2025-04-26', kind: 'makeup_workday', name: 'Làm bù cho ngày 02/5/2025' },
    { date: '2025-09-01', kind: 'day_off', name: 'Quốc khánh', replaces: 'quoc-khanh-lien-ke' },
  ],
});

const MASK = N_INPUTS - 1;
let sink = 0;

/** The real thing: public string API. Returns iterations done. */
function realLoop(iterations: number, offset: number): void {
  let acc = 0;
  for (let j = 0; j < iterations; j++) {
    const i = (offset + j) & MASK;
    const due = calendar.addWorkingDays(startIsos[i]!, ns[i]!);
    acc += due.charCodeAt(9);
  }
  sink += acc;
}

/** The ceiling: n weekdays after a day number, Mon–Fri week, by modulo arithmetic only. */
function ceilingLoop(iterations: number, offset: number): void {
  let acc = 0;
  for (let j = 0; j < iterations; j++) {
    const i = (offset + j) & MASK;
    const dn = startDays[i]!;
    const n = ns[i]!;
    // Weekday 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday = 3). Move a weekend start to Friday.
    let w = (((dn + 3) % 7) + 7) % 7;
    let d = dn;
    if (w > 4) {
      d -= w - 4;
      w = 4;
    }
    const total = w + n;
    d += n + 2 * Math.floor(total / 5);
    acc += d;
  }
  sink += acc;
}

/** Runs `loop` in batches for `seconds`; returns operations per second. */
function measure(loop: (iterations: number, offset: number) => void, seconds: number): number {
  const batch = 16_384;
  let done = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    loop(batch, done);
    done += batch;
    elapsed = process.hrtime.bigint() - t0;
  }
  return done / (Number(elapsed) / 1e9);
}

// Sanity: the ceiling agrees with the calendar on a plain weekend-only calendar.
const weekendsOnly = new WorkCalendar({ rules: [] });
for (let i = 0; i < 1000; i++) {
  const expected = weekendsOnly.addWorkingDaysToDayNumber(startDays[i]!, ns[i]!);
  let got = 0;
  const saved = sink;
  sink = 0;
  ceilingLoop(1, i);
  got = sink;
  sink = saved;
  if (got !== expected) {
    console.log(`warning: ceiling formula disagrees at ${formatIsoDate(startDays[i]!)} + ${ns[i]}`);
    break;
  }
}

// Warm-up (JIT, window build, ISO cache).
const warm = quick ? 0.15 : 0.5;
measure(realLoop, warm);
measure(ceilingLoop, warm);

const ops = measure(realLoop, SECONDS);
const ceiling = measure(ceilingLoop, SECONDS);

// Informational: the day-number API (no parsing/formatting).
function dayNumberLoop(iterations: number, offset: number): void {
  let acc = 0;
  for (let j = 0; j < iterations; j++) {
    const i = (offset + j) & MASK;
    acc += calendar.addWorkingDaysToDayNumber(startDays[i]!, ns[i]!);
  }
  sink += acc;
}
measure(dayNumberLoop, warm / 2);
const dnOps = measure(dayNumberLoop, SECONDS / 3);

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`node ${process.version}, ${quick ? 'quick' : 'full'} run, ${SECONDS} s per measurement`);
console.log(`addWorkingDays(ISO string, n)      ${fmt(ops)} ops/s`);
console.log(`addWorkingDaysToDayNumber(dn, n)   ${fmt(dnOps)} ops/s (informational)`);
console.log(`ceiling (weekend modulo, no holidays) ${fmt(ceiling)} ops/s`);
console.log(`(checksum ${sink % 1000})`);
console.log(
  ops >= TARGET
    ? `target met: ${fmt(ops)}/s ≥ ${fmt(TARGET)}/s`
    : `target NOT met: ${fmt(ops)}/s < ${fmt(TARGET)}/s (slow machine or regression; not an error)`,
);
console.log(
  `BENCH workdays ops=${Math.round(ops)}/s ceiling=${Math.round(ceiling)}/s ratio=${(ops / ceiling).toFixed(2)}`,
);
