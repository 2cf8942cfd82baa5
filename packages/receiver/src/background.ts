/** The jobs the receiver runs off the request path. */
export interface BackgroundJobs {
  /** Scores dirty leads; enqueues webhooks for level changes. */
  scoreDirty(): Promise<unknown>;
  /** Sends due webhooks. */
  deliverDue(): Promise<unknown>;
  /** Re-scores stale warm and hot leads, applies retention. */
  sweep(): Promise<unknown>;
}

export interface Background {
  /** Asks for a pass soon (after the current request finishes); cheap to call on every request. */
  kick(): void;
  /** Runs a full pass (scoring, then delivery) now and resolves when it is done. */
  flush(): Promise<void>;
  /** Re-scores stale leads and applies retention now, then runs a pass. */
  sweep(): Promise<void>;
  /** Stops the timers and waits for the running pass. */
  stop(): Promise<void>;
}

/**
 * One pass at a time: a kick while a pass runs asks for one more pass afterwards, so work that arrives during a
 * pass is never left waiting for the next tick, and two passes never claim the same work concurrently.
 */
export function createBackground(
  jobs: BackgroundJobs,
  options: { tickMs: number; sweepMs: number; timers: boolean; onError: (error: unknown) => void },
): Background {
  let running: Promise<void> | undefined;
  let again = false;
  let kicked = false;
  let stopped = false;

  async function safely(job: () => Promise<unknown>): Promise<void> {
    try {
      await job();
    } catch (error) {
      options.onError(error);
    }
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await safely(jobs.scoreDirty);
        await safely(jobs.deliverDue);
      } while (again && !stopped);
      running = undefined;
    })();
    return running;
  }

  const timers: ReturnType<typeof setInterval>[] = [];
  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    // Unref'd where the runtime can: the timers never keep a process alive on their own (the HTTP server does).
    (timer as { unref?: () => void }).unref?.();
    timers.push(timer);
  };
  if (options.timers) {
    every(options.tickMs, () => void run());
    every(options.sweepMs, () => void safely(jobs.sweep).then(run));
  }

  return {
    kick() {
      if (kicked || stopped || !options.timers) return;
      kicked = true;
      // A macrotask, so the answer to the request that kicked goes out first.
      setTimeout(() => {
        kicked = false;
        void run();
      }, 0);
    },
    async flush() {
      if (running) await running;
      await run();
    },
    async sweep() {
      await safely(jobs.sweep);
      await this.flush();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      if (running) await running;
    },
  };
}
