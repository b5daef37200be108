import type { Role } from '@congvu/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIERS_EVENT_TOPIC, dossierEventsHandler } from '../src/modules/dossiers/service.ts';
import type { AppError } from '../src/platform/errors.ts';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertProcedure } from './support/onestop-factory.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { signingKit } from './support/signing.ts';

/**
 * Module dossiers: reception, deadlines, the lifecycle, inter-agency hand-overs, apologies, the
 * data store, the public status, overdue lists and access. Timed scenarios call the service with
 * explicit instants (local times, +07:00); HTTP is used for routes and access.
 */
let t: TestApp;
let A: { id: string; code: string };
let B: { id: string; code: string };
let C: { id: string; code: string };
type Person = { id: string; cookie: string; auth: AuthContext; actor: { auth: AuthContext; ip: null } };
let counterA: Person;
let specA: Person;
let leaderA: Person;
let specB: Person;
let leaderB: Person;
let specC: Person;
let counterB: Person;

const vn = (s: string) => new Date(`${s}+07:00`);
const svc = () => t.services.dossiers;

async function person(roles: Role[], agencyId: string): Promise<Person> {
  const o = await t.f.official({ roles, agencyId });
  const grants = roles.map((role) => ({ role, agencyId }));
  const auth: AuthContext = {
    officialId: o.id,
    fullName: o.fullName,
    roles: grants,
    permissions: new Set(permissionsFor(grants)),
    actingFor: null,
    sessionId: null,
    tokenId: null,
  };
  return { id: o.id, cookie: await t.f.login(o.username), auth, actor: { auth, ip: null } };
}

const call = (p: Person | null, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: p ? { cookie: p.cookie } : {}, ...(payload && { payload }) });

let seqId = 0;
const cccd = () => `0010900${String(++seqId).padStart(5, '0')}`;

/** Default workflow: counter 4 h → specialist 8 h → leader 4 h → counter 4 h (return), all at the receiving agency. */
const WORKFLOW = [
  { name: 'Tiếp nhận hồ sơ', kind: 'receive' as const, role: 'counter', durationHours: 4 },
  { name: 'Thẩm định', kind: 'appraise' as const, role: 'specialist', durationHours: 8 },
  { name: 'Phê duyệt', kind: 'approve' as const, role: 'leader', durationHours: 4 },
  { name: 'Trả kết quả', kind: 'return' as const, role: 'counter', durationHours: 4 },
];

async function procedure(over: Parameters<typeof insertProcedure>[1] = {}) {
  const p = await insertProcedure(t.db, {
    agencyIds: [A.id],
    cases: [
      {
        channels: [
          { channel: 1, durationValue: 3 },
          { channel: 2, durationValue: 3 },
        ],
        components: [{ name: 'Tờ khai đăng ký khai sinh' }, { name: 'Giấy chứng sinh' }],
        workflow: WORKFLOW,
      },
    ],
    ...over,
  });
  return { id: p.id, code: p.code, caseId: p.caseIds[0] as string };
}

function receiveInput(p: { id: string; caseId: string }, over: Record<string, unknown> = {}) {
  return {
    procedureId: p.id,
    caseId: p.caseId,
    channel: 1 as const,
    applicant: { kind: 1 as const, name: 'Trần Thị Dân', idNo: cccd() },
    sets: 1,
    components: [{ name: 'Tờ khai đăng ký khai sinh', originals: 1, certified: 0, copies: 0 }],
    paidFees: [],
    ...over,
  };
}

beforeAll(async () => {
  t = await setupApp();
  A = await t.f.agency({ name: 'UBND xã Thử', kind: 'commune_committee' });
  B = await t.f.agency({ name: 'Công an xã Thử' });
  C = await t.f.agency({ name: 'Bảo hiểm xã hội khu vực' });
  counterA = await person(['counter'], A.id);
  specA = await person(['specialist'], A.id);
  leaderA = await person(['leader'], A.id);
  specB = await person(['specialist'], B.id);
  leaderB = await person(['leader'], B.id);
  counterB = await person(['counter'], B.id);
  specC = await person(['specialist'], C.id);
});
afterAll(async () => t?.close());

describe('reception and due date', () => {
  it('Friday 24/04/2026 16:30 before Giỗ Tổ: clock from Tue 28/04 07:00, due Mon 04/05 17:00', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-04-24T16:30:00'));
    // After the 15:00 cut-off; Sat 25, Sun 26 (Giỗ Tổ) and Mon 27 (made up) are off → Tue 28/04 07:00.
    expect(d.clockStartAt).toBe(vn('2026-04-28T07:00:00').toISOString());
    // 3 working days = 24 h: Tue 28 (8 h), Wed 29 (8 h), Thu 30/4 and Fri 1/5 holidays, weekend,
    // Mon 04/05 07:00–17:00 (8 h) → Mon 04/05/2026 17:00.
    expect(d.originalDueAt).toBe(vn('2026-05-04T17:00:00').toISOString());
    expect(d.dueAt).toBe(d.originalDueAt);
    expect(d.code).toMatch(new RegExp(`^${A.code.replaceAll('.', '\\.')}-260424-\\d{4}$`));
    expect(d.state).toBe('received');
    expect(d.status).toEqual({ portalStatus: 2, label: 'Được tiếp nhận', labelEn: 'Received' });
    expect(d.receivedById).toBe(counterA.id);
    // Steps copied; the first started with the clock, 4 working hours → Tue 28/04 11:00.
    // (The view answered is as of the receipt: the first step is running.)
    expect(d.steps.map((s) => [s.name, s.timing])).toEqual([
      ['Tiếp nhận hồ sơ', 'running'],
      ['Thẩm định', 'pending'],
      ['Phê duyệt', 'pending'],
      ['Trả kết quả', 'pending'],
    ]);
    expect(d.steps[0]?.dueAt).toBe(vn('2026-04-28T11:00:00').toISOString());
    expect(d.events.map((e) => [e.kind, e.portalStatus])).toEqual([
      ['submitted', 1],
      ['received', 2],
    ]);
    const outbox = await t.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', DOSSIERS_EVENT_TOPIC)
      .execute();
    expect(outbox.filter((o) => (o.payload as { dossierId: string }).dossierId === d.id)).toHaveLength(2);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', d.id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['dossiers.submitted', 'dossiers.received']);
  });

  it('at 10:00 on a normal Tuesday: the clock starts at receipt, due Fri 15/05 10:00', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T10:00:00'));
    expect(d.clockStartAt).toBe(vn('2026-05-12T10:00:00').toISOString());
    // 5 h Tue (10:00–11:30, 13:30–17:00), 8 Wed, 8 Thu, 3 Fri → Fri 15/05 10:00.
    expect(d.dueAt).toBe(vn('2026-05-15T10:00:00').toISOString());
  });

  it('an agency’s own cut-off in force wins over the default', async () => {
    await t.db
      .insertInto('one_stop_settings')
      .values({
        id: '00000000-0000-7000-8000-0000000000b1',
        agency_id: B.id,
        cutoff: '16:30',
        valid_from: '2026-01-01',
      })
      .execute();
    const p = await procedure({ agencyIds: [B.id] });
    const d = await svc().receive(counterB.actor, receiveInput(p) as never, vn('2026-05-12T16:00:00'));
    expect(d.clockStartAt).toBe(vn('2026-05-12T16:00:00').toISOString());
  });

  it('calendar days: 10 days from Wed 06/05 lands on Sat 16/05 → Mon 18/05 17:00', async () => {
    const p = await procedure({
      cases: [
        { channels: [{ channel: 1, durationValue: 10, durationUnit: 'calendar_days' }], workflow: WORKFLOW },
      ],
    });
    const d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-06T09:00:00'));
    expect(d.durationUnit).toBe('calendar_days');
    expect(d.dueAt).toBe(vn('2026-05-18T17:00:00').toISOString());
  });

  it('the same idempotency key gives the same dossier back; another request under it is refused', async () => {
    const p = await procedure();
    const input = receiveInput(p, { idempotencyKey: 'quay-1-lan-nhan-42' });
    const [a, b] = await Promise.all([
      svc().receive(counterA.actor, input as never, vn('2026-05-12T09:00:00')),
      svc().receive(counterA.actor, input as never, vn('2026-05-12T09:00:00')),
    ]);
    expect(a.id).toBe(b.id);
    const other = receiveInput(p, { idempotencyKey: 'quay-1-lan-nhan-42' });
    await expect(svc().receive(counterA.actor, other as never)).rejects.toMatchObject({
      code: 'DOSSIER_IDEMPOTENCY_CONFLICT',
    });
  });

  it('refuses a procedure not offered at the agency and an unknown fee', async () => {
    const p = await procedure({ agencyIds: [B.id] });
    await expect(svc().receive(counterA.actor, receiveInput(p) as never)).rejects.toMatchObject({
      code: 'DOSSIER_PROCEDURE_INVALID',
    });
    const q = await procedure();
    await expect(
      svc().receive(counterA.actor, receiveInput(q, { paidFees: [{ ordinal: 3, online: false }] }) as never),
    ).rejects.toMatchObject({ code: 'DOSSIER_FEE_INVALID' });
  });

  it('over HTTP: CCCD validated, fees computed from the catalogue, 201 with the view', async () => {
    const p = await procedure({
      cases: [
        {
          channels: [
            {
              channel: 1,
              durationValue: 3,
              fees: [
                { name: 'Lệ phí đăng ký', kind: 'charge', amount: 8000, when: 'before' },
                { name: 'Phí bản sao', kind: 'fee', amount: 3000, when: 'after' },
                { name: 'Miễn', kind: 'charge', amount: 0, when: 'exempt' },
              ],
            },
          ],
          workflow: WORKFLOW,
        },
      ],
    });
    const bad = await call(counterA, 'POST', '/api/dossiers', {
      ...receiveInput(p),
      applicant: { kind: 1, name: 'Lê Văn Sai', idNo: '12345' },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().details)).toContain('12 chữ số');
    const res = await call(counterA, 'POST', '/api/dossiers', {
      ...receiveInput(p),
      paidFees: [{ ordinal: 0, receiptNo: 'BL-0001' }],
    });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d.feeTotal).toBe(11000);
    expect(
      d.fees.map((f: { name: string; paidAt: string | null; receiptNo: string | null }) => [
        f.name,
        f.paidAt !== null,
        f.receiptNo,
      ]),
    ).toEqual([
      ['Lệ phí đăng ký', true, 'BL-0001'],
      ['Phí bản sao', false, null],
      ['Miễn', false, null],
    ]);
    const view = await call(specA, 'GET', `/api/dossiers/${d.id}`);
    expect(view.statusCode).toBe(200);
    // An official of another agency does not see it (not found, so existence does not leak).
    expect((await call(specB, 'GET', `/api/dossiers/${d.id}`)).statusCode).toBe(404);
    // A specialist may not receive.
    expect((await call(specA, 'POST', '/api/dossiers', receiveInput(p))).statusCode).toBe(403);
  });
});

describe('lifecycle', () => {
  it('steps, one supplement (second → error), the due date moved by the pause, apology, done, delivered online', async () => {
    const p = await procedure();
    // Tue 12/05 09:00 → 24 working hours: 6 h Tue, 8 Wed, 8 Thu, 2 Fri → due Fri 15/05 09:00.
    let d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T09:00:00'));
    expect(d.dueAt).toBe(vn('2026-05-15T09:00:00').toISOString());
    const publicOf = () => svc().publicStatus(d.code, d.lookupSecret, vn('2026-05-12T09:00:00'));
    expect((await publicOf()).portalStatus).toBe(2);
    const [s1, s2, s3, s4] = d.steps.map((s) => s.id) as [string, string, string, string];

    // Only the current step, by its role.
    await expect(
      svc().completeStep(specA.actor, d.id, s1, {}, vn('2026-05-12T10:00:00')),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      svc().completeStep(counterA.actor, d.id, s2, {}, vn('2026-05-12T10:00:00')),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    d = await svc().completeStep(
      counterA.actor,
      d.id,
      s1,
      { note: 'Đủ thành phần' },
      vn('2026-05-12T10:00:00'),
    );
    expect(d.state).toBe('processing');
    expect(d.status.portalStatus).toBe(4);
    expect((await publicOf()).label).toBe('Đang xử lý');
    // Step 2 from 10:00, 8 h: 1.5 h + 3.5 h Tue, 3 h Wed → Wed 13/05 10:00.
    expect(d.steps[1]?.dueAt).toBe(vn('2026-05-13T10:00:00').toISOString());
    expect(d.steps[0]?.timing).toBe('on_time');

    // The leader assigns step 2 to the specialist (supervisor of the agency).
    d = await svc().assignStep(leaderA.actor, d.id, s2, { officialId: specA.id }, vn('2026-05-12T10:05:00'));
    expect(d.steps[1]?.officialName).not.toBeNull();
    await expect(svc().assignStep(leaderA.actor, d.id, s2, { officialId: specB.id })).rejects.toMatchObject({
      code: 'DOSSIER_OFFICIAL_INVALID',
    });

    // Supplement requested Wed 08:00, received Thu 08:00: 8 working hours paused.
    d = await svc().requestSupplement(
      specA.actor,
      d.id,
      { reason: 'Thiếu giấy chứng sinh', items: ['Giấy chứng sinh'] },
      vn('2026-05-13T08:00:00'),
    );
    expect(d.state).toBe('supplement');
    expect((await publicOf()).portalStatus).toBe(5);
    await expect(
      svc().completeStep(specA.actor, d.id, s2, {}, vn('2026-05-13T09:00:00')),
    ).rejects.toMatchObject({
      code: 'DOSSIER_STATE_INVALID',
    });
    d = await svc().supplementReceived(
      counterA.actor,
      d.id,
      { components: [{ name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0 }] },
      vn('2026-05-14T08:00:00'),
    );
    expect(d.state).toBe('processing');
    // Fri 15/05 09:00 + 8 h = 2.5 + 3.5 Fri, 2 Mon → Mon 18/05 09:00 (= dueWithPauses from the start).
    expect(d.dueAt).toBe(vn('2026-05-18T09:00:00').toISOString());
    const cal = await t.services.calendar.calendar();
    expect(d.dueAt).toBe(
      cal
        .dueWithPauses(vn('2026-05-12T09:00:00'), 24, [
          { from: vn('2026-05-13T08:00:00'), to: vn('2026-05-14T08:00:00') },
        ])
        ?.toISOString(),
    );
    expect(d.originalDueAt).toBe(vn('2026-05-15T09:00:00').toISOString());
    // Step 2 had 2 h left at the pause (08:00–10:00 Wed): Thu 10:00.
    expect(d.steps[1]?.dueAt).toBe(vn('2026-05-14T10:00:00').toISOString());
    expect(d.pauses).toHaveLength(1);
    expect(d.pauses[0]).toMatchObject({
      kind: 'supplement',
      dueBefore: vn('2026-05-15T09:00:00').toISOString(),
      dueAfter: d.dueAt,
    });
    expect(d.components.at(-1)).toMatchObject({ name: 'Giấy chứng sinh', pauseId: d.pauses[0]?.id });
    // Only once.
    await expect(
      svc().requestSupplement(
        specA.actor,
        d.id,
        { reason: 'Lại thiếu giấy tờ', items: ['Bản sao CCCD'] },
        vn('2026-05-14T08:30:00'),
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_SUPPLEMENT_ONCE' });

    // Apology: another agency cannot; the new date must be later; then it moves the due date.
    await expect(
      svc().apologise(
        specB.actor,
        d.id,
        { reason: 'Chậm do xác minh', newDueAt: vn('2026-05-20T17:00:00').toISOString() },
        vn('2026-05-14T09:00:00'),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      svc().apologise(
        specA.actor,
        d.id,
        { reason: 'Chậm do xác minh', newDueAt: vn('2026-05-18T08:00:00').toISOString() },
        vn('2026-05-14T09:00:00'),
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_APOLOGY_DATE' });
    d = await svc().apologise(
      specA.actor,
      d.id,
      { reason: 'Chậm do xác minh', newDueAt: vn('2026-05-20T17:00:00').toISOString() },
      vn('2026-05-14T09:00:00'),
    );
    expect(d.dueAt).toBe(vn('2026-05-20T17:00:00').toISOString());
    expect(d.apologies[0]).toMatchObject({
      agencyId: A.id,
      oldDueAt: vn('2026-05-18T09:00:00').toISOString(),
    });

    // Step 2 finished late (due Thu 10:00), 3 and 4 on time.
    d = await svc().completeStep(
      specA.actor,
      d.id,
      s2,
      { outcome: 'Đủ điều kiện' },
      vn('2026-05-14T11:00:00'),
    );
    expect(d.steps[1]?.timing).toBe('late');
    d = await svc().completeStep(leaderA.actor, d.id, s3, {}, vn('2026-05-14T14:00:00'));
    // Done needs every step but the last finished — here step 4 is the last and open: done closes it.
    await expect(
      svc().deliver(counterA.actor, d.id, { method: 'counter', paidFees: [] }),
    ).rejects.toMatchObject({
      code: 'DOSSIER_STATE_INVALID',
    });
    // The result file must be the officer's own upload, and an electronic result said to be signed
    // must carry a valid, trusted signature (checked by the signing module, not taken on trust).
    const kit = await signingKit(t);
    const unsigned = await uploadFile(
      t.app,
      counterA.cookie,
      'khai-sinh.pdf',
      await makePdf('Giấy khai sinh'),
    );
    const blob = await uploadFile(
      t.app,
      counterA.cookie,
      'khai-sinh-ky-so.pdf',
      await kit.signedElsewhere(await makePdf('Giấy khai sinh số KS-1')),
    );
    const othersFile = await uploadFile(t.app, specA.cookie, 'cua-nguoi-khac.pdf', await makePdf('Tệp khác'));
    for (const [file, code] of [
      [unsigned, 'DOSSIER_RESULT_NOT_SIGNED'],
      [othersFile, 'FILE_NOT_FOUND'],
      ['c'.repeat(64), 'FILE_NOT_FOUND'],
    ] as const)
      await expect(
        svc().done(counterA.actor, d.id, {
          results: [{ name: 'Giấy khai sinh', code: 'KS-1', blob: file, electronic: true, signed: true }],
        }),
      ).rejects.toMatchObject({ code });
    d = await svc().done(
      counterA.actor,
      d.id,
      { results: [{ name: 'Giấy khai sinh', code: 'KS-1', blob, electronic: true, signed: true }] },
      vn('2026-05-14T15:00:00'),
    );
    expect(d.results[0]).toMatchObject({ electronic: true, signed: true });
    expect(d.state).toBe('done');
    expect(d.finishedAt).toBe(vn('2026-05-14T15:00:00').toISOString());
    expect(d.overdue).toBe(false);
    expect(d.steps[3]).toMatchObject({ id: s4, timing: 'on_time' });
    expect((await publicOf()).portalStatus).toBe(9);
    d = await svc().deliver(
      counterA.actor,
      d.id,
      { method: 'online', paidFees: [] },
      vn('2026-05-14T15:10:00'),
    );
    expect(d.state).toBe('delivered');
    const pub = await publicOf();
    expect(pub.portalStatus).toBe(10);
    expect(pub.history.map((h) => h.portalStatus)).toEqual([1, 2, 4, 5, 4, 9, 10]);
    expect(d.events.map((e) => e.kind)).toEqual([
      'submitted',
      'received',
      'step_completed',
      'step_assigned',
      'supplement_requested',
      'supplement_received',
      'apology',
      'step_completed',
      'step_completed',
      'done',
      'delivered',
    ]);

    // The result went to the applicant's store; a later dossier reuses it (digitised 3).
    const store = await call(counterA, 'GET', `/api/dossiers/store-items?idNo=${d.applicant.idNo}`);
    expect(store.statusCode).toBe(200);
    const items = store.json().items;
    expect(items).toEqual([
      expect.objectContaining({ kind: 'result', name: 'Giấy khai sinh', blob, sourceDossierCode: d.code }),
    ]);
    const again = await svc().receive(
      counterA.actor,
      receiveInput(p, {
        applicant: { kind: 1, name: 'Trần Thị Dân', idNo: d.applicant.idNo },
        components: [
          { name: 'Giấy khai sinh', originals: 0, certified: 0, copies: 0, storeItemId: items[0].id },
          { name: 'Tờ khai', originals: 1, certified: 0, copies: 0, blob: unsigned },
        ],
      }) as never,
      vn('2026-05-15T09:00:00'),
    );
    expect(again.components.map((c) => c.digitised)).toEqual([3, 1]);
    // A scan must be the counter's own upload too.
    await expect(
      svc().receive(
        counterA.actor,
        receiveInput(p, {
          components: [{ name: 'Tờ khai', originals: 1, certified: 0, copies: 0, blob: othersFile }],
        }) as never,
      ),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    // Someone else's item cannot be reused.
    await expect(
      svc().receive(
        counterA.actor,
        receiveInput(p, {
          components: [
            { name: 'Giấy khai sinh', originals: 0, certified: 0, copies: 0, storeItemId: items[0].id },
          ],
        }) as never,
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_STORE_ITEM_INVALID' });
    // The digitised component is now in the store too (kind component).
    const after = (await call(counterA, 'GET', `/api/dossiers/store-items?idNo=${d.applicant.idNo}`)).json()
      .items;
    expect(after.map((i: { kind: string }) => i.kind).sort()).toEqual(['component', 'result']);
  });

  it('online delivery needs a signed electronic result; financial obligations pause the clock', async () => {
    const p = await procedure();
    let d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T09:00:00'));
    d = await svc().completeStep(counterA.actor, d.id, d.steps[0]!.id, {}, vn('2026-05-12T09:30:00'));
    d = await svc().requestFinancial(
      specA.actor,
      d.id,
      { reason: 'Nộp lệ phí trước bạ', amount: 500000 },
      vn('2026-05-12T10:00:00'),
    );
    expect(d.status.portalStatus).toBe(6);
    d = await svc().financialDone(
      counterA.actor,
      d.id,
      { receiptNo: 'BL-77', online: true },
      vn('2026-05-12T11:00:00'),
    );
    expect(d.state).toBe('processing');
    // Fri 15/05 09:00 + 1 h paused.
    expect(d.dueAt).toBe(vn('2026-05-15T10:00:00').toISOString());
    await expect(
      svc().done(counterA.actor, d.id, {
        results: [{ name: 'Giấy phép', electronic: false, signed: false }],
      }),
    ).rejects.toMatchObject({
      code: 'DOSSIER_STEPS_OPEN',
    });
    d = await svc().completeStep(specA.actor, d.id, d.steps[1]!.id, {}, vn('2026-05-12T14:00:00'));
    d = await svc().completeStep(leaderA.actor, d.id, d.steps[2]!.id, {}, vn('2026-05-12T15:00:00'));
    d = await svc().done(
      counterA.actor,
      d.id,
      { results: [{ name: 'Giấy phép', electronic: false, signed: false }] },
      vn('2026-05-12T16:00:00'),
    );
    const res = await call(counterA, 'POST', `/api/dossiers/${d.id}/deliver`, { method: 'online' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DOSSIER_ONLINE_NEEDS_ELECTRONIC' });
    const ok = await call(counterA, 'POST', `/api/dossiers/${d.id}/deliver`, { method: 'post', note: 'EMS' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      state: 'delivered',
      deliveryMethod: 'post',
      status: { portalStatus: 10 },
    });
  });

  it('online submission: submitted → refused; another accepted then withdrawn; a third stopped', async () => {
    const p = await procedure();
    const online = (n: number) =>
      svc().receive(counterA.actor, receiveInput(p, { channel: 2 }) as never, vn(`2026-05-1${n}T20:00:00`));
    const r1 = await online(2);
    expect(r1).toMatchObject({
      state: 'submitted',
      status: { portalStatus: 1 },
      receivedAt: null,
      dueAt: null,
      steps: [],
    });
    const refused = (
      await call(counterA, 'POST', `/api/dossiers/${r1.id}/refuse`, { reason: 'Không thuộc thẩm quyền' })
    ).json();
    expect(refused).toMatchObject({
      state: 'refused',
      closedReason: 'Không thuộc thẩm quyền',
      status: { portalStatus: 3 },
    });
    expect((await call(counterA, 'POST', `/api/dossiers/${r1.id}/accept`, {})).json().code).toBe(
      'DOSSIER_STATE_INVALID',
    );

    const r2 = await online(3);
    // Accepted Thu 14/05 08:00 (before the cut-off): the clock starts then, not at the evening submission.
    const acc = await svc().accept(
      counterA.actor,
      r2.id,
      { components: [], paidFees: [] },
      vn('2026-05-14T08:00:00'),
    );
    expect(acc).toMatchObject({ state: 'received', clockStartAt: vn('2026-05-14T08:00:00').toISOString() });
    expect(acc.steps).toHaveLength(4);
    const w = (
      await call(counterA, 'POST', `/api/dossiers/${r2.id}/withdraw`, { reason: 'Công dân xin rút' })
    ).json();
    expect(w).toMatchObject({ state: 'withdrawn', status: { portalStatus: 7 } });

    const r3 = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T09:00:00'));
    const st = (
      await call(leaderA, 'POST', `/api/dossiers/${r3.id}/stop`, { reason: 'Có tranh chấp' })
    ).json();
    expect(st).toMatchObject({
      state: 'stopped',
      status: { portalStatus: 8 },
      closedReason: 'Có tranh chấp',
    });
    expect(
      (await call(counterA, 'POST', `/api/dossiers/${r3.id}/withdraw`, { reason: 'Muộn rồi' })).json().code,
    ).toBe('DOSSIER_STATE_INVALID');
  });

  it('apology after the due date is refused', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T09:00:00'));
    await expect(
      svc().apologise(
        counterA.actor,
        d.id,
        { reason: 'Quá hạn mới xin lỗi', newDueAt: vn('2026-05-29T17:00:00').toISOString() },
        vn('2026-05-15T09:30:00'),
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_APOLOGY_LATE' });
  });
});

describe('inter-agency', () => {
  it('moves across three agencies with hand-overs, per-agency time and one public status', async () => {
    const p = await procedure({
      cases: [
        {
          channels: [{ channel: 1, durationValue: 5 }],
          workflow: [
            { name: 'Tiếp nhận, đăng ký khai sinh', kind: 'receive', role: 'counter', durationHours: 8 },
            {
              name: 'Đăng ký thường trú',
              kind: 'appraise',
              agencyId: B.id,
              role: 'specialist',
              durationHours: 16,
            },
            { name: 'Cấp thẻ BHYT', kind: 'appraise', agencyId: C.id, role: 'specialist', durationHours: 8 },
            { name: 'Trả kết quả', kind: 'return', role: 'counter', durationHours: 4 },
          ],
        },
      ],
    });
    let d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-12T08:00:00'));
    const publicOf = async () => (await svc().publicStatus(d.code, d.lookupSecret)).portalStatus;
    // Not at B yet: B's specialist has nothing, and cannot act.
    const mineB = () => svc().list(specB.auth, { scope: 'mine', limit: 50, offset: 0 });
    expect((await mineB()).items.map((x) => x.id)).not.toContain(d.id);
    d = await svc().completeStep(
      counterA.actor,
      d.id,
      d.steps[0]!.id,
      { outcome: 'Đã đăng ký khai sinh' },
      vn('2026-05-12T10:00:00'),
    );
    expect(d.currentAgencyId).toBe(B.id);
    expect(d.handovers).toEqual([
      expect.objectContaining({
        fromAgencyId: A.id,
        toAgencyId: B.id,
        result: 'Đã đăng ký khai sinh',
        receivedAt: null,
      }),
    ]);
    expect(await publicOf()).toBe(4);
    expect((await mineB()).items.map((x) => x.id)).toContain(d.id);
    // B's specialist now reads it; C's does not yet see it as its own work but may read (a step of C).
    expect((await call(specB, 'GET', `/api/dossiers/${d.id}`)).statusCode).toBe(200);
    d = await svc().completeStep(specB.actor, d.id, d.steps[1]!.id, {}, vn('2026-05-13T10:00:00'));
    expect(d.currentAgencyId).toBe(C.id);
    expect(d.handovers[0]?.receivedAt).toBe(vn('2026-05-13T10:00:00').toISOString());
    expect(await publicOf()).toBe(4);
    await expect(svc().completeStep(specB.actor, d.id, d.steps[2]!.id, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    d = await svc().completeStep(specC.actor, d.id, d.steps[2]!.id, {}, vn('2026-05-15T10:00:00'));
    expect(d.currentAgencyId).toBe(A.id);
    expect(d.handovers.map((h) => [h.fromAgencyId, h.toAgencyId])).toEqual([
      [A.id, B.id],
      [B.id, C.id],
      [C.id, A.id],
    ]);
    // Each agency's own time: A 2 h so far (08:00–10:00) of 12; B 8 h (Tue 10:00 → Wed 10:00) of 16;
    // C Wed 10:00 → Fri 10:00 = 16 h of 8 → late.
    const times = Object.fromEntries(
      d.agencyTimes.map((x) => [x.agencyId, [x.usedHours, x.allowedHours, x.onTime]]),
    );
    expect(times[B.id]).toEqual([8, 16, true]);
    expect(times[C.id]).toEqual([16, 8, false]);
    expect(times[A.id]?.[1]).toBe(12);
    d = await svc().done(
      counterA.actor,
      d.id,
      { results: [{ name: 'Giấy khai sinh', electronic: false, signed: false }] },
      vn('2026-05-15T11:00:00'),
    );
    expect(await publicOf()).toBe(9);
  });
});

describe('lists, overdue, public lookup and access', () => {
  it('lists my agency’s dossiers with search and filters; overdue per step, officer and agency for supervisors', async () => {
    const p = await procedure({
      cases: [
        { channels: [{ channel: 1, durationValue: 1, durationUnit: 'working_hours' }], workflow: WORKFLOW },
      ],
    });
    const d = await svc().receive(
      counterA.actor,
      receiveInput(p, { applicant: { kind: 1, name: 'Phạm Quá Hạn', idNo: cccd() } }) as never,
      vn('2026-01-06T09:00:00'),
    );
    const res = await call(specA, 'GET', '/api/dossiers?q=pham%20qua%20han');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((x: { id: string }) => x.id)).toEqual([d.id]);
    expect(res.json().items[0]).toMatchObject({ overdue: true, currentStepName: 'Tiếp nhận hồ sơ' });
    const overdueList = (await call(specA, 'GET', '/api/dossiers?overdue=true&state=received')).json();
    expect(overdueList.items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect((await call(specB, 'GET', '/api/dossiers?q=pham%20qua%20han')).json().items).toEqual([]);
    const mine = (await call(counterA, 'GET', '/api/dossiers?scope=mine&stepKind=receive')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(d.id);
    // The supervisor dashboard's rows lead here: by procedure code and by the official holding it
    // (the current step's, else the receiver: the receive step goes to the counter role, not a person).
    const ids = async (q: string) =>
      (await call(specA, 'GET', `/api/dossiers?scope=all&${q}`))
        .json()
        .items.map((x: { id: string }) => x.id);
    expect(await ids(`procedureCode=${p.code}`)).toEqual([d.id]);
    expect(await ids('procedureCode=9.999999')).toEqual([]);
    expect(await ids(`officialId=${counterA.id}&procedureCode=${p.code}`)).toEqual([d.id]);
    expect(await ids(`officialId=${specA.id}&procedureCode=${p.code}`)).toEqual([]);
    const badCode = await call(specA, 'GET', '/api/dossiers?procedureCode=%3Bdrop');
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().code).toBe('VALIDATION_ERROR');

    const rep = await call(leaderA, 'GET', '/api/dossiers/overdue');
    expect(rep.statusCode).toBe(200);
    const body = rep.json();
    expect(body.dossiers.map((x: { id: string }) => x.id)).toContain(d.id);
    expect(body.steps).toContainEqual(
      expect.objectContaining({ dossierId: d.id, stepName: 'Tiếp nhận hồ sơ', agencyId: A.id }),
    );
    expect(body.byAgency).toContainEqual(expect.objectContaining({ agencyId: A.id }));
    expect(
      body.byStep.find((x: { stepName: string }) => x.stepName === 'Tiếp nhận hồ sơ').count,
    ).toBeGreaterThanOrEqual(1);
    const repB = (await call(leaderB, 'GET', '/api/dossiers/overdue')).json();
    expect(repB.dossiers.map((x: { id: string }) => x.id)).not.toContain(d.id);
    expect((await call(specA, 'GET', '/api/dossiers/overdue')).statusCode).toBe(403);
  });

  it('public lookup: code + secret, minimal data; a wrong secret is not found', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never);
    const ok = await call(null, 'GET', `/api/public/dossiers/${d.code}?k=${d.lookupSecret}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      code: d.code,
      portalStatus: 2,
      label: 'Được tiếp nhận',
      labelEn: 'Received',
    });
    expect(JSON.stringify(ok.json())).not.toContain('Trần Thị Dân');
    const malformed = await call(null, 'GET', `/api/public/dossiers/${d.code}`);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_ERROR');
    const bad = await call(null, 'GET', `/api/public/dossiers/${d.code}?k=000000000000`);
    expect(bad.statusCode).toBe(404);
    expect(bad.json().code).toBe('DOSSIER_NOT_FOUND');
  });

  it('public lookup: the history in order, a repeated status once; an unknown code as a wrong secret; labels of the day', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-05-11T09:00:00'));
    await svc().withdraw(
      counterA.actor,
      d.id,
      { reason: 'Công dân rút hồ sơ' },
      vn('2026-05-11T10:00:00.123'),
    );
    // A later event with the same portal status is not a new line of the history.
    await t.db
      .insertInto('dossier_events')
      .values({
        id: crypto.randomUUID(),
        dossier_id: d.id,
        at: vn('2026-05-11T11:00:00'),
        kind: 'note',
        state: 'withdrawn',
        portal_status: 7,
      })
      .execute();
    const ok = await call(null, 'GET', `/api/public/dossiers/${d.code}?k=${d.lookupSecret}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ portalStatus: 7, label: 'Công dân yêu cầu rút hồ sơ' });
    // Reception at the counter: submitted (1) and received (2) at the same instant, in that order.
    expect(ok.json().history).toEqual([
      { at: '2026-05-11T02:00:00.000Z', portalStatus: 1, label: 'Mới đăng ký', labelEn: 'Newly submitted' },
      { at: '2026-05-11T02:00:00.000Z', portalStatus: 2, label: 'Được tiếp nhận', labelEn: 'Received' },
      {
        at: '2026-05-11T03:00:00.123Z',
        portalStatus: 7,
        label: 'Công dân yêu cầu rút hồ sơ',
        labelEn: 'Withdrawn by the applicant',
      },
    ]);
    const unknown = await call(null, 'GET', `/api/public/dossiers/${d.code}9?k=${d.lookupSecret}`);
    const wrong = await call(
      null,
      'GET',
      `/api/public/dossiers/${d.code}?k=${'0'.repeat(d.lookupSecret.length)}`,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe(wrong.body);
    // Lookups made at the same moment share one query (platform/batch.ts); each still gets only
    // its own answer: the right secret its dossier, a wrong secret or an unknown code a refusal.
    const together = await Promise.allSettled([
      svc().publicStatus(d.code, d.lookupSecret),
      svc().publicStatus(d.code, '0'.repeat(d.lookupSecret.length)),
      svc().publicStatus(`${d.code}9`, d.lookupSecret),
      svc().publicStatus(d.code, d.lookupSecret),
    ]);
    expect(
      together.map((r) => (r.status === 'fulfilled' ? r.value.code : (r.reason as AppError).code)),
    ).toEqual([d.code, 'DOSSIER_NOT_FOUND', 'DOSSIER_NOT_FOUND', d.code]);

    // The labels are effective-dated: a new label from 2030-01-01 shows on that day, not before,
    // even though today's labels are already kept in memory.
    await t.db
      .updateTable('dossier_state_map')
      .set({ valid_to: '2030-01-01' })
      .where('state', '=', 'withdrawn')
      .execute();
    await t.db
      .insertInto('dossier_state_map')
      .values({
        state: 'withdrawn',
        portal_status: 7,
        label_vi: 'Đã rút hồ sơ theo yêu cầu',
        label_en: 'Withdrawn',
        valid_from: '2030-01-01',
      })
      .execute();
    try {
      const before = await svc().publicStatus(d.code, d.lookupSecret, vn('2029-12-31T23:00:00'));
      expect(before.label).toBe('Công dân yêu cầu rút hồ sơ');
      // The kept labels end at local midnight, not a minute later.
      const lastMoment = await svc().publicStatus(
        d.code,
        d.lookupSecret,
        new Date(vn('2030-01-01T00:00:00').getTime() - 1),
      );
      expect(lastMoment.label).toBe('Công dân yêu cầu rút hồ sơ');
      const midnight = await svc().publicStatus(d.code, d.lookupSecret, vn('2030-01-01T00:00:00'));
      expect(midnight.label).toBe('Đã rút hồ sơ theo yêu cầu');
      const after = await svc().publicStatus(d.code, d.lookupSecret, vn('2030-01-01T08:00:00'));
      expect(after.label).toBe('Đã rút hồ sơ theo yêu cầu');
      expect(after.history[2]!.label).toBe('Đã rút hồ sơ theo yêu cầu');
    } finally {
      await t.db.deleteFrom('dossier_state_map').where('valid_from', '=', '2030-01-01').execute();
      await t.db
        .updateTable('dossier_state_map')
        .set({ valid_to: null })
        .where('state', '=', 'withdrawn')
        .execute();
    }
  });

  it('public history: dossiers.public_history follows dossier_events whatever the statement (migration 0032)', async () => {
    const p = await procedure();
    const d1 = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-06-01T08:00:00'));
    const d2 = await svc().receive(counterA.actor, receiveInput(p) as never, vn('2026-06-01T08:30:00'));
    // What the lookup shows must be what the events say: the projection against the aggregate.
    const check = async () => {
      const { rows } = await sql<{ id: string; kept: unknown; fresh: unknown }>`
        SELECT d.id, d.public_history AS kept,
               coalesce((SELECT json_agg(json_build_object(
                          'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                          's', e.portal_status) ORDER BY e.at, e.id)
                         FROM dossier_events e WHERE e.dossier_id = d.id), '[]'::json) AS fresh
        FROM dossiers d WHERE d.id IN (${d1.id}, ${d2.id}) ORDER BY d.code`.execute(t.db);
      for (const r of rows) expect(r.kept).toEqual(r.fresh);
      return rows;
    };
    expect((await check()).map((r) => (r.kept as unknown[]).length)).toEqual([2, 2]);
    // One statement for two dossiers, the first event dated before the others (order by time, not
    // by insertion).
    const early = crypto.randomUUID();
    await t.db
      .insertInto('dossier_events')
      .values([
        {
          id: early,
          dossier_id: d1.id,
          at: vn('2026-05-31T07:00:00'),
          kind: 'note',
          state: 'received',
          portal_status: 1,
        },
        {
          id: crypto.randomUUID(),
          dossier_id: d2.id,
          at: vn('2026-06-02T09:15:00.5'),
          kind: 'note',
          state: 'processing',
          portal_status: 4,
        },
      ])
      .execute();
    const after = await check();
    expect((after[0]!.kept as Array<{ at: string; s: number }>)[0]).toEqual({
      at: '2026-05-31T00:00:00.000Z',
      s: 1,
    });
    expect((after[1]!.kept as Array<{ at: string; s: number }>).at(-1)).toEqual({
      at: '2026-06-02T02:15:00.500Z',
      s: 4,
    });
    await t.db.updateTable('dossier_events').set({ portal_status: 3 }).where('id', '=', early).execute();
    expect(((await check())[0]!.kept as Array<{ s: number }>)[0]!.s).toBe(3);
    await t.db.deleteFrom('dossier_events').where('id', '=', early).execute();
    expect(((await check())[0]!.kept as unknown[]).length).toBe(2);
    // An event never moves to another dossier (the other's projection would go stale).
    await expect(
      t.db.updateTable('dossier_events').set({ dossier_id: d2.id }).where('dossier_id', '=', d1.id).execute(),
    ).rejects.toThrow(/cannot change/);
    // The public lookup reads the projection.
    const seen = await svc().publicStatus(d2.code, d2.lookupSecret);
    expect(seen.history.map((h) => [h.at, h.portalStatus])).toEqual([
      ['2026-06-01T01:30:00.000Z', 1],
      ['2026-06-01T01:30:00.000Z', 2],
      ['2026-06-02T02:15:00.500Z', 4],
    ]);
  });

  it('access: no session → 401; without the permission → 403; other agency → 404 / 403', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never);
    expect((await call(null, 'GET', `/api/dossiers/${d.id}`)).statusCode).toBe(401);
    const clerk = await person(['clerk'], A.id);
    expect(
      (await call(clerk, 'POST', `/api/dossiers/${d.id}/steps/${d.steps[0]!.id}/complete`, {})).statusCode,
    ).toBe(403);
    expect(
      (
        await call(clerk, 'POST', `/api/dossiers/${d.id}/steps/${d.steps[0]!.id}/assign`, {
          officialId: specA.id,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call(counterB, 'POST', `/api/dossiers/${d.id}/withdraw`, { reason: 'Không phải của tôi' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(counterB, 'GET', `/api/dossiers/store-items?idNo=${d.applicant.idNo}`)).statusCode,
    ).toBe(200);
    expect((await call(specA, 'GET', `/api/dossiers/store-items?idNo=${d.applicant.idNo}`)).statusCode).toBe(
      403,
    );
  });
});

describe('dossiers.event', () => {
  it('the handler hands each message to every subscriber; with none it says so', async () => {
    const ctx = {
      trx: t.db,
      id: 'x',
      dedupeKey: 'k',
      attempts: 0,
      log: { info() {}, warn() {}, error() {} },
    };
    const msg = {
      dossierId: '00000000-0000-7000-8000-000000000001',
      eventId: '00000000-0000-7000-8000-000000000002',
    };
    expect(await dossierEventsHandler([])(msg, ctx)).toEqual({ skipped: 'không có nơi nhận' });
    const seen: string[] = [];
    const h = dossierEventsHandler([
      async (m) => {
        seen.push(`a:${m.eventId}`);
      },
      async (m) => {
        seen.push(`b:${m.dossierId}`);
      },
    ]);
    expect(await h(msg, ctx)).toBeUndefined();
    expect(seen).toEqual([`a:${msg.eventId}`, `b:${msg.dossierId}`]);
  });

  it('the app dispatches queued dossier events to the national portal sync (one dvcqg.sync per event)', async () => {
    const p = await procedure();
    const d = await svc().receive(counterA.actor, receiveInput(p) as never);
    const mine = async () =>
      (
        await t.db
          .selectFrom('outbox')
          .select(['status', 'payload'])
          .where('topic', '=', DOSSIERS_EVENT_TOPIC)
          .execute()
      ).filter((r) => (r.payload as { dossierId: string }).dossierId === d.id);
    // The app's own loop may be running too: run until both rows are settled (bounded).
    for (let i = 0; i < 50 && (await mine()).some((r) => r.status === 'pending'); i++) {
      await t.services.outbox.runOnce();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await mine()).map((r) => r.status)).toEqual(['sent', 'sent']);
    const events = await t.db
      .selectFrom('dossier_events')
      .select('id')
      .where('dossier_id', '=', d.id)
      .execute();
    const sync = await t.db
      .selectFrom('outbox')
      .select(['dedupe_key'])
      .where('topic', '=', 'dvcqg.sync')
      .execute();
    expect(
      sync.map((r) => r.dedupe_key).filter((k) => events.some((e) => k === `dvcqg:${e.id}`)),
    ).toHaveLength(events.length);
  });
});
