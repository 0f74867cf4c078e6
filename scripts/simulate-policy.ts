/**
 * `./temporal-dev.sh simulate-policy <policy.json> [--since 30d] [--json]`: tries a candidate
 * policy on the requests in the audit trail through the running gateway's
 * `POST /api/policies/simulate` and prints what would change. GATEWAY_URL (default
 * http://127.0.0.1:GATEWAY_PORT) names the gateway; GATEWAY_TOKEN, when set, is sent as the bearer
 * token of an auditor or an admin.
 */
import { readPolicyFile } from '../src/runtime/config.js';
import type { SimulationReport } from '../src/audit/policy-simulation.js';
import { optionsOrUsage } from './operator-args.js';

const USAGE = 'usage: ./temporal-dev.sh simulate-policy <policy.json> [--since 30d] [--json]';

function parseArgs(args: readonly string[]): { file: string; since: string; json: boolean } {
  let file: string | undefined;
  let since = '30d';
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--since') {
      const value = args[++i];
      if (value === undefined) throw new Error('--since needs a duration such as 30d');
      since = value;
    } else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new Error(`one policy file only (got ${file} and ${arg})`);
  }
  if (file === undefined) throw new Error('the policy file is missing');
  return { file, since, json };
}

function describe(outcome: SimulationReport['requests'][number]['steps'][number]['actual']): string {
  const stages = outcome.stages?.map((s) => `${s.count}×${s.group}`).join(' then ');
  return [outcome.kind, outcome.rule && `(${outcome.rule})`, stages].filter(Boolean).join(' ');
}

async function main(): Promise<number> {
  const options = optionsOrUsage('simulate-policy', USAGE, parseArgs);
  if (options === undefined) return 2;
  const policy = readPolicyFile(options.file);
  const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8000'}`;
  const token = process.env.GATEWAY_TOKEN;
  const res = await fetch(`${gateway}/api/policies/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ policy, since: options.since }),
  });
  const body = (await res.json()) as SimulationReport & { error?: { message: string } };
  if (!res.ok) {
    console.error(`simulate-policy: the gateway answered ${res.status}: ${body.error?.message ?? ''}`);
    return 1;
  }
  if (options.json) {
    console.log(JSON.stringify(body, null, 2));
    return 0;
  }
  const { totals } = body;
  console.log(`${policy.id} over the last ${options.since}: ${totals.requests} request(s), ${totals.steps} step(s)`);
  const { actual, candidate, difference } = totals.approvals;
  console.log(
    `approvals ${actual} -> ${candidate} (${difference >= 0 ? '+' : ''}${difference}),` +
      ` refusals ${totals.refusals.actual} -> ${totals.refusals.candidate}, ${totals.changed_steps} step(s) change`,
  );
  for (const [group, n] of Object.entries(totals.by_group))
    console.log(`  group ${group}: ${n.actual} -> ${n.candidate}`);
  for (const request of body.requests)
    for (const step of request.steps.filter((s) => s.changed))
      console.log(`  ${request.workflow_id} ${step.step_id}: ${describe(step.actual)} -> ${describe(step.candidate)}`);
  return 0;
}

process.exitCode = await main();
