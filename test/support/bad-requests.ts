/** Invalid requests that must be refused before the gateway talks to Temporal at all. */

export interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A string is sent as is (malformed JSON); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** A fragment the error message must contain (the field path, for validation errors). */
  message?: RegExp;
}

const big = 'x'.repeat(70 * 1024);

type Outcome = Pick<BadRequest, 'status' | 'code' | 'message'>;
const INVALID: Outcome = { status: 400, code: 'invalid_request' };
/** Refused by validation; the message names `field` (its path, for a schema's fields). */
const invalid = (field: RegExp): Outcome => ({ ...INVALID, message: field });
const BAD_JSON: Outcome = { status: 400, code: 'invalid_json' };
const TOO_LARGE: Outcome = { status: 413, code: 'payload_too_large' };
const NOT_JSON: Outcome = { status: 415, code: 'unsupported_media_type' };
const NOT_FOUND: Outcome = { status: 404, code: 'not_found' };

/** A POST refused as `outcome`; an undefined body sends none. */
function post(
  name: string,
  path: string,
  body: unknown,
  outcome: Outcome,
  headers?: Record<string, string>,
): BadRequest {
  return { name, method: 'POST', path, ...(body !== undefined && { body }), ...(headers && { headers }), ...outcome };
}

function get(name: string, path: string, outcome: Outcome, headers?: Record<string, string>): BadRequest {
  return { name, method: 'GET', path, ...(headers && { headers }), ...outcome };
}

const CHAT = '/chat';
const APPROVE = '/workflow/s1/approve';
const SUBMIT = '/api/workflows/submit';
const DECISION = '/api/approvals/req-x.transfer/decision';

export const BAD_REQUESTS: BadRequest[] = [
  post('chat: malformed JSON', CHAT, '{"message": "Transfer 6000', { ...BAD_JSON, message: /Malformed JSON/ }),
  post('chat: empty body', CHAT, '', BAD_JSON),
  post('chat: body is an array', CHAT, ['Transfer 1 to kiran'], invalid(/body/)),
  post('chat: message missing', CHAT, { user_id: 'default_user' }, invalid(/body\.message/)),
  post('chat: message of the wrong type', CHAT, { message: 6000 }, invalid(/body\.message/)),
  post('chat: blank message', CHAT, { message: '   ' }, invalid(/body\.message/)),
  post('chat: message too long', CHAT, { message: 'a'.repeat(2001) }, invalid(/body\.message/)),
  post('chat: user id with spaces', CHAT, { message: 'hi', user_id: 'bob smith' }, invalid(/body\.user_id/)),
  post('chat: user id of the wrong type', CHAT, { message: 'hi', user_id: 7 }, invalid(/body\.user_id/)),
  post('chat: session id with a quote', CHAT, { message: 'hi', session_id: "x' OR 1=1" }, invalid(/body\.session_id/)),
  post('chat: oversized body', CHAT, { message: big }, TOO_LARGE),
  post('chat: Idempotency-Key with spaces', CHAT, { message: 'hi' }, invalid(/Idempotency-Key/), {
    'Idempotency-Key': 'a b',
  }),
  post('approve: approved is a string', APPROVE, { approver_id: 'm', approved: 'yes' }, invalid(/body\.approved/)),
  post('approve: approved missing', APPROVE, { approver_id: 'm' }, invalid(/body\.approved/)),
  post('approve: approver missing (auth off)', APPROVE, { approved: true }, invalid(/body\.approver_id/)),
  post('approve: malformed JSON', APPROVE, '{approved: true}', BAD_JSON),
  post(
    'approve: reason too long',
    APPROVE,
    { approver_id: 'm', approved: false, reason: 'r'.repeat(1001) },
    invalid(/body\.reason/),
  ),
  post(
    'approve: session id too long',
    `/workflow/${'s'.repeat(129)}/approve`,
    { approver_id: 'm', approved: true },
    invalid(/path\.session_id/),
  ),
  get('status: session id with a space', '/workflow/a%20b/status', invalid(/path\.session_id/)),
  get('sessions: user id with a quote', "/sessions?user_id=a'b", invalid(/query\.user_id/)),
  post('submit: intent missing', '/api/workflows/submit?user_id=1', undefined, invalid(/query\.intent/)),
  post('submit: malformed JSON', SUBMIT, '{"intent":', BAD_JSON),
  post('submit: intent of the wrong type', SUBMIT, { intent: ['plan groceries'] }, invalid(/body\.intent/)),
  post('submit: oversized body', SUBMIT, { intent: big }, TOO_LARGE),
  get('run: id with a space', '/api/workflows/req%20x', invalid(/path\.id/)),
  post(
    'decision: a bad id is named before a malformed body is read',
    '/api/approvals/a%20b/decision',
    '{"decision": ',
    invalid(/path\.id/),
  ),
  post(
    'step action: a bad step id is named before a body of the wrong type',
    '/api/attention/req-x/Not-A-Step',
    'retry',
    invalid(/path\.step_id/),
    { 'content-type': 'text/plain' },
  ),
  post('cancel: id with a quote', "/api/workflows/req'x/cancel", undefined, invalid(/path\.id/)),
  get('stream: Last-Event-ID not digits', '/api/workflows/req-x/stream', invalid(/Last-Event-ID/), {
    'Last-Event-ID': 'abc',
  }),
  get('stream: Last-Event-ID negative', '/api/workflows/req-x/stream', invalid(/Last-Event-ID/), {
    'Last-Event-ID': '-1',
  }),
  get('approvals: unsupported status', '/api/approvals?status=approved', invalid(/query\.status/)),
  post('decision: invalid decision value', DECISION, { decision: 'maybe', decided_by: 'm' }, invalid(/body\.decision/)),
  post('decision: decision missing', DECISION, { decided_by: 'm' }, invalid(/body\.decision/)),
  post(
    'decision: approved as boolean instead of decision',
    DECISION,
    { approved: true, decided_by: 'm' },
    invalid(/body\.decision/),
  ),
  post(
    'decision: decided_by negative number',
    DECISION,
    { decision: 'approve', decided_by: -1 },
    invalid(/body\.decided_by/),
  ),
  post(
    'decision: approval id that names no run',
    '/api/approvals/no-dot-here/decision',
    { decision: 'approve', decided_by: 'm' },
    NOT_FOUND,
  ),
  get('approval: id that names no run', '/api/approvals/nodot', NOT_FOUND),
  post(
    'chat: text/plain body (a foreign form)',
    CHAT,
    { message: 'Transfer 6000 to Kiran' },
    { ...NOT_JSON, message: /application\/json/ },
    { 'content-type': 'text/plain' },
  ),
  post('chat: form-encoded body', CHAT, 'message=Transfer+6000+to+Kiran', NOT_JSON, {
    'content-type': 'application/x-www-form-urlencoded',
  }),
  post('chat: JSON without a Content-Type', CHAT, { message: 'hi' }, NOT_JSON, { 'content-type': '' }),
  post('submit: text/plain body', SUBMIT, { intent: 'plan groceries' }, NOT_JSON, {
    'content-type': 'text/plain;charset=UTF-8',
  }),
  post('approve: text/plain body', APPROVE, { approver_id: 'm', approved: true }, NOT_JSON, {
    'content-type': 'text/plain',
  }),
  post('decision: multipart body', DECISION, { decision: 'approve', decided_by: 'm' }, NOT_JSON, {
    'content-type': 'multipart/form-data; boundary=x',
  }),
  get('unknown route', '/api/nothing-here', NOT_FOUND),
  get('wrong method', CHAT, NOT_FOUND),
  get('unknown asset', '/assets/none.js', NOT_FOUND),
];

export async function send(
  baseUrl: string,
  bad: BadRequest,
  fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<Response> {
  const headers: Record<string, string> = { ...bad.headers };
  const init: RequestInit = { method: bad.method, headers };
  if (bad.body !== undefined) {
    init.body = typeof bad.body === 'string' ? bad.body : JSON.stringify(bad.body);
    headers['content-type'] ??= 'application/json';
    // An empty Content-Type stands for none: fetch would otherwise label a string text/plain.
    if (headers['content-type'] === '') {
      delete headers['content-type'];
      init.body = new Blob([init.body as string]);
    }
  }
  return fetcher(`${baseUrl}${bad.path}`, init);
}
