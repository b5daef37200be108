export * from './report.ts';
export * from './types.ts';
export { PdfParseError, type VerifyOptions, verifyPdf } from './verify.ts';
