import { CancellationScope, condition } from '@temporalio/workflow';

/**
 * Runs `work` (an activity that may run for minutes) and cancels it the
 * moment `isPaused` holds. Answers 'paused' when the pause stopped it; the
 * caller's next checkpoint then shows Paused, and a resume carries on from
 * what the activity recorded.
 */
export async function unlessPaused<T>(isPaused: () => boolean, work: () => Promise<T>): Promise<T | 'paused'> {
  let settled = false;
  const scope = new CancellationScope();
  const running = scope.run(work);
  void running.then(
    () => (settled = true),
    () => (settled = true),
  );
  void condition(() => settled || isPaused()).then(() => {
    if (!settled) scope.cancel();
  });
  try {
    return await running;
  } catch (err) {
    // Whatever ended an activity we cancelled (its cancellation, or a timeout), the user is pausing: a
    // failure that is real comes back when the copy carries on.
    if (scope.consideredCancelled) return 'paused';
    throw err;
  }
}
