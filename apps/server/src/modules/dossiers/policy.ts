import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';

/**
 * Where an official stands in the one-stop shop: the agencies they work in (memberships and role
 * grants, as org.agencyIdsOf gives them) and, per agency, the roles they hold there. A role held
 * without an agency applies to the official's own agencies, never to others.
 */
export interface DossierScope {
  who: string | null;
  agencyIds: string[];
  rolePairs: { agencyId: string; role: string }[];
  can: { read: boolean; receive: boolean; process: boolean; supervise: boolean };
}

interface StepRow {
  agency_id: string;
  role: string;
  official_id: string | null;
}

/** Who may do what with dossiers, beyond the permission each route declares. */
export const dossiersPolicy = {
  read: 'dossiers.read',
  receive: 'dossiers.receive',
  process: 'dossiers.process',
  supervise: 'dossiers.supervise',

  scope(auth: AuthContext, who: string | null, agencyIds: string[]): DossierScope {
    const rolePairs = auth.roles.flatMap((r) =>
      (r.agencyId === null ? agencyIds : [r.agencyId])
        .filter((a) => agencyIds.includes(a))
        .map((agencyId) => ({ agencyId, role: r.role as string })),
    );
    return {
      who,
      agencyIds,
      rolePairs,
      can: {
        read: auth.permissions.has('dossiers.read'),
        receive: auth.permissions.has('dossiers.receive'),
        process: auth.permissions.has('dossiers.process'),
        supervise: auth.permissions.has('dossiers.supervise'),
      },
    };
  },

  /** Dossiers of the official's agencies: the receiving one, the current one, or any step's. */
  canRead(
    s: DossierScope,
    d: { agency_id: string; current_agency_id: string | null },
    stepAgencyIds: string[],
  ) {
    return (
      s.can.read &&
      (s.agencyIds.includes(d.agency_id) ||
        (d.current_agency_id !== null && s.agencyIds.includes(d.current_agency_id)) ||
        stepAgencyIds.some((a) => s.agencyIds.includes(a)))
    );
  },
  /** Reception (and the counter's other acts: supplement received, withdrawal, delivery) at the official's agency. */
  canReceive(s: DossierScope, agencyId: string) {
    return s.can.receive && s.agencyIds.includes(agencyId);
  },
  /** The counter's acts on a received dossier (withdrawal, delivery, digitising): at its receiving or current agency. */
  canReceiveAt(s: DossierScope, d: { agency_id: string; current_agency_id: string | null }) {
    return (
      dossiersPolicy.canReceive(s, d.agency_id) ||
      (d.current_agency_id !== null && dossiersPolicy.canReceive(s, d.current_agency_id))
    );
  },
  /** A step of an agency the official works in, for their role there, or assigned to them. */
  canProcess(s: DossierScope, step: StepRow) {
    if (!s.can.process || !s.agencyIds.includes(step.agency_id)) return false;
    return (
      (s.who !== null && step.official_id === s.who) ||
      s.rolePairs.some((p) => p.agencyId === step.agency_id && p.role === step.role)
    );
  },
  /** Supervisors of an agency: overdue lists and reassigning its steps. */
  canSupervise(s: DossierScope, agencyId: string) {
    return s.can.supervise && s.agencyIds.includes(agencyId);
  },
  /** An apology comes from an official of the responsible (current) agency who processes dossiers. */
  canApologise(s: DossierScope, currentAgencyId: string | null) {
    return (
      currentAgencyId !== null && s.agencyIds.includes(currentAgencyId) && (s.can.process || s.can.supervise)
    );
  },
  /** The citizen account that submitted the dossier online (portal); nobody owns a counter dossier. */
  isOwner(citizenId: string, d: { citizen_id: string | null }) {
    return d.citizen_id !== null && d.citizen_id === citizenId;
  },
  /** Agencies whose overdue lists the official sees. */
  supervisedAgencies(s: DossierScope) {
    return s.can.supervise ? s.agencyIds : [];
  },
  /** A citizen sees an online dossier only if their account submitted it. */
  ownsOnline(citizenId: string, d: { citizen_id: string | null }) {
    return d.citizen_id !== null && d.citizen_id === citizenId;
  },
  /**
   * An online submission: every paper names a component of the case (once), and every required
   * component without an alternative group is given; of an alternative group, at least one.
   */
  checkOnlineSubmission(
    specs: { id: string; required: boolean; alternative_group: string | null }[],
    given: { specId: string; blob?: string | undefined; storeItemId?: string | undefined }[],
  ) {
    const ids = new Set(specs.map((s) => s.id));
    const seen = new Set<string>();
    for (const g of given) {
      if (!ids.has(g.specId) || seen.has(g.specId) || (!g.blob && !g.storeItemId))
        throw new AppError('DOSSIER_PROCEDURE_INVALID', { specId: g.specId });
      seen.add(g.specId);
    }
    const groups = new Map<string, boolean>();
    for (const s of specs) {
      if (!s.required) continue;
      if (s.alternative_group)
        groups.set(s.alternative_group, (groups.get(s.alternative_group) ?? false) || seen.has(s.id));
      else if (!seen.has(s.id)) throw new AppError('SUBMISSION_COMPONENT_REQUIRED', { specId: s.id });
    }
    for (const [group, ok] of groups) if (!ok) throw new AppError('SUBMISSION_COMPONENT_REQUIRED', { group });
  },
} as const;
