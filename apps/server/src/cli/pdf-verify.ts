/**
 * `congvu pdf verify <file.pdf> [--trust <ca.pem>...]`: verifies every signature of a PDF and
 * prints the JSON report (the Vietnamese rendering on stderr). Exit 0 when every signature is
 * valid and trusted, 1 when any is not (or there is none), 2 when the input cannot be read.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

import { httpRevocationSource } from '../modules/signing/revocation.ts';

export { httpRevocationSource };

/** DER certificates from PEM (one or more) or DER file contents. */
export function certificatesFromFile(data: Buffer): Uint8Array[] {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const out: Uint8Array[] = [];
    for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g))
      out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s/g, ''), 'base64')));
    return out;
  }
  return [new Uint8Array(data)];
}

export function registerPdfVerify(program: Command): void {
  const pdf =
    program.commands.find((c) => c.name() === 'pdf') ?? program.command('pdf').description('Tài liệu PDF');
  pdf
    .command('verify')
    .description(
      'Kiểm tra chữ ký số trong tệp PDF, in báo cáo JSON; mã thoát 0 nếu mọi chữ ký hợp lệ và tin cậy, 1 nếu không, 2 nếu không đọc được tệp',
    )
    .argument('<file>', 'tệp PDF')
    .option('--trust <ca...>', 'chứng thư số gốc được tin cậy (PEM hoặc DER), có thể nhiều tệp', [])
    .option('--no-revocation', 'không tra cứu CRL/OCSP qua mạng')
    .option('--allow-sha1', 'chấp nhận SHA-1 (văn bản cũ) với cảnh báo')
    .option('--text', 'in báo cáo tiếng Việt thay cho JSON')
    .action(
      async (
        file: string,
        opts: { trust: string[]; revocation: boolean; allowSha1?: boolean; text?: boolean },
      ) => {
        const { verifyPdf, renderReportVi, PdfParseError } = await import('@congvu/pades');
        let bytes: Buffer;
        const anchors: Uint8Array[] = [];
        try {
          bytes = await readFile(file);
          for (const t of opts.trust) {
            const certs = certificatesFromFile(await readFile(t));
            // Refuse an unreadable anchor here rather than trust nothing silently.
            for (const der of certs) new X509Certificate(der);
            if (certs.length === 0) throw new Error(`${t}: không có chứng thư số`);
            anchors.push(...certs);
          }
        } catch (e) {
          console.error(`Không đọc được tệp: ${(e as Error).message}`);
          process.exitCode = 2;
          return;
        }
        try {
          const report = await verifyPdf(new Uint8Array(bytes), {
            trustAnchors: anchors,
            revocation: opts.revocation ? httpRevocationSource() : undefined,
            allowSha1: opts.allowSha1 ?? false,
          });
          if (opts.text) console.log(renderReportVi(report));
          else {
            console.log(JSON.stringify(report, null, 2));
            console.error(renderReportVi(report));
          }
          process.exitCode = report.valid && report.trusted ? 0 : 1;
        } catch (e) {
          if (e instanceof PdfParseError) {
            console.error(`Tệp không phải PDF hợp lệ hoặc bị hỏng: ${e.message}`);
            process.exitCode = 2;
            return;
          }
          throw e;
        }
      },
    );
}
