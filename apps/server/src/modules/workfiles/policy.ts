import type { Role } from '@congvu/contracts';
import type { AuthContext } from '../../platform/policy.ts';

/**
 * Where a reader stands: the agencies they work in and, per role, the agencies the role applies
 * to. A role held without an agency applies to the official's own agencies, never to others.
 */
export interface WorkFilesScope {
  who: string | null;
  agencyIds: string[];
  departmentIds: string[];
  leaderOf: string[];
  adminOf: string[];
  clerkOf: string[];
}

interface FileRow {
  agency_id: string;
  owner_id: string;
  department_id: string | null;
}

const within = (
  s: WorkFilesScope,
  agencyId: string,
  roles: (keyof Pick<WorkFilesScope, 'leaderOf' | 'adminOf' | 'clerkOf'>)[],
) => s.agencyIds.includes(agencyId) && roles.some((r) => s[r].includes(agencyId));

/** Who may do what with file lists and work files, beyond the permission each route declares. */
export const workfilesPolicy = {
  read: 'workfiles.read',
  manage: 'workfiles.manage',
  approveList: 'workfiles.approveList',
  archive: 'workfiles.archive',

  scope(auth: AuthContext, who: string | null, agencyIds: string[], departmentIds: string[]): WorkFilesScope {
    const of = (role: Role) =>
      auth.roles
        .filter((r) => r.role === role)
        .flatMap((r) => (r.agencyId === null ? agencyIds : [r.agencyId]))
        .filter((x) => agencyIds.includes(x));
    return {
      who,
      agencyIds,
      departmentIds,
      leaderOf: of('leader'),
      adminOf: of('admin'),
      clerkOf: of('clerk'),
    };
  },

  /** The list of an agency is read by everyone working there. */
  canReadList(s: WorkFilesScope, agencyId: string): boolean {
    return s.agencyIds.includes(agencyId);
  },
  /** The list is drafted by the office (văn thư), its leaders or the agency's administrator. */
  canEditList(s: WorkFilesScope, agencyId: string): boolean {
    return within(s, agencyId, ['leaderOf', 'adminOf', 'clerkOf']);
  },
  /** The head of the agency approves the list (NĐ 30 art. 28). */
  canApproveList(s: WorkFilesScope, agencyId: string): boolean {
    return within(s, agencyId, ['leaderOf', 'adminOf']);
  },
  /** Files may be opened for someone else by those who keep the list. */
  canOpenFor(s: WorkFilesScope, agencyId: string, ownerId: string): boolean {
    if (!s.agencyIds.includes(agencyId)) return false;
    return ownerId === s.who || within(s, agencyId, ['leaderOf', 'adminOf', 'clerkOf']);
  },
  /** The owner, the owner's department, and the agency's leaders, administrators and clerks. */
  canReadFile(s: WorkFilesScope, f: FileRow): boolean {
    if (!s.agencyIds.includes(f.agency_id)) return false;
    return (
      f.owner_id === s.who ||
      (f.department_id !== null && s.departmentIds.includes(f.department_id)) ||
      within(s, f.agency_id, ['leaderOf', 'adminOf', 'clerkOf'])
    );
  },
  /** The owner keeps their file; leaders and administrators of the agency may step in. */
  canChangeFile(s: WorkFilesScope, f: FileRow): boolean {
    return (
      s.agencyIds.includes(f.agency_id) &&
      (f.owner_id === s.who || within(s, f.agency_id, ['leaderOf', 'adminOf']))
    );
  },
  /** A closed file is reopened only by the agency's leaders or administrators. */
  canReopen(s: WorkFilesScope, f: FileRow): boolean {
    return within(s, f.agency_id, ['leaderOf', 'adminOf']);
  },
  /** The agency archive (văn thư, lưu trữ cơ quan) receives deposits; leaders and admins too. */
  canDeposit(s: WorkFilesScope, agencyId: string): boolean {
    return within(s, agencyId, ['leaderOf', 'adminOf', 'clerkOf']);
  },
  /** Agencies whose files the reader sees all of (others: own and own department's). */
  seesAllFilesOf(s: WorkFilesScope): string[] {
    return [...new Set([...s.leaderOf, ...s.adminOf, ...s.clerkOf])];
  },
} as const;
