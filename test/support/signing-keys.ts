/** Ed25519 keys a test makes for itself, as the signer that signs and the trusted key a run checks against. */
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf } from '../../src/runtime/decision-keys.js';
import type { DecisionSigner } from '../../src/shared/signed-proof.js';
import type { TrustedDecisionKey } from '../../src/shared/workflow-contracts.js';

export function newSigningKey(role: TrustedDecisionKey['role']): {
  signer: DecisionSigner;
  trusted: TrustedDecisionKey;
} {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x!, 'base64url');
  const key_id = keyIdOf(publicKey);
  return {
    signer: { key_id, secret_key: Buffer.from(jwk.d!, 'base64url') },
    trusted: { key_id, role, public_key: publicKey.toString('hex') },
  };
}
