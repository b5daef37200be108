/**
 * Rules of a case's processing workflow (pure, no I/O): ordered steps, a known role, a department
 * of the step's agency, the inter-agency (liên thông) flag and the total working hours.
 */
import { ROLES } from '@congvu/contracts';

export interface StepLike {
  name: string;
  kind: string;
  agencyId: string | null;
  departmentId: string | null;
  role: string;
  durationHours: number;
}

/** The step field a problem is about, so that a form can show it next to that field. */
export type WorkflowIssueField = 'role' | 'durationHours' | 'kind' | 'agencyId' | 'departmentId';

export interface WorkflowIssue {
  caseIndex: number;
  stepIndex: number;
  field: WorkflowIssueField;
  reason: string;
}

export interface WorkflowContext {
  /** The agencies that receive dossiers of the procedure (procedure_agencies). */
  receivingAgencyIds: readonly string[];
  /** Agencies that exist. */
  knownAgencies: ReadonlySet<string>;
  /** department id → its agency id (for every department named by a step). */
  departmentAgency: ReadonlyMap<string, string>;
}

/** Every problem of one case's workflow (empty = valid). */
export function workflowIssues(
  caseIndex: number,
  steps: readonly StepLike[],
  ctx: WorkflowContext,
): WorkflowIssue[] {
  const out: WorkflowIssue[] = [];
  const bad = (stepIndex: number, field: WorkflowIssueField, reason: string) =>
    out.push({ caseIndex, stepIndex, field, reason });
  steps.forEach((s, i) => {
    if (!(ROLES as readonly string[]).includes(s.role)) bad(i, 'role', `Vai trò "${s.role}" không tồn tại`);
    if (!(s.durationHours >= 0)) bad(i, 'durationHours', 'Thời gian xử lý phải là số giờ không âm');
    if (s.kind === 'receive' && i !== 0) bad(i, 'kind', 'Bước tiếp nhận phải là bước đầu tiên');
    if (s.kind === 'return' && i !== steps.length - 1)
      bad(i, 'kind', 'Bước trả kết quả phải là bước cuối cùng');
    if (s.agencyId !== null && !ctx.knownAgencies.has(s.agencyId))
      bad(i, 'agencyId', 'Cơ quan của bước không tồn tại');
    if (s.departmentId !== null) {
      const owner = ctx.departmentAgency.get(s.departmentId);
      if (owner === undefined) bad(i, 'departmentId', 'Phòng ban của bước không tồn tại');
      else if (s.agencyId !== null && owner !== s.agencyId)
        bad(i, 'departmentId', 'Phòng ban không thuộc cơ quan của bước');
      else if (s.agencyId === null && !ctx.receivingAgencyIds.includes(owner))
        bad(i, 'departmentId', 'Phòng ban không thuộc cơ quan tiếp nhận của thủ tục');
    }
  });
  return out;
}

/** A step in an agency other than the receiving ones makes the procedure inter-agency. */
export function isInterAgency(
  steps: readonly Pick<StepLike, 'agencyId'>[],
  receivingAgencyIds: readonly string[],
) {
  return steps.some((s) => s.agencyId !== null && !receivingAgencyIds.includes(s.agencyId));
}

/** Total working hours of the steps (two decimals, as stored). */
export function totalHours(steps: readonly Pick<StepLike, 'durationHours'>[]): number {
  return Math.round(steps.reduce((n, s) => n + s.durationHours, 0) * 100) / 100;
}
