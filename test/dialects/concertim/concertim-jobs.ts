// Concertim's job runners (openflighthpc/concertim-ct-visualisation-app @05740c76, app/jobs/*.rb) as data: each
// Runner's method, path and body exactly as it builds them, and what its Result reads from the answer.
import type { Response } from '../../support/server.ts';
import type { ConcertimServer } from './concertim-client.ts';

/** CloudServiceConfig: the "Cloud Environment" page (app/models/cloud_service_config.rb). */
export interface CloudServiceConfig {
  internalAuthUrl: string;
  adminUserId: string;
  adminForeignPassword: string;
  adminProjectId: string;
}

/** The User fields the jobs read (app/models/user.rb): login, name, email and the passwords kept for the cloud. */
export interface ConcertimUser {
  login: string;
  name: string;
  email: string;
  foreignPassword: string;
  pendingForeignPassword?: string;
  cloudUserId?: string;
  root?: boolean;
}

export interface ConcertimTeam {
  name: string;
  projectId?: string;
  billingAcctId?: string;
}

export interface JobCall {
  job: string;
  method: string;
  path: string;
  body?: unknown;
}

const adminCloudEnv = (config: CloudServiceConfig) => ({
  auth_url: config.internalAuthUrl,
  user_id: config.adminUserId,
  password: config.adminForeignPassword,
  project_id: config.adminProjectId,
});
const userCloudEnv = (config: CloudServiceConfig, user: ConcertimUser, projectId: string | undefined) => ({
  auth_url: config.internalAuthUrl,
  user_id: user.cloudUserId,
  password: user.foreignPassword,
  project_id: projectId,
});

export const jobs = {
  /** user_signup_job.rb Runner#body */
  userSignup: (config: CloudServiceConfig, user: ConcertimUser): JobCall => ({
    job: 'UserSignupJob',
    method: 'POST',
    path: '/user',
    body: {
      cloud_env: adminCloudEnv(config),
      username: user.login,
      name: user.name,
      password: user.foreignPassword,
      email: user.email,
    },
  }),
  /** user_update_job.rb: new_data holds only what changed; the new password is the pending one. */
  userUpdate: (
    config: CloudServiceConfig,
    user: ConcertimUser,
    changes: { email?: boolean; password?: boolean },
  ): JobCall => ({
    job: 'UserUpdateJob',
    method: 'PATCH',
    path: '/user',
    body: {
      cloud_env: adminCloudEnv(config),
      user_info: {
        cloud_user_id: user.cloudUserId,
        new_data: {
          ...(changes.email && { email: user.email }),
          ...(changes.password && { password: user.pendingForeignPassword }),
        },
      },
    },
  }),
  /** user_deletion_job.rb */
  userDeletion: (config: CloudServiceConfig, user: ConcertimUser): JobCall => ({
    job: 'UserDeletionJob',
    method: 'DELETE',
    path: '/user',
    body: { cloud_env: adminCloudEnv(config), user_info: { cloud_user_id: user.cloudUserId } },
  }),
  /** create_team_job.rb (and create_team_then_role_job.rb): the ids the team already has ride along. */
  createTeam: (config: CloudServiceConfig, team: ConcertimTeam): JobCall => ({
    job: 'CreateTeamJob',
    method: 'POST',
    path: '/team',
    body: {
      cloud_env: adminCloudEnv(config),
      name: team.name,
      ...(team.projectId && { project_id: team.projectId }),
      ...(team.billingAcctId && { billing_acct_id: team.billingAcctId }),
    },
  }),
  /** delete_team_job.rb */
  deleteTeam: (config: CloudServiceConfig, team: ConcertimTeam): JobCall => ({
    job: 'DeleteTeamJob',
    method: 'DELETE',
    path: '/team',
    body: {
      cloud_env: adminCloudEnv(config),
      team_info: { billing_acct_id: team.billingAcctId ?? null, project_id: team.projectId ?? null },
    },
  }),
  /** create_team_role_job.rb */
  createTeamRole: (config: CloudServiceConfig, team: ConcertimTeam, user: ConcertimUser, role: string): JobCall => ({
    job: 'CreateTeamRoleJob',
    method: 'POST',
    path: '/team_role',
    body: {
      cloud_env: adminCloudEnv(config),
      team_role: { role, project_id: team.projectId, user_id: user.cloudUserId },
    },
  }),
  /** update_team_role_job.rb */
  updateTeamRole: (
    config: CloudServiceConfig,
    team: ConcertimTeam,
    user: ConcertimUser,
    currentRole: string,
    newRole: string,
  ): JobCall => ({
    job: 'UpdateTeamRoleJob',
    method: 'PATCH',
    path: '/team_role',
    body: {
      cloud_env: adminCloudEnv(config),
      team_role: {
        current_role: currentRole,
        new_role: newRole,
        project_id: team.projectId,
        user_id: user.cloudUserId,
      },
    },
  }),
  /** delete_team_role_job.rb */
  deleteTeamRole: (config: CloudServiceConfig, team: ConcertimTeam, user: ConcertimUser, role: string): JobCall => ({
    job: 'DeleteTeamRoleJob',
    method: 'DELETE',
    path: '/team_role',
    body: {
      cloud_env: adminCloudEnv(config),
      team_role: { role, project_id: team.projectId, user_id: user.cloudUserId },
    },
  }),
  /** create_key_pair_job.rb: the user's own credentials and the team's project; public_key is null when blank. */
  createKeyPair: (
    config: CloudServiceConfig,
    user: ConcertimUser,
    projectId: string,
    keyPair: { name: string; keyType: string; publicKey: string | null },
  ): JobCall => ({
    job: 'CreateKeyPairJob',
    method: 'POST',
    path: '/key_pairs',
    body: {
      cloud_env: userCloudEnv(config, user, projectId),
      key_pair: { name: keyPair.name, key_type: keyPair.keyType, public_key: keyPair.publicKey },
    },
  }),
  /** get_user_key_pairs_job.rb: a GET with a JSON body. */
  getUserKeyPairs: (config: CloudServiceConfig, user: ConcertimUser, projectId: string): JobCall => ({
    job: 'GetUserKeyPairsJob',
    method: 'GET',
    path: '/key_pairs',
    body: { cloud_env: userCloudEnv(config, user, projectId) },
  }),
  /** delete_key_pair_job.rb */
  deleteKeyPair: (config: CloudServiceConfig, user: ConcertimUser, projectId: string, name: string): JobCall => ({
    job: 'DeleteKeyPairJob',
    method: 'DELETE',
    path: '/key_pairs',
    body: { cloud_env: userCloudEnv(config, user, projectId), keypair_name: name },
  }),
  /** request_status_change_job.rb: a root user acts with the admin credentials and project. */
  requestStatusChange: (
    config: CloudServiceConfig,
    user: ConcertimUser,
    rackProjectId: string,
    type: string,
    openstackId: string,
    action: string,
  ): JobCall => ({
    job: 'RequestStatusChangeJob',
    method: 'POST',
    path: `/update_status/${type}/${openstackId}`,
    body: { cloud_env: user.root ? adminCloudEnv(config) : userCloudEnv(config, user, rackProjectId), action },
  }),
  /** get_team_limits_job.rb: a GET with a JSON body; a root user's are the admin credentials, on the team's project. */
  getTeamLimits: (config: CloudServiceConfig, team: ConcertimTeam, user: ConcertimUser): JobCall => ({
    job: 'GetTeamLimitsJob',
    method: 'GET',
    path: '/team/limits',
    body: {
      cloud_env: {
        ...(user.root ? adminCloudEnv(config) : userCloudEnv(config, user, undefined)),
        project_id: team.projectId,
      },
    },
  }),
  /** get_cloud_stats_job.rb: no body at all. */
  getCloudStats: (): JobCall => ({ job: 'GetCloudStatsJob', method: 'GET', path: '/statistics' }),
  /** get_draft_invoice_job.rb: target_date is today's date. */
  getDraftInvoice: (team: ConcertimTeam): JobCall => ({
    job: 'GetDraftInvoiceJob',
    method: 'POST',
    path: '/get_draft_invoice',
    body: { invoice: { billing_acct_id: team.billingAcctId, target_date: new Date().toISOString().slice(0, 10) } },
  }),
  /** get_invoices_job.rb: offset and limit are Pagy's integers. */
  getInvoices: (team: ConcertimTeam, offset: number, limit: number): JobCall => ({
    job: 'GetInvoicesJob',
    method: 'POST',
    path: '/list_paginated_invoices',
    body: { invoices: { billing_acct_id: team.billingAcctId, offset, limit } },
  }),
  /** get_invoice_job.rb: the id comes from the invoice page's URL. */
  getInvoice: (team: ConcertimTeam, invoiceId: string): JobCall => ({
    job: 'GetInvoiceJob',
    method: 'POST',
    path: '/get_account_invoice',
    body: { invoice: { billing_acct_id: team.billingAcctId, invoice_id: invoiceId } },
  }),
  /** create_credit_deposit_job.rb: the amount is what the form posted, a string (credit_deposits_controller.rb). */
  createCreditDeposit: (team: ConcertimTeam, amount: string | number): JobCall => ({
    job: 'CreateCreditDepositJob',
    method: 'POST',
    path: '/credits',
    body: { credits: { billing_acct_id: team.billingAcctId, amount } },
  }),
};

export interface JobOutcome {
  response: Response;
  /** `response.success?` after `f.response :raise_error`: any 2xx (redirects are followed). */
  success: boolean;
  /** Faraday::Error#message, as every job shows it: the status alone. */
  faradayMessage: string;
  /** What the key pair, team role and status jobs show: the JSON body's `message` when the answer is JSON. */
  shownMessage: string;
}

export async function runJob(server: ConcertimServer, call: JobCall): Promise<JobOutcome> {
  const response = await server.concertim(call.method, call.path, call.body);
  const faradayMessage = `the server responded with status ${response.status}`;
  const json = (response.headers.get('content-type') ?? '').includes('application/json');
  const shownMessage = json && typeof response.body?.message === 'string' ? response.body.message : faradayMessage;
  return { response, success: response.status >= 200 && response.status < 300, faradayMessage, shownMessage };
}

const numeric = (value: unknown) =>
  value !== null && value !== undefined && value !== '' && Number.isFinite(Number(value));
const present = (value: unknown) => value !== null && value !== undefined && value !== '';

/**
 * invoice_base_job.rb#parse_invoice and the Invoice model's validations: each attribute as snake_case or camelCase,
 * the team found by account id, items built by type (a missing type fails the parse, unknown ones are skipped).
 */
export function parseInvoice(
  data: Record<string, any>,
  billingAcctIds: string[],
): { errors: string[]; itemTypes: string[] } {
  const read = (snake: string) => data[snake] ?? data[snake.replace(/_(.)/g, (_, c: string) => c.toUpperCase())];
  const errors: string[] = [];
  if (!billingAcctIds.includes(read('account_id'))) errors.push('account must exist');
  for (const field of ['amount', 'balance', 'credit_adj', 'refund_adj'])
    if (!numeric(read(field) ?? 0)) errors.push(`${field} is not a number`);
  for (const field of ['currency', 'invoice_date', 'invoice_id'])
    if (!present(read(field))) errors.push(`${field} can't be blank`);
  if (present(read('invoice_date')) && Number.isNaN(Date.parse(read('invoice_date'))))
    errors.push('invoice_date is not a date');
  const items = data.items;
  const entries: [string, any][] = Array.isArray(items)
    ? items.map((item, index) => [String(index), item])
    : Object.entries(items ?? {});
  if (items === null || items === undefined) errors.push("undefined method `each' for nil");
  const itemTypes: string[] = [];
  for (const [, item] of entries) {
    if (typeof item?.type !== 'string') errors.push("undefined method `capitalize' for nil");
    else if (['cost', 'credits'].includes(item.type)) itemTypes.push(item.type);
  }
  return { errors, itemTypes };
}

/** get_cloud_stats_job.rb#format_response: what the statistics page prints. */
export function formatStatistics(data: Record<string, number | null>) {
  const ceil1 = (value: number | null) => (value === null ? '' : String(Math.ceil(value * 10) / 10));
  return {
    'Allocated / Total VCPUs': `${data.used_vcpus} / ${data.total_vcpus ?? ''}`,
    'Allocated / Total Disk Space': `${ceil1(data.used_disk_space)} / ${ceil1(data.total_disk_space)}GB`,
    'Allocated / Total RAM': `${ceil1(data.used_ram)} / ${ceil1(data.total_ram)}GB`,
    'Virtual Machines': `${data.running_vms}`,
  };
}
