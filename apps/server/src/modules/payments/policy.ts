import type { AuthContext } from '../../platform/policy.ts';
import { type StatsScope, statsPolicy } from '../dossiers/stats-policy.ts';

/**
 * Who may do what with online payments. Creating an order is decided by the dossiers module
 * (an official who may receive at the dossier's agency, or the holder of the receipt's lookup
 * secret); the gateway's calls are authenticated by their HMAC signature, not by a session.
 */
export const paymentsPolicy = {
  /** The daily reconciliation: supervisors, over the agencies they supervise (as for statistics). */
  reconcile: 'dossiers.supervise',

  reconciliationScope(auth: AuthContext, ownAgencyIds: string[]): StatsScope {
    return statsPolicy.scope(auth, ownAgencyIds);
  },

  /** The agencies a reconciliation covers: null = all (province-wide). */
  agencies(s: StatsScope): string[] | null {
    return s.all ? null : s.agencyIds;
  },
} as const;
