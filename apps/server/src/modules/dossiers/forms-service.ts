import { createHash } from 'node:crypto';
import { DOSSIER_FORMS, type SignedDossierForm, type SigningInput } from '@congvu/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { BlobStore } from '../../platform/files/store.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { OrgService } from '../org/service.ts';
import { type FormSigner, noFormSigner } from './form-signer.ts';
import {
  apologyPdf,
  bookPdf,
  type ControlRow,
  controlPdf,
  type FormHeader,
  type FormParty,
  lookupUrl,
  receiptPdf,
  refusalPdf,
  supplementPdf,
  timeliness,
  vnTimeDay,
} from './forms.ts';
import { formsPolicy } from './forms-policy.ts';
import { formsRepo, type LoadedDossier } from './forms-repo.ts';
import { dossiersPolicy } from './policy.ts';

export { DOSSIER_FORMS };
export type DossierForm = (typeof DOSSIER_FORMS)[number];

/** A form's data and how to draw it: the data's hash says whether two forms say the same thing. */
interface Built {
  data: unknown;
  render(): Promise<Buffer>;
}
const made = <T>(render: (d: T) => Promise<Buffer>, data: T): Built => ({ data, render: () => render(data) });

/** What each form is, in the signature's reason and the timeline. */
export const FORM_TITLES: Record<DossierForm, string> = {
  receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  supplement: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  refusal: 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ',
  apology: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả',
  control: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
};
/** File names of the forms (without .pdf and the dossier code). */
export const FORM_FILES: Record<DossierForm, string> = {
  receipt: 'giay-tiep-nhan',
  supplement: 'phieu-yeu-cau-bo-sung',
  refusal: 'phieu-tu-choi',
  apology: 'phieu-xin-loi-hen-lai',
  control: 'phieu-kiem-soat',
};

export interface FormsOptions {
  publicUrl: string | undefined;
  /** The agency signature (the signing module); without it, signing is refused. */
  signer?: FormSigner;
  blobs?: BlobStore;
  /** Business time (platform/clock.ts) of the timeline event. */
  now?: () => Date;
}

const UNIT: Record<string, string> = {
  working_days: 'ngày làm việc',
  working_hours: 'giờ làm việc',
  calendar_days: 'ngày',
};
const RESULT_AT: Record<'counter' | 'post' | 'online', string> = {
  counter: 'Bộ phận Tiếp nhận và Trả kết quả',
  post: 'Qua dịch vụ bưu chính công ích',
  online: 'Trực tuyến (kết quả điện tử)',
};

/** The one-stop forms: loads (forms-repo), checks (forms-policy), builds (forms.ts). */
export function formsService(db: Db, org: OrgService, opts: FormsOptions) {
  const repo = formsRepo(db);
  const signer = opts.signer ?? noFormSigner;
  const now = opts.now ?? (() => new Date());

  const headerOf = (a: { name: string; parent_name: string | null } | undefined, date: Date): FormHeader => ({
    parentAgencyName: a?.parent_name ?? null,
    agencyName: a?.name ?? '',
    place: null,
    date,
  });
  const partyOf = ({ d }: LoadedDossier): FormParty => {
    const rep = d.representative as { name?: unknown } | null;
    return {
      applicantName: d.applicant_name,
      submitterName: typeof rep?.name === 'string' && rep.name ? rep.name : null,
      channel: d.channel,
      address: d.applicant_address,
      phone: d.applicant_phone,
      email: d.applicant_email,
      idNo: d.applicant_id_no,
    };
  };
  const duration = ({ d }: LoadedDossier) => {
    const v = d.duration_value ?? d.channel_duration_value;
    const u = d.duration_unit ?? d.channel_duration_unit;
    if (v === null || u === null) return 'Theo quy định của thủ tục';
    const n = Number(v);
    return `${n < 10 && Number.isInteger(n) ? `0${n}` : String(n).replace('.', ',')} ${UNIT[u]}`;
  };
  const unavailable = (why: string) => new AppError('DOSSIER_FORM_UNAVAILABLE', { reason: why });
  const itemText = (i: unknown) =>
    typeof i === 'string'
      ? i
      : i && typeof i === 'object' && typeof (i as { name?: unknown }).name === 'string'
        ? (i as { name: string }).name
        : JSON.stringify(i);

  async function build(form: DossierForm, x: LoadedDossier): Promise<Built> {
    const { d } = x;
    const receivingUnit = `Bộ phận Tiếp nhận và Trả kết quả - ${x.receiving?.name ?? ''}`;
    switch (form) {
      case 'receipt': {
        if (!d.received_at) throw unavailable('Hồ sơ chưa được tiếp nhận');
        const base = opts.publicUrl ?? '';
        return made(receiptPdf, {
          header: headerOf(x.receiving, d.received_at),
          code: d.code,
          lookupUrl: lookupUrl(base, d.code, d.lookup_secret),
          receivingUnit,
          party: partyOf(x),
          procedureName: d.procedure_name,
          summary: d.summary,
          components: x.components,
          sets: d.sets,
          legalDuration: duration(x),
          receivedAt: d.received_at,
          dueAt: d.original_due_at ?? d.due_at,
          resultAt:
            d.delivery_method === null || d.delivery_method === 'counter'
              ? `${RESULT_AT.counter} - ${x.receiving?.name ?? ''}`
              : RESULT_AT[d.delivery_method],
          fees: x.fees.map((f) => ({ name: f.name, amount: Number(f.amount), when: f.when_paid })),
          receivedBy: d.received_by_name,
        });
      }
      case 'supplement': {
        const p = x.pauses[0];
        if (!p) throw unavailable('Hồ sơ không có yêu cầu bổ sung');
        return made(supplementPdf, {
          header: headerOf(x.receiving, p.requested_at),
          code: d.code,
          receivingUnit,
          party: partyOf(x),
          procedureName: d.procedure_name,
          receivedAt: d.received_at,
          items: (Array.isArray(p.items) ? p.items : []).map(itemText),
          reason: p.reason,
          guide: { name: p.full_name, phone: p.phone, email: p.email },
        });
      }
      case 'refusal': {
        if (d.state !== 'refused' && d.state !== 'stopped') throw unavailable('Hồ sơ không bị từ chối');
        return made(refusalPdf, {
          header: headerOf(x.receiving, d.finished_at ?? d.updated_at),
          code: d.code,
          receivingUnit,
          party: partyOf(x),
          procedureName: d.procedure_name,
          receivedAt: d.received_at,
          reason: d.closed_reason ?? '',
          officer: d.received_by_name,
        });
      }
      case 'apology': {
        const a = x.apologies[0];
        if (!a) throw unavailable('Hồ sơ chưa có phiếu xin lỗi, hẹn lại');
        return made(apologyPdf, {
          header: headerOf(x.apologyAgency, a.issued_at),
          code: d.code,
          agencyName: x.apologyAgency?.name ?? '',
          party: partyOf(x),
          procedureName: d.procedure_name,
          receivedAt: d.received_at,
          oldDueAt: a.old_due_at,
          newDueAt: a.new_due_at,
          reason: a.reason,
          signer: a.full_name,
        });
      }
      case 'control': {
        if (!d.received_at) throw unavailable('Hồ sơ chưa được tiếp nhận');
        const rows: Array<ControlRow & { at: number }> = [
          ...x.steps.map((s) => ({
            at: (s.started_at ?? s.finished_at ?? d.received_at!).getTime(),
            agency: `${s.ordinal}. ${s.name}\n${[s.department_name, s.agency_name].filter(Boolean).join(' - ')}`,
            times: [
              s.started_at ? `Nhận: ${vnTimeDay(s.started_at)}` : 'Nhận: chưa nhận',
              s.finished_at ? `Giao: ${vnTimeDay(s.finished_at)}` : 'Giao: chưa giao',
            ],
            result: timeliness(s.finished_at, s.due_at),
            note: [s.official_name, s.outcome, s.note].filter(Boolean).join('; '),
          })),
          ...x.handovers.map((h) => ({
            at: h.sent_at.getTime(),
            agency: `Chuyển từ ${h.from_name} đến ${h.to_name}`,
            times: [
              `Giao: ${vnTimeDay(h.sent_at)}`,
              h.received_at ? `Nhận: ${vnTimeDay(h.received_at)}` : 'Nhận: chưa nhận',
            ],
            result: h.result ?? '',
            note: h.note ?? '',
          })),
        ].sort((a, b) => a.at - b.at);
        return made(controlPdf, {
          header: headerOf(x.receiving, d.received_at),
          code: d.code,
          procedureName: d.procedure_name,
          applicantName: d.applicant_name,
          receivedAt: d.received_at,
          dueAt: d.due_at,
          rows,
        });
      }
    }
  }

  const ownAgencies = (auth: AuthContext) =>
    auth.officialId ? org.agencyIdsOf(auth.officialId) : Promise.resolve([]);

  /** A dossier an official may print the forms of (404 when none, 403 when not theirs). */
  async function printable(auth: AuthContext, id: string) {
    const involved = await repo.involvedAgencyIds(id);
    if (involved.length === 0) throw new AppError('DOSSIER_NOT_FOUND');
    if (!formsPolicy.canPrintDossier(auth, await ownAgencies(auth), involved))
      throw new AppError('FORBIDDEN');
    const x = await repo.loadDossier(id);
    if (!x) throw new AppError('DOSSIER_NOT_FOUND');
    return x;
  }

  /**
   * What the agency's signature on a form needs: the officer may sign for the issuing agency,
   * the form applies to the dossier now (forms-service decides as for printing), its PDF and the
   * hash of its data.
   */
  async function signable(auth: AuthContext, id: string, form: DossierForm) {
    const x = await printable(auth, id);
    const officerId = auth.actingFor?.id ?? auth.officialId;
    const agencyId = form === 'apology' ? (x.apologies[0]?.agency_id ?? x.d.agency_id) : x.d.agency_id;
    const own = officerId ? await org.agencyIdsOf(officerId) : [];
    if (!officerId || !formsPolicy.canSignForm(auth, own, agencyId))
      throw new AppError('DOSSIER_FORM_SIGN_FORBIDDEN');
    const built = await build(form, x);
    const contentSha256 = createHash('sha256')
      .update(JSON.stringify({ form, data: built.data }))
      .digest('hex');
    const agency = form === 'apology' ? x.apologyAgency : x.receiving;
    return {
      officerId,
      agencyId,
      contentSha256,
      code: x.d.code,
      request: async () => ({
        dossierId: id,
        code: x.d.code,
        agencyId,
        agencyName: agency?.name ?? (await org.getAgency(agencyId)).name,
        officerId,
        title: FORM_TITLES[form],
        fileName: `${FORM_FILES[form]}-${x.d.code}-da-ky.pdf`,
        pdf: new Uint8Array(await built.render()),
        contentSha256,
      }),
    };
  }

  type SignedRow = Awaited<ReturnType<typeof repo.signedForms>>[number];
  const present = (r: SignedRow): SignedDossierForm => ({
    id: r.id,
    form: r.form,
    contentSha256: r.content_sha256,
    sha256: r.blob_sha256,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    certificateSubject: r.certificate_subject,
    signedById: r.signed_by,
    signedByName: r.signed_by_name,
    signedAt: r.signed_at.toISOString(),
  });

  return {
    /**
     * The acknowledgement of an online submission (Mẫu 01 laid out from the submission: the time
     * it was sent, no due date until the one-stop shop receives it), for the citizen account that
     * submitted it only; anyone else: DOSSIER_NOT_FOUND. The QR code is the public lookup link.
     */
    async onlineAcknowledgement(citizenId: string, code: string) {
      const id = await repo.dossierIdByCode(code);
      const x = id ? await repo.loadDossier(id) : undefined;
      if (!x || !dossiersPolicy.ownsOnline(citizenId, x.d) || x.d.channel !== 2)
        throw new AppError('DOSSIER_NOT_FOUND');
      const { d } = x;
      const at = d.submitted_at ?? d.created_at;
      return receiptPdf({
        header: headerOf(x.receiving, at),
        code: d.code,
        lookupUrl: lookupUrl(opts.publicUrl ?? '', d.code, d.lookup_secret),
        receivingUnit: `Bộ phận Tiếp nhận và Trả kết quả - ${x.receiving?.name ?? ''}`,
        party: partyOf(x),
        procedureName: d.procedure_name,
        summary: d.summary,
        components: x.components,
        sets: d.sets,
        legalDuration: duration(x),
        receivedAt: at,
        dueAt: d.due_at,
        resultAt: RESULT_AT.online,
        fees: x.fees.map((f) => ({ name: f.name, amount: Number(f.amount), when: f.when_paid })),
        receivedBy: d.received_by_name ?? 'Nộp trực tuyến trên Cổng dịch vụ công',
      });
    },

    /** A form of a dossier as PDF, for an official of an agency that handles it. */
    async dossierForm(auth: AuthContext, id: string, form: DossierForm) {
      const x = await printable(auth, id);
      return { code: x.d.code, pdf: await (await build(form, x)).render() };
    },

    /**
     * The form signed with the agency's signature (seal password, or the token's answers to
     * `startFormSigning`), verified against the trust store by the signer, kept as a file of the
     * dossier with a timeline event and an audit record. The same content is signed once: asking
     * again answers the signed copy (created false) without signing or recording anything.
     */
    async signForm(
      actor: AuditActor & { auth: AuthContext },
      id: string,
      form: DossierForm,
      signing: SigningInput,
    ): Promise<{ created: boolean; signed: SignedDossierForm }> {
      const s = await signable(actor.auth, id, form);
      const key = { form, contentSha256: s.contentSha256 };
      const before = (await repo.signedForms(id, key))[0];
      if (before) return { created: false, signed: present(before) };
      // Outside the transaction: a slow token or TSA never holds the dossier's row lock.
      const file = await signer.signForm(await s.request(), signing);
      const created = await db.transaction().execute(async (trx) => {
        const r = formsRepo(trx);
        const d = await r.lockDossier(id);
        if (!d) throw new AppError('DOSSIER_NOT_FOUND');
        // Under the dossier's lock a concurrent request that signed the same content is visible.
        if ((await r.signedForms(id, key)).length > 0) return false;
        const at = now();
        const eventId = uuidv7();
        await r.insertEvent({
          id: eventId,
          dossier_id: id,
          at,
          kind: 'form_signed',
          state: d.state,
          portal_status: d.portal_status,
          actor_id: s.officerId,
          agency_id: s.agencyId,
          note: `Ký số ${FORM_TITLES[form]} (chữ ký của cơ quan)`,
          data: JSON.stringify({ form, sha256: file.sha256, contentSha256: s.contentSha256 }),
        });
        await r.insertSignedForm({
          id: uuidv7(),
          dossier_id: id,
          form,
          content_sha256: s.contentSha256,
          blob_sha256: file.sha256,
          agency_id: s.agencyId,
          certificate_subject: file.certificateSubject,
          signed_by: s.officerId,
          signed_at: at,
          event_id: eventId,
        });
        await recordAudit(trx, actor, {
          action: 'dossiers.form_signed',
          entityType: 'dossier',
          entityId: id,
          summary: { code: d.code, form, sha256: file.sha256, contentSha256: s.contentSha256 },
        });
        return true;
      });
      return { created, signed: present((await repo.signedForms(id, key))[0]!) };
    },

    /** Client-side agency signature of a form: what the agency's token must sign. */
    async startFormSigning(auth: AuthContext, id: string, form: DossierForm) {
      const s = await signable(auth, id, form);
      return signer.startForm(await s.request());
    },

    /** The dossier's signed forms, for whoever may print its forms. */
    async signedForms(auth: AuthContext, id: string): Promise<SignedDossierForm[]> {
      await printable(auth, id);
      return (await repo.signedForms(id)).map(present);
    },

    /** A signed form's PDF. */
    async signedFormPdf(auth: AuthContext, id: string, signedId: string) {
      const x = await printable(auth, id);
      const row = (await repo.signedForms(id, { id: signedId }))[0];
      if (!row || !opts.blobs) throw new AppError('DOSSIER_SIGNED_FORM_NOT_FOUND');
      return {
        name: `${FORM_FILES[row.form]}-${x.d.code}-da-ky`,
        pdf: await opts.blobs.read(row.blob_sha256),
      };
    },

    /** Mẫu 06 for an agency and local days from..to. */
    async book(auth: AuthContext, q: { agencyId: string; from: string; to: string }) {
      if (q.from > q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > 366)
        throw new AppError('DOSSIER_BOOK_PERIOD_INVALID');
      if (!formsPolicy.canPrintBook(auth, await ownAgencies(auth), q.agencyId))
        throw new AppError('FORBIDDEN');
      const a = await repo.agency(q.agencyId);
      if (!a) throw new AppError('AGENCY_NOT_FOUND');
      const rows = await repo.bookRows(q.agencyId, q.from, q.to);
      return bookPdf({
        parentAgencyName: a.parent_name,
        agencyName: a.name,
        from: q.from,
        to: q.to,
        rows: rows.map((r) => ({
          code: r.code,
          procedureName: r.procedure_name,
          sets: r.sets,
          applicantName: r.applicant_name,
          addressPhone: [r.applicant_address, r.applicant_phone].filter(Boolean).join(', '),
          leadAgency: r.lead_agency_name ?? r.agency_name,
          receivedAt: r.received_at,
          dueAt: r.due_at,
          transferredAt: r.transferred_at ? new Date(r.transferred_at) : null,
          resultBackAt: r.transferred_at ? r.finished_at : null,
          deliveredAt: r.delivered_at,
          note: [r.state_label, r.closed_reason].filter(Boolean).join(': '),
        })),
      });
    },
  };
}

export type FormsService = ReturnType<typeof formsService>;
