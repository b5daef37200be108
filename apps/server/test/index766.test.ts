import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvStream } from '../src/modules/dossiers/export.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertComponents, insertDossier, insertPause, insertProcedure } from './support/onestop-factory.ts';

/**
 * The QĐ 766 figures of a hand-built month (March 2025, agency A), computed by hand below; the
 * dashboard and the exports over the same rows. Times are local (+07:00) unless said otherwise.
 */
let t: TestApp;
let admin: string;
let A: { id: string; code: string };
let B: { id: string; code: string };
const ids: Record<string, string> = {};
const L = (s: string) => new Date(`${s}+07:00`);
const MARCH = 'from=2025-03-01&to=2025-03-31';

beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
  A = await t.f.agency({ code: 'H98.01', name: 'UBND xã Thử Nghiệm' });
  B = await t.f.agency({ code: 'H98.02', name: 'UBND xã Bên Cạnh' });
  // P1: partial, counter + online channel → online; P2: toàn trình, counter channel only → online;
  // P3: partial, counter only → not online. P4 is B's.
  const P1 = await insertProcedure(t.db, { agencyIds: [A.id], validFrom: '2025-01-01' });
  const P2 = await insertProcedure(t.db, {
    agencyIds: [A.id],
    validFrom: '2025-01-01',
    onlineLevel: 'full',
    cases: [{ channels: [{ channel: 1, durationValue: 5 }] }],
  });
  const P3 = await insertProcedure(t.db, {
    agencyIds: [A.id],
    validFrom: '2025-01-01',
    cases: [{ channels: [{ channel: 1, durationValue: 5 }] }],
  });
  const P4 = await insertProcedure(t.db, { agencyIds: [B.id], validFrom: '2025-01-01' });
  const at = (p: { id: string; caseIds: string[] }, a = A) => ({
    agencyId: a.id,
    agencyCode: a.code,
    procedureId: p.id,
    caseId: p.caseIds[0]!,
  });
  const d = async (
    name: string,
    spec: Parameters<typeof insertDossier>[1],
    components: Array<0 | 1 | 2 | 3> = [],
  ) => {
    const r = await insertDossier(t.db, { applicantName: `Nguyễn Thị ${name}`, ...spec });
    await insertComponents(t.db, r.id, components);
    ids[name] = r.id;
    return r;
  };
  // d1 done early, online, electronic result, fee paid online
  await d(
    'd1',
    {
      ...at(P1),
      channel: 2,
      state: 'done',
      receivedAt: L('2025-03-03T08:00:00'),
      dueAt: L('2025-03-10T17:00:00'),
      finishedAt: L('2025-03-07T10:00:00'),
      electronicResult: true,
      feeTotal: 50_000,
      paidOnline: true,
    },
    [1, 2],
  );
  // d2 finished on the due date (16:30 < 17:00 the same day), delivered next day, fee paid at the counter
  await d(
    'd2',
    {
      ...at(P3),
      state: 'delivered',
      receivedAt: L('2025-03-04T09:00:00'),
      dueAt: L('2025-03-11T17:00:00'),
      finishedAt: L('2025-03-11T16:30:00'),
      deliveredAt: L('2025-03-12T08:00:00'),
      deliveryMethod: 'counter',
      feeTotal: 20_000,
    },
    [1, 1],
  );
  // d3 late: finished 01:00 local on the 13th = 18:00 UTC on the 12th (a UTC date would call it on time)
  await d(
    'd3',
    {
      ...at(P3),
      state: 'done',
      receivedAt: L('2025-03-05T08:00:00'),
      dueAt: L('2025-03-12T17:00:00'),
      finishedAt: L('2025-03-13T01:00:00'),
    },
    [0, 1],
  );
  // d4 in progress, due after the period end → on time
  await d(
    'd4',
    {
      ...at(P1),
      channel: 2,
      state: 'processing',
      receivedAt: L('2025-03-20T10:00:00'),
      dueAt: L('2025-04-02T17:00:00'),
    },
    [3],
  );
  // d5 in progress, due before the period end → late
  await d('d5', {
    ...at(P3),
    state: 'processing',
    receivedAt: L('2025-03-06T10:00:00'),
    dueAt: L('2025-03-20T17:00:00'),
  });
  // d6 in progress, due on the period's last day → on time (due date ≥ period end)
  await d(
    'd6',
    {
      ...at(P2),
      channel: 2,
      state: 'processing',
      receivedAt: L('2025-03-21T10:00:00'),
      dueAt: L('2025-03-31T17:00:00'),
    },
    [1],
  );
  // d7 paused for a supplement, due moved to 05/4 → in progress on time
  const d7 = await d(
    'd7',
    {
      ...at(P1),
      state: 'supplement',
      receivedAt: L('2025-03-10T10:00:00'),
      dueAt: L('2025-04-05T17:00:00'),
      supplementRequested: true,
    },
    [0],
  );
  await insertPause(t.db, d7.id, { requestedAt: L('2025-03-12T09:00:00') });
  // d8 withdrawn by the applicant, online: counts as received and online, not in progress
  await d('d8', { ...at(P2), channel: 2, state: 'withdrawn', receivedAt: L('2025-03-08T10:00:00') }, [2]);
  // d9 refused: nowhere but the refused count
  await d('d9', { ...at(P3), state: 'refused', receivedAt: L('2025-03-09T10:00:00') }, [1, 1]);
  // d10 done early, online, delivered online with an electronic result, paid online
  await d(
    'd10',
    {
      ...at(P2),
      channel: 2,
      state: 'delivered',
      receivedAt: L('2025-03-12T10:00:00'),
      dueAt: L('2025-03-19T17:00:00'),
      finishedAt: L('2025-03-18T09:00:00'),
      deliveredAt: L('2025-03-18T10:00:00'),
      deliveryMethod: 'online',
      electronicResult: true,
      feeTotal: 30_000,
      paidOnline: true,
    },
    [1, 3],
  );
  // Boundaries of the period in local time: 28/2 23:30 is out; 31/3 23:30 (16:30 UTC) is in;
  // 01/4 00:30 (31/3 17:30 UTC) is out.
  await d('d11', { ...at(P3), state: 'processing', receivedAt: L('2025-02-28T23:30:00') });
  await d('d12', { ...at(P3), state: 'processing', receivedAt: L('2025-03-31T23:30:00') });
  await d('d13', { ...at(P3), state: 'processing', receivedAt: L('2025-04-01T00:30:00') });
  // d14 is B's (only in the province's figures)
  await d('d14', { ...at(P4, B), channel: 2, state: 'processing', receivedAt: L('2025-03-15T10:00:00') });
});
afterAll(async () => t?.close());

type Fig = {
  code: string;
  numerator: number | null;
  denominator: number | null;
  points: number | null;
  formula: string;
};
const byCode = (body: { figures: Fig[] }): Record<string, Fig> =>
  Object.fromEntries(body.figures.map((f) => [f.code, f]));

async function get(url: string, cookie = admin) {
  return t.app.inject({ method: 'GET', url, headers: { cookie } });
}

describe('QĐ 766 index', () => {
  it('computes every figure of agency A for March 2025 as by hand', async () => {
    const res = await get(`/api/dossiers/stats/index766?agencyId=${A.id}&${MARCH}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.periodEnd).toBe('2025-03-31');
    // received, not refused: d1 d2 d3 d4 d5 d6 d7 d8 d10 d12 = 10 (d9 refused; d11, d13 outside)
    expect(body.counts).toMatchObject({
      received: 10,
      online: 5, // d1 d4 d6 d8 d10
      progressBase: 9, // 10 − withdrawn d8
      inProgressOnTime: 4, // d4 (due 02/4), d6 (due 31/3 = end), d7 (paused), d12 (no due date)
      inProgressLate: 1, // d5
      doneEarly: 2, // d1, d10
      doneOnDueDate: 1, // d2
      doneLate: 1, // d3 (01:00 local on the 13th)
      withdrawn: 1,
      refused: 1,
      paused: 1,
      finished: 4, // d1 d2 d3 d10
      electronicResult: 2, // d1 d10
      digitised: 6, // d1 [1,2], d2 [1,1], d4 [3], d6 [1], d8 [2], d10 [1,3]
      components: 12, // 2+2+2+1+1+1+1+2
      reusedComponents: 4, // d1, d4, d8, d10 one each
      feeBearing: 3, // d1 d2 d10
      paidOnline: 2, // d1 d10
      procedures: 3,
      onlineProcedures: 2, // P1 (online channel), P2 (toàn trình)
      onlineProceduresUsed: 2, // P1 (d1, d4), P2 (d6, d8, d10)
      feeProcedures: 3, // P1 (d1), P3 (d2), P2 (d10)
      feeProceduresPaidOnline: 2, // P1, P2
    });
    const f = byCode(body);
    // (4 + 2 + 1) / 9 × 20 = 15.5556 → 15.56
    expect(f.progress).toMatchObject({ numerator: 7, denominator: 9, ratio: 0.7778, points: 15.56 });
    // 2 / 4 × 6 = 3
    expect(f.electronic_result).toMatchObject({ numerator: 2, denominator: 4, ratio: 0.5, points: 3 });
    // 6 / 10 = 60 % < 80 % → 4 × 0.8 = 3.2
    expect(f.digitised).toMatchObject({ numerator: 6, denominator: 10, ratio: 0.6, points: 3.2 });
    // 4 / 12 = 33 % < 80 % → 2 × 0.8 = 1.6
    expect(f.reuse).toMatchObject({ numerator: 4, denominator: 12, ratio: 0.3333, points: 1.6 });
    // 2 / 3 = 67 % < 80 % → 2 × 0.8 = 1.6
    expect(f.online_procedures).toMatchObject({ numerator: 2, denominator: 3, points: 1.6 });
    // 2 / 2 × 4 = 4
    expect(f.online_procedures_used).toMatchObject({ numerator: 2, denominator: 2, ratio: 1, points: 4 });
    // 5 / 10 = 50 % ≥ 50 % → 6
    expect(f.online_dossiers).toMatchObject({ numerator: 5, denominator: 10, ratio: 0.5, points: 6 });
    // 2 / 3 = 67 % ≥ 50 % → 2
    expect(f.online_payment_procedures).toMatchObject({ numerator: 2, denominator: 3, points: 2 });
    // 2 / 3 = 67 % ≥ 30 % → 6
    expect(f.online_payment_dossiers).toMatchObject({ numerator: 2, denominator: 3, points: 6 });
    expect(f.public_disclosure).toMatchObject({ points: 6, status: 'constant' });
    expect(f.portal_sync).toMatchObject({ points: 6, status: 'constant' });
    expect(f.payable_on_portal).toMatchObject({ points: 2, status: 'constant' });
    // no ratings yet: no number is invented (the portal's ratings feed it: portal-mine.test.ts)
    expect(f.satisfaction).toMatchObject({
      numerator: 0,
      denominator: 0,
      ratio: null,
      points: null,
      status: 'no_dossiers',
    });
    expect(body.figures.find((x: { code: string }) => x.code === 'satisfaction').formula).toContain(
      '9 × số phiếu đánh giá',
    );
    // 6+6+15.56+3+3.2+1.6+1.6+4+6+2+2+6 = 56.96 of 84 − 18 (satisfaction) = 66
    expect(body.total).toBe(56.96);
    expect(body.totalMax).toBe(66);
    expect(body.maxPoints).toBe(84);
    expect(f.progress!.formula).toMatch(/ngày hẹn trả/);
  });

  it('a new effective-dated threshold row changes the points from its first day on', async () => {
    await t.db
      .insertInto('service_index_rules')
      .values({
        code: 'online_dossiers',
        group_code: 'dvctt',
        group_label_vi: 'Dịch vụ công trực tuyến',
        ordinal: 9,
        label_vi: 'Hồ sơ nộp trực tuyến',
        label_en: 'Dossiers submitted online',
        points: 6,
        kind: 'threshold',
        threshold: 0.6,
        factor_below: 0.5,
        formula_vi: 'Đủ 6 điểm nếu ≥ 60%, dưới ngưỡng 6 × 0,5',
        formula_en: '6 if ≥ 60 %, else 6 × 0.5',
        valid_from: '2025-03-15',
      })
      .execute();
    try {
      // March: 5 / 10 = 50 % < 60 % (the rule in force on 31/3) → 6 × 0.5 = 3
      const march = byCode((await get(`/api/dossiers/stats/index766?agencyId=${A.id}&${MARCH}`)).json());
      expect(march.online_dossiers).toMatchObject({ numerator: 5, denominator: 10, points: 3 });
      expect((march.online_dossiers as unknown as { rule: { validFrom: string } }).rule.validFrom).toBe(
        '2025-03-15',
      );
      // A period ending before 15/3 keeps the 2022 row: 03/3–04/3 → d1 (online), d2 = 1 / 2 = 50 % ≥ 50 % → 6
      const early = (
        await get(`/api/dossiers/stats/index766?agencyId=${A.id}&from=2025-03-03&to=2025-03-04`)
      ).json();
      expect(byCode(early).online_dossiers).toMatchObject({ numerator: 1, denominator: 2, points: 6 });
      expect(early.figures.find((x: { code: string }) => x.code === 'online_dossiers').rule.validFrom).toBe(
        '2022-06-23',
      );
    } finally {
      await t.db.deleteFrom('service_index_rules').where('valid_from', '=', '2025-03-15').execute();
    }
  });

  it('the province (administrator, no agency) adds B', async () => {
    const body = (await get(`/api/dossiers/stats/index766?${MARCH}`)).json();
    // A's 10 + d14 = 11 received, 5 + 1 online; procedures P1..P4 (+ any published elsewhere: none)
    expect(body.counts).toMatchObject({ received: 11, online: 6, procedures: 4, refused: 1 });
  });

  it('a leader sees their agency only; another agency is refused with a stable code', async () => {
    const leaderB = (await t.f.session(['leader'], B.id)).cookie;
    const own = (await get(`/api/dossiers/stats/index766?${MARCH}`, leaderB)).json();
    expect(own.counts).toMatchObject({ received: 1, online: 1 });
    const other = await get(`/api/dossiers/stats/index766?agencyId=${A.id}&${MARCH}`, leaderB);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'STATS_AGENCY_FORBIDDEN' });
    expect(other.json().message).toMatch(/quyền/);
    const exp = await get(`/api/dossiers/export.csv?agencyId=${A.id}`, leaderB);
    expect(exp.statusCode).toBe(403);
    const specialist = (await t.f.session(['specialist'], A.id)).cookie;
    for (const url of [
      `/api/dossiers/stats/index766?${MARCH}`,
      `/api/dossiers/stats/dashboard?${MARCH}`,
      '/api/dossiers/export.csv',
      '/api/dossiers/export.xlsx',
    ]) {
      const r = await get(url, specialist);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN');
    }
  });

  it('rejects a reversed period with a Vietnamese message', async () => {
    const r = await get(`/api/dossiers/stats/index766?from=2025-03-31&to=2025-03-01`);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'STATS_PERIOD_INVALID' });
    expect(r.json().message).toMatch(/Kỳ thống kê/);
  });

  it('the public index answers without a session and carries no personal data', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/public/service-index?agencyCode=${A.code}&year=2025`,
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.agency).toEqual({ code: 'H98.01', name: 'UBND xã Thử Nghiệm' });
    expect(body.periodEnd).toBe('2025-12-31');
    // the year: March's 10 + d11 (28/2) + d13 (01/4) = 12; at 31/12 the open dossiers with a due date
    // (d4 d5 d6 d7) are late, those without one (d11 d12 d13) on time
    expect(body.counts).toMatchObject({ received: 12, inProgressOnTime: 3, inProgressLate: 4 });
    expect(r.body).not.toContain('Nguyễn');
    expect(r.body).not.toMatch(/\b0010900\d{5}\b/);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/public/service-index?agencyCode=H00.99&year=2025',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('AGENCY_NOT_FOUND');
  });
});

describe('component counts on the dossier (trigger of 0023)', () => {
  it('follow inserts, changes of digitisation and deletes', async () => {
    const counts = async (id: string) =>
      t.db
        .selectFrom('dossiers')
        .select(['components_total', 'components_digitised', 'components_reused'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    // d3 has [0, 1]
    expect(await counts(ids.d3!)).toEqual({
      components_total: 2,
      components_digitised: 1,
      components_reused: 0,
    });
    const [c] = await t.db
      .selectFrom('dossier_components')
      .select('id')
      .where('dossier_id', '=', ids.d3!)
      .where('digitised', '=', 0)
      .execute();
    await t.db.updateTable('dossier_components').set({ digitised: 2 }).where('id', '=', c!.id).execute();
    expect(await counts(ids.d3!)).toEqual({
      components_total: 2,
      components_digitised: 2,
      components_reused: 1,
    });
    await t.db.deleteFrom('dossier_components').where('id', '=', c!.id).execute();
    expect(await counts(ids.d3!)).toEqual({
      components_total: 1,
      components_digitised: 1,
      components_reused: 0,
    });
    // put d3 back as it was for the other tests
    await insertComponents(t.db, ids.d3!, [0]);
    expect(await counts(ids.d3!)).toEqual({
      components_total: 2,
      components_digitised: 1,
      components_reused: 0,
    });
  });
});

describe('dashboard', () => {
  it('counts by agency (lateness of open dossiers as of now)', async () => {
    const r = await get(`/api/dossiers/stats/dashboard?agencyId=${A.id}&${MARCH}&by=agency`);
    expect(r.statusCode, r.body).toBe(200);
    // 11 received at A in March incl. d9 refused; open d4 d5 d6 are past due today, d12 has no due date
    expect(r.json().rows).toEqual([
      {
        key: A.id,
        name: 'UBND xã Thử Nghiệm',
        code: 'H98.01',
        total: 11,
        in_progress_on_time: 1,
        in_progress_late: 3,
        paused: 1,
        done_on_time: 3,
        done_late: 1,
        withdrawn: 1,
        stopped: 0,
        refused: 1,
      },
    ]);
  });

  it('counts by procedure', async () => {
    const rows = (await get(`/api/dossiers/stats/dashboard?agencyId=${A.id}&${MARCH}&by=procedure`)).json()
      .rows;
    // P3: d2 d3 d5 d9 d12 = 5; P1: d1 d4 d7 = 3; P2: d6 d8 d10 = 3
    expect(rows.map((x: { total: number }) => x.total)).toEqual([5, 3, 3]);
    expect(rows[0]).toMatchObject({ done_on_time: 1, done_late: 1, in_progress_late: 1, refused: 1 });
  });

  it('judges open dossiers late against business time, not the clock of the database server', async () => {
    // On 25/03/2025 10:00 d5 (due 20/3) is late; d4 (due 02/4), d6 (due 31/3) and d12 (no due date) are not.
    t.clock.set(L('2025-03-25T10:00:00'));
    try {
      const r = await get(`/api/dossiers/stats/dashboard?agencyId=${A.id}&${MARCH}&by=agency`);
      expect(r.json().rows[0]).toMatchObject({ in_progress_on_time: 3, in_progress_late: 1, paused: 1 });
    } finally {
      t.clock.set(new Date());
    }
  });
});

describe('exports', () => {
  it('CSV: BOM, Vietnamese headers, one row per dossier, dates dd/MM/yyyy HH:mm local', async () => {
    const r = await get(`/api/dossiers/export.csv?agencyId=${A.id}&${MARCH}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = r.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(
      /^Mã hồ sơ,Cơ quan tiếp nhận,Mã TTHC,Tên thủ tục,Kênh nộp,Trạng thái,Chủ hồ sơ,/,
    );
    expect(lines).toHaveLength(1 + 11);
    const d3 = lines.find((l) => l.includes('Nguyễn Thị d3'))!;
    expect(d3).toContain('Đã xử lý xong');
    expect(d3).toContain(',05/03/2025 08:00,12/03/2025 17:00,13/03/2025 01:00,,Không,0,Không,Không');
    const d1 = lines.find((l) => l.includes('Nguyễn Thị d1'))!;
    expect(d1).toContain('Trực tuyến');
    expect(d1).toContain(',Có,50000,Có,Có');
    const done = await get(`/api/dossiers/export.csv?agencyId=${A.id}&${MARCH}&state=done`);
    expect(done.body.trimEnd().split('\r\n')).toHaveLength(1 + 2); // d1, d3
  });

  it('CSV in pages of 3: keyset pagination loses and repeats nothing', async () => {
    const stream = csvStream(t.services.dossierStats.exportPage, { agencies: [A.id] }, 3);
    let text = '';
    for await (const chunk of stream) text += chunk;
    const rows = text.trimEnd().split('\r\n').slice(1);
    // every dossier of A: 13 (d1–d13)
    expect(rows).toHaveLength(13);
    expect(new Set(rows.map((l) => l.split(',')[0])).size).toBe(13);
  });

  it('XLSX parses back with the same rows', async () => {
    const r = await get(`/api/dossiers/export.xlsx?agencyId=${A.id}&${MARCH}`);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Hồ sơ');
    expect(ws.rowCount).toBe(1 + 11);
    expect(ws.getRow(1).getCell(1).value).toBe('Mã hồ sơ');
    const names: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(7).value));
    });
    expect(names.sort()).toEqual(
      ['d1', 'd10', 'd12', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9']
        .map((x) => `Nguyễn Thị ${x}`)
        .sort(),
    );
    let d10: ExcelJS.Row | undefined;
    ws.eachRow((row) => {
      if (row.getCell(7).value === 'Nguyễn Thị d10') d10 = row;
    });
    expect(d10!.getCell(11).value).toBe('18/03/2025 10:00');
    expect(d10!.getCell(13).value).toBe(30000);
  });
});
