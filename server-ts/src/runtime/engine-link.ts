/**
 * The step's line to its engine: the IPC channel the engine opens to every step. A warm step waits on it for
 * its inputs; every step exits when it closes, so no step outlives an engine that was killed. The channel is
 * unreferenced otherwise, so it neither keeps a finished step alive nor hides an `await` that never settles.
 */

/** Exit code of a step whose engine went away. */
export const ENGINE_GONE_EXIT = 3;

export function watchEngine(): void {
  if (!process.channel) return; // a straight run, or started by hand
  process.on('disconnect', () => process.exit(ENGINE_GONE_EXIT));
  process.channel.unref();
}

/** The engine's next message. */
export async function nextMessage<T>(): Promise<T> {
  process.channel?.ref();
  try {
    return await new Promise<T>(resolve => process.once('message', message => resolve(message as T)));
  } finally {
    process.channel?.unref();
  }
}
