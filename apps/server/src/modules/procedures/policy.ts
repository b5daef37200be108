/**
 * The procedure catalogue is public information inside the installation: every signed-in official
 * reads it (the counter needs it to receive dossiers); only holders of procedures.manage change it
 * (the administrator by default, see platform/policy.ts).
 */
export const proceduresPolicy = {
  read: 'session',
  manage: 'procedures.manage',
} as const;
