// PROMINENCE's IMC client, replayed byte for byte: its HTCondor hooks (prominence-eosc/prominence, branch main,
// htcondor/hooks/) call IMC with python-requests; each function here is one of theirs, with what it reads back.
import { randomUUID } from 'node:crypto';
import { basic, sendRaw } from './support.ts';

/** What python-requests sends on every request besides the call's own headers. */
const requestsHeaders = {
  'user-agent': 'python-requests/2.25.1',
  'accept-encoding': 'gzip, deflate',
  accept: '*/*',
  connection: 'keep-alive',
};

/** Python's json.dumps (as requests' `json=` encodes): ", " and ": " separators, every non-ASCII character escaped. */
export function pythonJsonDumps(value: unknown): string {
  const text = (s: string) =>
    JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${text(k)}: ${pythonJsonDumps(v)}`)
      .join(', ')}}`;
  return typeof value === 'string' ? text(value) : JSON.stringify(value);
}

/** The [imc], [vm] and [deployment] sections of /etc/prominence/prominence.ini (htcondor/hooks/prominence.ini). */
export interface ProminenceIni {
  url: string;
  username: string;
  password: string;
  vm: { 'image-dist': string; 'image-version': string; 'image-type': string; 'image-arch': string };
  deployment: { 'req-regions': string; 'pref-regions': string; 'req-sites': string; 'pref-sites': string };
}

export const defaultIni = (url: string, username: string, password: string): ProminenceIni => ({
  url,
  username,
  password,
  vm: { 'image-dist': 'ubuntu', 'image-version': '16.04', 'image-type': 'linux', 'image-arch': 'x86_64' },
  deployment: { 'req-regions': '', 'pref-regions': '', 'req-sites': '', 'pref-sites': '' },
});

/** The parts of a job (.job.json and its ClassAd) that translate_classad puts in the description. */
export interface ProminenceJob {
  resources: { nodes: number; cpus: number; memory: number; disk: number };
  policies?: {
    placement?: {
      requirements?: { sites?: string[]; regions?: string[] };
      preferences?: { sites?: string[]; regions?: string[] };
    };
  };
  groups: string;
  identity: string | null;
  jobId: string;
  wantMpi: boolean;
  radl: string;
}

/** cloud_hook_translate_job.py translate_classad: the JSON document given to IMC, keys in the order Python inserts them. */
export function describeJob(ini: ProminenceIni, job: ProminenceJob, uidInfra: string, epoch: number) {
  const { deployment } = ini;
  const data: Record<string, any> = {};
  data.requirements = {};
  data.requirements.image = {
    distribution: ini.vm['image-dist'],
    version: ini.vm['image-version'],
    type: ini.vm['image-type'],
    architecture: ini.vm['image-arch'],
  };
  data.requirements.resources = { cores: job.resources.cpus, memory: job.resources.memory, disk: job.resources.disk };
  // Python's ''.split(',') is [''], so an empty setting still sends one empty name.
  data.requirements.regions = deployment['req-regions'].split(',');
  if (deployment['req-sites']) data.requirements.sites = deployment['req-sites'].split(',');
  data.requirements.groups = job.groups.split(',');
  data.preferences = {};
  data.preferences.regions = deployment['pref-regions'].split(',');
  if (deployment['pref-sites']) data.preferences.sites = deployment['pref-sites'].split(',');
  const placement = job.policies?.placement;
  if (placement?.requirements?.sites) {
    data.requirements.sites = placement.requirements.sites;
    data.preferences.sites = {};
    data.preferences.regions = {};
  }
  if (placement?.requirements?.regions) {
    data.requirements.regions = placement.requirements.regions;
    data.preferences.regions = {};
  }
  if (placement?.preferences?.sites) data.preferences.sites = placement.preferences.sites;
  if (placement?.preferences?.regions) data.preferences.regions = placement.preferences.regions;
  if (job.wantMpi) data.requirements.tags = { 'multi-node-jobs': 'true' };
  data.radl = Buffer.from(job.radl, 'utf8').toString('base64');
  data.identifier = job.jobId;
  data.identity = job.identity;
  data.want = `${uidInfra}-${epoch}`;
  return data;
}

const auth = (ini: ProminenceIni) => ({ authorization: basic(ini.username, ini.password) });

/** cloud_hook_translate_job.py create_infrastructure: the id on 201 or 200, anything else None (null). */
export async function createInfrastructure(ini: ProminenceIni, uid: string, data: unknown): Promise<string | null> {
  const body = Buffer.from(pythonJsonDumps(data), 'utf8');
  const headers = {
    ...requestsHeaders,
    'idempotency-key': uid,
    'content-length': String(body.length),
    'content-type': 'application/json',
    ...auth(ini),
  };
  const response = await sendRaw(ini.url, 'POST', new URL(ini.url).pathname, headers, body);
  return response.status === 201 || response.status === 200 ? response.body.id : null;
}

/** cloud_hook_update_job_info.py get_infrastructure_status: (status, status_reason, cloud) on 200, else (None, None). */
export async function getInfrastructureStatus(
  ini: ProminenceIni,
  infraId: string,
): Promise<[string, string | null, string | null] | [null, null]> {
  const response = await sendRaw(ini.url, 'GET', `${new URL(ini.url).pathname}/${infraId}`, {
    ...requestsHeaders,
    ...auth(ini),
  });
  return response.status === 200
    ? [response.body.status, response.body.status_reason, response.body.cloud]
    : [null, null];
}

/** cloud_hook_cleanup_job.py delete_infrastructure: 0 on 200, else 1; requests sends no body, only Content-Length: 0. */
export async function deleteInfrastructure(ini: ProminenceIni, infraId: string): Promise<0 | 1> {
  const response = await sendRaw(ini.url, 'DELETE', `${new URL(ini.url).pathname}/${infraId}`, {
    ...requestsHeaders,
    'content-length': '0',
    ...auth(ini),
  });
  return response.status === 200 ? 0 : 1;
}

/** translate_classad makes one uuid4 per routing and retries create_infrastructure with it. */
export const newInfraUid = () => randomUUID();

/** A RADL as PROMINENCE's single-node template renders it (its templates are site files, not in the repository). */
export const singleNodeRadl = (uidInfra: string, cores: number, memoryGb: number) => `network public (outbound = 'yes')
system worker (
  cpu.count>=${cores} and
  memory.size>=${memoryGb}g and
  net_interface.0.connection = 'public' and
  disk.0.image.url = '\${image}' and
  instance_type = '\${instance}' and
  disk.0.os.name = 'linux'
)
configure worker (
@begin
---
- hosts: all
  tasks:
  - name: join the pool
    shell: echo ${uidInfra} > /etc/prominence-uid
@end
)
deploy worker 1
`;
