/**
 * The public portal on slow mobile networks (issue 7): `congvu serve --demo-if-empty` on a fresh
 * embedded database, a dossier received at the counter through the API (motcua.xtl), then Debian's
 * Chromium (headless, the flags of e2e/browser.ts) as a cheap phone (360 × 740; the pages run no
 * script of their own, JavaScript stays on only for the injected LCP reader) loads the home page, a procedure page and the lookup of that dossier under
 * Chrome DevTools' "Fast 3G" and "Slow 3G" profiles (CDP Network.emulateNetworkConditions, cache
 * disabled: every load is a first visit). Per load: bytes transferred (sum of CDP
 * Network.loadingFinished encodedDataLength) and Largest Contentful Paint (the last
 * `largest-contentful-paint` entry, read by a PerformanceObserver injected after the load).
 * Median of 3 loads per page and profile (1 with --quick). Targets: LCP ≤ 1.5 s on Fast 3G and
 * ≤ 4 s on Slow 3G; the last line is the slowest page's Slow 3G LCP against 4 s.
 *
 *   npm run bench -- portal [--quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { freePort } from '../apps/server/src/db/free-port.ts';
import { launch } from '../e2e/browser.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_PASSWORD = 'CongVu@2026';

/**
 * Chrome DevTools' presets (front_end/core/sdk/NetworkManager.ts): throughput in bytes/s, 90 % of
 * the nominal bit rate; latency in ms is the round trip added to every request.
 */
const PROFILES = [
  {
    name: 'Fast 3G',
    target: 1500,
    latency: 150 * 3.75,
    downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
    uploadThroughput: ((750 * 1000) / 8) * 0.9,
  },
  {
    name: 'Slow 3G',
    target: 4000,
    latency: 400 * 5,
    downloadThroughput: ((500 * 1000) / 8) * 0.9,
    uploadThroughput: ((500 * 1000) / 8) * 0.9,
  },
] as const;

/** `congvu serve --demo-if-empty` as e2e/global-setup.ts starts it; resolves once /api/health answers. */
async function serve(dataDir: string): Promise<{ baseUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const { DATABASE_URL: _external, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [...heapArgs(), path.join(root, 'apps/server/bin/congvu.mjs'), 'serve', '--demo-if-empty'],
    {
      cwd: root,
      env: {
        ...env,
        CONGVU_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        CONGVU_LOG_LEVEL: 'warn',
        CONGVU_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`congvu serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 150_000) throw new Error('no health answer within 150 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, child };
}

/** Receives a counter dossier of 1.001193 as the demo one-stop clerk; its code and lookup secret. */
async function receiveDossier(baseUrl: string): Promise<{ code: string; lookupSecret: string }> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'motcua.xtl', password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('congvu_sid=')) ?? '').split(';')[0]!;
  const call = async (p: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status >= 400) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    // biome-ignore lint/suspicious/noExplicitAny: bench client, the fields used are checked by use
    return (await res.json()) as any;
  };
  const found = await call('/api/procedures?code=1.001193&published=true');
  const proc = await call(`/api/procedures/${found.items[0].id}`);
  return call('/api/dossiers', {
    procedureId: proc.id,
    caseId: proc.cases[0].id,
    channel: 1,
    applicant: { kind: 1, name: 'Lò Văn Đo Tốc Độ', idNo: '014090007002', phone: '0912345678' },
  });
}

/** Injected after the load (the pages themselves run no script): the LCP entry's time in ms. */
const READ_LCP = `new Promise((resolve) => {
  let last = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) last = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => resolve(last), 50);
})`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-portal-'));
fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
let server: ChildProcess | null = null;
const { browser, close } = await launch();
try {
  const s = await serve(dataDir);
  server = s.child;
  const dossier = await receiveDossier(s.baseUrl);
  const pages = [
    { name: 'home', path: '/cong-dich-vu/' },
    { name: 'procedure 1.001193', path: '/cong-dich-vu/thu-tuc/1.001193' },
    {
      name: 'lookup',
      path: `/cong-dich-vu/tra-cuu?ma=${encodeURIComponent(dossier.code)}&k=${encodeURIComponent(dossier.lookupSecret)}`,
    },
  ];
  const results: { profile: string; page: string; bytes: number; lcp: number; target: number }[] = [];
  for (const profile of PROFILES) {
    for (const p of pages) {
      const lcps: number[] = [];
      const bytes: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // A context per load: a fresh connection pool and no cache, as a first visit.
        const context = await browser.newContext({
          baseURL: s.baseUrl,
          locale: 'vi-VN',
          timezoneId: 'Asia/Ho_Chi_Minh',
          viewport: { width: 360, height: 740 },
          isMobile: true,
        });
        try {
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: profile.latency,
            downloadThroughput: profile.downloadThroughput,
            uploadThroughput: profile.uploadThroughput,
          });
          let transferred = 0;
          cdp.on('Network.loadingFinished', (e) => {
            transferred += e.encodedDataLength;
          });
          const res = await page.goto(p.path, { waitUntil: 'load', timeout: 60_000 });
          if (res?.status() !== 200) throw new Error(`${p.path}: ${res?.status()}`);
          // loadingFinished of the last resource may arrive just after the load event.
          await new Promise((r) => setTimeout(r, 200));
          const lcp = (await Promise.race([
            page.evaluate(READ_LCP),
            new Promise((_, reject) => setTimeout(() => reject(new Error('LCP reader timed out')), 10_000)),
          ])) as number | null;
          if (lcp === null) throw new Error(`${p.path}: no largest-contentful-paint entry`);
          lcps.push(lcp);
          bytes.push(transferred);
        } finally {
          await context.close();
        }
      }
      results.push({
        profile: profile.name,
        page: p.name,
        bytes: median(bytes),
        lcp: median(lcps),
        target: profile.target,
      });
    }
  }
  console.log(
    `${'profile'.padEnd(8)} ${'page'.padEnd(20)} ${'bytes'.padStart(8)} ${'LCP'.padStart(9)}  target`,
  );
  for (const r of results)
    console.log(
      `${r.profile.padEnd(8)} ${r.page.padEnd(20)} ${r.bytes.toLocaleString('en').padStart(8)} ${`${r.lcp.toFixed(0)} ms`.padStart(9)}  ≤ ${r.target} ms ${r.lcp <= r.target ? 'met' : 'NOT met'}`,
    );
  console.log(`(median of ${rounds} first visits per page and profile, cache disabled, 360 × 740)`);
  const fast = Math.max(...results.filter((r) => r.profile === 'Fast 3G').map((r) => r.lcp));
  const slow = Math.max(...results.filter((r) => r.profile === 'Slow 3G').map((r) => r.lcp));
  console.log(`lcp_fast3g_max=${fast.toFixed(0)}ms ceiling=1500 ratio=${(fast / 1500).toFixed(2)}`);
  console.log(
    `BENCH portal lcp_slow3g_max=${slow.toFixed(0)}ms ceiling=4000 ratio=${(slow / 4000).toFixed(2)}`,
  );
} finally {
  await close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
