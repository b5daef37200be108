import type { AuthContext } from '../../platform/policy.ts';
import type { Visibility } from './repo.ts';

/** Who may do what with documents, beyond the permission each route declares. */
export const documentsPolicy = {
  read: 'documents.read',
  register: 'documents.register',
  manageRegisters: 'org.manage',

  /** A clerk registers into the registers of an agency where they hold the clerk role (NULL agency: any). */
  canRegisterInto(auth: AuthContext, agencyId: string): boolean {
    return auth.roles.some((r) => r.role === 'clerk' && (r.agencyId === null || r.agencyId === agencyId));
  },

  /**
   * Documents of the reader's agencies; secret ones only to leaders there and to those the
   * document is assigned to (in person or through their department).
   */
  visibility(
    auth: AuthContext,
    who: string | null,
    agencyIds: string[],
    departmentIds: string[],
  ): Visibility {
    const leaderOf = auth.roles
      .filter((r) => r.role === 'leader')
      .map((r) => r.agencyId)
      .filter((x): x is string => x !== null && agencyIds.includes(x));
    const clerkOf = auth.roles
      .filter((r) => r.role === 'clerk')
      .flatMap((r) => (r.agencyId === null ? agencyIds : [r.agencyId]))
      .filter((x) => agencyIds.includes(x));
    return { agencyIds, leaderOf, officialId: who, departmentIds, clerkOf };
  },

  canRead(v: Visibility, doc: { agency_id: string; secrecy: string }, assignedToReader: boolean): boolean {
    if (!v.agencyIds.includes(doc.agency_id)) return false;
    return doc.secrecy === 'none' || v.leaderOf.includes(doc.agency_id) || assignedToReader;
  },

  /** Top-level assignment (bút phê): a leader of the agency holding the document. */
  canAssign(v: Visibility, doc: { agency_id: string }): boolean {
    return v.leaderOf.includes(doc.agency_id);
  },

  /** Whoever an assignment names (the official, or a member of the department) handles it. */
  isAssignee(
    v: Visibility,
    a: { assignee_official_id: string | null; assignee_department_id: string | null },
  ): boolean {
    return (
      (a.assignee_official_id !== null && a.assignee_official_id === v.officialId) ||
      (a.assignee_department_id !== null && v.departmentIds.includes(a.assignee_department_id))
    );
  },

  /** Ý kiến xử lý on an assignment: its assignee, the one who assigned it, or a leader of the agency. */
  canGiveOpinion(
    v: Visibility,
    doc: { agency_id: string },
    a: { assigner_id: string; assignee_official_id: string | null; assignee_department_id: string | null },
  ): boolean {
    return (
      documentsPolicy.isAssignee(v, a) ||
      (v.officialId !== null && a.assigner_id === v.officialId) ||
      v.leaderOf.includes(doc.agency_id)
    );
  },

  /** Thu hồi, thay thế, cập nhật an issued document: a clerk or a leader of the issuing agency. */
  canManageIssued(v: Visibility, doc: { agency_id: string }): boolean {
    return v.clerkOf.includes(doc.agency_id) || v.leaderOf.includes(doc.agency_id);
  },
} as const;
