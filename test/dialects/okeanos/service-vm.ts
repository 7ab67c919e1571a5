// The service VM's calls to the central service, one function per task of grnet/okeanos-LoD
// webapp/backend/central_vm_tasks.py (branch devel, 77a6a7d; the earlier file of 3e724f8 sends the first six alike).
import { pythonRequests } from './python-requests.ts';

/** What the tasks send for one user: `Authorization: Token <their ~okeanos token>` to settings.CENTRAL_VM_API. */
export function serviceVm(centralVmApi: string, authToken: string) {
  const auth = { Authorization: `Token ${authToken}` };
  const withJson = { ...auth, 'Content-Type': 'application/json' };
  return {
    /** register_user_central_vm: at login (devel only). */
    registerUser: () => pythonRequests('GET', `${centralVmApi}/authenticate/`, { headers: auth }),
    /** create_lambda_instance_central_vm: always PENDING ("2") and no failure message. */
    createLambdaInstance: (uuid: string, name: string, specs: string) =>
      pythonRequests('POST', `${centralVmApi}/lambda_instances/`, {
        json: { uuid, name, instance_info: specs, status: '2', failure_message: '' },
        headers: withJson,
      }),
    setLambdaInstanceStatus: (uuid: string, status: string, failureMessage: string) =>
      pythonRequests('POST', `${centralVmApi}/lambda_instances/${uuid}/status/`, {
        json: { status, failure_message: failureMessage },
        headers: withJson,
      }),
    /** delete_lambda_instance_central_vm: a JSON content type and no body. */
    deleteLambdaInstance: (uuid: string) =>
      pythonRequests('DELETE', `${centralVmApi}/lambda_instances/${uuid}/`, { headers: withJson }),
    /** create_application_central_vm: always UPLOADING ("1"). */
    createApplication: (uuid: string, name: string, description: string) =>
      pythonRequests('POST', `${centralVmApi}/lambda_applications/`, {
        json: { uuid, name, description, status: '1', failure_message: '' },
        headers: withJson,
      }),
    setApplicationStatus: (uuid: string, status: string, failureMessage = '') =>
      pythonRequests('POST', `${centralVmApi}/lambda_applications/${uuid}/status/`, {
        json: { status, failure_message: failureMessage },
        headers: withJson,
      }),
    deleteApplication: (uuid: string) =>
      pythonRequests('DELETE', `${centralVmApi}/lambda_applications/${uuid}/`, { headers: withJson }),
    /** increment_started_counter_central_vm / decrement_...: no body, no content type (devel only). */
    incrementStarted: (uuid: string) =>
      pythonRequests('POST', `${centralVmApi}/lambda_applications/${uuid}/increment_started/`, { headers: auth }),
    decrementStarted: (uuid: string) =>
      pythonRequests('POST', `${centralVmApi}/lambda_applications/${uuid}/decrement_started/`, { headers: auth }),
  };
}

export type ServiceVm = ReturnType<typeof serviceVm>;

/** json.dumps(specs) of the service VM's LambdaInstanceInfo serializer data (devel: with Kafka topics and keys). */
export const develSpecs =
  '{"instance_name": "Lambda Instance 1", "master_name": "lambda-master", "project_name": "lambda.grnet.gr", "ip_allocation": "master", "slaves": 2, "vcpus_master": 4, "vcpus_slave": 4, "ram_master": 4096, "ram_slave": 4096, "disk_master": 20, "disk_slave": 20, "network_request": 1, "public_key_name": ["my key"], "kafka_input_topics": ["input"], "kafka_output_topics": ["stream-output", "batch-output"]}';
export const earlierSpecs =
  '{"instance_name": "Lambda Instance 1", "master_name": "lambda-master", "project_name": "lambda.grnet.gr", "ip_allocation": "master", "slaves": 1, "vcpus_master": 4, "vcpus_slave": 4, "ram_master": 4096, "ram_slave": 4096, "disk_master": 20, "disk_slave": 20, "network_request": 1}';

/** The build steps tasks.create_lambda_instance reports after PENDING, in order (devel adds Flume, then STARTED). */
export const develBuild = ['10', '12', '14', '16', '18', '20', '22', '0'];
export const earlierBuild = ['10', '12', '14', '16', '18', '20', '0'];
