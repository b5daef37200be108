import { type AuthContext, ROLE_PERMISSIONS } from '../../platform/policy.ts';

/**
 * Whose dossier statistics and exports a supervisor sees (to be folded into policy.ts): an
 * administrator whose role is held province-wide sees every agency, as does an API token granted
 * dossiers.supervise by the administrator; any other supervising role covers the agency it is held
 * in, or, held without an agency, the agencies the official works in.
 */
export interface StatsScope {
  all: boolean;
  agencyIds: string[];
}

export const statsPolicy = {
  supervise: 'dossiers.supervise',

  scope(auth: AuthContext, ownAgencyIds: string[]): StatsScope {
    if (auth.officialId === null && auth.tokenId !== null && auth.permissions.has('dossiers.supervise'))
      return { all: true, agencyIds: [] };
    const grants = auth.roles.filter((g) => ROLE_PERMISSIONS[g.role].includes('dossiers.supervise'));
    if (grants.some((g) => g.role === 'admin' && g.agencyId === null)) return { all: true, agencyIds: [] };
    const ids = grants.flatMap((g) => (g.agencyId === null ? ownAgencyIds : [g.agencyId]));
    return { all: false, agencyIds: [...new Set(ids)] };
  },

  canSee(s: StatsScope, agencyId: string): boolean {
    return s.all || s.agencyIds.includes(agencyId);
  },

  /** The agencies a query covers: the one asked for, else everything in scope (null = province). */
  agencies(s: StatsScope, agencyId: string | undefined): string[] | null | 'forbidden' {
    if (agencyId) return statsPolicy.canSee(s, agencyId) ? [agencyId] : 'forbidden';
    return s.all ? null : s.agencyIds;
  },
} as const;
