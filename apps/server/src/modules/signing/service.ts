import { X509Certificate } from 'node:crypto';
import type { AddTrustAnchor } from '@congvu/contracts';
import { verifyPdf } from '@congvu/pades';
import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { signingRepo } from './repo.ts';
import { httpRevocationSource } from './revocation.ts';

/**
 * The trust store: the root certificates against which signatures are verified. The operator
 * adds the national root CA and the Government-specialised CA; nothing is trusted by default.
 */
export function signingService(db: Db, revocation = () => httpRevocationSource(5_000)) {
  const repo = signingRepo(db);
  return {
    async listTrustAnchors() {
      return (await repo.activeAnchors()).map((a) => ({
        id: a.id,
        name: a.name,
        subject: a.subject,
        serialNumber: a.serial_number,
        fingerprintSha256: a.fingerprint_sha256,
        notBefore: a.not_before.toISOString(),
        notAfter: a.not_after.toISOString(),
        addedAt: a.added_at.toISOString(),
        addedByName: a.added_by_name,
      }));
    },

    /**
     * Verifies a PDF's signatures against the trust store, fetching CRLs and OCSP answers the
     * certificates point to (unreachable: reported as unknown, not as revoked).
     */
    async verifyPdf(pdf: Uint8Array) {
      return verifyPdf(pdf, { trustAnchors: await this.trustAnchorsDer(), revocation: revocation() });
    },

    /** The DER of every trusted root, for the verifier. */
    async trustAnchorsDer(): Promise<Uint8Array[]> {
      return (await repo.activeAnchors()).map((a) => new Uint8Array(a.certificate));
    },

    async addTrustAnchor(actor: AuditActor, input: AddTrustAnchor) {
      let cert: X509Certificate;
      try {
        const pems = input.pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        if (pems.length !== 1) throw new Error('one certificate expected');
        cert = new X509Certificate(pems[0]!);
      } catch {
        throw new AppError('TRUST_ANCHOR_INVALID');
      }
      if (!cert.ca) throw new AppError('TRUST_ANCHOR_NOT_CA');
      const der = cert.raw;
      const fingerprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
      const id = uuidv7();
      try {
        await db.transaction().execute(async (trx) => {
          await signingRepo(trx).insertAnchor({
            id,
            name: nfc(input.name),
            certificate: der,
            fingerprint_sha256: fingerprint,
            subject: cert.subject.split('\n').join(', '),
            serial_number: cert.serialNumber,
            not_before: new Date(cert.validFrom),
            not_after: new Date(cert.validTo),
            added_by: actor.auth?.officialId ?? null,
          });
          await recordAudit(trx, actor, {
            action: 'signing.trust_anchor.added',
            entityType: 'trust_anchor',
            entityId: id,
            summary: { name: input.name, subject: cert.subject.split('\n').join(', '), fingerprint },
          });
        });
      } catch (e) {
        if ((e as { constraint?: string }).constraint === 'trust_anchors_active')
          throw new AppError('TRUST_ANCHOR_EXISTS');
        throw e;
      }
      return (await this.listTrustAnchors()).find((a) => a.id === id)!;
    },

    async removeTrustAnchor(actor: AuditActor, id: string) {
      const a = await repo.findActive(id);
      if (!a) throw new AppError('TRUST_ANCHOR_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await signingRepo(trx).removeAnchor(id, actor.auth?.officialId ?? null);
        await recordAudit(trx, actor, {
          action: 'signing.trust_anchor.removed',
          entityType: 'trust_anchor',
          entityId: id,
          summary: { name: a.name, fingerprint: a.fingerprint_sha256 },
        });
      });
    },
  };
}

export type SigningService = ReturnType<typeof signingService>;
