/**
 * Kysely table types of the hub's own database (migrations/*.sql in this folder). Written by hand
 * like db/schema.ts; test/hub.test.ts compares them with information_schema.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface HubAgenciesTable {
  code: string;
  legacy_code: string | null;
  name: string;
  parent_code: string | null;
  email: string | null;
  phone: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface HubSystemsTable {
  id: string;
  name: string;
  secret: string;
  callback_url: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface HubSystemAgenciesTable {
  system_id: string;
  agency_code: string;
}
export type MessageKind = 'edoc' | 'status';
export interface HubMessagesTable {
  id: string;
  sender_system: string;
  from_code: string;
  kind: MessageKind;
  message_key: string;
  document_id: string;
  business_type: number | null;
  status_code: string | null;
  body: Buffer;
  size: number;
  sha256: string;
  created_at: Timestamp;
}
export type DeliveryState = 'pending' | 'done' | 'fail';
export interface HubDeliveriesTable {
  message_id: string;
  recipient_code: string;
  kind: MessageKind;
  state: Generated<DeliveryState>;
  fetched_count: Generated<number>;
  first_fetched_at: Timestamp | null;
  acked_at: Timestamp | null;
  ack_reason: string | null;
}
export interface HubNoncesTable {
  system_id: string;
  nonce: string;
  seen_at: Timestamp;
}
export interface HubPushAttemptsTable {
  id: Generated<string>;
  message_id: string;
  system_id: string;
  attempt: number;
  at: Timestamp;
  http_status: number | null;
  error: string | null;
}
export interface HubAdminLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string | null;
  summary: ColumnType<Record<string, unknown>, string, never>;
}
export interface HubSchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface HubDatabase {
  hub_agencies: HubAgenciesTable;
  hub_systems: HubSystemsTable;
  hub_system_agencies: HubSystemAgenciesTable;
  hub_messages: HubMessagesTable;
  hub_deliveries: HubDeliveriesTable;
  hub_nonces: HubNoncesTable;
  hub_push_attempts: HubPushAttemptsTable;
  hub_admin_log: HubAdminLogTable;
  schema_migrations: HubSchemaMigrationsTable;
}

export type HubDb = Kysely<HubDatabase>;
