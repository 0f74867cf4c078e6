/**
 * Prepares a namespace on any Temporal cluster for this project: creates it when missing and
 * registers the custom search attributes of src/shared/messages.ts. Idempotent: a second run
 * changes nothing. Connects with the same TEMPORAL_* settings (TLS, API key) as the worker.
 *
 *   node --import tsx scripts/setup-namespace.ts     (or ./temporal-dev.sh setup-namespace)
 *
 * Temporal Cloud creates namespaces and search attributes only through its own control plane
 * (tcld or the Cloud UI); there the script checks the attributes and prints the tcld command for
 * any that are missing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import proto from '@temporalio/proto';
import { loadConfigOrExit } from '../src/runtime/config.js';
import { SearchAttributes } from '../src/shared/messages.js';
import { temporalConnectionSettings } from '../src/runtime/temporal-connection.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
/** The gRPC status codes this script tells apart. */
const GrpcStatus = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

/** How long a cluster keeps closed runs: long enough to audit a month of decisions. */
const RETENTION = '30 days';

export interface WantedAttribute {
  name: string;
  type: IndexedValueType;
}

export const WANTED_ATTRIBUTES: WantedAttribute[] = Object.values(SearchAttributes).map((key) => ({
  name: key.name,
  type: IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
}));

export interface AttributePlan {
  missing: WantedAttribute[];
  /** Present under the wanted name with another type: a human has to decide, nothing is changed. */
  conflicting: { name: string; wanted: IndexedValueType; existing: IndexedValueType }[];
}

export function planAttributes(wanted: WantedAttribute[], existing: Record<string, IndexedValueType>): AttributePlan {
  const plan: AttributePlan = { missing: [], conflicting: [] };
  for (const attribute of wanted) {
    const current = existing[attribute.name];
    if (current === undefined) plan.missing.push(attribute);
    else if (current !== attribute.type)
      plan.conflicting.push({ name: attribute.name, wanted: attribute.type, existing: current });
  }
  return plan;
}

export interface SetupResult {
  namespaceCreated: boolean;
  added: string[];
  alreadyPresent: string[];
}

const typeName = (type: IndexedValueType): string => IndexedValueType[type].replace('INDEXED_VALUE_TYPE_', '');
const grpcCode = (err: unknown): number | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : undefined;

async function ensureNamespace(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (grpcCode(err) !== GrpcStatus.NOT_FOUND) throw err;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(RETENTION),
      description: 'approval-gated request engine',
    });
  } catch (err) {
    if (grpcCode(err) === GrpcStatus.ALREADY_EXISTS) return false;
    throw new Error(
      `namespace "${namespace}" does not exist and this cluster refused to create it ` +
        `(on Temporal Cloud, create it with tcld or the Cloud UI): ${String(err)}`,
    );
  }
  return true;
}

async function existingAttributes(
  connection: Connection,
  namespace: string,
): Promise<Record<string, IndexedValueType>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  return { ...response.systemAttributes, ...response.customAttributes } as Record<string, IndexedValueType>;
}

/**
 * A namespace created a moment ago is unknown to the frontend until its namespace cache refreshes
 * (about 10 s on a SQL cluster); calls naming it are retried until then.
 */
async function untilNamespaceKnown<T>(call: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const code = grpcCode(err);
      const retryable = code === GrpcStatus.NOT_FOUND || code === GrpcStatus.UNAVAILABLE;
      if (!retryable || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function setupNamespace(connection: Connection, namespace: string): Promise<SetupResult> {
  const namespaceCreated = await ensureNamespace(connection, namespace);
  const existing = await untilNamespaceKnown(() => existingAttributes(connection, namespace));
  const plan = planAttributes(WANTED_ATTRIBUTES, existing);
  if (plan.conflicting.length > 0) {
    const lines = plan.conflicting.map(
      (c) => `  ${c.name}: wanted ${typeName(c.wanted)}, the cluster has ${typeName(c.existing)}`,
    );
    throw new Error(`search attributes registered with another type (not changed):\n${lines.join('\n')}`);
  }
  if (plan.missing.length > 0) {
    const searchAttributes = Object.fromEntries(plan.missing.map((a) => [a.name, a.type]));
    try {
      await untilNamespaceKnown(() => connection.operatorService.addSearchAttributes({ namespace, searchAttributes }));
    } catch (err) {
      const code = grpcCode(err);
      if (code === GrpcStatus.PERMISSION_DENIED || code === GrpcStatus.UNIMPLEMENTED) {
        const commands = plan.missing.map(
          (a) =>
            `  tcld namespace search-attributes add --namespace ${namespace} ` +
            `--search-attribute "${a.name}=${cloudTypeName(a.type)}"`,
        );
        throw new Error(
          'this cluster does not let clients add search attributes (Temporal Cloud); ' +
            `add them with tcld or the Cloud UI:\n${commands.join('\n')}`,
        );
      }
      throw err;
    }
  }
  const missing = new Set(plan.missing.map((a) => a.name));
  return {
    namespaceCreated,
    added: [...missing],
    alreadyPresent: WANTED_ATTRIBUTES.map((a) => a.name).filter((name) => !missing.has(name)),
  };
}

/** tcld spells the types as the Go SDK does (Keyword, KeywordList). */
function cloudTypeName(type: IndexedValueType): string {
  return typeName(type)
    .toLowerCase()
    .split('_')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const connection = await Connection.connect(temporalConnectionSettings(config));
  try {
    const result = await setupNamespace(connection, config.TEMPORAL_NAMESPACE);
    const where = `namespace "${config.TEMPORAL_NAMESPACE}" on ${config.TEMPORAL_ADDRESS}`;
    if (result.namespaceCreated) console.log(`created ${where}`);
    if (result.added.length > 0) console.log(`registered search attributes on ${where}: ${result.added.join(', ')}`);
    if (!result.namespaceCreated && result.added.length === 0) console.log(`${where} is ready; nothing to change`);
  } finally {
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(`setup-namespace: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
