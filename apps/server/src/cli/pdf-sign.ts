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
    .option('--image <png>', 'ảnh chữ ký hoặc con dấu (PNG nền trong suốt): chữ ký hiển thị')
    .option('--visible', 'chữ ký hiển thị chỉ có chữ (người ký, thời gian), không có ảnh')
    .option('--rect <x,y,w,h>', 'vị trí và kích thước ô chữ ký, đơn vị điểm PDF', '330,60,220,70')
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
          image?: string;
          visible?: boolean;
          rect: string;
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
        const rect = opts.rect.split(',').map(Number);
        if (rect.length !== 4 || rect.some((x) => !Number.isFinite(x)) || rect[2]! <= 0 || rect[3]! <= 0) {
          console.error('--rect phải có dạng x,y,rộng,cao (số dương)');
          process.exitCode = 2;
          return;
        }
        try {
          const signer = pades.p12Signer(new Uint8Array(await readFile(opts.p12)), opts.password);
          const signingTime = new Date();
          let appearance: import('@congvu/pades').Appearance | undefined;
          if (opts.image || opts.visible) {
            const chain = await signer.certificateChain();
            const who = opts.name ?? pades.subjectCommonName(chain[0]!) ?? '';
            const { createRequire } = await import('node:module');
            const fontPath = createRequire(import.meta.url).resolve(
              '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
            );
            appearance = {
              rect: rect as [number, number, number, number],
              image: opts.image ? new Uint8Array(await readFile(opts.image)) : undefined,
              font: new Uint8Array(await readFile(fontPath)),
              lines: [
                `Ký bởi: ${who}`,
                ...(opts.reason ? [`Lý do: ${opts.reason}`] : []),
                `Thời gian: ${vnTime(signingTime)}`,
              ],
            };
          }
          const signed = await pades.signPdf(new Uint8Array(await readFile(input)), signer, {
            signingTime,
            appearance,
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

/** dd/MM/yyyy HH:mm:ss in Asia/Ho_Chi_Minh. */
function vnTime(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}
