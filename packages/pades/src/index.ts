export * from './appearance.ts';
export { subjectCommonName } from './cms.ts';
export * from './layout.ts';
export * from './p12.ts';
export * from './report.ts';
export * from './sign.ts';
export * from './stamps.ts';
export {
  readTimestampResponse,
  type TimestampRequest,
  type TimestampToken,
  timestampRequest,
  timestampSignatureValue,
} from './timestamp.ts';
export * from './types.ts';
export { PdfParseError, type VerifyOptions, verifyPdf } from './verify.ts';
export { certificateRevocation } from './verify-cert.ts';
