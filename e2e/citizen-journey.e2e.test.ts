import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { p12Signer, signPdf } from '@congvu/pades';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../apps/server/src/db/free-port.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { DEMO_SIGNING_PASSWORD, seedDemoSigning } from '../apps/server/src/demo/signing.ts';
import { startMailSink } from '../apps/server/test/support/mail-sink.ts';
import { startOidcProvider, type TestProvider } from '../apps/server/test/support/oidc-provider.ts';
import { makePdf } from '../apps/server/test/support/pdf.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';
import { apiSession, type Postgres, postgres, startInstallation } from './exchange-setup.ts';

/**
 * Issue 7's acceptance journey on an installation of its own with real peers in this process (a
 * test OIDC provider, an SMTP sink, the payment simulator, the demo PKI): a citizen signs in
 * through the OIDC provider, finds "đăng ký khai sinh" typed without diacritics, fills the form,
 * reuses a paper from the data store, uploads a scan, submits, pays through the simulator, receives
 * e-mail notifications, answers a supplement request, gets the signed result and rates the service;
 * the officials handle the same dossier in the staff app in between. The citizen's browser has no
 * JavaScript (360 px, like a cheap phone); axe-core runs on the citizen's pages.
 */
const DEMO_PASSWORD = 'CongVu@2026';
const CCCD = '014190002026';
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let close: () => Promise<void>;
let pg: Postgres;
let site: Awaited<ReturnType<typeof startInstallation>>;
let oidc: TestProvider;
let mail: Awaited<ReturnType<typeof startMailSink>>;
let dataDir: string;
let png: string;
let citizen: BrowserContext;
let page: Page;
const staff: BrowserContext[] = [];

beforeAll(async () => {
  pg = await postgres();
  // The port first: the OIDC redirect URL and the public URL (links in e-mails) must name it.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  oidc = await startOidcProvider(`${base}/api/citizen/oidc/callback`);
  mail = await startMailSink();
  // The demo PKI goes under the installation's data dir: its CRL is served from <data>/pki.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-journey-'));
  site = await startInstallation(await pg.create('journey'), {
    PORT: String(port),
    CONGVU_DATA_DIR: dataDir,
    CONGVU_PUBLIC_URL: base,
    CONGVU_OIDC_ISSUER: oidc.issuer,
    CONGVU_OIDC_CLIENT_ID: oidc.clientId,
    CONGVU_OIDC_CLIENT_SECRET: oidc.clientSecret,
    CONGVU_OIDC_REDIRECT_URL: `${base}/api/citizen/oidc/callback`,
    SMTP_URL: mail.smtpUrl,
    CONGVU_PAY_SIMULATOR: '1',
    CONGVU_OUTBOX_POLL_MS: '200',
  });
  const s = site.services;
  // What `serve --demo-if-empty` seeds: the province, its procedures and the admin units of the form.
  await seedDemo(s.org, s.calendar, s.documents, () => {}, {
    workfiles: s.workfiles,
    procedures: s.procedures,
    adminUnits: s.submissions.adminUnits,
  });
  await seedDemoSigning({ dataDir, publicUrl: base, org: s.org, signing: s.signing, log: () => {} });

  // A paper in the data store: the counter received an earlier dossier of the same person with
  // the birth certificate scanned (a digitised paper goes into its owner's store).
  const counter = await apiSession(base, 'motcua.xtl', DEMO_PASSWORD);
  const found = await counter.get('/api/procedures?code=1.001193&published=true');
  const proc = await counter.get(`/api/procedures/${found.items[0].id}`);
  const onTime = proc.cases.find((c: { name: string }) => c.name === 'Đăng ký khai sinh đúng hạn');
  const scan = await counter.upload('giay-chung-sinh.pdf', await makePdf('Giay chung sinh'));
  await counter.post('/api/dossiers', {
    procedureId: proc.id,
    caseId: onTime.id,
    channel: 1,
    applicant: { kind: 1, name: 'Nguyễn Thị Định Danh', idNo: CCCD, phone: '0912345678' },
    components: [{ name: 'Giấy chứng sinh', originals: 1, blob: scan }],
  });

  png = path.join(dataDir, 'to-khai.png');
  fs.writeFileSync(
    png,
    await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#f4f4f4' } })
      .png()
      .toBuffer(),
  );
  ({ browser, close } = await launch());
  citizen = await browser.newContext({
    baseURL: base,
    javaScriptEnabled: false,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 360, height: 740 },
    isMobile: true,
  });
  page = await citizen.newPage();
}, 240_000);
afterAll(async () => {
  await citizen?.close();
  await close?.();
  await site?.close();
  await oidc?.close();
  await mail?.close();
  await pg?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const p of [page, ...staff.flatMap((c) => c.pages())])
      if (p && !p.isClosed())
        console.error(
          `Screenshot kept: ${await keepScreenshot(p, `${ctx.task.name}-${p === page ? 'citizen' : 'staff'}`)}`,
        );
  }
  for (const c of staff.splice(0)) await c.close();
});

/** axe-core on the citizen's page as it is now (the same cookies), in a context where it may run. */
async function axeHere() {
  const ctx = await browser.newContext({
    baseURL: site.baseUrl,
    bypassCSP: true,
    viewport: { width: 360, height: 740 },
    storageState: await citizen.storageState(),
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

/** Signs in as a demo official in a browser context of their own (the staff app, JavaScript on). */
async function as(username: string): Promise<Page> {
  for (const c of staff.splice(0)) await c.close();
  const context = await newContext(browser, site.baseUrl);
  staff.push(context);
  const p = await context.newPage();
  await p.goto('/');
  await p.getByLabel('Tên đăng nhập').fill(username);
  await p.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await p.getByRole('button', { name: 'Đăng nhập' }).click();
  await p.getByRole('menuitem', { name: 'Tra cứu văn bản' }).waitFor();
  return p;
}

async function openDossier(username: string, code: string) {
  const p = await as(username);
  await p.goto(`/mot-cua/ho-so?scope=agency&q=${encodeURIComponent(code)}`);
  await p.getByRole('link', { name: code }).click();
  await p.getByRole('heading', { level: 3, name: code }).waitFor();
  return p;
}

/** Opens an action's dialog and waits until its form is connected (the opening animation ended). */
async function openAction(p: Page, button: string) {
  await p.getByRole('button', { name: button, exact: true }).click();
  const dialog = p.getByRole('dialog');
  await dialog.locator('form').waitFor();
  await p.waitForFunction("!document.querySelector('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter')");
  return dialog;
}

/** "Lưu": the dialog closes, or the server's refusal fails the test with its text. */
async function save(p: Page, button: string) {
  const dialog = p.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  const refused = p.locator('.ant-message-notice-error');
  await Promise.race([dialog.waitFor({ state: 'hidden' }), refused.first().waitFor()]);
  if (await refused.count()) throw new Error(`${button}: ${await refused.first().innerText()}`);
}

async function act(p: Page, button: string, fill: Record<string, string> = {}) {
  const dialog = await openAction(p, button);
  for (const [label, value] of Object.entries(fill)) await dialog.getByLabel(label).fill(value);
  await save(p, button);
}

/** The e-mails the sink received for the citizen's address with this subject. */
const mails = (subject: string) =>
  mail.inbox.filter((m) => m.to.includes('dinhdanh@example.vn') && m.subject.includes(subject));

/** The province's public QĐ 766 counts of this year (satisfaction: ratings and satisfied criteria). */
async function publicCounts() {
  const year = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()),
  );
  const res = await fetch(`${site.baseUrl}/api/public/service-index?year=${year}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { counts: { ratings: number; satisfiedCriteria: number } }).counts;
}

describe('the citizen journey of issue 7', () => {
  it('signs in with VNeID, submits a late birth registration online, pays, supplements, gets the signed result, rates', async () => {
    // 1. Sign-in through the OIDC provider (it signs its test account in without a page).
    await page.goto('/cong-dich-vu/dang-nhap?tiep=/cong-dich-vu/tai-khoan');
    await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của Nguyễn Thị Định Danh' }).waitFor();
    // The data store is keyed by the profile's CCCD: the paper received at the counter shows up.
    await page.getByLabel('Số CCCD').fill(CCCD);
    await page.getByRole('button', { name: 'Lưu thông tin' }).click();
    await page.getByText('Đã lưu thông tin cá nhân.').waitFor();
    await page.goto('/cong-dich-vu/kho-du-lieu');
    await page.getByText('Giấy chứng sinh').first().waitFor();

    // 2. The catalogue, typed without diacritics.
    await page.goto('/cong-dich-vu/');
    await page.getByLabel('Tên hoặc mã thủ tục').fill('dang ky khai sinh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' }).waitFor();
    await page.getByRole('link', { name: 'Nộp trực tuyến' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nộp trực tuyến: Đăng ký khai sinh' }).waitFor();
    // Late registration: it has an 8.000 đ fee paid before acceptance ("thu trước").
    await page.getByLabel('Đăng ký khai sinh quá hạn').check();
    await page.getByLabel('Nơi nộp hồ sơ').selectOption({ label: 'Ủy ban nhân dân xã Tân Lập' });
    await page.getByRole('button', { name: 'Bắt đầu khai hồ sơ' }).click();

    // 3. The form.
    await page.getByRole('heading', { level: 2, name: 'Tờ khai đăng ký khai sinh' }).waitFor();
    await checkPage('form');
    await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Nguyễn Minh An');
    await page.getByLabel('Giới tính của trẻ').selectOption({ label: 'Nam' });
    await page.getByLabel('Ngày sinh của trẻ').fill('15/03/2025');
    await page.getByLabel('Tỉnh, thành phố').selectOption({ label: 'Tỉnh Sơn Lâm' });
    await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Tân Lập' });
    await page.getByLabel('Họ và tên người mẹ').fill('Nguyễn Thị Định Danh');
    await page.getByLabel('Số CCCD của người mẹ').fill(CCCD);
    await page.getByLabel('Người đi đăng ký là').selectOption({ label: 'Mẹ của trẻ' });
    await page.getByLabel('Số điện thoại liên hệ').fill('0912345678');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    // 4. Papers: the tờ khai as a scan, the birth certificate reused from the data store.
    const paper = (name: string) =>
      page.locator('section.paper', { has: page.getByRole('heading', { level: 2, name }) });
    await paper('Tờ khai đăng ký khai sinh').waitFor();
    await checkPage('papers');
    await paper('Tờ khai đăng ký khai sinh').locator('input[type="file"]').setInputFiles(png);
    await paper('Tờ khai đăng ký khai sinh').getByRole('button', { name: 'Tải lên' }).click();
    await paper('Tờ khai đăng ký khai sinh').getByText('Đã nộp: to-khai.png').waitFor();
    const certificate = paper('Giấy chứng sinh hoặc văn bản của người làm chứng');
    await certificate
      .getByLabel('Hoặc dùng giấy tờ trong kho dữ liệu')
      .selectOption({ label: 'Giấy chứng sinh' });
    await certificate.getByRole('button', { name: 'Dùng giấy tờ này' }).click();
    await paper('Giấy chứng sinh hoặc văn bản của người làm chứng')
      .getByText('Đã nộp: Giấy chứng sinh (từ kho dữ liệu)')
      .waitFor();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    // 5. Review and submit.
    await page.getByRole('heading', { level: 2, name: 'Tờ khai' }).waitFor();
    await page.getByText('Nguyễn Minh An').waitFor();
    await page.getByText('Giấy chứng sinh (từ kho dữ liệu)').waitFor();
    await checkPage('review');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
    const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    expect(code).toMatch(/^H99\.63-\d{6}-\d{4}$/);
    const link = `${site.baseUrl}/cong-dich-vu/ho-so-cua-toi/${code}`;

    // 6. The "submitted" e-mail (the outbox is asynchronous), with the code and the link.
    await expect.poll(() => mails(`Đã nộp hồ sơ ${code}`).length, { timeout: 20_000 }).toBe(1);
    expect(mails(`Đã nộp hồ sơ ${code}`)[0]?.text).toContain(link);

    // 7. Pay through the simulator. The "thu trước" fee must be paid before an online dossier is
    // accepted (accept refuses with DOSSIER_FEES_UNPAID otherwise), so the citizen pays after
    // submitting and before the official accepts.
    await page.goto(`/cong-dich-vu/ho-so-cua-toi/${code}`);
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await page.getByText('Còn phải nộp:').waitFor();
    await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await page.getByText('Cổng thanh toán mô phỏng — không phải ngân hàng thật').first().waitFor();
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Thanh toán thành công' }).waitFor();
    await page.getByText(`Bạn đã nộp 8.000`).waitFor();
    await page.goto(`/cong-dich-vu/ho-so-cua-toi/${code}`);
    await page.getByText('(trực tuyến)').waitFor();
    expect(await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).count()).toBe(0);

    // 8. The commune's counter accepts it in the staff app; the counter step is done.
    let q = await openDossier('motcua.xtl', code);
    await act(q, 'Tiếp nhận');
    await q.getByTestId('due-at').waitFor();
    await act(q, 'Hoàn thành bước');
    await expect.poll(() => mails(`Đã tiếp nhận hồ sơ ${code}`).length, { timeout: 20_000 }).toBe(1);

    // 9. The civil-status officer asks for a supplement.
    q = await openDossier('hotich.xtl', code);
    await act(q, 'Yêu cầu bổ sung', {
      'Lý do': 'Cần văn bản xác nhận của người làm chứng về việc sinh',
      'Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)': 'Văn bản của người làm chứng',
    });
    await expect.poll(() => mails(`Hồ sơ ${code} cần bổ sung`).length, { timeout: 20_000 }).toBe(1);
    const supplementMail = mails(`Hồ sơ ${code} cần bổ sung`)[0]!;
    expect(supplementMail.text).toContain(link);
    expect(supplementMail.text).toContain('Cần văn bản xác nhận của người làm chứng về việc sinh');

    // 10. The citizen answers it online with a scan.
    await page.goto('/cong-dich-vu/ho-so-cua-toi');
    await page
      .getByRole('heading', { level: 2, name: new RegExp(`${code.replace(/\./g, '\\.')}.*Cần làm`) })
      .waitFor();
    await page.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 2, name: 'Bổ sung hồ sơ' }).waitFor();
    await page.getByText('Văn bản của người làm chứng').first().waitFor();
    await checkPage('dossier with a supplement request');
    await page.getByLabel('Tệp giấy tờ bổ sung').setInputFiles(png);
    await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Bổ sung hồ sơ' }).count()).toBe(0);

    // 11. The officers finish their steps; the result is a PDF signed by the chairman (demo PKI).
    q = await openDossier('hotich.xtl', code);
    await act(q, 'Hoàn thành bước');
    q = await openDossier('ct.xtl', code);
    await act(q, 'Hoàn thành bước');
    const signed = await signPdf(
      new Uint8Array(await makePdf('Giay khai sinh')),
      p12Signer(
        new Uint8Array(fs.readFileSync(path.join(dataDir, 'pki', 'officials', 'ct.xtl.p12'))),
        DEMO_SIGNING_PASSWORD,
      ),
      { signingTime: new Date() },
    );
    q = await openDossier('motcua.xtl', code);
    const dialog = await openAction(q, 'Ghi kết quả, hoàn thành');
    await dialog.getByLabel('Tên giấy tờ kết quả').fill('Giấy khai sinh (bản điện tử)');
    const chooser = q.waitForEvent('filechooser');
    await dialog.getByTestId('result-file').click();
    await (await chooser).setFiles({
      name: 'giay-khai-sinh.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(signed),
    });
    await dialog.getByTestId('result-file').getByText('giay-khai-sinh.pdf').waitFor();
    await dialog.getByLabel('Bản điện tử').check();
    await dialog.getByLabel('Đã ký số').check();
    await save(q, 'Ghi kết quả, hoàn thành');
    await expect.poll(() => mails(`Hồ sơ ${code} đã có kết quả`).length, { timeout: 20_000 }).toBe(1);

    // 12. The citizen gets the signed result: the signature checked, the file downloadable.
    await page.goto(`/cong-dich-vu/ho-so-cua-toi/${code}`);
    await page.getByText('Đã ký số hợp lệ bởi Hà Văn Sáng').waitFor();
    const resultHref = await page
      .getByRole('link', { name: 'Giấy khai sinh (bản điện tử)' })
      .getAttribute('href');
    const file = await citizen.request.get(resultHref as string);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('application/pdf');
    expect(Buffer.from(await file.body()).equals(Buffer.from(signed))).toBe(true);

    // 13. The rating, into the public QĐ 766 satisfaction figure.
    const before = await publicCounts();
    await page.getByRole('heading', { level: 2, name: 'Đánh giá mức độ hài lòng' }).waitFor();
    await checkPage('dossier done, with the rating form');
    await page.getByLabel('Rất hài lòng').check();
    for (let i = 1; i <= 9; i++) await page.locator(`#c${i}-1`).check();
    await page.getByLabel('Góp ý (không bắt buộc)').fill('Nộp trực tuyến nhanh, không phải đi lại.');
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByText(/Bạn đã đánh giá hồ sơ này ngày .*: Rất hài lòng\. Cảm ơn bạn\./).waitFor();
    const after = await publicCounts();
    expect(after.ratings).toBe(before.ratings + 1);
    expect(after.satisfiedCriteria).toBe(before.satisfiedCriteria + 9);

    // 14. The notification centre lists what the e-mails said, each linking to the dossier.
    await page.goto('/cong-dich-vu/thong-bao');
    await page.getByRole('heading', { level: 1, name: 'Thông báo' }).waitFor();
    for (const title of [
      `Đã nộp hồ sơ ${code}`,
      `Đã thanh toán trực tuyến hồ sơ ${code}`,
      `Đã tiếp nhận hồ sơ ${code}`,
      `Hồ sơ ${code} cần bổ sung`,
      `Hồ sơ ${code} đã có kết quả`,
    ]) {
      const item = page.getByRole('link', { name: title, exact: true });
      await item.waitFor();
      expect(await item.getAttribute('href'), title).toContain(`/cong-dich-vu/ho-so-cua-toi/${code}`);
    }
    await checkPage('notification centre');
  });
});
