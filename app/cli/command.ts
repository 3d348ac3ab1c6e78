import type { Database } from "../db.server";
import type { BackfillDependencies } from "../services/backfill.server";
import type { CommandSpec } from "./args";
import type { CliIo } from "./io";

/** What a command runs with; tests pass their own database, streams and fakes. */
export type CliContext = {
  io: CliIo;
  database: Database;
  /** Test doubles for the backfill: its order pages, SIR, and the orders count. */
  backfill?: BackfillDependencies & {
    countOrders?: (shopDomain: string, since: Date) => Promise<number | null>;
  };
};

export type Command = CommandSpec & {
  run(args: string[], context: CliContext): Promise<void>;
};

/** The command could not do its work (not an argument problem): the sentence, exit 1. */
export class CliFailure extends Error {}
