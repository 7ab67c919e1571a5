// What a resource of each kind holds, in the units its price list names (per hour while active).
type Spec = Record<string, number | undefined>;

const perKind: Record<string, (spec: Spec) => Record<string, number>> = {
  cluster: (spec) => ({ nodeHour: spec.nodePoolSize ?? 0 }),
  server: (spec) => ({ cpuHour: spec.cpus ?? 0, memoryGiBHour: (spec.memoryMiB ?? 0) / 1024 }),
  job: (spec) => {
    const atOnce = (spec.parallelism ?? spec.instances ?? 1) * (spec.nodes ?? 1);
    return { cpuHour: atOnce * (spec.cpus ?? 0), memoryGiBHour: atOnce * (spec.memory ?? 0) };
  },
  service: () => ({ hour: 1 }),
  application: (spec) => {
    const replicas = spec.replicas ?? 0;
    return { replicaHour: replicas, cpuHour: replicas * (spec.cpus ?? 0), memoryGiBHour: (replicas * (spec.memoryMiB ?? 0)) / 1024 };
  },
};

/** Units a kind has no rule for are not billed (stacks hold nothing of their own). */
export const unitsOf = (kind: string, spec: Record<string, unknown>): Record<string, number> => perKind[kind]?.(spec as Spec) ?? {};
