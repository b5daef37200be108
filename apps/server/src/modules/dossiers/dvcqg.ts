/**
 * Payloads of the national public-service portal (DVCQG, STANDARDS §4.6), built from plain data:
 * `DongBoHoSoMC` (the dossier snapshot) and `CapNhatTienDoHoSoMC` (one progress line). Pure: no
 * I/O, no clock. Every scalar is sent as a string (as the portal's known clients do); dates are
 * `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, an absent value is "". Field sources: docs/dvcqg.md.
 */

/** `yyyyMMddHHmmss` of an instant in Asia/Ho_Chi_Minh (UTC+7 all year: no daylight saving). */
export function dvcqgDate(d: Date | null | undefined): string {
  if (!d) return '';
  const s = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return s.slice(0, 19).replace(/[-T:]/g, '');
}

export interface DvcqgComponent {
  id: string;
  specCode: string | null;
  name: string;
  originals: number;
  certified: number;
  copies: number;
  /** Link to the scan in this installation, if scanned. */
  fileUrl: string | null;
}

export interface DvcqgFee {
  code: string | null;
  name: string;
  kind: 'fee' | 'charge';
  amount: number;
  whenPaid: 'before' | 'after' | 'exempt' | 'none';
}

export interface DvcqgSupplement {
  id: string;
  requestedBy: string | null;
  reason: string;
  items: string[];
  requestedAt: Date;
  resumedBy: string | null;
  resumedAt: Date | null;
  /** Papers received in answer to the request. */
  received: string[];
  dueBefore: Date | null;
  dueAfter: Date | null;
}

export interface DvcqgResult {
  id: string;
  code: string | null;
  name: string;
  fileUrl: string | null;
}

/** What a DongBoHoSoMC record is made of (forms-repo / dvcqg-repo load it). */
export interface DvcqgDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  sectorCode: string | null;
  sectorName: string | null;
  applicantKind: 1 | 2;
  applicantName: string;
  applicantIdNo: string | null;
  applicantAddress: string | null;
  applicantPhone: string | null;
  applicantEmail: string | null;
  /** Who submitted for the applicant, if not the applicant. */
  representativeName: string | null;
  summary: string | null;
  channel: 1 | 2 | 3;
  receivedAt: Date | null;
  dueAt: Date | null;
  portalStatus: number;
  finishedAt: Date | null;
  deliveredAt: Date | null;
  deliveryMethod: 'counter' | 'post' | 'online' | null;
  deliveryNote: string | null;
  closedReason: string | null;
  /** The agency processing it now (the receiving agency when none). */
  processingAgencyCode: string;
  processingAgencyName: string;
  components: DvcqgComponent[];
  fees: DvcqgFee[];
  supplements: DvcqgSupplement[];
  results: DvcqgResult[];
}

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** HinhThucThu: 1 thu trước, 2 thu sau, 3 miễn (đối tượng miễn phí), 4 không thu phí. */
const FEE_WHEN: Record<DvcqgFee['whenPaid'], string> = { before: '1', after: '2', exempt: '3', none: '4' };
/** LoaiPhiLePhi: 1 phí, 2 lệ phí. */
const FEE_KIND: Record<DvcqgFee['kind'], string> = { fee: '1', charge: '2' };
/** LoaiGiayTo of a paper received: 1 bản chính, 2 bản chứng thực, 3 bản sao (photo). */
const PAPER_KINDS = [
  ['originals', '1'],
  ['certified', '2'],
  ['copies', '3'],
] as const;

export interface DongBoHoSoRecord {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string;
  TenLinhVuc: string;
  SoBienNhan: string;
  ChuHoSo: string;
  LoaiDoiTuong: string;
  MaDoiTuong: string;
  ThongTinKhac: string;
  Email: string;
  Fax: string;
  SoDienThoai: string;
  TrichYeuHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string;
  TrangThaiHoSo: string;
  NgayTra: string;
  ThongTinTra: string;
  HinhThuc: string;
  NgayKetThucXuLy: string;
  DonViXuLy: string;
  GhiChu: string;
  TaiLieuNop: Array<{
    TepDinhKemId: string;
    TenTepDinhKem: string;
    IsDeleted: string;
    MaThanhPhanHoSo: string;
    DuongDanTaiTepTin: string;
  }>;
  DanhSachLePhi: Array<{
    TenPhiLePhi: string;
    MaPhiLePhi: string;
    HinhThucThu: string;
    Gia: string;
    LoaiPhiLePhi: string;
  }>;
  DanhSachTepDinhKemKhac: Array<{ TenGiayTo: string; SoLuong: string; LoaiGiayTo: string }>;
  DanhSachHoSoBoSung: Array<{
    HoSoBoSungId: string;
    NguoiYeuCauBoSung: string;
    NoiDungBoSung: string;
    NgayBoSung: string;
    NguoiTiepNhanBoSung: string;
    ThongTinTiepNhan: string;
    NgayTiepNhanBoSung: string;
    TrangThaiBoSung: string;
    DanhSachGiayToBoSung: Array<{ TenGiayTo: string }>;
    DanhSachLePhiBoSung: Array<{ TenPhiLePhi: string; Gia: string }>;
    NgayHenTraTruoc: string;
    NgayHenTraMoi: string;
  }>;
  DanhSachGiayToKetQua: Array<{
    TenGiayTo: string;
    MaThanhPhanHoSo: string;
    GiayToId: string;
    DuongDanTepTinKetQua: string;
  }>;
}

export interface DongBoHoSoMC {
  service: 'DongBoHoSoMC';
  isUpdating: 'True' | 'False';
  data: DongBoHoSoRecord[];
}

export function dongBoHoSoRecord(d: DvcqgDossier): DongBoHoSoRecord {
  const other = [
    d.applicantAddress ? `Địa chỉ: ${d.applicantAddress}` : null,
    d.representativeName ? `Người nộp: ${d.representativeName}` : null,
  ].filter(Boolean);
  return {
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName,
    MaLinhVuc: str(d.sectorCode),
    TenLinhVuc: str(d.sectorName),
    // The receipt (giấy tiếp nhận) carries the dossier code: it is the receipt number too.
    SoBienNhan: d.code,
    ChuHoSo: d.applicantName,
    LoaiDoiTuong: String(d.applicantKind),
    MaDoiTuong: str(d.applicantIdNo),
    ThongTinKhac: other.join('; '),
    Email: str(d.applicantEmail),
    Fax: '',
    SoDienThoai: str(d.applicantPhone),
    TrichYeuHoSo: d.summary ?? d.procedureName,
    NgayTiepNhan: dvcqgDate(d.receivedAt),
    NgayHenTra: dvcqgDate(d.dueAt),
    TrangThaiHoSo: String(d.portalStatus),
    NgayTra: dvcqgDate(d.deliveredAt),
    ThongTinTra: str(d.deliveryNote),
    HinhThuc: d.deliveryMethod === 'post' ? '1' : '0',
    NgayKetThucXuLy: dvcqgDate(d.finishedAt),
    DonViXuLy: d.processingAgencyName,
    GhiChu: str(d.closedReason),
    TaiLieuNop: d.components
      .filter((c) => c.fileUrl !== null)
      .map((c) => ({
        TepDinhKemId: c.id,
        TenTepDinhKem: c.name,
        IsDeleted: 'False',
        MaThanhPhanHoSo: str(c.specCode),
        DuongDanTaiTepTin: str(c.fileUrl),
      })),
    DanhSachLePhi: d.fees.map((f) => ({
      TenPhiLePhi: f.name,
      MaPhiLePhi: str(f.code),
      HinhThucThu: FEE_WHEN[f.whenPaid],
      Gia: String(f.amount),
      LoaiPhiLePhi: FEE_KIND[f.kind],
    })),
    DanhSachTepDinhKemKhac: d.components.flatMap((c) =>
      PAPER_KINDS.filter(([k]) => c[k] > 0).map(([k, kind]) => ({
        TenGiayTo: c.name,
        SoLuong: String(c[k]),
        LoaiGiayTo: kind,
      })),
    ),
    DanhSachHoSoBoSung: d.supplements.map((s) => ({
      HoSoBoSungId: s.id,
      NguoiYeuCauBoSung: str(s.requestedBy),
      NoiDungBoSung: [s.reason, ...s.items].join('; '),
      NgayBoSung: dvcqgDate(s.requestedAt),
      NguoiTiepNhanBoSung: str(s.resumedBy),
      ThongTinTiepNhan: s.received.join('; '),
      NgayTiepNhanBoSung: dvcqgDate(s.resumedAt),
      // 1 = supplemented (the clock runs again), 0 = waiting for the applicant.
      TrangThaiBoSung: s.resumedAt ? '1' : '0',
      DanhSachGiayToBoSung: s.received.map((name) => ({ TenGiayTo: name })),
      DanhSachLePhiBoSung: [],
      NgayHenTraTruoc: dvcqgDate(s.dueBefore),
      NgayHenTraMoi: dvcqgDate(s.dueAfter),
    })),
    DanhSachGiayToKetQua: d.results.map((r) => ({
      TenGiayTo: r.name,
      MaThanhPhanHoSo: str(r.code),
      GiayToId: r.id,
      DuongDanTepTinKetQua: str(r.fileUrl),
    })),
  };
}

/** The snapshot message; isUpdating is "False" only the first time the dossier is sent. */
export function dongBoHoSoMC(d: DvcqgDossier, isUpdating: boolean): DongBoHoSoMC {
  return { service: 'DongBoHoSoMC', isUpdating: isUpdating ? 'True' : 'False', data: [dongBoHoSoRecord(d)] };
}

/** One processing step's progress, as the dossier event saw it. */
export interface DvcqgProgress {
  dossierCode: string;
  officialName: string | null;
  officialTitle: string | null;
  at: Date;
  departmentName: string | null;
  agencyName: string;
  content: string;
  portalStatus: number;
  stepStartedAt: Date | null;
  stepDueAt: Date | null;
}

export interface CapNhatTienDoRecord {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
  TrangThai: string;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string;
}

export interface CapNhatTienDoHoSoMC {
  service: 'CapNhatTienDoHoSoMC';
  data: CapNhatTienDoRecord[];
}

export function capNhatTienDoHoSoMC(p: DvcqgProgress): CapNhatTienDoHoSoMC {
  return {
    service: 'CapNhatTienDoHoSoMC',
    data: [
      {
        MaHoSo: p.dossierCode,
        NguoiXuLy: str(p.officialName),
        ChucDanh: str(p.officialTitle),
        ThoiDiemXuLy: dvcqgDate(p.at),
        PhongBanXuLy: p.departmentName ? `${p.departmentName} - ${p.agencyName}` : p.agencyName,
        NoiDungXuLy: p.content,
        TrangThai: String(p.portalStatus),
        NgayBatDau: dvcqgDate(p.stepStartedAt),
        NgayKetThucTheoQuyDinh: dvcqgDate(p.stepDueAt),
      },
    ],
  };
}

/** The portal's answer: HTTP 200 and error_code 0 ("0", "00") is success; anything else is retried. */
export function dvcqgAccepted(
  httpStatus: number,
  body: string,
): { ok: true } | { ok: false; reason: string } {
  if (httpStatus !== 200) return { ok: false, reason: `HTTP ${httpStatus}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'câu trả lời không phải JSON' };
  }
  const code = (parsed as { error_code?: unknown } | null)?.error_code;
  if (code === undefined || code === null) return { ok: false, reason: 'thiếu error_code' };
  if (!/^0+$/.test(String(code))) return { ok: false, reason: `error_code ${String(code)}` };
  return { ok: true };
}
