// job: a batch container job with the full IMC/PROMINENCE job table (imc-rest-api.md).
import { Type } from '@sinclair/typebox';
import { clientFields, defineKind } from './kind.ts';

const relativePath = Type.String({
  minLength: 1,
  maxLength: 1024,
  pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$)).+$',
  description: 'a path relative to the job working directory, without ..',
});

const nameValue = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*=.*$', maxLength: 8192, description: 'name=value' });

export const JobInput = Type.Object(
  {
    filename: relativePath,
    content: Type.String({ maxLength: 14000000, description: 'base64-encoded file content' }),
  },
  { additionalProperties: false },
);

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** How many nodes a job holds at once: its instances in parallel, each on `nodes` nodes. */
const nodesAtOnce = (spec: { parallelism?: number; instances?: number; nodes?: number }) =>
  (spec.parallelism ?? spec.instances ?? 1) * (spec.nodes ?? 1);

export const jobKind = defineKind({
  name: 'job',
  description: 'A batch job: a command, optionally in a container image, run to completion on one or more nodes.',
  spec: Type.Object(
    {
      image: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'container image name' })),
      cmd: Type.Optional(Type.String({ minLength: 1, maxLength: 65536, description: 'command to run' })),
      args: Type.Optional(Type.String({ maxLength: 65536, description: 'arguments of the command' })),
      nodes: Type.Integer({ minimum: 1, maximum: 4096, default: 1 }),
      cpus: Type.Integer({ minimum: 1, maximum: 1024, default: 1, description: 'CPU cores per node' }),
      memory: Type.Integer({ minimum: 1, maximum: 16384, default: 1, description: 'memory per node in GB' }),
      disk: Type.Integer({ minimum: 1, maximum: 1048576, default: 10, description: 'disk in GB' }),
      runtime: Type.Optional(Type.Integer({ minimum: 1, maximum: 5256000, description: 'maximum runtime in minutes' })),
      inputs: Type.Array(JobInput, { default: [], maxItems: 1000 }),
      outputFiles: Type.Array(relativePath, { default: [], maxItems: 1000 }),
      outputDirs: Type.Array(relativePath, { default: [], maxItems: 1000 }),
      artifacts: Type.Array(Type.String({ pattern: '^(https?|s3|file)://', maxLength: 4096 }), {
        default: [],
        maxItems: 1000,
      }),
      env: Type.Array(nameValue, { default: [], maxItems: 1000 }),
      type: Type.Union([Type.Literal('basic'), Type.Literal('mpi')], { default: 'basic' }),
      instances: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
      parallelism: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 100000, description: 'at most this many instances at once' }),
      ),
      extra: Type.Optional(clientFields),
    },
    { additionalProperties: false },
  ),
  states: ['pending', 'provisioning', 'active', 'stopped', 'succeeded', 'failed', 'deleting', 'deleted'],
  actions: {
    stop: ['pending', 'provisioning', 'active'],
    restart: ['stopped', 'succeeded', 'failed'],
    destroy: ['pending', 'provisioning', 'active', 'stopped', 'succeeded', 'failed'],
  },
  specUpdatable: false,
  defaultDriver: 'local',
  usage: (spec) => ({ cpus: nodesAtOnce(spec) * spec.cpus, memoryMiB: nodesAtOnce(spec) * spec.memory * 1024 }),
  billingUnits: (spec) => ({
    cpuHour: nodesAtOnce(spec) * (spec.cpus ?? 0),
    memoryGiBHour: nodesAtOnce(spec) * (spec.memory ?? 0),
  }),
  validate(spec) {
    const problems: string[] = [];
    if (spec.image === undefined && spec.cmd === undefined) problems.push('a job needs an image or a cmd');
    if (spec.parallelism !== undefined && spec.parallelism > spec.instances)
      problems.push('parallelism cannot exceed instances');
    spec.inputs.forEach((input, i) => {
      if (!base64.test(input.content)) problems.push(`inputs/${i}/content is not valid base64`);
    });
    const names = spec.inputs.map((i) => i.filename);
    if (new Set(names).size !== names.length) problems.push('inputs name the same file twice');
    return problems;
  },
});
