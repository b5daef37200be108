/** Vietnamese formats (kept for pages not yet translated; i18n.ts has both languages). */
import { formatDate, formatDateTime, formatMoney, formatNumber } from './i18n.ts';

/** dd/MM/yyyy of an instant (ISO string) or a day (yyyy-mm-dd). */
export const viDate = formatDate;

/** HH:mm dd/MM/yyyy of an instant. */
export const viDateTime = formatDateTime;

/** 1.000.000 đ (i18n.ts formatMoney; English pages pass their language). */
export const viMoney = (amount: number): string => formatMoney(amount, 'vi');

export const viNumber = (n: number, digits = 0): string => formatNumber(n, 'vi', digits);

/** Vietnamese labels; translated pages use the i18n dictionaries (`channel.1`, `unit.…`, …). */
export const DURATION_UNIT_VI: Record<string, string> = {
  working_days: 'ngày làm việc',
  working_hours: 'giờ làm việc',
  calendar_days: 'ngày',
};

export const CHANNEL_VI: Record<number, string> = {
  1: 'Trực tiếp',
  2: 'Trực tuyến',
  3: 'Dịch vụ bưu chính',
};

export const AUTHORITY_LEVEL_VI: Record<string, string> = {
  central: 'Cấp trung ương',
  province: 'Cấp tỉnh',
  commune: 'Cấp xã',
};

export const ONLINE_LEVEL_VI: Record<string, string> = {
  full: 'Dịch vụ công trực tuyến toàn trình',
  partial: 'Dịch vụ công trực tuyến một phần',
};

export const FEE_WHEN_VI: Record<string, string> = {
  before: 'nộp khi nộp hồ sơ',
  after: 'nộp khi nhận kết quả',
  exempt: 'miễn',
  none: 'không thu',
};
