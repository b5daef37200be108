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

  /** Documents of the reader's agencies; secret ones only to leaders there (assignment comes later). */
  visibility(auth: AuthContext, agencyIds: string[]): Visibility {
    const leaderOf = auth.roles
      .filter((r) => r.role === 'leader')
      .map((r) => r.agencyId)
      .filter((x): x is string => x !== null && agencyIds.includes(x));
    return { agencyIds, leaderOf };
  },

  canRead(v: Visibility, doc: { agency_id: string; secrecy: string }): boolean {
    if (!v.agencyIds.includes(doc.agency_id)) return false;
    return doc.secrecy === 'none' || v.leaderOf.includes(doc.agency_id);
  },
} as const;
