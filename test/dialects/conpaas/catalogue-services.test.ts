// ConPaaS users start php and mysql services with /start: the answer comes once the service answers at its manager
// address, /list shows it there, the services are queried as their users would, and /stop leaves nothing running.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { isGone } from '../../drivers/local-driver-host.ts';
import { catalogueTestsSkipped, httpGet, listening, sql } from '../../support/catalogue.ts';
import { eventually } from '../../support/eventually.ts';
import { conpaasCall, conpaasUser, forEachConpaasBackend, nativeToken } from './support.ts';

const skip = catalogueTestsSkipped();

forEachConpaasBackend('ConPaaS php and mysql services', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  before(async () => {
    if (!skip) ada = await conpaasUser(server());
  });

  /** The service as the native API shows it to its owner. */
  const native = async (vmid: string) => {
    const token = await nativeToken(server(), ada.username, ada.password);
    const teams = (await server().call('GET', '/api/v1/teams', { token })).body.items;
    return (await server().call('GET', `/api/v1/teams/${teams[0].id}/resources/${vmid}`, { token })).body;
  };

  /** /stop deletes it: once deleted, its process is gone and nothing listens at its address. */
  const stopped = async (sid: number, vmid: string, manager: string) => {
    const { pid } = (await native(vmid)).status.details;
    assert.equal((await conpaasCall(server(), `/stop/${sid}`, { credentials: ada.credentials })).body, true);
    await eventually(
      () => native(vmid),
      (r) => r.status.state === 'deleted',
      `${vmid} deleted`,
      60,
    );
    assert.ok(isGone(pid));
    assert.equal(await listening(manager), false);
  };

  test(
    '/start/php answers RUNNING at its manager address, which serves PHP; /stop leaves nothing running',
    { skip },
    async () => {
      const started = (await conpaasCall(server(), '/start/php', { credentials: ada.credentials })).body;
      assert.equal(started.state, 'RUNNING', JSON.stringify(started));
      assert.equal(started.type, 'php');
      assert.deepEqual(await httpGet(started.manager, '/'), { status: 200, body: 'this PHP service is running\n' });
      const listed = (await conpaasCall(server(), '/list', { credentials: ada.credentials })).body;
      assert.equal(listed.find((s: any) => s.sid === started.sid)?.manager, started.manager);
      await stopped(started.sid, started.vmid, started.manager);
    },
  );

  test(
    '/start/mysql answers RUNNING at its manager address; SQL works with the credentials file status names',
    { skip },
    async () => {
      const started = (await conpaasCall(server(), '/start/mysql', { credentials: ada.credentials })).body;
      assert.equal(started.state, 'RUNNING', JSON.stringify(started));
      assert.equal(started.name, 'New mysql service');
      assert.ok(!JSON.stringify(started).includes('password'));
      const { credentials, address } = (await native(started.vmid)).status.details;
      assert.equal(address, started.manager);
      assert.equal(await sql(credentials, started.manager, 'SELECT 6 * 7'), '42\n');
      const listed = (await conpaasCall(server(), '/list', { credentials: ada.credentials })).body;
      assert.deepEqual(
        listed.filter((s: any) => s.type === 'mysql').map((s: any) => [s.state, s.manager]),
        [['RUNNING', started.manager]],
      );
      await stopped(started.sid, started.vmid, started.manager);
    },
  );
});
