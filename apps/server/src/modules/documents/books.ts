import type { PrintTable } from '../../platform/print/table.ts';
import type { BookEntry } from './repo.ts';

/**
 * The registers of NĐ 30/2020 Phụ lục IV as tables: the incoming register (sổ đăng ký văn bản
 * đến, 10 columns), the outgoing register (sổ đăng ký văn bản đi, 10 columns) and the tracking
 * register of incoming documents (sổ theo dõi giải quyết văn bản đến, 7 columns). Pure: rows in,
 * cells out. Columns the system has no data for (Ký nhận: a signature on paper) stay empty.
 */
export type BookKind = 'incoming' | 'outgoing' | 'tracking';

/** Rows printed in one request: a PDF of 5 000 rows takes seconds to lay out. */
export const BOOK_ROW_LIMIT = 5000;

/** "Lưu: VT, TH." lines of the nơi nhận are the archive copies, not recipients. */
const isArchive = (name: string) => /^lưu\b/i.test(name.trim());

const COLUMNS: Record<BookKind, { header: string; width: number }[]> = {
  incoming: [
    { header: 'Ngày đến', width: 9 },
    { header: 'Số đến', width: 6 },
    { header: 'Tác giả', width: 16 },
    { header: 'Số, ký hiệu văn bản', width: 12 },
    { header: 'Ngày tháng văn bản', width: 9 },
    { header: 'Tên loại và trích yếu nội dung', width: 30 },
    { header: 'Đơn vị hoặc người nhận', width: 14 },
    { header: 'Ngày chuyển', width: 9 },
    { header: 'Ký nhận', width: 8 },
    { header: 'Ghi chú', width: 9 },
  ],
  outgoing: [
    { header: 'Số, ký hiệu văn bản', width: 12 },
    { header: 'Ngày tháng văn bản', width: 9 },
    { header: 'Tên loại và trích yếu nội dung', width: 30 },
    { header: 'Người ký', width: 12 },
    { header: 'Nơi nhận văn bản', width: 20 },
    { header: 'Đơn vị, người nhận bản lưu', width: 11 },
    { header: 'Số lượng bản', width: 6 },
    { header: 'Ngày chuyển', width: 9 },
    { header: 'Ký nhận', width: 8 },
    { header: 'Ghi chú', width: 9 },
  ],
  tracking: [
    { header: 'Số đến', width: 6 },
    { header: 'Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành văn bản', width: 34 },
    { header: 'Đơn vị hoặc người nhận', width: 16 },
    { header: 'Thời hạn giải quyết', width: 10 },
    { header: 'Tiến độ giải quyết', width: 12 },
    { header: 'Số, ký hiệu văn bản trả lời', width: 14 },
    { header: 'Ghi chú', width: 10 },
  ],
};

export const BOOK_TITLES: Record<BookKind, string> = {
  incoming: 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN',
  outgoing: 'SỔ ĐĂNG KÝ VĂN BẢN ĐI',
  tracking: 'SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN',
};

const URGENCY: Record<string, string> = { urgent: 'Khẩn', very_urgent: 'Thượng khẩn', flash: 'Hỏa tốc' };
const SECRECY: Record<string, string> = { confidential: 'Mật', secret: 'Tối mật', top_secret: 'Tuyệt mật' };
const PROGRESS: Record<string, string> = {
  pending: 'Chưa xử lý',
  in_progress: 'Đang xử lý',
  done: 'Đã giải quyết',
  returned: 'Trả lại',
};

/** dd/MM/yyyy of an instant, in Asia/Ho_Chi_Minh. */
export function vnDate(d: Date): string {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
  return isoToVn(s);
}
export const isoToVn = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const notation = (e: BookEntry) =>
  e.doc_number || e.notation ? [e.doc_number, e.notation].filter(Boolean).join('/') : '';
const note = (e: BookEntry) =>
  [URGENCY[e.urgency], SECRECY[e.secrecy], e.channel === 'electronic' ? 'Bản điện tử' : null]
    .filter(Boolean)
    .join(', ');

function splitRecipients(joined: string | null) {
  const all = joined ? joined.split('; ') : [];
  return {
    to: all.filter((n) => !isArchive(n)),
    archive: all.filter(isArchive).map((n) => n.replace(/^lưu\s*:?\s*/i, '')),
  };
}

export function bookRows(kind: BookKind, entries: BookEntry[]): string[][] {
  return entries.map((e) => {
    if (kind === 'incoming')
      return [
        vnDate(e.registered_at),
        String(e.number),
        e.issuer_name,
        notation(e),
        e.issued_on ? isoToVn(e.issued_on) : '',
        `${e.type_name}: ${e.subject}`,
        e.lead_name ?? '',
        e.first_assigned_at ? vnDate(e.first_assigned_at) : '',
        '',
        note(e),
      ];
    if (kind === 'outgoing')
      return [
        notation(e),
        e.issued_on ? isoToVn(e.issued_on) : '',
        `${e.type_name}: ${e.subject}`,
        e.signer_name ?? '',
        splitRecipients(e.recipients).to.join('; '),
        splitRecipients(e.recipients).archive.join('; ') ||
          ['VT', e.drafting_unit].filter(Boolean).join(', '),
        String(splitRecipients(e.recipients).to.length),
        vnDate(e.registered_at),
        '',
        note(e),
      ];
    return [
      String(e.number),
      [
        e.type_name,
        notation(e) && `số ${notation(e)}`,
        e.issued_on && `ngày ${isoToVn(e.issued_on)}`,
        `của ${e.issuer_name}`,
      ]
        .filter(Boolean)
        .join(' '),
      e.lead_name ?? '',
      e.lead_deadline ? isoToVn(e.lead_deadline) : '',
      e.lead_status ? (PROGRESS[e.lead_status] ?? e.lead_status) : 'Chưa phân công',
      e.replies ?? '',
      note(e),
    ];
  });
}

export function bookTable(
  kind: BookKind,
  meta: {
    agencyName: string;
    registerName: string;
    registerCode: string;
    year: number;
    from?: string | undefined;
    to?: string | undefined;
  },
  entries: BookEntry[],
): PrintTable {
  const rows = bookRows(kind, entries);
  const numbers = entries.map((e) => e.number);
  const heading: PrintTable['heading'] = [
    { text: meta.agencyName.toUpperCase(), bold: true, size: 12 },
    { text: BOOK_TITLES[kind], bold: true, size: 15 },
    { text: `${meta.registerName} (${meta.registerCode}) — Năm ${meta.year}` },
    {
      text: `Từ ngày ${meta.from ? isoToVn(meta.from) : `01/01/${meta.year}`} đến ngày ${
        meta.to ? isoToVn(meta.to) : `31/12/${meta.year}`
      }`,
    },
  ];
  if (numbers.length && kind !== 'outgoing')
    heading.push({ text: `Từ số ${Math.min(...numbers)} đến số ${Math.max(...numbers)}` });
  if (numbers.length && kind === 'outgoing')
    heading.push({ text: `Từ số ${notation(entries[0]!)} đến số ${notation(entries[entries.length - 1]!)}` });
  return { heading, columns: COLUMNS[kind], rows };
}
