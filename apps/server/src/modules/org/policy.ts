import type { AuthContext } from '../../platform/policy.ts';

/** Who may do what in the org module, beyond the permission each route declares. */
export const orgPolicy = {
  read: 'org.read',
  manage: 'org.manage',
  /** Admins manage all delegations; an official may delegate their own roles. */
  createDelegation(auth: AuthContext, fromOfficialId: string): boolean {
    return (
      auth.permissions.has('org.manage') || (auth.officialId === fromOfficialId && auth.actingFor === null)
    );
  },
  revokeDelegation(auth: AuthContext, d: { from_official_id: string; to_official_id: string }): boolean {
    return auth.permissions.has('org.manage') || auth.officialId === d.from_official_id;
  },
  listDelegations(auth: AuthContext, officialId: string | undefined): boolean {
    return auth.permissions.has('org.manage') || (officialId !== undefined && officialId === auth.officialId);
  },
} as const;
