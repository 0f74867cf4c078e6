// @ts-check
/**
 * The gateway's HTTP API as the page uses it: one `request` that adds the bearer token, parses
 * JSON and turns the `{ error: { code, message } }` shape into an ApiError with words for people.
 * Its payload types are in api-contract.js.
 */

/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */
/** @typedef {import('./api-contract.js').ChatResponse} ChatResponse */
/** @typedef {import('./api-contract.js').PageConfig} PageConfig */
/** @typedef {import('./api-contract.js').RunView} RunView */

/** A refusal or failure from the API, with the server's own message. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the gateway could not be reached
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {{ token: () => string, onUnauthorized: (err: ApiError) => void }} options
 */
export function createApi({ token, onUnauthorized }) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async function request(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', 'The gateway cannot be reached. Is it running?');
    }
    const text = await res.text();
    /** @type {any} */
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err =
        json && typeof json.error === 'object' && json.error
          ? new ApiError(res.status, String(json.error.code), String(json.error.message))
          : new ApiError(
              res.status,
              'http_' + res.status,
              `The gateway answered ${res.status} ${res.statusText}`.trim(),
            );
      if (res.status === 401) onUnauthorized(err);
      throw err;
    }
    return json;
  }

  const id = encodeURIComponent;
  return {
    /** @returns {Promise<PageConfig>} */
    async config() {
      /** @type {PageConfig} */
      const fallback = { temporalUiUrl: 'http://localhost:8233', namespace: 'default', auth: undefined };
      try {
        const body = await request('GET', '/api/config');
        const auth = body?.auth;
        return {
          temporalUiUrl:
            typeof body?.temporal_ui_url === 'string'
              ? body.temporal_ui_url.replace(/\/+$/, '')
              : fallback.temporalUiUrl,
          namespace: typeof body?.namespace === 'string' ? body.namespace : fallback.namespace,
          auth:
            typeof auth === 'boolean'
              ? auth
              : typeof auth === 'string'
                ? auth !== 'off' && auth !== 'none'
                : typeof auth?.enabled === 'boolean'
                  ? auth.enabled
                  : undefined,
        };
      } catch {
        return fallback;
      }
    },
    /**
     * @param {{ message: string, user_id?: string, session_id?: string }} body
     * @returns {Promise<ChatResponse>}
     */
    chat: (body) => request('POST', '/chat', body),
    /**
     * One page of the inbox (GET /api/approvals): `filters` are its query parameters (sort, tool,
     * min_amount, can_decide, decider, limit, cursor ...); empty values are left out.
     * @param {Record<string, string>} [filters]
     * @returns {Promise<{ approvals: ApprovalRecord[], next_cursor?: string, total: number }>}
     */
    async pendingApprovals(filters = {}) {
      const query = new URLSearchParams({ status: 'pending' });
      for (const [key, value] of Object.entries(filters)) if (value !== '') query.set(key, value);
      const body = await request('GET', `/api/approvals?${query}`);
      const approvals = Array.isArray(body?.approvals) ? body.approvals : [];
      return {
        approvals,
        next_cursor: typeof body?.next_cursor === 'string' ? body.next_cursor : undefined,
        total: typeof body?.total === 'number' ? body.total : approvals.length,
      };
    },
    /** @param {string} approvalId @returns {Promise<ApprovalRecord>} */
    async approval(approvalId) {
      const body = await request('GET', `/api/approvals/${id(approvalId)}`);
      return body && typeof body.approval === 'object' && body.approval ? body.approval : body;
    },
    /**
     * @param {string} approvalId
     * @param {{ decision: 'approve'|'reject', decided_by?: string, reason?: string, action_hash?: string }} body
     * @returns {Promise<{ success?: boolean, status?: 'accepted', applied?: boolean, message: string,
     *   approval?: ApprovalRecord }>}
     */
    decide: (approvalId, body) => request('POST', `/api/approvals/${id(approvalId)}/decision`, body),
    /**
     * Takes back an approval in its cooling-off window; the run answers revoked or too_late.
     * @param {string} approvalId
     * @param {{ revoked_by?: string, reason?: string }} body
     * @returns {Promise<{ outcome: 'revoked'|'too_late', started_at?: string, message: string,
     *   approval: ApprovalRecord }>}
     */
    revoke: (approvalId, body) => request('POST', `/api/approvals/${id(approvalId)}/revoke`, body),
    /**
     * Replaces a waiting step's arguments; the run asks its policy again (202 without a worker: no approval yet).
     * @param {string} approvalId
     * @param {{ args: Record<string, unknown>, edited_by?: string, reason?: string, action_hash?: string }} body
     * @returns {Promise<{ success?: boolean, status?: 'accepted', message: string, approval?: ApprovalRecord,
     *   step_state?: string }>}
     */
    editApproval: (approvalId, body) => request('POST', `/api/approvals/${id(approvalId)}/edit`, body),
    /**
     * Several decisions in one request, each answered on its own in the order sent.
     * @param {{ approval_id: string, decision: 'approve'|'reject', decided_by?: string, reason?: string,
     *   action_hash?: string }[]} decisions
     * @returns {Promise<{ results: { approval_id?: string, ok: boolean, status: number, outcome?: string,
     *   message?: string, error?: { code: string, message: string } }[] }>}
     */
    decideMany: (decisions) => request('POST', '/api/approvals/decisions', { decisions }),
    /** Steps held for an operator, across runs. @returns {Promise<any[]>} */
    async heldSteps() {
      const body = await request('GET', '/api/attention?limit=200');
      return Array.isArray(body?.attention) ? body.attention : [];
    },
    /**
     * @param {string} workflowId
     * @param {string} stepId
     * @param {{ action: string, args?: unknown, reason?: string, decided_by?: string }} body
     * @returns {Promise<{ success: boolean, message: string }>}
     */
    actOnStep: (workflowId, stepId, body) => request('POST', `/api/attention/${id(workflowId)}/${id(stepId)}`, body),
    /**
     * The request reviewed as a whole, each step previewing `choices` (a skipped step's dependents show skipped).
     * @param {string} workflowId
     * @param {Record<string, string>} choices
     * @returns {Promise<import('./review-view.js').RequestReview>}
     */
    review(workflowId, choices) {
      const listed = Object.entries(choices).map(([step, choice]) => `${step}:${choice}`);
      const query = listed.length > 0 ? `?${new URLSearchParams({ choices: listed.join(',') })}` : '';
      return request('GET', `/api/requests/${id(workflowId)}/review${query}`);
    },
    /**
     * One decision on several steps, bound to the review's hash (409 stale_review when the request changed).
     * @param {string} workflowId
     * @param {{ review_hash: string, steps: Record<string, string>, decided_by?: string, reason?: string }} body
     * @returns {Promise<{ success: boolean, message: string, results: { step_id: string, outcome: string,
     *   message: string }[] }>}
     */
    decideReview: (workflowId, body) => request('POST', `/api/requests/${id(workflowId)}/review/decision`, body),
    /** @param {string} workflowId @returns {Promise<RunView>} */
    run: (workflowId) => request('GET', `/api/workflows/${id(workflowId)}`),
    /**
     * Opens the run's SSE stream with a single-use ticket, so the bearer token never appears in a
     * URL. A ticket works once: after a drop, open a new stream (with the last seq seen).
     * @param {string} workflowId
     * @param {number} afterSeq
     * @returns {Promise<EventSource>}
     */
    async stream(workflowId, afterSeq) {
      /** @type {{ ticket: string, expires_at: string }} */
      const { ticket } = await request('POST', `/api/workflows/${id(workflowId)}/stream-ticket`);
      const query = new URLSearchParams({ ticket, ...(afterSeq > 0 ? { last_event_id: String(afterSeq) } : {}) });
      return new EventSource(`/api/workflows/${id(workflowId)}/stream?${query}`);
    },
    /**
     * One page of the audit trail (GET /api/audit); empty filters are left out.
     * @param {Record<string, string>} filters
     * @returns {Promise<{ records: import('./audit-format.js').AuditRecord[], next_cursor?: string }>}
     */
    audit(filters) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value !== '') query.set(key, value);
      return request('GET', `/api/audit?${query}`);
    },
    /** The stored chain checked by the gateway. @returns {Promise<import('./audit-format.js').AuditVerdict>} */
    auditVerify: () => request('GET', '/api/audit/verify'),
    /**
     * The whole chain as NDJSON, fetched with the bearer token (a plain link could not carry it).
     * @returns {Promise<Blob>}
     */
    async auditExport() {
      const bearer = token();
      const res = await fetch('/api/audit/export', bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : {});
      if (!res.ok) {
        /** @type {any} */
        const body = await res.json().catch(() => undefined);
        const err = new ApiError(
          res.status,
          String(body?.error?.code ?? `http_${res.status}`),
          String(body?.error?.message ?? `The gateway answered ${res.status}`),
        );
        if (res.status === 401) onUnauthorized(err);
        throw err;
      }
      return res.blob();
    },
    /**
     * @param {{ policy: unknown, since?: string, from?: string, to?: string }} body
     * @returns {Promise<import('./audit-format.js').SimulationReport>}
     */
    simulatePolicy: (body) => request('POST', '/api/policies/simulate', body),
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */
