import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { keepScreenshot, launch, newContext } from './browser.ts';
import { type ApiSession, apiSession, type Postgres, postgres, startInstallation } from './exchange-setup.ts';

/**
 * The supervisor's dashboard (/mot-cua/giam-sat) on the demo province: the commune's counter
 * receives four dossiers on Monday 04/05/2026 (one withdrawn, one paused for a supplement, two left
 * in progress), business time moves on to Friday 29/05 so the open ones are late, and the commune chairman
 * (ct.xtl, leader: dossiers.supervise over his commune) reads May by agency, procedure and officer:
 * every cell is what the API answers for the same period, and a row opens its dossiers.
 */
const DEMO_PASSWORD = 'CongVu@2026';
const FROM = '2026-05-01';
const TO = '2026-05-31';
let browser: Browser;
let close: () => Promise<void>;
let pg: Postgres;
let site: Awaited<ReturnType<typeof startInstallation>>;
let context: BrowserContext | undefined;
let page: Page;

interface Row {
  key: string | null;
  name: string | null;
  code: string | null;
  total: number;
  in_progress_on_time: number;
  in_progress_late: number;
  paused: number;
  done_on_time: number;
  done_late: number;
  withdrawn: number;
  stopped: number;
  refused: number;
}
const COUNTS = [
  'total',
  'in_progress_on_time',
  'in_progress_late',
  'paused',
  'done_on_time',
  'done_late',
  'withdrawn',
  'stopped',
  'refused',
] as const;

/** Receives a counter dossier of the procedure `code` (its first case) for an applicant. */
async function receive(counter: ApiSession, code: string, name: string, idNo: string) {
  const found = await counter.get(`/api/procedures?code=${code}&published=true`);
  const proc = await counter.get(`/api/procedures/${found.items[0].id}`);
  return (await counter.post('/api/dossiers', {
    procedureId: proc.id,
    caseId: proc.cases[0].id,
    channel: 1,
    applicant: { kind: 1, name, idNo, phone: '0912345678' },
    // The "thu trước" fees are collected at the counter.
    paidFees: (
      proc.cases[0].channels.find((c: { channel: number }) => c.channel === 1).fees as { when: string }[]
    ).flatMap((f, ordinal) => (f.when === 'before' ? [{ ordinal, receiptNo: `BL-${idNo}-${ordinal}` }] : [])),
  })) as { id: string; code: string; currentStepId: string };
}

beforeAll(async () => {
  pg = await postgres();
  site = await startInstallation(await pg.create('supervisor'), {
    CONGVU_CLOCK: '2026-05-04T08:00:00+07:00',
    CONGVU_CLOCK_CONTROL: '1',
  });
  const s = site.services;
  await seedDemo(s.org, s.calendar, s.documents, () => {}, {
    workfiles: s.workfiles,
    procedures: s.procedures,
  });
  const counter = await apiSession(site.baseUrl, 'motcua.xtl', DEMO_PASSWORD);
  const civil = await apiSession(site.baseUrl, 'hotich.xtl', DEMO_PASSWORD);
  const withdrawn = await receive(counter, '1.001193', 'Lò Văn Rút', '014090001241');
  await counter.post(`/api/dossiers/${withdrawn.id}/withdraw`, { reason: 'Công dân xin rút hồ sơ' });
  const paused = await receive(counter, '1.001193', 'Lò Thị Bổ Sung', '014190001242');
  await counter.post(`/api/dossiers/${paused.id}/steps/${paused.currentStepId}/complete`, {});
  await civil.post(`/api/dossiers/${paused.id}/supplement-request`, {
    reason: 'Giấy chứng sinh bị mờ',
    items: ['Giấy chứng sinh (bản chính)'],
  });
  await receive(counter, '1.001193', 'Lò Văn Chờ', '014090001243');
  const chain = await receive(counter, '1.010813', 'Lò Thị Liên Thông', '014190001244');
  await counter.post(`/api/dossiers/${chain.id}/steps/${chain.currentStepId}/complete`, {});
  // Late in May: the two dossiers still in progress are past due.
  const admin = await apiSession(site.baseUrl, 'quantri', DEMO_PASSWORD);
  await admin.post('/api/dev/clock', { at: '2026-05-29T08:00:00+07:00' });
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
  await context?.close();
});

async function as(username: string): Promise<Page> {
  context = await newContext(browser, site.baseUrl);
  page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('menuitem', { name: 'Tra cứu văn bản' }).waitFor();
  return page;
}

const pct = (x: number) => `${(x * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %`;
const rate = (r: Row) => {
  const good = r.in_progress_on_time + r.done_on_time;
  const all = good + r.in_progress_late + r.done_late;
  return all === 0 ? '—' : pct(good / all);
};

/** The table's row of `key` shows exactly the API's figures. */
async function expectRow(p: Page, r: Row) {
  const tr = p.locator(`main tr[data-row-key="${r.key ?? '-'}"]`);
  await tr.waitFor();
  for (const c of COUNTS)
    expect(await tr.locator(`td[data-col="${c}"]`).innerText(), `${r.name} ${c}`).toBe(String(r[c]));
  expect(await tr.locator('td[data-col="rate"]').innerText()).toBe(rate(r));
  if (r.name) expect(await tr.locator('td[data-col="name"]').innerText()).toContain(r.name);
}

describe('supervisor dashboard', () => {
  it('the commune chairman reads May by agency, procedure and officer as the API counts it, and opens a row', async () => {
    const p = await as('ct.xtl');
    await p.getByRole('menuitem', { name: 'Giám sát, đánh giá' }).click();
    await p.getByRole('heading', { name: 'Giám sát, đánh giá giải quyết hồ sơ' }).waitFor();
    // The period is chosen in the picker as a user types it (dd/MM/yyyy).
    const inputs = p.locator('main .ant-picker-range input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill('01/05/2026');
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill('31/05/2026');
    await inputs.nth(1).press('Enter');
    await p.waitForURL((u) => u.searchParams.get('from') === FROM && u.searchParams.get('to') === TO, {
      waitUntil: 'commit',
    });

    const api = async (by: string) => {
      const res = await p.request.get(`/api/dossiers/stats/dashboard?from=${FROM}&to=${TO}&by=${by}`);
      expect(res.status()).toBe(200);
      return ((await res.json()) as { rows: Row[] }).rows;
    };

    // By agency: the commune alone (its chairman supervises it), with what was done above.
    const agencies = await api('agency');
    expect(agencies).toHaveLength(1);
    expect(agencies[0]).toMatchObject({
      name: 'Ủy ban nhân dân xã Tân Lập',
      total: 4,
      withdrawn: 1,
      paused: 1,
      in_progress_late: 2,
      in_progress_on_time: 0,
    });
    await expectRow(p, agencies[0]!);
    // No agency filter for one agency.
    expect(await p.getByLabel('Cơ quan tiếp nhận').count()).toBe(0);

    await p.locator('main .ant-segmented').getByText('Thủ tục', { exact: true }).click();
    await p.waitForURL((u) => u.searchParams.get('by') === 'procedure', { waitUntil: 'commit' });
    const procedures = await api('procedure');
    expect(procedures.map((r) => [r.key, r.total])).toEqual(
      expect.arrayContaining([
        ['1.001193', 3],
        ['1.010813', 1],
      ]),
    );
    for (const r of procedures) await expectRow(p, r);

    await p.locator('main .ant-segmented').getByText('Cán bộ', { exact: true }).click();
    await p.waitForURL((u) => u.searchParams.get('by') === 'official', { waitUntil: 'commit' });
    const officials = await api('official');
    expect(officials.length).toBeGreaterThanOrEqual(1);
    expect(officials.reduce((n, r) => n + r.total, 0)).toBe(4);
    for (const r of officials) await expectRow(p, r);
    // Names in Vietnamese order.
    const names = await p.locator('main tr.ant-table-row td[data-col="name"]').allInnerTexts();
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));

    // A procedure's row opens its dossiers of the period; back returns to the same grouping.
    await p.locator('main .ant-segmented').getByText('Thủ tục', { exact: true }).click();
    await p.locator('main tr[data-row-key="1.001193"]').click();
    await p.waitForURL(
      // (the router writes a string that reads as a number JSON-quoted: procedureCode="1.001193")
      (u) =>
        u.pathname === '/mot-cua/ho-so' && (u.searchParams.get('procedureCode') ?? '').includes('1.001193'),
      { waitUntil: 'commit' },
    );
    await p.getByTestId('list-filter').waitFor();
    expect(await p.getByTestId('list-filter').innerText()).toContain('01/05/2026 – 31/05/2026');
    await p.getByText('Lò Văn Chờ').waitFor();
    const listed = await p.locator('main tr.ant-table-row').allInnerTexts();
    expect(listed).toHaveLength(3);
    expect(listed.join('\n')).not.toContain('Lò Thị Liên Thông');
    await p.goBack();
    await p.locator('main tr[data-row-key="1.010813"]').waitFor();
  });
});
