import type { Db } from '../../db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { localDay } from '../../platform/vntime.ts';
import type { OrgService } from '../org/service.ts';
import { computeIndex } from './index766.ts';
import { statsPolicy } from './stats-policy.ts';
import { type AgencyFilter, type ExportFilter, statsRepo } from './stats-repo.ts';

/** Today in Việt Nam (yyyy-mm-dd). */
export function vnToday(now = new Date()): string {
  return localDay(now);
}

const MAX_DAYS = 3 * 366;

function checkPeriod(from: string, to: string) {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (!(days >= 0) || days > MAX_DAYS) throw new AppError('STATS_PERIOD_INVALID', { from, to });
}

export function statsService(db: Db, org: OrgService, clock: () => Date = () => new Date()) {
  const repo = statsRepo(db);

  async function scopeOf(auth: AuthContext) {
    const who = auth.actingFor?.id ?? auth.officialId;
    return statsPolicy.scope(auth, who ? await org.agencyIdsOf(who) : []);
  }

  async function agenciesFor(auth: AuthContext, agencyId: string | undefined): Promise<AgencyFilter> {
    const a = statsPolicy.agencies(await scopeOf(auth), agencyId);
    if (a === 'forbidden') throw new AppError('STATS_AGENCY_FORBIDDEN');
    return a;
  }

  /**
   * The index of a period. A period still running ends today for the "not yet due at period end"
   * test (a dossier due tomorrow is not late yet); the rules are those in force on that day.
   */
  async function index(agencies: AgencyFilter, from: string, to: string) {
    checkPeriod(from, to);
    const today = vnToday(clock());
    const periodEnd = to > today ? (from > today ? from : today) : to;
    const [rules, counts] = await Promise.all([
      repo.rulesInForce(periodEnd),
      repo.periodCounts(agencies, from, periodEnd),
    ]);
    return { from, to, periodEnd, counts, ...computeIndex(rules, counts) };
  }

  return {
    /** Staff: one agency in scope, or everything in scope (the province for an administrator). */
    async index766(auth: AuthContext, q: { agencyId?: string | undefined; from: string; to: string }) {
      const agencies = await agenciesFor(auth, q.agencyId);
      return { agencyId: q.agencyId ?? null, ...(await index(agencies, q.from, q.to)) };
    },

    /** Public: the figures of an agency (by its code) or the province for a calendar year. */
    async publicIndex(q: { agencyCode?: string | undefined; year: number }) {
      let agencies: AgencyFilter = null;
      let agency: { code: string; name: string } | null = null;
      if (q.agencyCode) {
        const id = await org.findActiveAgencyIdByCode(q.agencyCode);
        if (!id) throw new AppError('AGENCY_NOT_FOUND');
        const a = await org.getAgency(id);
        agency = { code: a.code, name: a.name };
        agencies = [id];
      }
      const r = await index(agencies, `${q.year}-01-01`, `${q.year}-12-31`);
      return { agency, year: q.year, ...r };
    },

    async dashboard(
      auth: AuthContext,
      q: { agencyId?: string | undefined; from: string; to: string; by: 'agency' | 'procedure' | 'official' },
    ) {
      checkPeriod(q.from, q.to);
      const agencies = await agenciesFor(auth, q.agencyId);
      return {
        from: q.from,
        to: q.to,
        by: q.by,
        rows: await repo.dashboard(agencies, q.from, q.to, q.by, clock()),
      };
    },

    /** Checks the reader may export what the filter asks, before anything is streamed. */
    async exportFilter(
      auth: AuthContext,
      q: {
        agencyId?: string | undefined;
        from?: string | undefined;
        to?: string | undefined;
        state?: string;
      },
    ): Promise<ExportFilter> {
      if (q.from && q.to && q.from > q.to)
        throw new AppError('STATS_PERIOD_INVALID', { from: q.from, to: q.to });
      return { agencies: await agenciesFor(auth, q.agencyId), from: q.from, to: q.to, state: q.state };
    },

    exportPage: repo.exportPage,
  };
}

export type StatsService = ReturnType<typeof statsService>;
