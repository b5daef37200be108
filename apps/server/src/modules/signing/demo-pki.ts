import { type webcrypto, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_AGENCIES, DEMO_OFFICIALS } from '../../demo/province.ts';
import {
  type CertificateAuthority,
  createCrl,
  createRootCa,
  exportCaKey,
  generateRsaKeyPair,
  type IssuedCertificate,
  issueAgencyCertificate,
  issueOfficialCertificate,
  loadCa,
  type RevocationReason,
  toPkcs12,
} from './pki.ts';
import { issueTsaCertificate } from './tsa.ts';

/**
 * Files of the demo PKI (the `congvu pki demo-ca` command):
 *   ca.pem, ca-key.pem (PKCS#8, AES-256 under the password), ca.crl (DER) and crl.json (what
 *   it lists, its number), officials/<username>.pem|.p12, agencies/<code>.pem|.p12, and the
 *   time-stamp authority's tsa.pem|.p12 (see tsa.ts; not counted among the holders).
 * Re-running keeps the CA and every holder whose two files exist, unless `force`.
 */
export async function writeDemoPki(p: {
  dir: string;
  password: string;
  crlUrl?: string;
  force: boolean;
  log: (line: string) => void;
}): Promise<{ caCreated: boolean; issued: number; kept: number }> {
  const caPem = path.join(p.dir, 'ca.pem');
  const caKeyPem = path.join(p.dir, 'ca-key.pem');
  await mkdir(path.join(p.dir, 'officials'), { recursive: true });
  await mkdir(path.join(p.dir, 'agencies'), { recursive: true });

  let ca: CertificateAuthority;
  const caCreated = p.force || !existsSync(caPem) || !existsSync(caKeyPem);
  if (caCreated) {
    ca = await createRootCa();
    await writeFile(caPem, ca.certificate.toString('pem'));
    await writeFile(caKeyPem, await exportCaKey(ca, p.password), { mode: 0o600 });
    p.log(`CA: ${caPem}`);
    p.log(`CA key: ${caKeyPem}`);
  } else {
    ca = await openDemoCa(p.dir, p.password);
    p.log(`CA giữ nguyên: ${caPem}`);
  }
  // A new CA starts with nothing revoked; a kept one keeps its list.
  const state: CrlState = caCreated ? { crlNumber: 0, revoked: [] } : await readCrlState(p.dir);
  p.log(`CRL: ${await writeCrl(p.dir, ca, state)}`);

  const tsaPem = path.join(p.dir, 'tsa.pem');
  const tsaP12 = path.join(p.dir, 'tsa.p12');
  if (caCreated || !existsSync(tsaPem) || !existsSync(tsaP12)) {
    const keys = await generateRsaKeyPair(2048);
    const { certificate } = await issueTsaCertificate(ca, { publicKey: keys.publicKey });
    await writeFile(tsaPem, certificate.toString('pem'));
    await writeFile(
      tsaP12,
      await toPkcs12({
        privateKey: keys.privateKey,
        chain: [certificate, ca.certificate],
        password: p.password,
        friendlyName: 'tsa',
      }),
      { mode: 0o600 },
    );
    p.log(`TSA: ${tsaP12}: ${certificate.subject}`);
  }

  let issued = 0;
  let kept = 0;
  // Key generation dominates and runs on libuv's thread pool: a few holders at a time.
  const jobs: (() => Promise<string>)[] = [];
  const holder = (
    file: string,
    friendlyName: string,
    make: (publicKey: webcrypto.CryptoKey) => Promise<IssuedCertificate>,
  ) => {
    const pem = `${file}.pem`;
    const p12 = `${file}.p12`;
    if (!caCreated && existsSync(pem) && existsSync(p12)) {
      kept++;
      return;
    }
    jobs.push(() => issueOne(pem, p12, friendlyName, make));
  };
  const issueOne = async (
    pem: string,
    p12: string,
    friendlyName: string,
    make: (publicKey: webcrypto.CryptoKey) => Promise<IssuedCertificate>,
  ): Promise<string> => {
    const keys = await generateRsaKeyPair(2048);
    const { certificate, serialNumber } = await make(keys.publicKey);
    await writeFile(pem, certificate.toString('pem'));
    await writeFile(
      p12,
      await toPkcs12({
        privateKey: keys.privateKey,
        chain: [certificate, ca.certificate],
        password: p.password,
        friendlyName,
      }),
      { mode: 0o600 },
    );
    issued++;
    return `${p12} (serial ${serialNumber}): ${certificate.subject}`;
  };

  const byKey = new Map(DEMO_AGENCIES.map((a) => [a.key, a]));
  for (const a of DEMO_AGENCIES) {
    const parent = a.parent ? byKey.get(a.parent) : undefined;
    holder(path.join(p.dir, 'agencies', a.code), a.code, (publicKey) =>
      issueAgencyCertificate(ca, {
        agencyName: a.name,
        parentName: parent?.name,
        publicKey,
        crlUrl: p.crlUrl,
      }),
    );
  }
  for (const o of DEMO_OFFICIALS) {
    const agency = byKey.get(o.agency);
    if (!agency) throw new Error(`demo official ${o.username}: unknown agency ${o.agency}`);
    holder(path.join(p.dir, 'officials', o.username), o.username, (publicKey) =>
      issueOfficialCertificate(ca, {
        fullName: o.fullName,
        agencyName: agency.name,
        unit: o.department,
        // As the demo seed gives them.
        email: `${o.username.replaceAll('.', '_')}@sonlam.gov.vn`,
        publicKey,
        crlUrl: p.crlUrl,
      }),
    );
  }
  for (let i = 0; i < jobs.length; i += 4) {
    for (const line of await Promise.all(jobs.slice(i, i + 4).map((j) => j()))) p.log(line);
  }
  return { caCreated, issued, kept };
}

async function openDemoCa(dir: string, password: string): Promise<CertificateAuthority> {
  const caPem = path.join(dir, 'ca.pem');
  const caKeyPem = path.join(dir, 'ca-key.pem');
  if (!existsSync(caPem) || !existsSync(caKeyPem)) {
    throw new Error(`Chưa có CA mẫu trong ${dir}: chạy "congvu pki demo-ca" trước`);
  }
  try {
    return await loadCa(await readFile(caPem, 'utf8'), await readFile(caKeyPem, 'utf8'), password);
  } catch (e) {
    throw new Error(
      `Không mở được khóa CA ${caKeyPem} bằng mật khẩu đã cho (dùng mật khẩu lúc tạo, hoặc --force để tạo lại): ${(e as Error).message}`,
    );
  }
}

interface CrlState {
  crlNumber: number;
  revoked: { serialNumber: string; date: string; reason: RevocationReason; holder: string }[];
}

async function readCrlState(dir: string): Promise<CrlState> {
  const file = path.join(dir, 'crl.json');
  if (!existsSync(file)) return { crlNumber: 0, revoked: [] };
  return JSON.parse(await readFile(file, 'utf8')) as CrlState;
}

/** Issues the next CRL (number + 1, valid 7 days) into ca.crl and records it in crl.json. */
async function writeCrl(dir: string, ca: CertificateAuthority, state: CrlState): Promise<string> {
  const next: CrlState = { ...state, crlNumber: state.crlNumber + 1 };
  const der = await createCrl(
    ca,
    next.revoked.map((r) => ({ serialNumber: r.serialNumber, date: new Date(r.date), reason: r.reason })),
    { crlNumber: next.crlNumber },
  );
  const file = path.join(dir, 'ca.crl');
  await writeFile(file, der);
  await writeFile(path.join(dir, 'crl.json'), `${JSON.stringify(next, null, 2)}\n`);
  return file;
}

/**
 * Revokes a demo holder (official username, agency code, or a hex serial number) and reissues
 * ca.crl. Revoking a serial already listed changes nothing but the CRL's number and dates.
 */
export async function revokeDemoHolder(p: {
  dir: string;
  password: string;
  holder: string;
  reason: RevocationReason;
  date: Date;
}): Promise<{ serialNumber: string; alreadyRevoked: boolean; crl: string }> {
  const ca = await openDemoCa(p.dir, p.password);
  let serialNumber: string;
  const pem = [
    path.join(p.dir, 'officials', `${p.holder}.pem`),
    path.join(p.dir, 'agencies', `${p.holder}.pem`),
  ].find((f) => existsSync(f));
  if (pem) {
    serialNumber = new X509Certificate(await readFile(pem)).serialNumber.toLowerCase();
  } else if (/^[0-9a-fA-F]{2,40}$/.test(p.holder)) {
    serialNumber = p.holder.toLowerCase();
  } else {
    throw new Error(
      `Không có chứng thư của "${p.holder}" trong ${p.dir} (tên đăng nhập, mã cơ quan hoặc số sê-ri hex)`,
    );
  }
  const state = await readCrlState(p.dir);
  const alreadyRevoked = state.revoked.some((r) => r.serialNumber === serialNumber);
  if (!alreadyRevoked) {
    state.revoked.push({ serialNumber, date: p.date.toISOString(), reason: p.reason, holder: p.holder });
  }
  return { serialNumber, alreadyRevoked, crl: await writeCrl(p.dir, ca, state) };
}
