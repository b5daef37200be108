import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubService } from '../apps/server/src/modules/hub/service.ts';
import {
  type CertificateAuthority,
  createRootCa,
  generateRsaKeyPair,
  issueAgencyCertificate,
  issueOfficialCertificate,
  toPkcs12,
} from '../apps/server/src/modules/signing/pki.ts';
import { makePdf } from '../apps/server/test/support/pdf.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';
import {
  type ApiSession,
  apiSession,
  type Installation,
  type Postgres,
  postgres,
  startHub,
  startInstallation,
} from './exchange-setup.ts';

/*
 * Two installations of CongVu — A (a province's people's committee) and B (another province's
 * department of finance) — each with its own database and port, exchanging documents through a
 * hub with its own database and port, as officials see it in the browser:
 * A's clerk issues a signed document with a PDF to B; B's clerk registers it, B's leader assigns
 * it, B's specialist handles and finishes it; A's exchange card shows 01, 03, 04, 05, 06 in order.
 * A recalls a second document and B's clerk agrees (15); a third is replaced and B's copy says so;
 * B's clerk returns a fourth with a reason and A sees 02 with it.
 */

const PASSWORD = 'MatKhau-2026';
const SIGNING_PASSWORD = 'Ky-so-2026';
const A_CODE = 'H88.10.1';
const A_NAME = 'Ủy ban nhân dân tỉnh Gửi';
const B_CODE = 'H77.20.1';
const B_NAME = 'Sở Tài chính tỉnh Nhận';

let db: Postgres;
let hubServer: Awaited<ReturnType<typeof startHub>>;
let A: Installation;
let B: Installation;
let tmp: string;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const contexts: BrowserContext[] = [];
const signedIn = new Map<string, Page>();
let page: Page | undefined;
/** API sessions at A for what the browser adds nothing to (drafting, approving, issuing docs 2–4). */
let drafterA: ApiSession;
let leaderA: ApiSession;
let clerkA: ApiSession;
let leaderAId: string;
let outRegA: string;

const SAVED_TIMEOUT = 45_000;
const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' })
  .format(new Date())
  .slice(0, 4);

async function p12(ca: CertificateAuthority, holder: { agencyName: string; fullName?: string }) {
  const keys = await generateRsaKeyPair(2048);
  const { certificate } = holder.fullName
    ? await issueOfficialCertificate(ca, {
        fullName: holder.fullName,
        agencyName: holder.agencyName,
        publicKey: keys.publicKey,
      })
    : await issueAgencyCertificate(ca, { agencyName: holder.agencyName, publicKey: keys.publicKey });
  return Buffer.from(
    await toPkcs12({
      privateKey: keys.privateKey,
      chain: [certificate, ca.certificate],
      password: SIGNING_PASSWORD,
    }),
  );
}

/**
 * An installation's first administrator (as `congvu user` makes one), then through its API: the
 * agency, a department, the officials, an incoming and an outgoing register, and the CA it trusts.
 */
async function organise(
  inst: Installation,
  agency: { code: string; name: string; shortName: string },
  people: { username: string; fullName: string; role: 'clerk' | 'leader' | 'specialist' }[],
  ca: CertificateAuthority,
) {
  await inst.services.org.createOfficial(
    { auth: null, ip: null },
    {
      username: 'quantri',
      fullName: 'Quản trị hệ thống',
      password: PASSWORD,
      roles: [{ role: 'admin', agencyId: null }],
      memberships: [],
    },
  );
  const admin = await apiSession(inst.baseUrl, 'quantri', PASSWORD);
  const { id: agencyId } = await admin.post('/api/org/agencies', {
    ...agency,
    kind: 'province_department',
    validFrom: '2025-07-01',
  });
  const { id: departmentId } = await admin.post('/api/org/departments', { agencyId, name: 'Văn phòng' });
  const ids: Record<string, string> = {};
  for (const p of people) {
    const o = await admin.post('/api/org/officials', {
      username: p.username,
      fullName: p.fullName,
      password: PASSWORD,
      roles: [{ role: p.role, agencyId }],
      memberships: [{ departmentId, positionId: null, isPrimary: true }],
    });
    ids[p.username] = o.id;
  }
  const registers: Record<string, string> = {};
  for (const [kind, code] of [
    ['incoming', 'DEN'],
    ['outgoing', 'DI'],
  ] as const) {
    const r = await admin.post('/api/documents/registers', {
      agencyId,
      kind,
      code,
      name: `Sổ văn bản ${kind === 'incoming' ? 'đến' : 'đi'}`,
    });
    registers[kind] = r.id;
  }
  await admin.post('/api/signing/trust-anchors', {
    name: 'CA thử nghiệm liên thông',
    pem: ca.certificate.toString('pem'),
  });
  return { admin, agencyId, ids, registers };
}

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launch());
  db = await postgres();
  const [hubUrl, aUrl, bUrl] = [await db.create('hub'), await db.create('a'), await db.create('b')];
  hubServer = await startHub(hubUrl);
  const hub: HubService = hubServer.hub;
  await hub.addAgency('e2e', { code: A_CODE, name: A_NAME });
  await hub.addAgency('e2e', { code: B_CODE, name: B_NAME });
  const sysA = await hub.addSystem('e2e', { name: 'Hệ thống tỉnh Gửi', agencies: [A_CODE] });
  const sysB = await hub.addSystem('e2e', { name: 'Hệ thống tỉnh Nhận', agencies: [B_CODE] });
  const exchangeEnv = (s: { id: string; secret: string }) => ({
    CONGVU_EXCHANGE_HUB_URL: hubServer.url,
    CONGVU_EXCHANGE_SYSTEM_ID: s.id,
    CONGVU_EXCHANGE_SECRET: s.secret,
    CONGVU_EXCHANGE_POLL_MS: '150',
    CONGVU_OUTBOX_POLL_MS: '50',
  });

  // One CA certifies A's signers, A's seal and the key A signs its envelopes with; B trusts it.
  const ca = await createRootCa({ name: 'CA thử nghiệm liên thông', modulusLength: 2048 });
  const [envelopeKey, leaderKey, sealKey] = await Promise.all([
    p12(ca, { agencyName: A_NAME }),
    p12(ca, { agencyName: A_NAME, fullName: 'Trần Quốc Hưng' }),
    p12(ca, { agencyName: A_NAME }),
  ]);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-exchange-'));
  fs.writeFileSync(path.join(tmp, 'truc.p12'), envelopeKey);

  [A, B] = await Promise.all([
    startInstallation(aUrl, {
      ...exchangeEnv(sysA),
      CONGVU_EXCHANGE_P12: path.join(tmp, 'truc.p12'),
      CONGVU_EXCHANGE_P12_PASSWORD: SIGNING_PASSWORD,
    }),
    startInstallation(bUrl, exchangeEnv(sysB)),
  ]);
  const a = await organise(
    A,
    { code: A_CODE, name: A_NAME, shortName: 'UBND' },
    [
      { username: 'vanthu.gui', fullName: 'Đỗ Thị Lan', role: 'clerk' },
      { username: 'chutich.gui', fullName: 'Trần Quốc Hưng', role: 'leader' },
      { username: 'chuyenvien.gui', fullName: 'Phùng Thị Hạnh', role: 'specialist' },
    ],
    ca,
  );
  await organise(
    B,
    { code: B_CODE, name: B_NAME, shortName: 'STC' },
    [
      { username: 'vanthu.nhan', fullName: 'Lê Thị Mai', role: 'clerk' },
      { username: 'giamdoc.nhan', fullName: 'Hoàng Văn Nam', role: 'leader' },
      { username: 'chuyenvien.nhan', fullName: 'Vũ Minh Tuấn', role: 'specialist' },
    ],
    ca,
  );
  leaderAId = a.ids['chutich.gui']!;
  outRegA = a.registers.outgoing!;
  await a.admin.post('/api/signing/credentials', {
    officialId: leaderAId,
    pkcs12: leaderKey.toString('base64'),
    password: SIGNING_PASSWORD,
  });
  await a.admin.post('/api/signing/credentials', {
    agencyId: a.agencyId,
    pkcs12: sealKey.toString('base64'),
    password: SIGNING_PASSWORD,
  });
  // A learns from the hub which agencies it can send to.
  expect(await a.admin.post('/api/exchange/directory/sync')).toEqual({ agencies: 2 });
  drafterA = await apiSession(A.baseUrl, 'chuyenvien.gui', PASSWORD);
  leaderA = await apiSession(A.baseUrl, 'chutich.gui', PASSWORD);
  clerkA = await apiSession(A.baseUrl, 'vanthu.gui', PASSWORD);
}, 180_000);

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await closeBrowser?.();
  await A?.close();
  await B?.close();
  await hubServer?.close();
  await db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const file = await keepScreenshot(page, `exchange-${ctx.task.name}`);
    console.error(`Screenshot kept: ${file}`);
  }
});

/**
 * The official's page at an installation, signed in once in a browser context of their own and
 * kept for the rest of the file (each official goes back to their screens several times).
 */
async function as(inst: Installation, username: string): Promise<Page> {
  const key = `${inst.baseUrl} ${username}`;
  const open = signedIn.get(key);
  if (open) {
    page = open;
    return open;
  }
  const context = await newContext(browser, inst.baseUrl);
  contexts.push(context);
  page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('menuitem', { name: 'Tra cứu văn bản' }).waitFor();
  signedIn.set(key, page);
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

/**
 * Opens a document from a worklist, reloading the list until it is there: documents and answers
 * from the other installation arrive through the hub in the background.
 */
async function openFromQueue(p: Page, queue: RegExp, subject: string) {
  const item = p.getByRole('menuitem', { name: queue });
  const link = p.getByRole('link', { name: subject });
  const end = Date.now() + SAVED_TIMEOUT;
  // A queue is in the menu only while it has documents; the page may be an earlier one.
  await p.reload();
  for (;;) {
    try {
      await item.click({ timeout: 5_000 });
      await link.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await p.reload();
  }
  await link.click();
  await p.getByRole('heading', { level: 3 }).waitFor();
}

/** The exchange card's events as shown, after reloading until they match. */
async function exchangeEvents(p: Page, expected: string[]) {
  await expect
    .poll(
      async () => {
        await p.reload();
        await p.getByRole('heading', { level: 3 }).waitFor();
        return p.getByTestId('exchange-event').allTextContents();
      },
      { timeout: SAVED_TIMEOUT, interval: 500 },
    )
    .toEqual(expected);
}

/** Answers a confirm dialog that asks for one text (reason, result) with its OK button. */
async function answer(p: Page, button: string, label: string, text: string) {
  const dialog = p.getByRole('dialog');
  await dialog.getByLabel(label).fill(text);
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A signed document with a PDF issued at A through the API; its id and number/notation. */
async function issueThroughApi(subject: string, recipients: object[]) {
  const main = await drafterA.upload('cong-van.pdf', await makePdf(subject));
  const { documentId } = await drafterA.post('/api/documents/outgoing', {
    agencyId: (await drafterA.get('/api/auth/me')).memberships[0].agencyId,
    typeId: 'cong_van',
    subject,
    draftingUnit: 'VP',
    recipients,
    reviewerIds: [leaderAId],
    files: [{ sha256: main, name: 'cong-van.pdf', role: 'main' }],
  });
  const signing = { password: SIGNING_PASSWORD };
  await leaderA.post(`/api/documents/${documentId}/review`, { decision: 'approved', signing }, 204);
  const issued = await clerkA.post(`/api/documents/${documentId}/issue`, { registerId: outRegA, signing });
  return { id: documentId as string, numberNotation: `${issued.number}/${issued.notation}` };
}
const toB = [{ agencyCode: B_CODE, name: B_NAME }];

describe('document exchange between two installations through the hub, in the browser', () => {
  it('A issues a signed document to B; B registers, assigns, handles; A sees 01, 03, 04, 05, 06 in order', async () => {
    const SUBJECT = 'Về việc phối hợp kiểm tra liên ngành năm 2026';

    // A's specialist drafts it to an agency outside the installation, with the PDF.
    let p = await as(A, 'chuyenvien.gui');
    await p.getByRole('menuitem', { name: 'Soạn văn bản đi' }).click();
    await p.getByRole('heading', { name: 'Soạn văn bản đi' }).waitFor();
    await p.getByLabel('Trích yếu').fill(SUBJECT);
    await p.getByLabel('Đơn vị soạn thảo (viết tắt)').fill('VP');
    await pick(p, 'Cơ quan ngoài hệ thống (gửi qua trục liên thông)', 'tai chinh', `${B_NAME} (${B_CODE})`);
    await p.keyboard.press('Escape');
    await pick(p, 'Người duyệt (theo thứ tự, người cuối cùng ký)', 'tran quoc hung', 'Trần Quốc Hưng');
    await p.keyboard.press('Escape');
    await p.locator('input[type=file]').setInputFiles({
      name: 'cong-van-phoi-hop.pdf',
      mimeType: 'application/pdf',
      buffer: await makePdf('Cong van phoi hop kiem tra lien nganh'),
    });
    await p.getByText('cong-van-phoi-hop.pdf').waitFor();
    await p.getByRole('button', { name: 'Trình duyệt' }).click();
    await p.getByText('Đang trình duyệt').first().waitFor();

    // A's chairman approves by signing it.
    p = await as(A, 'chutich.gui');
    await openFromQueue(p, /^Chờ duyệt/, SUBJECT);
    await p.getByRole('button', { name: 'Duyệt và ký số', exact: true }).click();
    const sign = p.getByRole('dialog');
    await sign.getByLabel('Mật khẩu chứng thư số').fill(SIGNING_PASSWORD);
    await sign.getByRole('button', { name: 'Duyệt và ký số' }).click();
    await sign.waitFor({ state: 'hidden' });
    await p.getByText('Đã duyệt, chờ phát hành').first().waitFor();

    // A's clerk adds the seal and issues it: it goes to the hub.
    p = await as(A, 'vanthu.gui');
    await openFromQueue(p, /^Chờ phát hành/, SUBJECT);
    await p.getByRole('button', { name: 'Phát hành' }).click();
    const issue = p.getByRole('dialog');
    await issue.getByLabel('Mật khẩu chứng thư số').fill(SIGNING_PASSWORD);
    await issue.getByRole('button', { name: 'Ký số cơ quan và phát hành' }).click();
    await p.getByRole('heading', { name: /01\/UBND-VP/ }).waitFor();
    await p.getByText('Đã phát hành').first().waitFor();
    const issuedPath = new URL(p.url()).pathname;

    // B's clerk finds it waiting to be registered, from A through the hub, its envelope and
    // both PDF signatures valid and trusted; and registers it.
    p = await as(B, 'vanthu.nhan');
    await openFromQueue(p, /^Chờ vào sổ/, SUBJECT);
    await p.getByRole('heading', { name: /01\/UBND-VP/ }).waitFor();
    await p.getByText(`Nhận qua trục liên thông từ ${A_CODE}`).waitFor();
    expect(await p.getByTestId('exchange-xml-signature').textContent()).toContain(
      'Gói tin có chữ ký số hợp lệ, tin cậy',
    );
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { name: /01\/UBND-VP/ }).waitFor();
          return p.getByTestId('signature-signer').filter({ hasText: 'Hợp lệ, tin cậy' }).count();
        },
        { timeout: SAVED_TIMEOUT },
      )
      .toBe(2);
    await p.getByTestId('signature-signer').filter({ hasText: 'Trần Quốc Hưng' }).waitFor();
    await p.locator('iframe[title="Xem trước tệp"]').waitFor();
    await p.getByRole('button', { name: 'Vào sổ đến' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Vào sổ đến' }).click();
    await expect.poll(() => p.getByTestId('register-number').textContent()).toBe(`1/${year}`);

    // B's director assigns it to the specialist.
    p = await as(B, 'giamdoc.nhan');
    await openFromQueue(p, /^Chờ phân công/, SUBJECT);
    await p.getByRole('button', { name: 'Phân công' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Bút phê, ý kiến chỉ đạo').fill('Giao chuyên viên phối hợp kiểm tra.');
    await pick(p, 'Chủ trì', 'vu minh tuan', 'Vũ Minh Tuấn', dialog);
    await p.keyboard.press('Escape');
    await dialog.getByLabel('Hạn xử lý (số ngày làm việc)').fill('3');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByTestId('assignment-Vũ Minh Tuấn').waitFor();

    // B's specialist starts and finishes it.
    p = await as(B, 'chuyenvien.nhan');
    await openFromQueue(p, /^Cần xử lý/, SUBJECT);
    const mine = p.getByTestId('assignment-Vũ Minh Tuấn');
    await mine.getByRole('button', { name: 'Bắt đầu xử lý' }).click();
    await mine.getByRole('button', { name: 'Bắt đầu xử lý' }).waitFor({ state: 'hidden' });
    await mine.getByRole('button', { name: 'Hoàn thành' }).click();
    await answer(p, 'Hoàn thành', 'Kết quả xử lý', 'Đã phối hợp kiểm tra, có báo cáo kèm theo.');
    await mine.getByText('Đã phối hợp kiểm tra, có báo cáo kèm theo.').waitFor();

    // A's clerk follows it on the exchange card: each status once, in the order they happened.
    p = await as(A, 'vanthu.gui');
    await p.goto(issuedPath);
    await exchangeEvents(p, [
      'Đã gửi lên trục liên thông',
      '01 — Đã đến',
      '03 — Đã tiếp nhận (vào sổ)',
      '04 — Đã phân công xử lý',
      '05 — Đang xử lý',
      '06 — Hoàn thành',
    ]);
    await p.getByTestId('exchange-recipient').getByText(B_CODE).waitFor();
  }, 240_000);

  it('A recalls a second document; B’s clerk agrees (15) and A sees it', async () => {
    const SUBJECT = 'Về việc tổ chức hội nghị sơ kết (sẽ thu hồi)';
    const doc = await issueThroughApi(SUBJECT, toB);

    // B's clerk has it waiting before the recall is asked.
    let p = await as(B, 'vanthu.nhan');
    await openFromQueue(p, /^Chờ vào sổ/, SUBJECT);
    const copyPath = new URL(p.url()).pathname;

    p = await as(A, 'vanthu.gui');
    await p.goto(`/van-ban/${doc.id}`);
    await p.getByRole('heading', { name: new RegExp(doc.numberNotation) }).waitFor();
    await p.getByRole('button', { name: 'Thu hồi' }).click();
    await answer(p, 'Thu hồi', 'Lý do trả lại', 'Sai thời gian tổ chức hội nghị');
    await p.getByText('Đã bị thu hồi').first().waitFor();

    // The request reaches B: its clerk agrees; B's copy is withdrawn.
    p = await as(B, 'vanthu.nhan');
    await p.goto(copyPath);
    const accept = p.getByRole('button', { name: 'Đồng ý thu hồi' });
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { level: 3 }).waitFor();
          return accept.isVisible();
        },
        { timeout: SAVED_TIMEOUT, interval: 500 },
      )
      .toBe(true);
    await p.getByText('Cơ quan ban hành đề nghị thu hồi').first().waitFor();
    await accept.click();
    await answer(p, 'Đồng ý thu hồi', 'Lý do trả lại', 'Đồng ý thu hồi văn bản');
    await p.getByText('Đã bị thu hồi').first().waitFor();
    await accept.waitFor({ state: 'hidden' });
    // Withdrawn: nothing left to register or return.
    expect(await p.getByRole('button', { name: 'Vào sổ đến' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Trả lại nơi gửi' }).count()).toBe(0);

    // A sees B's answer.
    p = await as(A, 'vanthu.gui');
    await p.goto(`/van-ban/${doc.id}`);
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { level: 3 }).waitFor();
          return p.getByTestId('exchange-event').allTextContents();
        },
        { timeout: SAVED_TIMEOUT, interval: 500 },
      )
      .toContain('15 — Đồng ý lấy lại / cập nhật');
  }, 120_000);

  it('A replaces a third document; B’s copy shows it was replaced and by which', async () => {
    const SUBJECT = 'Về kế hoạch kiểm tra ngân sách (bản có sai sót)';
    const old = await issueThroughApi(SUBJECT, toB);
    let p = await as(B, 'vanthu.nhan');
    await openFromQueue(p, /^Chờ vào sổ/, SUBJECT);
    const copyPath = new URL(p.url()).pathname;

    // The replacement (API: the browser adds nothing here) goes only to the archive at A; it
    // reaches B as the replacement of the old one.
    const rep = await issueThroughApi('Về kế hoạch kiểm tra ngân sách (thay thế)', [{ name: 'Lưu: VT, VP' }]);
    await clerkA.post(`/api/documents/${old.id}/replace`, {
      reason: 'Sai thời gian kiểm tra',
      replacementId: rep.id,
    });

    p = await as(B, 'vanthu.nhan');
    await p.goto(copyPath);
    const tag = p.getByText(`Đã bị thay thế → ${rep.numberNotation}`);
    await expect
      .poll(
        async () => {
          await p.reload();
          await p.getByRole('heading', { level: 3 }).waitFor();
          return tag.isVisible();
        },
        { timeout: SAVED_TIMEOUT, interval: 500 },
      )
      .toBe(true);
    await p.getByText('Bị thay thế', { exact: true }).first().waitFor();
    expect(await p.getByRole('button', { name: 'Vào sổ đến' }).count()).toBe(0);
    // The replacement itself waits in B's queue like any document.
    await openFromQueue(p, /^Chờ vào sổ/, 'Về kế hoạch kiểm tra ngân sách (thay thế)');
    await p.getByRole('heading', { name: new RegExp(rep.numberNotation) }).waitFor();
  }, 120_000);

  it('B’s clerk returns a fourth document to its sender with a reason; A sees 02 with it', async () => {
    const SUBJECT = 'Về việc đề nghị cấp kinh phí (gửi nhầm)';
    const doc = await issueThroughApi(SUBJECT, toB);
    let p = await as(B, 'vanthu.nhan');
    await openFromQueue(p, /^Chờ vào sổ/, SUBJECT);
    await p.getByRole('button', { name: 'Trả lại nơi gửi' }).click();
    await answer(p, 'Trả lại nơi gửi', 'Lý do trả lại', 'Không thuộc thẩm quyền của Sở Tài chính');
    await p.getByText('Bị trả lại').first().waitFor();
    await p.getByRole('button', { name: 'Vào sổ đến' }).waitFor({ state: 'hidden' });

    p = await as(A, 'vanthu.gui');
    await p.goto(`/van-ban/${doc.id}`);
    await exchangeEvents(p, ['Đã gửi lên trục liên thông', '01 — Đã đến', '02 — Từ chối tiếp nhận']);
    // The reason is shown with the 02 (the 01 carries the recipient's own description).
    const refused = p.getByRole('listitem').filter({ hasText: '02 — Từ chối tiếp nhận' });
    expect(await refused.getByTestId('exchange-event-description').textContent()).toBe(
      'Từ chối tiếp nhận: Không thuộc thẩm quyền của Sở Tài chính',
    );
  }, 120_000);
});
