/** Vietnamese formats: dates dd/MM/yyyy in Asia/Ho_Chi_Minh, money in đồng, durations, levels. */
const TZ = 'Asia/Ho_Chi_Minh';

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** dd/MM/yyyy of an instant (ISO string) or a day (yyyy-mm-dd). */
export function viDate(v: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-');
    return `${d}/${m}/${y}`;
  }
  return dateFmt.format(new Date(v));
}

/** HH:mm dd/MM/yyyy of an instant. */
export function viDateTime(v: string): string {
  const d = new Date(v);
  return `${timeFmt.format(d)} ${dateFmt.format(d)}`;
}

export function viMoney(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
}

export function viNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
}

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
