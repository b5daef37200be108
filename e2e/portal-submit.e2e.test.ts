import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { keepScreenshot, launch } from './browser.ts';

/**
 * Online submission on the demo installation, as a citizen on a cheap phone: 360 px, JavaScript
 * disabled. Sign up → CCCD in the profile → "Đăng ký khai sinh" → the form (errors first) → a PNG
 * for each paper → review → submit → the submitted page and its PDF. axe-core on every step.
 */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let close: () => Promise<void>;
let context: BrowserContext;
let page: Page;
let png: string;

beforeAll(async () => {
  ({ browser, close } = await launch());
  context = await browser.newContext({
    baseURL: inject('baseUrl'),
    javaScriptEnabled: false,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 360, height: 740 },
    isMobile: true,
  });
  page = await context.newPage();
  png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-')), 'giay-chung-sinh.png');
  fs.writeFileSync(
    png,
    await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#eeeeee' } })
      .png()
      .toBuffer(),
  );
});
afterAll(async () => {
  await context?.close();
  await close?.();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page)
    console.error(`Screenshot kept: ${await keepScreenshot(page, ctx.task.name)}`);
});

/** axe-core on the page as it is now (the same cookies), in a context where it may run. */
async function axeHere() {
  const ctx = await browser.newContext({
    baseURL: inject('baseUrl'),
    bypassCSP: true,
    viewport: { width: 360, height: 740 },
    storageState: await context.storageState(),
  });
  try {
    const p = await ctx.newPage();
    await p.goto(page.url());
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

async function checkPage(name: string) {
  expect(await page.evaluate('document.scripts.length'), name).toBe(0);
  expect(await page.evaluate('document.documentElement.scrollWidth'), name).toBeLessThanOrEqual(360);
  expect(await axeHere(), name).toEqual([]);
}

describe('online submission without JavaScript at 360 px', () => {
  it('signs up, fills in the birth registration, uploads a PNG, submits', async () => {
    await page.goto('/cong-dich-vu/dang-ky');
    await page.getByLabel('Họ và tên').fill('Hà Thị Nộp');
    await page.getByLabel('Thư điện tử').fill(`nop.e2e.${Date.now()}@example.vn`);
    await page.getByLabel('Mật khẩu').fill('MatKhau-E2E-2026');
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của Hà Thị Nộp' }).waitFor();
    await page.getByLabel('Số CCCD').fill(`0010990${String(Date.now()).slice(-5)}`);
    await page.getByRole('button', { name: 'Lưu thông tin' }).click();
    await page.getByText('Đã lưu thông tin cá nhân.').waitFor();

    await page.goto('/cong-dich-vu/thu-tuc/1.001193');
    await page.getByRole('link', { name: 'Nộp trực tuyến' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nộp trực tuyến: Đăng ký khai sinh' }).waitFor();
    await checkPage('start');
    await page.getByLabel('Đăng ký khai sinh đúng hạn').check();
    await page.getByLabel('Nơi nộp hồ sơ').selectOption({ label: 'Ủy ban nhân dân xã Tân Lập' });
    await page.getByRole('button', { name: 'Bắt đầu khai hồ sơ' }).click();
    await page.getByRole('heading', { level: 2, name: 'Tờ khai đăng ký khai sinh' }).waitFor();
    await checkPage('form');

    // Errors first: shown next to the fields, the form still accessible.
    await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Hà Minh Khôi');
    await page.getByLabel('Số CCCD của người mẹ').fill('123');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByText('Số CCCD (định danh cá nhân) gồm đúng 12 chữ số').first().waitFor();
    expect(await page.getByLabel('Họ, chữ đệm và tên của trẻ').inputValue()).toBe('Hà Minh Khôi');
    await checkPage('form with errors');

    await page.getByLabel('Giới tính của trẻ').selectOption({ label: 'Nam' });
    await page.getByLabel('Ngày sinh của trẻ').fill('01/11/2026');
    await page.getByLabel('Tỉnh, thành phố').selectOption({ label: 'Tỉnh Sơn Lâm' });
    await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Tân Lập' });
    await page.getByLabel('Họ và tên người mẹ').fill('Hà Thị Nộp');
    await page.getByLabel('Số CCCD của người mẹ').fill('001190000001');
    await page.getByLabel('Người đi đăng ký là').selectOption({ label: 'Mẹ của trẻ' });
    await page.getByLabel('Số điện thoại liên hệ').fill('0912345678');
    // One more witness row, without script.
    await page.getByRole('button', { name: /^Thêm dòng/ }).click();
    await page.locator('input[name="witnesses[1].name"]').waitFor();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    await page.getByRole('heading', { level: 2, name: 'Giấy chứng sinh' }).waitFor();
    await checkPage('papers');
    for (const name of ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh']) {
      const section = page.locator('section.paper', { has: page.getByRole('heading', { level: 2, name }) });
      await section.locator('input[type="file"]').setInputFiles(png);
      await section.getByRole('button', { name: 'Tải lên' }).click();
      await page
        .locator('section.paper', { has: page.getByRole('heading', { level: 2, name }) })
        .getByText('Đã nộp: giay-chung-sinh.png')
        .waitFor();
    }
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('heading', { level: 2, name: 'Tờ khai' }).waitFor();
    await page.getByText('Hà Minh Khôi').waitFor();
    await checkPage('review');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();

    await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
    await checkPage('submitted');
    const receipt = await page.getByRole('link', { name: /Tải giấy xác nhận/ }).getAttribute('href');
    const pdf = await context.request.get(receipt as string);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    // The lookup link shows the dossier as sent, waiting for the one-stop shop.
    await page.getByRole('link', { name: /Tra cứu tình trạng hồ sơ/ }).click();
    await page.getByText('Tình trạng:').first().waitFor();
  });
});
