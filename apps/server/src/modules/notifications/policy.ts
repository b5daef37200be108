import type { AuthContext } from '../../platform/policy.ts';

/** Who may do what with notifications, beyond the access each route declares. */
export const notificationsPolicy = {
  /** Any signed-in official has a notification inbox. */
  access: 'session',

  /**
   * Whose inbox a caller reads: always the signed-in official's own, also while acting for
   * someone else under a delegation (notifications are personal). API tokens have none.
   */
  owner(auth: AuthContext): string | null {
    return auth.tokenId === null ? auth.officialId : null;
  },

  /** A notification is its recipient's alone. */
  canTouch(owner: string, n: { recipient_id: string }): boolean {
    return n.recipient_id === owner;
  },
} as const;
