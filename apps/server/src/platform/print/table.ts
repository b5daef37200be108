import { createRequire } from 'node:module';
import path from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';

/**
 * A printable table (a register, a list): header lines above, ruled columns, the header row
 * repeated on every page, page numbers below. Rendered as PDF in Tinos (metrically the same as
 * Times New Roman, the font NĐ 30 prescribes, with every Vietnamese glyph) or as XLSX.
 */
export interface PrintTable {
  /** Lines above the table: the agency, the title, the period. Bold where asked. */
  heading: { text: string; bold?: boolean; size?: number }[];
  columns: { header: string; width: number }[];
  rows: string[][];
  /** A4 landscape unless false. */
  landscape?: boolean;
}

const require = createRequire(import.meta.url);
const fontDir = path.dirname(require.resolve('@expo-google-fonts/tinos/package.json'));
const REGULAR = path.join(fontDir, '400Regular', 'Tinos_400Regular.ttf');
const BOLD = path.join(fontDir, '700Bold', 'Tinos_700Bold.ttf');

export function tableToPdf(t: PrintTable): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: t.landscape === false ? 'portrait' : 'landscape',
    margins: { top: 36, bottom: 42, left: 36, right: 36 },
    bufferPages: true,
    info: { Title: t.heading.map((h) => h.text).join(' — '), Creator: 'CongVu' },
  });
  doc.registerFont('body', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => (c.width / total) * usable);
  const pad = 3;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  for (const h of t.heading) {
    doc
      .font(h.bold ? 'bold' : 'body')
      .fontSize(h.size ?? 12)
      .text(h.text, left, undefined, { width: usable, align: 'center' });
  }
  doc.moveDown(0.6);

  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'body').fontSize(bold ? 9 : 9.5);
    const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad }));
    const h = Math.max(...heights) + 2 * pad;
    if (doc.y + h > bottom()) {
      doc.addPage();
      if (!bold)
        drawRow(
          t.columns.map((c) => c.header),
          true,
        );
      doc.font(bold ? 'bold' : 'body').fontSize(bold ? 9 : 9.5);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      const w = widths[i]!;
      doc.rect(x, y, w, h).lineWidth(0.5).stroke();
      doc.text(c, x + pad, y + pad, { width: w - 2 * pad, align: bold ? 'center' : 'left' });
      x += w;
    });
    doc.x = left;
    doc.y = y + h;
  };

  drawRow(
    t.columns.map((c) => c.header),
    true,
  );
  drawRow(
    t.columns.map((_, i) => `(${i + 1})`),
    true,
  );
  for (const r of t.rows) drawRow(r, false);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The number sits below the bottom margin: without this pdfkit starts a new page for it.
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(9)
      .text(`Trang ${i + 1}/${range.count}`, left, doc.page.height - 30, {
        width: usable,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

export async function tableToXlsx(t: PrintTable, sheetName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CongVu';
  const ws = wb.addWorksheet(sheetName.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: t.landscape === false ? 'portrait' : 'landscape', fitToWidth: 1 },
  });
  const n = t.columns.length;
  t.heading.forEach((h, i) => {
    ws.mergeCells(i + 1, 1, i + 1, n);
    const cell = ws.getCell(i + 1, 1);
    cell.value = h.text;
    cell.font = { name: 'Times New Roman', bold: !!h.bold, size: h.size ?? 12 };
    cell.alignment = { horizontal: 'center' };
  });
  const headerRow = t.heading.length + 2;
  t.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.max(8, c.width * 1.1);
    const cell = ws.getCell(headerRow, i + 1);
    cell.value = c.header;
    cell.font = { name: 'Times New Roman', bold: true, size: 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = thin;
    const num = ws.getCell(headerRow + 1, i + 1);
    num.value = `(${i + 1})`;
    num.font = { name: 'Times New Roman', bold: true, size: 10 };
    num.alignment = { horizontal: 'center' };
    num.border = thin;
  });
  t.rows.forEach((r, ri) => {
    r.forEach((v, ci) => {
      const cell = ws.getCell(headerRow + 2 + ri, ci + 1);
      cell.value = v;
      cell.font = { name: 'Times New Roman', size: 11 };
      cell.alignment = { vertical: 'top', wrapText: true };
      cell.border = thin;
    });
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow + 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const side = { style: 'thin' as const };
const thin = { top: side, left: side, bottom: side, right: side };
