// Entry of the SQLite writer thread (built to <build>/background/sqlite-writer.js, started by
// startSqliteWriterThread): runs the request thread's direct statements on a connection of its
// own, each group of statements that arrived together in one transaction.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { preparedOnce, sqliteValue } from "./sqlite-connection.server";
import type { ThreadMessage } from "./threads.server";
import type {
  SqliteWriterData,
  SqliteWriterReply,
  SqliteWriterRequest,
} from "./sqlite-writer.server";

if (!parentPort) throw new Error("sqlite-writer-thread.server runs only as a worker thread");
const port = parentPort;

// As Prisma's adapter opens it (integers as BigInt), and committing as the request thread's
// own connection does: on disk before the answer, because an acknowledged delivery is not sent
// again. Waits up to 5 s for another connection's write lock.
const { path, checkpoints } = workerData as SqliteWriterData;
const sqlite = new Database(path, { timeout: 5_000 });
sqlite.defaultSafeIntegers(true);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = FULL");
if (!checkpoints) sqlite.pragma("wal_autocheckpoint = 0");

const statementFor = preparedOnce((sql) => sqlite.prepare(sql));

const failure = (error: unknown) => ({
  message: error instanceof Error ? error.message : String(error),
  code: (error as { code?: string }).code,
});

// One transaction for the group, one fsync at its commit. A statement that fails (a constraint)
// is undone alone and answered with its error; a failed commit fails the whole group.
function runGroup(group: SqliteWriterRequest[]): SqliteWriterReply[] {
  try {
    sqlite.exec("BEGIN IMMEDIATE");
  } catch (error) {
    return group.map(({ id }) => ({ id, error: failure(error) }));
  }
  const replies = group.map(({ id, sql, values }): SqliteWriterReply => {
    try {
      const statement = statementFor(sql);
      const bound = values.map(sqliteValue);
      return {
        id,
        rows: statement.reader ? statement.all(...bound) : (statement.run(...bound), []),
      };
    } catch (error) {
      return { id, error: failure(error) };
    }
  });
  try {
    sqlite.exec("COMMIT");
    return replies;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    return group.map(({ id }) => ({ id, error: failure(error) }));
  }
}

let queue: SqliteWriterRequest[] = [];
let flushDue = false;
let stopping = false;

function flush() {
  flushDue = false;
  const group = queue;
  queue = [];
  if (group.length > 0) port.postMessage(runGroup(group));
  if (stopping) {
    sqlite.close();
    port.close();
  }
}

port.on("message", (message: SqliteWriterRequest | ThreadMessage) => {
  if ("type" in message) stopping ||= message.type === "stop";
  else queue.push(message);
  // After the messages already waiting, which join this group.
  if (!flushDue) setImmediate(flush);
  flushDue = true;
});
port.postMessage({ type: "ready" } satisfies ThreadMessage);
