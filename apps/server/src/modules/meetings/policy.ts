import { type AuthContext, ROLE_PERMISSIONS } from '../../platform/policy.ts';

/** The agencies whose bodies an official runs (as their secretariat); all = province-wide admin. */
export interface ManageScope {
  all: boolean;
  agencyIds: string[];
}

type MemberRole = 'chair' | 'vice_chair' | 'delegate' | 'secretary' | 'guest';

/**
 * Who may do what in meetings. Running a body (members, meetings, invitations, checking others in)
 * needs meetings.manage in the body's agency (a role held there, or held without an agency in the
 * agencies the official works in; an administrator held province-wide runs every body). Inside a
 * meeting, the body's own chair, vice-chair and secretary run the floor (polls); delegates answer
 * their invitation, check themselves in and vote; only voting members vote.
 */
export const meetingsPolicy = {
  manage: 'meetings.manage',

  scope(auth: AuthContext, ownAgencyIds: string[]): ManageScope {
    const grants = auth.roles.filter((g) => ROLE_PERMISSIONS[g.role].includes('meetings.manage'));
    if (grants.some((g) => g.role === 'admin' && g.agencyId === null)) return { all: true, agencyIds: [] };
    const ids = grants.flatMap((g) => (g.agencyId === null ? ownAgencyIds : [g.agencyId]));
    return { all: false, agencyIds: [...new Set(ids)] };
  },

  runs(s: ManageScope, agencyId: string): boolean {
    return s.all || s.agencyIds.includes(agencyId);
  },

  /** Runs the floor of a meeting: opens and closes polls. */
  presides(role: MemberRole | undefined, runsBody: boolean): boolean {
    return runsBody || role === 'chair' || role === 'vice_chair' || role === 'secretary';
  },
} as const;
