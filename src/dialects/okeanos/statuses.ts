// The okeanos status codes of lambda instances and applications, and how they map onto our states.
import type { Resource } from '../../resources/models.ts';
import type { State } from '../../domain/states.ts';

interface Code {
  name: string;
  state: State;
  /** The okeanos description, kept as the resource's status message. */
  description: string;
}

export interface RecordFlavor {
  /** spec.type of the service resources that hold these records. */
  type: 'lambda-instance' | 'lambda-application';
  codes: Record<string, Code>;
  /** The code shown for a state set through the native API without an okeanos code. */
  codeOfState: Record<State, string>;
  notFound: string;
  alreadyCreated: string;
}

const instanceCodes: [string, State, string][] = [
  ['STARTED', 'active', 'Lambda instance has been started.'],
  ['STOPPED', 'stopped', 'Lambda instance has been stopped.'],
  ['PENDING', 'pending', 'Lambda instance installation is pending.'],
  ['STARTING', 'provisioning', 'Lambda instance is starting.'],
  ['STOPPING', 'active', 'Lambda instance is stopping.'],
  // The record outlives the cluster until DELETE, so destroying is not our deleting.
  ['DESTROYING', 'stopped', 'Lambda instance is being destroyed.'],
  ['DESTROYED', 'stopped', 'Lambda instance has been destroyed.'],
  ['SCALING_UP', 'active', 'Lambda instance is being scaled up.'],
  ['SCALING_DOWN', 'active', 'Lambda instance is being scaled down.'],
  ['FAILED', 'failed', 'Lambda instance has failed.'],
  ['CLUSTER_CREATED', 'provisioning', '~okeanos cluster has been successfully built.'],
  ['CLUSTER_FAILED', 'failed', '~okeanos cluster build has failed.'],
  ['INIT_DONE', 'provisioning', '~okeanos cluster has been successfully initialized.'],
  ['INIT_FAILED', 'failed', '~okeanos cluster initialization has failed.'],
  ['COMMONS_INSTALLED', 'provisioning', 'Common libraries have been successfully installed.'],
  ['COMMONS_FAILED', 'failed', 'Common libraries installation has failed.'],
  ['HADOOP_INSTALLED', 'provisioning', 'Apache Hadoop has been successfully installed and configured.'],
  ['HADOOP_FAILED', 'failed', 'Apache Hadoop installation and configuration have failed.'],
  ['KAFKA_INSTALLED', 'provisioning', 'Apache Kafka has been successfully installed and configured.'],
  ['KAFKA_FAILED', 'failed', 'Apache Kafka installation and configuration have failed.'],
  ['FLINK_INSTALLED', 'active', 'Apache Flink has been successfully installed and configured.'],
  ['FLINK_FAILED', 'failed', 'Apache Flink installation and configuration have failed.'],
  // The devel service VM installs Flume after Flink, then reports STARTED: Flume installed is not yet up.
  ['FLUME_INSTALLED', 'provisioning', 'Apache Flume has been successfully installed and configured.'],
  ['FLUME_FAILED', 'failed', 'Apache Flume installation and configuration have failed.'],
];

const applicationCodes: [string, State, string][] = [
  ['UPLOADED', 'active', 'Application has been successfully uploaded.'],
  ['UPLOADING', 'provisioning', 'Application is being uploaded.'],
  ['FAILED', 'failed', 'Application upload has failed.'],
];

const byNumber = (codes: [string, State, string][]) =>
  Object.fromEntries(codes.map(([name, state, description], index) => [String(index), { name, state, description }]));

export const lambdaInstances: RecordFlavor = {
  type: 'lambda-instance',
  codes: byNumber(instanceCodes),
  codeOfState: {
    pending: '2',
    provisioning: '3',
    active: '0',
    stopped: '1',
    suspended: '1',
    succeeded: '1',
    failed: '9',
    deleting: '5',
    deleted: '6',
  },
  notFound: "The specified lambda instance doesn't exist.",
  alreadyCreated: 'The specified lambda instance has already been created.',
};

export const lambdaApplications: RecordFlavor = {
  type: 'lambda-application',
  codes: byNumber(applicationCodes),
  codeOfState: {
    pending: '1',
    provisioning: '1',
    active: '0',
    stopped: '0',
    suspended: '0',
    succeeded: '0',
    failed: '2',
    deleting: '0',
    deleted: '0',
  },
  notFound: "The specified application doesn't exist.",
  alreadyCreated: 'The specified lambda application has already been created.',
};

/**
 * The codes of a running instance: FLINK_INSTALLED, where the earlier service VM's build ends and what the
 * seed's central service counted, and STARTED, where the devel service VM's ends (its central service counted that).
 */
export const runningInstanceCodes: readonly string[] = ['20', '0'];

const isCode = (flavor: RecordFlavor, value: unknown): value is string =>
  typeof value === 'string' && Object.hasOwn(flavor.codes, value);

/**
 * The okeanos code of a record: the one its agent last reported while it still agrees with the
 * state (a state set through the native API without a code shows as that state's code).
 */
export function codeOf(flavor: RecordFlavor, resource: Resource): string {
  const reported = resource.status.details.okeanosStatus;
  if (isCode(flavor, reported) && flavor.codes[reported].state === resource.status.state) return reported;
  return flavor.codeOfState[resource.status.state];
}

export function failureMessageOf(flavor: RecordFlavor, resource: Resource): string {
  const reported = resource.status.details.okeanosStatus;
  const stored = resource.status.details.okeanosFailureMessage;
  if (isCode(flavor, reported) && flavor.codes[reported].state === resource.status.state)
    return typeof stored === 'string' ? stored : '';
  return resource.status.state === 'failed' ? resource.status.message : '';
}

/**
 * The status report for an okeanos code: our state, a message, and the exact code kept in details.
 * Like the original, an update with an empty failure message keeps the previous one.
 */
export function reportFor(flavor: RecordFlavor, code: string, failureMessage: string | undefined, keepEmpty = false) {
  const { state, description } = flavor.codes[code];
  const details: Record<string, unknown> = { okeanosStatus: code };
  if (failureMessage || (keepEmpty && failureMessage !== undefined)) details.okeanosFailureMessage = failureMessage;
  return { state, message: state === 'failed' && failureMessage ? failureMessage : description, details };
}
