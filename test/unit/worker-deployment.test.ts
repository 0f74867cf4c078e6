import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/runtime/config.js';
import { workerDeploymentOf } from '../../worker/deployment.js';

describe('workerDeploymentOf', () => {
  it('is off unless a deployment is named', () => {
    expect(workerDeploymentOf(parseConfig({}))).toBeUndefined();
  });

  it('joins the named deployment as the given build, sessions following the current version', () => {
    expect(
      workerDeploymentOf(parseConfig({ WORKER_DEPLOYMENT_NAME: 'requests', WORKER_BUILD_ID: '2026-12-01.3' })),
    ).toEqual({
      version: { deploymentName: 'requests', buildId: '2026-12-01.3' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });

  it.each([
    [{ WORKER_DEPLOYMENT_NAME: 'requests' }, /WORKER_BUILD_ID: required/],
    [{ WORKER_BUILD_ID: 'b1' }, /WORKER_DEPLOYMENT_NAME: required/],
  ])('refuses %j: a versioned worker needs both', (env, message) => {
    expect(() => workerDeploymentOf(parseConfig(env))).toThrow(ConfigError);
    expect(() => workerDeploymentOf(parseConfig(env))).toThrow(message);
  });

  it('refuses a build id with spaces, naming the variable', () => {
    expect(() => parseConfig({ WORKER_DEPLOYMENT_NAME: 'requests', WORKER_BUILD_ID: 'build one' })).toThrow(
      /WORKER_BUILD_ID/,
    );
  });

  it('waits 2 s on a sticky queue by default', () => {
    expect(parseConfig({}).WORKER_STICKY_TIMEOUT).toBe(2000);
    expect(parseConfig({ WORKER_STICKY_TIMEOUT: '10s' }).WORKER_STICKY_TIMEOUT).toBe(10_000);
  });
});
