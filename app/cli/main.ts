import { db } from "../db.server";
import { processIo } from "./io";
import { runCli } from "./run";

// The operator CLI (README, "Operator CLI"; `npm run cli -- --help`). Every command checks all
// its arguments before it touches anything: bad arguments print a sentence and the usage and
// exit 2; a command that cannot do its work exits 1.

// stdout carries only what the command prints (JSON for scripts); a library's console chatter,
// such as the Shopify API's start-up line the backfill loads, goes to stderr.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

const code = await runCli(process.argv.slice(2), { io: processIo(), database: db });
await db.$disconnect();
process.exit(code);
