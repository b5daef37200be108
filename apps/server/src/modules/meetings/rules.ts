/**
 * Majority and quorum rules (pure): a rule row of meeting_rules says which base it counts on
 * (all voting members, those present, or the ballots cast), the fraction and whether the count
 * must exceed it (strict: "quá nửa", more than half) or only reach it ("ít nhất hai phần ba").
 * Integer arithmetic only: 1/2 of 7 is never rounded.
 */
export interface Rule {
  base: 'all' | 'present' | 'cast';
  numerator: number;
  denominator: number;
  strict: boolean;
}

export interface Counts {
  /** Voting members of the body (the total number of delegates). */
  electorate: number;
  /** Voting members checked in. */
  present: number;
  /** Ballots cast. */
  cast: number;
}

export function baseOf(rule: Rule, c: Counts): number {
  return rule.base === 'all' ? c.electorate : rule.base === 'present' ? c.present : c.cast;
}

/** Whether `count` satisfies the rule. */
export function satisfies(rule: Rule, count: number, c: Counts): boolean {
  const lhs = count * rule.denominator;
  const rhs = baseOf(rule, c) * rule.numerator;
  return rule.strict ? lhs > rhs : lhs >= rhs;
}

/** The least count that satisfies the rule (what the screen shows as "cần ít nhất N"). */
export function required(rule: Rule, c: Counts): number {
  const rhs = baseOf(rule, c) * rule.numerator;
  // strict: smallest n with n·d > rhs; else smallest n with n·d ≥ rhs.
  return rule.strict ? Math.floor(rhs / rule.denominator) + 1 : Math.ceil(rhs / rule.denominator);
}
