import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, MigrationChecksumError, migrate } from '../src/db/migrate.ts';
import { createDb, type Db } from '../src/db/pool.ts';
import type { Database } from '../src/db/schema.ts';
import { freshDatabase } from './helpers.ts';

let db: Db;
let pool: pg.Pool;
beforeAll(async () => {
  const { url } = await freshDatabase();
  ({ db, pool } = createDb(url, 2));
});
afterAll(async () => db.destroy());

describe('migration runner', () => {
  it('is idempotent on a migrated database', async () => {
    expect(await migrate(pool)).toEqual([]);
  });

  it('refuses to start when an applied file has changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    fs.appendFileSync(path.join(dir, '0001_extensions.sql'), '\n-- edited after the fact\n');
    await expect(migrate(pool, dir)).rejects.toThrow(MigrationChecksumError);
    await expect(migrate(pool, dir)).rejects.toThrow(/0001_extensions.sql was changed/);
  });

  it('applies a new file once and records it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, '9999_probe.sql'), 'CREATE TABLE probe (id int);');
    expect(await migrate(pool, dir)).toEqual(['9999_probe.sql']);
    expect(await migrate(pool, dir)).toEqual([]);
  });
});

describe('database conventions', () => {
  it('parses date as YYYY-MM-DD, int8 as string, timestamptz as Date', async () => {
    const r = await sql<{
      d: unknown;
      n: unknown;
      t: unknown;
    }>`SELECT '2026-04-27'::date AS d, 9007199254740993::int8 AS n, now() AS t`.execute(db);
    expect(r.rows[0]).toMatchObject({ d: '2026-04-27', n: '9007199254740993' });
    expect(r.rows[0]!.t).toBeInstanceOf(Date);
  });

  it('folds Vietnamese diacritics and đ in the IMMUTABLE search key', async () => {
    const r = await sql<{ k: string }>`SELECT f_search_key('Ủy ban Nhân dân tỉnh Đắk Lắk') AS k`.execute(db);
    expect(r.rows[0]!.k).toBe('uy ban nhan dan tinh dak lak');
  });

  it('the Kysely table types match the migrated schema', async () => {
    const cols = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'probe' ORDER BY table_name, ordinal_position`.execute(
      db,
    );
    const actual: Record<string, string[]> = {};
    for (const c of cols.rows) {
      actual[c.table_name] ??= [];
      actual[c.table_name]!.push(c.column_name);
    }
    // The compile-time interface, spelled out as a runtime sample of keys.
    const declared: { [T in keyof Database]: (keyof Database[T])[] } = {
      agencies: [
        'id',
        'code',
        'legacy_code',
        'name',
        'short_name',
        'sort_key',
        'kind',
        'parent_id',
        'valid_from',
        'valid_to',
        'successor_id',
        'created_at',
        'updated_at',
      ],
      agency_reorganisations: [
        'id',
        'kind',
        'effective_date',
        'source_ids',
        'target_ids',
        'note',
        'created_by',
        'created_at',
      ],
      departments: ['id', 'agency_id', 'name', 'sort_key', 'code', 'valid_from', 'valid_to', 'created_at'],
      positions: ['id', 'name', 'rank'],
      officials: [
        'id',
        'username',
        'full_name',
        'sort_key',
        'email',
        'phone',
        'password_hash',
        'is_active',
        'totp_secret',
        'totp_enabled',
        'failed_logins',
        'locked_until',
        'password_changed_at',
        'created_at',
        'updated_at',
      ],
      official_roles: ['official_id', 'role', 'agency_id'],
      memberships: ['official_id', 'department_id', 'position_id', 'is_primary'],
      delegations: [
        'id',
        'from_official_id',
        'to_official_id',
        'roles',
        'starts_at',
        'ends_at',
        'reason',
        'revoked_at',
        'created_by',
        'created_at',
      ],
      sessions: ['id', 'official_id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'],
      api_tokens: [
        'id',
        'name',
        'secret_hash',
        'permissions',
        'created_by',
        'created_at',
        'last_used_at',
        'revoked_at',
      ],
      audit_log: [
        'id',
        'at',
        'actor_id',
        'on_behalf_of_id',
        'token_id',
        'action',
        'entity_type',
        'entity_id',
        'summary',
        'ip',
        'prev_hash',
        'hash',
      ],
      blobs: ['sha256', 'size', 'mime', 'created_at'],
      blob_uploaders: ['sha256', 'official_id', 'uploaded_at'],
      holiday_notices: ['id', 'date', 'kind', 'name', 'legal_ref', 'created_at'],
      document_types: ['id', 'name', 'abbreviation', 'sort_order', 'valid_from', 'valid_to', 'legal_basis'],
      registers: ['id', 'agency_id', 'kind', 'secret', 'code', 'name', 'created_at'],
      register_counters: ['register_id', 'year', 'last_number'],
      documents: [
        'id',
        'agency_id',
        'direction',
        'channel',
        'type_id',
        'number',
        'notation',
        'issued_on',
        'place',
        'issuer_name',
        'issuer_agency_id',
        'subject',
        'signer_competence',
        'signer_position',
        'signer_name',
        'urgency',
        'secrecy',
        'page_count',
        'due_on',
        'status',
        'created_by',
        'created_at',
        'updated_at',
        'search_text',
        'drafting_unit',
        'typist_initials',
        'source_document_id',
        'reply_to_id',
        'agency_signature',
        'validity',
        'validity_reason',
        'validity_changed_at',
        'replaced_by_id',
      ],
      register_entries: [
        'id',
        'register_id',
        'year',
        'number',
        'document_id',
        'registered_at',
        'registered_by',
        'idempotency_key',
      ],
      document_files: ['document_id', 'sha256', 'name', 'role', 'position', 'added_by', 'added_at'],
      document_events: ['id', 'document_id', 'kind', 'actor_id', 'at', 'data'],
      document_assignments: [
        'id',
        'document_id',
        'parent_id',
        'assigner_id',
        'role',
        'assignee_official_id',
        'assignee_department_id',
        'instruction',
        'deadline',
        'status',
        'result',
        'created_at',
        'updated_at',
      ],
      document_approvals: [
        'id',
        'document_id',
        'round',
        'step',
        'reviewer_id',
        'decision',
        'comment',
        'decided_at',
        'added_by',
        'signature',
      ],
      document_recipients: [
        'document_id',
        'position',
        'agency_id',
        'name',
        'delivered_document_id',
        'agency_code',
      ],
      retention_classes: [
        'code',
        'label',
        'years',
        'deposit_required',
        'sort_order',
        'valid_from',
        'valid_to',
        'legal_basis',
      ],
      file_lists: [
        'id',
        'agency_id',
        'year',
        'status',
        'approved_by',
        'approved_at',
        'created_by',
        'created_at',
      ],
      file_list_items: [
        'id',
        'list_id',
        'section',
        'code',
        'title',
        'retention_code',
        'department_id',
        'official_id',
        'note',
        'created_at',
      ],
      work_files: [
        'id',
        'agency_id',
        'list_item_id',
        'year',
        'code',
        'title',
        'retention_code',
        'department_id',
        'owner_id',
        'status',
        'opened_on',
        'closed_on',
        'closing_note',
        'deposited_on',
        'deposited_by',
        'created_by',
        'created_at',
        'updated_at',
      ],
      work_file_documents: ['file_id', 'document_id', 'added_by', 'added_at'],
      work_file_notes: ['id', 'file_id', 'body', 'author_id', 'idempotency_key', 'created_at'],
      outbox: [
        'id',
        'topic',
        'payload',
        'dedupe_key',
        'status',
        'attempts',
        'next_attempt_at',
        'sent_at',
        'last_error',
        'created_at',
      ],
      notifications: [
        'id',
        'recipient_id',
        'kind',
        'title',
        'body',
        'link',
        'document_id',
        'dedupe_key',
        'created_at',
        'read_at',
      ],
      document_opinions: [
        'id',
        'document_id',
        'assignment_id',
        'author_id',
        'content',
        'idempotency_key',
        'created_at',
      ],
      document_opinion_files: ['opinion_id', 'position', 'sha256', 'name'],
      document_assignment_forwards: [
        'id',
        'assignment_id',
        'from_official_id',
        'from_department_id',
        'to_official_id',
        'to_department_id',
        'note',
        'forwarded_by',
        'forwarded_at',
      ],
      document_versions: ['document_id', 'version', 'sha256', 'name', 'note', 'uploaded_by', 'uploaded_at'],
      trust_anchors: [
        'id',
        'name',
        'certificate',
        'fingerprint_sha256',
        'subject',
        'serial_number',
        'not_before',
        'not_after',
        'added_by',
        'added_at',
        'removed_by',
        'removed_at',
      ],
      document_signature_checks: [
        'id',
        'document_id',
        'sha256',
        'verified_at',
        'signature_count',
        'valid',
        'trusted',
        'report',
        'report_text',
      ],
      signing_credentials: [
        'id',
        'official_id',
        'agency_id',
        'kind',
        'certificate',
        'chain',
        'pkcs12',
        'subject',
        'issuer',
        'serial_number',
        'fingerprint_sha256',
        'not_before',
        'not_after',
        'image_sha256',
        'seal_diameter_mm',
        'added_by',
        'added_at',
        'removed_by',
        'removed_at',
      ],
      exchange_directory: ['code', 'legacy_code', 'name', 'parent_code', 'synced_at'],
      exchange_outbound: [
        'id',
        'document_id',
        'kind',
        'business_type',
        'status_code',
        'from_code',
        'recipients',
        'edxml_document_id',
        'replaces_edxml_id',
        'state',
        'hub_message_id',
        'attempts',
        'last_error',
        'created_at',
        'sent_at',
        'description',
        'update_fields',
        'regarding',
      ],
      exchange_inbound: [
        'hub_message_id',
        'kind',
        'recipient_code',
        'from_code',
        'edxml_document_id',
        'business_type',
        'status_code',
        'document_id',
        'outcome',
        'detail',
        'warnings',
        'xml_signature',
        'xml_signer',
        'xml_trusted',
        'received_at',
        'xml_revocation',
        'xml_revocation_detail',
      ],
      exchange_timeline: [
        'document_id',
        'agency_code',
        'event',
        'at',
        'description',
        'staff',
        'hub_message_id',
        'recorded_at',
        'regarding',
      ],
      schema_migrations: ['name', 'checksum', 'applied_at'],
    };
    for (const [table, columns] of Object.entries(declared)) {
      expect(actual[table]?.slice().sort(), table).toEqual((columns as string[]).slice().sort());
    }
    expect(Object.keys(actual).sort()).toEqual(Object.keys(declared).sort());
  });

  it('every table has a comment', async () => {
    const r = await sql<{ t: string }>`
      SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND obj_description(c.oid) IS NULL
        AND c.relname NOT IN ('schema_migrations', 'probe')`.execute(db);
    expect(r.rows.map((x) => x.t)).toEqual([]);
  });
});
