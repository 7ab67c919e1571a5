// The shapes of certificates and certificate identities on the native API.
import { Type, type Static } from '@sinclair/typebox';

export const ServiceRole = Type.Union([Type.Literal('manager'), Type.Literal('agent')], {
  description: 'recorded in the subject as role=',
});
export type ServiceRole = Static<typeof ServiceRole>;

export const Certificate = Type.Object({
  serial: Type.String({ description: 'lower-case hex' }),
  role: Type.Union([Type.Literal('user'), Type.Literal('manager'), Type.Literal('agent'), Type.Literal('server')]),
  subject: Type.String({
    description: 'e.g. UID=<user id>, role=user, serviceLocator=0, emailAddress=..., CN=<username>, O=Contrail',
  }),
  userId: Type.Union([Type.String(), Type.Null()]),
  serviceId: Type.Union([Type.String(), Type.Null()]),
  teamId: Type.Union([Type.String(), Type.Null()]),
  notBefore: Type.String(),
  notAfter: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('revoked')]),
  createdAt: Type.String(),
});
export type Certificate = Static<typeof Certificate>;

export const CertificateIdentity = Type.Union([
  Type.Object({ kind: Type.Literal('user'), userId: Type.String(), serial: Type.String() }),
  Type.Object({
    kind: Type.Literal('service'),
    role: ServiceRole,
    serviceId: Type.String(),
    userId: Type.String(),
    serial: Type.String(),
  }),
]);
export type CertificateIdentity = Static<typeof CertificateIdentity>;
