// A service's manager certificate, written where only that service looks: beside its working directory, never in it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceContext } from '../../domain/context.ts';

export interface ManagerCertificates {
  cert: string;
  key: string;
  ca_cert: string;
}

/**
 * The local driver keeps a service under `<engine.stateDir>/local/service/<id>/` and runs it in `work/` there
 * (src/drivers/local/resource-files.ts), which http-static serves; the certificates go in `conpaas/` beside it,
 * as the director put them in the manager VM's context. The folder goes when the driver removes the service.
 */
export const managerCertificateDir = (ctx: ServiceContext, serviceId: string) =>
  path.resolve(ctx.config.engine.stateDir, 'local', 'service', serviceId, 'conpaas');

/** cert.pem, key.pem and ca_cert.pem, readable by this user only (the service runs as it). */
export async function writeManagerCertificates(
  ctx: ServiceContext,
  serviceId: string,
  certificates: ManagerCertificates,
): Promise<void> {
  const dir = managerCertificateDir(ctx, serviceId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [name, pem] of Object.entries(certificates))
    await writeFile(path.join(dir, `${name}.pem`), pem, { mode: 0o600 });
}
