/**
 * Writes the configuration of `./temporal-dev.sh start --cluster`: the Temporal server's config
 * (persistence and visibility on PostgreSQL, four history shards), its dynamic config file, and the
 * Web UI server's config.
 *
 *   node --import tsx scripts/cluster-config.ts <dir> <postgres port> <postgres password file> \
 *     <frontend port> <ui port>
 *
 * Writes <dir>/server/cluster.yaml, <dir>/server/dynamic-config.yaml and <dir>/ui/cluster.yaml.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_API_LOCKDOWN, SERVER_TUNING } from '../dev/dev-server-args.js';

export interface ClusterSettings {
  dir: string;
  postgresPort: number;
  postgresPassword: string;
  frontendPort: number;
  uiPort: number;
}

/**
 * The dev server's tuning that also suits a cluster: queue readers, visibility calls and timers. The
 * matching group (one task-queue partition) is left out: several workers poll a cluster.
 */
const CLUSTER_TUNING = [...SERVER_TUNING.queueReaders, ...SERVER_TUNING.visibilityApi, ...SERVER_TUNING.timers];

/** Enough to spread a busy namespace over a few history hosts later; fixed once the database exists. */
const HISTORY_SHARDS = 4;

/** Dynamic config entries (`key=value`) as the server's YAML file wants them: each key a list of constrained values. */
export function dynamicConfigYaml(entries: string[]): string {
  return entries
    .map((entry) => {
      const [key, raw] = entry.split('=', 2);
      if (!key || raw === undefined) throw new Error(`dynamic config entry without "=": ${entry}`);
      // JSON scalars and lists are YAML as they are; any other text is a string.
      const value = /^(true|false|-?\d+(\.\d+)?|".*"|\[.*\])$/.test(raw) ? raw : JSON.stringify(raw);
      return `${key}:\n  - value: ${value}\n`;
    })
    .join('');
}

function datastore(database: string, settings: ClusterSettings, maxConns: number): string {
  return `      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${settings.postgresPort}"
        connectProtocol: tcp
        user: temporal
        password: ${JSON.stringify(settings.postgresPassword)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h
`;
}

function service(grpcPort: number, membershipPort: number, extra = ''): string {
  return `    rpc:
      grpcPort: ${grpcPort}
      membershipPort: ${membershipPort}
      bindOnLocalHost: true
${extra}`;
}

export function serverConfigYaml(settings: ClusterSettings): string {
  const port = settings.frontendPort;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${HISTORY_SHARDS}
  datastores:
    postgres-default:
${datastore('temporal', settings, 20)}    postgres-visibility:
${datastore('temporal_visibility', settings, 10)}global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:
${service(port, port - 300, `      httpPort: ${port + 10}\n`)}  history:
${service(port + 1, port - 299)}  matching:
${service(port + 2, port - 298)}  worker:
${service(port + 6, port - 294)}clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${port}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(path.join(settings.dir, 'server', 'dynamic-config.yaml'))}
  pollInterval: 10s
`;
}

export function uiConfigYaml(settings: ClusterSettings): string {
  return `temporalGrpcAddress: "127.0.0.1:${settings.frontendPort}"
host: 127.0.0.1
port: ${settings.uiPort}
enableUi: true
defaultNamespace: default
cors:
  cookieInsecure: true
auth:
  enabled: false
`;
}

export function writeClusterConfig(settings: ClusterSettings): void {
  const serverDir = path.join(settings.dir, 'server');
  const uiDir = path.join(settings.dir, 'ui');
  mkdirSync(serverDir, { recursive: true });
  mkdirSync(uiDir, { recursive: true });
  // The server's config holds the database password.
  writeFileSync(path.join(serverDir, 'cluster.yaml'), serverConfigYaml(settings), { mode: 0o600 });
  chmodSync(path.join(serverDir, 'cluster.yaml'), 0o600);
  // The HTTP API refuses every Host a browser can send, as on the dev server (HTTP_API_LOCKDOWN).
  writeFileSync(
    path.join(serverDir, 'dynamic-config.yaml'),
    dynamicConfigYaml([...CLUSTER_TUNING, ...HTTP_API_LOCKDOWN]),
  );
  writeFileSync(path.join(uiDir, 'cluster.yaml'), uiConfigYaml(settings));
}

function portArgument(value: string | undefined, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`${name} must be a port number, got ${JSON.stringify(value)}`);
  return port;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir, postgresPort, passwordFile, frontendPort, uiPort] = process.argv.slice(2);
  if (!dir || !passwordFile) {
    console.error('usage: cluster-config.ts <dir> <postgres port> <password file> <frontend port> <ui port>');
    process.exit(2);
  }
  writeClusterConfig({
    dir: path.resolve(dir),
    postgresPort: portArgument(postgresPort, 'postgres port'),
    postgresPassword: readFileSync(passwordFile, 'utf8').trim(),
    frontendPort: portArgument(frontendPort, 'frontend port'),
    uiPort: portArgument(uiPort, 'ui port'),
  });
}
