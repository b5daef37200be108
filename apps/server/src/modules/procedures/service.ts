/**
 * The procedure catalogue (thủ tục hành chính): effective-dated versions with cases, channels,
 * fees, components and a processing workflow per case; LayThuTuc import and export. Every change is
 * audited in its own transaction (an import once per run).
 */
import type {
  NewProcedureVersion,
  ProcedureCaseInput,
  ProcedureDetail,
  ProcedureImportReport,
  ProcedureInput,
  ProcedureQuery,
  ProcedureSector,
  ProcedureSummary,
  UpdateProcedure,
} from '@congvu/contracts';
import { ProcedureCaseInput as CaseSchema, UpdateProcedure as ContentSchema } from '@congvu/contracts';
import { nfc, sortKeyVi } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { localDay } from '../../platform/vntime.ts';
import {
  type CatalogueProcedure,
  fromRecord,
  type LayThuTucRecord,
  recordHash,
  recordsOf,
  toRecord,
} from './laythutuc.ts';
import { type ProcedureRow, type ProcedureTree, proceduresRepo } from './repo.ts';
import { isInterAgency, totalHours, workflowIssues } from './workflow.ts';

type Actor = AuditActor & { auth: AuthContext };
type Content = UpdateProcedure;

/** Records per import transaction. */
export const IMPORT_CHUNK = 250;

/** Today in Việt Nam. */
export function vnToday(now = new Date()): string {
  return localDay(now);
}
const isFkViolation = (e: unknown) => (e as { code?: string }).code === '23503';
const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';
const orNull = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? null : nfc(s));

/** The published part of our content, in the terms of a LayThuTuc record. */
function catalogueOf(code: string, c: Content): CatalogueProcedure {
  return {
    code,
    name: c.name,
    sectorCode: c.sectorCode,
    announcingAgency: c.announcingAgency,
    authorityLevel: c.authorityLevel,
    onlineLevel: c.onlineLevel,
    applicants: c.applicants,
    applicantDescription: c.applicantDescription,
    conditions: c.conditions,
    results: c.results,
    legalBasis: c.legalBasis,
    implementing: c.implementing,
    published: c.published,
    cases: c.cases,
  };
}

/** A stored version back into input terms (for hashing, export and carrying local settings over). */
function contentOf(d: ProcedureDetail): Content {
  const u = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as {
      [K in keyof T]: Exclude<T[K], null>;
    };
  return {
    name: d.name,
    sectorCode: d.sectorCode,
    ...(d.announcingAgency !== null && { announcingAgency: d.announcingAgency }),
    authorityLevel: d.authorityLevel,
    onlineLevel: d.onlineLevel,
    applicants: d.applicants,
    ...(d.applicantDescription !== null && { applicantDescription: d.applicantDescription }),
    ...(d.conditions !== null && { conditions: d.conditions }),
    results: d.results,
    legalBasis: d.legalBasis,
    implementing: d.implementing,
    agencyIds: d.agencies.map((a) => a.id),
    published: d.published,
    cases: d.cases.map((c) => ({
      name: c.name,
      steps: c.steps,
      channels: c.channels.map((ch) => ({
        channel: ch.channel as 1 | 2 | 3,
        durationValue: ch.durationValue,
        durationUnit: ch.durationUnit,
        ...(ch.description !== null && { description: ch.description }),
        fees: ch.fees,
      })),
      components: c.components.map(({ id: _id, ordinal: _o, ...k }) =>
        u(k),
      ) as ProcedureCaseInput['components'],
      workflow: c.workflow.map((w) => ({
        name: w.name,
        kind: w.kind,
        agencyId: w.agencyId,
        departmentId: w.departmentId,
        role: w.role,
        durationHours: w.durationHours,
      })),
      onlineForm: c.onlineForm,
    })),
  };
}

function buildTree(
  id: string,
  head: {
    code: string;
    validFrom: string;
    validTo: string | null;
    source: 'local' | 'import';
    createdBy: string | null;
  },
  c: Content,
): ProcedureTree {
  const tree: ProcedureTree = {
    procedure: {
      id,
      code: head.code,
      name: nfc(c.name),
      sector_code: c.sectorCode,
      announcing_agency: orNull(c.announcingAgency),
      authority_level: c.authorityLevel,
      online_level: c.onlineLevel,
      applicants: c.applicants.map(nfc),
      applicant_description: orNull(c.applicantDescription),
      conditions: orNull(c.conditions),
      results: JSON.stringify(c.results),
      legal_basis: JSON.stringify(c.legalBasis),
      implementing: JSON.stringify(c.implementing),
      published: c.published,
      valid_from: head.validFrom,
      valid_to: head.validTo,
      source: head.source,
      source_hash: recordHash(catalogueOf(head.code, c)),
      sort_key: sortKeyVi(nfc(c.name)),
      created_by: head.createdBy,
    },
    agencyIds: [...new Set(c.agencyIds)],
    cases: [],
    channels: [],
    components: [],
    steps: [],
  };
  c.cases.forEach((k, i) => {
    const caseId = uuidv7();
    tree.cases.push({
      id: caseId,
      procedure_id: id,
      ordinal: i + 1,
      name: nfc(k.name),
      steps: k.steps.map(nfc),
      online_form: k.onlineForm ? JSON.stringify(k.onlineForm) : null,
    });
    for (const ch of k.channels)
      tree.channels.push({
        case_id: caseId,
        channel: ch.channel,
        duration_value: ch.durationValue,
        duration_unit: ch.durationUnit,
        description: orNull(ch.description),
        fees: JSON.stringify(ch.fees),
      });
    tree.components.push(
      ...k.components.map((p, n) => ({
        id: uuidv7(),
        case_id: caseId,
        ordinal: n + 1,
        code: orNull(p.code),
        name: nfc(p.name),
        form_name: orNull(p.formName),
        form_url: orNull(p.formUrl),
        form_blob: p.formBlob ?? null,
        originals: p.originals,
        certified: p.certified,
        copies: p.copies,
        required: p.required,
        alternative_group: orNull(p.alternativeGroup),
      })),
    );
    tree.steps.push(
      ...k.workflow.map((w, n) => ({
        id: uuidv7(),
        case_id: caseId,
        ordinal: n + 1,
        name: nfc(w.name),
        kind: w.kind,
        agency_id: w.agencyId,
        department_id: w.departmentId,
        role: w.role,
        duration_hours: w.durationHours,
      })),
    );
  });
  return tree;
}

function summary(r: ProcedureRow): ProcedureSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    sectorCode: r.sector_code,
    sectorName: r.sector_name,
    authorityLevel: r.authority_level,
    onlineLevel: r.online_level,
    published: r.published,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    source: r.source,
  };
}

type Children = Awaited<ReturnType<ReturnType<typeof proceduresRepo>['children']>>;

function present(r: ProcedureRow, ch: Children): ProcedureDetail {
  const agencies = ch.agencies.filter((a) => a.procedure_id === r.id);
  const receiving = agencies.map((a) => a.id);
  const cases = ch.cases
    .filter((c) => c.procedure_id === r.id)
    .map((c) => {
      const workflow = ch.steps
        .filter((s) => s.case_id === c.id)
        .map((s) => ({
          id: s.id,
          ordinal: s.ordinal,
          name: s.name,
          kind: s.kind,
          agencyId: s.agency_id,
          agencyName: s.agency_name,
          departmentId: s.department_id,
          departmentName: s.department_name,
          role: s.role as ProcedureDetail['cases'][number]['workflow'][number]['role'],
          durationHours: Number(s.duration_hours),
        }));
      return {
        id: c.id,
        ordinal: c.ordinal,
        name: c.name,
        steps: c.steps,
        channels: ch.channels
          .filter((x) => x.case_id === c.id)
          .map((x) => ({
            channel: x.channel,
            durationValue: Number(x.duration_value),
            durationUnit: x.duration_unit,
            description: x.description,
            fees: x.fees,
          })),
        components: ch.components
          .filter((x) => x.case_id === c.id)
          .map((x) => ({
            id: x.id,
            ordinal: x.ordinal,
            code: x.code,
            name: x.name,
            formName: x.form_name,
            formUrl: x.form_url,
            formBlob: x.form_blob,
            originals: x.originals,
            certified: x.certified,
            copies: x.copies,
            required: x.required,
            alternativeGroup: x.alternative_group,
          })),
        workflow,
        onlineForm: c.online_form,
        interAgency: isInterAgency(workflow, receiving),
        totalHours: totalHours(workflow),
      };
    });
  return {
    ...summary(r),
    announcingAgency: r.announcing_agency,
    applicants: r.applicants,
    applicantDescription: r.applicant_description,
    conditions: r.conditions,
    results: r.results,
    legalBasis: r.legal_basis,
    implementing: r.implementing,
    agencies: agencies.map((a) => ({ id: a.id, code: a.code, name: a.name })),
    interAgency: cases.some((c) => c.interAgency),
    cases,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * `clock` is the installation's business clock (platform/clock.ts): "today" for the version in
 * force and for imported versions. Real time when not given.
 */
export function proceduresService(db: Db, clock: { now(): Date } = { now: () => new Date() }) {
  const repo = proceduresRepo(db);
  const today = () => vnToday(clock.now());

  async function detail(id: string, r = repo): Promise<ProcedureDetail> {
    const row = await r.find(id);
    if (!row) throw new AppError('PROCEDURE_NOT_FOUND');
    return present(row, await r.children([id]));
  }

  /** Sector, agencies, departments and workflow rules; throws the first kind of problem found. */
  async function validate(c: Content) {
    if (c.sectorCode !== null && !(await repo.findSector(c.sectorCode)))
      throw new AppError('PROCEDURE_SECTOR_UNKNOWN', { sectorCode: c.sectorCode });
    const stepAgencies = c.cases
      .flatMap((k) => k.workflow.map((w) => w.agencyId))
      .filter((a): a is string => !!a);
    const found = new Set(
      (await repo.agencies([...new Set([...c.agencyIds, ...stepAgencies])])).map((a) => a.id),
    );
    const missing = c.agencyIds.filter((a) => !found.has(a));
    if (missing.length) throw new AppError('PROCEDURE_AGENCY_UNKNOWN', { agencyIds: missing });
    const deps = c.cases
      .flatMap((k) => k.workflow.map((w) => w.departmentId))
      .filter((d): d is string => !!d);
    const departmentAgency = new Map(
      (await repo.departments([...new Set(deps)])).map((d) => [d.id, d.agency_id]),
    );
    const issues = c.cases.flatMap((k, i) =>
      workflowIssues(i, k.workflow, {
        receivingAgencyIds: c.agencyIds,
        knownAgencies: found,
        departmentAgency,
      }),
    );
    if (issues.length) throw new AppError('PROCEDURE_WORKFLOW_INVALID', { issues });
  }

  /** Rewrites the content of a version in place; a version that dossiers point to refuses. */
  async function rewrite(trx: Db, id: string, head: ProcedureTree['procedure'], tree: ProcedureTree) {
    const r = proceduresRepo(trx);
    try {
      await r.deleteChildren([id]);
    } catch (e) {
      if (isFkViolation(e)) throw new AppError('PROCEDURE_IN_USE');
      throw e;
    }
    await r.replaceHeads([head]);
    await r.insertTrees([{ ...tree, procedure: head }], { heads: false });
  }

  const service = {
    // --- Sectors

    async sectors(): Promise<ProcedureSector[]> {
      return (await repo.listSectors()).map((s) => ({
        code: s.code,
        name: s.name,
        validFrom: s.valid_from,
        validTo: s.valid_to,
      }));
    },

    async createSector(
      actor: AuditActor,
      input: { code: string; name: string; validFrom?: string | undefined },
    ) {
      await db.transaction().execute(async (trx) => {
        const made = await proceduresRepo(trx).insertSector({
          code: input.code,
          name: nfc(input.name),
          ...(input.validFrom && { valid_from: input.validFrom }),
        });
        if (!made) throw new AppError('PROCEDURE_SECTOR_EXISTS');
        await recordAudit(trx, actor, {
          action: 'procedures.sector.created',
          entityType: 'procedure_sector',
          entityId: null,
          summary: { code: input.code, name: input.name },
        });
      });
      const s = (await service.sectors()).find((x) => x.code === input.code);
      if (!s) throw new AppError('NOT_FOUND');
      return s;
    },

    // --- Reading

    /** The versions in force on `on` (default today), or every version with `allVersions`. */
    async list(q: ProcedureQuery) {
      const { rows, total } = await repo.list({
        q: q.q,
        sectorCode: q.sectorCode,
        agencyId: q.agencyId,
        authorityLevel: q.authorityLevel,
        onlineLevel: q.onlineLevel,
        published: q.published,
        on: q.allVersions ? null : (q.on ?? today()),
        code: q.code,
        sort: q.sort,
        page: q.page,
        pageSize: q.pageSize,
      });
      return { items: rows.map(summary), total };
    },

    get: (id: string) => detail(id),

    /** A form template that a published procedure in force today offers (public download), if any. */
    async publishedForm(sha256: string) {
      const f = await repo.publishedForm(sha256, today());
      return f ? { sha256: f.sha256, mime: f.mime, name: f.form_name ?? f.name } : undefined;
    },

    // --- Changes (procedures.manage)

    async create(actor: Actor, input: ProcedureInput) {
      await validate(input);
      const id = uuidv7();
      const tree = buildTree(
        id,
        {
          code: input.code,
          validFrom: input.validFrom,
          validTo: input.validTo,
          source: 'local',
          createdBy: actor.auth.officialId,
        },
        input,
      );
      await db.transaction().execute(async (trx) => {
        const r = proceduresRepo(trx);
        if ((await r.versionsOf(input.code)).length) throw new AppError('PROCEDURE_CODE_TAKEN');
        try {
          await r.insertTrees([tree]);
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError('PROCEDURE_CODE_TAKEN');
          throw e;
        }
        await recordAudit(trx, actor, {
          action: 'procedures.created',
          entityType: 'procedure',
          entityId: id,
          summary: { code: input.code, name: input.name, validFrom: input.validFrom },
        });
      });
      return detail(id);
    },

    /** New content for a version (code and validity stay); refused once dossiers use it. */
    async update(actor: Actor, id: string, input: UpdateProcedure) {
      await validate(input);
      await db.transaction().execute(async (trx) => {
        const r = proceduresRepo(trx);
        const cur = await r.lock(id);
        if (!cur) throw new AppError('PROCEDURE_NOT_FOUND');
        const tree = buildTree(
          id,
          {
            code: cur.code,
            validFrom: cur.valid_from,
            validTo: cur.valid_to,
            source: cur.source,
            createdBy: cur.created_by,
          },
          keepOnlineForms(input, await detail(id, r)),
        );
        await rewrite(trx, id, tree.procedure, tree);
        await recordAudit(trx, actor, {
          action: 'procedures.updated',
          entityType: 'procedure',
          entityId: id,
          summary: { code: cur.code, before: { name: cur.name, published: cur.published }, name: input.name },
        });
      });
      return detail(id);
    },

    async setPublished(actor: Actor, id: string, published: boolean) {
      await db.transaction().execute(async (trx) => {
        const r = proceduresRepo(trx);
        const cur = await r.lock(id);
        if (!cur) throw new AppError('PROCEDURE_NOT_FOUND');
        if (cur.published === published) return;
        const d = await detail(id, r);
        const hash = recordHash(catalogueOf(cur.code, { ...contentOf(d), published }));
        await r.setPublished(id, published, hash);
        await recordAudit(trx, actor, {
          action: published ? 'procedures.published' : 'procedures.unpublished',
          entityType: 'procedure',
          entityId: id,
          summary: { code: cur.code },
        });
      });
      return detail(id);
    },

    /**
     * A new version of the procedure from day D: the version in force on D is closed with
     * valid_to = D. A version already starting on or after D refuses (PROCEDURE_VERSION_INVALID).
     */
    async newVersion(actor: Actor, id: string, input: NewProcedureVersion) {
      await validate(input);
      const newId = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = proceduresRepo(trx);
        const cur = await r.find(id);
        if (!cur) throw new AppError('PROCEDURE_NOT_FOUND');
        const versions = await r.versionsOf(cur.code);
        if (versions.some((v) => v.valid_from >= input.validFrom))
          throw new AppError('PROCEDURE_VERSION_INVALID');
        const covering = versions.find((v) => v.valid_to === null || v.valid_to > input.validFrom);
        if (covering) await r.closeVersion(covering.id, input.validFrom);
        const kept = keepOnlineForms(input, await detail(id, r));
        await r.insertTrees([
          buildTree(
            newId,
            {
              code: cur.code,
              validFrom: input.validFrom,
              validTo: null,
              source: 'local',
              createdBy: actor.auth.officialId,
            },
            kept,
          ),
        ]);
        await recordAudit(trx, actor, {
          action: 'procedures.version_created',
          entityType: 'procedure',
          entityId: newId,
          summary: { code: cur.code, validFrom: input.validFrom, closed: covering?.id ?? null },
        });
      });
      return detail(newId);
    },

    // --- For the dossiers module

    /**
     * The rows a reception copies (procedure version, case, channel time and fees, components,
     * workflow), or null unless the version is published, in force on `day` (YYYY-MM-DD) and
     * offered at the agency on the channel.
     */
    receptionCatalogue(
      procedureId: string,
      caseId: string,
      channel: 1 | 2 | 3,
      agencyId: string,
      day: string,
    ) {
      return repo.receptionCatalogue(procedureId, caseId, channel, agencyId, day);
    },

    /**
     * What a dossier needs at reception, for module dossiers: the procedure version (id, code,
     * name, sector, levels, receiving agencies), the case, the channel's processing time and fees,
     * the components to check and the workflow steps with agency/department names. The version
     * must be published and in force on `on` (YYYY-MM-DD, Việt Nam); the case must be offered on
     * the channel (1 trực tiếp, 2 trực tuyến, 3 bưu chính). Errors: PROCEDURE_CASE_NOT_FOUND,
     * PROCEDURE_NOT_IN_FORCE, PROCEDURE_CHANNEL_UNAVAILABLE.
     */
    async caseForReception(caseId: string, channel: 1 | 2 | 3, on: string) {
      const k = await repo.findCase(caseId);
      if (!k) throw new AppError('PROCEDURE_CASE_NOT_FOUND');
      const d = await detail(k.procedure_id);
      if (!d.published || d.validFrom > on || (d.validTo !== null && d.validTo <= on))
        throw new AppError('PROCEDURE_NOT_IN_FORCE', { code: d.code, on });
      const c = d.cases.find((x) => x.id === caseId)!;
      const ch = c.channels.find((x) => x.channel === channel);
      if (!ch) throw new AppError('PROCEDURE_CHANNEL_UNAVAILABLE', { channel });
      return {
        procedure: {
          id: d.id,
          code: d.code,
          name: d.name,
          sectorCode: d.sectorCode,
          sectorName: d.sectorName,
          authorityLevel: d.authorityLevel,
          onlineLevel: d.onlineLevel,
          agencyIds: d.agencies.map((a) => a.id),
        },
        case: { id: c.id, name: c.name, steps: c.steps },
        channel: ch,
        components: c.components,
        workflow: c.workflow,
        interAgency: c.interAgency,
        totalHours: c.totalHours,
      };
    },

    // --- LayThuTuc export and import

    /** The versions in force on a day as LayThuTuc records (`{ result: [...] }`, like the portal). */
    async exportRecords(q: { on?: string | undefined; published?: boolean | undefined }) {
      const ids = (await repo.idsInForce(q.on ?? today(), q.published)).map((x) => x.id);
      const result: LayThuTucRecord[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        const [rows, ch] = await Promise.all([repo.findMany(part), repo.children(part)]);
        for (const row of rows) {
          const d = present(row, ch);
          result.push(toRecord({ ...catalogueOf(d.code, contentOf(d)), sectorName: d.sectorName }));
        }
      }
      return { result };
    },

    /**
     * Imports LayThuTuc records. Per MATTHC: a new code is created from today; the same record
     * again (same source_hash) is unchanged; a changed record becomes a new version from today
     * (closing the latest), or rewrites the latest in place when that one starts today or later.
     * Local settings (receiving agencies, workflow and component counts per case name) are
     * carried over from the latest version. Rejections carry index, code and a Vietnamese reason.
     * One transaction per chunk of records; one audit entry per run.
     */
    async importRecords(actor: Actor, body: unknown): Promise<ProcedureImportReport> {
      const records = recordsOf(body);
      const day = today();
      const rejected: ProcedureImportReport['rejected'] = [];
      const ok: Array<{ index: number; value: CatalogueProcedure; hash: string }> = [];
      const firstIndex = new Map<string, number>();
      for (const [index, rec] of records.entries()) {
        const m = fromRecord(rec);
        if (!m.ok) {
          rejected.push({ index, code: m.code, reason: m.reason });
          continue;
        }
        const seen = firstIndex.get(m.value.code);
        if (seen !== undefined) {
          rejected.push({
            index,
            code: m.value.code,
            reason: `Mã thủ tục (MATTHC) trùng với bản ghi thứ ${seen} trong tệp`,
          });
          continue;
        }
        const checked = ContentSchema.safeParse(mergeLocal(m.value, undefined, new Map(), false));
        if (!checked.success) {
          const issue = checked.error.issues[0]!;
          rejected.push({
            index,
            code: m.value.code,
            reason: `Dữ liệu không hợp lệ tại ${issue.path.join('.') || 'bản ghi'}: ${issue.message}`,
          });
          continue;
        }
        firstIndex.set(m.value.code, index);
        ok.push({ index, value: m.value, hash: recordHash(m.value) });
      }
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const runId = uuidv7();
      let written = 0;
      try {
        const sectors = new Map<string, string>();
        for (const { value: v } of ok)
          if (v.sectorCode) sectors.set(v.sectorCode, v.sectorName ?? v.sectorCode);
        await repo.ensureSectors([...sectors].map(([code, name]) => ({ code, name })));
        const agencyCodes = [...new Set(ok.flatMap((m) => m.value.implementing.map((i) => i.code ?? '')))];
        const agencyByCode = new Map(
          (await repo.agenciesByCode(agencyCodes.filter(Boolean))).map((a) => [a.code, a.id]),
        );
        for (let i = 0; i < ok.length; i += IMPORT_CHUNK) {
          const part = ok.slice(i, i + IMPORT_CHUNK);
          // Counted only once the chunk's transaction has committed.
          const partCounts = { created: 0, updated: 0, unchanged: 0 };
          const partRejected: ProcedureImportReport['rejected'] = [];
          await db.transaction().execute(async (trx) => {
            const r = proceduresRepo(trx);
            const latest = new Map(
              (await r.latestByCodes(part.map((m) => m.value.code))).map((l) => [l.code, l]),
            );
            const changed = part.filter((m) => {
              const l = latest.get(m.value.code);
              return l !== undefined && l.source_hash !== m.hash;
            });
            const prevIds = changed.map((m) => latest.get(m.value.code)!.id);
            const prevRows = await r.findMany(prevIds);
            const prevCh = await r.children(prevIds);
            const prev = new Map(prevRows.map((row) => [row.code, contentOf(present(row, prevCh))]));
            const inUse = new Set(await r.usedByDossiers(prevIds));
            const fresh: ProcedureTree[] = [];
            const inPlace: ProcedureTree[] = [];
            for (const m of part) {
              const l = latest.get(m.value.code);
              if (l && l.source_hash === m.hash) {
                partCounts.unchanged++;
                continue;
              }
              const content = mergeLocal(m.value, prev.get(m.value.code), agencyByCode);
              if (!l) {
                fresh.push(
                  buildTree(
                    uuidv7(),
                    {
                      code: m.value.code,
                      validFrom: day,
                      validTo: null,
                      source: 'import',
                      createdBy: actor.auth.officialId,
                    },
                    content,
                  ),
                );
                partCounts.created++;
              } else if (l.valid_from >= day) {
                if (inUse.has(l.id)) {
                  partRejected.push({
                    index: m.index,
                    code: m.value.code,
                    reason:
                      'Phiên bản bắt đầu từ hôm nay đã có hồ sơ; không ghi đè được, hãy nhập lại từ ngày mai',
                  });
                  continue;
                }
                inPlace.push(
                  buildTree(
                    l.id,
                    {
                      code: m.value.code,
                      validFrom: l.valid_from,
                      validTo: l.valid_to,
                      source: 'import',
                      createdBy: null,
                    },
                    content,
                  ),
                );
                partCounts.updated++;
              } else {
                if (l.valid_to === null || l.valid_to > day) await r.closeVersion(l.id, day);
                fresh.push(
                  buildTree(
                    uuidv7(),
                    {
                      code: m.value.code,
                      validFrom: day,
                      validTo: null,
                      source: 'import',
                      createdBy: actor.auth.officialId,
                    },
                    content,
                  ),
                );
                partCounts.updated++;
              }
            }
            await r.insertTrees(fresh);
            if (inPlace.length) {
              await r.deleteChildren(inPlace.map((t) => t.procedure.id));
              await r.replaceHeads(inPlace.map((t) => t.procedure));
              await r.insertTrees(inPlace, { heads: false });
            }
          });
          counts.created += partCounts.created;
          counts.updated += partCounts.updated;
          counts.unchanged += partCounts.unchanged;
          rejected.push(...partRejected);
          written = i + part.length;
        }
      } catch (e) {
        // The run is still recorded: the records not written are reported, then the error is raised.
        for (const m of ok.slice(written))
          rejected.push({
            index: m.index,
            code: m.value.code,
            reason: 'Lỗi hệ thống khi ghi; bản ghi chưa được nhập',
          });
        throw e;
      } finally {
        rejected.sort((a, b) => a.index - b.index);
        await db.transaction().execute(async (trx) => {
          await proceduresRepo(trx).insertImportRun({
            id: runId,
            started_by: actor.auth.officialId,
            total: records.length,
            ...counts,
            rejected: JSON.stringify(rejected),
          });
          await recordAudit(trx, actor, {
            action: 'procedures.imported',
            entityType: 'procedure_import_run',
            entityId: runId,
            summary: { total: records.length, ...counts, rejected: rejected.length },
          });
        });
      }
      return { runId, total: records.length, ...counts, rejected };
    },
  };
  return service;
}

/** Cases whose input leaves the online form out keep the form of the previous case of the same name. */
function keepOnlineForms<T extends { cases: { name: string; onlineForm?: unknown }[] }>(
  input: T,
  prev: ProcedureDetail,
): T {
  return {
    ...input,
    cases: input.cases.map((c) =>
      c.onlineForm !== undefined
        ? c
        : { ...c, onlineForm: prev.cases.find((p) => p.name === c.name)?.onlineForm ?? null },
    ),
  };
}

/**
 * An imported record's content, keeping what the national record does not carry from the
 * previous version: receiving agencies (plus agencies of this installation named by MADONVI),
 * and per case (same name) the workflow and the component counts.
 */
function mergeLocal(
  v: CatalogueProcedure,
  prev: Content | undefined,
  agencyByCode: Map<string, string>,
  parse = true,
): Content {
  const mapped = v.implementing.map((i) => agencyByCode.get(i.code ?? '')).filter((x): x is string => !!x);
  const agencyIds = [...new Set([...(prev?.agencyIds ?? []), ...mapped])];
  const cases = v.cases.map((c) => {
    const before = prev?.cases.find((p) => p.name === c.name);
    const components = c.components.map((k) => {
      const old = before?.components.find((o) => o.name === k.name);
      return old
        ? {
            ...k,
            originals: old.originals,
            certified: old.certified,
            copies: old.copies,
            required: old.required,
          }
        : k;
    });
    // Workflow steps name agencies; a step of a dropped receiving agency would no longer validate.
    const workflow = (before?.workflow ?? []).filter((w) => w.agencyId !== null || agencyIds.length > 0);
    // The online form is local too (the national record has none): kept per case name.
    const merged = { ...c, components, workflow, onlineForm: before?.onlineForm ?? null };
    return parse ? CaseSchema.parse(merged) : (merged as unknown as Content['cases'][number]);
  });
  return {
    name: v.name,
    sectorCode: v.sectorCode,
    ...(v.announcingAgency !== undefined && { announcingAgency: v.announcingAgency }),
    authorityLevel: v.authorityLevel,
    onlineLevel: v.onlineLevel,
    applicants: v.applicants,
    ...(v.applicantDescription !== undefined && { applicantDescription: v.applicantDescription }),
    ...(v.conditions !== undefined && { conditions: v.conditions }),
    results: v.results,
    legalBasis: v.legalBasis,
    implementing: v.implementing,
    agencyIds,
    published: v.published,
    cases,
  };
}

export type ProceduresService = ReturnType<typeof proceduresService>;
