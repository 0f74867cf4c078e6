/** scripts/setup-namespace.ts, run as the command it is, twice against a fresh namespace on the dev server. */
import { SEARCH_ATTRIBUTE_FLAGS } from '../../src/shared/messages.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { planAttributes, WANTED_ATTRIBUTES } from '../../scripts/setup-namespace.js';
import { uniqueId } from '../support/temporal.js';

const run = promisify(execFile);
const {
  INDEXED_VALUE_TYPE_KEYWORD: KEYWORD,
  INDEXED_VALUE_TYPE_KEYWORD_LIST: KEYWORD_LIST,
  INDEXED_VALUE_TYPE_INT: INT,
} = proto.temporal.api.enums.v1.IndexedValueType;

describe('planAttributes', () => {
  const wanted = [
    { name: 'UserId', type: KEYWORD },
    { name: 'PendingApprovalIds', type: KEYWORD_LIST },
  ];
  it.each([
    ['nothing registered', {}, ['UserId', 'PendingApprovalIds'], []],
    ['one registered', { UserId: KEYWORD }, ['PendingApprovalIds'], []],
    ['all registered, plus others', { UserId: KEYWORD, PendingApprovalIds: KEYWORD_LIST, Other: INT }, [], []],
    ['one with another type', { UserId: INT, PendingApprovalIds: KEYWORD_LIST }, [], ['UserId']],
  ])('%s', (_, existing, missing, conflicting) => {
    const plan = planAttributes(wanted, existing);
    expect(plan.missing.map((a) => a.name)).toEqual(missing);
    expect(plan.conflicting.map((c) => c.name)).toEqual(conflicting);
  });

  it('wants every search attribute the project defines, as the dev server flags register them', () => {
    expect(WANTED_ATTRIBUTES.map((a) => a.name).sort()).toEqual(
      SEARCH_ATTRIBUTE_FLAGS.map((flag) => flag.split('=')[0]).sort(),
    );
    expect(WANTED_ATTRIBUTES.map((a) => a.name)).toContain('AttentionStepIds');
  });
});

describe('./temporal-dev.sh setup-namespace (scripts/setup-namespace.ts)', () => {
  const address = inject('temporalAddress');
  const namespace = uniqueId('setup-ns');
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });
  afterAll(async () => {
    await connection?.close();
  });

  const setup = async (): Promise<string> => {
    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/setup-namespace.ts'], {
      env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
      timeout: 90_000,
    });
    return stdout;
  };

  it('creates a missing namespace and registers the search attributes, then changes nothing', async () => {
    await expect(connection.workflowService.describeNamespace({ namespace })).rejects.toThrow(/not found/i);

    const first = await setup();
    expect(first).toContain(`created namespace "${namespace}"`);
    expect(first).toContain('registered search attributes');
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    expect(customAttributes).toMatchObject({
      UserId: KEYWORD,
      SessionId: KEYWORD,
      Intent: KEYWORD,
      RunStatus: KEYWORD,
      PendingApprovalIds: KEYWORD_LIST,
    });

    const second = await setup();
    expect(second.trim()).toBe(`namespace "${namespace}" on ${address} is ready; nothing to change`);
    const after = await connection.operatorService.listSearchAttributes({ namespace });
    expect(after.customAttributes).toEqual(customAttributes);
  }, 120_000);
});
