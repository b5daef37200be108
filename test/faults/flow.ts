/**
 * The document flow the fault test and the exchange bench drive over the installations' real
 * HTTP ports: A's specialist drafts an outgoing document with a PDF to B's agency, A's leader
 * approves and signs it, A's clerk numbers, signs and issues it (the issuance writes the
 * exchange outbox in its transaction); B's clerk registers what arrives (status 03).
 *
 * A request cut by a killed server leaves its outcome unknown; the flow then reads the
 * document's state in the database (read only) and goes on from there, as a user would reload
 * the page. Any other error is thrown.
 */
import PDFDocument from 'pdfkit';
import type pg from 'pg';
import {
  B_CODE,
  B_NAME,
  Client,
  type Installation,
  SIGNING_PASSWORD,
  sleep,
  Unreachable,
} from './cluster.ts';

/** A real PDF of about `bytes` (uncompressed text), distinct per `text`. */
export function makePdf(text: string, bytes = 4000): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  // Measured: the PDF without filler is ~1.3 KB, each filler line adds ~216 bytes.
  const filler = 'Nội dung văn bản thử nghiệm liên thông giữa hai hệ thống. ';
  const lines = Math.max(0, Math.round((bytes - 1300) / 216));
  for (let i = 0; i < lines; i++) doc.text(filler);
  doc.end();
  return done;
}

export interface Actors {
  drafter: Client;
  leader: Client;
  clerkA: Client;
  clerkB: Client;
}

export async function signIn(A: Installation, B: Installation): Promise<Actors> {
  const actors = {
    drafter: new Client(A.proc, A.users.drafter!),
    leader: new Client(A.proc, A.users.leader!),
    clerkA: new Client(A.proc, A.users.clerk),
    clerkB: new Client(B.proc, B.users.clerk),
  };
  for (const c of Object.values(actors)) await retrying(c, () => c.login());
  return actors;
}

/** Runs `fn` until it does not throw Unreachable (the server was killed: wait for it to be back). */
export async function retrying<T>(c: Client, fn: () => Promise<T>, giveUpMs = 180_000): Promise<T> {
  const end = Date.now() + giveUpMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof Unreachable) || Date.now() > end) throw e;
      await sleep(c.proc.alive ? 100 : 250);
    }
  }
}

const expectStatus = (what: string, r: { status: number; body: unknown }, ...ok: number[]) => {
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
};

/**
 * One document from draft to issued at A; returns its id. `subject` must be unique in the run:
 * it is how a draft whose creation answer was lost is found again.
 */
export async function issueDocument(
  A: Installation,
  actors: Actors,
  subject: string,
  pdf: Buffer,
  giveUpMs = 300_000,
): Promise<string> {
  const end = Date.now() + giveUpMs;
  const state = async () =>
    (
      await A.pool.query<{ id: string; status: string }>(
        `SELECT id, status FROM documents WHERE agency_id = $1 AND direction = 'outgoing' AND subject = $2
         ORDER BY created_at LIMIT 1`,
        [A.agencyId, subject],
      )
    ).rows[0];
  for (;;) {
    try {
      const d = await state();
      if (d?.status === 'issued') return d.id;
      if (!d) {
        const sha = await actors.drafter.upload('cong-van.pdf', pdf);
        const r = await actors.drafter.json('POST', '/api/documents/outgoing', {
          agencyId: A.agencyId,
          typeId: 'cong_van',
          subject,
          draftingUnit: 'VP',
          recipients: [{ agencyCode: B_CODE, name: B_NAME }],
          reviewerIds: [A.users.leaderId],
          files: [{ sha256: sha, name: 'cong-van.pdf', role: 'main' }],
        });
        expectStatus('create', r, 201);
      } else if (d.status !== 'approved') {
        const r = await actors.leader.json('POST', `/api/documents/${d.id}/review`, {
          decision: 'approved',
          signing: { password: SIGNING_PASSWORD },
        });
        expectStatus('review', r, 204);
      } else {
        const r = await actors.clerkA.json('POST', `/api/documents/${d.id}/issue`, {
          registerId: A.registerId,
          signing: { password: SIGNING_PASSWORD },
        });
        expectStatus('issue', r, 200);
      }
    } catch (e) {
      if (!(e instanceof Unreachable) || Date.now() > end) throw e;
      await sleep(A.proc.alive ? 100 : 250);
    }
  }
}

/** Documents that arrived at B and wait to be registered (read only). */
export async function arrivedAtB(B: Installation, limit = 50): Promise<string[]> {
  const r = await B.pool.query<{ id: string }>(
    `SELECT id FROM documents WHERE agency_id = $1 AND direction = 'incoming' AND status = 'received'
     ORDER BY created_at LIMIT $2`,
    [B.agencyId, limit],
  );
  return r.rows.map((x) => x.id);
}

/**
 * B's clerk registers one arrived document. A second registration (its first answer was lost to
 * a kill) is refused with DOCUMENT_STATE: then the database must show it registered.
 */
export async function registerAtB(B: Installation, clerkB: Client, id: string): Promise<void> {
  const r = await retrying(clerkB, () =>
    clerkB.json('POST', `/api/documents/${id}/register`, { registerId: B.registerId }),
  );
  if (r.status === 409 && r.body?.code === 'DOCUMENT_STATE') {
    const s = await B.pool.query<{ status: string }>('SELECT status FROM documents WHERE id = $1', [id]);
    if (s.rows[0] && s.rows[0].status !== 'received') return;
  }
  expectStatus('register', r, 200);
}

/** Counts in one database. */
export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const r = await pool.query<{ n: string }>(sql, params);
  return Number(r.rows[0]?.n ?? 0);
}
