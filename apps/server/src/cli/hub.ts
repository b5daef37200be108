import type { Command } from 'commander';

/**
 * `congvu hub`: the exchange hub alone (default subcommand `serve`) and its administration —
 * agencies, connected systems, purge. Every command works on the hub's database
 * (HUB_DATABASE_URL, or the embedded PostgreSQL's congvu_hub under CONGVU_DATA_DIR).
 * The functions behind them are the hub service's (modules/hub/service.ts).
 */
export function registerHubCommands(program: Command, onServe: () => void): void {
  const hub = program
    .command('hub')
    .description('Trục liên thông văn bản: chạy riêng (mặc định) và quản trị cơ quan, hệ thống kết nối');

  hub
    .command('serve', { isDefault: true })
    .description('Chạy riêng trục liên thông (cổng HUB_PORT, mặc định 3100)')
    .action(async () => {
      onServe();
      const { runHub } = await import('../modules/hub/server.ts');
      await runHub();
    });

  const agency = hub.command('agency').description('Cơ quan kết nối với trục');
  agency
    .command('add')
    .description('Đăng ký cơ quan (mã định danh theo QĐ 20/2020)')
    .argument('<code>', 'mã định danh, ví dụ H37.02.02')
    .argument('<name>', 'tên cơ quan')
    .option('-l, --legacy-code <code>', 'mã theo QCVN 102:2016, ví dụ 000.00.00.H37')
    .option('-p, --parent <code>', 'mã cơ quan chủ quản (đã đăng ký)')
    .option('-e, --email <email>', 'thư điện tử')
    .option('-t, --phone <phone>', 'điện thoại')
    .action(
      async (
        code: string,
        name: string,
        o: { legacyCode?: string; parent?: string; email?: string; phone?: string },
      ) => {
        await withHub(async (svc) => {
          const a = await svc.addAgency('cli', {
            code,
            name,
            legacyCode: o.legacyCode ?? null,
            parentCode: o.parent ?? null,
            email: o.email ?? null,
            phone: o.phone ?? null,
          });
          console.log(`Đã đăng ký cơ quan ${a.code}${a.legacy_code ? ` (${a.legacy_code})` : ''}: ${a.name}`);
        });
      },
    );
  agency
    .command('list')
    .description('Liệt kê cơ quan: mã, mã QCVN 102, trạng thái, tên')
    .action(async () => {
      await withHub(async (svc) => {
        for (const a of await svc.listAllAgencies())
          console.log(`${a.code}\t${a.legacy_code ?? '-'}\t${a.active ? 'active' : 'inactive'}\t${a.name}`);
      });
    });
  for (const [cmd, active, text] of [
    ['disable', false, 'Ngừng kết nối cơ quan (không gửi, không nhận được nữa)'],
    ['enable', true, 'Kết nối lại cơ quan'],
  ] as const) {
    agency
      .command(cmd)
      .description(text)
      .argument('<code>', 'mã định danh')
      .action(async (code: string) => {
        await withHub(async (svc) => {
          await svc.setAgencyActive('cli', code, active);
          console.log(`${code}: ${active ? 'active' : 'inactive'}`);
        });
      });
  }

  const system = hub.command('system').description('Hệ thống quản lý văn bản kết nối với trục');
  system
    .command('add')
    .description('Đăng ký hệ thống; in mã hệ thống và khóa bí mật (chỉ in một lần)')
    .requiredOption('-n, --name <name>', 'tên hệ thống')
    .requiredOption('-a, --agency <code...>', 'các cơ quan hệ thống được gửi, nhận thay')
    .option('-c, --callback-url <url>', 'địa chỉ nhận thông báo có gói tin mới (tùy chọn)')
    .action(async (o: { name: string; agency: string[]; callbackUrl?: string }) => {
      await withHub(async (svc, config) => {
        const s = await svc.addSystem('cli', {
          name: o.name,
          agencies: o.agency,
          callbackUrl: o.callbackUrl,
        });
        if (!config.hub.secretKey)
          console.error(
            'Cảnh báo: HUB_SECRET_KEY chưa được đặt, khóa bí mật được lưu dạng thường trên trục.',
          );
        console.log(`Đã đăng ký hệ thống "${s.name}" cho ${s.agencies.join(', ')}`);
        console.log(`HUB_SYSTEM_ID=${s.id}`);
        console.log(`HUB_SYSTEM_SECRET=${s.secret}`);
        console.log('Khóa bí mật chỉ hiển thị lần này: hãy lưu vào cấu hình của hệ thống.');
      });
    });
  system
    .command('list')
    .description('Liệt kê hệ thống: mã, trạng thái, tên, cơ quan')
    .action(async () => {
      await withHub(async (svc) => {
        for (const s of await svc.listSystems())
          console.log(`${s.id}\t${s.active ? 'active' : 'inactive'}\t${s.name}\t${s.agencies.join(',')}`);
      });
    });
  for (const [cmd, active, text] of [
    ['disable', false, 'Khóa hệ thống (mọi yêu cầu bị từ chối)'],
    ['enable', true, 'Mở khóa hệ thống'],
  ] as const) {
    system
      .command(cmd)
      .description(text)
      .argument('<id>', 'mã hệ thống')
      .action(async (id: string) => {
        await withHub(async (svc) => {
          await svc.setSystemActive('cli', id, active);
          console.log(`${id}: ${active ? 'active' : 'inactive'}`);
        });
      });
  }

  hub
    .command('purge')
    .description('Xóa gói tin cũ hơn N ngày mà mọi cơ quan nhận đã xác nhận; không xóa gói tin chưa xác nhận')
    .requiredOption('-d, --days <n>', 'số ngày')
    .action(async (o: { days: string }) => {
      if (!/^\d+$/.test(o.days)) {
        console.error('--days phải là số nguyên không âm');
        process.exitCode = 2;
        return;
      }
      await withHub(async (svc) => {
        const r = await svc.purge('cli', Number(o.days));
        console.log(`Đã xóa ${r.messages} gói tin, ${r.deliveries} lượt nhận, ${r.nonces} nonce hết hạn`);
      });
    });
}

/** Opens the hub database, runs `fn` with the service, reports a hub error as its message (exit 1). */
async function withHub(
  fn: (
    svc: ReturnType<typeof import('../modules/hub/service.ts').hubService>,
    config: ReturnType<typeof import('../config.ts').loadConfig>,
  ) => Promise<void>,
): Promise<void> {
  const { loadConfig } = await import('../config.ts');
  const { openHubDatabase } = await import('../modules/hub/database.ts');
  const { hubService } = await import('../modules/hub/service.ts');
  const { secretBox } = await import('../modules/hub/secrets.ts');
  const { AppError } = await import('../platform/errors.ts');
  const config = loadConfig();
  const database = await openHubDatabase(config, (m) => console.error(m));
  if (!database) throw new Error('no hub database');
  try {
    const svc = hubService(database.db, { secrets: secretBox(config.hub.secretKey) });
    await svc.prepareSecrets();
    await fn(svc, config);
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
      process.exitCode = 1;
    } else if ((e as { issues?: unknown }).issues) {
      console.error((e as Error).message);
      process.exitCode = 2;
    } else throw e;
  } finally {
    await database.close();
  }
}
