import dayjs from 'dayjs';

/** Folds Vietnamese diacritics and đ for client-side filtering (the server has the full version). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** antd Select filter: every typed word appears in the option's label, accents ignored. */
export function foldFilter(input: string, option?: { label?: unknown }): boolean {
  const label = fold(String(option?.label ?? ''));
  return fold(input)
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => label.includes(w));
}

const VN_OFFSET = 7 * 60;
/** dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh, whatever the browser's zone. */
export function formatDateTime(iso: string): string {
  return dayjs(iso).utcOffset(VN_OFFSET).format('DD/MM/YYYY HH:mm');
}
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
