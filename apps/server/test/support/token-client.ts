import { generateKeyPairSync, sign } from 'node:crypto';
import { type CertificateAuthority, issueOfficialCertificate } from '../../src/modules/signing/pki.ts';

/**
 * Stands in for the official's USB token and its local signing plug-in: holds a private key the
 * server never sees and signs the `signedAttributes` bytes of a signing session
 * (SHA-256 + RSA PKCS#1 v1.5).
 */
export interface TokenClient {
  /** DER: the holder's certificate, then the CA's. */
  certificateChain: Uint8Array[];
  signSignedAttributes(signedAttributes: Uint8Array): Uint8Array;
}

export async function tokenClient(
  ca: CertificateAuthority,
  holder: { fullName: string; agencyName: string } = {
    fullName: 'Lý Văn Thắng',
    agencyName: 'Sở Nội vụ tỉnh Sơn Lâm',
  },
): Promise<TokenClient> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { certificate } = await issueOfficialCertificate(ca, {
    ...holder,
    publicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  });
  return {
    certificateChain: [new Uint8Array(certificate.rawData), new Uint8Array(ca.certificate.rawData)],
    signSignedAttributes: (bytes) => new Uint8Array(sign('sha256', bytes, privateKey)),
  };
}
