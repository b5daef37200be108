/**
 * Số, ký hiệu of an issued document (NĐ 30/2020, art. 15 and Phụ lục I):
 * - the number in Arabic numerals with a leading 0 below 10 ("01", "09", "10", "123");
 * - for a document with a type name: "<number>/<type abbreviation>-<agency abbreviation>",
 *   e.g. "123/QĐ-UBND";
 * - for a công văn (no type abbreviation): "<number>/<agency abbreviation>-<drafting unit or
 *   field abbreviation>", e.g. "123/UBND-VP";
 * - groups joined by "-" with no spaces.
 * Pure: no I/O; the abbreviations come from the document type table and the agency/unit data.
 */
export interface NotationParts {
  number: number;
  /** Type abbreviation from document_types (null for công văn and thư công). */
  typeAbbreviation: string | null;
  agencyAbbreviation: string;
  /** Drafting unit or field abbreviation; required when the type has no abbreviation. */
  unitAbbreviation?: string | null;
}

export class NotationError extends Error {}

const GROUP = /^[A-ZĐ0-9][A-Za-zĐđ0-9&]*$/;

export function formatNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new NotationError(`Số văn bản không hợp lệ: ${n}`);
  return n < 10 ? `0${n}` : String(n);
}

export function buildNotation(p: NotationParts): { number: string; notation: string; full: string } {
  const groups =
    p.typeAbbreviation !== null
      ? [p.typeAbbreviation, p.agencyAbbreviation]
      : [p.agencyAbbreviation, p.unitAbbreviation ?? ''];
  for (const g of groups) {
    if (!GROUP.test(g)) throw new NotationError(`Nhóm chữ viết tắt không hợp lệ: "${g}"`);
  }
  const number = formatNumber(p.number);
  const notation = groups.join('-');
  return { number, notation, full: `${number}/${notation}` };
}
