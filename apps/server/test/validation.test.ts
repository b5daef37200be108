import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/** Bad input to every endpoint gives 400 with a stable code and a Vietnamese message, never a 500. */
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await setupApp({}, { hub: {} });
  admin = (await t.f.session(['admin', 'clerk'])).cookie;
  // A citizen signed in too, so citizen routes validate their input rather than answer 401.
  const citizen = await t.app.inject({
    method: 'POST',
    url: '/api/citizen/sign-up',
    payload: { email: 'congdan.kiemtra@example.vn', password: 'MatKhau-2026', fullName: 'Công dân kiểm tra' },
  });
  const c = citizen.cookies.find((x) => x.name === 'congvu_citizen');
  if (!c) throw new Error(`citizen sign-up: ${citizen.statusCode} ${citizen.body}`);
  admin = `${admin}; congvu_citizen=${c.value}`;
});
afterAll(async () => t.close());

const BAD_UUID = 'khong-phai-uuid';

describe('bad input', () => {
  it('every route rejects malformed params, query or body with 400 VALIDATION_ERROR or a 4xx code', async () => {
    const cases: Record<string, { url?: string; payload?: unknown; query?: string }> = {
      'POST /api/auth/login': { payload: { username: 123 } },
      'POST /api/auth/logout': {},
      'POST /api/auth/logout-all': {},
      'GET /api/auth/me': {},
      'POST /api/auth/password': { payload: { currentPassword: 'x', newPassword: 'ngan' } },
      'POST /api/auth/totp/setup': {},
      'POST /api/auth/totp/enable': { payload: { code: 'abc' } },
      'POST /api/auth/totp/disable': { payload: {} },
      'GET /api/admin/api-tokens': {},
      'POST /api/admin/api-tokens': { payload: { name: 'x', permissions: ['bay.gio'] } },
      'POST /api/admin/api-tokens/:id/revoke': { url: `/api/admin/api-tokens/${BAD_UUID}/revoke` },
      'GET /api/audit': { query: '?page=0&from=31-12-2026' },
      'GET /api/audit/verify': {},
      'POST /api/files': { payload: { not: 'multipart' } },
      'GET /api/files/:sha256': { url: '/api/files/xyz' },
      'GET /api/org/agencies': { query: '?asOf=hôm-nay' },
      'POST /api/org/agencies': { payload: { code: 'h37 02', name: 'A', kind: 'planet' } },
      'GET /api/org/agencies/:id': { url: `/api/org/agencies/${BAD_UUID}` },
      'PATCH /api/org/agencies/:id': { url: `/api/org/agencies/${BAD_UUID}`, payload: {} },
      'POST /api/org/reorganisations': {
        payload: { kind: 'merge', effectiveDate: '2026/01/01', sourceIds: [], targets: [] },
      },
      'GET /api/org/departments': { query: `?agencyId=${BAD_UUID}` },
      'POST /api/org/departments': { payload: { agencyId: BAD_UUID, name: '' } },
      'PATCH /api/org/departments/:id': { url: `/api/org/departments/${BAD_UUID}`, payload: { name: 1 } },
      'GET /api/org/positions': {},
      'POST /api/org/positions': { payload: { name: 'A', rank: -1 } },
      'GET /api/org/officials': { query: '?pageSize=100000&role=vua' },
      'POST /api/org/officials': { payload: { username: 'A B', fullName: '', password: '123' } },
      'GET /api/org/officials/:id': { url: `/api/org/officials/${BAD_UUID}` },
      'PATCH /api/org/officials/:id': { url: `/api/org/officials/${BAD_UUID}`, payload: { isActive: 'có' } },
      'POST /api/org/officials/:id/reset-password': {
        url: `/api/org/officials/${BAD_UUID}/reset-password`,
        payload: { newPassword: 'abc' },
      },
      'GET /api/org/delegations': { query: `?officialId=${BAD_UUID}` },
      'POST /api/org/delegations': {
        payload: { fromOfficialId: BAD_UUID, roles: [], startsAt: 'mai', endsAt: 'mốt', reason: '' },
      },
      'POST /api/org/delegations/:id/revoke': { url: `/api/org/delegations/${BAD_UUID}/revoke` },
      'GET /api/calendar/holidays': { query: '?year=năm-nay' },
      'GET /api/calendar/add': { query: '?from=2026-13-45x&days=-1' },
      'GET /api/calendar/notices': { query: '?year=abc' },
      'POST /api/calendar/notices': { payload: { date: '24/11/2026', kind: 'nghi', name: '' } },
      'DELETE /api/calendar/notices/:id': { url: `/api/calendar/notices/${BAD_UUID}` },
      'GET /api/documents/types': { query: '?asOf=hom-nay' },
      'GET /api/documents/registers': {},
      'POST /api/documents/registers': { payload: { agencyId: BAD_UUID, kind: 'ra', code: '', name: '' } },
      'POST /api/documents/incoming': {
        payload: { registerId: BAD_UUID, typeId: '', issuerName: 'x', subject: '', urgency: 'gap lam' },
      },
      'GET /api/documents': { query: '?pageSize=1000&urgency=gap' },
      'GET /api/documents/count': { query: '?from=31-12-2026' },
      'POST /api/signing/trust-anchors': { payload: { name: 'x', pem: 'không phải PEM' } },
      'DELETE /api/signing/trust-anchors/:id': { url: '/api/signing/trust-anchors/xyz' },
      'GET /api/documents/:id/blobs/:sha256': { url: `/api/documents/${BAD_UUID}/blobs/xyz` },
      'GET /api/documents/registers/:id/book': {
        url: `/api/documents/registers/${BAD_UUID}/book`,
        query: '?year=nam-nay&format=doc',
      },
      'GET /api/documents/:id/files/:position': { url: `/api/documents/${BAD_UUID}/files/0` },
      'GET /api/documents/:id': { url: '/api/documents/xyz' },
      'GET /api/documents/worklist': { query: '?queue=viec-gi' },
      'POST /api/documents/outgoing': {
        payload: { agencyId: BAD_UUID, typeId: '', subject: 'x', recipients: [], reviewerIds: [] },
      },
      'POST /api/documents/:id/submit': {
        url: `/api/documents/${BAD_UUID}/submit`,
        payload: { reviewerIds: [] },
      },
      'POST /api/documents/:id/review': {
        url: `/api/documents/${BAD_UUID}/review`,
        payload: { decision: 'ok' },
      },
      'POST /api/documents/:id/issue': { url: `/api/documents/${BAD_UUID}/issue`, payload: {} },
      'POST /api/documents/:id/register': {
        url: `/api/documents/${BAD_UUID}/register`,
        payload: { registerId: 1 },
      },
      'GET /api/documents/worklist/counts': {},
      'POST /api/documents/:id/assignments': {
        url: `/api/documents/${BAD_UUID}/assignments`,
        payload: { items: [] },
      },
      'POST /api/documents/:id/assignments/:assignmentId/start': {
        url: `/api/documents/${BAD_UUID}/assignments/${BAD_UUID}/start`,
      },
      'POST /api/documents/:id/assignments/:assignmentId/finish': {
        url: `/api/documents/${BAD_UUID}/assignments/${BAD_UUID}/finish`,
        payload: { result: '' },
      },
      'POST /api/documents/:id/assignments/:assignmentId/return': {
        url: `/api/documents/${BAD_UUID}/assignments/${BAD_UUID}/return`,
        payload: { reason: 'x' },
      },
      'POST /api/dossiers': {
        payload: { procedureId: BAD_UUID, caseId: BAD_UUID, applicant: { kind: 1, name: '', idNo: '123' } },
      },
      'GET /api/dossiers': { query: '?state=dang-lam&limit=0' },
      'GET /api/dossiers/overdue': { query: `?agencyId=${BAD_UUID}` },
      'GET /api/dossiers/store-items': { query: '?idNo=abc' },
      'GET /api/dossiers/:id': { url: `/api/dossiers/${BAD_UUID}` },
      'POST /api/dossiers/:id/accept': {
        url: `/api/dossiers/${BAD_UUID}/accept`,
        payload: { components: 'x' },
      },
      'POST /api/dossiers/:id/refuse': { url: `/api/dossiers/${BAD_UUID}/refuse`, payload: { reason: '' } },
      'POST /api/dossiers/:id/supplement-request': {
        url: `/api/dossiers/${BAD_UUID}/supplement-request`,
        payload: { reason: 'Thiếu giấy tờ', items: [] },
      },
      'POST /api/dossiers/:id/supplement-received': {
        url: `/api/dossiers/${BAD_UUID}/supplement-received`,
        payload: { components: [] },
      },
      'POST /api/dossiers/:id/financial-request': {
        url: `/api/dossiers/${BAD_UUID}/financial-request`,
        payload: { reason: 'Nộp thuế', amount: -1 },
      },
      'POST /api/dossiers/:id/financial-done': {
        url: `/api/dossiers/${BAD_UUID}/financial-done`,
        payload: { online: 'có' },
      },
      'POST /api/dossiers/:id/withdraw': { url: `/api/dossiers/${BAD_UUID}/withdraw`, payload: {} },
      'POST /api/dossiers/:id/stop': { url: `/api/dossiers/${BAD_UUID}/stop`, payload: { reason: 1 } },
      'POST /api/dossiers/:id/apology': {
        url: `/api/dossiers/${BAD_UUID}/apology`,
        payload: { reason: 'Chậm', newDueAt: 'tuần sau' },
      },
      'POST /api/dossiers/:id/done': { url: `/api/dossiers/${BAD_UUID}/done`, payload: { results: [] } },
      'POST /api/dossiers/:id/deliver': {
        url: `/api/dossiers/${BAD_UUID}/deliver`,
        payload: { method: 'bo-cau', paidFees: [{ ordinal: -1 }] },
      },
      'POST /api/dossiers/:id/steps/:stepId/assign': {
        url: `/api/dossiers/${BAD_UUID}/steps/${BAD_UUID}/assign`,
        payload: { officialId: BAD_UUID },
      },
      'POST /api/dossiers/:id/steps/:stepId/complete': {
        url: `/api/dossiers/${BAD_UUID}/steps/${BAD_UUID}/complete`,
        payload: { note: 5 },
      },
      'POST /api/dossiers/:id/components/:componentId/scan': {
        url: `/api/dossiers/${BAD_UUID}/components/${BAD_UUID}/scan`,
        payload: { blob: 'khong-phai-sha256' },
      },
      'POST /api/dossiers/:id/results/:resultId/scan': {
        url: `/api/dossiers/${BAD_UUID}/results/${BAD_UUID}/scan`,
        payload: {},
      },
      'GET /api/workfiles/retention-classes': { query: '?asOf=hom-nay' },
      'GET /api/workfiles/lists': { query: '?year=nam-nay' },
      'POST /api/workfiles/lists': { payload: { agencyId: BAD_UUID, year: 1 } },
      'GET /api/workfiles/lists/:id': { url: `/api/workfiles/lists/${BAD_UUID}` },
      'POST /api/workfiles/lists/:id/items': {
        url: `/api/workfiles/lists/${BAD_UUID}/items`,
        payload: { code: 'có dấu cách', title: '', retentionCode: '' },
      },
      'PATCH /api/workfiles/lists/:id/items/:itemId': {
        url: `/api/workfiles/lists/${BAD_UUID}/items/${BAD_UUID}`,
        payload: {},
      },
      'DELETE /api/workfiles/lists/:id/items/:itemId': {
        url: `/api/workfiles/lists/${BAD_UUID}/items/${BAD_UUID}`,
      },
      'POST /api/workfiles/lists/:id/approve': { url: `/api/workfiles/lists/${BAD_UUID}/approve` },
      'GET /api/workfiles/files': { query: '?status=mo&pageSize=0' },
      'POST /api/workfiles/files': { payload: { listItemId: BAD_UUID, title: 'x' } },
      'GET /api/workfiles/files/:id': { url: `/api/workfiles/files/${BAD_UUID}` },
      'POST /api/workfiles/files/:id/documents': {
        url: `/api/workfiles/files/${BAD_UUID}/documents`,
        payload: { documentId: 1 },
      },
      'DELETE /api/workfiles/files/:id/documents/:documentId': {
        url: `/api/workfiles/files/${BAD_UUID}/documents/${BAD_UUID}`,
      },
      'POST /api/workfiles/files/:id/notes': {
        url: `/api/workfiles/files/${BAD_UUID}/notes`,
        payload: { body: '' },
      },
      'DELETE /api/workfiles/files/:id/notes/:noteId': {
        url: `/api/workfiles/files/${BAD_UUID}/notes/${BAD_UUID}`,
      },
      'POST /api/workfiles/files/:id/close': {
        url: `/api/workfiles/files/${BAD_UUID}/close`,
        payload: { closedOn: '2026-02-30', closingNote: '' },
      },
      'POST /api/workfiles/files/:id/reopen': {
        url: `/api/workfiles/files/${BAD_UUID}/reopen`,
        payload: { reason: '' },
      },
      'POST /api/workfiles/files/:id/deposit': {
        url: `/api/workfiles/files/${BAD_UUID}/deposit`,
        payload: { depositedOn: '31/12/2026' },
      },
      'GET /api/workfiles/archive-due': { query: '?withinDays=-1' },
      'GET /api/notifications': { query: '?unread=co&page=0&pageSize=500' },
      'GET /api/notifications/count': {},
      'GET /api/signing/trust-anchors': {},
      'GET /api/signing/credentials': {},
      'GET /api/signing/credentials/mine': {},
      'GET /api/documents/:id/exchange': { url: '/api/documents/xyz/exchange' },
      'GET /api/exchange/directory': {},
      'GET /api/exchange/outbound': { query: '?state=lost&limit=0' },
      'POST /api/exchange/outbound/:id/retry': { url: '/api/exchange/outbound/xyz/retry' },
      'GET /api/exchange/inbound': { query: '?outcome=lost' },
      'POST /api/exchange/directory/sync': {},
      'POST /api/documents/:id/exchange/recall-answer': {
        url: `/api/documents/${BAD_UUID}/exchange/recall-answer`,
        payload: { accept: 'có', reason: '' },
      },
      'POST /api/documents/:id/exchange/update-answer': {
        url: `/api/documents/${BAD_UUID}/exchange/update-answer`,
        payload: { accept: 1, reason: 'x' },
      },
      'POST /api/documents/:id/return': {
        url: `/api/documents/${BAD_UUID}/return`,
        payload: { reason: ' ' },
      },
      'GET /api/exchange/health': {},
      'POST /api/signing/credentials': {
        payload: { officialId: BAD_UUID, agencyId: BAD_UUID, pkcs12: 'không phải base64' },
      },
      'DELETE /api/signing/credentials/:id': { url: '/api/signing/credentials/xyz' },
      'POST /api/documents/:id/signing/start': {
        url: `/api/documents/${BAD_UUID}/signing/start`,
        payload: { purpose: 'agency' },
      },
      'POST /api/documents/:id/number': { url: `/api/documents/${BAD_UUID}/number`, payload: {} },
      'POST /api/notifications/:id/read': { url: `/api/notifications/${BAD_UUID}/read` },
      'POST /api/notifications/read-all': {},
      'POST /api/documents/:id/assignments/:assignmentId/opinions': {
        url: `/api/documents/${BAD_UUID}/assignments/${BAD_UUID}/opinions`,
        payload: { content: '', files: [{ sha256: 'xyz', name: '' }] },
      },
      'POST /api/documents/:id/assignments/:assignmentId/forward': {
        url: `/api/documents/${BAD_UUID}/assignments/${BAD_UUID}/forward`,
        payload: { officialId: BAD_UUID, departmentId: BAD_UUID, note: '' },
      },
      'GET /api/documents/:id/versions': { url: `/api/documents/${BAD_UUID}/versions` },
      'POST /api/documents/:id/versions': {
        url: `/api/documents/${BAD_UUID}/versions`,
        payload: { sha256: 'xyz', name: '' },
      },
      'POST /api/documents/:id/review/forward': {
        url: `/api/documents/${BAD_UUID}/review/forward`,
        payload: { toOfficialId: 1, comment: '' },
      },
      'POST /api/documents/:id/recall': { url: `/api/documents/${BAD_UUID}/recall`, payload: { reason: '' } },
      'POST /api/documents/:id/replace': {
        url: `/api/documents/${BAD_UUID}/replace`,
        payload: { reason: 'x', replacementId: BAD_UUID },
      },
      'POST /api/documents/:id/update': {
        url: `/api/documents/${BAD_UUID}/update`,
        payload: { reason: 'Sửa lỗi', pageCount: 0 },
      },
      'GET /api/dossiers/stats/index766': { query: '?from=31-12-2025&to=hom-nay' },
      'GET /api/dossiers/stats/dashboard': { query: '?from=2025-01-01&to=2025-12-31&by=ai-do' },
      'GET /api/dossiers/export.csv': { query: `?state=xong-roi&agencyId=${BAD_UUID}` },
      'GET /api/dossiers/export.xlsx': { query: '?from=hom-qua' },
      'GET /api/hub-admin/agencies': { query: '?active=co-le' },
      'POST /api/hub-admin/agencies': { payload: { code: 'h37 02', name: '', email: 'khong-phai-thu' } },
      'PATCH /api/hub-admin/agencies/:code': { url: '/api/hub-admin/agencies/H37.01', payload: {} },
      'POST /api/hub-admin/agencies/:code/disable': { url: '/api/hub-admin/agencies/h37%2001/disable' },
      'POST /api/hub-admin/agencies/:code/enable': { url: '/api/hub-admin/agencies/h37%2001/enable' },
      'GET /api/hub-admin/systems': {},
      'POST /api/hub-admin/systems': { payload: { name: '', agencies: [], callbackUrl: 'ftp://x' } },
      'POST /api/hub-admin/systems/:id/rotate-secret': {
        url: `/api/hub-admin/systems/${BAD_UUID}/rotate-secret`,
      },
      'POST /api/hub-admin/systems/:id/disable': { url: `/api/hub-admin/systems/${BAD_UUID}/disable` },
      'POST /api/hub-admin/systems/:id/enable': { url: `/api/hub-admin/systems/${BAD_UUID}/enable` },
      'GET /api/hub-admin/queues': {},
      'GET /api/hub-admin/messages': { query: `?id=${BAD_UUID}&state=lac&limit=5000` },
      'GET /api/hub-admin/dead-letters': {},
      'POST /api/hub-admin/dead-letters/requeue': { payload: { type: 'delivery', messageId: BAD_UUID } },
      'POST /api/hub-admin/purge': { payload: { days: -1 } },
      'GET /api/procedure-sectors': {},
      'POST /api/procedure-sectors': { payload: { code: 'có dấu', name: '' } },
      'GET /api/procedures': { query: '?authorityLevel=huyen&pageSize=0' },
      'POST /api/procedures': { payload: { code: '1 001', name: '', authorityLevel: 'huyen', cases: [] } },
      'GET /api/procedures/export': { query: '?on=hom-nay' },
      'POST /api/procedures/import': { payload: { result: 'không phải danh sách' } },
      'GET /api/procedures/:id': { url: `/api/procedures/${BAD_UUID}` },
      'PUT /api/procedures/:id': { url: `/api/procedures/${BAD_UUID}`, payload: { name: '' } },
      'POST /api/procedures/:id/publish': {
        url: `/api/procedures/${BAD_UUID}/publish`,
        payload: { published: 'có' },
      },
      'POST /api/procedures/:id/versions': {
        url: `/api/procedures/${BAD_UUID}/versions`,
        payload: { validFrom: '01/01/2027' },
      },
      'GET /api/dvcqg/sync-log': { query: '?state=lac&pageSize=0' },
      'GET /api/payments/reconciliation': { query: '?day=07-12-2026' },
      'POST /api/dvcqg/sync-log/:id/retry': { url: `/api/dvcqg/sync-log/${BAD_UUID}/retry` },
      'GET /api/dossiers/book': { query: `?agencyId=${BAD_UUID}&from=01-04-2026&to=hom-nay` },
      'GET /api/dossiers/:id/forms/:form': { url: `/api/dossiers/${BAD_UUID}/forms/giay-khen` },
      'POST /api/dossiers/:id/forms/:form/sign': {
        url: `/api/dossiers/${BAD_UUID}/forms/receipt/sign`,
        payload: { signing: { password: '' } },
      },
      'POST /api/dossiers/:id/forms/:form/sign/start': {
        url: `/api/dossiers/${BAD_UUID}/forms/giay-khen/sign/start`,
      },
      'GET /api/dossiers/:id/signed-forms': { url: `/api/dossiers/${BAD_UUID}/signed-forms` },
      'GET /api/dossiers/:id/signed-forms/:signedId': {
        url: `/api/dossiers/${BAD_UUID}/signed-forms/${BAD_UUID}`,
      },
      'POST /api/citizen/sign-up': { payload: { email: 'khong-phai-thu', password: 'ngan', fullName: '' } },
      'POST /api/citizen/sign-in': { payload: { login: 1 } },
      'POST /api/citizen/sign-out': {},
      'GET /api/citizen/me': {},
      'PUT /api/citizen/me': {
        payload: { fullName: 'Công dân', idNo: '12345', email: null, phone: null, address: null },
      },
      'POST /api/citizen/password-reset': { payload: { email: 'abc' } },
      'POST /api/citizen/password-reset/confirm': { payload: { token: 'x', newPassword: '1' } },
      'GET /api/citizen/oidc/start': { query: `?returnTo=${encodeURIComponent('https://evil.example/')}` },
      'GET /api/citizen/oidc/callback': { query: '?code=abc' },
      'GET /api/citizen/store': {},
      'GET /api/citizen/store/:id/file': { url: `/api/citizen/store/${BAD_UUID}/file` },
      'GET /api/citizen/notifications': { query: '?limit=0' },
      'POST /api/citizen/notifications/read-all': {},
      'POST /api/citizen/notifications/:id/read': { url: `/api/citizen/notifications/${BAD_UUID}/read` },
      'PUT /api/citizen/notification-preferences': { payload: { email: 'co', sms: true } },
      'DELETE /api/citizen/identities': { payload: { issuer: '' } },
      'GET /api/meetings/rules': {},
      'GET /api/meetings/bodies': {},
      'POST /api/meetings/bodies': { payload: { agencyId: BAD_UUID, kind: 'hdnd', name: '' } },
      'GET /api/meetings/bodies/:id/members': { url: `/api/meetings/bodies/${BAD_UUID}/members` },
      'POST /api/meetings/bodies/:id/members': {
        url: `/api/meetings/bodies/${BAD_UUID}/members`,
        payload: { role: 'delegate', validFrom: '2026-01-01' },
      },
      'GET /api/meetings': {},
      'POST /api/meetings': { payload: { bodyId: BAD_UUID, kind: 'session', title: 'x', startsAt: 'mai' } },
      'GET /api/meetings/:id': { url: `/api/meetings/${BAD_UUID}` },
      'POST /api/meetings/:id/invite': { url: `/api/meetings/${BAD_UUID}/invite` },
      'POST /api/meetings/:id/response': {
        url: `/api/meetings/${BAD_UUID}/response`,
        payload: { response: 'absent' },
      },
      'POST /api/meetings/:id/check-in': {
        url: `/api/meetings/${BAD_UUID}/check-in`,
        payload: { memberId: 'x' },
      },
      'GET /api/meetings/:id/attendance': { url: `/api/meetings/${BAD_UUID}/attendance` },
      'POST /api/meetings/:id/open': { url: `/api/meetings/${BAD_UUID}/open` },
      'POST /api/meetings/:id/close': { url: `/api/meetings/${BAD_UUID}/close` },
      'GET /api/meetings/:id/polls': { url: `/api/meetings/${BAD_UUID}/polls` },
      'GET /api/meetings/:id/notices': { url: `/api/meetings/${BAD_UUID}/notices` },
      'POST /api/meetings/:id/current-item': {
        url: `/api/meetings/${BAD_UUID}/current-item`,
        payload: { itemId: 'x' },
      },
      'GET /api/meetings/:id/documents': { url: `/api/meetings/${BAD_UUID}/documents` },
      'POST /api/meetings/:id/documents': {
        url: `/api/meetings/${BAD_UUID}/documents`,
        payload: { kind: 'main', title: 'x', sha256: 'abc', filename: 'a.pdf' },
      },
      'POST /api/meetings/documents/:documentId/versions': {
        url: `/api/meetings/documents/${BAD_UUID}/versions`,
        payload: { sha256: 'abc', filename: '' },
      },
      'GET /api/meetings/documents/:documentId/file': { url: `/api/meetings/documents/${BAD_UUID}/file` },
      'GET /api/meetings/:id/deliveries': {
        url: `/api/meetings/${BAD_UUID}/deliveries`,
        query: '?format=xml',
      },
      'GET /api/meetings/:id/speakers': { url: `/api/meetings/${BAD_UUID}/speakers` },
      'POST /api/meetings/:id/speakers': {
        url: `/api/meetings/${BAD_UUID}/speakers`,
        payload: { kind: 'talk' },
      },
      'POST /api/meetings/:id/speakers/order': {
        url: `/api/meetings/${BAD_UUID}/speakers/order`,
        payload: { ids: [] },
      },
      'POST /api/meetings/speakers/:speakerId/start': { url: `/api/meetings/speakers/${BAD_UUID}/start` },
      'POST /api/meetings/speakers/:speakerId/stop': { url: `/api/meetings/speakers/${BAD_UUID}/stop` },
      'POST /api/meetings/speakers/:speakerId/withdraw': {
        url: `/api/meetings/speakers/${BAD_UUID}/withdraw`,
      },
      'POST /api/meetings/:id/notices': { url: `/api/meetings/${BAD_UUID}/notices`, payload: { text: '' } },
      'POST /api/meetings/:id/polls': {
        url: `/api/meetings/${BAD_UUID}/polls`,
        payload: { title: 'x', kind: 'secret', options: ['một'], rule: 'majority_of_all' },
      },
      'GET /api/meetings/polls/:pollId': { url: `/api/meetings/polls/${BAD_UUID}` },
      'POST /api/meetings/polls/:pollId/vote': {
        url: `/api/meetings/polls/${BAD_UUID}/vote`,
        payload: { option: -1 },
      },
      'POST /api/meetings/polls/:pollId/close': { url: `/api/meetings/polls/${BAD_UUID}/close` },
      // A plain GET instead of a WebSocket upgrade (live.test.ts covers the socket's messages).
      'GET /api/live': {},
    };
    const inputless = new Set([
      'POST /api/citizen/sign-out',
      'GET /api/citizen/me',
      'GET /api/citizen/store',
      'POST /api/citizen/notifications/read-all',
      'POST /api/auth/logout',
      'POST /api/auth/logout-all',
      'GET /api/auth/me',
      'POST /api/auth/totp/setup',
      'GET /api/admin/api-tokens',
      'GET /api/audit/verify',
      'GET /api/org/positions',
      'GET /api/documents/registers',
      'GET /api/documents/worklist/counts',
      'GET /api/notifications/count',
      'GET /api/signing/trust-anchors',
      'GET /api/signing/credentials',
      'GET /api/signing/credentials/mine',
      'GET /api/exchange/directory',
      'GET /api/exchange/health',
      'POST /api/exchange/directory/sync',
      'POST /api/notifications/read-all',
      'GET /api/hub-admin/systems',
      'GET /api/hub-admin/queues',
      'GET /api/hub-admin/dead-letters',
      'GET /api/procedure-sectors',
      'GET /api/meetings/rules',
      'GET /api/meetings/bodies',
      'GET /api/meetings',
    ]);
    const routes = t.catalogue.filter(
      (r) => r.access !== 'public' || r.url === '/api/auth/login' || r.url.startsWith('/api/citizen/'),
    );
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      const c = cases[key];
      expect(c, `a bad-input case for ${key}`).toBeDefined();
      if (inputless.has(key)) continue; // takes no input to get wrong
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: (c!.url ?? r.url) + (c!.query ?? ''),
        headers: { cookie: admin },
        ...(c!.payload !== undefined && { payload: c!.payload as object }),
      });
      expect(res.statusCode, key).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, key).toBeLessThan(500);
      const body = res.json();
      expect(body.code, key).toMatch(/^[A-Z_]+$/);
      expect(body.message, key).toMatch(/[àáảãạăâđêôơưíìóòúùýếềểễệốồổỗộớờởỡợứừửữựắằẳẵặấầẩẫậ]/i);
      if (res.statusCode === 400) expect(body.code, key).toMatch(/VALIDATION_ERROR|BAD_REQUEST/);
    }
  });

  it('the public payment routes reject bad input with 400 VALIDATION_ERROR', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/payments/orders', payload: { code: '', secret: 7 } },
      { method: 'GET' as const, url: '/api/payments/return?vnp_TxnRef=TT1&vnp_Amount=100' },
      { method: 'GET' as const, url: '/api/payments/ipn?vnp_SecureHash=ab' },
      { method: 'GET' as const, url: '/api/payments/receipts/TT-1%20x?k=' },
    ];
    for (const c of cases) {
      const res = await t.app.inject(c);
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json(), c.url).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'Dữ liệu gửi lên không hợp lệ',
      });
    }
  });

  it('a validation error names the offending field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/agencies',
      headers: { cookie: admin },
      payload: { code: 'h37 02', name: 'Sở thử', kind: 'province_department' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_ERROR', message: 'Dữ liệu gửi lên không hợp lệ' });
    expect(JSON.stringify(res.json().details)).toContain('code');
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/positions',
      headers: { cookie: admin, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_ERROR');
  });

  it('public portal pages (not under /api) answer bad input with a 400 page in Vietnamese', async () => {
    for (const url of [
      '/cong-dich-vu/thu-tuc?capDo=planet',
      `/cong-dich-vu/thu-tuc/${'9'.repeat(41)}`,
      `/cong-dich-vu/nop-truc-tuyen/${'9'.repeat(41)}`,
      '/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/khong-phai-uuid',
      '/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/khong-phai-uuid/giay-to',
      '/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/khong-phai-uuid/xem-lai',
      `/cong-dich-vu/nop-truc-tuyen/da-nop/${'9'.repeat(65)}`,
      `/cong-dich-vu/nop-truc-tuyen/da-nop/${'9'.repeat(65)}/bien-nhan.pdf`,
      `/cong-dich-vu/tra-cuu?ma=${'x'.repeat(65)}`,
      '/cong-dich-vu/thong-ke?nam=1900',
      '/cong-dich-vu/ngon-ngu?lang=fr',
      `/cong-dich-vu/ngon-ngu?lang=en&tiep=${'x'.repeat(2001)}`,
      `/cong-dich-vu/ho-so-cua-toi/${'9'.repeat(41)}`,
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/ket-qua/khong-phai-uuid',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/bien-nhan/co-dau-gach',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toContain('Yêu cầu không hợp lệ');
    }
  });

  it("the portal's account forms re-render bad input with a 400 and the Vietnamese message", async () => {
    const forms: [string, Record<string, string>, string][] = [
      ['/cong-dich-vu/dang-nhap', { login: '', password: '' }, 'Nhập số điện thoại hoặc thư điện tử'],
      [
        '/cong-dich-vu/dang-ky',
        { fullName: 'An', phone: '12', password: 'MatKhau-2026x' },
        'Số điện thoại không hợp lệ',
      ],
      ['/cong-dich-vu/quen-mat-khau', { email: 'khong-phai-thu' }, 'Thư điện tử không hợp lệ'],
      [
        '/cong-dich-vu/dat-lai-mat-khau',
        { token: 'ngan', newPassword: 'x', confirm: 'x' },
        'Liên kết đặt lại mật khẩu không hợp lệ',
      ],
    ];
    for (const [url, fields, message] of forms) {
      const page = await t.app.inject({ method: 'GET', url });
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const post = (payload: string) =>
        t.app.inject({
          method: 'POST',
          url,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        });
      const res = await post(new URLSearchParams({ _csrf: csrf, ...fields }).toString());
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toContain(message);
      // A field longer than any form allows: the 400 page.
      const long = await post(new URLSearchParams({ _csrf: csrf, login: 'x'.repeat(3000) }).toString());
      expect(long.statusCode, url).toBe(400);
      expect(long.body, url).toContain('Yêu cầu không hợp lệ');
    }
    // The profile form too (signed in through the JSON API: the same cookie).
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/citizen/sign-up',
      payload: { email: 'kiem-tra-form@example.vn', password: 'MatKhau-2026x', fullName: 'Kiểm Tra' },
    });
    const session = up.cookies.find((c) => c.name === 'congvu_citizen')!;
    const page = await t.app.inject({
      method: 'GET',
      url: '/cong-dich-vu/tai-khoan',
      headers: { cookie: `congvu_citizen=${session.value}` },
    });
    const csrfCookie = page.cookies.find((c) => c.name === 'congvu_portal_csrf')!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/cong-dich-vu/tai-khoan',
      headers: {
        cookie: `congvu_citizen=${session.value}; congvu_portal_csrf=${csrfCookie.value}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        fullName: 'Kiểm Tra',
        email: 'kiem-tra-form@example.vn',
        idNo: '12',
      }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Số CCCD gồm 12 chữ số');
  });

  it('unknown routes get the one error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/khong-co' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy' });
  });
});
