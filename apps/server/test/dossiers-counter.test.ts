import type { Role } from '@congvu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIERS_EVENT_TOPIC } from '../src/modules/dossiers/service.ts';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertProcedure } from './support/onestop-factory.ts';
import { makePdf, uploadFile } from './support/pdf.ts';

/**
 * The one-stop counter: "thu trước" fees collected at reception (counter and accepted online
 * dossiers), every fee still owed collected by delivery, and digitising a received dossier's paper
 * components and paper results afterwards (into the applicant's data store).
 */
let t: TestApp;
let A: { id: string; code: string };
let B: { id: string; code: string };
type Person = { id: string; cookie: string; auth: AuthContext; actor: { auth: AuthContext; ip: null } };
let counterA: Person;
let specA: Person;
let leaderA: Person;
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
const cccd = () => `0011900${String(++seqId).padStart(5, '0')}`;
/** Scans uploaded in beforeAll by every official of the test (a scan must be the official's own upload), by a letter. */
const scans = new Map<string, string>();
const sha = (c: string) => scans.get(c) ?? c.repeat(64);

const WORKFLOW = [
  { name: 'Tiếp nhận hồ sơ', kind: 'receive' as const, role: 'counter', durationHours: 4 },
  { name: 'Thẩm định', kind: 'appraise' as const, role: 'specialist', durationHours: 8 },
  { name: 'Trả kết quả', kind: 'return' as const, role: 'counter', durationHours: 4 },
];

/** Fees of both channels: 8.000 đồng before, 3.000 đồng after, an exemption and a 0 đồng "before" line. */
const FEES = [
  { name: 'Lệ phí đăng ký', kind: 'charge' as const, amount: 8000, when: 'before' as const },
  { name: 'Phí cấp bản sao', kind: 'fee' as const, amount: 3000, when: 'after' as const },
  { name: 'Lệ phí miễn', kind: 'charge' as const, amount: 0, when: 'exempt' as const },
  { name: 'Phí không đồng', kind: 'fee' as const, amount: 0, when: 'before' as const },
];

async function procedure(fees = FEES) {
  const p = await insertProcedure(t.db, {
    agencyIds: [A.id],
    cases: [
      {
        channels: [
          { channel: 1, durationValue: 3, fees },
          { channel: 2, durationValue: 3, fees },
        ],
        components: [{ name: 'Tờ khai' }, { name: 'Giấy chứng sinh' }],
        workflow: WORKFLOW,
      },
    ],
  });
  return { id: p.id, caseId: p.caseIds[0] as string };
}

function receiveInput(p: { id: string; caseId: string }, over: Record<string, unknown> = {}) {
  return {
    procedureId: p.id,
    caseId: p.caseId,
    channel: 1 as const,
    applicant: { kind: 1 as const, name: 'Phạm Văn Quầy', idNo: cccd() },
    sets: 1,
    components: [{ name: 'Tờ khai', originals: 1, certified: 0, copies: 0 }],
    paidFees: [],
    ...over,
  };
}

const dossierCount = async (procedureId: string) =>
  Number(
    (
      await t.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('procedure_id', '=', procedureId)
        .executeTakeFirstOrThrow()
    ).n,
  );

const counts = (id: string) =>
  t.db
    .selectFrom('dossiers')
    .select(['components_total', 'components_digitised', 'components_reused'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** A counter dossier (8.000 đồng paid) taken to done with a paper result, at fixed times. */
async function doneDossier(p: { id: string; caseId: string }) {
  let d = await svc().receive(
    counterA.actor,
    receiveInput(p, { paidFees: [{ ordinal: 0, receiptNo: 'BL-01', online: false }] }) as never,
    vn('2026-05-12T09:00:00'),
  );
  d = await svc().completeStep(counterA.actor, d.id, d.steps[0]!.id, {}, vn('2026-05-12T10:00:00'));
  d = await svc().completeStep(specA.actor, d.id, d.steps[1]!.id, {}, vn('2026-05-12T14:00:00'));
  return svc().done(
    counterA.actor,
    d.id,
    { results: [{ name: 'Trích lục khai sinh', code: 'TL-1', electronic: false, signed: false }] },
    vn('2026-05-12T15:00:00'),
  );
}

beforeAll(async () => {
  t = await setupApp();
  A = await t.f.agency({ name: 'UBND xã Quầy', kind: 'commune_committee' });
  B = await t.f.agency({ name: 'UBND xã Bên cạnh', kind: 'commune_committee' });
  counterA = await person(['counter'], A.id);
  specA = await person(['specialist'], A.id);
  leaderA = await person(['leader'], A.id);
  counterB = await person(['counter'], B.id);
  for (const c of 'acdef0') {
    const pdf = await makePdf(`Bản quét ${c}`);
    for (const who of [counterA, specA, leaderA, counterB])
      scans.set(c, await uploadFile(t.app, who.cookie, `${c}.pdf`, pdf));
  }
});
afterAll(async () => t?.close());

describe('fees paid in advance (thu trước)', () => {
  it('a counter reception without every "before" fee is refused, naming the fees; nothing is written', async () => {
    const p = await procedure();
    const numbers = () =>
      t.db.selectFrom('dossier_counters').selectAll().where('agency_id', '=', A.id).orderBy('day').execute();
    const before = await numbers();
    const res = await call(counterA, 'POST', '/api/dossiers', receiveInput(p));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('DOSSIER_FEES_UNPAID');
    expect(body.message).toBe(
      'Chưa thu phí, lệ phí phải nộp khi tiếp nhận hồ sơ: Lệ phí đăng ký (8.000 đồng)',
    );
    // Only the 8.000 đồng line: the "after", exempt and 0 đồng lines are not due now.
    expect(body.details).toEqual({
      moment: 'reception',
      fees: [{ ordinal: 0, name: 'Lệ phí đăng ký', amount: 8000 }],
    });
    expect(await dossierCount(p.id)).toBe(0);
    // Paying the other lines does not help.
    await expect(
      svc().receive(
        counterA.actor,
        receiveInput(p, { paidFees: [{ ordinal: 1, online: false }] }) as never,
        vn('2026-05-12T09:00:00'),
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_FEES_UNPAID' });
    expect(await dossierCount(p.id)).toBe(0);
    // No number of the day was taken by the refused receptions.
    expect(await numbers()).toEqual(before);

    const ok = await call(
      counterA,
      'POST',
      '/api/dossiers',
      receiveInput(p, { paidFees: [{ ordinal: 0, receiptNo: 'BL-0042' }] }),
    );
    expect(ok.statusCode).toBe(201);
    expect(
      ok.json().fees.map((f: { paidAt: string | null; receiptNo: string | null }) => f.receiptNo),
    ).toEqual(['BL-0042', null, null, null]);
  });

  it('an online submission is registered unpaid; accepting it needs the "before" fees, paid now or online before', async () => {
    const p = await procedure();
    const sub = await svc().receive(
      counterA.actor,
      receiveInput(p, { channel: 2 }) as never,
      vn('2026-05-11T20:00:00'),
    );
    expect(sub.state).toBe('submitted');
    const refused = await call(counterA, 'POST', `/api/dossiers/${sub.id}/accept`, {
      components: [{ name: 'Giấy chứng sinh', originals: 1 }],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'DOSSIER_FEES_UNPAID',
      message: 'Chưa thu phí, lệ phí phải nộp khi tiếp nhận hồ sơ: Lệ phí đăng ký (8.000 đồng)',
    });
    // Nothing written: still submitted, no paper added, no event.
    const still = await svc().view(counterA.auth, sub.id);
    expect(still).toMatchObject({ state: 'submitted', receivedAt: null });
    expect(still.components).toHaveLength(1);
    expect(still.events.map((e) => e.kind)).toEqual(['submitted']);
    expect(
      (await call(counterA, 'POST', `/api/dossiers/${sub.id}/accept`, { paidFees: [{ ordinal: 9 }] })).json()
        .code,
    ).toBe('DOSSIER_FEE_INVALID');

    const acc = await svc().accept(
      counterA.actor,
      sub.id,
      { components: [], paidFees: [{ ordinal: 0, receiptNo: 'BL-7', online: true }] },
      vn('2026-05-12T08:00:00'),
    );
    expect(acc.state).toBe('received');
    expect(acc.fees[0]).toMatchObject({
      paidAt: vn('2026-05-12T08:00:00').toISOString(),
      receiptNo: 'BL-7',
      paidOnline: true,
    });
    expect(acc.paidOnline).toBe(true);

    // Paid online with the submission: accepted without listing it again, the payment kept as it was.
    const paidBefore = await svc().receive(
      counterA.actor,
      receiveInput(p, {
        channel: 2,
        paidFees: [{ ordinal: 0, receiptNo: 'VNPAY-1', online: true }],
      }) as never,
      vn('2026-05-11T21:00:00'),
    );
    const acc2 = await svc().accept(
      counterA.actor,
      paidBefore.id,
      { components: [], paidFees: [{ ordinal: 0, receiptNo: 'lại', online: false }] },
      vn('2026-05-12T08:30:00'),
    );
    expect(acc2.fees[0]).toMatchObject({
      paidAt: vn('2026-05-11T21:00:00').toISOString(),
      receiptNo: 'VNPAY-1',
      paidOnline: true,
    });
  });

  it('a result is not handed over while a fee is owed, unless it is paid at delivery', async () => {
    const p = await procedure();
    const d = await doneDossier(p);
    expect(d.state).toBe('done');
    const refused = await call(counterA, 'POST', `/api/dossiers/${d.id}/deliver`, { method: 'counter' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'DOSSIER_FEES_UNPAID',
      message: 'Chưa thu phí, lệ phí phải nộp trước khi trả kết quả: Phí cấp bản sao (3.000 đồng)',
      details: { moment: 'delivery', fees: [{ ordinal: 1, name: 'Phí cấp bản sao', amount: 3000 }] },
    });
    expect((await svc().view(counterA.auth, d.id)).state).toBe('done');
    expect(
      (
        await call(counterA, 'POST', `/api/dossiers/${d.id}/deliver`, {
          method: 'counter',
          paidFees: [{ ordinal: 7 }],
        })
      ).json().code,
    ).toBe('DOSSIER_FEE_INVALID');

    const out = await svc().deliver(
      counterA.actor,
      d.id,
      { method: 'counter', paidFees: [{ ordinal: 1, receiptNo: 'BL-02', online: false }] },
      vn('2026-05-13T09:00:00'),
    );
    expect(out.state).toBe('delivered');
    expect(out.fees.map((f) => [f.name, f.paidAt, f.receiptNo])).toEqual([
      ['Lệ phí đăng ký', vn('2026-05-12T09:00:00').toISOString(), 'BL-01'],
      ['Phí cấp bản sao', vn('2026-05-13T09:00:00').toISOString(), 'BL-02'],
      ['Lệ phí miễn', null, null],
      ['Phí không đồng', null, null],
    ]);
    expect(out.events.at(-1)).toMatchObject({ kind: 'delivered', data: { method: 'counter', feesPaid: 1 } });
  });

  it('fees paid with the financial obligations leave nothing owed at delivery', async () => {
    const p = await procedure();
    let d = await svc().receive(
      counterA.actor,
      receiveInput(p, { paidFees: [{ ordinal: 0, online: false }] }) as never,
      vn('2026-05-12T09:00:00'),
    );
    d = await svc().requestFinancial(
      leaderA.actor,
      d.id,
      { reason: 'Nộp phí bản sao' },
      vn('2026-05-12T10:00:00'),
    );
    d = await svc().financialDone(counterA.actor, d.id, { online: false }, vn('2026-05-12T11:00:00'));
    d = await svc().completeStep(counterA.actor, d.id, d.steps[0]!.id, {}, vn('2026-05-12T11:30:00'));
    d = await svc().completeStep(specA.actor, d.id, d.steps[1]!.id, {}, vn('2026-05-12T14:00:00'));
    d = await svc().done(
      counterA.actor,
      d.id,
      { results: [{ name: 'Kết quả', electronic: false, signed: false }] },
      vn('2026-05-12T15:00:00'),
    );
    const out = await call(counterA, 'POST', `/api/dossiers/${d.id}/deliver`, { method: 'post' });
    expect(out.statusCode).toBe(200);
    expect(out.json().state).toBe('delivered');
  });
});

describe('digitising after reception', () => {
  it('a paper-only component gets its scan: digitised, stored under the CCCD, counted, audited, on the timeline', async () => {
    const p = await procedure();
    const d = await svc().receive(
      counterA.actor,
      receiveInput(p, {
        components: [
          { name: 'Tờ khai', originals: 1, certified: 0, copies: 0, blob: sha('a') },
          { name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0 },
        ],
        paidFees: [{ ordinal: 0, online: false }],
      }) as never,
      vn('2026-05-12T09:00:00'),
    );
    const paper = d.components.find((c) => c.name === 'Giấy chứng sinh')!;
    expect(paper).toMatchObject({ digitised: 0, blob: null, storeItemId: null });
    expect(await counts(d.id)).toEqual({
      components_total: 2,
      components_digitised: 1,
      components_reused: 0,
    });

    const res = await call(counterA, 'POST', `/api/dossiers/${d.id}/components/${paper.id}/scan`, {
      blob: sha('c'),
    });
    expect(res.statusCode).toBe(200);
    const v = res.json() as typeof d;
    const after = v.components.find((c) => c.id === paper.id)!;
    expect(after).toMatchObject({ digitised: 1, blob: sha('c') });
    expect(after.storeItemId).not.toBeNull();
    expect(v.state).toBe('received');
    expect(await counts(d.id)).toEqual({
      components_total: 2,
      components_digitised: 2,
      components_reused: 0,
    });
    const ev = v.events.at(-1)!;
    expect(ev).toMatchObject({
      kind: 'component_digitised',
      state: 'received',
      note: 'Giấy chứng sinh',
      actorId: counterA.id,
      data: { componentId: paper.id, blob: sha('c'), storeItemId: after.storeItemId },
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', d.id)
      .where('action', '=', 'dossiers.component_digitised')
      .execute();
    expect(audit).toHaveLength(1);
    const queued = await t.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', DOSSIERS_EVENT_TOPIC)
      .execute();
    expect(queued.some((o) => (o.payload as { eventId: string }).eventId === ev.id)).toBe(true);

    // In the applicant's store, and a later dossier of the same person reuses it (digitised 2).
    const store = (await call(counterA, 'GET', `/api/dossiers/store-items?idNo=${d.applicant.idNo}`)).json()
      .items as { id: string; kind: string; name: string; blob: string; sourceDossierId: string }[];
    const item = store.find((i) => i.id === after.storeItemId);
    expect(item).toMatchObject({
      kind: 'component',
      name: 'Giấy chứng sinh',
      blob: sha('c'),
      sourceDossierId: d.id,
    });
    const again = await svc().receive(
      counterA.actor,
      receiveInput(p, {
        applicant: { kind: 1, name: 'Phạm Văn Quầy', idNo: d.applicant.idNo },
        components: [
          { name: 'Giấy chứng sinh', originals: 0, certified: 0, copies: 0, storeItemId: item!.id },
        ],
        paidFees: [{ ordinal: 0, online: false }],
      }) as never,
      vn('2026-05-13T09:00:00'),
    );
    expect(again.components.map((c) => [c.digitised, c.blob])).toEqual([[2, sha('c')]]);

    // Once only; another dossier's component is not found here.
    const twice = await call(counterA, 'POST', `/api/dossiers/${d.id}/components/${paper.id}/scan`, {
      blob: sha('d'),
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('DOSSIER_PAPER_DIGITISED');
    const scanned = d.components.find((c) => c.name === 'Tờ khai')!;
    expect(
      (
        await call(counterA, 'POST', `/api/dossiers/${d.id}/components/${scanned.id}/scan`, {
          blob: sha('d'),
        })
      ).json().code,
    ).toBe('DOSSIER_PAPER_DIGITISED');
    const foreign = await call(counterA, 'POST', `/api/dossiers/${again.id}/components/${paper.id}/scan`, {
      blob: sha('d'),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('DOSSIER_PAPER_NOT_FOUND');
    expect(await counts(d.id)).toEqual({
      components_total: 2,
      components_digitised: 2,
      components_reused: 0,
    });
  });

  it('a submitted dossier is not digitised this way (its scans come with the acceptance)', async () => {
    const p = await procedure();
    const sub = await svc().receive(counterA.actor, receiveInput(p, { channel: 2 }) as never);
    const res = await call(
      counterA,
      'POST',
      `/api/dossiers/${sub.id}/components/${sub.components[0]!.id}/scan`,
      { blob: sha('e') },
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DOSSIER_STATE_INVALID');
  });

  it('a paper result gets its scan once: kept with the result and stored as a result (reused as 3)', async () => {
    const p = await procedure();
    const d = await doneDossier(p);
    const result = d.results[0]!;
    expect(result.blob).toBeNull();
    const res = await call(counterA, 'POST', `/api/dossiers/${d.id}/results/${result.id}/scan`, {
      blob: sha('f'),
    });
    expect(res.statusCode).toBe(200);
    const v = res.json() as typeof d;
    expect(v.results[0]).toMatchObject({ id: result.id, blob: sha('f'), electronic: false });
    // A scan of a paper result is not an electronic result.
    expect(v.electronicResult).toBe(false);
    expect(v.events.at(-1)).toMatchObject({
      kind: 'result_digitised',
      state: 'done',
      note: 'Trích lục khai sinh',
    });
    const store = await svc().storeItems(counterA.auth, d.applicant.idNo!);
    const item = store.find((i) => i.kind === 'result' && i.sourceDossierId === d.id);
    expect(item).toMatchObject({ name: 'Trích lục khai sinh', code: 'TL-1', blob: sha('f') });
    const later = await svc().receive(
      counterA.actor,
      receiveInput(p, {
        applicant: { kind: 1, name: 'Phạm Văn Quầy', idNo: d.applicant.idNo },
        components: [
          { name: 'Trích lục khai sinh', originals: 0, certified: 0, copies: 0, storeItemId: item!.id },
        ],
        paidFees: [{ ordinal: 0, online: false }],
      }) as never,
      vn('2026-05-14T09:00:00'),
    );
    expect(later.components[0]?.digitised).toBe(3);
    expect(await counts(later.id)).toEqual({
      components_total: 1,
      components_digitised: 1,
      components_reused: 1,
    });

    const twice = await call(counterA, 'POST', `/api/dossiers/${d.id}/results/${result.id}/scan`, {
      blob: sha('0'),
    });
    expect(twice.json().code).toBe('DOSSIER_PAPER_DIGITISED');
    const other = await doneDossier(p);
    const foreign = await call(counterA, 'POST', `/api/dossiers/${other.id}/results/${result.id}/scan`, {
      blob: sha('0'),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('DOSSIER_PAPER_NOT_FOUND');
    // Results exist once the dossier is done: before that the state refuses.
    expect(
      (
        await call(counterA, 'POST', `/api/dossiers/${later.id}/results/${result.id}/scan`, {
          blob: sha('0'),
        })
      ).json().code,
    ).toBe('DOSSIER_STATE_INVALID');
  });

  it('access: no session → 401; without dossiers.receive → 403; a counter of another agency → 403', async () => {
    const p = await procedure();
    const d = await doneDossier(p);
    const c = d.components[0]!;
    const r = d.results[0]!;
    const urls = [
      `/api/dossiers/${d.id}/components/${c.id}/scan`,
      `/api/dossiers/${d.id}/results/${r.id}/scan`,
    ];
    for (const url of urls) {
      expect((await call(null, 'POST', url, { blob: sha('1') })).statusCode, url).toBe(401);
      const spec = await call(specA, 'POST', url, { blob: sha('1') });
      expect(spec.statusCode, url).toBe(403);
      expect(spec.json().code).toBe('FORBIDDEN');
      const other = await call(counterB, 'POST', url, { blob: sha('1') });
      expect(other.statusCode, url).toBe(403);
      expect(other.json().code).toBe('FORBIDDEN');
    }
    // Nothing changed by the refused calls.
    const v = await svc().view(counterA.auth, d.id);
    expect(v.components[0]).toMatchObject({ digitised: 0, blob: null });
    expect(v.results[0]?.blob).toBeNull();
  });
});
