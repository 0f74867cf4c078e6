/**
 * `node --import tsx scripts/ensure-key-pairs.ts <private.pem>...`: makes each Ed25519 key pair that
 * does not exist yet (private key mode 600, public key beside it as `.pub.pem`); used by
 * `./temporal-dev.sh start` for the gateway's decision key and the operator's key.
 */
import { ensureKeyPairFiles } from '../src/runtime/decision-keys.js';

for (const file of process.argv.slice(2)) ensureKeyPairFiles(file);
