import type { CalendarService } from '../modules/calendar/service.ts';
import type { DocumentsService } from '../modules/documents/service.ts';
import type { OrgService } from '../modules/org/service.ts';
import type { AuditActor } from '../platform/audit/service.ts';
import { hashPassword } from '../platform/auth/service.ts';
import { DEMO_AGENCIES, DEMO_NOTICES, DEMO_OFFICIALS, DEMO_PASSWORD, DEMO_POSITIONS } from './province.ts';

const SYSTEM: AuditActor = { auth: null, ip: null };

/** Seeds the demo province through the services (so it is validated and audited like real input). */
export async function seedDemo(
  org: OrgService,
  calendar: CalendarService,
  documents: DocumentsService,
  log: (m: string) => void = () => {},
) {
  const agencyIds = new Map<string, string>();
  const depIds = new Map<string, string>();
  for (const a of DEMO_AGENCIES) {
    const parentId = a.parent ? agencyIds.get(a.parent) : undefined;
    const created = await org.createAgency(SYSTEM, {
      code: a.code,
      ...(a.legacyCode && { legacyCode: a.legacyCode }),
      name: a.name,
      shortName: a.shortName,
      kind: a.kind,
      ...(parentId && { parentId }),
      validFrom: '2025-07-01',
    });
    agencyIds.set(a.key, created.id);
    for (const d of a.departments) {
      const dep = await org.createDepartment(SYSTEM, { agencyId: created.id, name: d });
      depIds.set(`${a.key}/${d}`, dep.id);
    }
  }
  const posIds = new Map<string, string>();
  for (const [name, rank] of DEMO_POSITIONS)
    posIds.set(name, (await org.createPosition(SYSTEM, { name, rank })).id);
  // One argon2 hash for the shared demo password keeps the first start fast.
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const o of DEMO_OFFICIALS) {
    const agencyId = agencyIds.get(o.agency);
    const departmentId = depIds.get(`${o.agency}/${o.department}`);
    if (!agencyId || !departmentId) throw new Error(`Demo data: unknown unit for ${o.username}`);
    await org.createOfficial(
      SYSTEM,
      {
        username: o.username,
        fullName: o.fullName,
        email: `${o.username.replaceAll('.', '_')}@sonlam.gov.vn`,
        password: DEMO_PASSWORD,
        roles: o.roles.map((role) => ({ role, agencyId: role === 'admin' ? null : agencyId })),
        memberships: [{ departmentId, positionId: posIds.get(o.position) ?? null, isPrimary: true }],
      },
      hash,
    );
  }
  for (const n of DEMO_NOTICES) await calendar.createNotice(SYSTEM, n);
  // Every agency keeps an incoming, a secret incoming and an outgoing register (NĐ 30 art. 15, 22).
  for (const agencyId of agencyIds.values()) {
    await documents.createRegister(SYSTEM, {
      agencyId,
      kind: 'incoming',
      secret: false,
      code: 'DEN',
      name: 'Sổ đăng ký văn bản đến',
    });
    await documents.createRegister(SYSTEM, {
      agencyId,
      kind: 'incoming',
      secret: true,
      code: 'DEN-MAT',
      name: 'Sổ đăng ký văn bản đến mật',
    });
    await documents.createRegister(SYSTEM, {
      agencyId,
      kind: 'outgoing',
      secret: false,
      code: 'DI',
      name: 'Sổ đăng ký văn bản đi',
    });
  }
  log(
    `Đã tạo dữ liệu mẫu: ${DEMO_AGENCIES.length} cơ quan, ${depIds.size} phòng ban, ${DEMO_OFFICIALS.length} cán bộ`,
  );
}
