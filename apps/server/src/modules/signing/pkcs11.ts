import { createHash, type KeyObject, randomBytes, verify, X509Certificate } from 'node:crypto';
import type { RawSigner, SignatureAlgorithm } from '@congvu/pades';
import pkcs11js from 'pkcs11js';

/**
 * A RawSigner over a PKCS#11 token or HSM (SoftHSM2 in tests). The private key never leaves the
 * token: we find it by label or id and ask the token to sign. RSA keys sign with
 * CKM_SHA256_RSA_PKCS (the token hashes); EC P-256 keys sign a SHA-256 digest with CKM_ECDSA and
 * the raw r||s is re-encoded as a DER ECDSA-Sig-Value.
 *
 * Each library is loaded and C_Initialize'd once per process and finalized once at exit (or by
 * `closePkcs11Modules`). Each signature runs in its own session, logged in as USER; closing the
 * application's last session logs it out (PKCS#11 §5.6).
 */

export interface Pkcs11SignerOptions {
  /** Path of the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  /** Index into the list of slots with a token present… */
  slot?: number;
  /** …or the token's label (takes precedence). */
  tokenLabel?: string;
  pin: string;
  /** The private key's CKA_LABEL… */
  keyLabel?: string;
  /** …and/or its CKA_ID (bytes or hex). */
  keyId?: Uint8Array | string;
  /** DER certificates: the signer's first, then intermediates. */
  certificateChain: Uint8Array[];
}

export interface Pkcs11Signer extends RawSigner {
  /** Key size in bits (RSA) or 256 (P-256). */
  readonly keyBits: number;
}

interface LoadedModule {
  lib: pkcs11js.PKCS11;
  /** False when someone else in this process had initialized the library: not ours to finalize. */
  owned: boolean;
}

const modules = new Map<string, LoadedModule>();
let exitHookInstalled = false;

function loadModule(path: string): pkcs11js.PKCS11 {
  const known = modules.get(path);
  if (known) return known.lib;
  const lib = new pkcs11js.PKCS11();
  lib.load(path);
  let owned = true;
  try {
    lib.C_Initialize();
  } catch (e) {
    if (!isPkcs11Error(e, pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
      lib.close();
      throw e;
    }
    owned = false;
  }
  modules.set(path, { lib, owned });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => closePkcs11Modules());
  }
  return lib;
}

/** Finalizes (once) and unloads every PKCS#11 library this process loaded. */
export function closePkcs11Modules(): void {
  for (const [path, m] of modules) {
    modules.delete(path);
    try {
      if (m.owned) m.lib.C_Finalize();
    } finally {
      m.lib.close();
    }
  }
}

function isPkcs11Error(e: unknown, code: number): boolean {
  return e instanceof pkcs11js.Pkcs11Error && e.code === code;
}

function findSlot(lib: pkcs11js.PKCS11, o: Pkcs11SignerOptions): Buffer {
  const slots = lib.C_GetSlotList(true);
  if (o.tokenLabel !== undefined) {
    const slot = slots.find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === o.tokenLabel);
    if (!slot) throw new Error(`PKCS#11: no token labelled "${o.tokenLabel}" in ${o.module}`);
    return slot;
  }
  const slot = slots[o.slot ?? 0];
  if (!slot) throw new Error(`PKCS#11: no token in slot index ${o.slot ?? 0} of ${o.module}`);
  return slot;
}

/** Opens a session logged in as USER, runs `fn`, closes the session. */
function withSession<T>(lib: pkcs11js.PKCS11, slot: Buffer, pin: string, fn: (session: Buffer) => T): T {
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  try {
    try {
      lib.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (e) {
      if (!isPkcs11Error(e, pkcs11js.CKR_USER_ALREADY_LOGGED_IN)) throw e;
    }
    return fn(session);
  } finally {
    lib.C_CloseSession(session);
  }
}

function findPrivateKey(lib: pkcs11js.PKCS11, session: Buffer, o: Pkcs11SignerOptions): Buffer {
  if (o.keyLabel === undefined && o.keyId === undefined) throw new Error('PKCS#11: give keyLabel or keyId');
  const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  if (o.keyLabel !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: o.keyLabel });
  if (o.keyId !== undefined) {
    template.push({
      type: pkcs11js.CKA_ID,
      value: typeof o.keyId === 'string' ? Buffer.from(o.keyId, 'hex') : Buffer.from(o.keyId),
    });
  }
  lib.C_FindObjectsInit(session, template);
  let found: Buffer[];
  try {
    found = lib.C_FindObjects(session, 2);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
  const what = `label=${o.keyLabel ?? '-'} id=${typeof o.keyId === 'string' ? o.keyId : o.keyId ? Buffer.from(o.keyId).toString('hex') : '-'}`;
  if (found.length === 0) throw new Error(`PKCS#11: no private key with ${what}`);
  if (found.length > 1 || !found[0]) throw new Error(`PKCS#11: more than one private key with ${what}`);
  return found[0];
}

/** DER OID of prime256v1 / secp256r1 as CKA_EC_PARAMS holds it. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

function describeKey(
  lib: pkcs11js.PKCS11,
  session: Buffer,
  key: Buffer,
): { algorithm: SignatureAlgorithm; keyBits: number } {
  const attr = (type: number): Buffer => {
    const v = lib.C_GetAttributeValue(session, key, [{ type }])[0]?.value;
    if (!Buffer.isBuffer(v)) throw new Error(`PKCS#11: attribute 0x${type.toString(16)} unreadable`);
    return v;
  };
  const kt = attr(pkcs11js.CKA_KEY_TYPE);
  const keyType = kt.readUIntLE(0, Math.min(kt.length, 6));
  if (keyType === pkcs11js.CKK_RSA) {
    return { algorithm: 'RSA-SHA256', keyBits: attr(pkcs11js.CKA_MODULUS).length * 8 };
  }
  if (keyType === pkcs11js.CKK_EC) {
    if (!P256_PARAMS.equals(attr(pkcs11js.CKA_EC_PARAMS)))
      throw new Error('PKCS#11: only EC keys on P-256 are supported');
    return { algorithm: 'ECDSA-P256-SHA256', keyBits: 256 };
  }
  throw new Error(`PKCS#11: unsupported key type 0x${keyType.toString(16)}`);
}

/** DER ECDSA-Sig-Value { r INTEGER, s INTEGER } from the token's raw r||s. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length % 2 !== 0 || raw.length === 0) throw new Error('ECDSA: raw signature of odd length');
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const body = (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : Buffer.from(v);
    return Buffer.concat([derLength(0x02, body.length), body]);
  };
  const seq = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  return new Uint8Array(Buffer.concat([derLength(0x30, seq.length), seq]));
}

function derLength(tag: number, len: number): Buffer {
  if (len < 0x80) return Buffer.from([tag, len]);
  if (len < 0x100) return Buffer.from([tag, 0x81, len]);
  return Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
}

/**
 * Builds the signer; checks now that the token, the PIN and the key are right and that the first
 * certificate is the key's (throws otherwise).
 * Signatures are serialized per signer.
 */
export function pkcs11Signer(o: Pkcs11SignerOptions): Pkcs11Signer {
  if (o.certificateChain.length === 0) throw new Error('PKCS#11: the certificate chain is empty');
  const lib = loadModule(o.module);
  const slot = findSlot(lib, o);
  const { algorithm, keyBits } = withSession(lib, slot, o.pin, (s) =>
    describeKey(lib, s, findPrivateKey(lib, s, o)),
  );
  const chain = o.certificateChain.map((c) => new Uint8Array(c));
  let queue: Promise<unknown> = Promise.resolve();

  const signNow = (data: Uint8Array): Uint8Array =>
    withSession(lib, slot, o.pin, (session) => {
      const key = findPrivateKey(lib, session, o);
      if (algorithm === 'RSA-SHA256') {
        lib.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
        return new Uint8Array(lib.C_Sign(session, Buffer.from(data), Buffer.alloc(keyBits / 8)));
      }
      lib.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
      const digest = createHash('sha256').update(data).digest();
      return ecdsaRawToDer(lib.C_Sign(session, digest, Buffer.alloc(64)));
    });

  // The first certificate must be the key's: a probe signature must verify with it.
  const probe = randomBytes(32);
  let certKey: KeyObject;
  try {
    certKey = new X509Certificate(Buffer.from(chain[0] ?? [])).publicKey;
  } catch (e) {
    throw new Error(`PKCS#11: the first certificate does not parse: ${(e as Error).message}`);
  }
  const matches =
    certKey.asymmetricKeyType === (algorithm === 'RSA-SHA256' ? 'rsa' : 'ec') &&
    verify('sha256', probe, { key: certKey, dsaEncoding: 'der' }, signNow(probe));
  if (!matches) throw new Error("PKCS#11: the certificate does not match the token's key");

  return {
    algorithm,
    keyBits,
    certificateChain: async () => chain.map((c) => new Uint8Array(c)),
    sign(data) {
      const run = queue.then(() => signNow(data));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
