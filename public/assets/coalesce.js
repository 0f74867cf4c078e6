// @ts-check

/**
 * Wraps an async loader so that calls made while it runs coalesce into one more run afterwards:
 * the page refreshes on timers and on events, and never runs two loads of one thing at once.
 * @param {() => Promise<void>} load
 * @returns {() => Promise<void>}
 */
export function coalesced(load) {
  /** @type {Promise<void> | undefined} */
  let inflight;
  let again = false;
  const run = () => {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = load().finally(() => {
      inflight = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return inflight;
  };
  return run;
}
