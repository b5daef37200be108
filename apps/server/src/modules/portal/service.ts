/**
 * The public portal's data: what each page shows, read through the procedures, dossiers, stats
 * and org services (never their repositories). Reads only; nothing here changes state.
 */
import type {
  CitizenProfileUpdate,
  CitizenSignIn,
  CitizenSignUp,
  CitizenStoreItem,
  PublicDossierStatus,
} from '@congvu/contracts';
import type { AgencyOption, CatalogueFilters, IndexView } from '@congvu/portal';
import { AppError } from '../../platform/errors.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import type { CitizensService, RequestMeta } from '../citizens/service.ts';
import type { DossiersService } from '../dossiers/service.ts';
import type { StatsService } from '../dossiers/stats-service.ts';
import type { OrgService } from '../org/service.ts';
import type { PaymentsService } from '../payments/service.ts';
import type { ProceduresService } from '../procedures/service.ts';

export const CATALOGUE_PAGE_SIZE = 20;
/** The statistics page is the same for everyone: computed at most once per year and period. */
const STATS_TTL_MS = 5 * 60_000;

type PublicIndex = Awaited<ReturnType<StatsService['publicIndex']>>;

function indexView(r: PublicIndex, name: string): IndexView {
  const c = r.counts;
  const onTime = c.doneEarly + c.doneOnDueDate;
  const done = onTime + c.doneLate;
  return {
    code: r.agency?.code ?? null,
    name,
    received: c.received,
    finished: c.finished,
    onTimeRate: done > 0 ? onTime / done : null,
    total: r.total,
    totalMax: r.totalMax,
    figures: r.figures.map((f) => ({
      label: f.label,
      labelEn: f.labelEn,
      ratio: f.ratio,
      points: f.points,
      maxPoints: f.maxPoints,
    })),
  };
}

export function portalService(deps: {
  procedures: ProceduresService;
  dossiers: DossiersService;
  stats: StatsService;
  org: OrgService;
  citizens: CitizensService;
  /** Online payment of the owner's fees ("Hồ sơ của tôi"). */
  payments: PaymentsService;
  now: () => Date;
}) {
  const { procedures, dossiers, stats, org, citizens } = deps;
  const statsCache = new Map<
    number,
    { at: number; value: Promise<{ province: IndexView; agencies: IndexView[] }> }
  >();

  async function agencies(): Promise<AgencyOption[]> {
    return (await org.listAgencies({})).map((a) => ({ code: a.code, name: a.name }));
  }

  return {
    async home() {
      const [sectors, list] = await Promise.all([
        procedures.sectors(),
        procedures.list({ published: true, allVersions: undefined, sort: 'name', page: 1, pageSize: 1 }),
      ]);
      return { sectors: sectors.filter((s) => s.validTo === null), procedureCount: list.total };
    },

    /** Published procedures in force today; words match without diacritics (f_search_key). */
    async catalogue(f: CatalogueFilters) {
      const page = f.trang ?? 1;
      const agencyId = f.coQuan ? await org.findActiveAgencyIdByCode(f.coQuan) : undefined;
      const [sectors, agencyList, list] = await Promise.all([
        procedures.sectors(),
        agencies(),
        f.coQuan && !agencyId
          ? Promise.resolve({ items: [], total: 0 })
          : procedures.list({
              q: f.q || undefined,
              sectorCode: f.linhVuc || undefined,
              agencyId,
              authorityLevel: f.capDo || undefined,
              published: true,
              allVersions: undefined,
              sort: 'name',
              page,
              pageSize: CATALOGUE_PAGE_SIZE,
            }),
      ]);
      return {
        filters: f,
        sectors: sectors.filter((s) => s.validTo === null),
        agencies: agencyList,
        items: list.items,
        total: list.total,
        pageSize: CATALOGUE_PAGE_SIZE,
      };
    },

    /** The published version in force of a procedure code; PROCEDURE_NOT_FOUND otherwise. */
    async procedure(code: string) {
      const { items } = await procedures.list({
        code,
        published: true,
        allVersions: undefined,
        sort: 'name',
        page: 1,
        pageSize: 1,
      });
      const found = items[0];
      if (!found) throw new AppError('PROCEDURE_NOT_FOUND');
      return procedures.get(found.id);
    },

    /** A downloadable form of a published procedure; FILE_NOT_FOUND for any other blob. */
    async form(sha256: string) {
      const f = await procedures.publishedForm(sha256);
      if (!f) throw new AppError('FILE_NOT_FOUND');
      return f;
    },

    /** The public status, or null: an unknown code and a wrong secret look the same. */
    async lookup(code: string, secret: string): Promise<PublicDossierStatus | null> {
      if (secret.length < 6) return null;
      try {
        return await dossiers.publicStatus(code, secret);
      } catch (e) {
        if (e instanceof AppError && e.code === 'DOSSIER_NOT_FOUND') return null;
        throw e;
      }
    },

    /** The province and every agency that received dossiers in the year, best score first. */
    async stats(year: number) {
      const hit = statsCache.get(year);
      if (hit && Date.now() - hit.at < STATS_TTL_MS) return hit.value;
      const value = (async () => {
        const province = indexView(await stats.publicIndex({ year }), 'Toàn tỉnh');
        const rows: IndexView[] = [];
        for (const a of await agencies()) {
          const r = await stats.publicIndex({ agencyCode: a.code, year });
          if (r.counts.received > 0) rows.push(indexView(r, a.name));
        }
        const score = (v: IndexView) => (v.totalMax > 0 ? v.total / v.totalMax : -1);
        rows.sort((x, y) => score(y) - score(x) || x.name.localeCompare(y.name, 'vi'));
        return { province, agencies: rows };
      })();
      statsCache.set(year, { at: Date.now(), value });
      value.catch(() => statsCache.delete(year));
      return value;
    },

    /**
     * The citizen's account pages: everything goes through the citizens service (which audits
     * every change); the portal only renders.
     */
    account: {
      /** The signed-in citizen of a cookie and the name for the header, or null. */
      async whoIs(
        cookie: string | undefined,
      ): Promise<{ auth: CitizenAuth; fullName: string; unread: number } | null> {
        if (!cookie) return null;
        const auth = await citizens.fromCookie(cookie);
        if (!auth) return null;
        try {
          const fullName = (await citizens.profile(auth)).fullName;
          return { auth, fullName, unread: await citizens.unreadCount(auth) };
        } catch (e) {
          if (e instanceof AppError && e.code === 'UNAUTHENTICATED') return null;
          throw e;
        }
      },
      signIn: (input: CitizenSignIn, meta: RequestMeta) => citizens.signIn(input, meta),
      signUp: (input: CitizenSignUp, meta: RequestMeta) => citizens.signUp(input, meta),
      signOut: (auth: CitizenAuth, meta: RequestMeta) => citizens.signOut(auth, meta),
      profile: (auth: CitizenAuth) => citizens.profile(auth),
      updateProfile: (auth: CitizenAuth, input: CitizenProfileUpdate, meta: RequestMeta) =>
        citizens.updateProfile(auth, input, meta),
      requestReset: (email: string, meta: RequestMeta) => citizens.requestReset(email, meta),
      confirmReset: (token: string, newPassword: string, meta: RequestMeta) =>
        citizens.confirmReset(token, newPassword, meta),
      notifications: (auth: CitizenAuth) => citizens.notifications(auth, 100),
      markRead: (auth: CitizenAuth, id: string) => citizens.markRead(auth, id),
      markAllRead: (auth: CitizenAuth) => citizens.markAllRead(auth),
      setNotificationPrefs: (auth: CitizenAuth, prefs: { email: boolean; sms: boolean }, meta: RequestMeta) =>
        citizens.setNotificationPrefs(auth, prefs, meta),
      unlinkIdentity: (auth: CitizenAuth, issuer: string, meta: RequestMeta) =>
        citizens.unlinkIdentity(auth, issuer, meta),
      /** The data store, or null while the profile has no CCCD. */
      async store(auth: CitizenAuth): Promise<CitizenStoreItem[] | null> {
        try {
          return await citizens.store(auth);
        } catch (e) {
          if (e instanceof AppError && e.code === 'CITIZEN_ID_NO_REQUIRED') return null;
          throw e;
        }
      },
    },

    /**
     * "Hồ sơ của tôi": the signed-in citizen's own dossiers, through the dossiers and payments
     * services (which check ownership and audit every change).
     */
    mine: {
      list: (auth: CitizenAuth) => dossiers.citizenDossiers(auth.citizenId),
      dossier: (auth: CitizenAuth, code: string) => dossiers.citizenDossier(auth.citizenId, code),
      supplement: (
        auth: CitizenAuth,
        code: string,
        input: Parameters<DossiersService['citizenSupplement']>[3],
        meta: RequestMeta,
      ) => dossiers.citizenSupplement({ auth: null, ip: meta.ip }, auth.citizenId, code, input),
      withdraw: (auth: CitizenAuth, code: string, reason: string, meta: RequestMeta) =>
        dossiers.citizenWithdraw({ auth: null, ip: meta.ip }, auth.citizenId, code, { reason }),
      choosePost: (
        auth: CitizenAuth,
        code: string,
        input: { address: string; phone: string },
        meta: RequestMeta,
      ) => dossiers.citizenChoosePost({ auth: null, ip: meta.ip }, auth.citizenId, code, input),
      result: (auth: CitizenAuth, code: string, resultId: string) =>
        dossiers.citizenResult(auth.citizenId, code, resultId),
      rate: (
        auth: CitizenAuth,
        code: string,
        input: Parameters<DossiersService['rate']>[3],
        meta: RequestMeta,
      ) => dossiers.rate({ auth: null, ip: meta.ip }, auth.citizenId, code, input),
      pay: (auth: CitizenAuth, code: string, ctx: { ipAddr: string; returnUrl: string }, meta: RequestMeta) =>
        deps.payments.createOrder({ auth: null, ip: meta.ip }, { code, citizenId: auth.citizenId }, ctx),
      paymentReturned: (query: Record<string, string>) => deps.payments.returned(query),
      receipt: (auth: CitizenAuth, code: string, txnRef: string) =>
        deps.payments.receipt(null, txnRef, { code, citizenId: auth.citizenId }),
      /** The data store items the citizen may attach (null without a CCCD in the profile). */
      async store(auth: CitizenAuth) {
        try {
          return (await citizens.store(auth)).map((i) => ({ id: i.id, name: i.name }));
        } catch (e) {
          if (e instanceof AppError && e.code === 'CITIZEN_ID_NO_REQUIRED') return null;
          throw e;
        }
      },
    },

    /** The current year in Việt Nam by the business clock. */
    currentYear() {
      return new Date(deps.now().getTime() + 7 * 3_600_000).getUTCFullYear();
    },
  };
}

export type PortalService = ReturnType<typeof portalService>;
