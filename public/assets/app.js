// @ts-check
/**
 * The page's entry: reads the gateway's config, builds the identity bar, chat, inbox, run view and
 * the audit and simulation views, and runs one ticker (every 2 s) that refreshes the inbox, follows
 * unsettled chat runs and polls the selected run when its stream is down.
 */
import { createApi } from './api.js';
import { createAttention } from './attention.js';
import { createAuditView } from './audit-view.js';
import { createChat } from './chat.js';
import { createHoldingCards } from './holding-cards.js';
import { createIdentity } from './identity.js';
import { createInbox } from './inbox.js';
import { createRunView } from './run-view.js';
import { createReviewView } from './review-view.js';
import { createSimulationView } from './simulation-view.js';
import { pageElement } from './page-element.js';

const TICK_MS = 2000;

/** @type {import('./api-contract.js').PageConfig} */
let config = { temporalUiUrl: 'http://localhost:8233', namespace: 'default', auth: undefined };

const identity = createIdentity({
  onChange(what) {
    if (what === 'user' || what === 'auth' || what === 'token') chat.identityChanged();
    if (what === 'auth' || what === 'token') runView.reconnect();
    void inbox.refresh();
  },
});

const api = createApi({
  token: identity.token,
  onUnauthorized(err) {
    identity.setAuth(true, `Sign-in is required: ${err.message}. Paste your token.`);
  },
});

/** Who revokes with auth off (the token says so with auth on). */
const revoker = () => (identity.authOn() ? undefined : identity.approverId());
const runView = createRunView({
  api,
  config: () => config,
  revoker,
  onRevoked: (approvalId) => holdingCards.remove(approvalId),
});
const holdingCards = createHoldingCards({ api, revoker, onRevoked: () => void runView.refresh() });
const inbox = createInbox({
  api,
  identity,
  onSelectRun: (workflowId) => runView.select(workflowId),
  onDecided: (approval) => {
    holdingCards.add(approval);
    void runView.refresh();
    void chat.tick();
  },
});
createReviewView({
  api,
  approverId: () => (identity.authOn() ? undefined : identity.approverId()),
  onDecided: () => {
    void runView.refresh();
    void inbox.refresh();
  },
});
const attention = createAttention({
  mount: pageElement('attention-mount', HTMLElement),
  api,
  identity,
  onSelectRun: (workflowId) => runView.select(workflowId),
  onActed: () => void runView.refresh(),
});
createAuditView({ mount: pageElement('audit-mount', HTMLElement), api });
createSimulationView({ mount: pageElement('simulation-mount', HTMLElement), api });
const chat = createChat({
  api,
  identity,
  onRun: (workflowId) => {
    runView.select(workflowId);
    void inbox.refresh();
  },
  onPending: (approvalId) => inbox.track(approvalId),
});

async function tick() {
  try {
    await Promise.all([inbox.refresh(), attention.refresh(), chat.tick()]);
    runView.tick();
  } finally {
    setTimeout(() => void tick(), TICK_MS);
  }
}

async function start() {
  config = await api.config();
  if (config.auth !== undefined) identity.setAuth(config.auth);
  document.body.dataset.ready = 'true';
  let previous;
  try {
    previous = sessionStorage.getItem('awe.selected_run') ?? undefined;
  } catch {
    previous = undefined;
  }
  if (previous) runView.select(previous);
  await tick();
}

void start();
