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

/** Uploads a file as the signed-in official (multipart, as the web app does); returns its sha256. */
export async function uploadFile(
  app: { inject: (o: object) => Promise<{ statusCode: number; body: string; json(): { sha256: string } }> },
  cookie: string,
  name: string,
  data: Buffer,
): Promise<string> {
  const boundary = `----congvu${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload ${name}: ${res.statusCode} ${res.body}`);
  return res.json().sha256;
}
