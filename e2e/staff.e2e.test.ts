import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { keepScreenshot, launch, newContext } from './browser.ts';

/**
 * A day at the office: the admin adds a department and an official, signs out; the new official
 * signs in. Runs against `congvu serve --demo-if-empty` on a fresh embedded database.
 */
const DEMO_PASSWORD = 'CongVu@2026';
let browser: Browser;
let close: () => Promise<void>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({ browser, close } = await launch());
});
afterAll(async () => close());
beforeEach(async () => {
  context = await newContext(browser, inject('baseUrl'));
  page = await context.newPage();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await keepScreenshot(page, ctx.task.name);
    console.error(`Screenshot kept: ${file}`);
  }
  await context.close();
});

async function signIn(username: string, password: string) {
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

describe('staff workspace', () => {
  it('a wrong password shows the Vietnamese error', async () => {
    await signIn('quantri', 'sai-mat-khau-1');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
  });

  it('the admin creates a department and an official; the official signs in', async () => {
    const suffix = Date.now().toString(36).slice(-5);
    const depName = `Phòng Thử nghiệm ${suffix}`;
    const username = `canbo.${suffix}`;
    const fullName = `Nguyễn Thị Thử ${suffix}`;

    await signIn('quantri', DEMO_PASSWORD);
    await page.getByText('Nguyễn Hữu Quản').first().waitFor();

    // Department
    await page.getByRole('menuitem', { name: 'Phòng ban' }).click();
    await page.getByLabel('Cơ quan').click();
    await page.keyboard.type('Van phong Uy ban');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Thêm phòng ban' }).click();
    // Until the dialog's opening animation ends its form is not connected: "Lưu" would submit nothing.
    await page.waitForFunction(
      "!document.querySelector('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter')",
    );
    await page.getByLabel('Tên phòng ban').fill(depName);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText(depName).first().waitFor();

    // Official in that department
    await page.getByRole('menuitem', { name: 'Cán bộ' }).click();
    await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Tên đăng nhập').fill(username);
    await drawer.getByLabel('Họ và tên').fill(fullName);
    await drawer.getByLabel('Mật khẩu').fill('MatKhau-2026');
    await drawer.getByLabel('Phòng ban').click();
    await page.keyboard.type(`thu nghiem ${suffix}`);
    await page.keyboard.press('Enter');
    await drawer.getByRole('button', { name: 'Lưu' }).click();
    await drawer.waitFor({ state: 'hidden' });
    // The list is sorted by given name; find the new official by a search typed without accents.
    await page.getByLabel('Tìm kiếm').fill(`nguyen thi thu ${suffix}`);
    await page.getByLabel('Tìm kiếm').press('Enter');
    await page.getByRole('cell', { name: fullName }).waitFor();

    // Sign out through the user menu
    await page.getByText('Nguyễn Hữu Quản').first().click();
    await page.getByText('Đăng xuất', { exact: true }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();

    // The new official signs in and sees their name
    await signIn(username, 'MatKhau-2026');
    await page.getByText(fullName).first().waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ username, fullName, memberships: [{ departmentName: depName }] });
  });

  it('switches the interface to English and back', async () => {
    await signIn('quantri', DEMO_PASSWORD);
    await page.getByText('Nguyễn Hữu Quản').first().waitFor();
    await page.getByText('English', { exact: true }).first().click();
    await page.getByRole('menuitem', { name: 'Departments' }).waitFor();
    await page.getByText('Tiếng Việt', { exact: true }).first().click();
    await page.getByRole('menuitem', { name: 'Phòng ban' }).waitFor();
  });

  it('the admin opens the exchange connection page: not connected in the demo, nothing waiting', async () => {
    await signIn('quantri', DEMO_PASSWORD);
    await page.getByText('Nguyễn Hữu Quản').first().waitFor();
    await page.getByRole('menuitem', { name: 'Liên thông văn bản' }).click();
    await page.getByRole('heading', { name: 'Kết nối trục liên thông văn bản' }).waitFor();
    await page.getByText('Chưa kết nối').waitFor();
    await page.getByText('Gói tin đang chờ gửi').waitFor();
    expect(await page.getByRole('button', { name: 'Cập nhật danh sách cơ quan' }).isDisabled()).toBe(true);
  });

  it('the admin registers an agency at the hub, finds it without diacritics, and a system for it', async () => {
    await signIn('quantri', DEMO_PASSWORD);
    await page.getByText('Nguyễn Hữu Quản').first().waitFor();
    await page.getByRole('menuitem', { name: 'Trục liên thông' }).click();
    await page.getByRole('heading', { name: 'Quản trị trục liên thông văn bản' }).waitFor();
    await page.getByRole('button', { name: 'Đăng ký cơ quan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Mã định danh').fill('H99.07');
    await dialog.getByLabel('Mã QCVN 102').fill('000.07.00.H99');
    await dialog.getByLabel('Tên cơ quan').fill('Sở Đường thủy Thử nghiệm');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('cell', { name: 'Sở Đường thủy Thử nghiệm' }).waitFor();

    await page.getByLabel('Tìm kiếm').fill('so duong thuy');
    await page.getByLabel('Tìm kiếm').press('Enter');
    await page.getByRole('cell', { name: 'H99.07', exact: true }).waitFor();
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);

    await page.getByRole('tab', { name: 'Hệ thống' }).click();
    await page.getByRole('button', { name: 'Đăng ký hệ thống' }).click();
    const sys = page.getByRole('dialog');
    await sys.getByLabel('Tên hệ thống').fill('QLVB Sở Đường thủy');
    await sys.getByLabel('Gửi, nhận thay các cơ quan').fill('duong thuy');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'H99.07' }).click();
    await sys.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(async () => (await page.getByTestId('hub-system-secret').textContent()) ?? '')
      .toMatch(/^HUB_SYSTEM_SECRET=[A-Za-z0-9_-]{43}$/);
    await page.getByRole('cell', { name: 'QLVB Sở Đường thủy' }).waitFor();
    await page.getByRole('tab', { name: 'Hàng đợi' }).click();
    await page.getByText('Không có gói tin nào đang chờ').waitFor();
    await page.getByRole('tab', { name: 'Thư lỗi' }).click();
    await page.getByText('Không có thư lỗi').waitFor();
    await page.getByRole('tab', { name: 'Tin nhắn' }).click();
    await page.getByText('Dọn gói tin cũ').waitFor();
    await page.getByText('English', { exact: true }).first().click();
    await page.getByRole('tab', { name: 'Dead letters' }).waitFor();
    await page.getByText('Tiếng Việt', { exact: true }).first().click();
  });

  it('an official turns on two-factor sign-in and then needs the code', async () => {
    await signIn('cv.tonghop', DEMO_PASSWORD);
    await page.getByText('Bùi Quang Vinh').first().click();
    await page.getByText('Hồ sơ cá nhân', { exact: true }).click();
    await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
    const secret = ((await page.locator('code').first().textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await page.getByLabel('Mã 6 chữ số').fill(totp.generate());
    await page.getByRole('button', { name: 'Xác nhận bật' }).click();
    await page.getByText('Đang bật').waitFor();

    await page.getByText('Bùi Quang Vinh').first().click();
    await page.getByText('Đăng xuất', { exact: true }).click();
    await signIn('cv.tonghop', DEMO_PASSWORD);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Cần nhập mã xác thực hai lớp');
    await page.getByLabel('Mã xác thực hai lớp').fill(totp.generate());
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Xin chào, Bùi Quang Vinh').waitFor();
  });
});
