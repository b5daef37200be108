import { type Command, Option } from 'commander';

/**
 * `congvu pki demo-ca`: the demo CA and a certificate with a .p12 for every demo official and
 * agency, under `<data dir>/pki/` (or `--out`). Heavy modules load inside the action.
 */
export function registerPkiCommands(program: Command): void {
  const pki = program.command('pki').description('Hạ tầng khóa công khai mẫu (chỉ để thử nghiệm)');
  pki
    .command('demo-ca')
    .description(
      'Tạo CA gốc mẫu và chứng thư số + tệp .p12 cho mọi cán bộ và cơ quan mẫu; chạy lại giữ nguyên CA trừ khi có --force',
    )
    .option('-o, --out <dir>', 'thư mục ghi (mặc định <CONGVU_DATA_DIR>/pki)')
    .option('-p, --password <password>', 'mật khẩu của các tệp .p12 và khóa CA', 'congvu-demo')
    .option('--crl-url <url>', 'địa chỉ CRL ghi vào chứng thư')
    .option('--force', 'tạo lại CA và mọi chứng thư')
    .action(async (opts: { out?: string; password: string; crlUrl?: string; force?: boolean }) => {
      if (opts.crlUrl !== undefined && !/^https?:\/\/\S+$/.test(opts.crlUrl)) {
        console.error('--crl-url phải là địa chỉ http(s)');
        process.exitCode = 2;
        return;
      }
      if (opts.password.length < 4) {
        console.error('Mật khẩu phải có ít nhất 4 ký tự');
        process.exitCode = 2;
        return;
      }
      const path = await import('node:path');
      const { loadConfig } = await import('../config.ts');
      const { writeDemoPki } = await import('../modules/signing/demo-pki.ts');
      const out = opts.out ? path.resolve(opts.out) : path.join(loadConfig().dataDir, 'pki');
      let r: Awaited<ReturnType<typeof writeDemoPki>>;
      try {
        r = await writeDemoPki({
          dir: out,
          password: opts.password,
          crlUrl: opts.crlUrl,
          force: opts.force ?? false,
          log: (m) => console.log(m),
        });
      } catch (e) {
        console.error((e as Error).message);
        process.exitCode = 1;
        return;
      }
      console.log(
        `Xong: ${out} — CA ${r.caCreated ? 'mới tạo' : 'giữ nguyên'}, ${r.issued} chứng thư mới, ${r.kept} giữ nguyên`,
      );
    });

  pki
    .command('revoke')
    .description('Thu hồi chứng thư mẫu (tên đăng nhập, mã cơ quan hoặc số sê-ri) và cấp lại ca.crl')
    .argument('<holder>', 'tên đăng nhập cán bộ, mã cơ quan (H99.01) hoặc số sê-ri hex')
    .option('-o, --out <dir>', 'thư mục PKI mẫu (mặc định <CONGVU_DATA_DIR>/pki)')
    .option('-p, --password <password>', 'mật khẩu khóa CA', 'congvu-demo')
    .addOption(
      new Option('-r, --reason <reason>', 'lý do thu hồi')
        .choices([
          'unspecified',
          'keyCompromise',
          'cACompromise',
          'affiliationChanged',
          'superseded',
          'cessationOfOperation',
          'certificateHold',
          'privilegeWithdrawn',
        ])
        .default('unspecified'),
    )
    .option('-d, --date <YYYY-MM-DD>', 'ngày thu hồi (mặc định: bây giờ)')
    .action(
      async (holder: string, opts: { out?: string; password: string; reason: string; date?: string }) => {
        let date = new Date();
        if (opts.date !== undefined) {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`))) {
            console.error('Ngày phải có dạng YYYY-MM-DD');
            process.exitCode = 2;
            return;
          }
          // Midnight in Asia/Ho_Chi_Minh.
          date = new Date(`${opts.date}T00:00:00+07:00`);
        }
        const path = await import('node:path');
        const { loadConfig } = await import('../config.ts');
        const { revokeDemoHolder } = await import('../modules/signing/demo-pki.ts');
        const dir = opts.out ? path.resolve(opts.out) : path.join(loadConfig().dataDir, 'pki');
        try {
          const r = await revokeDemoHolder({
            dir,
            password: opts.password,
            holder,
            reason: opts.reason as Parameters<typeof revokeDemoHolder>[0]['reason'],
            date,
          });
          console.log(
            `${r.alreadyRevoked ? 'Đã thu hồi từ trước' : 'Đã thu hồi'}: sê-ri ${r.serialNumber}; CRL mới: ${r.crl}`,
          );
        } catch (e) {
          console.error((e as Error).message);
          process.exitCode = 1;
        }
      },
    );
}
