/** The assistant's answers: the sentences its tools write and the chat reply that carries them. */
import { describe, expect, it } from 'vitest';
import {
  balanceMessage,
  historyMessage,
  notCancellableMessage,
  pendingMessage,
  statusMessage,
  summarise,
  type TransferLine,
} from '../../activities/assistant-messages.js';
import { chatReply } from '../../gateway/chat-replies.js';
import type { StepView } from '../../src/shared/contracts.js';
import { runView, transferApproval } from '../support/views.js';

const step = (over: Partial<StepView>): StepView => ({
  id: 'account_balance',
  name: 'Read my balance',
  tool: 'account_balance',
  args: { account_id: '123' },
  risk_level: 'L0',
  depends_on: [],
  state: 'SUCCEEDED',
  attempts: 1,
  ...over,
});

const view = runView;
const pendingApproval = transferApproval();

const line = (over: Partial<TransferLine>): TransferLine => ({
  transfer_id: 't',
  direction: 'out',
  counterparty: 'kiran',
  amount_cents: 150_000,
  created_at: '2025-11-19T10:00:00.000Z',
  ...over,
});

describe('assistant sentences', () => {
  it.each([
    [balanceMessage(5_000_000), 'Your balance is $50,000.00.'],
    [balanceMessage(0), 'Your balance is $0.00.'],
    [historyMessage([], undefined), 'You have no transfers.'],
    [historyMessage([], '2025-11-01'), 'You have no transfers since 2025-11-01.'],
    [historyMessage([line({})], undefined), 'Your last transfer: $1,500.00 to kiran on 2025-11-19.'],
    [
      historyMessage([line({ direction: 'in', counterparty: 'bob', amount_cents: 2_000 }), line({})], '2025-11-17'),
      'Your 2 transfers since 2025-11-17: $20.00 from bob on 2025-11-19; $1,500.00 to kiran on 2025-11-19.',
    ],
    [pendingMessage([]), 'Nothing of yours is waiting for approval.'],
    [
      pendingMessage([pendingApproval]),
      '1 step is waiting for approval: Transfer $6,000.00 → kiran (req-1, since 2025-11-19 10:30 UTC).',
    ],
    [
      statusMessage(summarise(view({ status: 'WAITING_APPROVAL', approvals: [pendingApproval] })), false),
      'Your last request "Transfer 6000 to Kiran" (req-1) is waiting for approval: Transfer $6,000.00 → kiran.',
    ],
    [statusMessage(summarise(view({})), true), 'Your request "Transfer 6000 to Kiran" (req-1) completed.'],
    [
      statusMessage(summarise(view({ status: 'FAILED', error: 'transfer: Insufficient funds' })), true),
      'Your request "Transfer 6000 to Kiran" (req-1) failed: transfer: Insufficient funds',
    ],
    [
      notCancellableMessage(summarise(view({ status: 'REJECTED' })), false),
      'Your last request "Transfer 6000 to Kiran" (req-1) has already finished (REJECTED); there is nothing to cancel.',
    ],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('chatReply for questions and cancels', () => {
  it('answers with the tool result as data and its sentence as message', () => {
    const result = { account_id: '123', balance_cents: 5_000_000, message: 'Your balance is $50,000.00.' };
    expect(chatReply(view({ intent: 'balance', steps: [step({ result })] }))).toEqual({
      status: 'COMPLETED',
      reply: { intent: 'balance', status: 'success', data: result, message: 'Your balance is $50,000.00.' },
    });
  });

  it('answers a failed question with why, and no data', () => {
    const failed = step({
      id: 'cancel_request',
      tool: 'cancel_request',
      name: 'Cancel my last request',
      state: 'FAILED',
      error: 'You have no earlier request.',
    });
    expect(chatReply(view({ intent: 'cancel_request', status: 'FAILED', steps: [failed] }))).toEqual({
      status: 'FAILED',
      reply: { intent: 'cancel_request', status: 'failed', message: 'You have no earlier request.' },
    });
  });
});
