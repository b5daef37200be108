import { createPrivateKey, createPublicKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { type RawSigner, rsaSha256 } from '@congvu/pades';
import forge from 'node-forge';

/**
 * RawSigners over a key held by this process: a PKCS#12 file (the demo CA's .p12, an agency's
 * seal key kept on the server) or a Node KeyObject. Tokens and HSMs go through pkcs11.ts instead.
 */

/** RSA (PKCS#1 v1.5) or EC P-256 (DER ECDSA-Sig-Value), SHA-256. */
export function keySigner(privateKey: KeyObject, certificateChain: Uint8Array[]): RawSigner {
  const first = certificateChain[0];
  if (!first) throw new Error('key signer: the certificate chain is empty');
  const certKey = new X509Certificate(Buffer.from(first)).publicKey;
  const type = privateKey.asymmetricKeyType;
  let algorithm: RawSigner['algorithm'];
  if (type === 'rsa') algorithm = 'RSA-SHA256';
  else if (type === 'ec' && privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    algorithm = 'ECDSA-P256-SHA256';
  } else throw new Error(`key signer: unsupported key ${type}`);
  const exported = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  const pub = createPublicKey(privateKey);
  if (!exported(pub).equals(exported(certKey)))
    throw new Error('key signer: the certificate is not the key’s');
  const chain = certificateChain.map((c) => new Uint8Array(c));
  return {
    algorithm,
    // the public key was compared with the certificate's above (see RawSigner.checkedLocalKey)
    checkedLocalKey: true,
    certificateChain: async () => chain.map((c) => new Uint8Array(c)),
    sign: async (data) =>
      new Uint8Array(
        algorithm === 'RSA-SHA256'
          ? rsaSha256(privateKey, data)
          : sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
      ),
  };
}

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** DER: the key's certificate first (matched by public key), then the others as stored. */
  certificates: Uint8Array[];
}

/**
 * Reads a PKCS#12 file: ours (toPkcs12) and OpenSSL 3's defaults (PBES2 AES-256, SHA-256 MAC);
 * RSA and EC keys. The MAC is checked here (password as BMPString, RFC 7292) and the key
 * decrypted with the password's UTF-8 bytes (PBES2), as OpenSSL does.
 */
export function readPkcs12(der: Uint8Array, password: string): Pkcs12Contents {
  const pfx = forge.asn1.fromDer(Buffer.from(der).toString('binary'), false);
  const parts = pfx.value as forge.asn1.Asn1[];
  const macData = parts[2];
  if (!macData) throw new Error('PKCS#12: no MAC (password integrity mode required)');
  verifyMac(parts, macData, password);
  parts.pop();
  const p12 = forge.pkcs12.pkcs12FromAsn1(pfx, false, forge.util.encodeUtf8(password));
  const keyBags = [
    ...(p12.getBags({ bagType: SHROUDED_KEY_BAG })[SHROUDED_KEY_BAG] ?? []),
    ...(p12.getBags({ bagType: KEY_BAG })[KEY_BAG] ?? []),
  ];
  if (keyBags.length !== 1) throw new Error(`PKCS#12: expected one private key, found ${keyBags.length}`);
  const bag = keyBags[0] as forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };
  const keyAsn1 = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
    : (bag.asn1 ?? null);
  if (!keyAsn1) throw new Error('PKCS#12: the key bag is empty');
  const privateKey = createPrivateKey({
    key: Buffer.from(forge.asn1.toDer(keyAsn1).getBytes(), 'binary'),
    format: 'der',
    type: 'pkcs8',
  });
  const certs = (p12.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? []).map((b) => {
    const a = (b as { asn1?: forge.asn1.Asn1 }).asn1 ?? (b.cert ? forge.pki.certificateToAsn1(b.cert) : null);
    if (!a) throw new Error('PKCS#12: an empty certificate bag');
    return new Uint8Array(Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary'));
  });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const own = certs.findIndex((c) =>
    new X509Certificate(Buffer.from(c)).publicKey.export({ type: 'spki', format: 'der' }).equals(spki),
  );
  if (own < 0) throw new Error('PKCS#12: no certificate for the private key');
  return { privateKey, certificates: [certs[own] as Uint8Array, ...certs.filter((_, i) => i !== own)] };
}

function verifyMac(parts: forge.asn1.Asn1[], macData: forge.asn1.Asn1, password: string): void {
  const [digestInfo, saltNode, iterNode] = macData.value as forge.asn1.Asn1[];
  const [algId, digestNode] = (digestInfo?.value ?? []) as forge.asn1.Asn1[];
  const oid = forge.asn1.derToOid(
    ((algId?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value ?? '') as string,
  );
  const md =
    oid === '2.16.840.1.101.3.4.2.1'
      ? forge.md.sha256.create()
      : oid === '1.3.14.3.2.26'
        ? forge.md.sha1.create()
        : null;
  if (!md) throw new Error(`PKCS#12: unsupported MAC digest ${oid}`);
  const iterations = iterNode ? forge.asn1.derToInteger(iterNode.value as string) : 1;
  const contentInfo = parts[1]?.value as forge.asn1.Asn1[] | undefined;
  const authSafe = (contentInfo?.[1]?.value as forge.asn1.Asn1[] | undefined)?.[0];
  if (!authSafe || typeof saltNode?.value !== 'string' || typeof digestNode?.value !== 'string') {
    throw new Error('PKCS#12: malformed');
  }
  // The authenticated bytes: the OCTET STRING's content (constructed encodings concatenated).
  const content =
    typeof authSafe.value === 'string'
      ? authSafe.value
      : (authSafe.value as forge.asn1.Asn1[]).map((p) => p.value as string).join('');
  const key = forge.pkcs12.generateKey(
    password,
    forge.util.createBuffer(saltNode.value),
    3,
    iterations,
    md.digestLength,
    md,
  );
  const hmac = forge.hmac.create();
  hmac.start(md, key.getBytes());
  hmac.update(content);
  if (hmac.digest().getBytes() !== digestNode.value)
    throw new Error('PKCS#12: MAC mismatch (wrong password?)');
}

/** A RawSigner from a PKCS#12 file. */
export function pkcs12Signer(der: Uint8Array, password: string): RawSigner {
  const { privateKey, certificates } = readPkcs12(der, password);
  return keySigner(privateKey, certificates);
}
