/**
 * @congvu/edxml — QCVN 102:2016 edXML: model, build, parse (safe, streaming), validate, XML Signature.
 * Pure: reads only what the caller passes (strings, bytes, async iterables of bytes).
 */

export type { AttachmentMode, AttachmentSink, AttachmentWriter } from './attachments.ts';
export {
  type BuildOptions,
  buildEdoc,
  buildEdocStream,
  buildStatus,
  manifestFor,
  type StreamBuildOptions,
} from './build.ts';
export {
  EDXML_CODES,
  type EdxmlCode,
  EdxmlError,
  type EdxmlIssue,
  type EdxmlWarning,
  isEdxmlError,
} from './errors.ts';
export type { EdxmlInput } from './input.ts';
export {
  type AttachmentMeta,
  type BusinessReceiver,
  type Bussiness,
  type BussinessDocumentInfo,
  type DocumentCode,
  type DocumentTypeInfo,
  DSIG_NS,
  EDXML_NS,
  type Edoc,
  type EdocAttachment,
  type EdocHeader,
  type ManifestReference,
  type Organ,
  type OtherInfo,
  type ParsedAttachment,
  type Promulgation,
  type ReplacementInfo,
  type ResponseFor,
  type SignerInfo,
  type StaffInfo,
  type StatusMessage,
  type StreamingAttachment,
  type TraceHeader,
  XLINK_NS,
} from './model.ts';
export {
  DEFAULT_LIMITS,
  type EdxmlLimits,
  MAX_LEADING_JUNK,
  type ParseMode,
  type ParseOptions,
  type ParseResult,
  parseEdxml,
  parseEdxmlSync,
} from './parse.ts';
export {
  createEnvelopeSignature,
  type DigestAlgorithm,
  type SignatureAlgorithm,
  type SignerCertificate,
  type SigningKey,
  signEnvelope,
  type VerifyOptions,
  type VerifyResult,
  verifyEnvelope,
  verifyEnvelopeSync,
} from './signature.ts';
export {
  BUSINESS_DOC_TYPES,
  type BussinessDocType,
  buildDocumentId,
  classifyOrganId,
  type DocumentIdParts,
  type EdxmlDate,
  type EdxmlTimestamp,
  formatEdxmlDate,
  formatEdxmlTimestamp,
  isEdxmlDate,
  isEdxmlTimestamp,
  isStatusCode,
  isValidOrganId,
  ORGAN_ID_MAX_LENGTH,
  type OrganIdForm,
  PRIORITIES,
  parseDocumentId,
  STATUS_CODES,
  type StatusCode,
  type StatusCodeInfo,
  statusCodeInfo,
} from './values.ts';
