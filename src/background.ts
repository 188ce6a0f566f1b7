import type { AppDeps } from './app';

export interface BackgroundTasks {
  stop(): Promise<void>;
}

/** Periodic work started next to the HTTP server (the tag sweeper lives here). */
export function startBackgroundTasks(_deps: AppDeps): BackgroundTasks {
  return { async stop() {} };
}
