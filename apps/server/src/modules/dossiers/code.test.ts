import { describe, expect, it } from 'vitest';
import { dossierCode, localDay, localInstant, localTime } from './code.ts';

describe('dossier code', () => {
  it('is {agencyCode}-{yyMMdd}-{NNNN}', () => {
    expect(dossierCode('000.00.01.H22', '2023-01-05', 1)).toBe('000.00.01.H22-230105-0001');
    expect(dossierCode('H22.1', '2026-12-31', 1000)).toBe('H22.1-261231-1000');
    expect(dossierCode('H22.1', '2026-12-31', 12345)).toBe('H22.1-261231-12345');
  });
  it('refuses a bad day or number', () => {
    expect(() => dossierCode('A', '26-1-1', 1)).toThrow(RangeError);
    expect(() => dossierCode('A', '2026-01-01', 0)).toThrow(RangeError);
    expect(() => dossierCode('A', '2026-01-01', 1.5)).toThrow(RangeError);
  });
  it('takes the local (UTC+7) day: 23:30 UTC is the next morning in Việt Nam', () => {
    const at = new Date('2026-04-23T23:30:00Z');
    expect(localDay(at)).toBe('2026-04-24');
    expect(localTime(at)).toBe('06:30:00');
    expect(localInstant('2026-04-24', '06:30').toISOString()).toBe('2026-04-23T23:30:00.000Z');
  });
});
