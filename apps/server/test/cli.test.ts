import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
const congvu = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...process.env, CONGVU_LOG_LEVEL: 'silent' } });

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
    await expect(congvu('workdays', 'add', '24/04/2026', '1')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('YYYY-MM-DD') });
  });

  it('every command has --help', async () => {
    for (const cmd of [[], ['serve'], ['migrate'], ['demo'], ['user', 'create'], ['user', 'reset-password'], ['audit', 'verify'], ['workdays', 'add'], ['workdays', 'holidays']]) {
      const { stdout } = await congvu(...cmd, '--help');
      expect(stdout, cmd.join(' ')).toContain('Usage: congvu');
    }
  });
});
