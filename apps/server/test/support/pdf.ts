import PDFDocument from 'pdfkit';

/** A small real PDF (one or more A4 pages of text), as a drafter would upload. */
export function makePdf(text: string, pages = 1): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let i = 0; i < pages; i++) {
    if (i > 0) doc.addPage();
    doc.text(`${text} (trang ${i + 1})`);
  }
  doc.end();
  return done;
}
