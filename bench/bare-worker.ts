/** A worker that runs only the bare baseline workflows, for measuring a Temporal server on its own. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBaselineActivities } from './bench-activities.js';

export interface BareWorker {
  client: Client;
  /** Stops the worker and closes both connections; the server keeps running. */
  stop: () => Promise<void>;
}

/** A worker polling `taskQueue` on the server at `address` (no sandbox behind it), and a client of that server. */
export async function startBareWorker(
  address: string,
  taskQueue: string,
  workflowBundle: { code: string },
): Promise<BareWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle,
    activities: createBaselineActivities('http://127.0.0.1:1', 'no-sandbox-here'),
  });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const running = worker.run();
  return {
    client,
    stop: async () => {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
    },
  };
}
