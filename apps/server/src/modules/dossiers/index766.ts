/**
 * The QĐ 766/QĐ-TTg service index, pure: given the counts of a period (stats-repo.ts) and the
 * rules in force (service_index_rules, effective-dated data), each sub-indicator's numerator,
 * denominator, ratio and points. No I/O. Definitions: docs/service-index.md.
 */

export type RuleKind = 'ratio' | 'threshold' | 'constant';

export interface IndexRule {
  code: string;
  groupCode: string;
  groupLabelVi: string;
  ordinal: number;
  labelVi: string;
  labelEn: string;
  points: number;
  kind: RuleKind;
  threshold: number | null;
  factorBelow: number | null;
  formulaVi: string;
  formulaEn: string;
  validFrom: string;
  validTo: string | null;
}

/** What the period's queries count (all integers). */
export interface PeriodCounts {
  /** Received in the period (local dates), any channel, not refused. */
  received: number;
  /** Of those, submitted online (channel 2). */
  online: number;
  /** Received, not refused / withdrawn / stopped: the progress denominator. */
  progressBase: number;
  /** In progress (received, processing, supplement, financial) and not due before the period end. */
  inProgressOnTime: number;
  /** In progress and due (local date) before the period end. */
  inProgressLate: number;
  /** Done or delivered with finished date (local) before the due date. */
  doneEarly: number;
  /** Done or delivered with finished date (local) on the due date, or without a due date. */
  doneOnDueDate: number;
  /** Done or delivered with finished date after the due date. */
  doneLate: number;
  /** Withdrawn by the applicant (received in the period). */
  withdrawn: number;
  /** Stopped (dừng xử lý). */
  stopped: number;
  /** Refused (not counted anywhere else). */
  refused: number;
  /** In progress and paused for a supplement or a financial obligation (part of in progress). */
  paused: number;
  /** Done or delivered. */
  finished: number;
  /** Of those, with an electronic result. */
  electronicResult: number;
  /** Received dossiers with at least one component, every component digitised (1–3). */
  digitised: number;
  /** Components of received dossiers. */
  components: number;
  /** Of those, reused (2, 3). */
  reusedComponents: number;
  /** Received dossiers with fee_total > 0. */
  feeBearing: number;
  /** Of those, paid online. */
  paidOnline: number;
  /** Procedures in force and published at the agency (or province) on the period's last day. */
  procedures: number;
  /** Of those, online (level full or an online channel). */
  onlineProcedures: number;
  /** Online procedures with at least one online dossier received in the period. */
  onlineProceduresUsed: number;
  /** Procedures with at least one fee-bearing dossier received in the period. */
  feeProcedures: number;
  /** Of those, with at least one dossier paid online. */
  feeProceduresPaidOnline: number;
  /** Citizens' satisfaction ratings made in the period (dossier_ratings.rated_at, local dates). */
  ratings: number;
  /** Of their 9 criteria each, those rated satisfied. */
  satisfiedCriteria: number;
}

/** The QĐ 766 satisfaction criteria a rating answers (9 × 2 points). */
export const SATISFACTION_CRITERIA = 9;

export type FigureStatus = 'ok' | 'no_dossiers' | 'no_data' | 'constant';

export interface Figure {
  code: string;
  group: string;
  groupLabel: string;
  label: string;
  labelEn: string;
  numerator: number | null;
  denominator: number | null;
  /** numerator / denominator, rounded to 4 decimals; null without a denominator. */
  ratio: number | null;
  /** Points earned, rounded to 2 decimals; null when there is nothing to score. */
  points: number | null;
  maxPoints: number;
  status: FigureStatus;
  rule: {
    kind: RuleKind;
    threshold: number | null;
    factorBelow: number | null;
    validFrom: string;
    validTo: string | null;
  };
  formula: string;
  formulaEn: string;
}

/** Which counts each measured sub-indicator divides; codes absent here have no data source yet. */
export const MEASURES: Record<string, (c: PeriodCounts) => [number, number]> = {
  progress: (c) => [c.inProgressOnTime + c.doneEarly + c.doneOnDueDate, c.progressBase],
  electronic_result: (c) => [c.electronicResult, c.finished],
  digitised: (c) => [c.digitised, c.received],
  reuse: (c) => [c.reusedComponents, c.components],
  online_procedures: (c) => [c.onlineProcedures, c.procedures],
  online_procedures_used: (c) => [c.onlineProceduresUsed, c.onlineProcedures],
  online_dossiers: (c) => [c.online, c.received],
  online_payment_procedures: (c) => [c.feeProceduresPaidOnline, c.feeProcedures],
  online_payment_dossiers: (c) => [c.paidOnline, c.feeBearing],
  // Each criterion is worth 2 points × its share of satisfied answers; every rating answers all 9.
  satisfaction: (c) => [c.satisfiedCriteria, c.ratings * SATISFACTION_CRITERIA],
};

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Points of one rule for a ratio (null ratio: nothing to score). */
export function pointsFor(rule: IndexRule, ratio: number | null): number | null {
  if (rule.kind === 'constant') return rule.points;
  if (ratio === null) return null;
  if (rule.kind === 'ratio') return round(ratio * rule.points, 2);
  // threshold: full points at or above it, the factor below it
  return ratio >= (rule.threshold ?? 0) ? rule.points : round(rule.points * (rule.factorBelow ?? 0), 2);
}

/** Every sub-indicator of the rules, in their order. */
export function computeIndex(rules: IndexRule[], c: PeriodCounts) {
  const figures: Figure[] = [...rules]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((r) => {
      const base = {
        code: r.code,
        group: r.groupCode,
        groupLabel: r.groupLabelVi,
        label: r.labelVi,
        labelEn: r.labelEn,
        maxPoints: r.points,
        rule: {
          kind: r.kind,
          threshold: r.threshold,
          factorBelow: r.factorBelow,
          validFrom: r.validFrom,
          validTo: r.validTo,
        },
        formula: r.formulaVi,
        formulaEn: r.formulaEn,
      };
      if (r.kind === 'constant')
        return {
          ...base,
          numerator: null,
          denominator: null,
          ratio: null,
          points: r.points,
          status: 'constant',
        };
      const measure = MEASURES[r.code];
      if (!measure)
        return { ...base, numerator: null, denominator: null, ratio: null, points: null, status: 'no_data' };
      const [numerator, denominator] = measure(c);
      const ratio = denominator > 0 ? round(numerator / denominator, 4) : null;
      // the exact ratio decides a threshold, the rounded one is shown
      const points = pointsFor(r, denominator > 0 ? numerator / denominator : null);
      return {
        ...base,
        numerator,
        denominator,
        ratio,
        points,
        status: denominator > 0 ? 'ok' : 'no_dossiers',
      };
    });
  const scored = figures.filter((f) => f.points !== null);
  return {
    figures,
    /** Sum of the points that could be computed. */
    total: round(
      scored.reduce((s, f) => s + (f.points ?? 0), 0),
      2,
    ),
    /** Sum of the maximum points of those same sub-indicators. */
    totalMax: round(
      scored.reduce((s, f) => s + f.maxPoints, 0),
      2,
    ),
    /** Maximum points of every rule in force, including those without data. */
    maxPoints: round(
      figures.reduce((s, f) => s + f.maxPoints, 0),
      2,
    ),
  };
}
