import { execFileSync } from 'node:child_process';
import { statutoryCalendar } from '@congvu/workdays';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { makePdf } from '../apps/server/test/support/pdf.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';
import { type Postgres, postgres, startInstallation } from './exchange-setup.ts';

/**
 * The one-stop shop on the demo province, through the screens, on an installation of its own whose
 * business clock starts on Friday 24/04/2026 at 16:30 (CONGVU_CLOCK) — after the 15:00 cut-off, before
 * the Hùng Kings' day made up on Monday 27/04 — and is moved on by the administrator
 * (CONGVU_CLOCK_CONTROL, POST /api/dev/clock) as the days of the test pass.
 */
const DEMO_PASSWORD = 'CongVu@2026';
let browser: Browser;
let close: () => Promise<void>;
let pg: Postgres;
let site: Awaited<ReturnType<typeof startInstallation>>;
const contexts: BrowserContext[] = [];
let page: Page;

beforeAll(async () => {
  pg = await postgres();
  site = await startInstallation(await pg.create('onestop'), {
    CONGVU_CLOCK: '2026-04-24T16:30:00+07:00',
    CONGVU_CLOCK_CONTROL: '1',
  });
  const s = site.services;
  await seedDemo(s.org, s.calendar, s.documents, () => {}, {
    workfiles: s.workfiles,
    procedures: s.procedures,
  });
  ({ browser, close } = await launch());
}, 240_000);
afterAll(async () => {
  await close?.();
  await site?.close();
  await pg?.close();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const file = await keepScreenshot(page, ctx.task.name);
    console.error(`Screenshot kept: ${file}`);
  }
  for (const c of contexts.splice(0)) await c.close();
});

/** Signs in as a demo official in a browser context of their own. */
async function as(username: string): Promise<Page> {
  for (const c of contexts.splice(0)) await c.close();
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

/** Moves business time, as the administrator does through the API. */
async function setClock(at: string) {
  const login = await fetch(`${site.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'quantri', password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${site.baseUrl}/api/dev/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ at }),
  });
  expect(res.status).toBe(200);
}

/** What the applicant sees (the public lookup by code and the secret printed on the receipt). */
async function publicStatus(code: string, secret: string) {
  const res = await fetch(`${site.baseUrl}/api/public/dossiers/${encodeURIComponent(code)}?k=${secret}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { portalStatus: number; label: string };
}

/** Chooses an option of an antd Select by typing (accents optional) and clicking it. */
async function pick(p: Page, label: string, typed: string, option: string | RegExp) {
  await p.getByLabel(label, { exact: true }).click();
  await p.keyboard.type(typed);
  await p
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

/** dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh. */
const vn = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(d)
    .replace(',', '');

/**
 * The counter officer receives a dossier of `procedure` for the applicant, collecting the "thu trước"
 * fees named in `fees` (saving is refused until they are ticked); returns its page.
 */
async function receive(
  username: string,
  procedureCode: string,
  caseName: string,
  applicant: { name: string; idNo: string },
  fees: string[] = [],
) {
  const p = await as(username);
  await p.getByRole('menuitem', { name: 'Tiếp nhận hồ sơ' }).click();
  await pick(p, 'Thủ tục hành chính', procedureCode, procedureCode);
  await pick(p, 'Trường hợp', '', caseName);
  await p.getByLabel('Họ và tên / tên tổ chức').fill(applicant.name);
  await p.getByLabel('Số định danh (CCCD) / mã số doanh nghiệp').first().fill(applicant.idNo);
  await p.getByLabel('Điện thoại').fill('0912345678');
  if (fees.length) {
    await p.getByRole('button', { name: /Tiếp nhận và in phiếu hẹn/ }).click();
    await p.getByText(`Chưa thu phí, lệ phí phải nộp khi tiếp nhận: ${fees[0]}`, { exact: false }).waitFor();
    for (const f of fees) await p.getByRole('checkbox', { name: new RegExp(`^${f}:`) }).check();
  }
  const popup = p.context().waitForEvent('page');
  await p.getByRole('button', { name: /Tiếp nhận và in phiếu hẹn/ }).click();
  const receipt = await popup;
  await p.getByTestId('due-at').waitFor();
  return { p, receipt };
}

/** The PDF at a URL of the site, as poppler's pdftotext reads it (with the signed-in page's cookies). */
async function pdfText(p: Page, url: string): Promise<string> {
  const res = await p.request.get(url);
  expect(res.headers()['content-type']).toContain('application/pdf');
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: await res.body() }).toString();
}

async function openDossier(username: string, code: string) {
  const p = await as(username);
  await p.goto(`/mot-cua/ho-so?scope=agency&q=${encodeURIComponent(code)}`);
  await p.getByRole('link', { name: code }).click();
  await p.getByTestId('due-at').waitFor();
  return p;
}

async function act(p: Page, button: string, fill: Record<string, string> = {}) {
  await p.getByRole('button', { name: button, exact: true }).click();
  const dialog = p.getByRole('dialog');
  await dialog.locator('form').waitFor();
  // Until the opening animation ends the form is not yet connected: "Lưu" would submit nothing.
  await p.waitForFunction("!document.querySelector('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter')");
  for (const [label, value] of Object.entries(fill)) await dialog.getByLabel(label).fill(value);
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  // Either the dialog closes, or the server's refusal shows as an error message: fail with its text.
  const refused = p.locator('.ant-message-notice-error');
  await Promise.race([dialog.waitFor({ state: 'hidden' }), refused.first().waitFor()]);
  if (await refused.count()) throw new Error(`${button}: ${await refused.first().innerText()}`);
}

const codeOf = async (p: Page) => (await p.getByRole('heading', { level: 3 }).innerText()).trim();
const secretOf = async (p: Page) => (await p.getByTestId('lookup-secret').innerText()).trim();

describe('one-stop shop', () => {
  it('receives a birth registration at 16:30 on the Friday before a holiday, pauses for a supplement, finishes on time', async () => {
    const cal = statutoryCalendar();
    // After the 15:00 cut-off on Fri 24/04: the clock starts on the next working morning. Mon 27/04
    // makes up for the Hùng Kings' day (Sun 26/04), so that is Tue 28/04 07:00; 1 working day = 8 h.
    const start = new Date('2026-04-28T07:00:00+07:00');
    expect(cal.nextWorkingDayOnOrAfter('2026-04-25')).toBe('2026-04-28');
    const due = cal.addWorkingHours(start, 8);
    expect(vn(due)).toBe('28/04/2026 17:00');

    const { p, receipt } = await receive('motcua.xtl', '1.001193', 'Đăng ký khai sinh đúng hạn', {
      name: 'Lò Văn Minh',
      idNo: '014090001234',
    });
    const code = await codeOf(p);
    expect(code).toMatch(/^H99\.63-260424-\d{4}$/);
    await expect.poll(() => p.getByTestId('due-at').innerText()).toBe(vn(due));
    const receiptText = await pdfText(p, new URL(receipt.url()).pathname);
    expect(receiptText).toContain(code);
    expect(receiptText).toContain('28/04/2026');
    const secret = await secretOf(p);
    expect((await publicStatus(code, secret)).portalStatus).toBe(2);

    // Tue 28/04 07:30: the counter hands it on; the civil servant starts and asks for a supplement at 09:00.
    await setClock('2026-04-28T07:30:00+07:00');
    let q = await openDossier('motcua.xtl', code);
    await act(q, 'Hoàn thành bước');
    expect((await publicStatus(code, secret)).portalStatus).toBe(4);
    await setClock('2026-04-28T09:00:00+07:00');
    q = await openDossier('hotich.xtl', code);
    await act(q, 'Yêu cầu bổ sung', {
      'Lý do': 'Giấy chứng sinh bị mờ, không đọc được ngày sinh',
      'Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)': 'Giấy chứng sinh (bản chính)',
    });
    expect((await publicStatus(code, secret)).portalStatus).toBe(5);

    // 14:00 the applicant brings it: 3 working hours were paused (09:00–11:30, 13:30–14:00).
    await setClock('2026-04-28T14:00:00+07:00');
    q = await openDossier('motcua.xtl', code);
    await act(q, 'Nhận hồ sơ bổ sung');
    // The business clock runs on between the moves, so the pause is 3 h give or take the seconds the
    // screens took: the due date moves by exactly the paused working time, recorded to the millisecond.
    const view = (await (
      await q.request.get(`/api/dossiers/${new URL(q.url()).pathname.split('/').pop()}`)
    ).json()) as {
      pauses: Array<{ requestedAt: string; resumedAt: string }>;
      dueAt: string;
    };
    const pause = view.pauses[0]!;
    const paused = cal.workingHoursBetween(new Date(pause.requestedAt), new Date(pause.resumedAt));
    expect(Math.abs(paused - 3)).toBeLessThan(0.05);
    const moved = cal.addWorkingHours(due, paused);
    expect(new Date(view.dueAt).toISOString()).toBe(moved.toISOString());
    expect(Math.abs(moved.getTime() - Date.parse('2026-04-29T10:00:00+07:00'))).toBeLessThan(3 * 60_000);
    await expect.poll(() => q.getByTestId('due-at').innerText()).toBe(vn(moved));
    expect((await publicStatus(code, secret)).portalStatus).toBe(4);

    // The civil servant and the chairman finish their steps that afternoon; the result is delivered.
    await setClock('2026-04-28T14:30:00+07:00');
    q = await openDossier('hotich.xtl', code);
    await act(q, 'Hoàn thành bước');
    await setClock('2026-04-28T15:00:00+07:00');
    q = await openDossier('ct.xtl', code);
    await act(q, 'Hoàn thành bước');
    await setClock('2026-04-28T15:30:00+07:00');
    q = await openDossier('motcua.xtl', code);
    await act(q, 'Ghi kết quả, hoàn thành');
    expect((await publicStatus(code, secret)).portalStatus).toBe(9);
    await act(q, 'Trả kết quả');
    await q.getByText('Đã trả kết quả').first().waitFor();
    // Every step finished on time; nothing on the page says overdue (the menu's document queue aside).
    expect(await q.locator('main').getByText('Quá hạn', { exact: true }).count()).toBe(0);
    expect(await q.locator('main').getByText('Trễ hạn', { exact: true }).count()).toBe(0);
    expect(await q.locator('main').getByText('Đúng hạn', { exact: true }).count()).toBe(4);
    const status = await publicStatus(code, secret);
    expect(status).toMatchObject({ portalStatus: 10, label: 'Đã trả kết quả' });
  });

  it('moves an inter-agency dossier through the commune, the commune police and social insurance', async () => {
    await setClock('2026-05-04T08:00:00+07:00');
    const { p } = await receive(
      'motcua.xtl',
      '1.010813',
      'Trẻ em được đăng ký khai sinh',
      { name: 'Lò Thị Hoa', idNo: '014190005678' },
      ['Lệ phí đăng ký cư trú'],
    );
    const code = await codeOf(p);
    const secret = await secretOf(p);
    await p.getByText('Thu khi tiếp nhận').first().waitFor();
    // The birth certificate came on paper only: the counter scans it afterwards.
    const chooser = p.waitForEvent('filechooser');
    await p.getByRole('button', { name: 'Đính kèm bản quét: Giấy chứng sinh' }).click();
    await (await chooser).setFiles({
      name: 'giay-chung-sinh.pdf',
      mimeType: 'application/pdf',
      buffer: await makePdf('Giay chung sinh'),
    });
    await p.getByText('Đã số hóa: Giấy chứng sinh').waitFor();
    const scanned = (await (
      await p.request.get(`/api/dossiers/${new URL(p.url()).pathname.split('/').pop()}`)
    ).json()) as {
      components: Array<{ name: string; digitised: number }>;
      fees: Array<{ paidAt: string | null }>;
    };
    expect(scanned.components.find((c) => c.name === 'Giấy chứng sinh')?.digitised).toBe(1);
    expect(scanned.fees.map((f) => f.paidAt !== null)).toEqual([false, true]);
    // Each official finishes the step of their agency; the applicant sees one dossier "Đang xử lý".
    const chain: string[] = ['motcua.xtl', 'hotich.xtl', 'ct.xtl', 'cutru.caxtl', 'truong.caxtl', 'the.bhxh'];
    for (const who of chain) {
      const q = await openDossier(who, code);
      await act(q, 'Hoàn thành bước');
      expect((await publicStatus(code, secret)).portalStatus, who).toBe(4);
    }
    const q = await openDossier('motcua.xtl', code);
    await q.getByText('Phiếu kiểm soát (bàn giao giữa các cơ quan)').waitFor();
    await q.getByText('Công an xã Tân Lập').first().waitFor();
    await q.getByText('Bảo hiểm xã hội tỉnh Sơn Lâm').first().waitFor();
    await act(q, 'Ghi kết quả, hoàn thành');
    await act(q, 'Trả kết quả');
    expect((await publicStatus(code, secret)).portalStatus).toBe(10);
  });
});
