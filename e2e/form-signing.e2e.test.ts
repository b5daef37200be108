import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { DEMO_SIGNING_PASSWORD, seedDemoSigning } from '../apps/server/src/demo/signing.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';
import { type Postgres, postgres, startInstallation } from './exchange-setup.ts';

/**
 * The counter officer of the demo commune receives a dossier, then has its receipt signed with
 * the commune's seal from the dossier page, and opens the signed copy.
 */
const DEMO_PASSWORD = 'CongVu@2026';
let browser: Browser;
let close: () => Promise<void>;
let pg: Postgres;
let site: Awaited<ReturnType<typeof startInstallation>>;
let pkiDir: string;
const contexts: BrowserContext[] = [];
let page: Page;

beforeAll(async () => {
  pg = await postgres();
  // The demo PKI goes under the installation's data dir: its CRL is served from <data>/pki.
  pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-formsign-'));
  site = await startInstallation(await pg.create('formsign'), { CONGVU_DATA_DIR: pkiDir });
  const s = site.services;
  await seedDemo(s.org, s.calendar, s.documents, () => {}, {
    workfiles: s.workfiles,
    procedures: s.procedures,
  });
  await seedDemoSigning({
    dataDir: pkiDir,
    publicUrl: site.baseUrl,
    org: s.org,
    signing: s.signing,
    log: () => {},
  });
  ({ browser, close } = await launch());
}, 240_000);
afterAll(async () => {
  await close?.();
  await site?.close();
  await pg?.close();
  if (pkiDir) fs.rmSync(pkiDir, { recursive: true, force: true });
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const file = await keepScreenshot(page, ctx.task.name);
    console.error(`Screenshot kept: ${file}`);
  }
  for (const c of contexts.splice(0)) await c.close();
});

async function as(username: string): Promise<Page> {
  const context = await newContext(browser, site.baseUrl);
  contexts.push(context);
  page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('menuitem', { name: 'Tra cứu văn bản' }).waitFor();
  return page;
}

async function pick(p: Page, label: string, typed: string, option: string | RegExp) {
  await p.getByLabel(label, { exact: true }).click();
  await p.keyboard.type(typed);
  await p
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

describe('one-stop forms signed with the agency signature', () => {
  it('the counter officer signs the receipt with the commune’s seal and opens the signed copy', async () => {
    const p = await as('motcua.xtl');
    await p.getByRole('menuitem', { name: 'Tiếp nhận hồ sơ' }).click();
    await pick(p, 'Thủ tục hành chính', '1.001193', '1.001193');
    await pick(p, 'Trường hợp', '', 'Đăng ký khai sinh đúng hạn');
    await p.getByLabel('Họ và tên / tên tổ chức').fill('Lò Văn Minh');
    await p.getByLabel('Số định danh (CCCD) / mã số doanh nghiệp').first().fill('014090001234');
    await p.getByLabel('Điện thoại').fill('0912345678');
    const popup = p.context().waitForEvent('page');
    await p.getByRole('button', { name: /Tiếp nhận và in phiếu hẹn/ }).click();
    await (await popup).close();
    await p.getByTestId('due-at').waitFor();
    const code = (await p.getByRole('heading', { level: 3 }).innerText()).trim();

    const receipt = p.getByTestId('form-receipt');
    await receipt.getByRole('button', { name: 'Ký số (chữ ký cơ quan)' }).click();
    const dialog = p.getByRole('dialog');
    await p.waitForFunction(
      "!document.querySelector('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter')",
    );
    // A wrong password: the server's message, nothing signed.
    await dialog.getByLabel('Mật khẩu con dấu số (chứng thư số của cơ quan)').fill('sai-mat-khau');
    await dialog.getByRole('button', { name: 'Ký số (chữ ký cơ quan)' }).click();
    await p.locator('.ant-message-notice-error', { hasText: 'Mật khẩu chứng thư số không đúng' }).waitFor();
    expect(await receipt.getByTestId('signed-form').count()).toBe(0);
    await dialog.getByLabel('Mật khẩu con dấu số (chứng thư số của cơ quan)').fill(DEMO_SIGNING_PASSWORD);
    await dialog.getByRole('button', { name: 'Ký số (chữ ký cơ quan)' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const link = receipt.getByTestId('signed-form');
    await link.waitFor();
    expect(await link.innerText()).toBe('Bản đã ký số');
    // The timeline says so.
    await p.getByText('Ký số Giấy tiếp nhận hồ sơ và hẹn trả kết quả (chữ ký của cơ quan)').waitFor();

    const res = await p.request.get((await link.getAttribute('href'))!);
    expect(res.headers()['content-type']).toContain('application/pdf');
    const pdf = await res.body();
    expect(execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf }).toString()).toContain(
      `Mã hồ sơ: ${code}`,
    );
    const file = path.join(pkiDir, 'signed.pdf');
    fs.writeFileSync(file, pdf);
    const out = spawnSync('pdfsig', [file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).stdout;
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signer Certificate Common Name: Ủy ban nhân dân xã Tân Lập');
  });
});
