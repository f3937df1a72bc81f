// Result<T>: the outcome of anything that reads input we do not control.
// Parsers and protocol handlers return a Result instead of throwing, so a
// hostile server or peer can cause a clear error report, never an uncaught
// exception.

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(error: string): Result<T> {
  return { ok: false, error };
}

/** The message of anything thrown (ts-mls throws its own Error classes). */
export function describe(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return String(thrown);
}

/** Runs an async function that may throw (ts-mls) and turns a throw into an error. */
export async function attempt<T>(what: string, run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (thrown) {
    return err(`${what}: ${describe(thrown)}`);
  }
}
