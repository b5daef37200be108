/**
 * @congvu/vntext — Vietnamese text utilities: normalisation, tone-mark placement,
 * diacritic-insensitive search and Vietnamese collation. Pure functions, no I/O.
 */
export {
  compareVi,
  compareViNames,
  sortKeyVi,
  sortKeyViName,
  sortVi,
  sortViNames,
} from './collate.ts';
export type { ToneStyle } from './normalize.ts';
export { nfc, normalizeToneMarks } from './normalize.ts';
export { compileSearch, matchesSearch, searchKey, tokens } from './search.ts';
