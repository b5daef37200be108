import type {
  CreateAgency,
  CreateDelegation,
  CreateDepartment,
  Membership,
  Reorganisation,
  RoleGrant,
  UpdateAgency,
  UpdateOfficial,
} from '@congvu/contracts';
import { sortKeyVi, sortKeyViName } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { endSessions, hashPassword } from '../../platform/auth/service.ts';
import { AppError } from '../../platform/errors.ts';
import { orgRepo, today } from './repo.ts';

type AgencyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof orgRepo>['findAgency']>>>;
type DepartmentRow = NonNullable<Awaited<ReturnType<ReturnType<typeof orgRepo>['findDepartment']>>>;

/** Vietnamese names sort by given name (the last word) first, then the rest from the start. */
export const nameSortKey = sortKeyViName;

function dayBefore(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

export function presentAgency(a: AgencyRow) {
  return {
    id: a.id,
    code: a.code,
    legacyCode: a.legacy_code,
    name: a.name,
    shortName: a.short_name,
    kind: a.kind as CreateAgency['kind'],
    parentId: a.parent_id,
    validFrom: a.valid_from,
    validTo: a.valid_to,
    successorId: a.successor_id,
  };
}

export function presentDepartment(d: DepartmentRow) {
  return {
    id: d.id,
    agencyId: d.agency_id,
    name: d.name,
    code: d.code,
    validFrom: d.valid_from,
    validTo: d.valid_to,
  };
}

function presentMembership(m: {
  department_id: string;
  position_id: string | null;
  is_primary: boolean;
  department_name: string;
  agency_id: string;
  agency_name: string;
  position_name: string | null;
}) {
  return {
    departmentId: m.department_id,
    positionId: m.position_id,
    isPrimary: m.is_primary,
    departmentName: m.department_name,
    agencyId: m.agency_id,
    agencyName: m.agency_name,
    positionName: m.position_name,
  };
}

function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (!constraint || err.constraint === constraint);
}

export function orgService(db: Db) {
  const repo = orgRepo(db);

  async function getAgencyRow(id: string, r = repo) {
    const a = await r.findAgency(id);
    if (!a) throw new AppError('AGENCY_NOT_FOUND');
    return a;
  }

  async function insertAgency(trx: Db, input: Omit<CreateAgency, 'validFrom'> & { validFrom: string }) {
    const r = orgRepo(trx);
    if (input.parentId) {
      const parent = await r.findAgency(input.parentId);
      if (!parent || (parent.valid_to !== null && parent.valid_to < input.validFrom)) {
        throw new AppError('AGENCY_PARENT_INVALID');
      }
    }
    if (await r.activeAgencyByCode(input.code)) throw new AppError('AGENCY_CODE_TAKEN', { code: input.code });
    try {
      return await r.insertAgency({
        id: uuidv7(),
        code: input.code,
        legacy_code: input.legacyCode ?? null,
        name: input.name,
        short_name: input.shortName ?? null,
        sort_key: sortKeyVi(input.name),
        kind: input.kind,
        parent_id: input.parentId ?? null,
        valid_from: input.validFrom,
        valid_to: null,
        successor_id: null,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'agencies_code_active'))
        throw new AppError('AGENCY_CODE_TAKEN', { code: input.code });
      throw e;
    }
  }

  async function checkRefs(r: ReturnType<typeof orgRepo>, roles?: RoleGrant[], memberships?: Membership[]) {
    const agencyIds = [
      ...new Set((roles ?? []).map((g) => g.agencyId).filter((x): x is string => x !== null)),
    ];
    if (agencyIds.length && (await r.findAgencies(agencyIds)).length !== agencyIds.length) {
      throw new AppError('AGENCY_NOT_FOUND');
    }
    const ms = memberships ?? [];
    const depIds = [...new Set(ms.map((m) => m.departmentId))];
    if (depIds.length !== ms.length)
      throw new AppError('VALIDATION_ERROR', { memberships: 'Phòng ban bị lặp' });
    if (depIds.length && Number((await r.countDepartments(depIds)).n) !== depIds.length)
      throw new AppError('DEPARTMENT_NOT_FOUND');
    const posIds = [...new Set(ms.map((m) => m.positionId).filter((x): x is string => x !== null))];
    if (posIds.length && Number((await r.countPositions(posIds)).n) !== posIds.length)
      throw new AppError('POSITION_NOT_FOUND');
    if (ms.filter((m) => m.isPrimary).length > 1) {
      throw new AppError('VALIDATION_ERROR', { memberships: 'Chỉ một phòng ban chính' });
    }
  }

  const membershipRows = (ms: Membership[]) => {
    // The first membership is primary when none is marked.
    const anyPrimary = ms.some((m) => m.isPrimary);
    return ms.map((m, i) => ({
      department_id: m.departmentId,
      position_id: m.positionId,
      is_primary: m.isPrimary || (!anyPrimary && i === 0),
    }));
  };

  const service = {
    // --- agencies
    async listAgencies(q: {
      asOf?: string | undefined;
      q?: string | undefined;
      includeInactive?: boolean | undefined;
    }) {
      const rows = await repo.listAgencies({
        asOf: q.asOf,
        search: q.q,
        includeInactive: q.includeInactive ?? false,
      });
      return rows.map(presentAgency);
    },

    /** The id of the active agency of this installation with that electronic code, if any. */
    async findActiveAgencyIdByCode(code: string): Promise<string | undefined> {
      return (await repo.activeAgencyByCode(code))?.id;
    },

    /** An agency by id, even if it has ended, with the agency that carries it on today. */
    async getAgency(id: string) {
      const a = await getAgencyRow(id);
      let cur = a;
      const seen = new Set([a.id]);
      while (cur.successor_id && !seen.has(cur.successor_id)) {
        seen.add(cur.successor_id);
        cur = await getAgencyRow(cur.successor_id);
      }
      return { ...presentAgency(a), successor: cur.id === a.id ? null : presentAgency(cur) };
    },

    async createAgency(actor: AuditActor, input: CreateAgency) {
      return db.transaction().execute(async (trx) => {
        const a = await insertAgency(trx, { ...input, validFrom: input.validFrom ?? today() });
        await recordAudit(trx, actor, {
          action: 'org.agency.created',
          entityType: 'agency',
          entityId: a.id,
          summary: { after: presentAgency(a) },
        });
        return presentAgency(a);
      });
    },

    async updateAgency(actor: AuditActor, id: string, patch: UpdateAgency) {
      return db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const before = await getAgencyRow(id, r);
        const after = await r.updateAgency(id, {
          ...(patch.name !== undefined && { name: patch.name, sort_key: sortKeyVi(patch.name) }),
          ...(patch.shortName !== undefined && { short_name: patch.shortName }),
          ...(patch.legacyCode !== undefined && { legacy_code: patch.legacyCode }),
        });
        await recordAudit(trx, actor, {
          action: 'org.agency.updated',
          entityType: 'agency',
          entityId: id,
          summary: { before: presentAgency(before), after: presentAgency(after!) },
        });
        return presentAgency(after!);
      });
    },

    /**
     * Merge (sáp nhập) or split (chia tách) from a date: the sources end the day before, point
     * to their successor and keep their history; their active child agencies move under the
     * (first) target. Records made against a source still resolve to it and to its successor.
     */
    async reorganise(actor: AuditActor, input: Reorganisation) {
      if (input.kind === 'merge' && input.targets.length !== 1) {
        throw new AppError('VALIDATION_ERROR', { targets: 'Sáp nhập cần đúng một đơn vị kết quả' });
      }
      if (input.kind === 'split' && input.sourceIds.length !== 1) {
        throw new AppError('VALIDATION_ERROR', { sourceIds: 'Chia tách cần đúng một đơn vị nguồn' });
      }
      const end = dayBefore(input.effectiveDate);
      return db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const sources = await Promise.all(input.sourceIds.map((id) => getAgencyRow(id, r)));
        for (const s of sources) {
          if (s.valid_to !== null || s.valid_from > end)
            throw new AppError('AGENCY_INACTIVE', { id: s.id, name: s.name });
        }
        // Close the sources first so a target may take over a source's code.
        for (const s of sources) await r.closeAgency(s.id, end, null);
        const targets: AgencyRow[] = [];
        for (const t of input.targets) {
          if ('existingId' in t) {
            const a = await getAgencyRow(t.existingId, r);
            if (a.valid_to !== null) throw new AppError('AGENCY_INACTIVE', { id: a.id, name: a.name });
            targets.push(a);
          } else {
            targets.push(await insertAgency(trx, { ...t, validFrom: input.effectiveDate }));
          }
        }
        const main = targets[0]!;
        for (const s of sources) {
          await r.closeAgency(s.id, end, main.id);
          await r.reparentChildren(s.id, main.id);
        }
        const id = uuidv7();
        await r.insertReorganisation({
          id,
          kind: input.kind,
          effective_date: input.effectiveDate,
          source_ids: sources.map((s) => s.id),
          target_ids: targets.map((t) => t.id),
          note: input.note ?? null,
          created_by: actor.auth?.officialId ?? null,
        });
        await recordAudit(trx, actor, {
          action: `org.agency.${input.kind}`,
          entityType: 'agency_reorganisation',
          entityId: id,
          summary: {
            effectiveDate: input.effectiveDate,
            sources: sources.map((s) => ({ id: s.id, code: s.code, name: s.name })),
            targets: targets.map((t) => ({ id: t.id, code: t.code, name: t.name })),
          },
        });
        return { targets: targets.map(presentAgency) };
      });
    },

    // --- departments
    async listDepartments(agencyId: string | undefined, includeInactive = false) {
      return (await repo.listDepartments(agencyId, includeInactive)).map(presentDepartment);
    },

    async createDepartment(actor: AuditActor, input: CreateDepartment) {
      return db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const a = await getAgencyRow(input.agencyId, r);
        if (a.valid_to !== null) throw new AppError('AGENCY_INACTIVE');
        const d = await r.insertDepartment({
          id: uuidv7(),
          agency_id: a.id,
          name: input.name,
          sort_key: sortKeyVi(input.name),
          code: input.code ?? null,
          valid_from: today(),
          valid_to: null,
        });
        await recordAudit(trx, actor, {
          action: 'org.department.created',
          entityType: 'department',
          entityId: d.id,
          summary: { after: presentDepartment(d) },
        });
        return presentDepartment(d);
      });
    },

    async updateDepartment(
      actor: AuditActor,
      id: string,
      patch: { name?: string; code?: string | null; validTo?: string | null },
    ) {
      return db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const before = await r.findDepartment(id);
        if (!before) throw new AppError('DEPARTMENT_NOT_FOUND');
        if (patch.validTo && patch.validTo < before.valid_from) {
          throw new AppError('VALIDATION_ERROR', { validTo: 'Ngày kết thúc trước ngày thành lập' });
        }
        const after = await r.updateDepartment(id, {
          ...(patch.name !== undefined && { name: patch.name, sort_key: sortKeyVi(patch.name) }),
          ...(patch.code !== undefined && { code: patch.code }),
          ...(patch.validTo !== undefined && { valid_to: patch.validTo }),
        });
        await recordAudit(trx, actor, {
          action: 'org.department.updated',
          entityType: 'department',
          entityId: id,
          summary: { before: presentDepartment(before), after: presentDepartment(after!) },
        });
        return presentDepartment(after!);
      });
    },

    // --- positions
    async listPositions() {
      return repo.listPositions();
    },

    async createPosition(actor: AuditActor, input: { name: string; rank: number }) {
      return db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        if (await r.positionByName(input.name))
          throw new AppError('VALIDATION_ERROR', { name: 'Chức vụ đã tồn tại' });
        const p = await r.insertPosition({ id: uuidv7(), ...input });
        await recordAudit(trx, actor, {
          action: 'org.position.created',
          entityType: 'position',
          entityId: p.id,
          summary: { after: p },
        });
        return p;
      });
    },

    // --- officials
    async listOfficials(q: {
      q?: string | undefined;
      agencyId?: string | undefined;
      departmentId?: string | undefined;
      role?: string | undefined;
      page: number;
      pageSize: number;
    }) {
      const { rows, total } = await repo.listOfficials({ ...q, search: q.q });
      const roles = await repo.rolesOf(rows.map((r) => r.id));
      return {
        total,
        items: rows.map((o) => ({
          id: o.id,
          username: o.username,
          fullName: o.full_name,
          email: o.email,
          isActive: o.is_active,
          roles: roles
            .filter((g) => g.official_id === o.id)
            .map((g) => ({ role: g.role as RoleGrant['role'], agencyId: g.agency_id })),
          primaryDepartment: o.department_name,
          primaryAgency: o.agency_name,
          position: o.position_name,
        })),
      };
    },

    /** True once anyone exists (demo data is seeded only into an empty database). */
    hasOfficials() {
      return repo.anyOfficial();
    },
    async officialIdByUsername(username: string) {
      const o = await repo.officialByUsername(username);
      if (!o) throw new AppError('OFFICIAL_NOT_FOUND');
      return o.id;
    },

    departmentIdsOf(officialId: string) {
      return repo.departmentIdsOf(officialId);
    },
    async getDepartment(id: string) {
      const d = await repo.findDepartment(id);
      if (!d) throw new AppError('DEPARTMENT_NOT_FOUND');
      return presentDepartment(d);
    },

    /** The agencies whose documents an official works with. */
    agencyIdsOf(officialId: string) {
      return repo.agencyIdsOf(officialId);
    },

    async membershipsOf(officialId: string) {
      return (await repo.membershipsOf(officialId)).map(presentMembership);
    },

    // --- whom to tell (notifications)
    /** Active officials of a department; with a role, only those holding it for the department's agency. */
    async departmentMembers(departmentId: string, role?: RoleGrant['role']) {
      return (await repo.departmentMembers(departmentId, role)).map((r) => r.id);
    },
    /** Active officials holding a role for an agency (e.g. its clerks). */
    async roleHolders(role: RoleGrant['role'], agencyId: string) {
      return (await repo.roleHolders(role, agencyId)).map((r) => r.id);
    },
    /** Name, e-mail and whether the account is active, for each official id found. */
    async contacts(ids: string[]) {
      return (await repo.contacts([...new Set(ids)])).map((o) => ({
        id: o.id,
        fullName: o.full_name,
        email: o.email,
        isActive: o.is_active,
      }));
    },

    async getOfficial(id: string, r = repo) {
      const o = await r.findOfficial(id);
      if (!o) throw new AppError('OFFICIAL_NOT_FOUND');
      const roles = await r.rolesOf([id]);
      return {
        id: o.id,
        username: o.username,
        fullName: o.full_name,
        email: o.email,
        phone: o.phone,
        isActive: o.is_active,
        totpEnabled: o.totp_enabled,
        roles: roles.map((g) => ({ role: g.role as RoleGrant['role'], agencyId: g.agency_id })),
        memberships: (await r.membershipsOf(id)).map(presentMembership),
        createdAt: o.created_at.toISOString(),
      };
    },

    async createOfficial(
      actor: AuditActor,
      input: {
        username: string;
        fullName: string;
        email?: string | undefined;
        phone?: string | undefined;
        password: string;
        roles: RoleGrant[];
        memberships: Membership[];
      },
      passwordHash?: string,
    ) {
      const hash = passwordHash ?? (await hashPassword(input.password));
      const id = await db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        if (await r.usernameTaken(input.username)) throw new AppError('USERNAME_TAKEN');
        await checkRefs(r, input.roles, input.memberships);
        const id = uuidv7();
        try {
          await r.insertOfficial({
            id,
            username: input.username,
            full_name: input.fullName,
            sort_key: nameSortKey(input.fullName),
            email: input.email ?? null,
            phone: input.phone ?? null,
            password_hash: hash,
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError('USERNAME_TAKEN');
          throw e;
        }
        await r.replaceRoles(
          id,
          input.roles.map((g) => ({ role: g.role, agency_id: g.agencyId })),
        );
        await r.replaceMemberships(id, membershipRows(input.memberships));
        await recordAudit(trx, actor, {
          action: 'org.official.created',
          entityType: 'official',
          entityId: id,
          summary: {
            after: {
              username: input.username,
              fullName: input.fullName,
              roles: input.roles,
              memberships: input.memberships,
            },
          },
        });
        return id;
      });
      return service.getOfficial(id);
    },

    async updateOfficial(actor: AuditActor, id: string, patch: UpdateOfficial) {
      await db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const before = await service.getOfficial(id, r);
        await checkRefs(r, patch.roles, patch.memberships);
        const cols = {
          ...(patch.fullName !== undefined && {
            full_name: patch.fullName,
            sort_key: nameSortKey(patch.fullName),
          }),
          ...(patch.email !== undefined && { email: patch.email }),
          ...(patch.phone !== undefined && { phone: patch.phone }),
          ...(patch.isActive !== undefined && { is_active: patch.isActive }),
        };
        if (Object.keys(cols).length) await r.updateOfficial(id, cols);
        if (patch.roles)
          await r.replaceRoles(
            id,
            patch.roles.map((g) => ({ role: g.role, agency_id: g.agencyId })),
          );
        if (patch.memberships) await r.replaceMemberships(id, membershipRows(patch.memberships));
        if (patch.isActive === false) await endSessions(trx, id);
        const { memberships: _m, ...beforeCore } = before;
        await recordAudit(trx, actor, {
          action: 'org.official.updated',
          entityType: 'official',
          entityId: id,
          summary: {
            before: { ...beforeCore, memberships: before.memberships.map((m) => m.departmentId) },
            changes: patch,
          },
        });
      });
      return service.getOfficial(id);
    },

    /** An admin sets a new password; the official's sessions end. */
    async resetPassword(actor: AuditActor, id: string, newPassword: string) {
      const o = await repo.findOfficial(id);
      if (!o) throw new AppError('OFFICIAL_NOT_FOUND');
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await orgRepo(trx).setPassword(id, hash);
        const ended = await endSessions(trx, id);
        await recordAudit(trx, actor, {
          action: 'org.official.password_reset',
          entityType: 'official',
          entityId: id,
          summary: { sessionsEnded: ended },
        });
      });
    },

    // --- delegations
    async listDelegations(officialId?: string) {
      return (await repo.listDelegations(officialId)).map((d) => ({
        id: d.id,
        fromOfficialId: d.from_official_id,
        fromName: d.from_name,
        toOfficialId: d.to_official_id,
        toName: d.to_name,
        roles: d.roles as RoleGrant['role'][],
        startsAt: d.starts_at.toISOString(),
        endsAt: d.ends_at.toISOString(),
        reason: d.reason,
        revokedAt: d.revoked_at?.toISOString() ?? null,
      }));
    },

    async createDelegation(actor: AuditActor, input: CreateDelegation) {
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = orgRepo(trx);
        const [from, to] = await Promise.all([
          r.findOfficial(input.fromOfficialId),
          r.findOfficial(input.toOfficialId),
        ]);
        if (!from || !to) throw new AppError('OFFICIAL_NOT_FOUND');
        const held = new Set((await r.rolesOf([from.id])).map((g) => g.role));
        const missing = input.roles.filter((x) => !held.has(x));
        if (missing.length) throw new AppError('DELEGATION_INVALID', { missing });
        await r.insertDelegation({
          id,
          from_official_id: from.id,
          to_official_id: to.id,
          roles: input.roles,
          starts_at: new Date(input.startsAt),
          ends_at: new Date(input.endsAt),
          reason: input.reason,
          created_by: actor.auth?.officialId ?? null,
        });
        await recordAudit(trx, actor, {
          action: 'org.delegation.created',
          entityType: 'delegation',
          entityId: id,
          summary: { after: input },
        });
      });
      return (await service.listDelegations(input.fromOfficialId)).find((d) => d.id === id)!;
    },

    findDelegation(id: string) {
      return repo.findDelegation(id);
    },

    async revokeDelegation(actor: AuditActor, id: string) {
      const d = await repo.findDelegation(id);
      if (!d) throw new AppError('DELEGATION_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await orgRepo(trx).revokeDelegation(id);
        await recordAudit(trx, actor, {
          action: 'org.delegation.revoked',
          entityType: 'delegation',
          entityId: id,
        });
      });
      return (await service.listDelegations(d.from_official_id)).find((x) => x.id === id)!;
    },
  };
  return service;
}

export type OrgService = ReturnType<typeof orgService>;
