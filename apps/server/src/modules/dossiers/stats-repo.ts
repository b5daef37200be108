/**
 * All SQL of the dossier statistics: the QĐ 766 counts of a period (one statement with FILTER
 * clauses over the period's dossiers, their components and the catalogue), the supervisor
 * dashboard, and the keyset-paginated export. Dates are compared as local dates (Asia/Ho_Chi_Minh).
 */
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { IndexRule, PeriodCounts } from './index766.ts';

const TZ = 'Asia/Ho_Chi_Minh';

/** Agencies a query covers: null = the whole province. */
export type AgencyFilter = string[] | null;

const agencyCond = (agencies: AgencyFilter) =>
  agencies === null ? sql`true` : sql`d.agency_id = ANY(${agencies}::uuid[])`;

/** received_at within the local days [from, to]. */
const periodCond = (from: string, to: string) =>
  sql`d.received_at >= (${from}::date)::timestamp AT TIME ZONE ${TZ}
      AND d.received_at < (${to}::date + 1)::timestamp AT TIME ZONE ${TZ}`;

const localDate = (col: string) => sql`(${sql.ref(col)} AT TIME ZONE ${TZ})::date`;

export interface DashboardRow {
  key: string | null;
  name: string | null;
  code: string | null;
  total: number;
  in_progress_on_time: number;
  in_progress_late: number;
  paused: number;
  done_on_time: number;
  done_late: number;
  withdrawn: number;
  stopped: number;
  refused: number;
}

export interface ExportFilter {
  agencies: AgencyFilter;
  from?: string | undefined;
  to?: string | undefined;
  state?: string | undefined;
}

export interface ExportRow {
  id: string;
  code: string;
  agency_name: string;
  procedure_code: string;
  procedure_name: string;
  channel: number;
  state_label: string;
  applicant_name: string;
  received: string | null;
  due: string | null;
  finished: string | null;
  delivered: string | null;
  on_time: boolean | null;
  fee_total: string;
  paid_online: boolean;
  electronic_result: boolean;
}

const IN_PROGRESS = sql`('submitted', 'received', 'processing', 'supplement', 'financial')`;
const FINISHED = sql`('done', 'delivered')`;

export function statsRepo(db: Db) {
  return {
    /** The rows of service_index_rules in force on a day (the latest valid_from per code). */
    async rulesInForce(day: string): Promise<IndexRule[]> {
      const r = await sql<{
        code: string;
        group_code: string;
        group_label_vi: string;
        ordinal: number;
        label_vi: string;
        label_en: string;
        points: string;
        kind: IndexRule['kind'];
        threshold: string | null;
        factor_below: string | null;
        formula_vi: string;
        formula_en: string;
        valid_from: string;
        valid_to: string | null;
      }>`
        SELECT DISTINCT ON (code) code, group_code, group_label_vi, ordinal, label_vi, label_en, points, kind,
               threshold, factor_below, formula_vi, formula_en, valid_from, valid_to
        FROM service_index_rules
        WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to > ${day}::date)
        ORDER BY code, valid_from DESC`.execute(db);
      return r.rows.map((x) => ({
        code: x.code,
        groupCode: x.group_code,
        groupLabelVi: x.group_label_vi,
        ordinal: x.ordinal,
        labelVi: x.label_vi,
        labelEn: x.label_en,
        points: Number(x.points),
        kind: x.kind,
        threshold: x.threshold === null ? null : Number(x.threshold),
        factorBelow: x.factor_below === null ? null : Number(x.factor_below),
        formulaVi: x.formula_vi,
        formulaEn: x.formula_en,
        validFrom: x.valid_from,
        validTo: x.valid_to,
      }));
    },

    /**
     * Every count of the period in one statement: the period's dossiers (index on received_at or
     * agency_id, received_at) with their component counts, and the catalogue in force on the
     * period's last day.
     */
    async periodCounts(agencies: AgencyFilter, from: string, to: string): Promise<PeriodCounts> {
      // A province-year is about a million dossiers: the procedure-code aggregate and the
      // catalogue joins stay in memory with 64 MB; JIT compiling this many FILTER expressions costs
      // more than it saves (this statement only, SET LOCAL in its transaction). Component counts
      // are read from the dossier (kept by a trigger, migration 0023), not joined.
      const r = await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
        await sql`SET LOCAL jit = off`.execute(trx);
        return sql<Record<keyof PeriodCounts, string>>`
        WITH p AS (
          SELECT d.id, d.procedure_id, d.channel, d.state, d.fee_total, d.paid_online, d.electronic_result,
                 d.components_total, d.components_digitised, d.components_reused,
                 ${localDate('d.due_at')} AS due_day,
                 (coalesce(d.finished_at, d.delivered_at) AT TIME ZONE ${TZ})::date AS fin_day
          FROM dossiers d
          WHERE ${periodCond(from, to)} AND ${agencyCond(agencies)} AND d.state <> 'refused'
        ),
        dossier_counts AS (
          SELECT
            count(*) AS received,
            count(*) FILTER (WHERE p.channel = 2) AS online,
            count(*) FILTER (WHERE p.state NOT IN ('withdrawn', 'stopped')) AS "progressBase",
            count(*) FILTER (WHERE p.state IN ${IN_PROGRESS} AND (p.due_day IS NULL OR p.due_day >= ${to}::date))
              AS "inProgressOnTime",
            count(*) FILTER (WHERE p.state IN ${IN_PROGRESS} AND p.due_day < ${to}::date) AS "inProgressLate",
            count(*) FILTER (WHERE p.state IN ${FINISHED} AND p.fin_day < p.due_day) AS "doneEarly",
            count(*) FILTER (WHERE p.state IN ${FINISHED}
              AND (p.due_day IS NULL OR p.fin_day IS NULL OR p.fin_day = p.due_day)) AS "doneOnDueDate",
            count(*) FILTER (WHERE p.state IN ${FINISHED} AND p.fin_day > p.due_day) AS "doneLate",
            count(*) FILTER (WHERE p.state = 'withdrawn') AS withdrawn,
            count(*) FILTER (WHERE p.state = 'stopped') AS stopped,
            count(*) FILTER (WHERE p.state IN ('supplement', 'financial')) AS paused,
            count(*) FILTER (WHERE p.state IN ${FINISHED}) AS finished,
            count(*) FILTER (WHERE p.state IN ${FINISHED} AND p.electronic_result) AS "electronicResult",
            count(*) FILTER (WHERE p.components_total > 0 AND p.components_digitised = p.components_total)
              AS digitised,
            coalesce(sum(p.components_total), 0) AS components,
            coalesce(sum(p.components_reused), 0) AS "reusedComponents",
            count(*) FILTER (WHERE p.fee_total > 0) AS "feeBearing",
            count(*) FILTER (WHERE p.fee_total > 0 AND p.paid_online) AS "paidOnline"
          FROM p
        ),
        used AS (
          SELECT pr.code,
                 bool_or(p.channel = 2) AS online,
                 bool_or(p.fee_total > 0) AS fee,
                 bool_or(p.fee_total > 0 AND p.paid_online) AS paid_online
          FROM p JOIN procedures pr ON pr.id = p.procedure_id
          GROUP BY pr.code
        ),
        catalogue AS (
          SELECT pr.code,
                 (pr.online_level = 'full' OR EXISTS (
                   SELECT 1 FROM procedure_cases pc JOIN procedure_channels ch ON ch.case_id = pc.id
                   WHERE pc.procedure_id = pr.id AND ch.channel = 2)) AS online
          FROM procedures pr
          WHERE pr.published AND pr.valid_from <= ${to}::date AND (pr.valid_to IS NULL OR pr.valid_to > ${to}::date)
            AND (${agencies === null} OR EXISTS (
              SELECT 1 FROM procedure_agencies pa
              WHERE pa.procedure_id = pr.id AND pa.agency_id = ANY(${agencies ?? []}::uuid[])))
        ),
        catalogue_counts AS (
          SELECT count(DISTINCT cat.code) AS procedures,
                 count(DISTINCT cat.code) FILTER (WHERE cat.online) AS "onlineProcedures",
                 count(DISTINCT cat.code) FILTER (WHERE cat.online AND u.online) AS "onlineProceduresUsed"
          FROM catalogue cat LEFT JOIN used u ON u.code = cat.code
        ),
        fee_counts AS (
          SELECT count(*) FILTER (WHERE fee) AS "feeProcedures",
                 count(*) FILTER (WHERE paid_online) AS "feeProceduresPaidOnline"
          FROM used
        ),
        refused AS (
          SELECT count(*) AS refused FROM dossiers d
          WHERE ${periodCond(from, to)} AND ${agencyCond(agencies)} AND d.state = 'refused'
        ),
        rating_counts AS (
          SELECT count(*) AS ratings, coalesce(sum(r.satisfied), 0) AS "satisfiedCriteria"
          FROM dossier_ratings r
          WHERE r.rated_at >= (${from}::date)::timestamp AT TIME ZONE ${TZ}
            AND r.rated_at < (${to}::date + 1)::timestamp AT TIME ZONE ${TZ}
            AND ${agencies === null ? sql`true` : sql`r.agency_id = ANY(${agencies}::uuid[])`}
        )
        SELECT * FROM dossier_counts, catalogue_counts, fee_counts, refused, rating_counts`.execute(trx);
      });
      const row = r.rows[0]!;
      return Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, Number(v)]),
      ) as unknown as PeriodCounts;
    },

    /**
     * Counts per agency, procedure or official for the dossiers received in the period; an open
     * dossier is late when its due time is before `now` (business time).
     */
    async dashboard(
      agencies: AgencyFilter,
      from: string,
      to: string,
      by: 'agency' | 'procedure' | 'official',
      now: Date,
    ): Promise<DashboardRow[]> {
      const key =
        by === 'agency'
          ? sql`d.agency_id`
          : by === 'procedure'
            ? sql`pr.code`
            : sql`coalesce(st.official_id, d.received_by)`;
      const name =
        by === 'agency' ? sql`max(a.name)` : by === 'procedure' ? sql`max(pr.name)` : sql`max(o.full_name)`;
      const code =
        by === 'agency' ? sql`max(a.code)` : by === 'procedure' ? sql`pr.code` : sql`max(o.username)`;
      const r = await sql<Record<keyof DashboardRow, string | null>>`
        SELECT ${key}::text AS key, ${name} AS name, ${code} AS code,
          count(*) AS total,
          count(*) FILTER (WHERE d.state IN ('submitted', 'received', 'processing')
            AND (d.due_at IS NULL OR d.due_at >= ${now})) AS in_progress_on_time,
          count(*) FILTER (WHERE d.state IN ('submitted', 'received', 'processing') AND d.due_at < ${now})
            AS in_progress_late,
          count(*) FILTER (WHERE d.state IN ('supplement', 'financial')) AS paused,
          count(*) FILTER (WHERE d.state IN ${FINISHED} AND (d.due_at IS NULL
            OR (coalesce(d.finished_at, d.delivered_at) AT TIME ZONE ${TZ})::date <= ${localDate('d.due_at')}))
            AS done_on_time,
          count(*) FILTER (WHERE d.state IN ${FINISHED}
            AND (coalesce(d.finished_at, d.delivered_at) AT TIME ZONE ${TZ})::date > ${localDate('d.due_at')})
            AS done_late,
          count(*) FILTER (WHERE d.state = 'withdrawn') AS withdrawn,
          count(*) FILTER (WHERE d.state = 'stopped') AS stopped,
          count(*) FILTER (WHERE d.state = 'refused') AS refused
        FROM dossiers d
        JOIN agencies a ON a.id = d.agency_id
        JOIN procedures pr ON pr.id = d.procedure_id
        LEFT JOIN dossier_steps st ON st.id = d.current_step_id
        LEFT JOIN officials o ON o.id = coalesce(st.official_id, d.received_by)
        WHERE ${periodCond(from, to)} AND ${agencyCond(agencies)}
        GROUP BY ${key}
        ORDER BY count(*) DESC, 2`.execute(db);
      return r.rows.map((x) => ({
        key: x.key,
        name: x.name,
        code: x.code,
        total: Number(x.total),
        in_progress_on_time: Number(x.in_progress_on_time),
        in_progress_late: Number(x.in_progress_late),
        paused: Number(x.paused),
        done_on_time: Number(x.done_on_time),
        done_late: Number(x.done_late),
        withdrawn: Number(x.withdrawn),
        stopped: Number(x.stopped),
        refused: Number(x.refused),
      }));
    },

    /**
     * One page of the export after `afterId` (keyset over the uuid v7 id: stable, no OFFSET), dates
     * already formatted dd/MM/yyyy HH:mm in local time.
     */
    async exportPage(f: ExportFilter, afterId: string | null, limit: number): Promise<ExportRow[]> {
      const fmt = (col: string) => sql`to_char(${sql.ref(col)} AT TIME ZONE ${TZ}, 'DD/MM/YYYY HH24:MI')`;
      const r = await sql<ExportRow>`
        WITH sm AS (
          SELECT DISTINCT ON (state) state, label_vi FROM dossier_state_map
          WHERE valid_from <= current_date ORDER BY state, valid_from DESC)
        SELECT d.id, d.code, a.name AS agency_name, pr.code AS procedure_code, pr.name AS procedure_name,
               d.channel, coalesce(m.label_vi, d.state) AS state_label, d.applicant_name,
               ${fmt('d.received_at')} AS received, ${fmt('d.due_at')} AS due,
               ${fmt('d.finished_at')} AS finished, ${fmt('d.delivered_at')} AS delivered,
               CASE WHEN d.due_at IS NULL OR coalesce(d.finished_at, d.delivered_at) IS NULL THEN NULL
                    ELSE (coalesce(d.finished_at, d.delivered_at) AT TIME ZONE ${TZ})::date <= ${localDate('d.due_at')}
               END AS on_time,
               d.fee_total, d.paid_online, d.electronic_result
        FROM dossiers d
        JOIN agencies a ON a.id = d.agency_id
        JOIN procedures pr ON pr.id = d.procedure_id
        LEFT JOIN sm m ON m.state = d.state
        WHERE ${agencyCond(f.agencies)}
          ${f.from ? sql`AND d.received_at >= (${f.from}::date)::timestamp AT TIME ZONE ${TZ}` : sql``}
          ${f.to ? sql`AND d.received_at < (${f.to}::date + 1)::timestamp AT TIME ZONE ${TZ}` : sql``}
          ${f.state ? sql`AND d.state = ${f.state}` : sql``}
          ${afterId ? sql`AND d.id > ${afterId}::uuid` : sql``}
        ORDER BY d.id
        LIMIT ${limit}`.execute(db);
      return r.rows;
    },
  };
}

export type StatsRepo = ReturnType<typeof statsRepo>;
