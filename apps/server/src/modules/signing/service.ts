import { X509Certificate } from 'node:crypto';
import type { AddSigningCredential, AddTrustAnchor, SigningCredential } from '@congvu/contracts';
import { type RevocationSource, verifyPdf } from '@congvu/pades';
import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import type { BlobStore } from '../../platform/files/store.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { OrgService } from '../org/service.ts';
import { readPkcs12 } from './key-signer.ts';
import { signingRepo } from './repo.ts';
import { httpRevocationSource } from './revocation.ts';

/**
 * The trust store: the root certificates against which signatures are verified. The operator
 * adds the national root CA and the Government-specialised CA; nothing is trusted by default.
 */
export function signingService(
  db: Db,
  opts: {
    blobs?: BlobStore;
    org?: Pick<OrgService, 'getOfficial' | 'getAgency'>;
    revocation?: () => RevocationSource;
  } = {},
) {
  const repo = signingRepo(db);
  const revocation = opts.revocation ?? (() => httpRevocationSource(5_000));
  const present = (c: Awaited<ReturnType<typeof repo.listCredentials>>[number]): SigningCredential => ({
    id: c.id,
    holder: c.official_id
      ? { kind: 'official', id: c.official_id, name: c.official_name ?? '' }
      : { kind: 'agency', id: c.agency_id!, name: c.agency_name ?? '' },
    kind: c.kind,
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serial_number,
    notBefore: c.not_before.toISOString(),
    notAfter: c.not_after.toISOString(),
    hasImage: c.image_sha256 !== null,
    addedAt: c.added_at.toISOString(),
  });
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

    // --- Signing credentials

    async listCredentials() {
      return (await repo.listCredentials()).map(present);
    },

    /** The signed-in official's own credential and those of the agencies they are clerk of. */
    async mySigning(auth: AuthContext) {
      const officialId = auth.officialId;
      const clerkOf = auth.roles.filter((r) => r.role === 'clerk' && r.agencyId).map((r) => r.agencyId!);
      const rows = officialId ? await repo.credentialSummaries({ officialId, agencyIds: clerkOf }) : [];
      return {
        personal: rows.filter((r) => r.official_id === officialId).map(present)[0] ?? null,
        agencies: rows.filter((r) => r.agency_id !== null).map(present),
      };
    },

    /**
     * Registers the credential of an official or an agency, replacing the active one. A .p12 is
     * opened once with the password to check it (the password is not kept; the file stays
     * encrypted); a token's certificate chain is kept as given.
     */
    async addCredential(actor: AuditActor, input: AddSigningCredential) {
      let certs: Buffer[];
      if (input.pkcs12 !== undefined) {
        try {
          certs = readPkcs12(Buffer.from(input.pkcs12, 'base64'), input.password ?? '').certificates.map(
            (c) => Buffer.from(c),
          );
        } catch {
          throw new AppError('SIGNING_CREDENTIAL_INVALID');
        }
      } else certs = (input.certificateChain ?? []).map((c) => Buffer.from(c, 'base64'));
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(certs[0]!);
      } catch {
        throw new AppError('SIGNING_CREDENTIAL_INVALID');
      }
      if (cert.ca || new Date(cert.validTo) < new Date()) throw new AppError('SIGNING_CREDENTIAL_INVALID');
      if (input.officialId) await opts.org?.getOfficial(input.officialId);
      if (input.agencyId) await opts.org?.getAgency(input.agencyId);
      let image: string | null = null;
      if (input.image !== undefined) {
        const png = Buffer.from(input.image, 'base64');
        if (!opts.blobs || png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a')
          throw new AppError('SIGNING_CREDENTIAL_INVALID', { field: 'image' });
        const stored = await opts.blobs.put(png);
        await filesRepo(db).insertBlob({ sha256: stored.sha256, size: stored.size, mime: stored.type.mime });
        image = stored.sha256;
      }
      const id = uuidv7();
      const summary = {
        officialId: input.officialId ?? null,
        agencyId: input.agencyId ?? null,
        kind: input.pkcs12 !== undefined ? 'pkcs12' : 'token',
        subject: cert.subject.split('\n').join(', '),
        serialNumber: cert.serialNumber,
      };
      await db.transaction().execute(async (trx) => {
        await signingRepo(trx).insertCredential({
          id,
          official_id: input.officialId ?? null,
          agency_id: input.agencyId ?? null,
          kind: input.pkcs12 !== undefined ? 'pkcs12' : 'token',
          certificate: certs[0]!,
          chain: certs.slice(1),
          pkcs12: input.pkcs12 !== undefined ? Buffer.from(input.pkcs12, 'base64') : null,
          subject: summary.subject,
          issuer: cert.issuer.split('\n').join(', '),
          serial_number: cert.serialNumber,
          fingerprint_sha256: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
          not_before: new Date(cert.validFrom),
          not_after: new Date(cert.validTo),
          image_sha256: image,
          seal_diameter_mm: input.sealDiameterMm !== undefined ? String(input.sealDiameterMm) : null,
          added_by: actor.auth?.officialId ?? null,
        });
        await recordAudit(trx, actor, {
          action: 'signing.credential.added',
          entityType: 'signing_credential',
          entityId: id,
          summary,
        });
      });
      return (await repo.listCredentials()).map(present).find((c) => c.id === id)!;
    },

    async removeCredential(actor: AuditActor, id: string) {
      const c = await repo.findCredential(id);
      if (!c) throw new AppError('SIGNING_CREDENTIAL_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await signingRepo(trx).removeCredential(id, actor.auth?.officialId ?? null);
        await recordAudit(trx, actor, {
          action: 'signing.credential.removed',
          entityType: 'signing_credential',
          entityId: id,
          summary: { officialId: c.official_id, agencyId: c.agency_id, subject: c.subject },
        });
      });
    },
  };
}

export type SigningService = ReturnType<typeof signingService>;
