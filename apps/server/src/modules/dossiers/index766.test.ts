import { describe, expect, it } from 'vitest';
import { computeIndex, type IndexRule, type PeriodCounts, pointsFor } from './index766.ts';

const rule = (over: Partial<IndexRule>): IndexRule => ({
  code: 'online_dossiers',
  groupCode: 'dvctt',
  groupLabelVi: 'Dịch vụ công trực tuyến',
  ordinal: 1,
  labelVi: 'Hồ sơ nộp trực tuyến',
  labelEn: 'Online dossiers',
  points: 6,
  kind: 'threshold',
  threshold: 0.5,
  factorBelow: 0.5,
  formulaVi: 'x',
  formulaEn: 'x',
  validFrom: '2022-06-23',
  validTo: null,
  ...over,
});

const zero: PeriodCounts = {
  received: 0,
  online: 0,
  progressBase: 0,
  inProgressOnTime: 0,
  inProgressLate: 0,
  doneEarly: 0,
  doneOnDueDate: 0,
  doneLate: 0,
  withdrawn: 0,
  stopped: 0,
  refused: 0,
  paused: 0,
  finished: 0,
  electronicResult: 0,
  digitised: 0,
  components: 0,
  reusedComponents: 0,
  feeBearing: 0,
  paidOnline: 0,
  procedures: 0,
  onlineProcedures: 0,
  onlineProceduresUsed: 0,
  feeProcedures: 0,
  feeProceduresPaidOnline: 0,
  ratings: 0,
  satisfiedCriteria: 0,
};

describe('index766 formulas', () => {
  it('a threshold gives full points at the threshold and the factor just below it', () => {
    expect(pointsFor(rule({}), 0.5)).toBe(6);
    expect(pointsFor(rule({}), 0.4999)).toBe(3); // 6 × 0.5
    expect(pointsFor(rule({ threshold: 0.3, factorBelow: 0.9 }), 0.29)).toBe(5.4); // 6 × 0.9
    expect(pointsFor(rule({ kind: 'ratio', points: 20 }), 7 / 9)).toBe(15.56);
    expect(pointsFor(rule({ kind: 'constant', points: 2 }), null)).toBe(2);
    expect(pointsFor(rule({}), null)).toBeNull();
  });

  it('satisfaction: satisfied criteria over 9 per rating, × 18; no rating: no points', () => {
    const sat = rule({ code: 'satisfaction', kind: 'ratio', points: 18, threshold: null, factorBelow: null });
    // 2 ratings: 9 + 6 of 18 criteria satisfied → 15 / 18 × 18 = 15 points
    expect(computeIndex([sat], { ...zero, ratings: 2, satisfiedCriteria: 15 }).figures[0]).toMatchObject({
      numerator: 15,
      denominator: 18,
      ratio: 0.8333,
      points: 15,
      status: 'ok',
    });
    // 3 ratings, 20 of 27 → 13.33
    expect(computeIndex([sat], { ...zero, ratings: 3, satisfiedCriteria: 20 }).figures[0]?.points).toBe(
      13.33,
    );
    expect(computeIndex([sat], zero).figures[0]).toMatchObject({ points: null, status: 'no_dossiers' });
  });

  it('no dossiers: no ratio and no points (not a zero); an unmeasured rule has no data', () => {
    const r = computeIndex(
      [rule({}), rule({ code: 'not_measured', kind: 'ratio', points: 18, ordinal: 2 })],
      zero,
    );
    expect(r.figures[0]).toMatchObject({
      numerator: 0,
      denominator: 0,
      ratio: null,
      points: null,
      status: 'no_dossiers',
    });
    expect(r.figures[1]).toMatchObject({ points: null, status: 'no_data' });
    expect(r).toMatchObject({ total: 0, totalMax: 0, maxPoints: 24 });
  });

  it('progress counts in-progress on time and finished on or before the due date', () => {
    const r = computeIndex([rule({ code: 'progress', kind: 'ratio', points: 20 })], {
      ...zero,
      progressBase: 10,
      inProgressOnTime: 3,
      inProgressLate: 2,
      doneEarly: 2,
      doneOnDueDate: 1,
      doneLate: 2,
    });
    // (3 + 2 + 1) / 10 × 20 = 12
    expect(r.figures[0]).toMatchObject({ numerator: 6, denominator: 10, ratio: 0.6, points: 12 });
  });
});
