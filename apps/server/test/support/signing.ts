import type { webcrypto } from 'node:crypto';
import { p12Signer, signPdf } from '@congvu/pades';
import {
  type CertificateAuthority,
  createRootCa,
  generateRsaKeyPair,
  issueAgencyCertificate,
  issueOfficialCertificate,
  toPkcs12,
} from '../../src/modules/signing/pki.ts';
import type { TestApp } from '../helpers.ts';
import { type TokenClient, tokenClient } from './token-client.ts';

/** The password of every PKCS#12 credential the kit registers. */
export const SIGNING_PASSWORD = 'Ky-so-2026';

/**
 * Digital signing for server tests: a generated CA, trusted by the app (through the admin
 * API), and credentials registered for officials and agencies the same way an administrator
 * does it (a .p12 checked with its password, or a token's certificate chain).
 */
export async function signingKit(t: TestApp, opts: { trust?: boolean; ca?: CertificateAuthority } = {}) {
  const ca: CertificateAuthority = opts.ca ?? (await createRootCa());
  const admin = (await t.f.session(['admin'])).cookie;
  if (opts.trust !== false) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/signing/trust-anchors',
      headers: { cookie: admin },
      payload: { name: 'CA thử nghiệm', pem: ca.certificate.toString('pem') },
    });
    if (res.statusCode !== 201) throw new Error(`trust anchor: ${res.statusCode} ${res.body}`);
  }
  const register = async (payload: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/signing/credentials',
      headers: { cookie: admin },
      payload,
    });
    if (res.statusCode !== 201) throw new Error(`credential: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string };
  };
  const p12 = async (
    issue: (publicKey: webcrypto.CryptoKey) => ReturnType<typeof issueOfficialCertificate>,
  ) => {
    const keys = await generateRsaKeyPair(2048);
    const { certificate } = await issue(keys.publicKey);
    const der = await toPkcs12({
      privateKey: keys.privateKey,
      chain: [certificate, ca.certificate],
      password: SIGNING_PASSWORD,
    });
    return Buffer.from(der).toString('base64');
  };
  return {
    ca,
    admin,
    /** A personal PKCS#12 credential for the official. */
    async personal(officialId: string, fullName = 'Trần Quốc Hưng', extra: { image?: Buffer } = {}) {
      const pkcs12 = await p12((publicKey) =>
        issueOfficialCertificate(ca, { fullName, agencyName: 'Ủy ban nhân dân tỉnh Thử', publicKey }),
      );
      return register({
        officialId,
        pkcs12,
        password: SIGNING_PASSWORD,
        ...(extra.image && { image: extra.image.toString('base64') }),
      });
    },
    /** The agency's seal credential (PKCS#12). */
    async agency(agencyId: string, agencyName = 'Ủy ban nhân dân tỉnh Thử', extra: { image?: Buffer } = {}) {
      const pkcs12 = await p12((publicKey) => issueAgencyCertificate(ca, { agencyName, publicKey }));
      return register({
        agencyId,
        pkcs12,
        password: SIGNING_PASSWORD,
        ...(extra.image && { image: extra.image.toString('base64') }),
      });
    },
    /** A PDF signed elsewhere with an agency certificate of the kit's CA (e.g. a civil-status system's result). */
    async signedElsewhere(pdf: Buffer, agencyName = 'Ủy ban nhân dân xã Thử'): Promise<Buffer> {
      const pkcs12 = await p12((publicKey) => issueAgencyCertificate(ca, { agencyName, publicKey }));
      const signer = p12Signer(new Uint8Array(Buffer.from(pkcs12, 'base64')), SIGNING_PASSWORD);
      return Buffer.from(await signPdf(new Uint8Array(pdf), signer, { signingTime: new Date() }));
    },
    /** A USB-token credential: the server gets the certificate chain, the test keeps the key. */
    async token(
      holder: { officialId: string } | { agencyId: string },
      name = 'Lý Văn Thắng',
    ): Promise<TokenClient> {
      const client = await tokenClient(ca, { fullName: name, agencyName: 'Ủy ban nhân dân tỉnh Thử' });
      await register({
        ...holder,
        certificateChain: client.certificateChain.map((c) => Buffer.from(c).toString('base64')),
      });
      return client;
    },
  };
}
export type SigningKit = Awaited<ReturnType<typeof signingKit>>;
