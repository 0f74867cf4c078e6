/**
 * One read of the inbox's listing from visibility, made cheap for a gateway that repeats it every
 * second: the raw list (the SDK's list decodes every memo and search attribute into objects the
 * inbox never looks at), only the pending-approvals memo decoded, and a run whose memo is byte for
 * byte what the last read saw keeps its records from then instead of being parsed again.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { PENDING_APPROVALS_MEMO } from '../../src/shared/messages.js';
import { inboxFromMemos, LISTING_LIMIT, pendingApprovalsQuery } from '../visibility.js';

type Payload = temporal.api.common.v1.IPayload;

/**
 * Executions per visibility page. The server takes about as long for 1000 runs in pages of 200 as
 * in one page of 1000 (bench/inbox.ts), and decoding a page holds the gateway's event loop: smaller
 * pages let the inbox's pages be served between them while a renewal runs.
 */
const PAGE_SIZE = 200;

interface Parsed {
  data: Uint8Array;
  records: ApprovalRecord[];
}

export class PendingApprovalsReader {
  /** Each listed run's memo as last read and its records; runs no longer listed are dropped each read. */
  #parsed = new Map<string, Parsed>();

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Every pending approval of the task queue's waiting runs (at most LISTING_LIMIT runs), oldest request first. */
  async read(): Promise<ApprovalRecord[]> {
    const query = pendingApprovalsQuery(this.taskQueue);
    const parsed = new Map<string, Parsed>();
    let token: Uint8Array | undefined;
    do {
      const page = await this.client.workflowService.listWorkflowExecutions({
        namespace: this.client.options.namespace,
        query,
        pageSize: Math.min(PAGE_SIZE, LISTING_LIMIT - parsed.size),
        ...(token && { nextPageToken: token }),
      });
      for (const execution of page.executions) {
        const workflowId = execution.execution?.workflowId;
        const payload = execution.memo?.fields?.[PENDING_APPROVALS_MEMO];
        if (!workflowId || !payload?.data) continue;
        parsed.set(workflowId, await this.#recordsOf(workflowId, payload, payload.data));
      }
      token = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (token && parsed.size < LISTING_LIMIT);
    this.#parsed = parsed;
    return sortedOldestFirst([...parsed.values()].flatMap((p) => p.records));
  }

  async #recordsOf(workflowId: string, payload: Payload, data: Uint8Array): Promise<Parsed> {
    const known = this.#parsed.get(workflowId);
    if (known && Buffer.compare(known.data, data) === 0) return known;
    const memo = await decodeOptionalSinglePayload<unknown>(this.client.options.loadedDataConverter, payload);
    return { data, records: inboxFromMemos([{ [PENDING_APPROVALS_MEMO]: memo }]) };
  }
}

function sortedOldestFirst(records: ApprovalRecord[]): ApprovalRecord[] {
  return records.sort(
    (a, b) => a.requested_at.localeCompare(b.requested_at) || a.approval_id.localeCompare(b.approval_id),
  );
}
