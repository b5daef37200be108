import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { AgenciesTable, DepartmentsTable } from '../../db/schema.ts';
import { localDay } from '../../platform/vntime.ts';

type AgencyInsert = Omit<AgenciesTable, 'created_at' | 'updated_at'>;

/**
 * Diacritic-insensitive match: every word of the query appears in the text (after folding
 * accents and đ), so "nong nghiep moi truong" finds "Sở Nông nghiệp và Môi trường".
 */
export function matchesWords(text: RawBuilder<unknown>, query: string) {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return sql<boolean>`true`;
  return sql<boolean>`(${sql.join(
    words.map((w) => sql`f_search_key(${text}) LIKE '%' || f_search_key(${w}) || '%'`),
    sql` AND `,
  )})`;
}

/** Alive on `d`: valid_from ≤ d and (no end or valid_to ≥ d). */
const aliveOn = (d: string) =>
  sql<boolean>`valid_from <= ${d}::date AND (valid_to IS NULL OR valid_to >= ${d}::date)`;

export function orgRepo(db: Db) {
  return {
    // --- agencies
    listAgencies(q: { asOf?: string | undefined; search?: string | undefined; includeInactive: boolean }) {
      let qb = db.selectFrom('agencies').selectAll();
      if (!q.includeInactive) qb = qb.where(aliveOn(q.asOf ?? today()));
      if (q.search) qb = qb.where(matchesWords(sql`name || ' ' || code`, q.search));
      return qb.orderBy(sql`sort_key COLLATE "C"`).execute();
    },
    findAgency(id: string) {
      return db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findAgencies(ids: string[]) {
      return ids.length
        ? db.selectFrom('agencies').selectAll().where('id', 'in', ids).execute()
        : Promise.resolve([]);
    },
    activeAgencyByCode(code: string) {
      return db
        .selectFrom('agencies')
        .select('id')
        .where('code', '=', code)
        .where('valid_to', 'is', null)
        .executeTakeFirst();
    },
    insertAgency(a: AgencyInsert) {
      return db.insertInto('agencies').values(a).returningAll().executeTakeFirstOrThrow();
    },
    updateAgency(
      id: string,
      patch: Partial<Pick<AgenciesTable, 'name' | 'short_name' | 'legacy_code' | 'sort_key'>>,
    ) {
      return db
        .updateTable('agencies')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    closeAgency(id: string, validTo: string, successorId: string | null) {
      return db
        .updateTable('agencies')
        .set({ valid_to: validTo, successor_id: successorId, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    /** Moves the still-active child agencies of `fromId` under `toId`. */
    reparentChildren(fromId: string, toId: string) {
      return db
        .updateTable('agencies')
        .set({ parent_id: toId, updated_at: new Date() })
        .where('parent_id', '=', fromId)
        .where('valid_to', 'is', null)
        .execute();
    },
    insertReorganisation(r: {
      id: string;
      kind: 'merge' | 'split';
      effective_date: string;
      source_ids: string[];
      target_ids: string[];
      note: string | null;
      created_by: string | null;
    }) {
      return db.insertInto('agency_reorganisations').values(r).execute();
    },

    // --- departments
    listDepartments(agencyId: string | undefined, includeInactive: boolean) {
      let qb = db.selectFrom('departments').selectAll();
      if (agencyId) qb = qb.where('agency_id', '=', agencyId);
      if (!includeInactive) qb = qb.where('valid_to', 'is', null);
      return qb.orderBy(sql`sort_key COLLATE "C"`).execute();
    },
    findDepartment(id: string) {
      return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
    },
    countDepartments(ids: string[]) {
      return db
        .selectFrom('departments')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow();
    },
    insertDepartment(d: Omit<DepartmentsTable, 'created_at'>) {
      return db.insertInto('departments').values(d).returningAll().executeTakeFirstOrThrow();
    },
    updateDepartment(
      id: string,
      patch: Partial<Pick<DepartmentsTable, 'name' | 'code' | 'valid_to' | 'sort_key'>>,
    ) {
      return db.updateTable('departments').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
    },

    // --- positions
    listPositions() {
      return db.selectFrom('positions').selectAll().orderBy('rank').orderBy('name').execute();
    },
    insertPosition(p: { id: string; name: string; rank: number }) {
      return db.insertInto('positions').values(p).returningAll().executeTakeFirstOrThrow();
    },
    countPositions(ids: string[]) {
      return db
        .selectFrom('positions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow();
    },
    positionByName(name: string) {
      return db.selectFrom('positions').select('id').where('name', '=', name).executeTakeFirst();
    },

    // --- officials
    async listOfficials(q: {
      search?: string | undefined;
      agencyId?: string | undefined;
      departmentId?: string | undefined;
      role?: string | undefined;
      page: number;
      pageSize: number;
    }) {
      let base = db.selectFrom('officials as o');
      if (q.search) {
        base = base.where(matchesWords(sql`o.full_name || ' ' || o.username`, q.search));
      }
      if (q.departmentId) {
        const dep = q.departmentId;
        base = base.where((eb) =>
          eb.exists(
            eb
              .selectFrom('memberships as m')
              .select('m.official_id')
              .whereRef('m.official_id', '=', 'o.id')
              .where('m.department_id', '=', dep),
          ),
        );
      }
      if (q.agencyId) {
        const ag = q.agencyId;
        base = base.where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('memberships as m')
                .innerJoin('departments as d', 'd.id', 'm.department_id')
                .select('m.official_id')
                .whereRef('m.official_id', '=', 'o.id')
                .where('d.agency_id', '=', ag),
            ),
            eb.exists(
              eb
                .selectFrom('official_roles as r')
                .select('r.official_id')
                .whereRef('r.official_id', '=', 'o.id')
                .where('r.agency_id', '=', ag),
            ),
          ]),
        );
      }
      if (q.role) {
        const role = q.role;
        base = base.where((eb) =>
          eb.exists(
            eb
              .selectFrom('official_roles as r')
              .select('r.official_id')
              .whereRef('r.official_id', '=', 'o.id')
              .where('r.role', '=', role),
          ),
        );
      }
      const [rows, total] = await Promise.all([
        base
          .leftJoin('memberships as pm', (j) =>
            j.onRef('pm.official_id', '=', 'o.id').on('pm.is_primary', '=', true),
          )
          .leftJoin('departments as pd', 'pd.id', 'pm.department_id')
          .leftJoin('agencies as pa', 'pa.id', 'pd.agency_id')
          .leftJoin('positions as pp', 'pp.id', 'pm.position_id')
          .select([
            'o.id',
            'o.username',
            'o.full_name',
            'o.email',
            'o.is_active',
            'pd.name as department_name',
            'pa.name as agency_name',
            'pp.name as position_name',
          ])
          .orderBy(sql`o.sort_key COLLATE "C"`)
          .orderBy('o.username')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },
    async anyOfficial() {
      return (await db.selectFrom('officials').select('id').limit(1).executeTakeFirst()) !== undefined;
    },
    officialByUsername(username: string) {
      return db.selectFrom('officials').select('id').where('username', '=', username).executeTakeFirst();
    },
    findOfficial(id: string) {
      return db.selectFrom('officials').selectAll().where('id', '=', id).executeTakeFirst();
    },
    usernameTaken(username: string) {
      return db.selectFrom('officials').select('id').where('username', '=', username).executeTakeFirst();
    },
    insertOfficial(o: {
      id: string;
      username: string;
      full_name: string;
      sort_key: string;
      email: string | null;
      phone: string | null;
      password_hash: string;
    }) {
      return db.insertInto('officials').values(o).returningAll().executeTakeFirstOrThrow();
    },
    updateOfficial(
      id: string,
      patch: Partial<{
        full_name: string;
        sort_key: string;
        email: string | null;
        phone: string | null;
        is_active: boolean;
      }>,
    ) {
      return db
        .updateTable('officials')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    setPassword(id: string, hash: string) {
      return db
        .updateTable('officials')
        .set({ password_hash: hash, password_changed_at: new Date(), failed_logins: 0, locked_until: null })
        .where('id', '=', id)
        .execute();
    },
    rolesOf(ids: string[]) {
      return ids.length
        ? db
            .selectFrom('official_roles')
            .selectAll()
            .where('official_id', 'in', ids)
            .orderBy('role')
            .execute()
        : Promise.resolve([]);
    },
    async replaceRoles(id: string, roles: { role: string; agency_id: string | null }[]) {
      await db.deleteFrom('official_roles').where('official_id', '=', id).execute();
      if (roles.length)
        await db
          .insertInto('official_roles')
          .values(roles.map((r) => ({ official_id: id, ...r })))
          .execute();
    },
    /** Agencies an official belongs to, through a department or a role held there. */
    async agencyIdsOf(id: string): Promise<string[]> {
      const [viaDepartments, viaRoles] = await Promise.all([
        db
          .selectFrom('memberships as m')
          .innerJoin('departments as d', 'd.id', 'm.department_id')
          .select('d.agency_id')
          .where('m.official_id', '=', id)
          .execute(),
        db.selectFrom('official_roles').select('agency_id').where('official_id', '=', id).execute(),
      ]);
      const ids = [...viaDepartments.map((r) => r.agency_id), ...viaRoles.map((r) => r.agency_id)];
      return [...new Set(ids.filter((x): x is string => x !== null))];
    },
    async departmentIdsOf(id: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('department_id')
        .where('official_id', '=', id)
        .execute();
      return rows.map((r) => r.department_id);
    },
    membershipsOf(id: string) {
      return db
        .selectFrom('memberships as m')
        .innerJoin('departments as d', 'd.id', 'm.department_id')
        .innerJoin('agencies as a', 'a.id', 'd.agency_id')
        .leftJoin('positions as p', 'p.id', 'm.position_id')
        .select([
          'm.department_id',
          'm.position_id',
          'm.is_primary',
          'd.name as department_name',
          'a.id as agency_id',
          'a.name as agency_name',
          'p.name as position_name',
        ])
        .where('m.official_id', '=', id)
        .orderBy('m.is_primary', 'desc')
        .orderBy('d.name')
        .execute();
    },
    async replaceMemberships(
      id: string,
      ms: { department_id: string; position_id: string | null; is_primary: boolean }[],
    ) {
      await db.deleteFrom('memberships').where('official_id', '=', id).execute();
      if (ms.length)
        await db
          .insertInto('memberships')
          .values(ms.map((m) => ({ official_id: id, ...m })))
          .execute();
    },

    // --- whom to tell (notifications)
    /** Active members of a department; with `role`, only those holding it there or province-wide. */
    departmentMembers(departmentId: string, role?: string) {
      let qb = db
        .selectFrom('memberships as m')
        .innerJoin('officials as o', 'o.id', 'm.official_id')
        .innerJoin('departments as d', 'd.id', 'm.department_id')
        .select('o.id')
        .where('m.department_id', '=', departmentId)
        .where('o.is_active', '=', true);
      if (role)
        qb = qb.where((eb) =>
          eb.exists(
            eb
              .selectFrom('official_roles as r')
              .select('r.official_id')
              .whereRef('r.official_id', '=', 'o.id')
              .where('r.role', '=', role)
              .where((e) =>
                e.or([e('r.agency_id', 'is', null), e('r.agency_id', '=', e.ref('d.agency_id'))]),
              ),
          ),
        );
      return qb.orderBy('o.id').execute();
    },
    /** Active officials holding a role for an agency: granted there, or province-wide to a member of it. */
    roleHolders(role: string, agencyId: string) {
      return db
        .selectFrom('officials as o')
        .select('o.id')
        .where('o.is_active', '=', true)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('official_roles as r')
              .select('r.official_id')
              .whereRef('r.official_id', '=', 'o.id')
              .where('r.role', '=', role)
              .where((e) =>
                e.or([
                  e('r.agency_id', '=', agencyId),
                  e.and([
                    e('r.agency_id', 'is', null),
                    e.exists(
                      e
                        .selectFrom('memberships as m')
                        .innerJoin('departments as d', 'd.id', 'm.department_id')
                        .select('m.official_id')
                        .whereRef('m.official_id', '=', 'o.id')
                        .where('d.agency_id', '=', agencyId),
                    ),
                  ]),
                ]),
              ),
          ),
        )
        .orderBy('o.id')
        .execute();
    },
    contacts(ids: string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('officials')
        .select(['id', 'full_name', 'email', 'is_active'])
        .where('id', 'in', ids)
        .execute();
    },

    // --- delegations
    listDelegations(officialId?: string) {
      let qb = db
        .selectFrom('delegations as d')
        .innerJoin('officials as f', 'f.id', 'd.from_official_id')
        .innerJoin('officials as t', 't.id', 'd.to_official_id')
        .select([
          'd.id',
          'd.from_official_id',
          'f.full_name as from_name',
          'd.to_official_id',
          't.full_name as to_name',
          'd.roles',
          'd.starts_at',
          'd.ends_at',
          'd.reason',
          'd.revoked_at',
        ]);
      if (officialId)
        qb = qb.where((eb) =>
          eb.or([eb('d.from_official_id', '=', officialId), eb('d.to_official_id', '=', officialId)]),
        );
      return qb.orderBy('d.starts_at', 'desc').execute();
    },
    findDelegation(id: string) {
      return db.selectFrom('delegations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    insertDelegation(d: {
      id: string;
      from_official_id: string;
      to_official_id: string;
      roles: string[];
      starts_at: Date;
      ends_at: Date;
      reason: string;
      created_by: string | null;
    }) {
      return db.insertInto('delegations').values(d).execute();
    },
    revokeDelegation(id: string) {
      return db
        .updateTable('delegations')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}

/** Today's date in Việt Nam. */
export function today(): string {
  return localDay(new Date());
}
