// The configuration schema: one declaration gives the defaults, the validation and the type.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/** The drivers a deployment can choose between; each kind names its default. */
export const driverNames = ['local', 'external', 'slurm'] as const;
export type DriverName = (typeof driverNames)[number];

/** One service type of the local driver's catalogue; placeholders are filled in per service (see catalogue.ts). */
export const CatalogueEntrySchema = Type.Object(
  {
    command: Type.Array(Type.String(), { minItems: 1, description: 'the long-running process' }),
    description: Type.Optional(Type.String()),
    requires: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'programs that must be on the PATH; a type missing one is not offered',
      }),
    ),
    prepare: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        description: 'run to completion before each launch (so it must be idempotent): initialise data, credentials',
      }),
    ),
    ready: Type.Optional(
      Type.Union(
        [
          Type.Object({ http: Type.String({ pattern: '^/' }) }, strict),
          Type.Object({ tcp: Type.Literal(true) }, strict),
          Type.Object({ command: Type.Array(Type.String(), { minItems: 1 }) }, strict),
        ],
        {
          description:
            'when the service answers: HTTP 200 on this path, a TCP connection, or this command exiting 0; none: once running',
        },
      ),
    ),
    credentials: Type.Optional(
      Type.String({
        description: 'the file (under {private}) its prepare step writes credentials to, named in status',
      }),
    ),
  },
  strict,
);

export const ConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1048576 }),
      },
      { ...strict, default: {} },
    ),
    database: Type.Object(
      {
        url: Type.String({ default: '', description: 'postgres://... selects PostgreSQL; empty means SQLite' }),
        sqlitePath: Type.String({ default: './data/cloudplane.db' }),
        poolSize: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
      },
      { ...strict, default: {} },
    ),
    bootstrap: Type.Object(
      {
        adminUsername: Type.String({ minLength: 1, default: 'admin' }),
        adminPassword: Type.String({ default: '', description: 'empty: generate one and print it once' }),
        adminEmail: Type.String({ default: 'admin@localhost' }),
      },
      { ...strict, default: {} },
    ),
    auth: Type.Object(
      {
        loginTokenTtlSeconds: Type.Integer({ minimum: 60, default: 86400 }),
        maxTokenTtlSeconds: Type.Integer({ minimum: 60, default: 31536000 }),
      },
      { ...strict, default: {} },
    ),
    api: Type.Object(
      {
        defaultPageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
        maxPageSize: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
        eventHeartbeatSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 15,
          description: 'how often a change-feed stream sends a heartbeat and checks its token again',
        }),
      },
      { ...strict, default: {} },
    ),
    engine: Type.Object(
      {
        workers: Type.Integer({
          minimum: 0,
          maximum: 64,
          default: 2,
          description: 'operations run at once by this process; 0: an API-only process',
        }),
        leaseSeconds: Type.Integer({ minimum: 2, maximum: 3600, default: 30 }),
        maxAttempts: Type.Integer({
          minimum: 1,
          maximum: 100,
          default: 5,
          description: 'the retry budget of an operation',
        }),
        backoffBaseMs: Type.Integer({ minimum: 10, maximum: 600000, default: 1000 }),
        backoffMaxMs: Type.Integer({ minimum: 10, maximum: 3600000, default: 60000 }),
        pollIntervalMs: Type.Integer({
          minimum: 10,
          maximum: 60000,
          default: 1000,
          description: 'how often idle workers look for work besides being woken',
        }),
        stateDir: Type.String({
          default: './data/state',
          description: 'what drivers keep across restarts (process records, job directories)',
        }),
        drivers: Type.Record(
          Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
          Type.Union(driverNames.map((name) => Type.Literal(name))),
          {
            ...strict,
            default: {},
            description: `driver (${driverNames.join(', ')}) per registered kind, e.g. {job: slurm}; a kind not named uses its own default`,
          },
        ),
        reconcileSeconds: Type.Integer({
          minimum: 1,
          maximum: 86400,
          default: 10,
          description: 'how often running resources are compared with what really runs',
        }),
        agentTimeoutSeconds: Type.Integer({
          minimum: 0,
          default: 0,
          description: 'external driver: a silent agent fails its resource after this long; 0: never',
        }),
        purgeDeletedAfterSeconds: Type.Integer({
          minimum: 0,
          default: 604800,
          description: 'how long a deleted resource stays readable before it is purged; 0: never purge',
        }),
        local: Type.Object(
          {
            catalogue: Type.Optional(
              Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }), CatalogueEntrySchema, {
                description:
                  'service type -> catalogue entry ({port}, {name}, {id}, {workdir}, {private}, {runtime}), added to the default types http-static, tcp-echo, php, mysql (env: JSON)',
              }),
            ),
            defaultServerCommand: Type.Array(Type.String(), { minItems: 1, default: ['sleep', 'infinity'] }),
            imageRoot: Type.String({
              default: './data/images',
              description: 'one rootfs directory per job image: alpine:3 is <imageRoot>/alpine_3',
            }),
            containerRuntime: Type.Union([Type.Literal('auto'), Type.Literal('bwrap'), Type.Literal('podman')], {
              default: 'auto',
            }),
            images: Type.Object(
              {
                cacheDir: Type.String({
                  default: './data/image-cache',
                  description: 'pulled layers (an OCI layout) and unpacked root filesystems, shared by digest',
                }),
                cacheMaxBytes: Type.Integer({
                  minimum: 0,
                  default: 10 * 1024 ** 3,
                  description: 'beyond this size the least recently used images no resource holds are pruned',
                }),
                defaultRegistry: Type.String({
                  minLength: 1,
                  default: 'docker.io',
                  description: 'the registry of an image that names none (alpine:3)',
                }),
                registries: Type.Record(
                  Type.String({ minLength: 1 }),
                  Type.Object(
                    {
                      // Optional, not defaulted: a record's values get no defaults from the schema.
                      mirrors: Type.Optional(
                        Type.Array(Type.String({ minLength: 1 }), {
                          description: 'host[:port][/path] tried in order before the registry itself; default none',
                        }),
                      ),
                      insecure: Type.Optional(
                        Type.Boolean({ description: 'plain HTTP or unverified TLS; default false' }),
                      ),
                      username: Type.Optional(Type.String()),
                      password: Type.Optional(Type.String()),
                    },
                    strict,
                  ),
                  {
                    default: {},
                    description: 'registry host[:port] -> mirrors, insecure, username and password (env: JSON)',
                  },
                ),
              },
              { ...strict, default: {} },
            ),
          },
          { ...strict, default: {} },
        ),
        slurm: Type.Object(
          {
            partition: Type.String({ default: '', description: 'empty: the cluster default' }),
            pollIntervalMs: Type.Integer({ minimum: 100, default: 1000 }),
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    billing: Type.Object(
      {
        currency: Type.String({
          pattern: '^[A-Z]{3}$',
          default: 'EUR',
          description: 'ISO 4217 code of new accounts; amounts are integer minor units (cents)',
        }),
        prices: Type.Record(
          Type.String({ pattern: '^[a-z]+$' }),
          Type.Record(Type.String({ pattern: '^[A-Za-z]+$' }), Type.Integer({ minimum: 0 })),
          {
            default: {
              cluster: { nodeHour: 50 },
              server: { cpuHour: 5, memoryGiBHour: 2 },
              job: { cpuHour: 8 },
              service: { hour: 10 },
              application: { replicaHour: 3 },
            },
            description: 'kind -> unit -> minor units per unit-hour while active (env: JSON)',
          },
        ),
        stopAtZeroCredit: Type.Boolean({
          default: false,
          description: 'stop the running resources of a prepaid team account whose credit runs out',
        }),
        sweepSeconds: Type.Integer({
          minimum: 0,
          default: 60,
          description:
            'how often processes with engine workers finalize ended months and check prepaid credit against the running month; 0: never',
        }),
      },
      { ...strict, default: {} },
    ),
    dialects: Type.Object(
      {
        // Each dialect adds its own section here: { enabled: true, ...its settings }.
        okeanos: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description:
                'serve the ~okeanos Lambda central service at /api/users/count, /api/lambda_instances, /api/lambda_applications',
            }),
            identityUrl: Type.String({
              default: '',
              description:
                'an Astakos-style identity service (POST <identityUrl>/identity/v2.0/tokens); empty: only native tokens',
            }),
            tokenCacheSeconds: Type.Integer({
              minimum: 0,
              default: 432000,
              description:
                'how long a token the identity service vouched for is trusted without asking again (hashed, in memory)',
            }),
            countsForm: Type.Union([Type.Literal('seed'), Type.Literal('devel')], {
              default: 'seed',
              description:
                'the public counts\' answer: seed "data":{"count"}; devel "data":[{...}] as the later central service and its web page read it',
            }),
          },
          { ...strict, default: {} },
        ),
        concertim: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description: 'serve the Concertim API handler at /, /user, /team, /key_pairs, ...',
            }),
            jwtSecret: Type.String({
              default: '',
              description:
                'the HS256 secret shared with Concertim (its JWT_SECRET); empty: every request but GET / is refused (401)',
            }),
            port: Type.Integer({
              minimum: 0,
              maximum: 65535,
              default: 42356,
              description: 'its own listener as well, as the original had; 0: only the main port',
            }),
            host: Type.String({ default: '0.0.0.0', description: 'listen address of its own listener' }),
          },
          { ...strict, default: {} },
        ),
        imc: Type.Object(
          {
            enabled: Type.Boolean({ default: true, description: 'serve the IMC API at /v1/infrastructures' }),
            team: Type.String({
              minLength: 1,
              default: 'imc',
              description: 'the team (name or id) that owns IMC infrastructures; its members are the IMC users',
            }),
            clouds: Type.Record(
              Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$' }),
              Type.Object(
                {
                  region: Type.Optional(
                    Type.String({ description: "matched against an infrastructure description's regions" }),
                  ),
                  groups: Type.Optional(
                    Type.Array(Type.String(), {
                      description: 'if any: only descriptions naming one of these groups are placed here',
                    }),
                  ),
                },
                strict,
              ),
              {
                // Not a schema default: a record's default is merged into what is configured, and `local` could never go.
                default: {},
                description:
                  "the sites this server offers to PROMINENCE's infrastructure descriptions, by name; none: one, local in region local (env: JSON)",
              },
            ),
            images: Type.Record(Type.String(), Type.Record(Type.String(), Type.String({ minLength: 1 })), {
              default: {
                centos: { '7': 'centos:7', '8': 'centos:8' },
                rocky: { '8': 'rockylinux:8', '9': 'rockylinux:9' },
                almalinux: { '8': 'almalinux:8', '9': 'almalinux:9' },
                debian: { '10': 'debian:10', '11': 'debian:11', '12': 'debian:12' },
                ubuntu: {
                  '16.04': 'ubuntu:16.04',
                  '18.04': 'ubuntu:18.04',
                  '20.04': 'ubuntu:20.04',
                  '22.04': 'ubuntu:22.04',
                  '24.04': 'ubuntu:24.04',
                },
              },
              description:
                'distribution -> version -> the image a description asking for that distribution and version runs; entries given are added to these (env: JSON)',
            }),
          },
          { ...strict, default: {} },
        ),
        krak8s: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description:
                'serve the krak8s API at /v1/projects..., /v1/healthz and its Swagger 2.0 document at /swagger.json',
            }),
            user: Type.String({
              default: '',
              description:
                'username that callers without a bearer token act as (krak8s had no authentication); empty: a token is required',
            }),
            applicationCommand: Type.Array(Type.String(), {
              minItems: 1,
              default: ['sleep', 'infinity'],
              description: 'the command the local driver runs for a krak8s application (its create body has none)',
            }),
          },
          { ...strict, default: {} },
        ),
        conpaas: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description:
                'serve the ConPaaS director at /new_user, /login, /start/<type>, /list, ...; certificate routes need the HTTPS listener (pki.https)',
            }),
            maxCredit: Type.Integer({
              minimum: 0,
              default: 50,
              description: "the most credit POST /new_user may grant (ConPaaS's MAX_CREDIT)",
            }),
            availableServices: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }), {
              default: [],
              description: 'the service types /start accepts; empty: every type of engine.local.catalogue',
            }),
            uuidLogin: Type.Boolean({
              default: true,
              description:
                'let /login and /get_user_certs accept the uuid a user was created with instead of a password, as ConPaaS did',
            }),
            directorUrl: Type.String({
              default: '',
              description:
                'the URL written into /download/ConPaaS.tar.gz for agents to call back; empty: the HTTPS listener on the host the download was asked of',
            }),
            startTimeoutSeconds: Type.Integer({
              minimum: 1,
              maximum: 3600,
              default: 120,
              description:
                "how long /start waits for the service's manager to have an address, as the director waited for the manager VM; then the start fails and nothing is kept",
            }),
            listForm: Type.Union([Type.Literal('service'), Type.Literal('application')], {
              default: 'service',
              description:
                "what /list and /list/<aid> answer: 'service', the 2012 director's service dicts; 'application', master's [{\"service\": {...}, \"application\": {...}}]",
            }),
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    pki: Type.Object(
      {
        dir: Type.String({
          default: './data/pki',
          description: 'the CA key (0600) and certificate, in a 0700 directory',
        }),
        keyPassphrase: Type.String({
          default: '',
          description: 'encrypts the CA key (PKCS#8) on disk and in the database; empty: unencrypted',
        }),
        caCommonName: Type.String({ minLength: 1, default: 'cloudplane CA' }),
        certificateDays: Type.Integer({
          minimum: 1,
          maximum: 3650,
          default: 365,
          description: 'lifetime of issued user, service and listener certificates',
        }),
        https: Type.Object(
          {
            enabled: Type.Boolean({
              default: false,
              description: 'serve the API over HTTPS with client certificates (mTLS)',
            }),
            host: Type.String({ default: '0.0.0.0' }),
            port: Type.Integer({ minimum: 0, maximum: 65535, default: 8443 }),
            hostnames: Type.Array(Type.String({ minLength: 1 }), {
              minItems: 1,
              default: ['localhost', '127.0.0.1'],
              description: 'DNS names and IP addresses in the listener certificate',
            }),
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info' },
        ),
        format: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], {
          default: 'auto',
          description:
            'json: one JSON object a line, for machines; pretty: readable lines; auto: pretty when stdout is a terminal',
        }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, default: {} },
);

export type Config = Static<typeof ConfigSchema>;
