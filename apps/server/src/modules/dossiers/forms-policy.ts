import type { AuthContext } from '../../platform/policy.ts';

/**
 * Who may print a dossier's forms (beyond the route's permission dossiers.read): officials of the
 * receiving agency or of an agency that has one of its steps or hand-overs; an administrator
 * holding the role province-wide (no agency) prints any. The tracking book of an agency: its own
 * officials and such administrators.
 */
export const formsPolicy = {
  read: 'dossiers.read' as const,

  isProvinceAdmin(auth: AuthContext): boolean {
    return auth.roles.some((r) => r.role === 'admin' && r.agencyId === null);
  },

  canPrintDossier(auth: AuthContext, ownAgencyIds: string[], dossierAgencyIds: string[]): boolean {
    return formsPolicy.isProvinceAdmin(auth) || dossierAgencyIds.some((a) => ownAgencyIds.includes(a));
  },

  canPrintBook(auth: AuthContext, ownAgencyIds: string[], agencyId: string): boolean {
    return formsPolicy.isProvinceAdmin(auth) || ownAgencyIds.includes(agencyId);
  },

  /**
   * The agency's signature on a form: a counter or processing officer of the agency that issues it
   * (the receiving agency; for Mẫu 04 the apology's). A province-wide administrator is not one.
   */
  canSignForm(auth: AuthContext, ownAgencyIds: string[], issuingAgencyId: string): boolean {
    return (
      (auth.permissions.has('dossiers.receive') || auth.permissions.has('dossiers.process')) &&
      ownAgencyIds.includes(issuingAgencyId)
    );
  },
};
