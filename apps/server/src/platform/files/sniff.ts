/** File types the platform accepts, recognised by content (magic bytes), never by name. */
export type SniffedType = { ext: 'pdf' | 'docx' | 'xlsx' | 'zip' | 'jpg' | 'png'; mime: string };

const startsWith = (b: Buffer, sig: number[]) => sig.every((v, i) => b[i] === v);

export function sniff(buf: Buffer): SniffedType | null {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-')
    return { ext: 'pdf', mime: 'application/pdf' };
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { ext: 'png', mime: 'image/png' };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { ext: 'jpg', mime: 'image/jpeg' };
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) {
    // OOXML packages are ZIPs whose entry names say what they are (names are stored uncompressed).
    const hasOoxml = buf.includes('[Content_Types].xml');
    if (hasOoxml && buf.includes('word/')) {
      return { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
    }
    if (hasOoxml && buf.includes('xl/')) {
      return { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    }
    return { ext: 'zip', mime: 'application/zip' };
  }
  return null;
}
