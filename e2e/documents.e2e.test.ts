import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { makePdf } from '../apps/server/test/support/pdf.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';

/**
 * An incoming paper document from start to finish on the demo province, through the screens:
 * the clerk registers it with its scan; the chairman assigns a lead and a supporting unit with a
 * 5-working-day deadline; the head of the lead unit assigns a specialist; the specialist drafts
 * the reply; it passes two reviewers; the clerk issues it as the first công văn of the year
 * (01/UBND-TH) to Sở Nội vụ, whose clerk finds it waiting in the incoming queue.
 */
const DEMO_PASSWORD = 'CongVu@2026';
const SUBJECT = 'Về việc báo cáo kết quả chuyển đổi số năm 2026';
const REPLY = 'Báo cáo kết quả chuyển đổi số năm 2026 của UBND tỉnh';
let browser: Browser;
let close: () => Promise<void>;
const contexts: BrowserContext[] = [];
let page: Page;

beforeAll(async () => {
  ({ browser, close } = await launch());
});
afterAll(async () => close());
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const file = await keepScreenshot(page, ctx.task.name);
    console.error(`Screenshot kept: ${file}`);
  }
  for (const c of contexts.splice(0)) await c.close();
});

/** A minimal one-page PDF (what a scanner's PDF starts and ends with). */
function pdf(text: string): Buffer {
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
    `4 0 obj << /Length ${text.length + 30} >> stream`,
    `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`,
    'endstream endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ];
  return Buffer.from(body.join('\n'));
}

/** The text of the PDF behind a link of the page, as poppler's pdftotext reads it. */
async function printed(p: Page, link: string): Promise<string> {
  const href = await p
    .getByRole('link', { name: new RegExp(link.replace(/[()]/g, '\\$&')) })
    .getAttribute('href');
  const res = await p.request.get(href ?? '');
  expect(res.headers()['content-type']).toBe('application/pdf');
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: await res.body() }).toString();
}

/** Signs in as a demo official in a browser context of their own. */
async function as(username: string): Promise<Page> {
  for (const c of contexts.splice(0)) await c.close();
  const context = await newContext(browser, inject('baseUrl'));
  contexts.push(context);
  page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('menuitem', { name: 'Tra cứu văn bản' }).waitFor();
  return page;
}

/** Chooses an option of an antd Select by typing (accents optional) and clicking it. */
async function pick(p: Page, label: string, typed: string, option: string, scope = p.locator('body')) {
  await scope.getByLabel(label, { exact: true }).click();
  await p.keyboard.type(typed);
  await p
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

async function openFromQueue(p: Page, queue: RegExp, subject: string) {
  await p.getByRole('menuitem', { name: queue }).click();
  await p.getByRole('link', { name: new RegExp(subject) }).click();
  await p.getByRole('heading', { level: 3 }).waitFor();
}

const vnToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).slice(0, 10);
const year = vnToday().slice(0, 4);

describe('official documents, start to finish', () => {
  it('registers, assigns, handles, replies, approves, issues and delivers', async () => {
    // 1. The clerk of UBND tỉnh registers the paper document with its scan.
    let p = await as('vanthu.ubnd');
    await p.getByRole('menuitem', { name: 'Vào sổ văn bản đến' }).click();
    await pick(p, 'Sổ văn bản', 'den', 'Sổ đăng ký văn bản đến (DEN)');
    await pick(p, 'Loại văn bản', 'cong van', 'Công văn');
    await p.getByLabel('Số', { exact: true }).fill('125');
    await p.getByLabel('Ký hiệu').fill('BNV-CĐS');
    await p.getByLabel('Cơ quan ban hành').fill('Bộ Nội vụ');
    await p.getByLabel('Trích yếu').fill(SUBJECT);
    await p.locator('input[type=file]').setInputFiles({
      name: 'cong-van-125.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Cong van 125'),
    });
    // The scan is shown beside the form before registering.
    await p.locator('iframe[title="Xem trước tệp"]').waitFor();
    await p.getByRole('button', { name: 'Vào sổ' }).click();
    await expect.poll(() => p.getByTestId('register-number').textContent()).toBe(`1/${year}`);

    // 2. The chairman assigns: Phòng Tổng hợp leads, Phòng Kinh tế - Ngành supports, 5 working days.
    p = await as('chutich');
    await openFromQueue(p, /^Chờ phân công/, SUBJECT);
    await p.getByRole('button', { name: 'Phân công' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Bút phê, ý kiến chỉ đạo').fill('Giao Phòng Tổng hợp chủ trì tham mưu trả lời.');
    await pick(p, 'Chủ trì', 'tong hop', 'Phòng Tổng hợp', dialog);
    await pick(p, 'Phối hợp', 'kinh te - nganh', 'Phòng Kinh tế - Ngành', dialog);
    await p.keyboard.press('Escape');
    await dialog.getByLabel('Hạn xử lý (số ngày làm việc)').fill('5');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const expected = await (await p.request.get(`/api/calendar/add?from=${vnToday()}&days=5`)).json();
    const [y, m, d] = (expected.date as string).split('-');
    const lead = p.getByTestId('assignment-Phòng Tổng hợp');
    await expect.poll(() => lead.getByTestId('deadline').textContent()).toBe(`${d}/${m}/${y}`);
    await p.getByTestId('assignment-Phòng Kinh tế - Ngành').waitFor();

    // 3. The head of Phòng Tổng hợp assigns a specialist.
    p = await as('tp.tonghop');
    await openFromQueue(p, /^Cần xử lý/, SUBJECT);
    await p.getByTestId('assignment-Phòng Tổng hợp').getByRole('button', { name: 'Giao tiếp' }).click();
    const down = p.getByRole('dialog');
    await pick(p, 'Chủ trì', 'phung thi hanh', 'Phùng Thị Hạnh', down);
    await down.getByRole('button', { name: 'Lưu' }).click();
    await down.waitFor({ state: 'hidden' });
    await p.getByTestId('assignment-Phùng Thị Hạnh').waitFor();

    // 4. The specialist drafts the reply and sends it to two reviewers (the chairman signs).
    p = await as('cv.ubnd');
    await openFromQueue(p, /^Cần xử lý/, SUBJECT);
    await p.getByTestId('assignment-Phùng Thị Hạnh').getByRole('button', { name: 'Bắt đầu xử lý' }).click();
    await p.getByTestId('assignment-Phùng Thị Hạnh').getByRole('button', { name: 'Ý kiến xử lý' }).click();
    const opinion = p.getByRole('dialog');
    await opinion.getByLabel('Ý kiến xử lý').fill('Đã tổng hợp số liệu của các sở, dự thảo văn bản trả lời.');
    await opinion.getByRole('button', { name: 'Lưu' }).click();
    await opinion.waitFor({ state: 'hidden' });
    await p.getByText('Đã tổng hợp số liệu của các sở').first().waitFor();
    await p
      .getByTestId('assignment-Phùng Thị Hạnh')
      .getByRole('button', { name: 'Soạn văn bản trả lời' })
      .click();
    await p.getByRole('heading', { name: 'Soạn văn bản đi' }).waitFor();
    await p.getByText(SUBJECT).waitFor();
    await p.getByLabel('Trích yếu').fill(REPLY);
    await p.getByLabel('Đơn vị soạn thảo (viết tắt)').fill('TH');
    await p.getByLabel('Người đánh máy (viết tắt)').fill('PTH');
    await pick(p, 'Nơi nhận', 'so noi vu', 'Sở Nội vụ');
    await p.keyboard.press('Escape');
    await pick(p, 'Người duyệt (theo thứ tự, người cuối cùng ký)', 'luong van quang', 'Lương Văn Quang');
    await p.keyboard.type('tran quoc hung');
    await p
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Trần Quốc Hưng' })
      .click();
    await p.keyboard.press('Escape');
    await p.locator('input[type=file]').setInputFiles({
      name: 'du-thao-tra-loi.pdf',
      mimeType: 'application/pdf',
      buffer: await makePdf('Du thao cong van tra loi'),
    });
    await p.getByText('du-thao-tra-loi.pdf').waitFor();
    await p.getByRole('button', { name: 'Trình duyệt' }).click();
    await p.getByText('Đang trình duyệt').first().waitFor();

    // The head of unit returns it once; the specialist submits it again, consulting Phòng Kinh tế
    // - Ngành's specialist in parallel first is optional and left out here.
    p = await as('tp.tonghop');
    await openFromQueue(p, /^Chờ duyệt/, REPLY);
    await p.getByRole('button', { name: 'Trả lại dự thảo' }).click();
    const back = p.getByRole('dialog');
    await back.getByLabel('Ý kiến').fill('Bổ sung số liệu quý IV.');
    await back.getByRole('button', { name: 'Trả lại dự thảo' }).click();
    await back.waitFor({ state: 'hidden' });
    p = await as('cv.ubnd');
    await p.getByRole('menuitem', { name: 'Tra cứu văn bản' }).click();
    await p.getByLabel('Tìm kiếm').fill('bao cao ket qua chuyen doi so cua ubnd');
    await p.keyboard.press('Enter');
    await p.getByRole('link', { name: new RegExp(REPLY) }).click();
    await p.getByText('Bổ sung số liệu quý IV.').first().waitFor();
    await p.getByRole('button', { name: 'Trình lại' }).click();
    const again = p.getByRole('dialog');
    await pick(
      p,
      'Người duyệt (theo thứ tự, người cuối cùng ký)',
      'luong van quang',
      'Lương Văn Quang',
      again,
    );
    await p.keyboard.type('tran quoc hung');
    await p
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Trần Quốc Hưng' })
      .click();
    await p.keyboard.press('Escape');
    await again.getByRole('button', { name: 'Trình lại' }).click();
    await again.waitFor({ state: 'hidden' });
    await p.getByText('Đang trình duyệt').first().waitFor();

    // 5–6. Two-step approval.
    for (const reviewer of ['tp.tonghop', 'chutich']) {
      p = await as(reviewer);
      await openFromQueue(p, /^Chờ duyệt/, REPLY);
      // The signer's approval is their digital signature, with the password of their certificate.
      const label = reviewer === 'chutich' ? 'Duyệt và ký số' : 'Duyệt';
      await p.getByRole('button', { name: label, exact: true }).click();
      const confirm = p.getByRole('dialog');
      await confirm.getByLabel('Ý kiến').fill(reviewer === 'chutich' ? 'Đồng ý ký ban hành.' : 'Đồng ý.');
      if (reviewer === 'chutich') {
        await confirm.getByLabel('Mật khẩu chứng thư số').fill('sai-mat-khau');
        await confirm.getByRole('button', { name: label, exact: true }).click();
        await p.getByText('Mật khẩu chứng thư số không đúng').first().waitFor();
        await confirm.getByLabel('Mật khẩu chứng thư số').fill('congvu-demo');
      }
      // Not exact: after a failed try, Ant Design may leave the (invisible) loading icon, named
      // "loading", inside the button.
      await confirm.getByRole('button', { name: label }).click();
      await confirm.waitFor({ state: 'hidden' });
    }
    await p.getByText('Đã duyệt, chờ phát hành').first().waitFor();
    // The chain shows both decisions; the signer's approval is signed.
    await expect.poll(() => p.getByText('Đồng ý', { exact: true }).count()).toBeGreaterThanOrEqual(2);
    await p.getByText('Đã ký số').first().waitFor();

    // 7. The clerk adds the agency's signature and issues it: the first công văn of the year.
    p = await as('vanthu.ubnd');
    await openFromQueue(p, /^Chờ phát hành/, REPLY);
    await p.getByRole('button', { name: 'Phát hành' }).click();
    const issue = p.getByRole('dialog');
    await issue.getByLabel('Mật khẩu chứng thư số').fill('congvu-demo');
    await issue.getByRole('button', { name: 'Ký số cơ quan và phát hành' }).click();
    await p.getByRole('heading', { name: /01\/UBND-TH/ }).waitFor();
    await p.getByText('Đã phát hành').first().waitFor();
    const issuedPath = new URL(p.url()).pathname;

    // Both registers of UBND tỉnh show their rows, print as PDF and export as XLSX.
    await p.getByRole('menuitem', { name: 'Sổ văn bản', exact: true }).click();
    await pick(p, 'Sổ văn bản', 'den', 'Sổ đăng ký văn bản đến (DEN)');
    const incomingRow = p.getByTestId('register-book').getByRole('row', { name: /125\/BNV-CĐS/ });
    await incomingRow.getByText(`Công văn: ${SUBJECT}`).waitFor();
    await incomingRow.getByText('Phòng Tổng hợp').waitFor();
    expect(await printed(p, 'In sổ (PDF)')).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(await printed(p, 'In sổ (PDF)')).toContain('125/BNV-CĐS');
    await p.getByText('Sổ theo dõi giải quyết').click();
    await p
      .getByTestId('register-book')
      .getByRole('row', { name: /01\/UBND-TH/ })
      .waitFor();
    await pick(p, 'Sổ văn bản', 'di', 'Sổ đăng ký văn bản đi (DI)');
    const outgoingRow = p.getByTestId('register-book').getByRole('row', { name: /01\/UBND-TH/ });
    await outgoingRow.getByText(`Công văn: ${REPLY}`).waitFor();
    await outgoingRow.getByText('Sở Nội vụ').waitFor();
    const pdfText = await printed(p, 'In sổ (PDF)');
    expect(pdfText).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(pdfText).toContain('01/UBND-TH');
    const xlsx = await p.request.get(
      (await p.getByRole('link', { name: /Xuất Excel/ }).getAttribute('href')) ?? '',
    );
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    const cells = wb.worksheets[0]!.getSheetValues().flat();
    expect(cells).toContain('01/UBND-TH');
    expect(cells).toContain(`Công văn: ${REPLY}`);

    // 8. Sở Nội vụ's clerk finds it in the incoming queue and registers it.
    p = await as('vanthu.snv');
    await openFromQueue(p, /^Chờ vào sổ/, REPLY);
    await p.getByRole('heading', { name: /01\/UBND-TH/ }).waitFor();
    // Verified on arrival: the signer's and the agency's signatures, both valid and trusted.
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { name: /01\/UBND-TH/ }).waitFor();
          return p.getByTestId('signature-signer').filter({ hasText: 'Hợp lệ, tin cậy' }).count();
        },
        { timeout: 30_000 },
      )
      .toBe(2);
    await p.getByTestId('signature-signer').filter({ hasText: 'Trần Quốc Hưng' }).waitFor();
    await p.getByTestId('signature-signer').filter({ hasText: 'Ủy ban nhân dân tỉnh Sơn Lâm' }).waitFor();
    await p.getByRole('button', { name: 'Vào sổ đến' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Vào sổ đến' }).click();
    await expect.poll(() => p.getByTestId('register-number').textContent()).toBe(`1/${year}`);
    // And it is the first row of Sở Nội vụ's incoming register.
    await p.getByRole('menuitem', { name: 'Sổ văn bản', exact: true }).click();
    await pick(p, 'Sổ văn bản', 'den', 'Sổ đăng ký văn bản đến (DEN)');
    await p
      .getByTestId('register-book')
      .getByRole('row', { name: /01\/UBND-TH/ })
      .getByText(`Công văn: ${REPLY}`)
      .waitFor();

    // 9. Back at UBND tỉnh, the issued document shows what Sở Nội vụ did with it: 01, then 03.
    p = await as('vanthu.ubnd');
    await p.goto(issuedPath);
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { name: /01\/UBND-TH/ }).waitFor();
          return p.getByTestId('exchange-event').allTextContents();
        },
        { timeout: 30_000 },
      )
      .toEqual(['01 — Đã đến', '03 — Đã tiếp nhận (vào sổ)']);
  }, 240_000); // a working day in one test: about 70 s alone, more on a loaded machine
});
