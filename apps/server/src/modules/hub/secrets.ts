import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The systems' HMAC secrets at rest. The hub must be able to read a secret back (HMAC needs the
 * key itself, a hash would not do), so with HUB_SECRET_KEY set it stores AES-256-GCM ciphertext
 * ("enc:v1:<iv>:<tag>:<ciphertext>", base64url parts, key derived from HUB_SECRET_KEY by HKDF);
 * without it, "plain:<secret>" and a warning at start. A stolen database dump then leaks no
 * secret unless the key (kept outside the database) leaks too.
 */
export interface SecretBox {
  readonly encrypted: boolean;
  seal(secret: string): string;
  open(stored: string): string;
}

export class HubSecretKeyMissing extends Error {}

export function secretBox(secretKey: string | undefined): SecretBox {
  const key = secretKey
    ? Buffer.from(hkdfSync('sha256', secretKey, 'congvu-hub', 'hub_systems.secret v1', 32))
    : null;
  return {
    encrypted: key !== null,
    seal(secret) {
      if (!key) return `plain:${secret}`;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
      return ['enc', 'v1', iv, c.getAuthTag(), ct]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(stored) {
      if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
      const [tag0, ver, iv, tag, ct] = stored.split(':');
      if (tag0 !== 'enc' || ver !== 'v1' || !iv || !tag || ct === undefined)
        throw new Error('unreadable stored secret');
      if (!key) throw new HubSecretKeyMissing('a system secret is encrypted but HUB_SECRET_KEY is not set');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    },
  };
}

/** A new secret for a system: 32 random bytes, base64url (43 characters). */
export function newSystemSecret(): string {
  return randomBytes(32).toString('base64url');
}
