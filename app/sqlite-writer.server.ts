import type { Worker } from "node:worker_threads";
import type { DirectStatements } from "./sqlite-connection.server";
import { startAppThread } from "./threads.server";

export type SqliteWriterData = {
  path: string;
  /** False when another connection (the worker's) checkpoints the WAL as it commits. */
  checkpoints: boolean;
};
export type SqliteWriterRequest = { id: number; sql: string; values: readonly unknown[] };
export type SqliteWriterReply = {
  id: number;
  rows?: unknown[];
  /** An error's message and SQLite code (a thread's Error loses its code on the way). */
  error?: { message: string; code?: string };
};

/** The file of a SQLite URL, as Prisma's better-sqlite3 adapter opens it. */
export function sqlitePath(url: string) {
  return url.replace(/^file:/, "");
}

class StatementsOnThread implements DirectStatements {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve(rows: unknown[]): void; reject(error: Error): void }
  >();

  constructor(private readonly thread: Worker) {
    thread.on("message", (replies: SqliteWriterReply[] | { type: string }) => {
      if (!Array.isArray(replies)) return;
      for (const { id, rows, error } of replies) {
        const waiting = this.pending.get(id);
        this.pending.delete(id);
        if (error) waiting?.reject(Object.assign(new Error(error.message), { code: error.code }));
        else waiting?.resolve(rows ?? []);
      }
    });
  }

  all<T>(strings: readonly string[], values: readonly unknown[]): Promise<T[]> {
    const id = ++this.nextId;
    return new Promise<T[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      this.thread.postMessage({ id, sql: strings.join("?"), values } satisfies SqliteWriterRequest);
    });
  }
}

/**
 * The request thread's direct statements on SQLite, run by a thread of their own on its own
 * connection (app/sqlite-writer-thread.server.ts). better-sqlite3 is synchronous: on the request
 * thread, each delivery's insert and its fsync (synchronous=FULL) held up every other request
 * for about a millisecond, and a slow fsync or checkpoint for ten. There they wait on their own,
 * and what arrives meanwhile is committed together with one fsync. Beside the worker's thread,
 * the writer leaves checkpoints to the worker's connection, which makes them as it commits (at
 * least once a second while deliveries arrive, see giveWayToBursts) without holding up the
 * writer's commits: a checkpoint in the writer held up every delivery behind it for 5 to 20 ms.
 */
export async function startSqliteWriterThread(
  entry: string,
  options: { databaseUrl: string; checkpoints: boolean },
): Promise<{ statements: DirectStatements; stop(): Promise<void> }> {
  const { thread, stop } = await startAppThread("sqlite-writer", entry, {
    path: sqlitePath(options.databaseUrl),
    checkpoints: options.checkpoints,
  } satisfies SqliteWriterData);
  return { statements: new StatementsOnThread(thread), stop };
}
