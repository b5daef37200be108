import type { CalendarService } from '../modules/calendar/service.ts';
import type { DocumentsService } from '../modules/documents/service.ts';
import type { OrgService } from '../modules/org/service.ts';
import type { ProceduresService } from '../modules/procedures/service.ts';
import type { WorkfilesService } from '../modules/workfiles/service.ts';
import type { AuditActor } from '../platform/audit/service.ts';
import { hashPassword } from '../platform/auth/service.ts';
import { type AuthContext, permissionsFor } from '../platform/policy.ts';
import { seedProcedures } from './procedures.ts';
import {
  DEMO_ADMIN_UNITS,
  DEMO_AGENCIES,
  DEMO_NOTICES,
  DEMO_OFFICIALS,
  DEMO_PASSWORD,
  DEMO_POSITIONS,
} from './province.ts';

const SYSTEM: AuditActor = { auth: null, ip: null };

/** Seeds the demo province through the services (so it is validated and audited like real input). */
export async function seedDemo(
  org: OrgService,
  calendar: CalendarService,
  documents: DocumentsService,
  log: (m: string) => void = () => {},
  more: {
    workfiles?: WorkfilesService;
    procedures?: ProceduresService;
    /** Address fields of online forms (modules/submissions adminUnitsService). */
    adminUnits?: { load: (rows: typeof DEMO_ADMIN_UNITS) => Promise<void> };
  } = {},
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
  if (more.workfiles) await seedWorkFiles(org, more.workfiles, agencyIds.get('VP')!, depIds);
  if (more.adminUnits) await more.adminUnits.load(DEMO_ADMIN_UNITS);
  let procedureCount = 0;
  if (more.procedures) {
    const made = await seedProcedures(more.procedures, await actAs(org, 'quantri'), {
      agency: (key) => {
        const id = agencyIds.get(key);
        if (!id) throw new Error(`Demo data: unknown agency ${key}`);
        return id;
      },
      department: (key, name) => {
        const id = depIds.get(`${key}/${name}`);
        if (!id) throw new Error(`Demo data: unknown department ${key}/${name}`);
        return id;
      },
    });
    procedureCount = made.length;
  }
  log(
    `Đã tạo dữ liệu mẫu: ${DEMO_AGENCIES.length} cơ quan, ${depIds.size} phòng ban, ${DEMO_OFFICIALS.length} cán bộ, ${procedureCount} thủ tục hành chính`,
  );
}

/** A demo official acting through the services, so object-level rules and the audit apply. */
async function actAs(org: OrgService, username: string): Promise<AuditActor & { auth: AuthContext }> {
  const o = await org.getOfficial(await org.officialIdByUsername(username));
  return {
    ip: null,
    auth: {
      officialId: o.id,
      fullName: o.fullName,
      roles: o.roles,
      permissions: new Set(permissionsFor(o.roles)),
      actingFor: null,
      sessionId: null,
      tokenId: null,
    },
  };
}

/** Văn phòng UBND tỉnh: the 2026 file list, drafted by the clerk and approved, and one open file. */
async function seedWorkFiles(
  org: OrgService,
  workfiles: WorkfilesService,
  vpId: string,
  depIds: Map<string, string>,
) {
  const clerk = await actAs(org, 'vanthu.vp');
  const dep = (name: string) => depIds.get(`VP/${name}`)!;
  const list = await workfiles.createList(clerk, { agencyId: vpId, year: 2026 });
  const tonghop = await org.officialIdByUsername('cv.tonghop');
  const kinhte = await org.officialIdByUsername('cv.kinhte');
  const items = [
    {
      section: 'I. Công tác tổng hợp',
      code: '01.TH',
      title: 'Hồ sơ xây dựng Chương trình công tác năm 2026 của UBND tỉnh',
      retentionCode: 'vinh_vien',
      departmentId: dep('Phòng Tổng hợp'),
      officialId: tonghop,
    },
    {
      section: 'I. Công tác tổng hợp',
      code: '02.TH',
      title: 'Tập báo cáo tình hình kinh tế - xã hội hằng tháng năm 2026',
      retentionCode: '20_nam',
      departmentId: dep('Phòng Tổng hợp'),
    },
    {
      section: 'II. Kinh tế',
      code: '03.KT',
      title: 'Hồ sơ theo dõi giải ngân vốn đầu tư công năm 2026',
      retentionCode: '10_nam',
      departmentId: dep('Phòng Kinh tế'),
      officialId: kinhte,
    },
    {
      section: 'III. Hành chính - Tổ chức',
      code: '04.HC',
      title: 'Tập lưu văn bản đi của Văn phòng năm 2026',
      retentionCode: '20_nam',
      departmentId: dep('Phòng Hành chính - Tổ chức'),
      note: 'Văn thư lập',
    },
  ];
  let detail = list;
  for (const item of items) detail = await workfiles.addItem(clerk, list.id, item);
  await workfiles.approveList(await actAs(org, 'cvp'), list.id);
  const first = detail.items.find((i) => i.code === '01.TH')!;
  const owner = await actAs(org, 'cv.tonghop');
  const file = await workfiles.openFile(owner, { listItemId: first.id, openedOn: '2026-01-05' });
  await workfiles.addNote(
    owner,
    file.id,
    'Đã lấy ý kiến các sở, ngành về dự thảo Chương trình công tác.',
    null,
  );
}
