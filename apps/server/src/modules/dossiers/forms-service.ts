import type { Db } from '../../db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { OrgService } from '../org/service.ts';
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

export const DOSSIER_FORMS = ['receipt', 'supplement', 'refusal', 'apology', 'control'] as const;
export type DossierForm = (typeof DOSSIER_FORMS)[number];

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
export function formsService(db: Db, org: OrgService, opts: { publicUrl: string | undefined }) {
  const repo = formsRepo(db);

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

  async function build(form: DossierForm, x: LoadedDossier): Promise<Buffer> {
    const { d } = x;
    const receivingUnit = `Bộ phận Tiếp nhận và Trả kết quả - ${x.receiving?.name ?? ''}`;
    switch (form) {
      case 'receipt': {
        if (!d.received_at) throw unavailable('Hồ sơ chưa được tiếp nhận');
        const base = opts.publicUrl ?? '';
        return receiptPdf({
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
        return supplementPdf({
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
        return refusalPdf({
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
        return apologyPdf({
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
        return controlPdf({
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

  return {
    /** A form of a dossier as PDF, for an official of an agency that handles it. */
    async dossierForm(auth: AuthContext, id: string, form: DossierForm) {
      const involved = await repo.involvedAgencyIds(id);
      if (involved.length === 0) throw new AppError('DOSSIER_NOT_FOUND');
      if (!formsPolicy.canPrintDossier(auth, await ownAgencies(auth), involved))
        throw new AppError('FORBIDDEN');
      const x = await repo.loadDossier(id);
      if (!x) throw new AppError('DOSSIER_NOT_FOUND');
      return { code: x.d.code, pdf: await build(form, x) };
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
