import type { Permission, Role, RoleGrant } from '@congvu/contracts';

/**
 * Work files (NĐ 30 art. 28): every official keeps files of their own work; leaders approve the
 * agency's file list; the clerk (văn thư, lưu trữ cơ quan) receives deposits. Which agency's
 * files is decided per object in modules/workfiles/policy.ts.
 */
const WORKFILES = {
  manage: ['workfiles.read', 'workfiles.manage'],
  approve: ['workfiles.approveList'],
  archive: ['workfiles.archive'],
} as const satisfies Record<string, readonly Permission[]>;

/**
 * One-stop shop (issue 6): the counter officer receives dossiers; specialists and leaders process
 * the steps given to their role; leaders supervise their agency; the catalogue is the admin's.
 * Which agency's dossiers is decided per object in modules/dossiers/policy.ts.
 */
const DOSSIERS = {
  read: ['dossiers.read'],
  receive: ['dossiers.receive'],
  process: ['dossiers.process'],
  supervise: ['dossiers.supervise'],
} as const satisfies Record<string, readonly Permission[]>;

/** Which permissions each role grants. Module policies name permissions, never roles. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    'org.read',
    'org.manage',
    'audit.read',
    'calendar.manage',
    'tokens.manage',
    'files.read',
    'files.write',
    'documents.read',
    'signing.trust',
    'exchange.manage',
    'hub.manage',
    'procedures.manage',
    'meetings.manage',
    ...DOSSIERS.read,
    ...DOSSIERS.supervise,
    ...WORKFILES.manage,
    ...WORKFILES.approve,
    ...WORKFILES.archive,
  ],
  clerk: [
    'org.read',
    'files.read',
    'files.write',
    'documents.read',
    'documents.register',
    'meetings.manage',
    ...DOSSIERS.read,
    ...WORKFILES.manage,
    ...WORKFILES.archive,
  ],
  leader: [
    'org.read',
    'files.read',
    'files.write',
    'documents.read',
    'meetings.manage',
    ...DOSSIERS.read,
    ...DOSSIERS.process,
    ...DOSSIERS.supervise,
    ...WORKFILES.manage,
    ...WORKFILES.approve,
    ...WORKFILES.archive,
  ],
  specialist: [
    'org.read',
    'files.read',
    'files.write',
    'documents.read',
    ...WORKFILES.manage,
    ...DOSSIERS.read,
    ...DOSSIERS.process,
  ],
  counter: [
    'org.read',
    'files.read',
    'files.write',
    'documents.read',
    ...WORKFILES.manage,
    ...DOSSIERS.read,
    ...DOSSIERS.receive,
    ...DOSSIERS.process,
  ],
};

export function permissionsFor(roles: readonly Pick<RoleGrant, 'role'>[]): Permission[] {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r.role]) set.add(p);
  return [...set].sort();
}

/**
 * What a route needs, declared on every route as `config.access`:
 * - 'public': anyone;
 * - 'session': any signed-in official (or API token);
 * - 'hub-system': a connected system's HMAC-signed request to the exchange hub (/hub/v1),
 *   authenticated by the hub itself (modules/hub/routes.ts), never by a session or API token;
 * - 'citizen': a signed-in citizen (cookie congvu_citizen, modules/citizens); never an official
 *   nor an API token, and a citizen is never an official;
 * - a permission: signed in and holding it.
 */
export type Access = 'public' | 'session' | 'hub-system' | 'citizen' | Permission;

/** A signed-in citizen of the portal (set on req.citizen for routes of access 'citizen'). */
export interface CitizenAuth {
  citizenId: string;
  sessionId: string;
}

export interface AuthContext {
  officialId: string | null;
  fullName: string;
  roles: RoleGrant[];
  permissions: Set<Permission>;
  /** The official whose rights are in use under a delegation, if any. */
  actingFor: { id: string; fullName: string } | null;
  sessionId: string | null;
  tokenId: string | null;
}

export function allows(auth: AuthContext | null, access: Access): 'ok' | 'unauthenticated' | 'forbidden' {
  if (access === 'public') return 'ok';
  if (!auth) return 'unauthenticated';
  if (access === 'hub-system' || access === 'citizen') return 'forbidden';
  if (access === 'session') return 'ok';
  return auth.permissions.has(access) ? 'ok' : 'forbidden';
}
