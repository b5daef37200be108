import type { Command } from 'commander';

/** The `pdf` command group, shared with `pdf verify`: whichever file registers first creates it. */
export function pdfGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'pdf') ??
    program.command('pdf').description('Ký số và kiểm tra chữ ký số trên tệp PDF (PAdES)')
  );
}

/** `congvu pdf sign <in.pdf> <out.pdf> --p12 <file> --password <pw> [...]`. */
export function registerPdfSign(program: Command): void {
  pdfGroup(program)
    .command('sign')
    .description('Ký số tệp PDF (PAdES B-B, cập nhật tăng dần) bằng tệp PKCS#12')
    .argument('<in>', 'tệp PDF cần ký')
    .argument('<out>', 'tệp PDF đã ký')
    .requiredOption('--p12 <file>', 'tệp khóa PKCS#12 (.p12/.pfx)')
    .requiredOption('--password <password>', 'mật khẩu tệp PKCS#12')
    .option('--name <name>', 'tên người ký')
    .option('--reason <reason>', 'lý do ký')
    .option('--location <location>', 'nơi ký')
    .option('--page <n>', 'trang đặt chữ ký (từ 1)', '1')
    .action(
      async (
        input: string,
        output: string,
        opts: {
          p12: string;
          password: string;
          name?: string;
          reason?: string;
          location?: string;
          page: string;
        },
      ) => {
        const { readFile, writeFile } = await import('node:fs/promises');
        const pades = await import('@congvu/pades');
        const page = Number(opts.page);
        if (!Number.isInteger(page) || page < 1) {
          console.error('Số trang phải là số nguyên từ 1');
          process.exitCode = 2;
          return;
        }
        try {
          const signer = pades.p12Signer(new Uint8Array(await readFile(opts.p12)), opts.password);
          const signed = await pades.signPdf(new Uint8Array(await readFile(input)), signer, {
            name: opts.name,
            reason: opts.reason,
            location: opts.location,
            page: page - 1,
          });
          await writeFile(output, signed);
          console.log(`Đã ký: ${output}`);
        } catch (e) {
          console.error(`Không ký được: ${(e as Error).message}`);
          process.exitCode = 1;
        }
      },
    );
}
