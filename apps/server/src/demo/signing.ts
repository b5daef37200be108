import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sealImage, signatureImage } from '@congvu/pades';
import type { OrgService } from '../modules/org/service.ts';
import { writeDemoPki } from '../modules/signing/demo-pki.ts';
import type { SigningService } from '../modules/signing/service.ts';
import type { AuditActor } from '../platform/audit/service.ts';
import { DEMO_AGENCIES, DEMO_OFFICIALS } from './province.ts';

/** The password of every demo .p12 (officials' and agencies'), asked for when signing. */
export const DEMO_SIGNING_PASSWORD = 'congvu-demo';
const SYSTEM: AuditActor = { auth: null, ip: null };
const bold = createRequire(import.meta.url).resolve('@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf');

/**
 * The demo province signs out of the box: the demo CA (`congvu pki demo-ca`, under
 * `<dataDir>/pki`, its CRL published at /api/pki/ca.crl) becomes a trust anchor, and every demo
 * official and agency gets its .p12 as a credential, with a generated signature image (blue) or
 * seal (red). Through the services, so it is checked and audited like an administrator's input.
 */
export async function seedDemoSigning(p: {
  dataDir: string;
  publicUrl: string;
  org: OrgService;
  signing: SigningService;
  log: (m: string) => void;
}): Promise<void> {
  const dir = path.join(p.dataDir, 'pki');
  await writeDemoPki({
    dir,
    password: DEMO_SIGNING_PASSWORD,
    crlUrl: `${p.publicUrl}/api/pki/ca.crl`,
    force: false,
    log: () => {},
  });
  const caPem = await readFile(path.join(dir, 'ca.pem'), 'utf8');
  if (!(await p.signing.listTrustAnchors()).some((a) => a.name === 'CA mẫu CongVu (chỉ để thử nghiệm)'))
    await p.signing.addTrustAnchor(SYSTEM, { name: 'CA mẫu CongVu (chỉ để thử nghiệm)', pem: caPem });
  const font = new Uint8Array(await readFile(bold));
  const agencies = new Map((await p.org.listAgencies({})).map((a) => [a.code, a.id]));
  for (const a of DEMO_AGENCIES) {
    const id = agencies.get(a.code);
    const file = path.join(dir, 'agencies', `${a.code}.p12`);
    if (!id || !existsSync(file)) continue;
    const seal = sealImage(a.name, font, { diameterMm: 36 });
    await p.signing.addCredential(SYSTEM, {
      agencyId: id,
      pkcs12: (await readFile(file)).toString('base64'),
      password: DEMO_SIGNING_PASSWORD,
      image: Buffer.from(seal.png).toString('base64'),
      sealDiameterMm: seal.diameterMm,
    });
  }
  for (const o of DEMO_OFFICIALS) {
    const file = path.join(dir, 'officials', `${o.username}.p12`);
    if (!existsSync(file)) continue;
    await p.signing.addCredential(SYSTEM, {
      officialId: await p.org.officialIdByUsername(o.username),
      pkcs12: (await readFile(file)).toString('base64'),
      password: DEMO_SIGNING_PASSWORD,
      image: Buffer.from(signatureImage(o.fullName).png).toString('base64'),
    });
  }
  p.log(`Chứng thư số mẫu đã sẵn sàng (mật khẩu ký số: ${DEMO_SIGNING_PASSWORD})`);
}
