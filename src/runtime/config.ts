/**
 * Configuration from environment variables, validated once at start-up.
 * A bad value stops the process with a message naming the variable.
 */
import { z } from 'zod';
import type { RunSettings } from '../shared/contracts.js';
import { parseDuration } from '../shared/duration.js';
import { parseMoneyToCents } from '../shared/money.js';
import { WORKFLOW_TASK_TIMEOUT_MS } from '../shared/timeouts.js';
import { issueLines } from '../shared/zod-issues.js';
import { defaultPolicy } from '../shared/policy/evaluate.js';
import type { RunPolicy } from '../shared/policy/schema.js';
import { ConfigError } from './config-error.js';
import { readPolicyFile, runPolicyOf } from './policy-file.js';

export { ConfigError, readPolicyFile, runPolicyOf };

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `a,b , c` → ['a', 'b', 'c']: lists of files or host names in one variable. */
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);
/** A text read into a positive number (a duration, an amount), or one issue that says what is wanted. */
const positiveParsed = (fallback: string, parse: (text: string) => number | undefined, wanted: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const value = parse(v);
      if (value === undefined || value <= 0) {
        ctx.addIssue({ code: 'custom', message: wanted });
        return z.NEVER;
      }
      return value;
    });
const LATENCY_WANTED = 'must be an integer number of milliseconds between 0 and 60000';
const positiveDuration = (fallback: string) =>
  positiveParsed(fallback, parseDuration, 'must be a duration such as 30s, 15m, 24h or 2d');

export const EnvSchema = z
  .object({
    /** The Temporal frontend (host:port) the worker, gateway and scripts connect to. */
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    /** The Temporal namespace of every run. */
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** TLS to the Temporal frontend (the SDK's variable names); implied by an API key, a client certificate or a CA. */
    TEMPORAL_TLS: bool.default(false),
    /** Temporal Cloud's API key. */
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /** mTLS: the client certificate and its key (PEM files), used only as a pair. */
    TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
    /** The CA that signed the server's certificate, when it is not a public one. */
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
    /** The task queue the worker polls and the gateway starts runs on. */
    TASK_QUEUE: z.string().min(1).default('requests'),
    /** Where the gateway listens: host, then port. With auth off it refuses a host that is not loopback. */
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    GATEWAY_PORT: port.default(8000),
    /** `token`: bearer tokens from GATEWAY_TOKENS_FILE (token → user_id, role, groups); `jwt`: bearer JWTs. */
    GATEWAY_AUTH: z.enum(['off', 'token', 'jwt']).default('off'),
    GATEWAY_TOKENS_FILE: z.string().optional(),
    /** GATEWAY_AUTH=jwt: where the signing keys are, one of a JWKS URL or a PEM public key file. */
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /** GATEWAY_AUTH=jwt: the `iss` and `aud` every token must carry. */
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    /** Signature algorithms accepted from the JWKS (comma-separated); a key file's own algorithm otherwise. */
    JWT_ALGORITHMS: commaList
      .pipe(
        z
          .array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
          .min(1),
      )
      .default(['RS256', 'ES256', 'EdDSA']),
    /** Claims that carry the user id, the role (requester, approver or admin; requester when absent) and the groups. */
    JWT_USER_CLAIM: z.string().min(1).default('sub'),
    JWT_ROLE_CLAIM: z.string().min(1).default('role'),
    JWT_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /**
     * Origins besides the gateway's own whose pages may change state (comma-separated, e.g.
     * https://ops.example.com).
     */
    GATEWAY_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const origins: string[] = [];
        for (const entry of v
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== '')) {
          const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
          if (origin === 'null' || origin !== entry.replace(/\/$/, '')) {
            ctx.addIssue({
              code: 'custom',
              message: `${JSON.stringify(entry)} is not an origin like https://host:port`,
            });
            return z.NEVER;
          }
          origins.push(origin);
        }
        return origins;
      }),
    /** How long `POST /chat` waits for the run to settle before answering `RUNNING`. */
    CHAT_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    /**
     * Pause between the reads that keep the inbox's listing fresh (0: every request reads it; concurrent
     * ones share).
     */
    INBOX_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** The oldest inbox listing served, from when its read began; older, a request waits for a new read. */
    INBOX_MAX_AGE_MS: z.coerce.number().int().min(1).max(300_000).default(10_000),
    /** Base of the Temporal Web UI links on the web page. */
    TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
    /** The sandbox backend: its URL (worker), its port and its SQLite file (sandbox). */
    SANDBOX_URL: z.string().url().default('http://127.0.0.1:8081'),
    SANDBOX_PORT: port.default(8081),
    SANDBOX_DB: z.string().min(1).default('.temporal/sandbox.db'),
    /** The service credential every sandbox API call carries as `Authorization: Bearer …` (sandbox and worker). */
    SANDBOX_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{32,256}$/, 'must be 32-256 characters of A-Z a-z 0-9 . _ ~ + / = -')
      .optional(),
    /** Host names the sandbox answers to besides 127.0.0.1 and localhost (with or without its port). */
    SANDBOX_ALLOWED_HOSTS: commaList.default([]),
    /** The sandbox holds every API answer this long after its work is committed (for crash tests). */
    SANDBOX_LATENCY_MS: z.coerce
      .number({ error: LATENCY_WANTED })
      .int({ error: LATENCY_WANTED })
      .min(0, { error: LATENCY_WANTED })
      .max(60_000, { error: LATENCY_WANTED })
      .default(0),
    /** The gateway's Ed25519 private key (PEM): it signs every decision it sends to a run. */
    DECISION_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** Public keys (PEM files, comma-separated) whose decisions new runs accept as the gateway's (worker). */
    DECISION_PUBLIC_KEY_FILES: commaList.default([]),
    /** Public keys of operators' break-glass keys (worker); decisions they sign are marked `via: operator`. */
    OPERATOR_PUBLIC_KEY_FILES: commaList.default([]),
    /** The operator's private key used by `./temporal-dev.sh decide`. */
    OPERATOR_SIGNING_KEY_FILE: z.string().min(1).default('.temporal/operator-key.pem'),
    /** Dollars from which a transfer needs approval under the built-in policy (5000 pauses, 4999.99 not). */
    HIL_THRESHOLD: positiveParsed('5000', parseMoneyToCents, 'must be a positive amount with at most two decimals'),
    /** No decision by then (30s, 15m, 24h, 2d): the approval expires and the step is rejected. */
    APPROVAL_TIMEOUT: positiveDuration('24h'),
    /** Under the built-in policy, also gate L2 (reversible write) steps. */
    APPROVE_L2: bool.default(false),
    /** Run tool calls as local activities: faster, but a run cannot answer queries while a call is in flight. */
    LOCAL_TOOL_CALLS: bool.default(false),
    /** How long a failing step retries, from its first attempt (L3 steps stop after 3 attempts sooner). */
    STEP_RETRY_BUDGET: positiveDuration('10m'),
    /** Hold a step whose retries ran out on a system failure for an operator instead of failing it. */
    ATTENTION_ON_EXHAUSTED: bool.default(false),
    /**
     * A chat session's workflow closes after this long without a new request, so the open ones are
     * those in use; the session's next chat opens it again with its runs (gateway).
     */
    SESSION_IDLE_CLOSE: positiveDuration('10m'),
    /**
     * Workflow task timeout of the request and session runs the gateway starts: how soon a task that
     * died with its worker is given to another (src/shared/timeouts.ts says why 2 s). Raise it where
     * workers are starved of CPU so badly that a task of a few milliseconds waits longer for a core.
     */
    WORKFLOW_TASK_TIMEOUT: positiveDuration(`${WORKFLOW_TASK_TIMEOUT_MS}ms`),
    /** How long a held step waits for an operator's action before it fails. */
    ATTENTION_DEADLINE: positiveDuration('24h'),
    /** Where the worker serves Prometheus metrics (`/metrics`); none unless METRICS_PORT is set. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: port.optional(),
    /** The gateway serves Prometheus metrics at `/metrics` on its own port (off by default). */
    GATEWAY_METRICS: bool.default(false),
    /**
     * `json`: one JSON line per request (gateway, sandbox) and per SDK log entry (worker), with request
     * and workflow ids.
     */
    LOG_FORMAT: z.enum(['text', 'json']).default('text'),
    /** The lowest level written. */
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /**
     * Workflows kept in the worker's sticky cache (1.3-2.4 MB each, measured). Runs waiting for approval are
     * idle; past this many they are evicted and replayed from history when a decision arrives. Sized
     * with the worker's heap limit (`--max-old-space-size`, set where the worker is launched).
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(120),
    /**
     * How long a workflow task (or a query or update) waits on the sticky queue of the worker that
     * caches its run before the server hands it to any worker; the SDK's default is 10 s. Under the
     * gateway's 5 s query budget, so a run cached on a worker that died answers from another worker.
     */
    WORKER_STICKY_TIMEOUT: positiveDuration('2s'),
    /** A workflow bundle made by scripts/bundle-workflows.ts; without it the worker bundles at start-up. */
    WORKFLOW_BUNDLE: z.string().min(1).optional(),
    /**
     * Worker Versioning (worker/deployment.ts): the deployment this worker belongs to and its build;
     * both or neither.
     */
    WORKER_DEPLOYMENT_NAME: z
      .string()
      .regex(/^[\w.-]{1,255}$/, 'must be 1-255 letters, digits, _ . or -')
      .optional(),
    WORKER_BUILD_ID: z
      .string()
      .regex(/^[\w.-]{1,255}$/, 'must be 1-255 letters, digits, _ . or -')
      .optional(),
    /** The approval policy (JSON, see policies/bank.json); the built-in default when unset. */
    POLICY_FILE: z.string().min(1).optional(),
    /** Where runs deliver their notification events (approval.*, run.*); none unless set. */
    WEBHOOK_URL: z.string().url().optional(),
    /** The subscriber's Standard Webhooks secret: `whsec_` and the base64 of 24-64 random bytes. */
    WEBHOOK_SECRET: z
      .string()
      .refine(isWebhookSecret, 'must be whsec_ followed by the base64 of 24 to 64 bytes (Standard Webhooks)')
      .optional(),
    /** The SQLite file where the worker records each webhook delivery and the gateway reads them. */
    WEBHOOK_DELIVERIES_DB: z.string().min(1).default('.temporal/webhook-deliveries.db'),
    /** The audit store's SQLite file: workers append every run's facts to it, the gateway reads it. */
    AUDIT_DB: z.string().min(1).default('.temporal/audit.db'),
    /** PostgreSQL for the audit store instead of AUDIT_DB (`start --cluster` sets it): postgres://user:pw@host/db. */
    AUDIT_DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    /** Signs one-click approval links (worker) and checks them (gateway); no links without it. */
    APPROVAL_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Who gets links when auth is off (comma-separated ids); with GATEWAY_TOKENS_FILE, its people. */
    APPROVAL_LINK_DECIDERS: commaList.default([]),
    /** The gateway's address as people reach it, the base of every link; default http://GATEWAY_HOST:GATEWAY_PORT. */
    GATEWAY_PUBLIC_URL: z.string().url().optional(),
    /**
     * OpenTelemetry traces (src/telemetry/tracing-settings.ts): off unless OTEL_TRACES_EXPORTER names an
     * exporter or an OTLP endpoint is set; the SDK reads the other OTEL_* variables (headers, timeouts) itself.
     */
    OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
    /** The OTLP/HTTP collector (base URL, or the traces URL itself); either turns traces on. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://collector:4318' })
      .optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://collector:4318/v1/traces' })
      .optional(),
    /** `true` turns traces off whatever else is set. */
    OTEL_SDK_DISABLED: bool.default(false),
    /** Replaces the service name each process gives its spans (gateway, worker, sandbox). */
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.INBOX_CACHE_MS > 0 && env.INBOX_MAX_AGE_MS <= env.INBOX_CACHE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['INBOX_MAX_AGE_MS'],
        message:
          'must be above INBOX_CACHE_MS: a listing is renewed every INBOX_CACHE_MS and may be served ' +
          'until INBOX_MAX_AGE_MS old',
      });
    }
    if ((env.WEBHOOK_URL === undefined) !== (env.WEBHOOK_SECRET === undefined)) {
      const missing = env.WEBHOOK_URL === undefined ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'required when the other of WEBHOOK_URL and WEBHOOK_SECRET is set',
      });
    }
    if (env.GATEWAY_AUTH !== 'jwt') return;
    const keySources = [env.JWT_JWKS_URL, env.JWT_PUBLIC_KEY_FILE].filter((v) => v !== undefined).length;
    if (keySources !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_JWKS_URL'],
        message: 'GATEWAY_AUTH=jwt needs exactly one of JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE',
      });
    }
    for (const key of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
      if (env[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'required with GATEWAY_AUTH=jwt' });
    }
  });

function isWebhookSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!match?.[1] || match[1].length % 4 !== 0) return false;
  const bytes = Buffer.from(match[1], 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

export type Config = z.infer<typeof EnvSchema> & {
  /** The policy each new run is handed: POLICY_FILE's, or the default built from HIL_THRESHOLD and APPROVE_L2. */
  POLICY: RunPolicy;
};

/**
 * The settings a run receives from its planning activity, so it keeps the policy it started with;
 * the worker adds the keys the run trusts (`decision_keys`).
 */
export function runSettingsOf(config: Config): Omit<RunSettings, 'decision_keys'> {
  return {
    hil_threshold_cents: config.HIL_THRESHOLD,
    approval_timeout_ms: config.APPROVAL_TIMEOUT,
    approve_l2: config.APPROVE_L2,
    local_tool_calls: config.LOCAL_TOOL_CALLS,
    step_retry_budget_ms: config.STEP_RETRY_BUDGET,
    attention_on_exhausted: config.ATTENTION_ON_EXHAUSTED,
    attention_deadline_ms: config.ATTENTION_DEADLINE,
    policy: config.POLICY,
    // Only when a subscriber is configured: without one the run schedules no deliveries.
    ...(config.WEBHOOK_URL !== undefined && { webhooks: true }),
  };
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (`GATEWAY_PORT=`) means unset; coerced as a number it would silently become 0.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = EnvSchema.safeParse(set);
  if (!result.success) {
    const lines = issueLines(result.error.issues, 'environment');
    throw new ConfigError(`invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  }
  const parsedEnv = result.data;
  const document =
    parsedEnv.POLICY_FILE === undefined
      ? defaultPolicy({ hil_threshold_cents: parsedEnv.HIL_THRESHOLD, approve_l2: parsedEnv.APPROVE_L2 })
      : readPolicyFile(parsedEnv.POLICY_FILE);
  return { ...parsedEnv, POLICY: runPolicyOf(document) };
}

/** A setting that is optional for some processes and required by the caller's. */
export function requireSetting<K extends keyof Config>(config: Config, key: K, why: string): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new ConfigError(`invalid configuration:\n  ${key}: required (${why})`);
  }
  return value;
}

/** For entry points: parse the environment or print why not and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
}
