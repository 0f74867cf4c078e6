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

export const BAD_REQUESTS: BadRequest[] = [
  { name: 'chat: malformed JSON', method: 'POST', path: '/chat', body: '{"message": "Transfer 6000', status: 400, code: 'invalid_json', message: /Malformed JSON/ },
  { name: 'chat: empty body', method: 'POST', path: '/chat', body: '', status: 400, code: 'invalid_json' },
  { name: 'chat: body is an array', method: 'POST', path: '/chat', body: ['Transfer 1 to kiran'], status: 400, code: 'invalid_request', message: /body/ },
  { name: 'chat: message missing', method: 'POST', path: '/chat', body: { user_id: 'default_user' }, status: 400, code: 'invalid_request', message: /body\.message/ },
  { name: 'chat: message of the wrong type', method: 'POST', path: '/chat', body: { message: 6000 }, status: 400, code: 'invalid_request', message: /body\.message/ },
  { name: 'chat: blank message', method: 'POST', path: '/chat', body: { message: '   ' }, status: 400, code: 'invalid_request', message: /body\.message/ },
  { name: 'chat: message too long', method: 'POST', path: '/chat', body: { message: 'a'.repeat(2001) }, status: 400, code: 'invalid_request', message: /body\.message/ },
  { name: 'chat: user id with spaces', method: 'POST', path: '/chat', body: { message: 'hi', user_id: 'bob smith' }, status: 400, code: 'invalid_request', message: /body\.user_id/ },
  { name: 'chat: user id of the wrong type', method: 'POST', path: '/chat', body: { message: 'hi', user_id: 7 }, status: 400, code: 'invalid_request', message: /body\.user_id/ },
  { name: 'chat: session id with a quote', method: 'POST', path: '/chat', body: { message: 'hi', session_id: "x' OR 1=1" }, status: 400, code: 'invalid_request', message: /body\.session_id/ },
  { name: 'chat: oversized body', method: 'POST', path: '/chat', body: { message: big }, status: 413, code: 'payload_too_large' },
  { name: 'chat: Idempotency-Key with spaces', method: 'POST', path: '/chat', body: { message: 'hi' }, headers: { 'Idempotency-Key': 'a b' }, status: 400, code: 'invalid_request', message: /Idempotency-Key/ },
  { name: 'approve: approved is a string', method: 'POST', path: '/workflow/s1/approve', body: { approver_id: 'm', approved: 'yes' }, status: 400, code: 'invalid_request', message: /body\.approved/ },
  { name: 'approve: approved missing', method: 'POST', path: '/workflow/s1/approve', body: { approver_id: 'm' }, status: 400, code: 'invalid_request', message: /body\.approved/ },
  { name: 'approve: approver missing (auth off)', method: 'POST', path: '/workflow/s1/approve', body: { approved: true }, status: 400, code: 'invalid_request', message: /body\.approver_id/ },
  { name: 'approve: malformed JSON', method: 'POST', path: '/workflow/s1/approve', body: '{approved: true}', status: 400, code: 'invalid_json' },
  { name: 'approve: reason too long', method: 'POST', path: '/workflow/s1/approve', body: { approver_id: 'm', approved: false, reason: 'r'.repeat(1001) }, status: 400, code: 'invalid_request', message: /body\.reason/ },
  { name: 'approve: session id too long', method: 'POST', path: `/workflow/${'s'.repeat(129)}/approve`, body: { approver_id: 'm', approved: true }, status: 400, code: 'invalid_request', message: /path\.session_id/ },
  { name: 'status: session id with a space', method: 'GET', path: '/workflow/a%20b/status', status: 400, code: 'invalid_request', message: /path\.session_id/ },
  { name: 'sessions: user id with a quote', method: 'GET', path: "/sessions?user_id=a'b", status: 400, code: 'invalid_request', message: /query\.user_id/ },
  { name: 'submit: intent missing', method: 'POST', path: '/api/workflows/submit?user_id=1', status: 400, code: 'invalid_request', message: /query\.intent/ },
  { name: 'submit: malformed JSON', method: 'POST', path: '/api/workflows/submit', body: '{"intent":', status: 400, code: 'invalid_json' },
  { name: 'submit: intent of the wrong type', method: 'POST', path: '/api/workflows/submit', body: { intent: ['plan groceries'] }, status: 400, code: 'invalid_request', message: /body\.intent/ },
  { name: 'submit: oversized body', method: 'POST', path: '/api/workflows/submit', body: { intent: big }, status: 413, code: 'payload_too_large' },
  { name: 'run: id with a space', method: 'GET', path: '/api/workflows/req%20x', status: 400, code: 'invalid_request', message: /path\.id/ },
  { name: 'cancel: id with a quote', method: 'POST', path: "/api/workflows/req'x/cancel", status: 400, code: 'invalid_request', message: /path\.id/ },
  { name: 'stream: Last-Event-ID not digits', method: 'GET', path: '/api/workflows/req-x/stream', headers: { 'Last-Event-ID': 'abc' }, status: 400, code: 'invalid_request', message: /Last-Event-ID/ },
  { name: 'stream: Last-Event-ID negative', method: 'GET', path: '/api/workflows/req-x/stream', headers: { 'Last-Event-ID': '-1' }, status: 400, code: 'invalid_request', message: /Last-Event-ID/ },
  { name: 'approvals: unsupported status', method: 'GET', path: '/api/approvals?status=approved', status: 400, code: 'invalid_request', message: /query\.status/ },
  { name: 'decision: invalid decision value', method: 'POST', path: '/api/approvals/req-x.transfer/decision', body: { decision: 'maybe', decided_by: 'm' }, status: 400, code: 'invalid_request', message: /body\.decision/ },
  { name: 'decision: decision missing', method: 'POST', path: '/api/approvals/req-x.transfer/decision', body: { decided_by: 'm' }, status: 400, code: 'invalid_request', message: /body\.decision/ },
  { name: 'decision: approved as boolean instead of decision', method: 'POST', path: '/api/approvals/req-x.transfer/decision', body: { approved: true, decided_by: 'm' }, status: 400, code: 'invalid_request', message: /body\.decision/ },
  { name: 'decision: decided_by negative number', method: 'POST', path: '/api/approvals/req-x.transfer/decision', body: { decision: 'approve', decided_by: -1 }, status: 400, code: 'invalid_request', message: /body\.decided_by/ },
  { name: 'decision: approval id that names no run', method: 'POST', path: '/api/approvals/no-dot-here/decision', body: { decision: 'approve', decided_by: 'm' }, status: 404, code: 'not_found' },
  { name: 'approval: id that names no run', method: 'GET', path: '/api/approvals/nodot', status: 404, code: 'not_found' },
  { name: 'chat: text/plain body (a foreign form)', method: 'POST', path: '/chat', body: { message: 'Transfer 6000 to Kiran' }, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type', message: /application\/json/ },
  { name: 'chat: form-encoded body', method: 'POST', path: '/chat', body: 'message=Transfer+6000+to+Kiran', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'chat: JSON without a Content-Type', method: 'POST', path: '/chat', body: { message: 'hi' }, headers: { 'content-type': '' }, status: 415, code: 'unsupported_media_type' },
  { name: 'submit: text/plain body', method: 'POST', path: '/api/workflows/submit', body: { intent: 'plan groceries' }, headers: { 'content-type': 'text/plain;charset=UTF-8' }, status: 415, code: 'unsupported_media_type' },
  { name: 'approve: text/plain body', method: 'POST', path: '/workflow/s1/approve', body: { approver_id: 'm', approved: true }, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { name: 'decision: multipart body', method: 'POST', path: '/api/approvals/req-x.transfer/decision', body: { decision: 'approve', decided_by: 'm' }, headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, code: 'unsupported_media_type' },
  { name: 'unknown route', method: 'GET', path: '/api/nothing-here', status: 404, code: 'not_found' },
  { name: 'wrong method', method: 'GET', path: '/chat', status: 404, code: 'not_found' },
  { name: 'unknown asset', method: 'GET', path: '/assets/none.js', status: 404, code: 'not_found' },
];

export async function send(baseUrl: string, bad: BadRequest, fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch): Promise<Response> {
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
