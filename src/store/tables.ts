// The database schema as Kysely types: timestamps are ISO-8601 UTC text, JSON is text, booleans 0/1.
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  password_hash: string | null;
  is_admin: number;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  kind: string;
  token_hash: string;
  scopes: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  deletion_requested_at: string | null;
  quotas: string;
}

export interface MembershipsTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

export interface NamespacesTable {
  id: string;
  team_id: string;
  name: string;
  created_at: string;
  deletion_requested_at: string | null;
}

export interface KeyPairsTable {
  id: string;
  user_id: string;
  name: string;
  type: string;
  public_key: string;
  fingerprint_sha256: string;
  fingerprint_md5: string;
  created_at: string;
}

export interface ResourcesTable {
  id: string;
  team_id: string;
  namespace_id: string | null;
  kind: string;
  name: string;
  parent_id: string | null;
  labels: string;
  spec: string;
  state: string;
  status: string;
  generation: number;
  resource_version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deletion_requested_at: string | null;
  driver: string;
  /** What it holds against its team's quotas while not deleted (its kind's usage of its spec). */
  usage_cpus: number;
  usage_memory_mib: number;
}

/** The sums of a team's live resources of one kind: kept in each change's transaction (src/store/usage.ts). */
export interface TeamUsageTable {
  team_id: string;
  kind: string;
  resources: number;
  cpus: number;
  memory_mib: number;
}

export interface OperationsTable {
  id: string;
  resource_id: string;
  team_id: string;
  type: string;
  action: string | null;
  generation: number;
  state: string;
  attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResourceLabelsTable {
  resource_id: string;
  key: string;
  value: string;
}

export interface EventsTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  team_id: string | null;
  type: string;
  object_kind: string;
  object_id: string;
  data: string;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface BillingAccountsTable {
  id: string;
  owner_type: string;
  owner_id: string;
  currency: string;
  prepaid: number;
  created_at: string;
}

export interface LedgerEntriesTable {
  id: string;
  account_id: string;
  type: string;
  amount: number;
  reason: string;
  reference: string;
  actor_id: string | null;
  created_at: string;
}

export interface InvoicesTable {
  id: string;
  account_id: string;
  period: string;
  state: string;
  currency: string;
  total: number;
  lines: string;
  finalized_at: string;
  voided_at: string | null;
  voided_by: string | null;
}

export interface PkiAuthorityTable {
  id: string;
  certificate: string;
  /** PKCS#8 PEM, encrypted when pki.keyPassphrase is set. */
  private_key: string;
  created_at: string;
}

export interface PkiCertificatesTable {
  serial: string;
  role: string;
  subject: string;
  user_id: string | null;
  service_id: string | null;
  team_id: string | null;
  issued_by: string | null;
  not_before: string;
  not_after: string;
  revoked_at: string | null;
  certificate: string;
  created_at: string;
}

export interface Krak8sIdsTable {
  oid: string;
  object_id: string;
  /** project (a team), namespace, cluster or application. */
  object_type: string;
  team_id: string;
  /** The name on the krak8s wire when the core object had to be named otherwise. */
  name: string | null;
  /** JSON: krak8s fields the core does not model (an application's username and json_values). */
  extra: string;
  /** Set when krak8s deleted it: the original forgot such objects at once. */
  hidden_at: string | null;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  namespaces: NamespacesTable;
  key_pairs: KeyPairsTable;
  resources: ResourcesTable;
  resource_labels: ResourceLabelsTable;
  team_usage: TeamUsageTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  operations: OperationsTable;
  krak8s_ids: Krak8sIdsTable;
  pki_authority: PkiAuthorityTable;
  pki_certificates: PkiCertificatesTable;
  billing_accounts: BillingAccountsTable;
  ledger_entries: LedgerEntriesTable;
  invoices: InvoicesTable;
}
