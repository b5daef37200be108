import { AppError } from '../../platform/errors.ts';

/**
 * Citizens act only on their own account: every route of access 'citizen' works on
 * req.citizen.citizenId, never on an id from the request. The data store is keyed by CCCD, so a
 * citizen sees it only once their profile carries one (unique across accounts: nobody else can
 * claim the same number).
 */
export function storeOwnerOf(citizen: { id_no: string | null }): string {
  if (!citizen.id_no) throw new AppError('CITIZEN_ID_NO_REQUIRED');
  return citizen.id_no;
}

/** A password account must keep a sign-in name. */
export function checkContacts(next: {
  email: string | null;
  phone: string | null;
  password_hash: string | null;
}) {
  if (next.password_hash && !next.email && !next.phone) throw new AppError('CITIZEN_CONTACT_REQUIRED');
}
