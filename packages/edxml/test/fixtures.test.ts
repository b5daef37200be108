/**
 * The axis SDK samples (../shared/fixtures/edxml-vxp-sdk): one documented outcome per fixture and
 * mode (the table in README.md), and a round trip for every accepted one.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildEdoc,
  buildStatus,
  EdxmlError,
  type ParseMode,
  type ParseResult,
  parseEdxmlSync,
  verifyEnvelopeSync,
} from '../src/index.ts';
import { FIXTURES, fixture, NO_FIXTURES_REASON } from './helpers.ts';

/** Accepted: the warning codes in order. Rejected: the error code and path. */
type Outcome = { accepted: string[] } | { rejected: string; path?: string };

const SIG = '/edXML/edXMLEnvelope/edXMLHeader/Signature';
const STATUS_OK: Outcome = { accepted: [] };

const TABLE: Record<string, { strict: Outcome; lenient: Outcome }> = {
  'edoc.edxml': {
    strict: { rejected: 'EDXML_NOT_WELL_FORMED' }, // xlink: prefix never declared
    lenient: {
      rejected: 'EDXML_BAD_BASE64',
      path: '/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded',
    },
  },
  'edoc_new.edxml': {
    strict: { rejected: 'EDXML_LEADING_JUNK' },
    lenient: {
      accepted: [
        'EDXML_LEADING_JUNK',
        'EDXML_SIGNATURE_NAMESPACE',
        'EDXML_NONSTANDARD_ORGAN_ID',
        'EDXML_BAD_DOCUMENT_ID',
      ],
    },
  },
  'edoc_update.edxml': {
    strict: { rejected: 'EDXML_WRONG_NAMESPACE', path: SIG },
    lenient: { accepted: ['EDXML_SIGNATURE_NAMESPACE', 'EDXML_BAD_DOCUMENT_ID'] },
  },
  'edoc_replacement.edxml': {
    strict: { rejected: 'EDXML_WRONG_NAMESPACE', path: SIG },
    lenient: { accepted: ['EDXML_SIGNATURE_NAMESPACE'] },
  },
  'edoc_revocation.edxml': {
    strict: { rejected: 'EDXML_WRONG_NAMESPACE', path: SIG },
    lenient: { accepted: ['EDXML_SIGNATURE_NAMESPACE'] },
  },
  'status.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_inbox_01.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_rejection_02.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_acceptance_03.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_assignment_04.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_processing_05.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_finish_06.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_cancellation_13.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_change-acceptance_15.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
  'status_change-rejection_16.edxml': { strict: STATUS_OK, lenient: STATUS_OK },
};

function run(bytes: Buffer | string, mode: ParseMode): { outcome: Outcome; result?: ParseResult } {
  try {
    const result = parseEdxmlSync(bytes, { mode });
    return { outcome: { accepted: result.warnings.map((w) => w.code) }, result };
  } catch (e) {
    if (!(e instanceof EdxmlError)) throw e;
    return { outcome: e.path ? { rejected: e.code, path: e.path } : { rejected: e.code } };
  }
}

/** parse → build → parse, in lenient mode, must give equal data. */
function roundTrip(r: ParseResult): ParseResult {
  const xml =
    r.kind === 'edoc'
      ? buildEdoc(
          r.edoc,
          r.attachments.map((a) => ({ ...a, content: a.content ?? Buffer.alloc(0) })),
          { mode: 'lenient' },
        )
      : buildStatus(r.status, { mode: 'lenient' });
  return parseEdxmlSync(xml, { mode: 'lenient' });
}

describe.skipIf(!FIXTURES)(`axis SDK fixtures${FIXTURES ? '' : ` (skipped: ${NO_FIXTURES_REASON})`}`, () => {
  it('the table covers every fixture in the folder', () => {
    const files = readdirSync(FIXTURES as string).filter((f) => f.endsWith('.edxml'));
    expect(files.sort()).toEqual(Object.keys(TABLE).sort());
  });

  for (const [name, expected] of Object.entries(TABLE)) {
    for (const mode of ['strict', 'lenient'] as const) {
      it(`${name} (${mode})`, () => {
        const { outcome, result } = run(fixture(name), mode);
        expect(outcome).toEqual(expected[mode]);
        if (!result) return;
        const again = roundTrip(result);
        if (result.kind === 'edoc' && again.kind === 'edoc') {
          expect(again.edoc).toEqual(result.edoc);
          // Buffers compared as base64: a deep equality walks 270 KB byte by byte.
          const flat = (xs: typeof result.attachments) =>
            xs.map((a) => ({ ...a, content: a.content?.toString('base64') }));
          expect(flat(again.attachments)).toEqual(flat(result.attachments));
          expect(result.attachments.every((a) => a.size > 0 && a.content?.length === a.size)).toBe(true);
        } else if (result.kind === 'status' && again.kind === 'status') {
          expect(again.status).toEqual(result.status);
        } else {
          expect.unreachable('kind changed in the round trip');
        }
      }, 30_000);
    }
  }

  it('status fixtures carry their code and the fields inside MessageHeader', () => {
    for (const [name, code] of [
      ['status_inbox_01.edxml', '01'],
      ['status_rejection_02.edxml', '02'],
      ['status_acceptance_03.edxml', '03'],
      ['status_assignment_04.edxml', '04'],
      ['status_processing_05.edxml', '05'],
      ['status_finish_06.edxml', '06'],
      ['status_cancellation_13.edxml', '13'],
      ['status_change-acceptance_15.edxml', '15'],
      ['status_change-rejection_16.edxml', '16'],
    ] as const) {
      const r = parseEdxmlSync(fixture(name), { mode: 'strict' });
      expect(r.kind === 'status' && r.status.statusCode).toBe(code);
      expect(r.kind === 'status' && r.status.responseFor.documentId).toBe(
        '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
      );
    }
    const s = parseEdxmlSync(fixture('status.edxml'), { mode: 'strict' });
    expect(s).toMatchObject({
      kind: 'status',
      status: {
        from: { organId: '000.00.00.H41', organName: 'UBND Tỉnh Nghệ An' },
        staffInfo: { staff: 'Nguyễn Thị Ngọc Trâm', mobile: '84912000001' },
        statusCode: '01',
        timestamp: '2018/09/28 17:25:11',
      },
    });
  });

  it('edoc fixtures: business types, recipients, the zip attachment', () => {
    const types: Record<string, number> = {
      'edoc_new.edxml': 0,
      'edoc_revocation.edxml': 1,
      'edoc_update.edxml': 2,
      'edoc_replacement.edxml': 3,
    };
    for (const [name, t] of Object.entries(types)) {
      const r = parseEdxmlSync(fixture(name));
      if (r.kind !== 'edoc') throw new Error('not an edoc');
      expect(r.edoc.business?.docType).toBe(t);
      expect(r.signed).toBe(true);
      expect(r.attachments).toHaveLength(1);
      expect(r.attachments[0]?.content?.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    }
    const upd = parseEdxmlSync(fixture('edoc_update.edxml'));
    expect(upd.kind === 'edoc' && upd.edoc.header.to.map((t) => t.organId)).toEqual([
      '000.00.00.H41',
      '000.00.00.H14',
      '000.00.00.G17',
    ]);
    expect(upd.kind === 'edoc' && upd.edoc.business?.documentInfo).toEqual({
      documentInfo: 1,
      documentReceiver: 1,
      receivers: [
        { organId: '000.00.00.H41', receiverType: 0 },
        { organId: '000.00.00.H14', receiverType: 1 },
      ],
    });
    const rep = parseEdxmlSync(fixture('edoc_replacement.edxml'));
    expect(rep.kind === 'edoc' && rep.edoc.business?.replacements?.[0]).toEqual({
      documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT',
      organIds: ['000.00.00.H41', '000.00.00.H14'],
    });
  });

  it('strict mode: what remains once the signature namespace and the junk are fixed', () => {
    const fixed = (name: string) =>
      fixture(name)
        .toString('utf8')
        .replace(/^1212/, '')
        .replace('<Signature>', '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(run(fixed('edoc_replacement.edxml'), 'strict').outcome).toEqual({ accepted: [] });
    expect(run(fixed('edoc_revocation.edxml'), 'strict').outcome).toEqual({ accepted: [] });
    expect(run(fixed('edoc_update.edxml'), 'strict').outcome).toEqual({
      rejected: 'EDXML_BAD_DOCUMENT_ID',
      path: '/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId',
    });
    expect(run(fixed('edoc_new.edxml'), 'strict').outcome).toEqual({
      rejected: 'EDXML_BAD_ORGAN_ID',
      path: '/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[1]/OrganId',
    });
  });

  it('edoc.edxml: lenient binds xlink and edXML, then fails only on the JMeter placeholder content', () => {
    const text = fixture('edoc.edxml').toString('utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture's literal JMeter placeholder
    const placeholder = '${__StringFromFile(test.txt,,,)}';
    expect(text).toContain(placeholder);
    const withContent = text.replace(placeholder, Buffer.from('%PDF-1.4').toString('base64'));
    expect(run(withContent, 'lenient').outcome).toEqual({
      accepted: [
        'EDXML_UNDECLARED_PREFIX',
        'EDXML_UNDECLARED_PREFIX',
        'EDXML_BAD_DOCUMENT_ID',
        'EDXML_EMPTY_RESPONSE_FOR',
        'EDXML_NONSTANDARD_ORGAN_ID',
      ],
    });
    expect(run(withContent, 'strict').outcome).toEqual({ rejected: 'EDXML_NOT_WELL_FORMED' });
  });

  it('verifying the fixtures signatures gives a clear failure, never a crash', () => {
    const expectedFailures: Record<string, string> = {
      'edoc.edxml': 'EDXML_NOT_WELL_FORMED',
      'edoc_new.edxml': 'EDXML_SIGNATURE_NAMESPACE',
      'edoc_update.edxml': 'EDXML_SIGNATURE_NAMESPACE',
      'edoc_replacement.edxml': 'EDXML_SIGNATURE_NAMESPACE',
      'edoc_revocation.edxml': 'EDXML_SIGNATURE_NAMESPACE',
      'status.edxml': 'EDXML_SIG_MISSING',
    };
    for (const [name, code] of Object.entries(expectedFailures)) {
      const v = verifyEnvelopeSync(fixture(name));
      expect(v.valid).toBe(false);
      expect(v.failure?.code).toBe(code);
    }
    // With the namespace fixed, the next defect of these samples: a misspelt transform URI.
    const ns = fixture('edoc_update.edxml')
      .toString('utf8')
      .replace('<Signature>', '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(verifyEnvelopeSync(ns).failure?.code).toBe('EDXML_SIG_UNSUPPORTED_ALGORITHM');
    // With that fixed too, the truncated certificate ("MIIFqTCCBJG").
    const cert = ns.replace('http://www.w3.org/TR/xml-exc-c14n#', 'http://www.w3.org/2001/10/xml-exc-c14n#');
    const v = verifyEnvelopeSync(cert);
    expect(v.failure?.code).toBe('EDXML_SIG_BAD_CERTIFICATE');
    expect(v.warnings.map((w) => w.code)).toContain('EDXML_SIG_SHA1');
    // edoc.edxml made well-formed: its complete (2017, SHA-1) certificate reads, the digest does not match.
    const old = fixture('edoc.edxml')
      .toString('utf8')
      .replace(
        '<edXML xmlns=',
        '<edXML xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns=',
      );
    const o = verifyEnvelopeSync(old);
    expect(o.failure?.code).toBe('EDXML_SIG_DIGEST_MISMATCH');
    expect(o.algorithm).toEqual({
      signature: 'rsa-sha1',
      digest: 'sha1',
      canonicalization: 'inclusive',
      referenceCanonicalization: 'inclusive',
    });
    expect(o.certificate?.subject).toContain('CN=TRẦN ANH TUẤN');
  });
});
