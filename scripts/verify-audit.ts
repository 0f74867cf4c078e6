/**
 * `./temporal-dev.sh verify-audit <export.ndjson> [--key <public-key.pem>]...`: checks an audit
 * export offline (src/audit/verify-trail.ts) against the Ed25519 public keys given (the gateway's
 * and operators' `.pub.pem` files). Exit 0 when every record verifies, 1 naming the first that
 * fails, 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { loadTrustedKeys } from '../src/runtime/decision-keys.js';
import { verifyTrail } from '../src/audit/verify-trail.js';
import { optionsOrUsage } from './operator-args.js';

const USAGE = 'usage: ./temporal-dev.sh verify-audit <export.ndjson> [--key <public-key.pem>]...';

function parseArgs(args: readonly string[]): { file: string; keyFiles: string[] } {
  const keyFiles: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--key') {
      const value = args[++i];
      if (value === undefined) throw new Error('--key needs a PEM file');
      keyFiles.push(value);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new Error(`one export file only (got ${file} and ${arg})`);
  }
  if (file === undefined) throw new Error('the export file is missing');
  return { file, keyFiles };
}

function main(): number {
  const options = optionsOrUsage('verify-audit', USAGE, parseArgs);
  if (options === undefined) return 2;
  // A key's role does not change what its signature proves; the signer's role is in the record.
  const keys = loadTrustedKeys(options.keyFiles, 'gateway');
  const lines = readFileSync(options.file, 'utf8').split('\n');
  const verdict = verifyTrail(lines, keys);
  if (verdict.failure) {
    const { line, seq, key, problem } = verdict.failure;
    const which = [`line ${line}`, ...(seq !== undefined ? [`seq ${seq}`] : []), ...(key ? [`key ${key}`] : [])];
    console.error(`verify-audit: FAILED at record ${which.join(', ')}: ${problem}`);
    console.error(`verify-audit: the ${verdict.records} record(s) before it verified`);
    return 1;
  }
  console.log(
    `verify-audit: OK, ${verdict.records} record(s), chain intact, ${verdict.signed} signed message(s) verified`,
  );
  return 0;
}

process.exitCode = main();
