/**
 * Stable error and warning codes of the edXML layer, each with a Vietnamese message for users and an
 * English one for logs. The same code is used for an error (strict mode, or a defect no mode accepts)
 * and for the warning a lenient parse gives when it accepts the defect.
 */

export const EDXML_CODES = {
  // Syntax and encoding
  EDXML_NOT_WELL_FORMED: ['Gói tin edXML không đúng cú pháp XML', 'not well-formed XML'],
  EDXML_BAD_ENCODING: ['Gói tin không phải văn bản UTF-8 hợp lệ', 'input is not valid UTF-8'],
  EDXML_UNSUPPORTED_ENCODING: [
    'Bảng mã của gói tin không được hỗ trợ (chỉ chấp nhận UTF-8)',
    'unsupported encoding (only UTF-8 is accepted)',
  ],
  EDXML_LEADING_JUNK: ['Có dữ liệu lạ trước phần đầu XML của gói tin', 'stray bytes before the XML'],
  EDXML_UNDECLARED_PREFIX: [
    'Gói tin dùng tiền tố không gian tên chưa khai báo',
    'namespace prefix used without declaration',
  ],
  EDXML_DOCTYPE_FORBIDDEN: [
    'Gói tin chứa khai báo DOCTYPE, không được phép',
    'DOCTYPE declarations are forbidden',
  ],
  EDXML_UNDEFINED_ENTITY: [
    'Gói tin tham chiếu thực thể XML không được định nghĩa',
    'reference to an undefined entity',
  ],
  EDXML_INVALID_CHAR: ['Dữ liệu chứa ký tự không dùng được trong XML', 'character not allowed in XML'],
  // Limits
  EDXML_TOO_LARGE: ['Gói tin vượt quá kích thước cho phép', 'message exceeds the size limit'],
  EDXML_TOO_DEEP: ['Gói tin lồng quá nhiều cấp phần tử', 'elements nested too deeply'],
  EDXML_TOO_MANY_ELEMENTS: ['Gói tin có quá nhiều phần tử', 'too many elements'],
  EDXML_FIELD_TOO_LONG: ['Nội dung một trường dữ liệu dài quá giới hạn', 'field text exceeds the limit'],
  EDXML_MARKUP_TOO_LONG: [
    'Một thẻ, chú thích hoặc chỉ thị XML dài quá giới hạn',
    'tag, comment or processing instruction exceeds the limit',
  ],
  // Structure
  EDXML_WRONG_ROOT: ['Phần tử gốc của gói tin không phải edXML', 'root element is not edXML'],
  EDXML_WRONG_NAMESPACE: [
    'Phần tử không thuộc không gian tên quy định (QCVN 102:2016)',
    'element in the wrong namespace',
  ],
  EDXML_MISSING_ELEMENT: ['Thiếu phần tử bắt buộc', 'required element missing or empty'],
  EDXML_DUPLICATE_ELEMENT: ['Phần tử chỉ được xuất hiện một lần', 'element appears more than once'],
  EDXML_UNKNOWN_ELEMENT: ['Phần tử không có trong cấu trúc edXML', 'element not defined by edXML'],
  EDXML_UNKNOWN_ATTRIBUTE: ['Thuộc tính không có trong cấu trúc edXML', 'attribute not defined by edXML'],
  EDXML_UNEXPECTED_TEXT: [
    'Có nội dung văn bản ở vị trí không cho phép',
    'text content where only elements are allowed',
  ],
  // Values
  EDXML_BAD_ORGAN_ID: ['Mã định danh cơ quan không hợp lệ', 'invalid agency code'],
  EDXML_NONSTANDARD_ORGAN_ID: [
    'Mã định danh cơ quan không theo QĐ 20/2020/QĐ-TTg hoặc QCVN 102:2016',
    'agency code in neither the QĐ 20/2020 nor the QCVN 102 form',
  ],
  EDXML_BAD_DATE: ['Ngày giờ không hợp lệ (yyyy/MM/dd hoặc yyyy/MM/dd HH:mm:ss)', 'invalid date or time'],
  EDXML_BAD_DOCUMENT_ID: [
    'Mã văn bản không đúng dạng {mã cơ quan},{yyyy/MM/dd},{số}/{ký hiệu}',
    'DocumentId not of the form {OrganId},{yyyy/MM/dd},{number}/{notation}',
  ],
  EDXML_BAD_NUMBER: ['Giá trị số không hợp lệ', 'invalid number'],
  EDXML_BAD_BOOLEAN: ['Giá trị đúng/sai không hợp lệ (true hoặc false)', 'invalid boolean'],
  EDXML_BAD_PRIORITY: ['Độ khẩn (Priority) phải từ 0 đến 3', 'Priority out of the range 0..3'],
  EDXML_UNKNOWN_STATUS: ['Mã trạng thái văn bản không hợp lệ', 'unknown status code'],
  EDXML_UNKNOWN_BUSINESS_TYPE: ['Loại nghiệp vụ (BussinessDocType) không hợp lệ', 'unknown BussinessDocType'],
  EDXML_BUSINESS_MISMATCH: [
    'Thông tin nghiệp vụ không khớp với loại nghiệp vụ',
    'business details do not match the business type',
  ],
  EDXML_EMPTY_RESPONSE_FOR: ['Phần tử ResponseFor rỗng', 'empty ResponseFor'],
  // Attachments
  EDXML_ATTACHMENT_MISSING: [
    'Tệp đính kèm có trong danh mục nhưng không có nội dung',
    'manifest reference without attachment content',
  ],
  EDXML_ATTACHMENT_UNREFERENCED: [
    'Tệp đính kèm không có trong danh mục (edXMLManifest)',
    'attachment not listed in the manifest',
  ],
  EDXML_DUPLICATE_CONTENT_ID: ['Mã nội dung (ContentId) bị trùng', 'duplicate ContentId'],
  EDXML_BAD_BASE64: ['Nội dung tệp đính kèm không phải base64 hợp lệ', 'attachment content is not base64'],
  // Signature
  EDXML_SIGNATURE_NAMESPACE: [
    'Chữ ký số không thuộc không gian tên XML Signature',
    'Signature element not in the XML Signature namespace',
  ],
  EDXML_SIG_MISSING: ['Gói tin không có chữ ký số trong edXMLHeader', 'no signature in edXMLHeader'],
  EDXML_SIG_MULTIPLE: ['Gói tin có nhiều hơn một chữ ký số', 'more than one signature'],
  EDXML_SIG_ALREADY_SIGNED: ['Gói tin đã có chữ ký số', 'the message is already signed'],
  EDXML_SIG_MALFORMED: ['Cấu trúc chữ ký số không hợp lệ', 'malformed signature'],
  EDXML_SIG_UNSUPPORTED_ALGORITHM: [
    'Thuật toán của chữ ký số không được hỗ trợ',
    'unsupported signature algorithm or transform',
  ],
  EDXML_SIG_NO_CERTIFICATE: ['Chữ ký số không kèm chứng thư số', 'no X509Certificate in KeyInfo'],
  EDXML_SIG_BAD_CERTIFICATE: ['Chứng thư số kèm chữ ký không đọc được', 'certificate cannot be read'],
  EDXML_SIG_KEY_MISMATCH: [
    'Khóa bí mật không khớp với chứng thư số',
    'private key does not match the certificate',
  ],
  EDXML_SIG_DIGEST_MISMATCH: [
    'Nội dung gói tin đã bị thay đổi sau khi ký',
    'digest mismatch: the content changed after signing',
  ],
  EDXML_SIG_INVALID: ['Chữ ký số không hợp lệ', 'signature value does not verify'],
  EDXML_SIG_SHA1: [
    'Chữ ký số dùng thuật toán SHA-1 đã lỗi thời',
    'signature uses the legacy SHA-1 algorithm',
  ],
  EDXML_TOO_MANY_WARNINGS: ['Quá nhiều cảnh báo, các cảnh báo sau bị bỏ qua', 'further warnings dropped'],
} as const satisfies Record<string, readonly [string, string]>;

export type EdxmlCode = keyof typeof EDXML_CODES;

export interface EdxmlIssue {
  code: EdxmlCode;
  /** Vietnamese, for users. */
  messageVi: string;
  /** English, for logs: the code's meaning plus the specific detail. */
  message: string;
  /** Element path like `/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId`, when known. */
  path?: string;
}

export type EdxmlWarning = EdxmlIssue;

export class EdxmlError extends Error implements EdxmlIssue {
  readonly code: EdxmlCode;
  readonly messageVi: string;
  readonly path?: string;
  readonly detail?: string;

  constructor(code: EdxmlCode, detail?: string, path?: string) {
    super(describe(code, detail, path));
    this.name = 'EdxmlError';
    this.code = code;
    this.messageVi = EDXML_CODES[code][0] + (path ? ` (${path})` : '');
    if (path !== undefined) this.path = path;
    if (detail !== undefined) this.detail = detail;
  }

  toIssue(): EdxmlIssue {
    return issue(this.code, this.detail, this.path);
  }
}

function describe(code: EdxmlCode, detail?: string, path?: string): string {
  let m = `${code}: ${EDXML_CODES[code][1]}`;
  if (detail) m += `: ${detail}`;
  if (path) m += ` at ${path}`;
  return m;
}

export function issue(code: EdxmlCode, detail?: string, path?: string): EdxmlIssue {
  const i: EdxmlIssue = {
    code,
    messageVi: EDXML_CODES[code][0] + (path ? ` (${path})` : ''),
    message: describe(code, detail, path),
  };
  if (path !== undefined) i.path = path;
  return i;
}

export function isEdxmlError(e: unknown): e is EdxmlError {
  return e instanceof EdxmlError;
}
