/** Heartbeats that say "this worker lives" for as long as an activity waits on a call. */
import { Context } from '@temporalio/activity';
import { HEARTBEAT_EVERY_MS } from '../src/shared/timeouts.js';

function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Runs `work`, heartbeating at once and every HEARTBEAT_EVERY_MS until it settles, so a short
 * heartbeat timeout notices a dead worker without cutting a slow call. Outside an activity
 * (scripts, tests) or in a local one (the server does not know it), it only runs `work`.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const activity = currentActivity();
  if (!activity || activity.info.isLocal) return work();
  activity.heartbeat();
  const timer = setInterval(() => activity.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
