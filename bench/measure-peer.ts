// Starts one of bench/peers/, drives the given scenarios against it and stops it: one peer at a time on the machine.
import { measureEach, type LoadSettings, type Measurement, type Scenario } from './scenarios.ts';
import { startPeer } from './servers.ts';

export async function measurePeer(
  script: string,
  settings: unknown,
  scenarios: (peerUrl: string) => Scenario[],
  load: LoadSettings,
): Promise<Measurement[]> {
  const peer = await startPeer(script, settings);
  try {
    return await measureEach(peer.pid, scenarios(peer.url), load);
  } finally {
    await peer.stop();
  }
}
