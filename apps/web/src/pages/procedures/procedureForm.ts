/**
 * The procedure edit form's values and their two translations: from a stored procedure
 * (ProcedureDetail) to form values, and from form values to the body the API accepts. The form's
 * field names follow the contract's paths, so that an issue of the contract (client side) or of the
 * server (`details[].path`, workflow `issues`) lands on the field it is about.
 */
import {
  type AUTHORITY_LEVELS,
  type DURATION_UNITS,
  type FEE_KINDS,
  type FEE_WHEN,
  NewProcedureVersion,
  type ONLINE_LEVELS,
  type ProcedureDetail,
  ProcedureInput,
  type ROLES,
  UpdateProcedure,
  type WORKFLOW_STEP_KINDS,
} from '@congvu/contracts';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import type { z } from 'zod';

type Opt = string | undefined;

export interface FeeValues {
  code?: Opt;
  name: string;
  kind: (typeof FEE_KINDS)[number];
  amount: number | null;
  when: (typeof FEE_WHEN)[number];
  description?: Opt;
}
export interface ChannelValues {
  channel: 1 | 2 | 3;
  durationValue: number | null;
  durationUnit: (typeof DURATION_UNITS)[number];
  description?: Opt;
  fees: FeeValues[];
}
export interface ComponentValues {
  code?: Opt;
  name: string;
  formName?: Opt;
  formUrl?: Opt;
  formBlob?: Opt;
  originals: number | null;
  certified: number | null;
  copies: number | null;
  required: boolean;
  alternativeGroup?: Opt;
}
export interface StepValues {
  name: string;
  kind: (typeof WORKFLOW_STEP_KINDS)[number];
  agencyId: string | null;
  departmentId: string | null;
  role: (typeof ROLES)[number];
  durationHours: number | null;
}
export interface CaseValues {
  name: string;
  steps: string[];
  channels: ChannelValues[];
  components: ComponentValues[];
  workflow: StepValues[];
}
export interface ProcedureFormValues {
  code: string;
  name: string;
  sectorCode: string | null;
  announcingAgency?: Opt;
  authorityLevel: (typeof AUTHORITY_LEVELS)[number];
  onlineLevel: (typeof ONLINE_LEVELS)[number];
  applicants: string[];
  applicantDescription?: Opt;
  conditions?: Opt;
  results: { code?: Opt; name: string }[];
  legalBasis: { number?: Opt; title: string }[];
  implementing: { code?: Opt; name: string }[];
  agencyIds: string[];
  published: boolean;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
  cases: CaseValues[];
  /** Edit only: save as a new version from validFrom instead of changing this one. */
  asNewVersion?: boolean;
}

export const emptyFee = (): FeeValues => ({ name: '', kind: 'charge', amount: 0, when: 'before' });
export const emptyChannel = (channel: 1 | 2 | 3): ChannelValues => ({
  channel,
  durationValue: null,
  durationUnit: 'working_days',
  fees: [],
});
export const emptyComponent = (): ComponentValues => ({
  name: '',
  originals: 1,
  certified: 0,
  copies: 0,
  required: true,
});
export const emptyStep = (): StepValues => ({
  name: '',
  kind: 'appraise',
  agencyId: null,
  departmentId: null,
  role: 'specialist',
  durationHours: null,
});
export const emptyCase = (): CaseValues => ({
  name: '',
  steps: [],
  channels: [emptyChannel(1)],
  components: [],
  workflow: [],
});

/** A new procedure: in force from today (Asia/Ho_Chi_Minh), one case received at the counter. */
export function newProcedureValues(): ProcedureFormValues {
  return {
    code: '',
    name: '',
    sectorCode: null,
    authorityLevel: 'province',
    onlineLevel: 'partial',
    applicants: [],
    results: [],
    legalBasis: [],
    implementing: [],
    agencyIds: [],
    published: false,
    validFrom: dayjs(
      dayjs()
        .utcOffset(7 * 60)
        .format('YYYY-MM-DD'),
    ),
    validTo: null,
    cases: [emptyCase()],
  };
}

const opt = (s: string | null | undefined): Opt => s ?? undefined;

export function valuesOf(d: ProcedureDetail): ProcedureFormValues {
  return {
    code: d.code,
    name: d.name,
    sectorCode: d.sectorCode,
    announcingAgency: opt(d.announcingAgency),
    authorityLevel: d.authorityLevel,
    onlineLevel: d.onlineLevel,
    applicants: d.applicants,
    applicantDescription: opt(d.applicantDescription),
    conditions: opt(d.conditions),
    results: d.results,
    legalBasis: d.legalBasis,
    implementing: d.implementing,
    agencyIds: d.agencies.map((a) => a.id),
    published: d.published,
    validFrom: dayjs(d.validFrom),
    validTo: d.validTo ? dayjs(d.validTo) : null,
    cases: d.cases.map((c) => ({
      name: c.name,
      steps: c.steps,
      channels: c.channels.map((ch) => ({
        channel: ch.channel as 1 | 2 | 3,
        durationValue: ch.durationValue,
        durationUnit: ch.durationUnit,
        description: opt(ch.description),
        fees: ch.fees.map((f) => ({ ...f })),
      })),
      components: c.components.map((k) => ({
        code: opt(k.code),
        name: k.name,
        formName: opt(k.formName),
        formUrl: opt(k.formUrl),
        formBlob: opt(k.formBlob),
        originals: k.originals,
        certified: k.certified,
        copies: k.copies,
        required: k.required,
        alternativeGroup: opt(k.alternativeGroup),
      })),
      workflow: c.workflow.map((s) => ({
        name: s.name,
        kind: s.kind,
        agencyId: s.agencyId,
        departmentId: s.departmentId,
        role: s.role,
        durationHours: s.durationHours,
      })),
    })),
  };
}

/** Empty optional text is left out (the contract's optional fields refuse ""). */
const text = (s: string | null | undefined) => {
  const v = s?.trim();
  return v ? v : undefined;
};
/** A number the user cleared stays empty, so that the contract says it is missing. */
const num = (n: number | null | undefined) => (n === null ? undefined : n);
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

/** The body of POST /api/procedures (and, without code and validity, of PUT and new versions). */
export function bodyOf(v: ProcedureFormValues) {
  return {
    code: v.code?.trim(),
    name: v.name,
    sectorCode: v.sectorCode ?? null,
    announcingAgency: text(v.announcingAgency),
    authorityLevel: v.authorityLevel,
    onlineLevel: v.onlineLevel,
    applicants: v.applicants ?? [],
    applicantDescription: text(v.applicantDescription),
    conditions: text(v.conditions),
    results: (v.results ?? []).map((r) => ({ code: text(r.code), name: r.name })),
    legalBasis: (v.legalBasis ?? []).map((l) => ({ number: text(l.number), title: l.title })),
    implementing: (v.implementing ?? []).map((i) => ({ code: text(i.code), name: i.name })),
    agencyIds: v.agencyIds ?? [],
    published: !!v.published,
    validFrom: day(v.validFrom),
    validTo: day(v.validTo) ?? null,
    cases: (v.cases ?? []).map((c) => ({
      name: c.name,
      steps: c.steps ?? [],
      channels: (c.channels ?? []).map((ch) => ({
        channel: ch.channel,
        durationValue: num(ch.durationValue),
        durationUnit: ch.durationUnit,
        description: text(ch.description),
        fees: (ch.fees ?? []).map((f) => ({
          code: text(f.code),
          name: f.name,
          kind: f.kind,
          amount: num(f.amount),
          when: f.when,
          description: text(f.description),
        })),
      })),
      components: (c.components ?? []).map((k) => ({
        code: text(k.code),
        name: k.name,
        formName: text(k.formName),
        formUrl: text(k.formUrl),
        formBlob: text(k.formBlob),
        originals: num(k.originals),
        certified: num(k.certified),
        copies: num(k.copies),
        required: !!k.required,
        alternativeGroup: text(k.alternativeGroup),
      })),
      workflow: (c.workflow ?? []).map((s) => ({
        name: s.name,
        kind: s.kind,
        agencyId: s.agencyId ?? null,
        departmentId: s.departmentId ?? null,
        role: s.role,
        durationHours: num(s.durationHours),
      })),
    })),
  };
}

export type SaveMode = 'create' | 'update' | 'newVersion';

/** The contract the server checks for this kind of save. */
export function schemaFor(mode: SaveMode): z.ZodType {
  return mode === 'create' ? ProcedureInput : mode === 'update' ? UpdateProcedure : NewProcedureVersion;
}

export type FieldPath = (string | number)[];
export interface FieldIssue {
  path: FieldPath;
  message: string;
}

/** Zod issues in the interface language; the contract's own (Vietnamese) messages are kept. */
export function contractIssues(mode: SaveMode, body: unknown, t: TFunction): FieldIssue[] {
  const r = schemaFor(mode).safeParse(body, {
    error: (iss) => {
      const required = iss.input === undefined || iss.input === null || iss.input === '';
      if (required && iss.code !== 'custom') return t('error.required');
      if (iss.code === 'too_small') {
        if (iss.origin === 'string') return t('error.required');
        if (iss.origin === 'array') return t('procedures.editor.tooFew', { min: String(iss.minimum) });
        return t('procedures.editor.tooSmall', { min: String(iss.minimum) });
      }
      if (iss.code === 'too_big') {
        if (iss.origin === 'string') return t('procedures.editor.tooLong', { max: String(iss.maximum) });
        if (iss.origin === 'array') return t('procedures.editor.tooMany', { max: String(iss.maximum) });
        return t('procedures.editor.tooBig', { max: String(iss.maximum) });
      }
      if (iss.code === 'invalid_type' && iss.expected === 'int') return t('procedures.editor.notInteger');
      return t('procedures.editor.invalid');
    },
  });
  if (r.success) return [];
  return r.error.issues.map((i) => ({
    path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: i.message,
  }));
}

const samePath = (a: FieldPath, b: FieldPath) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * The field issues of an API refusal: validation details (`body.cases.0.name`, in the language of
 * the contract when the client finds the same issue, else a plain "invalid"), workflow issues
 * (case, step and field) and the refusals about one field of the procedure.
 */
export function serverIssues(
  e: { code: string; text: string; details?: unknown },
  local: FieldIssue[],
  t: TFunction,
): FieldIssue[] {
  const d = e.details as
    | { path?: string; message?: string }[]
    | { issues?: { caseIndex: number; stepIndex: number; field: string; reason: string }[] }
    | undefined;
  if (e.code === 'VALIDATION_ERROR' && Array.isArray(d)) {
    return d
      .filter((x) => typeof x.path === 'string' && x.path.startsWith('body.'))
      .map((x) => {
        const path = (x.path as string)
          .slice('body.'.length)
          .split('.')
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        const same = local.find((l) => samePath(l.path, path));
        return { path, message: same?.message ?? t('procedures.editor.invalid') };
      });
  }
  if (e.code === 'PROCEDURE_WORKFLOW_INVALID' && d && !Array.isArray(d) && d.issues) {
    return d.issues.map((i) => ({
      path: ['cases', i.caseIndex, 'workflow', i.stepIndex, i.field],
      message: i.reason,
    }));
  }
  const field: Record<string, string> = {
    PROCEDURE_CODE_TAKEN: 'code',
    PROCEDURE_SECTOR_UNKNOWN: 'sectorCode',
    PROCEDURE_AGENCY_UNKNOWN: 'agencyIds',
    PROCEDURE_VERSION_INVALID: 'validFrom',
  };
  const name = field[e.code];
  return name ? [{ path: [name], message: e.text }] : [];
}
