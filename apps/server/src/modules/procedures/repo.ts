import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type {
  ProcedureCasesTable,
  ProcedureChannelsTable,
  ProcedureComponentsTable,
  ProceduresTable,
  ProcedureWorkflowStepsTable,
} from '../../db/schema.ts';

export type ProcedureRow = Selectable<ProceduresTable> & { sector_name: string | null };

/** One procedure version with its children, ready to insert in batches. */
export interface ProcedureTree {
  procedure: Insertable<ProceduresTable>;
  agencyIds: string[];
  cases: Insertable<ProcedureCasesTable>[];
  channels: Insertable<ProcedureChannelsTable>[];
  components: Insertable<ProcedureComponentsTable>[];
  steps: Insertable<ProcedureWorkflowStepsTable>[];
}

export interface ListFilters {
  q?: string | undefined;
  sectorCode?: string | undefined;
  agencyId?: string | undefined;
  authorityLevel?: string | undefined;
  onlineLevel?: string | undefined;
  published?: boolean | undefined;
  on: string | null;
  code?: string | undefined;
  sort: 'name' | 'code';
  page: number;
  pageSize: number;
}

/** Rows go in chunks: PostgreSQL takes at most 65,535 parameters per statement. */
const CHUNK = 1000;
async function insertChunked<T>(rows: T[], insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export function proceduresRepo(db: Db) {
  const base = () =>
    db
      .selectFrom('procedures as p')
      .leftJoin('procedure_sectors as s', 's.code', 'p.sector_code')
      .selectAll('p')
      .select('s.name as sector_name');

  return {
    /** For module dossiers: the procedure version, case and channel row, if the procedure is published, in force on `day` and offered at the agency. */
    async receptionCatalogue(
      procedureId: string,
      caseId: string,
      channel: 1 | 2 | 3,
      agencyId: string,
      day: string,
    ) {
      const proc = await db
        .selectFrom('procedures as p')
        .innerJoin('procedure_agencies as pa', 'pa.procedure_id', 'p.id')
        .innerJoin('procedure_cases as c', 'c.procedure_id', 'p.id')
        .innerJoin('procedure_channels as ch', 'ch.case_id', 'c.id')
        .select([
          'p.id',
          'p.code',
          'p.name',
          'c.id as case_id',
          'c.name as case_name',
          'ch.duration_value',
          'ch.duration_unit',
          'ch.fees',
        ])
        .where('p.id', '=', procedureId)
        .where('p.published', '=', true)
        .where('p.valid_from', '<=', day)
        .where((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>', day)]))
        .where('pa.agency_id', '=', agencyId)
        .where('c.id', '=', caseId)
        .where('ch.channel', '=', channel)
        .executeTakeFirst();
      if (!proc) return null;
      const [workflow, components] = await Promise.all([
        db
          .selectFrom('procedure_workflow_steps')
          .selectAll()
          .where('case_id', '=', caseId)
          .orderBy('ordinal')
          .execute(),
        db
          .selectFrom('procedure_components')
          .selectAll()
          .where('case_id', '=', caseId)
          .orderBy('ordinal')
          .execute(),
      ]);
      return { ...proc, workflow, components };
    },

    // --- Sectors

    listSectors() {
      return db.selectFrom('procedure_sectors').selectAll().orderBy('code').execute();
    },
    findSector(code: string) {
      return db.selectFrom('procedure_sectors').selectAll().where('code', '=', code).executeTakeFirst();
    },
    async insertSector(row: { code: string; name: string; valid_from?: string }) {
      const r = await db
        .insertInto('procedure_sectors')
        .values(row)
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('code')
        .executeTakeFirst();
      return r !== undefined;
    },
    /** Sectors named by an import: new ones are created, existing ones left as they are. */
    async ensureSectors(rows: Array<{ code: string; name: string }>) {
      if (rows.length === 0) return;
      await insertChunked(rows, (part) =>
        db
          .insertInto('procedure_sectors')
          .values(part)
          .onConflict((oc) => oc.column('code').doNothing())
          .execute(),
      );
    },

    // --- Agencies and departments named by a procedure

    agencies(ids: string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom('agencies').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
    },
    agenciesByCode(codes: string[]) {
      if (codes.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('agencies')
        .select(['id', 'code'])
        .where('code', 'in', codes)
        .where('valid_to', 'is', null)
        .execute();
    },
    departments(ids: string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom('departments').select(['id', 'agency_id']).where('id', 'in', ids).execute();
    },

    // --- Procedures

    async list(f: ListFilters) {
      let q = base();
      if (f.on !== null) {
        const on = f.on;
        q = q
          .where('p.valid_from', '<=', on)
          .where((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>', on)]));
      }
      if (f.q) q = q.where(sql<boolean>`p.search_text LIKE '%' || f_search_key(${f.q}) || '%'`);
      if (f.code) q = q.where('p.code', '=', f.code);
      if (f.sectorCode) q = q.where('p.sector_code', '=', f.sectorCode);
      if (f.authorityLevel) q = q.where('p.authority_level', '=', f.authorityLevel as 'province');
      if (f.onlineLevel) q = q.where('p.online_level', '=', f.onlineLevel as 'full');
      if (f.published !== undefined) q = q.where('p.published', '=', f.published);
      if (f.agencyId) {
        const agencyId = f.agencyId;
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('procedure_agencies as pa')
              .select('pa.agency_id')
              .whereRef('pa.procedure_id', '=', 'p.id')
              .where('pa.agency_id', '=', agencyId),
          ),
        );
      }
      const [{ n }] = (await q
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .execute()) as [{ n: string }];
      const ordered =
        f.sort === 'code'
          ? q.orderBy('p.code').orderBy('p.valid_from', 'desc')
          : q.orderBy(sql`p.sort_key COLLATE "C"`).orderBy('p.code').orderBy('p.valid_from', 'desc');
      const rows = await ordered
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return { rows: rows as ProcedureRow[], total: Number(n) };
    },

    find(id: string) {
      return base().where('p.id', '=', id).executeTakeFirst() as Promise<ProcedureRow | undefined>;
    },
    lock(id: string) {
      return db.selectFrom('procedures').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },
    versionsOf(code: string) {
      return db
        .selectFrom('procedures')
        .select(['id', 'valid_from', 'valid_to'])
        .where('code', '=', code)
        .orderBy('valid_from')
        .forUpdate()
        .execute();
    },
    /** The latest version (by valid_from) of each code. */
    latestByCodes(codes: string[]) {
      if (codes.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('procedures')
        .distinctOn('code')
        .select(['id', 'code', 'valid_from', 'valid_to', 'source_hash'])
        .where('code', 'in', codes)
        .orderBy('code')
        .orderBy('valid_from', 'desc')
        .execute();
    },
    /** A form template (component form_blob) of a published version in force on a day, with its blob. */
    publishedForm(sha256: string, on: string) {
      return db
        .selectFrom('procedure_components as k')
        .innerJoin('procedure_cases as c', 'c.id', 'k.case_id')
        .innerJoin('procedures as p', 'p.id', 'c.procedure_id')
        .innerJoin('blobs as b', 'b.sha256', 'k.form_blob')
        .select(['b.sha256', 'b.mime', 'k.form_name', 'k.name'])
        .where('k.form_blob', '=', sha256)
        .where('p.published', '=', true)
        .where('p.valid_from', '<=', on)
        .where((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>', on)]))
        .limit(1)
        .executeTakeFirst();
    },
    /** Versions in force on a day (all when `on` is null), for export. */
    idsInForce(on: string, published: boolean | undefined) {
      let q = db
        .selectFrom('procedures')
        .select('id')
        .where('valid_from', '<=', on)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', on)]));
      if (published !== undefined) q = q.where('published', '=', published);
      return q.orderBy('code').execute();
    },

    async insertTrees(trees: ProcedureTree[], opts: { heads: boolean } = { heads: true }) {
      if (trees.length === 0) return;
      if (opts.heads)
        await insertChunked(
          trees.map((t) => t.procedure),
          (part) => db.insertInto('procedures').values(part).execute(),
        );
      const links = trees.flatMap((t) =>
        t.agencyIds.map((a) => ({ procedure_id: t.procedure.id, agency_id: a })),
      );
      await insertChunked(links, (part) => db.insertInto('procedure_agencies').values(part).execute());
      await insertChunked(
        trees.flatMap((t) => t.cases),
        (part) => db.insertInto('procedure_cases').values(part).execute(),
      );
      await insertChunked(
        trees.flatMap((t) => t.channels),
        (part) => db.insertInto('procedure_channels').values(part).execute(),
      );
      await insertChunked(
        trees.flatMap((t) => t.components),
        (part) => db.insertInto('procedure_components').values(part).execute(),
      );
      await insertChunked(
        trees.flatMap((t) => t.steps),
        (part) => db.insertInto('procedure_workflow_steps').values(part).execute(),
      );
    },
    /** Removes the children of versions before their content is written again (cascade from cases). */
    async deleteChildren(ids: string[]) {
      if (ids.length === 0) return;
      await db.deleteFrom('procedure_cases').where('procedure_id', 'in', ids).execute();
      await db.deleteFrom('procedure_agencies').where('procedure_id', 'in', ids).execute();
    },
    /** Version rows themselves are kept; the caller wrote their new columns into `row`. */
    async replaceHeads(rows: Insertable<ProceduresTable>[]) {
      for (const r of rows) {
        const { id, code: _code, valid_from: _from, created_by: _by, created_at: _at, ...set } = r;
        await db
          .updateTable('procedures')
          .set({ ...set, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
      }
    },
    setPublished(id: string, published: boolean, sourceHash: string) {
      return db
        .updateTable('procedures')
        .set({ published, source_hash: sourceHash, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    closeVersion(id: string, validTo: string) {
      return db
        .updateTable('procedures')
        .set({ valid_to: validTo, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },

    // --- Children, loaded for many versions at once

    async children(ids: string[]) {
      if (ids.length === 0) return { agencies: [], cases: [], channels: [], components: [], steps: [] };
      const cases = await db
        .selectFrom('procedure_cases')
        .selectAll()
        .where('procedure_id', 'in', ids)
        .orderBy('procedure_id')
        .orderBy('ordinal')
        .execute();
      const caseIds = cases.map((c) => c.id);
      const none = caseIds.length === 0;
      const [agencies, channels, components, steps] = await Promise.all([
        db
          .selectFrom('procedure_agencies as pa')
          .innerJoin('agencies as a', 'a.id', 'pa.agency_id')
          .select(['pa.procedure_id', 'a.id', 'a.code', 'a.name'])
          .where('pa.procedure_id', 'in', ids)
          .orderBy(sql`a.sort_key COLLATE "C"`)
          .execute(),
        none
          ? []
          : db
              .selectFrom('procedure_channels')
              .selectAll()
              .where('case_id', 'in', caseIds)
              .orderBy('case_id')
              .orderBy('channel')
              .execute(),
        none
          ? []
          : db
              .selectFrom('procedure_components')
              .selectAll()
              .where('case_id', 'in', caseIds)
              .orderBy('case_id')
              .orderBy('ordinal')
              .execute(),
        none
          ? []
          : db
              .selectFrom('procedure_workflow_steps as w')
              .leftJoin('agencies as a', 'a.id', 'w.agency_id')
              .leftJoin('departments as d', 'd.id', 'w.department_id')
              .selectAll('w')
              .select(['a.name as agency_name', 'd.name as department_name'])
              .where('w.case_id', 'in', caseIds)
              .orderBy('w.case_id')
              .orderBy('w.ordinal')
              .execute(),
      ]);
      return { agencies, cases, channels, components, steps };
    },
    /** Versions that dossiers point to (their content can no longer be rewritten in place). */
    async usedByDossiers(ids: string[]) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('dossiers')
        .select('procedure_id')
        .distinct()
        .where('procedure_id', 'in', ids)
        .execute();
      return rows.map((r) => r.procedure_id);
    },
    findCase(caseId: string) {
      return db.selectFrom('procedure_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    },
    /** Many versions by id, in the given order. */
    async findMany(ids: string[]) {
      if (ids.length === 0) return [];
      const rows = (await base().where('p.id', 'in', ids).execute()) as ProcedureRow[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is ProcedureRow => r !== undefined);
    },

    // --- Import runs

    insertImportRun(row: {
      id: string;
      started_by: string | null;
      total: number;
      created: number;
      updated: number;
      unchanged: number;
      rejected: string;
    }) {
      return db.insertInto('procedure_import_runs').values(row).execute();
    },
  };
}
