/**
 * The edXML data model. Names are camelCase; each field's doc names its wire element (all in the
 * namespace http://www.mic.gov.vn/TBT/QCVN_102_2016).
 *
 * Conventions, so that parse → build → parse gives equal data:
 * - Free-text fields keep their text exactly (no trimming); an empty element gives ''.
 * - Coded fields (agency codes, dates, numbers, codes) are trimmed, validated and stored trimmed;
 *   an empty optional coded element is the same as an absent one (undefined).
 * - Lists of repeated elements are [] when there are none. Wrapper lists (ToPlaces, Appendixes,
 *   ReceiverList, OrganIdList) are undefined when the wrapper is absent.
 */
import type { BussinessDocType, EdxmlDate, EdxmlTimestamp, StatusCode } from './values.ts';

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** `From`, `To` (cơ quan gửi / nhận). */
export interface Organ {
  /** `OrganId`: agency code (QĐ 20/2020 or legacy QCVN 102). */
  organId: string;
  /** `OrganizationInCharge`: the direct parent agency. */
  organizationInCharge?: string;
  /** `OrganName` */
  organName?: string;
  /** `OrganAdd` */
  organAdd?: string;
  /** `Email` */
  email?: string;
  /** `Telephone` */
  telephone?: string;
  /** `Fax` */
  fax?: string;
  /** `Website` */
  website?: string;
}

/** `Code` (số, ký hiệu). */
export interface DocumentCode {
  /** `CodeNumber` */
  number: string;
  /** `CodeNotation` */
  notation: string;
}

/** `PromulgationInfo` (địa danh, ngày ban hành). */
export interface Promulgation {
  /** `Place` */
  place?: string;
  /** `PromulgationDate` */
  date: EdxmlDate;
}

/** `DocumentType`. `Type` codes differ between systems: `typeName` is authoritative. */
export interface DocumentTypeInfo {
  /** `Type` */
  type: number;
  /** `TypeDetail` */
  typeDetail?: number;
  /** `TypeName` (e.g. "Công văn") */
  typeName: string;
}

/** `SignerInfo` */
export interface SignerInfo {
  /** `Competence` (quyền hạn ký, e.g. "TL. BỘ TRƯỞNG") */
  competence?: string;
  /** `Position` */
  position?: string;
  /** `FullName` */
  fullName?: string;
}

/** `OtherInfo` */
export interface OtherInfo {
  /** `Priority` 0..3 (độ khẩn) */
  priority?: number;
  /** `SphereOfPromulgation` */
  sphereOfPromulgation?: string;
  /** `TyperNotation` (initials of the drafter) */
  typerNotation?: string;
  /** `PromulgationAmount` (copies) */
  promulgationAmount?: number;
  /** `PageAmount` */
  pageAmount?: number;
  /** `Direction` (`true`/`false`) */
  direction?: boolean;
  /** `Appendixes/Appendix*` */
  appendixes?: string[];
}

/** `ResponseFor`: links a reply or a status message to the original document. */
export interface ResponseFor {
  /** `OrganId` */
  organId: string;
  /** `Code` (number/notation as one string, e.g. "7816/VPCP-TTĐT") */
  code?: string;
  /** `PromulgationDate` */
  promulgationDate?: EdxmlDate;
  /** `DocumentId` */
  documentId: string;
}

/** `MessageHeader` of an edoc. */
export interface EdocHeader {
  /** `From` */
  from: Organ;
  /** `To` (one per recipient, at least one) */
  to: Organ[];
  /** `DocumentId`: `{OrganId},{yyyy/MM/dd},{number}/{notation}` (see buildDocumentId) */
  documentId: string;
  /** `Code` */
  code: DocumentCode;
  /** `PromulgationInfo` */
  promulgation: Promulgation;
  /** `DocumentType` */
  documentType: DocumentTypeInfo;
  /** `Subject` (trích yếu) */
  subject: string;
  /** `Content` */
  content?: string;
  /** `SignerInfo` */
  signerInfo?: SignerInfo;
  /** `DueDate` */
  dueDate?: EdxmlDate;
  /** `ToPlaces/Place*` (nơi nhận as text) */
  toPlaces?: string[];
  /** `OtherInfo` */
  otherInfo?: OtherInfo;
  /** `SteeringType` */
  steeringType?: number;
  /** `ResponseFor*` */
  responseFor: ResponseFor[];
}

/** `StaffInfo` */
export interface StaffInfo {
  /** `Department` */
  department?: string;
  /** `Staff` */
  staff?: string;
  /** `Email` */
  email?: string;
  /** `Mobile` */
  mobile?: string;
}

/** `TraceHeaderList/TraceHeader` */
export interface TraceHeader {
  /** `OrganId` */
  organId: string;
  /** `Timestamp` */
  timestamp: EdxmlTimestamp;
}

/** `ReceiverList/Receiver` */
export interface BusinessReceiver {
  /** `OrganId` */
  organId: string;
  /** `ReceiverType` */
  receiverType?: number;
}

/** `BussinessDocumentInfo` (update only). */
export interface BussinessDocumentInfo {
  /** `DocumentInfo` */
  documentInfo?: number;
  /** `DocumentReceiver` */
  documentReceiver?: number;
  /** `ReceiverList/Receiver*` */
  receivers?: BusinessReceiver[];
}

/** `ReplacementInfoList/ReplacementInfo` (replace only). */
export interface ReplacementInfo {
  /** `DocumentId` of the replaced document */
  documentId: string;
  /** `OrganIdList/OrganId*` */
  organIds?: string[];
}

/** `TraceHeaderList/Bussiness` (spelled so on the wire): the business action of the message. */
export interface Bussiness {
  /** `DocumentId` of the document the action concerns */
  documentId?: string;
  /** `BussinessDocType`: 0 new, 1 recall, 2 update, 3 replace */
  docType: BussinessDocType;
  /** `BussinessDocReason` */
  reason?: string;
  /** `Paper` (0/1: a paper copy is also sent) */
  paper?: number;
  /** `StaffInfo` */
  staffInfo?: StaffInfo;
  /** `BussinessDocumentInfo` (docType 2) */
  documentInfo?: BussinessDocumentInfo;
  /** `ReplacementInfoList/ReplacementInfo*` (docType 3) */
  replacements?: ReplacementInfo[];
}

/** `edXMLBody/edXMLManifest/Reference` */
export interface ManifestReference {
  /** `ContentId` (e.g. "cid:209"); matches an attachment's ContentId */
  contentId: string;
  /** `ContentType` */
  contentType?: string;
  /** `Description` */
  description?: string;
  /** `AttachmentName` */
  attachmentName?: string;
}

/** An edoc (gói tin văn bản) without its attachments' content. */
export interface Edoc {
  /** `edXMLHeader/MessageHeader` */
  header: EdocHeader;
  /** `edXMLHeader/TraceHeaderList/TraceHeader*` */
  traceHeaders: TraceHeader[];
  /** `edXMLHeader/TraceHeaderList/Bussiness` */
  business?: Bussiness;
  /** `edXMLBody/edXMLManifest/Reference*` */
  manifest: ManifestReference[];
}

/** `AttachmentEncoded/Attachment` metadata. */
export interface AttachmentMeta {
  /** `ContentId` */
  contentId: string;
  /** `AttachmentName` */
  attachmentName?: string;
  /** `Description` */
  description?: string;
  /** `ContentType` */
  contentType?: string;
}

/** An attachment to build: metadata and the raw (not base64) content. */
export interface EdocAttachment extends AttachmentMeta {
  content: Uint8Array;
}

/** An attachment to build by streaming: the content may come in chunks. */
export interface StreamingAttachment extends AttachmentMeta {
  content: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/** A parsed attachment: metadata, decoded size and SHA-256, and the content when collected. */
export interface ParsedAttachment extends AttachmentMeta {
  /** Decoded size in bytes. */
  size: number;
  /** SHA-256 of the decoded content, lower-case hex ('' with `attachments: 'check'`). */
  sha256: string;
  /** The decoded content, with `attachments: 'collect'`. */
  content?: Buffer;
}

/** A status message (gói tin trạng thái): all fields are inside `edXMLHeader/MessageHeader`. */
export interface StatusMessage {
  /** `From`: the agency reporting the status */
  from: Organ;
  /** `ResponseFor`: the document the status is about */
  responseFor: ResponseFor;
  /** `StaffInfo` */
  staffInfo?: StaffInfo;
  /** `StatusCode` */
  statusCode: StatusCode;
  /** `Description` */
  description?: string;
  /** `Timestamp` */
  timestamp: EdxmlTimestamp;
}
