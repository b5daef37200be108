import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dvcqgAccepted, dvcqgDate } from '../src/modules/dossiers/dvcqg.ts';
import { setupApp, type TestApp } from './helpers.ts';
import {
  insertComponent,
  insertDossier,
  insertEvent,
  insertFee,
  insertPause,
  insertProcedure,
  insertResult,
  insertStep,
  updateDossier,
} from './support/onestop-factory.ts';

/** A local stand-in for the national portal: records each request, answers from a script. */
interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}
const received: Received[] = [];
const script: Array<{ status: number; body: string }> = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    const next = script.shift() ?? { status: 200, body: '{"error_code":0,"result":"ok"}' };
    res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
  });
});

let t: TestApp;
let off: TestApp;
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const { port } = receiver.address() as AddressInfo;
  t = await setupApp({
    CONGVU_DVCQG_URL: `http://127.0.0.1:${port}/dvcqg`,
    CONGVU_DVCQG_TOKEN: 'ma-truy-cap-thu',
    CONGVU_PUBLIC_URL: 'https://motcua.example.vn',
    // The dispatcher's own loop stays idle: the test runs the outbox itself.
    CONGVU_OUTBOX_POLL_MS: '60000',
  });
  off = await setupApp({ CONGVU_OUTBOX_POLL_MS: '60000' });
});
afterAll(async () => {
  await t?.close();
  await off?.close();
  await new Promise((r) => receiver.close(r));
});

/** A received dossier of a procedure with a sector, at an agency. */
async function dossier(app: TestApp) {
  const a = await app.f.agency({ name: 'UBND xã Tân Phú' });
  const p = await insertProcedure(app.db, {
    code: `1.00${Math.floor(Math.random() * 9000) + 1000}`,
    name: 'Đăng ký khai sinh',
    sectorCode: 'HT',
    agencyIds: [a.id],
  });
  const d = await insertDossier(app.db, {
    agencyId: a.id,
    agencyCode: a.code,
    procedureId: p.id,
    caseId: p.caseIds[0]!,
    state: 'processing',
    applicantName: 'Trần Thị Bình',
    applicantIdNo: '001190000123',
    receivedAt: new Date('2026-04-24T16:30:00+07:00'),
    dueAt: new Date('2026-05-05T16:30:00+07:00'),
  });
  return { agency: a, procedure: p, dossier: d };
}

async function queue(app: TestApp, dossierId: string, eventId: string) {
  await app.db.transaction().execute((trx) => app.services.dvcqg.onDossierEvent(trx, { dossierId, eventId }));
}

const makeDue = (app: TestApp, eventId: string) =>
  sql`UPDATE outbox SET next_attempt_at = now() WHERE dedupe_key = ${`dvcqg:${eventId}`}`.execute(app.db);

const logOf = (app: TestApp, eventId: string) =>
  app.db
    .selectFrom('dvcqg_sync_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('service')
    .execute();

const DONG_BO_FIELDS = [
  'MaHoSo',
  'MaTTHC',
  'TenTTHC',
  'MaLinhVuc',
  'TenLinhVuc',
  'SoBienNhan',
  'ChuHoSo',
  'LoaiDoiTuong',
  'MaDoiTuong',
  'ThongTinKhac',
  'Email',
  'Fax',
  'SoDienThoai',
  'TrichYeuHoSo',
  'NgayTiepNhan',
  'NgayHenTra',
  'TrangThaiHoSo',
  'NgayTra',
  'ThongTinTra',
  'HinhThuc',
  'NgayKetThucXuLy',
  'DonViXuLy',
  'GhiChu',
  'TaiLieuNop',
  'DanhSachLePhi',
  'DanhSachTepDinhKemKhac',
  'DanhSachHoSoBoSung',
  'DanhSachGiayToKetQua',
];
const DATE = /^\d{14}$/;

describe('national portal payloads (pure)', () => {
  it('dates are yyyyMMddHHmmss in Asia/Ho_Chi_Minh; absent dates are empty', () => {
    expect(dvcqgDate(new Date('2026-04-24T09:30:05Z'))).toBe('20260424163005');
    expect(dvcqgDate(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000');
    expect(dvcqgDate(null)).toBe('');
  });
  it('success is HTTP 200 with error_code 0; everything else is a failure', () => {
    expect(dvcqgAccepted(200, '{"error_code":0}')).toEqual({ ok: true });
    expect(dvcqgAccepted(200, '{"error_code":"00"}')).toEqual({ ok: true });
    expect(dvcqgAccepted(500, '{"error_code":0}')).toEqual({ ok: false, reason: 'HTTP 500' });
    expect(dvcqgAccepted(200, '{"error_code":1}')).toEqual({ ok: false, reason: 'error_code 1' });
    expect(dvcqgAccepted(200, '<html>')).toMatchObject({ ok: false });
    expect(dvcqgAccepted(200, '{}')).toMatchObject({ ok: false, reason: 'thiếu error_code' });
  });
});

describe('national portal sync', () => {
  it('sends DongBoHoSoMC with every documented field, once, then updates and step progress', async () => {
    const { agency, procedure, dossier: d } = await dossier(t);
    const dep = await t.f.department(agency.id, 'Bộ phận Tư pháp - Hộ tịch');
    const officer = await t.f.official({ fullName: 'Lê Văn Cán', departmentId: dep.id });
    await updateDossier(t.db, d.id, {
      applicant_email: 'binh@example.vn',
      applicant_phone: '0912345678',
      applicant_address: 'Thôn 2, xã Tân Phú',
      summary: 'Đăng ký khai sinh cho con',
      representative: JSON.stringify({ name: 'Trần Văn An' }),
      delivery_method: 'post',
      delivery_note: 'Trả qua bưu chính',
    });
    const spec = await t.db
      .selectFrom('procedure_components')
      .select('id')
      .where('case_id', '=', procedure.caseIds[0]!)
      .executeTakeFirstOrThrow();
    await t.db.updateTable('procedure_components').set({ code: 'TP01' }).where('id', '=', spec.id).execute();
    const c1 = await insertComponent(t.db, d.id, {
      name: 'Tờ khai đăng ký khai sinh',
      specId: spec.id,
      originals: 1,
      blob: 'a'.repeat(64),
    });
    await insertComponent(t.db, d.id, { name: 'Giấy chứng sinh', originals: 1, copies: 2 });
    await insertFee(t.db, d.id, {
      name: 'Lệ phí hộ tịch',
      code: 'LP01',
      kind: 'charge',
      amount: 8000,
      whenPaid: 'before',
    });
    await insertFee(t.db, d.id, {
      name: 'Phí sao bản trích lục',
      kind: 'fee',
      amount: 3000,
      whenPaid: 'after',
    });
    const pause = await insertPause(t.db, d.id, {
      reason: 'Thiếu giấy tờ',
      items: ['Giấy chứng nhận kết hôn'],
      requestedAt: new Date('2026-04-27T09:00:00+07:00'),
      requestedBy: officer.id,
      resumedAt: new Date('2026-04-28T10:00:00+07:00'),
      dueBefore: new Date('2026-05-05T16:30:00+07:00'),
      dueAfter: new Date('2026-05-06T17:30:00+07:00'),
    });
    await insertComponent(t.db, d.id, { name: 'Giấy chứng nhận kết hôn', certified: 1, pauseId: pause.id });
    const r1 = await insertResult(t.db, d.id, { name: 'Giấy khai sinh', code: 'KQ01', blob: 'b'.repeat(64) });

    const e1 = await insertEvent(t.db, d.id, { kind: 'received', state: 'processing' });
    await queue(t, d.id, e1.id);
    await queue(t, d.id, e1.id); // a redelivered event queues once
    const before = received.length;
    expect(await t.services.outbox.runOnce()).toBe(1);
    expect(received.length - before).toBe(1);
    const { headers, body } = received.at(-1)!;
    expect(headers.authorization).toBe('Bearer ma-truy-cap-thu');
    expect(headers['content-type']).toBe('application/json');
    expect(body.service).toBe('DongBoHoSoMC');
    expect(body.isUpdating).toBe('False');
    const data = body.data as Record<string, unknown>[];
    expect(data).toHaveLength(1);
    const rec = data[0]!;
    expect(Object.keys(rec).sort()).toEqual([...DONG_BO_FIELDS].sort());
    for (const k of DONG_BO_FIELDS)
      if (!k.startsWith('TaiLieu') && !k.startsWith('DanhSach')) expect(typeof rec[k], k).toBe('string');
    const row = await t.db
      .selectFrom('dossiers')
      .select(['code', 'portal_status'])
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(rec).toMatchObject({
      MaHoSo: row.code,
      MaTTHC: procedure.code,
      TenTTHC: 'Đăng ký khai sinh',
      MaLinhVuc: 'HT',
      TenLinhVuc: 'Lĩnh vực HT',
      SoBienNhan: row.code,
      ChuHoSo: 'Trần Thị Bình',
      LoaiDoiTuong: '1',
      MaDoiTuong: '001190000123',
      ThongTinKhac: 'Địa chỉ: Thôn 2, xã Tân Phú; Người nộp: Trần Văn An',
      Email: 'binh@example.vn',
      Fax: '',
      SoDienThoai: '0912345678',
      TrichYeuHoSo: 'Đăng ký khai sinh cho con',
      NgayTiepNhan: '20260424163000',
      NgayHenTra: '20260505163000',
      TrangThaiHoSo: '4',
      NgayTra: '',
      ThongTinTra: 'Trả qua bưu chính',
      HinhThuc: '1',
      NgayKetThucXuLy: '',
      DonViXuLy: 'UBND xã Tân Phú',
      GhiChu: '',
    });
    expect(rec.NgayTiepNhan).toMatch(DATE);
    expect(rec.TaiLieuNop).toEqual([
      {
        TepDinhKemId: c1.id,
        TenTepDinhKem: 'Tờ khai đăng ký khai sinh',
        IsDeleted: 'False',
        MaThanhPhanHoSo: 'TP01',
        DuongDanTaiTepTin: `https://motcua.example.vn/api/files/${'a'.repeat(64)}`,
      },
    ]);
    expect(rec.DanhSachLePhi).toEqual([
      { TenPhiLePhi: 'Lệ phí hộ tịch', MaPhiLePhi: 'LP01', HinhThucThu: '1', Gia: '8000', LoaiPhiLePhi: '2' },
      {
        TenPhiLePhi: 'Phí sao bản trích lục',
        MaPhiLePhi: '',
        HinhThucThu: '2',
        Gia: '3000',
        LoaiPhiLePhi: '1',
      },
    ]);
    expect(rec.DanhSachTepDinhKemKhac).toEqual([
      { TenGiayTo: 'Tờ khai đăng ký khai sinh', SoLuong: '1', LoaiGiayTo: '1' },
      { TenGiayTo: 'Giấy chứng sinh', SoLuong: '1', LoaiGiayTo: '1' },
      { TenGiayTo: 'Giấy chứng sinh', SoLuong: '2', LoaiGiayTo: '3' },
    ]);
    expect(rec.DanhSachHoSoBoSung).toEqual([
      {
        HoSoBoSungId: pause.id,
        NguoiYeuCauBoSung: 'Lê Văn Cán',
        NoiDungBoSung: 'Thiếu giấy tờ; Giấy chứng nhận kết hôn',
        NgayBoSung: '20260427090000',
        NguoiTiepNhanBoSung: '',
        ThongTinTiepNhan: 'Giấy chứng nhận kết hôn',
        NgayTiepNhanBoSung: '20260428100000',
        TrangThaiBoSung: '1',
        DanhSachGiayToBoSung: [{ TenGiayTo: 'Giấy chứng nhận kết hôn' }],
        DanhSachLePhiBoSung: [],
        NgayHenTraTruoc: '20260505163000',
        NgayHenTraMoi: '20260506173000',
      },
    ]);
    expect(rec.DanhSachGiayToKetQua).toEqual([
      {
        TenGiayTo: 'Giấy khai sinh',
        MaThanhPhanHoSo: 'KQ01',
        GiayToId: r1.id,
        DuongDanTepTinKetQua: `https://motcua.example.vn/api/files/${'b'.repeat(64)}`,
      },
    ]);
    expect(await logOf(t, e1.id)).toMatchObject([
      { service: 'DongBoHoSoMC', state: 'sent', attempts: 1, http_status: 200, is_updating: false },
    ]);
    // Nothing is sent twice.
    expect(await t.services.outbox.runOnce()).toBe(0);
    expect(received.length - before).toBe(1);

    // A step event: the snapshot again (isUpdating True) and the progress line.
    const step = await insertStep(t.db, d.id, {
      ordinal: 2,
      name: 'Thẩm định hồ sơ',
      agencyId: agency.id,
      departmentId: dep.id,
      officialId: officer.id,
      startedAt: new Date('2026-04-27T08:00:00+07:00'),
      dueAt: new Date('2026-04-29T17:00:00+07:00'),
    });
    await t.db
      .updateTable('dossiers')
      .set({ state: 'done', portal_status: 9, finished_at: new Date('2026-04-29T10:15:00+07:00') })
      .where('id', '=', d.id)
      .execute();
    const e2 = await insertEvent(t.db, d.id, {
      kind: 'step_finished',
      state: 'done',
      at: new Date('2026-04-29T10:15:00+07:00'),
      actorId: officer.id,
      note: 'Đủ điều kiện',
      data: { stepId: step.id },
    });
    await queue(t, d.id, e2.id);
    expect(await t.services.outbox.runOnce()).toBe(1);
    expect(received.length - before).toBe(3);
    const [snap, progress] = received.slice(-2).map((r) => r.body);
    expect(snap).toMatchObject({ service: 'DongBoHoSoMC', isUpdating: 'True' });
    expect((snap!.data as Record<string, unknown>[])[0]).toMatchObject({
      TrangThaiHoSo: '9',
      NgayKetThucXuLy: '20260429101500',
    });
    expect(progress).toEqual({
      service: 'CapNhatTienDoHoSoMC',
      data: [
        {
          MaHoSo: row.code,
          NguoiXuLy: 'Lê Văn Cán',
          ChucDanh: '',
          ThoiDiemXuLy: '20260429101500',
          PhongBanXuLy: 'Bộ phận Tư pháp - Hộ tịch - UBND xã Tân Phú',
          NoiDungXuLy: 'Thẩm định hồ sơ: Đủ điều kiện',
          TrangThai: '9',
          NgayBatDau: '20260427080000',
          NgayKetThucTheoQuyDinh: '20260429170000',
        },
      ],
    });
    expect(await logOf(t, e2.id)).toMatchObject([
      { service: 'CapNhatTienDoHoSoMC', state: 'sent', attempts: 1 },
      { service: 'DongBoHoSoMC', state: 'sent', attempts: 1, is_updating: true },
    ]);
  });

  it('retries on HTTP 500 and on error_code ≠ 0 with the outbox backoff, and sends once in the end', async () => {
    const { dossier: d } = await dossier(t);
    const e = await insertEvent(t.db, d.id, { kind: 'received', state: 'processing' });
    await queue(t, d.id, e.id);
    script.push(
      { status: 500, body: 'lỗi máy chủ' },
      { status: 200, body: '{"error_code":1,"message":"Sai"}' },
    );
    const before = received.length;

    expect(await t.services.outbox.runOnce()).toBe(1);
    expect(await logOf(t, e.id)).toMatchObject([
      { state: 'failed', attempts: 1, http_status: 500, error: 'HTTP 500', response: 'lỗi máy chủ' },
    ]);
    expect(await t.services.outbox.runOnce()).toBe(0); // waiting for the backoff

    await makeDue(t, e.id);
    expect(await t.services.outbox.runOnce()).toBe(1);
    expect(await logOf(t, e.id)).toMatchObject([
      { state: 'failed', attempts: 2, http_status: 200, error: 'error_code 1' },
    ]);

    await makeDue(t, e.id);
    expect(await t.services.outbox.runOnce()).toBe(1);
    expect(await logOf(t, e.id)).toMatchObject([{ state: 'sent', attempts: 3, error: null }]);
    expect(received.length - before).toBe(3);
    const ob = await t.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('dedupe_key', '=', `dvcqg:${e.id}`)
      .executeTakeFirstOrThrow();
    expect(ob).toEqual({ status: 'sent', attempts: 2 });

    // The admin sees it; a sent message is not retried.
    const admin = (await t.f.session(['admin'])).cookie;
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/dvcqg/sync-log?dossierId=${d.id}`,
      headers: { cookie: admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ state: 'sent', attempts: 3, service: 'DongBoHoSoMC' }],
    });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/dvcqg/sync-log/${list.json().items[0].id}/retry`,
      headers: { cookie: admin },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DVCQG_SYNC_NOT_RETRYABLE');
  });

  it('without CONGVU_DVCQG_URL each message is logged as disabled, visibly; a retry queues it again, audited', async () => {
    const { dossier: d } = await dossier(off);
    const e = await insertEvent(off.db, d.id, { kind: 'received', state: 'processing' });
    await queue(off, d.id, e.id);
    const before = received.length;
    expect(await off.services.outbox.runOnce()).toBe(1);
    expect(received.length).toBe(before);
    expect(await logOf(off, e.id)).toMatchObject([
      { state: 'disabled', attempts: 0, error: 'CONGVU_DVCQG_URL chưa được cấu hình' },
    ]);
    const ob = await off.db
      .selectFrom('outbox')
      .select('status')
      .where('dedupe_key', '=', `dvcqg:${e.id}`)
      .executeTakeFirstOrThrow();
    expect(ob.status).toBe('skipped');

    const admin = (await off.f.session(['admin'])).cookie;
    const list = await off.app.inject({
      method: 'GET',
      url: '/api/dvcqg/sync-log?state=disabled',
      headers: { cookie: admin },
    });
    expect(list.json()).toMatchObject({ total: 1, items: [{ dossierId: d.id, state: 'disabled' }] });
    const id = list.json().items[0].id;
    const retry = await off.app.inject({
      method: 'POST',
      url: `/api/dvcqg/sync-log/${id}/retry`,
      headers: { cookie: admin },
    });
    expect(retry.statusCode).toBe(202);
    const queued = await off.db
      .selectFrom('outbox')
      .select('status')
      .where('dedupe_key', 'like', `dvcqg:${e.id}:retry:%`)
      .execute();
    expect(queued).toEqual([{ status: 'pending' }]);
    const audit = await off.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'dvcqg.retry')
      .execute();
    expect(audit).toEqual([{ action: 'dvcqg.retry', entity_id: id }]);
    const missing = await off.app.inject({
      method: 'POST',
      url: `/api/dvcqg/sync-log/${e.id}/retry`,
      headers: { cookie: admin },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('DVCQG_SYNC_NOT_FOUND');
  });

  it('the sync log and retry are denied to officials without exchange.manage', async () => {
    for (const role of ['specialist', 'counter', 'leader'] as const) {
      const { cookie } = await t.f.session([role]);
      const list = await t.app.inject({ method: 'GET', url: '/api/dvcqg/sync-log', headers: { cookie } });
      expect(list.statusCode, role).toBe(403);
      const retry = await t.app.inject({
        method: 'POST',
        url: '/api/dvcqg/sync-log/00000000-0000-7000-8000-000000000009/retry',
        headers: { cookie },
      });
      expect(retry.statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/dvcqg/sync-log' })).statusCode).toBe(401);
  });
});
