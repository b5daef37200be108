import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { heapArgs, heapMb } from '../bin/heap.mjs';
import { freshDatabase, setupApp } from './helpers.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
const congvu = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, CONGVU_LOG_LEVEL: 'silent' } });
const congvuOn = (url: string, ...args: string[]) =>
  run(process.execPath, [BIN, ...args], {
    env: { ...process.env, CONGVU_LOG_LEVEL: 'silent', DATABASE_URL: url },
  });

describe('congvu CLI', () => {
  it('workdays add: the statutory calendar, last line is the date', async () => {
    const a = await congvu('workdays', 'add', '2026-04-24', '1');
    expect(a.stdout.trim().split('\n').at(-1)).toBe('2026-04-28');
    const b = await congvu('workdays', 'add', '2026-04-24', '3');
    expect(b.stdout.trim().split('\n').at(-1)).toBe('2026-05-04');
  });

  it('workdays holidays lists the year, one "YYYY-MM-DD name" per line', async () => {
    const { stdout } = await congvu('workdays', 'holidays', '2026');
    const lines = stdout.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d{2}-\d{2} \S/);
    const dates = lines.map((l) => l.slice(0, 10));
    expect(dates).toContain('2026-02-17');
    expect(dates).toContain('2026-04-27');
  });

  it('rejects bad input with a message and a non-zero exit', async () => {
    await expect(congvu('workdays', 'add', '24/04/2026', '1')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('YYYY-MM-DD'),
    });
  });

  it("CONGVU_HEAP_MB: 512 MB by default, 0 for V8's own, NODE_OPTIONS wins, nonsense refused", () => {
    expect(heapMb({})).toBe(512);
    expect(heapArgs({}, [])).toEqual(['--max-old-space-size=512']);
    expect(heapArgs({ CONGVU_HEAP_MB: '300' }, [])).toEqual(['--max-old-space-size=300']);
    expect(heapArgs({ CONGVU_HEAP_MB: '0' }, [])).toEqual([]);
    expect(heapArgs({ NODE_OPTIONS: '--max-old-space-size=2048' }, [])).toEqual([]);
    expect(heapArgs({}, ['--max-old-space-size=1024'])).toEqual([]);
    for (const bad of ['64', '-1', '1.5', 'nhiều'])
      expect(() => heapMb({ CONGVU_HEAP_MB: bad })).toThrow(/CONGVU_HEAP_MB/);
  });

  it('serve started without a heap bound runs with CONGVU_HEAP_MB and stops cleanly on SIGTERM', async () => {
    const { url } = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-cli-serve-'));
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        CONGVU_DATA_DIR: dataDir,
        CONGVU_HEAP_MB: '300',
        NODE_OPTIONS: '',
        PORT: '0',
        HOST: '127.0.0.1',
        CONGVU_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (out.includes('CongVu đang chạy')) {
            clearInterval(t);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(t);
            reject(new Error(`serve exited: ${out}`));
          }
        }, 50);
      });
      // 300 MB of old space and the young generation: V8 reports about 350 MB (4 GB unbounded here).
      const heap = Number(/heap tối đa (\d+) MB/.exec(out)?.[1]);
      expect(heap).toBeGreaterThanOrEqual(300);
      expect(heap).toBeLessThan(400);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('Đã dừng.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('every command has --help', async () => {
    for (const cmd of [
      [],
      ['serve'],
      ['migrate'],
      ['demo'],
      ['user', 'create'],
      ['user', 'reset-password'],
      ['audit', 'verify'],
      ['workdays', 'add'],
      ['workdays', 'holidays'],
    ]) {
      const { stdout } = await congvu(...cmd, '--help');
      expect(stdout, cmd.join(' ')).toContain('Usage: congvu');
    }
  });

  it('audit verify: OK on an intact log, exit 1 naming the row after tampering', async () => {
    const t = await setupApp();
    try {
      await t.f.agency();
      await t.f.agency();
      const ok = await congvuOn(t.url, 'audit', 'verify');
      expect(ok.stdout).toMatch(/^OK: 2 bản ghi/m);
      const first = await t.db.selectFrom('audit_log').select('id').orderBy('id').executeTakeFirstOrThrow();
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.db);
      await sql`UPDATE audit_log SET ip = '10.0.0.1' WHERE id = ${first.id}`.execute(t.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.db);
      const bad = congvuOn(t.url, 'audit', 'verify');
      await expect(bad).rejects.toMatchObject({
        code: 1,
        stdout: expect.stringContaining(`LỖI: bản ghi #${first.id}`),
      });
    } finally {
      await t.close();
    }
  });

  it('user create and reset-password work against the database', async () => {
    const t = await setupApp();
    try {
      const c = await congvuOn(
        t.url,
        'user',
        'create',
        '-u',
        'admin2',
        '-n',
        'Nguyễn Thị Quản Trị',
        '-p',
        'MatKhau-2026',
        '-r',
        'admin',
      );
      expect(c.stdout).toContain('Đã tạo tài khoản admin2');
      await congvuOn(t.url, 'user', 'reset-password', 'admin2', '-p', 'MoiHon-20261');
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'admin2', password: 'MoiHon-20261' },
          })
        ).statusCode,
      ).toBe(200);
      await expect(
        congvuOn(t.url, 'user', 'create', '-u', 'x', '-n', 'X', '-p', 'ngan'),
      ).rejects.toMatchObject({ code: 2 });
    } finally {
      await t.close();
    }
  });
});
