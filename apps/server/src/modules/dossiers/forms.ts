import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { type PrintTable, tableToPdf } from '../../platform/print/table.ts';

/**
 * The one-stop forms of TT 01/2018/TT-VPCP (STANDARDS §4.1) as PDF, built from plain data (no I/O):
 * Mẫu 01 receipt and appointment slip (with the QR code of the public lookup), 02 supplement
 * request, 03 refusal, 04 apology and new date, 05 control sheet, 06 tracking book. A4, NĐ 30
 * header (agency, Quốc hiệu and Tiêu ngữ, place and date), Tinos (Times New Roman metrics, every
 * Vietnamese glyph). Unsigned: forms-service has a form signed with the agency signature on request
 * (docs/forms.md).
 */

const require = createRequire(import.meta.url);
const fontDir = path.dirname(require.resolve('@expo-google-fonts/tinos/package.json'));
const FONTS = {
  body: path.join(fontDir, '400Regular', 'Tinos_400Regular.ttf'),
  bold: path.join(fontDir, '700Bold', 'Tinos_700Bold.ttf'),
  italic: path.join(fontDir, '400Regular_Italic', 'Tinos_400Regular_Italic.ttf'),
  boldItalic: path.join(fontDir, '700Bold_Italic', 'Tinos_700Bold_Italic.ttf'),
};

// --- Dates (Asia/Ho_Chi_Minh is UTC+7 all year)

const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString();
/** dd/MM/yyyy. */
export const vnDay = (d: Date) => {
  const s = local(d);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
};
/** "16 giờ 30 phút, ngày 24/04/2026". */
export const vnTimeDay = (d: Date) => {
  const s = local(d);
  return `${s.slice(11, 13)} giờ ${s.slice(14, 16)} phút, ngày ${vnDay(d)}`;
};
/** "ngày 24 tháng 04 năm 2026" (NĐ 30 place-and-date line). */
const vnLongDate = (d: Date) => {
  const s = local(d);
  return `ngày ${s.slice(8, 10)} tháng ${s.slice(5, 7)} năm ${s.slice(0, 4)}`;
};
const money = (n: number) => `${n.toLocaleString('vi-VN').replaceAll(',', '.')} đồng`;

/** The public lookup the receipt's QR code opens. */
export function lookupUrl(base: string, code: string, secret: string): string {
  return `${base.replace(/\/+$/, '')}/cong-dich-vu/tra-cuu?ma=${encodeURIComponent(code)}&k=${encodeURIComponent(secret)}`;
}

/**
 * Timeliness of a step or dossier (QĐ 766 reading, STANDARDS §4.5): the local dates of the end and
 * the due time compare; the same day is on time.
 */
export function timeliness(finishedAt: Date | null, dueAt: Date | null): string {
  if (!finishedAt) return 'Đang xử lý';
  if (!dueAt) return '';
  const f = local(finishedAt).slice(0, 10);
  const d = local(dueAt).slice(0, 10);
  return f < d ? 'Trước hạn' : f === d ? 'Đúng hạn' : 'Quá hạn';
}

// --- Data of the forms

export interface FormHeader {
  /** Cơ quan chủ quản, printed above the agency (NĐ 30), if any. */
  parentAgencyName: string | null;
  agencyName: string;
  /** Địa danh; null prints a blank to fill in by hand (the organisation model has no place name). */
  place: string | null;
  /** The date of the form. */
  date: Date;
}

export interface FormParty {
  applicantName: string;
  /** Who handed the dossier in, if not the applicant. */
  submitterName: string | null;
  channel: 1 | 2 | 3;
  address: string | null;
  phone: string | null;
  email: string | null;
  idNo: string | null;
}

export interface ReceiptData {
  header: FormHeader;
  code: string;
  /** The public lookup link (lookupUrl). */
  lookupUrl: string;
  receivingUnit: string;
  party: FormParty;
  procedureName: string;
  summary: string | null;
  components: Array<{ name: string; originals: number; certified: number; copies: number }>;
  sets: number;
  /** "03 ngày làm việc". */
  legalDuration: string;
  receivedAt: Date;
  dueAt: Date | null;
  resultAt: string;
  fees: Array<{ name: string; amount: number; when: 'before' | 'after' | 'exempt' | 'none' }>;
  receivedBy: string | null;
}

export interface SupplementData {
  header: FormHeader;
  code: string;
  receivingUnit: string;
  party: FormParty;
  procedureName: string;
  receivedAt: Date | null;
  items: string[];
  reason: string;
  guide: { name: string | null; phone: string | null; email: string | null };
}

export interface RefusalData {
  header: FormHeader;
  code: string;
  receivingUnit: string;
  party: FormParty;
  procedureName: string;
  receivedAt: Date | null;
  reason: string;
  officer: string | null;
}

export interface ApologyData {
  header: FormHeader;
  code: string;
  agencyName: string;
  party: FormParty;
  procedureName: string;
  receivedAt: Date | null;
  oldDueAt: Date;
  newDueAt: Date;
  reason: string;
  signer: string | null;
}

export interface ControlRow {
  agency: string;
  /** Hand-over times, each "Giao: …" / "Nhận: …". */
  times: string[];
  result: string;
  note: string;
}

export interface ControlData {
  header: FormHeader;
  code: string;
  procedureName: string;
  applicantName: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  rows: ControlRow[];
}

export interface BookRow {
  code: string;
  procedureName: string;
  sets: number;
  applicantName: string;
  addressPhone: string;
  leadAgency: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  transferredAt: Date | null;
  resultBackAt: Date | null;
  deliveredAt: Date | null;
  note: string;
}

export interface BookData {
  parentAgencyName: string | null;
  agencyName: string;
  from: string;
  to: string;
  rows: BookRow[];
}

// --- Rendering

type Doc = PDFKit.PDFDocument;

function open(title: string): { doc: Doc; done: Promise<Buffer> } {
  // NĐ 30 Phụ lục I margins: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
  const mm = 72 / 25.4;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm },
    bufferPages: true,
    info: { Title: title, Creator: 'CongVu' },
  });
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('italic', FONTS.italic);
  doc.registerFont('boldItalic', FONTS.boldItalic);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

const left = (doc: Doc) => doc.page.margins.left;
const usable = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** The NĐ 30 header: agency on the left, Quốc hiệu and Tiêu ngữ on the right, place and date below. */
function header(doc: Doc, h: FormHeader, code?: string) {
  const x = left(doc);
  const w = usable(doc);
  const lw = w * 0.42;
  const rx = x + lw;
  const rw = w - lw;
  const top = doc.y;
  if (h.parentAgencyName)
    doc
      .font('body')
      .fontSize(12)
      .text(h.parentAgencyName.toUpperCase(), x, doc.y, { width: lw, align: 'center' });
  doc.font('bold').fontSize(12).text(h.agencyName.toUpperCase(), x, doc.y, { width: lw, align: 'center' });
  const lb = doc.y;
  doc
    .moveTo(x + lw / 2 - 30, lb + 2)
    .lineTo(x + lw / 2 + 30, lb + 2)
    .lineWidth(0.5)
    .stroke();
  if (code)
    doc
      .font('body')
      .fontSize(12)
      .text(`Số: ${code}`, x, lb + 6, { width: lw, align: 'center' });
  const leftBottom = doc.y;
  doc
    .font('bold')
    .fontSize(12)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rx, top, { width: rw, align: 'center' });
  doc
    .font('bold')
    .fontSize(13)
    .text('Độc lập - Tự do - Hạnh phúc', rx, doc.y, { width: rw, align: 'center' });
  const rb = doc.y;
  doc
    .moveTo(rx + rw / 2 - 75, rb + 2)
    .lineTo(rx + rw / 2 + 75, rb + 2)
    .lineWidth(0.5)
    .stroke();
  doc
    .font('italic')
    .fontSize(13)
    .text(`${h.place ?? '……………'}, ${vnLongDate(h.date)}`, rx, rb + 8, { width: rw, align: 'center' });
  doc.x = x;
  doc.y = Math.max(leftBottom, doc.y) + 14;
}

function title(doc: Doc, text: string, sub?: string) {
  doc
    .font('bold')
    .fontSize(14)
    .text(text, left(doc), doc.y, { width: usable(doc), align: 'center' });
  if (sub)
    doc
      .font('body')
      .fontSize(13)
      .text(sub, { width: usable(doc), align: 'center' });
  doc.moveDown(0.6);
}

function para(
  doc: Doc,
  text: string,
  opts: { bold?: boolean; italic?: boolean; indent?: number; align?: 'justify' | 'left' } = {},
) {
  doc
    .font(opts.bold ? 'bold' : opts.italic ? 'italic' : 'body')
    .fontSize(13)
    .text(text, left(doc) + (opts.indent ?? 0), doc.y, {
      width: usable(doc) - (opts.indent ?? 0),
      align: opts.align ?? 'justify',
      paragraphGap: 3,
    });
}

/** "Label: value" with the label plain and the value bold. */
function field(doc: Doc, label: string, value: string | null | undefined) {
  doc
    .font('body')
    .fontSize(13)
    .text(`${label}: `, left(doc), doc.y, { continued: true, width: usable(doc), paragraphGap: 3 })
    .font('bold')
    .text(value && value.length > 0 ? value : '……………………');
}

const CHANNEL: Record<1 | 2 | 3, string> = {
  1: 'Trực tiếp',
  2: 'Trực tuyến',
  3: 'Qua dịch vụ bưu chính công ích',
};

function partyBlock(doc: Doc, p: FormParty) {
  field(doc, 'Ông/Bà', p.submitterName ?? p.applicantName);
  if (p.submitterName) field(doc, 'Chủ hồ sơ', p.applicantName);
  field(doc, 'Hình thức nộp', CHANNEL[p.channel]);
  field(doc, 'Số giấy tờ tùy thân (CCCD/Mã số thuế)', p.idNo);
  field(doc, 'Địa chỉ', p.address);
  field(doc, 'Số điện thoại', p.phone);
  field(doc, 'Email', p.email);
}

/** A ruled table inside a portrait form; the header row repeats after a page break. */
function table(
  doc: Doc,
  columns: Array<{ header: string; width: number; align?: 'left' | 'center' }>,
  rows: string[][],
) {
  const x0 = left(doc);
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * usable(doc));
  const pad = 3;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const draw = (cells: string[], head: boolean) => {
    doc.font(head ? 'bold' : 'body').fontSize(head ? 11 : 12);
    const h =
      Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad }))) +
      2 * pad;
    if (doc.y + h > bottom()) {
      doc.addPage();
      if (!head)
        draw(
          columns.map((c) => c.header),
          true,
        );
      doc.font(head ? 'bold' : 'body').fontSize(head ? 11 : 12);
    }
    const y = doc.y;
    let x = x0;
    cells.forEach((c, i) => {
      const w = widths[i]!;
      doc.rect(x, y, w, h).lineWidth(0.5).stroke();
      doc.text(c, x + pad, y + pad, {
        width: w - 2 * pad,
        align: head ? 'center' : (columns[i]!.align ?? 'left'),
      });
      x += w;
    });
    doc.x = x0;
    doc.y = y + h;
  };
  draw(
    columns.map((c) => c.header),
    true,
  );
  for (const r of rows) draw(r, false);
  doc.moveDown(0.5);
}

/** Two signature blocks side by side (title, hint, name), or one on the right. */
function signatures(doc: Doc, blocks: Array<{ title: string; name: string | null }>) {
  if (doc.y + 110 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(0.8);
  const y = doc.y;
  const w = usable(doc) / 2;
  const slots = blocks.length === 1 ? [1] : [0, 1];
  blocks.forEach((b, i) => {
    const x = left(doc) + slots[i]! * w;
    doc.font('bold').fontSize(13).text(b.title, x, y, { width: w, align: 'center' });
    doc.font('italic').fontSize(12).text('(Ký và ghi rõ họ tên)', x, doc.y, { width: w, align: 'center' });
    doc
      .font('bold')
      .fontSize(13)
      .text(b.name ?? '', x, doc.y + 60, { width: w, align: 'center' });
  });
  doc.x = left(doc);
}

function pageNumbers(doc: Doc) {
  // NĐ 30: page numbers centred in the top margin, not on page 1.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('body')
      .fontSize(13)
      .text(String(i + 1), left(doc), 28, { width: usable(doc), align: 'center', lineBreak: false });
  }
}

const FEE_WHEN: Record<ReceiptData['fees'][number]['when'], string> = {
  before: 'thu khi nộp hồ sơ',
  after: 'thu khi trả kết quả',
  exempt: 'miễn',
  none: 'không thu',
};

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export async function receiptPdf(d: ReceiptData): Promise<Buffer> {
  const qr = await QRCode.toBuffer(d.lookupUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    scale: 4,
  });
  const { doc, done } = open(`Giấy tiếp nhận hồ sơ và hẹn trả kết quả ${d.code}`);
  header(doc, d.header);
  const qrSize = 72;
  const qrY = doc.y;
  doc.image(qr, left(doc) + usable(doc) - qrSize, qrY, { width: qrSize, height: qrSize });
  doc
    .font('bold')
    .fontSize(14)
    .text('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', left(doc) + qrSize, qrY + 8, {
      width: usable(doc) - 2 * qrSize,
      align: 'center',
    });
  doc
    .font('bold')
    .fontSize(13)
    .text(`Mã hồ sơ: ${d.code}`, { width: usable(doc) - 2 * qrSize, align: 'center' });
  doc
    .font('italic')
    .fontSize(10)
    .text('(Quét mã QR để tra cứu hồ sơ)', { width: usable(doc) - 2 * qrSize, align: 'center' });
  doc.x = left(doc);
  doc.y = Math.max(doc.y, qrY + qrSize) + 8;

  para(doc, `${d.receivingUnit} tiếp nhận hồ sơ của:`);
  partyBlock(doc, d.party);
  field(
    doc,
    'Nội dung yêu cầu giải quyết',
    d.summary ? `${d.procedureName} (${d.summary})` : d.procedureName,
  );
  para(doc, '1. Thành phần hồ sơ nộp gồm:', { bold: true });
  table(
    doc,
    [
      { header: 'TT', width: 6, align: 'center' },
      { header: 'Thành phần hồ sơ', width: 52 },
      { header: 'Bản chính', width: 14, align: 'center' },
      { header: 'Bản chứng thực', width: 14, align: 'center' },
      { header: 'Bản photo', width: 14, align: 'center' },
    ],
    d.components.map((c, i) => [
      String(i + 1),
      c.name,
      String(c.originals),
      String(c.certified),
      String(c.copies),
    ]),
  );
  field(doc, '2. Số lượng hồ sơ', `${String(d.sets).padStart(2, '0')} (bộ)`);
  field(doc, '3. Thời gian giải quyết hồ sơ theo quy định là', d.legalDuration);
  field(doc, '4. Thời gian nhận hồ sơ', vnTimeDay(d.receivedAt));
  field(
    doc,
    '5. Thời gian trả kết quả giải quyết hồ sơ',
    d.dueAt ? vnTimeDay(d.dueAt) : 'Không có ngày hẹn trả',
  );
  field(doc, '6. Đăng ký nhận kết quả tại', d.resultAt);
  const total = d.fees
    .filter((f) => f.when === 'before' || f.when === 'after')
    .reduce((s, f) => s + f.amount, 0);
  if (d.fees.length === 0) field(doc, '7. Phí, lệ phí', 'Không');
  else {
    para(doc, '7. Phí, lệ phí:', { bold: true });
    for (const f of d.fees)
      para(doc, `- ${f.name}: ${money(f.amount)} (${FEE_WHEN[f.when]})`, { indent: 14 });
    field(doc, 'Tổng cộng', money(total));
  }
  para(doc, `Tra cứu tình trạng hồ sơ: ${d.lookupUrl}`, { italic: true, align: 'left' });
  signatures(doc, [
    { title: 'NGƯỜI NỘP HỒ SƠ', name: d.party.submitterName ?? d.party.applicantName },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: d.receivedBy },
  ]);
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export function supplementPdf(d: SupplementData): Promise<Buffer> {
  const { doc, done } = open(`Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ${d.code}`);
  header(doc, d.header);
  title(doc, 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', `Hồ sơ: ${d.code}`);
  para(doc, `${d.receivingUnit} tiếp nhận hồ sơ của:`);
  partyBlock(doc, d.party);
  field(doc, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(doc, 'Thời gian tiếp nhận', vnTimeDay(d.receivedAt));
  para(
    doc,
    'Sau khi xem xét, đối chiếu thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
  );
  d.items.forEach((item, i) => {
    para(doc, `${i + 1}. ${item}`, { indent: 14 });
  });
  field(doc, 'Lý do', d.reason);
  para(
    doc,
    `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ông/bà ${d.guide.name ?? '……………'}` +
      `${d.guide.phone ? `, số điện thoại ${d.guide.phone}` : ''}${d.guide.email ? `, email ${d.guide.email}` : ''} để được hướng dẫn.`,
  );
  signatures(doc, [{ title: 'NGƯỜI HƯỚNG DẪN', name: d.guide.name }]);
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận, giải quyết hồ sơ. */
export function refusalPdf(d: RefusalData): Promise<Buffer> {
  const { doc, done } = open(`Phiếu từ chối tiếp nhận, giải quyết hồ sơ ${d.code}`);
  header(doc, d.header);
  title(doc, 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', `Hồ sơ: ${d.code}`);
  para(doc, `${d.receivingUnit} tiếp nhận hồ sơ của:`);
  partyBlock(doc, d.party);
  field(doc, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(doc, 'Thời gian tiếp nhận', vnTimeDay(d.receivedAt));
  para(doc, 'Theo quy định, hồ sơ của Ông/Bà không đủ điều kiện để giải quyết.');
  para(doc, 'Cơ quan thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:');
  para(doc, d.reason, { bold: true, indent: 14 });
  para(doc, 'Xin thông báo để Ông/Bà được biết và thực hiện.');
  signatures(doc, [{ title: 'NGƯỜI TIẾP NHẬN', name: d.officer }]);
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
export function apologyPdf(d: ApologyData): Promise<Buffer> {
  const { doc, done } = open(`Phiếu xin lỗi và hẹn lại ngày trả kết quả ${d.code}`);
  header(doc, d.header);
  title(doc, 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
  para(doc, `Kính gửi: Ông/Bà ${d.party.applicantName}`, { bold: true, indent: 60 });
  para(
    doc,
    `Ngày ${d.receivedAt ? vnDay(d.receivedAt) : '……………'}, ${d.agencyName} tiếp nhận giải quyết hồ sơ ` +
      `${d.procedureName} của Ông/Bà, mã hồ sơ ${d.code}.`,
  );
  field(doc, 'Thời gian hẹn trả kết quả giải quyết hồ sơ', vnTimeDay(d.oldDueAt));
  para(doc, `Tuy nhiên đến nay, ${d.agencyName} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.`);
  field(doc, 'Lý do', d.reason);
  para(
    doc,
    'Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. Chúng tôi xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào:',
  );
  field(doc, 'Thời gian hẹn lại', vnTimeDay(d.newDueAt));
  para(doc, 'Chúng tôi xin trân trọng cảm ơn sự hợp tác của Ông/Bà.');
  signatures(doc, [{ title: 'THỦ TRƯỞNG CƠ QUAN', name: d.signer }]);
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export function controlPdf(d: ControlData): Promise<Buffer> {
  const { doc, done } = open(`Phiếu kiểm soát quá trình giải quyết hồ sơ ${d.code}`);
  header(doc, d.header);
  title(doc, 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', `Mã hồ sơ: ${d.code}`);
  field(doc, 'Tên thủ tục hành chính', d.procedureName);
  field(doc, 'Tên cá nhân, tổ chức', d.applicantName);
  field(doc, 'Thời gian nhận hồ sơ', d.receivedAt ? vnTimeDay(d.receivedAt) : null);
  field(doc, 'Thời gian trả kết quả', d.dueAt ? vnTimeDay(d.dueAt) : null);
  table(
    doc,
    [
      { header: 'TÊN CƠ QUAN', width: 30 },
      { header: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', width: 32 },
      { header: 'KẾT QUẢ XỬ LÝ HỒ SƠ (TRƯỚC HẠN/ ĐÚNG HẠN/ QUÁ HẠN)', width: 20, align: 'center' },
      { header: 'GHI CHÚ', width: 18 },
    ],
    d.rows.map((r) => [r.agency, r.times.join('\n'), r.result, r.note]),
  );
  para(
    doc,
    'Phiếu được lập thành 02 bản: 01 bản lưu hồ sơ, 01 bản lưu tại Bộ phận Tiếp nhận và Trả kết quả.',
    {
      italic: true,
    },
  );
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Mẫu 06: Sổ theo dõi hồ sơ — a landscape register with its header row on every page. */
export function bookTable(d: BookData): PrintTable {
  const t = (x: Date | null) => (x ? `${local(x).slice(11, 16)} ${vnDay(x)}` : '');
  return {
    heading: [
      ...(d.parentAgencyName ? [{ text: d.parentAgencyName.toUpperCase(), size: 11 }] : []),
      { text: d.agencyName.toUpperCase(), bold: true, size: 11 },
      { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc', bold: true, size: 11 },
      { text: 'SỔ THEO DÕI HỒ SƠ', bold: true, size: 14 },
      {
        text: `Từ ngày ${d.from.slice(8, 10)}/${d.from.slice(5, 7)}/${d.from.slice(0, 4)} đến ngày ${d.to.slice(8, 10)}/${d.to.slice(5, 7)}/${d.to.slice(0, 4)} — ${d.rows.length} hồ sơ`,
        size: 11,
      },
    ],
    columns: [
      { header: 'TT', width: 4 },
      { header: 'Mã hồ sơ', width: 13 },
      { header: 'Tên TTHC', width: 14 },
      { header: 'Số lượng hồ sơ (bộ)', width: 5 },
      { header: 'Tên cá nhân, tổ chức', width: 10 },
      { header: 'Địa chỉ, số điện thoại', width: 11 },
      { header: 'Cơ quan chủ trì giải quyết', width: 10 },
      { header: 'Nhận hồ sơ vào lúc', width: 8 },
      { header: 'Hẹn trả kết quả', width: 8 },
      { header: 'Chuyển hồ sơ đến cơ quan giải quyết', width: 8 },
      { header: 'Nhận kết quả từ cơ quan giải quyết', width: 8 },
      { header: 'Trả kết quả cho cá nhân, tổ chức', width: 8 },
      { header: 'Ghi chú', width: 8 },
    ],
    rows: d.rows.map((r, i) => [
      String(i + 1),
      r.code,
      r.procedureName,
      String(r.sets),
      r.applicantName,
      r.addressPhone,
      r.leadAgency,
      t(r.receivedAt),
      t(r.dueAt),
      t(r.transferredAt),
      t(r.resultBackAt),
      t(r.deliveredAt),
      r.note,
    ]),
    landscape: true,
  };
}

export function bookPdf(d: BookData): Promise<Buffer> {
  return tableToPdf(bookTable(d));
}
