// The shape of an SSH key pair on the native API.
import { Type, type Static } from '@sinclair/typebox';

export const KeyPairName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });

export const KeyPair = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String({ description: 'ed25519, rsa or ecdsa-<bits>' }),
  publicKey: Type.String(),
  fingerprint: Type.String({ description: 'SHA256:<base64>' }),
  fingerprintMd5: Type.String({ description: 'legacy aa:bb:... form' }),
  createdAt: Type.String(),
});
export type KeyPair = Static<typeof KeyPair>;

export const KeyPairWithPrivateKey = Type.Composite([
  KeyPair,
  Type.Object({ privateKey: Type.String({ description: 'returned once, never stored' }) }),
]);
