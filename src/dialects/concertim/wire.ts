// The Concertim wire shapes: one TypeBox declaration per body and answer, for the checks and /openapi.json.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Email } from '../../identity/models.ts';
import { KeyPairName } from '../../keypairs/models.ts';

/** OpenStackAuth.AUTHENTICATION_MAPPING: the keys Concertim may send and the session parameter each sets. */
export const cloudEnvParameters = {
  auth_url: 'auth_url',
  admin_user_id: 'user_id',
  user_id: 'user_id',
  admin_username: 'username',
  username: 'username',
  admin_user_password: 'password',
  password: 'password',
  admin_project_id: 'project_id',
  project_id: 'project_id',
  admin_project_name: 'project_name',
  admin_tenant_id: 'tenant_id',
  admin_tenant_name: 'tenant_name',
  user_domain_name: 'user_domain_name',
  project_domain_name: 'project_domain_name',
} as const;

export const CloudEnv = Type.Object(
  Object.fromEntries(Object.keys(cloudEnvParameters).map((key) => [key, Type.Optional(Type.String())])),
  {
    description:
      'Keystone-style credentials: a cloudplane user (user_id: its id or username) and password. Concertim sends {auth_url, user_id, password, project_id}; auth_url and project_id are required but not used.',
  },
);
export type CloudEnv = Static<typeof CloudEnv>;
export const CloudEnvBody = Type.Object({ cloud_env: CloudEnv });

// Concertim's own rules (app/models/user.rb, team.rb, Devise's password_length), wider than the native API's.
const Login = Type.String({
  pattern: '^[A-Za-z0-9._-]{1,80}$',
  description: "Concertim's login: 1-80 letters, digits, . _ -",
});
const ConcertimTeamName = Type.String({
  pattern: '^(?=.*[^ ])[A-Za-z0-9_ -]{1,56}$',
  description: "Concertim's team name: 1-56 letters, digits, space _ -, not only spaces",
});
const ConcertimPassword = Type.String({
  minLength: 6,
  maxLength: 128,
  description: "Concertim's (Devise's) 6 to 128 characters",
});

/** The error body of handle_exception; the traceback is left empty: internals stay in the log. */
const ErrorBody = Type.Object({
  success: Type.Literal(false),
  error: Type.String({ description: 'the exception class, e.g. MissingRequiredArgument' }),
  message: Type.String({ description: 'what Concertim shows its user' }),
  traceback: Type.String({ description: 'always empty' }),
});

/** Every success is a 201 (GET and DELETE too), and every error has the same body. */
export const responses = (success: TSchema) => ({ 201: success, '4xx': ErrorBody, '5xx': ErrorBody });

export const Success = Type.Object({ success: Type.Boolean() });

// /user
export const CreateUserBody = Type.Object({
  cloud_env: CloudEnv,
  username: Login,
  name: Type.String({ description: 'required by Concertim, not stored' }),
  email: Email,
  password: ConcertimPassword,
});
export const CreatedUser = Type.Object({
  success: Type.Boolean(),
  username: Type.String(),
  user_cloud_id: Type.String(),
});
export const DeleteUserBody = Type.Object({
  cloud_env: CloudEnv,
  user_info: Type.Object({ cloud_user_id: Type.String({ description: 'the user id /user returned' }) }),
});
export const ChangeUserBody = Type.Object({
  cloud_env: CloudEnv,
  user_info: Type.Object({
    cloud_user_id: Type.String(),
    new_data: Type.Object({ email: Type.Optional(Email), password: Type.Optional(ConcertimPassword) }),
  }),
});
export const ChangedUser = Type.Object({ success: Type.Boolean(), updated: Type.Array(Type.Array(Type.String())) });

// /team and /team_role
const projectId = Type.String({ description: 'the team id /team returned' });
const userId = Type.String({ description: 'the user id /user returned' });
export const CreateTeamBody = Type.Object({ cloud_env: CloudEnv, name: ConcertimTeamName });
export const CreatedTeam = Type.Object({
  success: Type.Boolean(),
  project_id: Type.String(),
  billing_acct_id: Type.String(),
});
export const DeleteTeamBody = Type.Object({
  cloud_env: CloudEnv,
  team_info: Type.Object({
    project_id: projectId,
    billing_acct_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
});
export const TeamRoleBody = Type.Object({
  cloud_env: CloudEnv,
  team_role: Type.Object({
    project_id: projectId,
    user_id: userId,
    role: Type.String({ description: 'admin, member or watcher' }),
  }),
});
export const ChangeTeamRoleBody = Type.Object({
  cloud_env: CloudEnv,
  team_role: Type.Object({
    project_id: projectId,
    user_id: userId,
    current_role: Type.String(),
    new_role: Type.String({ description: 'admin, member or watcher' }),
  }),
});

// /key_pairs
const NovaKeyPair = Type.Object({
  id: Type.String(),
  name: Type.String(),
  public_key: Type.String(),
  fingerprint: Type.String(),
});
export const CreateKeyPairBody = Type.Object({
  cloud_env: CloudEnv,
  key_pair: Type.Object({
    name: KeyPairName,
    key_type: Type.Optional(Type.String({ description: 'ssh or x509: ignored, as the original ignored it' })),
    public_key: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'an OpenSSH public key to import; absent or null: generate an ed25519 key',
      }),
    ),
  }),
});
export const CreatedKeyPair = Type.Object({
  success: Type.Boolean(),
  key_pair: Type.Composite([NovaKeyPair, Type.Object({ private_key: Type.Union([Type.String(), Type.Null()]) })]),
});
export const KeyPairList = Type.Object({ success: Type.Boolean(), key_pairs: Type.Array(NovaKeyPair) });
export const DeleteKeyPairBody = Type.Object({ cloud_env: CloudEnv, keypair_name: Type.String() });
export const DeletedKeyPair = Type.Object({ success: Type.Boolean(), key_pair_name: Type.String() });

// /update_status
export const UpdateStatusParams = Type.Object({
  type: Type.String(),
  id: Type.String({ description: 'the server or stack id' }),
});
export const UpdateStatusBody = Type.Object({ cloud_env: CloudEnv, action: Type.String() });
export const StatusChanged = Type.Object({
  cloud_response: Type.Object({
    submitted: Type.Boolean(),
    request_ids: Type.Array(Type.String()),
    attempt: Type.Optional(Type.Object({})),
  }),
});

// Invoices and credits
const billingAcctId = Type.String({ description: 'the billing_acct_id /team returned' });
const count = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })], {
  description: 'a whole number up to 2^53-1, or a string of digits',
});
const KillbillInvoice = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'a Killbill invoice: account_id, amount, balance, credit_adj, currency, invoice_date, invoice_id, invoice_number, items, status, ...',
});
export const DraftInvoiceBody = Type.Object({
  invoice: Type.Object({
    billing_acct_id: billingAcctId,
    target_date: Type.Optional(
      Type.String({
        description:
          "YYYY-MM-DD: the invoice of its month (a past month's, or the current draft for this month or later)",
      }),
    ),
  }),
});
export const DraftInvoice = Type.Object({ success: Type.Boolean(), draft_invoice: KillbillInvoice });
export const ListInvoicesBody = Type.Object({
  invoices: Type.Object({ billing_acct_id: billingAcctId, offset: Type.Optional(count), limit: Type.Optional(count) }),
});
export const InvoicePage = Type.Object({
  success: Type.Boolean(),
  total_invoices: Type.String(),
  invoices: Type.Array(KillbillInvoice),
});
export const AccountInvoiceBody = Type.Object({
  invoice: Type.Object({
    billing_acct_id: billingAcctId,
    invoice_id: Type.String({ description: 'an invoice_id from the list, or a month (YYYY-MM)' }),
  }),
});
export const AccountInvoice = Type.Object({ success: Type.Boolean(), invoice: KillbillInvoice });
export const AddCreditsBody = Type.Object({
  credits: Type.Object({
    billing_acct_id: billingAcctId,
    // Concertim sends its form's text ("12.50"); the original took float() of either.
    amount: Type.Union([Type.Number(), Type.String({ pattern: '^[0-9]*\\.?[0-9]+$' })], {
      description: 'major units above 0: a number, or a decimal string',
    }),
  }),
});
export const GetCreditsBody = Type.Object({
  credits: Type.Object({
    billing_account_id: Type.String({ description: 'billing_account_id here, as the original named it' }),
  }),
});
export const Credits = Type.Object({ success: Type.Boolean(), credits: Type.Number() });

// Orders (not supported)
export const CreateOrderBody = Type.Object({ order: Type.Object({ billing_account_id: Type.String() }) });
export const DeleteOrderBody = Type.Object({ order: Type.Object({ order_id: Type.String() }) });
export const AddOrderTagBody = Type.Object({
  tag: Type.Object({ order_id: Type.String(), tag_name: Type.String(), tag_value: Type.String() }),
});
export const Order = Type.Object({ success: Type.Boolean(), order: Type.String() });
export const OrderTag = Type.Object({ success: Type.Boolean(), tag: Type.String() });

// Limits, quotas and statistics
export const TeamLimits = Type.Object({
  success: Type.Boolean(),
  limits: Type.Record(Type.String(), Type.Integer(), {
    description: 'maxTotalCores, maxTotalRAMSize (MiB), maxTotalInstances, totalCoresUsed, ...; -1 is no limit',
  }),
});
export const QuotasParams = Type.Object({ team_project_id: Type.String() });
export const TeamQuotas = Type.Object({
  success: Type.Boolean(),
  quotas: Type.Record(Type.String(), Type.Union([Type.Integer(), Type.String()]), {
    description: 'id (the team), cores, ram (MiB), instances, stacks, ...; -1 is no limit',
  }),
});
const unknownTotal = Type.Union([Type.Number(), Type.Null()], {
  description: 'null: cloudplane keeps no inventory of host capacity',
});
export const CloudStatistics = Type.Object({
  success: Type.Boolean(),
  stats: Type.Object({
    total_vcpus: unknownTotal,
    used_vcpus: Type.Integer(),
    total_disk_space: unknownTotal,
    used_disk_space: Type.Number({ description: 'GiB' }),
    total_ram: unknownTotal,
    used_ram: Type.Number({ description: 'GiB' }),
    running_vms: Type.Integer(),
  }),
});
