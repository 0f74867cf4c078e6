/**
 * What one `npm run bench` measured, as written to `bench/results/<date>.json`: raw samples in
 * milliseconds, so two runs can be compared and charted, not only their summaries.
 */
export interface BenchResults {
  meta: {
    date: string;
    quick: boolean;
    local_tool_calls: boolean;
    cpus: number;
    cpu_model: string;
    mem_gib: number;
    node: string;
    /** Wall time of the whole benchmark, in seconds. */
    seconds: number;
  };
  /** The first chat after the stack is up, before any warm-up. */
  first_chat_ms: number;
  /** Chat-to-settled of a low-value transfer against the bare two-activity workflow, alternating. */
  chat: { ours: number[]; baseline: number[] };
  /** From the approve call to its answer, which comes after the transfer executed. */
  approval: number[];
  /** Closed-loop: `clients` callers each sending the next request when the last one answered. */
  throughput: {
    clients: number;
    seconds: number;
    ours_per_s: number;
    baseline_per_s: number;
    /** CPU ms each process spent per transfer during the phase (`client` is the benchmark itself). */
    cpu_ms_per_transfer: { ours: Record<string, number>; baseline: Record<string, number> };
  };
  /** Open-loop: chats arrive at a fixed rate (a share of the measured throughput) whatever happens. */
  load: LoadPhase;
  /** The session workflow's share of a chat (bench/session-share.ts); absent in results from before it. */
  session_share?: SessionShare;
  dag: DagMeasure[];
  inbox: { waiting: number; ms: number[] };
  memory: { waiting: number; worker_mb: number; gateway_mb: number };
  /** Where a chat's time goes: medians of each segment of its path (see bench/breakdown.ts). */
  breakdown: { label: string; ours: Segment[]; baseline: Segment[] }[];
}

export interface LoadPhase {
  rate_per_s: number;
  seconds: number;
  started: number;
  completed: number;
  errors: string[];
  latencies: number[];
  /** Completions and median latency of the chats that finished in each second of the phase. */
  per_second: { second: number; completed: number; p50_ms: number }[];
}

export interface DagMeasure {
  label: string;
  shape: 'wide' | 'chain';
  count: number;
  step_ms: number;
  critical_path_ms: number;
  ours: number[];
  baseline: number[];
}

export interface Segment {
  segment: string;
  median_ms: number;
}

/** The session workflow's share of a chat, measured by bench/session-share.ts. */
export interface SessionShare {
  /** Start-to-settled of a low-value transfer, alternating, in ms. */
  latency: { without_session: number[]; with_session: number[] };
  /** Closed-loop phases of `seconds` each, `clients` callers. */
  throughput: { clients: number; seconds: number; without_session_per_s: number; with_session_per_s: number };
  /** CPU ms per chat of each process in those phases. */
  cpu_ms_per_chat: { without_session: Record<string, number>; with_session: Record<string, number> };
}
