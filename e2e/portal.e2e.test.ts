import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { keepScreenshot, launch } from './browser.ts';
import { apiSession } from './exchange-setup.ts';

/**
 * The public portal on the demo installation (`congvu serve --demo-if-empty`), as a citizen on a
 * cheap phone sees it: 360 px wide, JavaScript disabled. Home → search "dang ky khai sinh" (typed
 * without diacritics) → the procedure page → the lookup of a dossier the counter has just received.
 * Each page's first load (one request: the HTML with its inlined stylesheet, compressed, as
 * transferred) must stay ≤ 150 KB, the style must apply under the page's CSP, and axe-core
 * finds no serious or critical WCAG 2.1 AA violation on any page.
 */
const DEMO_PASSWORD = 'CongVu@2026';
const BUDGET = 150 * 1024;
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let close: () => Promise<void>;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let transferred = 0;
let requests: string[] = [];
let dossier: { code: string; lookupSecret: string };

beforeAll(async () => {
  ({ browser, close } = await launch());
  const counter = await apiSession(inject('baseUrl'), 'motcua.xtl', DEMO_PASSWORD);
  const found = await counter.get('/api/procedures?code=1.001193&published=true');
  const proc = await counter.get(`/api/procedures/${found.items[0].id}`);
  dossier = await counter.post('/api/dossiers', {
    procedureId: proc.id,
    caseId: proc.cases[0].id,
    channel: 1,
    applicant: { kind: 1, name: 'Lò Văn Tra Cứu', idNo: '014090007001', phone: '0912345678' },
  });
  context = await browser.newContext({
    baseURL: inject('baseUrl'),
    javaScriptEnabled: false,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 360, height: 740 },
    isMobile: true,
  });
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Start from an empty cache so every page counts its stylesheet too (a first visit).
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.loadingFinished', (e) => {
    transferred += e.encodedDataLength;
  });
  cdp.on('Network.requestWillBeSent', (e) => {
    requests.push(e.request.url);
  });
});
afterAll(async () => {
  await context?.close();
  await close?.();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page)
    console.error(`Screenshot kept: ${await keepScreenshot(page, ctx.task.name)}`);
});

/** Goes to a page (or follows an action) and answers the bytes transferred for its first load. */
async function measured(action: () => Promise<unknown>): Promise<number> {
  transferred = 0;
  requests = [];
  await action();
  await page.waitForLoadState('load');
  // loadingFinished of the last resource may arrive just after the load event.
  await new Promise((r) => setTimeout(r, 200));
  return transferred;
}

/** axe-core on the same address in a context where it may run (the page itself has no script). */
async function axeViolations(url: string, from?: BrowserContext) {
  const ctx = await browser.newContext({
    baseURL: inject('baseUrl'),
    bypassCSP: true,
    viewport: { width: 360, height: 740 },
    // The citizen's own pages: the same cookies as the browser that signed in.
    ...(from && { storageState: await from.storageState() }),
  });
  try {
    const p = await ctx.newPage();
    await p.goto(url);
    await p.evaluate(AXE);
    const result = (await p.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
    )) as { violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  } finally {
    await ctx.close();
  }
}

describe('public portal without JavaScript at 360 px', () => {
  it('home → search without diacritics → procedure page → lookup, each ≤ 150 KB and accessible', async () => {
    const sizes: Record<string, number> = {};
    sizes.home = await measured(() => page.goto('/cong-dich-vu/'));
    await page
      .getByRole('heading', { level: 1, name: 'Tra cứu thủ tục hành chính, theo dõi hồ sơ' })
      .waitFor();
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    // One request per first visit: the stylesheet is inlined, and the CSP (not bypassed in this
    // context) lets it apply: the header's background is the stylesheet's blue.
    expect(requests).toEqual([`${inject('baseUrl')}/cong-dich-vu/`]);
    expect(
      await page.evaluate(`getComputedStyle(document.querySelector('header.top')).backgroundColor`),
    ).toBe('rgb(11, 79, 156)');
    // No horizontal scrolling at 360 px.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.getByLabel('Tên hoặc mã thủ tục').fill('dang ky khai sinh');
    await measured(() => page.getByRole('button', { name: 'Tìm kiếm' }).click());
    expect(new URL(page.url()).pathname).toBe('/cong-dich-vu/thu-tuc');
    const link = page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true });
    await link.waitFor();

    sizes.procedure = await measured(() => link.click());
    await page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' }).waitFor();
    await page.getByRole('heading', { name: 'Thành phần hồ sơ' }).first().waitFor();
    await page.getByRole('table', { name: 'Thời hạn và phí, lệ phí theo cách nộp' }).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    sizes.lookup = await measured(() => page.getByRole('link', { name: 'Tra cứu hồ sơ' }).click());
    await page.getByLabel('Mã hồ sơ').fill(dossier.code);
    await page.getByLabel('Mã tra cứu').fill(dossier.lookupSecret);
    await measured(() => page.getByRole('button', { name: 'Tra cứu' }).click());
    await page.getByText('Tình trạng: Được tiếp nhận').waitFor();
    await page.getByText('Việc bạn cần làm:').waitFor();
    expect(await page.content()).not.toContain('Lò Văn Tra Cứu');

    for (const [name, bytes] of Object.entries(sizes)) {
      console.log(`portal ${name}: ${bytes} bytes transferred on first load`);
      expect(bytes, name).toBeGreaterThan(1000);
      expect(bytes, name).toBeLessThanOrEqual(BUDGET);
    }
  });

  it('a wrong lookup secret shows the same "not found" as an unknown code', async () => {
    await page.goto(`/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=000000000000`);
    await page.getByRole('heading', { name: 'Không tìm thấy hồ sơ' }).waitFor();
    expect(await page.content()).not.toContain('Đăng ký khai sinh');
  });

  it('axe-core: no serious or critical violation on the public pages', async () => {
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    for (const url of [
      '/cong-dich-vu/',
      '/cong-dich-vu/thu-tuc?q=dang+ky+khai+sinh',
      '/cong-dich-vu/thu-tuc/1.001193',
      '/cong-dich-vu/tra-cuu',
      `/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=${dossier.lookupSecret}`,
      `/cong-dich-vu/thong-ke?nam=${year}`,
    ])
      expect(await axeViolations(url), url).toEqual([]);
  });

  it('the English switch: a link in the header, back to the same page in English, accessible; then Vietnamese again', async () => {
    await page.goto('/cong-dich-vu/thu-tuc/1.001193');
    await measured(() => page.getByRole('link', { name: 'English', exact: true }).click());
    // Back on the same page, now in English; the procedure's own name stays Vietnamese.
    expect(new URL(page.url()).pathname).toBe('/cong-dich-vu/thu-tuc/1.001193');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' }).waitFor();
    await page.getByRole('heading', { name: 'Papers to submit' }).first().waitFor();
    await page.getByRole('table', { name: 'Processing time and fees by channel' }).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await measured(() => page.getByRole('link', { name: 'Home', exact: true }).click());
    await page
      .getByRole('heading', { level: 1, name: 'Find administrative procedures, follow your dossier' })
      .waitFor();
    await page.getByLabel('Procedure name or code').fill('dang ky khai sinh');
    await measured(() => page.getByRole('button', { name: 'Search' }).click());
    await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).waitFor();

    await page.goto(`/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=${dossier.lookupSecret}`);
    await page.getByText('Status: Received').waitFor();

    for (const url of [
      '/cong-dich-vu/',
      '/cong-dich-vu/thu-tuc/1.001193',
      `/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=${dossier.lookupSecret}`,
    ])
      expect(await axeViolations(url, context), `${url} (en)`).toEqual([]);

    await measured(() => page.getByRole('link', { name: 'Tiếng Việt', exact: true }).click());
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByText('Tình trạng: Được tiếp nhận').waitFor();
  });
});

describe('citizen account pages without JavaScript at 360 px', () => {
  it('signs up, signs out, signs in (a wrong password first); the pages are accessible', async () => {
    const email = `congdan.e2e.${Date.now()}@example.vn`;
    const password = 'MatKhau-E2E-2026';
    await page.goto('/cong-dich-vu/');
    await page.getByRole('link', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('link', { name: 'Đăng ký tài khoản' }).click();
    await page.getByRole('heading', { level: 1, name: 'Đăng ký tài khoản' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.getByLabel('Họ và tên').fill('Giàng Thị Mỷ');
    await page.getByLabel('Thư điện tử').fill(email);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của Giàng Thị Mỷ' }).waitFor();
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await axeViolations('/cong-dich-vu/tai-khoan', context)).toEqual([]);
    expect(await axeViolations('/cong-dich-vu/kho-du-lieu', context)).toEqual([]);
    expect(await axeViolations('/cong-dich-vu/thong-bao', context)).toEqual([]);
    await page.getByRole('navigation').getByRole('link', { name: 'Thông báo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thông báo' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.getByRole('navigation').getByRole('link', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('link', { name: 'Đăng nhập', exact: true }).click();
    await page.getByLabel('Số điện thoại hoặc thư điện tử').fill(email);
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau-1');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Số điện thoại, thư điện tử hoặc mật khẩu không đúng').waitFor();
    expect(await page.getByLabel('Số điện thoại hoặc thư điện tử').inputValue()).toBe(email);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của Giàng Thị Mỷ' }).waitFor();

    for (const url of [
      '/cong-dich-vu/dang-nhap',
      '/cong-dich-vu/dang-ky',
      '/cong-dich-vu/quen-mat-khau',
      '/cong-dich-vu/dat-lai-mat-khau',
    ])
      expect(await axeViolations(url), url).toEqual([]);
  });
});
