/** Waiting on a promise for at most a budget, with no polling: a timer raced against it. */

export type Raced<T> = { done: true; value: T } | { done: false };

export async function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), budgetMs);
  });
  try {
    return await Promise.race([promise.then((value): Raced<T> => ({ done: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
