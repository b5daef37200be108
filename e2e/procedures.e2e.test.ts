import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { keepScreenshot, launch, newContext } from './browser.ts';

/**
 * The administrator keeps the procedure catalogue by hand: adds a procedure of the commune with one
 * case, two channels, a fee, two documents and a three-step workflow, then corrects its name and fee.
 * Runs against `congvu serve --demo-if-empty` (the demo province).
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

/** Opens an antd Select by its label inside `scope`, optionally types, and clicks the option. */
async function choose(scope: Page | Locator, label: string, option: string | RegExp, typed = '') {
  await scope.getByLabel(label, { exact: true }).click();
  if (typed) await page.keyboard.type(typed);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

/** The text of the error shown under a field of `scope`. */
const fieldError = (scope: Page | Locator) => scope.locator('.ant-form-item-explain-error').first();

interface StoredProcedure {
  id: string;
  code: string;
  name: string;
  sectorCode: string | null;
  published: boolean;
  agencies: { name: string }[];
  cases: {
    name: string;
    channels: {
      channel: number;
      durationValue: number;
      fees: { name: string; amount: number; when: string }[];
    }[];
    components: { name: string; originals: number; copies: number; required: boolean }[];
    workflow: {
      name: string;
      kind: string;
      role: string;
      departmentName: string | null;
      durationHours: number;
    }[];
    totalHours: number;
  }[];
}

describe('procedure catalogue by hand', () => {
  it('the administrator adds a procedure, corrects its name and fee, then raises the fee from a later day', async () => {
    const code = `E2E.${Date.now().toString(36).slice(-6)}`;
    const name = 'Cấp giấy xác nhận thử nghiệm cho hộ gia đình';
    await page.goto('/');
    await page.getByLabel('Tên đăng nhập').fill('quantri');
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('menuitem', { name: 'Thủ tục hành chính' }).click();
    await page.getByRole('button', { name: 'Thêm thủ tục' }).click();

    // Saving an empty form says what is missing, in Vietnamese, next to the field.
    await page.getByRole('button', { name: 'Lưu' }).first().click();
    const codeItem = page.locator('.ant-form-item', { has: page.getByLabel('Mã thủ tục', { exact: true }) });
    await fieldError(codeItem).waitFor();
    expect(await fieldError(codeItem).innerText()).toBe('Vui lòng nhập thông tin này');

    await page.getByLabel('Mã thủ tục', { exact: true }).fill(code);
    await page.getByLabel('Tên thủ tục', { exact: true }).fill(name);
    await choose(page, 'Lĩnh vực', 'Hộ tịch', 'ho tich');
    await choose(page, 'Cấp thực hiện', 'Cấp xã');
    await choose(page, 'Cơ quan tiếp nhận', /^Ủy ban nhân dân xã Tân Lập$/, 'Tan Lap');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Thêm đối tượng' }).click();
    await page.getByLabel('Đối tượng', { exact: true }).fill('Công dân Việt Nam');

    const kase = page.getByTestId('case-0');
    await kase.getByLabel('Tên trường hợp').fill('Cấp lần đầu');
    // The counter channel comes with the case; the online one is added (Trực tuyến is the next free).
    const counter = page.getByTestId('channel-0-0');
    await counter.getByLabel('Thời hạn').fill('5');
    await counter.getByRole('button', { name: 'Thêm phí, lệ phí' }).click();
    const fee = page.getByTestId('fee-0-0-0');
    await fee.getByLabel('Tên phí, lệ phí').fill('Lệ phí cấp giấy xác nhận');
    await fee.getByLabel('Mức thu (đồng)').fill('50000');
    await kase.getByRole('button', { name: 'Thêm kênh' }).click();
    const online = page.getByTestId('channel-0-1');
    await online.getByLabel('Thời hạn').fill('3');

    await kase.getByRole('button', { name: 'Thêm thành phần hồ sơ' }).click();
    await kase.getByRole('button', { name: 'Thêm thành phần hồ sơ' }).click();
    await page
      .getByTestId('component-0-0')
      .getByLabel('1. Tên giấy tờ')
      .fill('Tờ khai đề nghị cấp giấy xác nhận');
    const second = page.getByTestId('component-0-1');
    await second.getByLabel('2. Tên giấy tờ').fill('Sổ hộ khẩu hoặc giấy xác nhận cư trú');
    await second.getByLabel('Bản chính').fill('0');
    await second.getByLabel('Bản sao').fill('1');
    await second.getByLabel('Bắt buộc').uncheck();

    // Three steps; the second is marked "Trả kết quả" by mistake.
    const steps = [
      ['Tiếp nhận hồ sơ', 'Tiếp nhận', 'Trung tâm Phục vụ hành chính công', 'Cán bộ một cửa', '4'],
      ['Thẩm định hồ sơ', 'Trả kết quả', 'Phòng Văn hóa - Xã hội', 'Chuyên viên', '16'],
      [
        'Trả kết quả cho người dân',
        'Trả kết quả',
        'Trung tâm Phục vụ hành chính công',
        'Cán bộ một cửa',
        '2',
      ],
    ] as const;
    for (const [i, [stepName, kind, department, role, hours]] of steps.entries()) {
      await kase.getByRole('button', { name: 'Thêm bước xử lý' }).click();
      const row = page.getByTestId(`step-0-${i}`);
      await row.getByLabel(`${i + 1}. Bước`).fill(stepName);
      await choose(row, 'Loại bước', kind);
      await choose(row, 'Phòng ban', department);
      await choose(row, 'Vai trò', role);
      await row.getByLabel('Số giờ làm việc').fill(hours);
    }
    await page.getByRole('button', { name: 'Lưu' }).first().click();
    // The server's workflow rule shows next to the step's kind.
    const wrongKind = page
      .getByTestId('step-0-1')
      .locator('.ant-form-item', { has: page.getByLabel('Loại bước', { exact: true }) });
    await fieldError(wrongKind).waitFor();
    expect(await fieldError(wrongKind).innerText()).toBe('Bước trả kết quả phải là bước cuối cùng');
    await choose(page.getByTestId('step-0-1'), 'Loại bước', 'Thẩm định, xử lý');

    await page.getByRole('button', { name: 'Lưu' }).first().click();
    await page.waitForURL(/\/thu-tuc\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    await page.getByText(name).first().waitFor();
    await page.getByText('Lệ phí cấp giấy xác nhận: 50.000 đ').waitFor();
    await page.getByText('Sổ hộ khẩu hoặc giấy xác nhận cư trú').waitFor();
    await page.getByText('tổng 22 giờ làm việc').waitFor();

    // Edit: a clearer name and the fee lowered to 30.000 đ.
    await page.getByRole('button', { name: 'Sửa' }).click();
    const nameInput = page.getByLabel('Tên thủ tục', { exact: true });
    await nameInput.waitFor();
    expect(await nameInput.inputValue()).toBe(name);
    expect(await page.getByLabel('Mã thủ tục', { exact: true }).isDisabled()).toBe(true);
    await nameInput.fill(`${name} (sửa đổi)`);
    await page.getByTestId('fee-0-0-0').getByLabel('Mức thu (đồng)').fill('30000');
    await page.getByRole('button', { name: 'Lưu' }).first().click();
    await page.waitForURL(new RegExp(`/thu-tuc/${id}$`));
    await page.getByText(`${name} (sửa đổi)`).first().waitFor();
    await page.getByText('Lệ phí cấp giấy xác nhận: 30.000 đ').waitFor();

    // What the API now stores, asked with the same session.
    const res = await page.request.get(`/api/procedures/${id}`);
    expect(res.status()).toBe(200);
    const p = (await res.json()) as StoredProcedure;
    expect(p.code).toBe(code);
    expect(p.name).toBe(`${name} (sửa đổi)`);
    expect(p.sectorCode).toBe('HT');
    expect(p.published).toBe(false);
    expect(p.agencies.map((a) => a.name)).toEqual(['Ủy ban nhân dân xã Tân Lập']);
    expect(p.cases).toHaveLength(1);
    const c = p.cases[0]!;
    expect(c.name).toBe('Cấp lần đầu');
    expect(c.channels.map((ch) => [ch.channel, ch.durationValue])).toEqual([
      [1, 5],
      [2, 3],
    ]);
    expect(c.channels[0]!.fees).toEqual([
      expect.objectContaining({ name: 'Lệ phí cấp giấy xác nhận', amount: 30000, when: 'before' }),
    ]);
    expect(c.components.map((k) => [k.name, k.originals, k.copies, k.required])).toEqual([
      ['Tờ khai đề nghị cấp giấy xác nhận', 1, 0, true],
      ['Sổ hộ khẩu hoặc giấy xác nhận cư trú', 0, 1, false],
    ]);
    expect(c.workflow.map((s) => [s.name, s.kind, s.role, s.departmentName, s.durationHours])).toEqual([
      ['Tiếp nhận hồ sơ', 'receive', 'counter', 'Trung tâm Phục vụ hành chính công', 4],
      ['Thẩm định hồ sơ', 'appraise', 'specialist', 'Phòng Văn hóa - Xã hội', 16],
      ['Trả kết quả cho người dân', 'return', 'counter', 'Trung tâm Phục vụ hành chính công', 2],
    ]);
    expect(c.totalHours).toBe(22);

    // The fee rises from a day in 30 days: a new version from then; the current one ends that day.
    const from = new Date(Date.now() + 30 * 86_400_000);
    const [dd, mm, yyyy] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })
      .format(from)
      .split('/');
    await page.getByRole('button', { name: 'Sửa' }).click();
    await page.getByLabel('Lưu thành phiên bản mới có hiệu lực từ ngày đã chọn').check();
    await page.getByTestId('fee-0-0-0').getByLabel('Mức thu (đồng)').fill('40000');
    const validFrom = page.getByLabel('Có hiệu lực từ ngày', { exact: true });
    await validFrom.click();
    await validFrom.fill(`${dd}/${mm}/${yyyy}`);
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: 'Lưu' }).first().click();
    await page.waitForURL((u) => /\/thu-tuc\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(id));
    await page.getByText(`${dd}/${mm}/${yyyy}`).first().waitFor();
    await page.getByText('Lệ phí cấp giấy xác nhận: 40.000 đ').waitFor();
    const newId = new URL(page.url()).pathname.split('/').pop() as string;
    const next = (await (await page.request.get(`/api/procedures/${newId}`)).json()) as StoredProcedure & {
      validFrom: string;
    };
    const before = (await (await page.request.get(`/api/procedures/${id}`)).json()) as StoredProcedure & {
      validTo: string | null;
    };
    expect(next.code).toBe(code);
    expect(next.validFrom).toBe(`${yyyy}-${mm}-${dd}`);
    expect(next.cases[0]!.channels[0]!.fees[0]!.amount).toBe(40000);
    expect(before.validTo).toBe(`${yyyy}-${mm}-${dd}`);
    expect(before.cases[0]!.channels[0]!.fees[0]!.amount).toBe(30000);
  });
});
