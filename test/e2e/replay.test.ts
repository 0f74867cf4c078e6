/**
 * Replays recorded histories of real runs against today's workflow code: a change of the commands
 * the workflow writes (a different order, a removed activity) fails here. Request runs are pinned to
 * the build that started them, so a deliberate change is answered by recording again with
 * `npm run record-histories` (docs/decisions/no-patches-before-deploy.md), never by a patch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, inject } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { SCENARIO_NAMES } from '../../scripts/record-histories.js';

const dir = path.resolve('test/histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded histories', () => {
  it('has a history for every scenario the recorder plays', () => {
    expect(SCENARIO_NAMES.filter((name) => !files.includes(`${name}.json`))).toEqual([]);
  });

  it('replays every history without nondeterminism', async () => {
    const histories = files.map((file) => {
      const recorded = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      return { workflowId: recorded.workflowId, history: historyFromJSON(recorded.history) };
    });
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  });
});
