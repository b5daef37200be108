/**
 * Dossier exports streamed page by page (keyset over id, PAGE rows at a time): never the whole
 * result in memory. CSV: UTF-8 with a BOM (Excel opens Vietnamese text right), Vietnamese headers,
 * RFC 4180 quoting. XLSX: exceljs's streaming WorkbookWriter (no shared strings, no styles), rows
 * committed as they are written, the writer paused while the response is not draining.
 */
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportFilter, ExportRow } from './stats-repo.ts';

export const PAGE = 2000;

export type PageSource = (f: ExportFilter, afterId: string | null, limit: number) => Promise<ExportRow[]>;

export const EXPORT_HEADERS = [
  'Mã hồ sơ',
  'Cơ quan tiếp nhận',
  'Mã TTHC',
  'Tên thủ tục',
  'Kênh nộp',
  'Trạng thái',
  'Chủ hồ sơ',
  'Ngày tiếp nhận',
  'Ngày hẹn trả',
  'Ngày xử lý xong',
  'Ngày trả kết quả',
  'Đúng hạn',
  'Phí, lệ phí (đồng)',
  'Thanh toán trực tuyến',
  'Kết quả điện tử',
];

const CHANNEL: Record<number, string> = { 1: 'Trực tiếp', 2: 'Trực tuyến', 3: 'Bưu chính công ích' };
const yesNo = (b: boolean | null) => (b === null ? '' : b ? 'Có' : 'Không');

/** One dossier as the export's cells (strings, except the fee as a number). */
export function exportCells(r: ExportRow): (string | number)[] {
  return [
    r.code,
    r.agency_name,
    r.procedure_code,
    r.procedure_name,
    CHANNEL[r.channel] ?? String(r.channel),
    r.state_label,
    r.applicant_name,
    r.received ?? '',
    r.due ?? '',
    r.finished ?? '',
    r.delivered ?? '',
    yesNo(r.on_time),
    Number(r.fee_total),
    yesNo(r.paid_online),
    yesNo(r.electronic_result),
  ];
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it behind an apostrophe.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

async function* pages(source: PageSource, f: ExportFilter, size: number) {
  let after: string | null = null;
  for (;;) {
    const rows = await source(f, after, size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The CSV as a stream that pulls the next page only when the reader wants more. */
export function csvStream(source: PageSource, f: ExportFilter, pageSize = PAGE): Readable {
  async function* lines() {
    yield `\uFEFF${EXPORT_HEADERS.map(csvCell).join(',')}\r\n`;
    for await (const rows of pages(source, f, pageSize)) {
      yield rows.map((r) => `${exportCells(r).map(csvCell).join(',')}\r\n`).join('');
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/** The XLSX as a stream written by exceljs's WorkbookWriter as pages arrive. */
export function xlsxStream(source: PageSource, f: ExportFilter, pageSize = PAGE): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('Hồ sơ');
  (async () => {
    ws.addRow(EXPORT_HEADERS).commit();
    for await (const rows of pages(source, f, pageSize)) {
      for (const r of rows) ws.addRow(exportCells(r)).commit();
      // Let the zip deflate what was committed; wait while the client is slower than we are (polled:
      // 'drain' only comes if a write was refused), and stop if the client went away.
      await new Promise((resolve) => setImmediate(resolve));
      while (!out.destroyed && (out.writableNeedDrain || out.readableLength > out.readableHighWaterMark))
        await new Promise((resolve) => setTimeout(resolve, 10));
      if (out.destroyed) return;
    }
    ws.commit();
    await wb.commit();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}
