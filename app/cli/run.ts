import { ConnectionError } from "../services/connect-shop.server";
import {
  UsageError,
  closest,
  didYouMean,
  wantsHelp,
  type CommandSpec,
  type OptionSpec,
} from "./args";
import { CliFailure, type CliContext, type Command } from "./command";
import { backfill } from "./commands/backfill";
import { dataRequestsList } from "./commands/data-requests";
import { keysRotate } from "./commands/keys";
import { rewardsList, rewardsRetry } from "./commands/rewards";
import { shopConnect, shopStatusCommand } from "./commands/shop";

export const COMMANDS: Command[] = [
  shopConnect,
  shopStatusCommand,
  rewardsList,
  rewardsRetry,
  dataRequestsList,
  backfill,
  keysRotate,
];

const PREFIX = "npm run cli --";

function optionUsage(name: string, spec: OptionSpec) {
  const text = spec.type === "boolean" ? `--${name}` : `--${name} ${spec.value ?? "<value>"}`;
  return spec.required ? text : `[${text}]`;
}

export function usageLine(command: CommandSpec) {
  const options = Object.entries(command.options).map(([name, spec]) => optionUsage(name, spec));
  return `${PREFIX} ${command.name} ${options.join(" ")}`;
}

/** `<command> --help`: the usage line, then each option with one line of explanation. */
export function commandHelp(command: CommandSpec): string {
  const entries = Object.entries(command.options).map(([name, spec]) => [
    spec.type === "boolean" ? `--${name}` : `--${name} ${spec.value ?? "<value>"}`,
    `${spec.description}${spec.required ? " (required)" : ""}`,
  ]);
  const width = Math.max(...entries.map(([left]) => left.length)) + 2;
  return [
    `usage: ${usageLine(command)}`,
    "",
    `${command.summary}.`,
    "",
    "options:",
    ...entries.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    `  ${"--help, -h".padEnd(width)}this help`,
    ...(command.notes ? ["", ...command.notes] : []),
  ].join("\n");
}

/** The top-level help: every command with a line on what it does. */
export function topHelp(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    `usage: ${PREFIX} <command> [options]`,
    "",
    "commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    "",
    `${PREFIX} <command> --help (or ${PREFIX} help <command>) lists a command's options.`,
  ].join("\n");
}

function groupsOf(commands: Command[]) {
  return [...new Set(commands.map((command) => command.name.split(" ")[0]))];
}

/** Finds the command the words name; the rest of argv are its options. */
function resolve(argv: string[], commands: Command[]): { command: Command; rest: string[] } {
  const [group, sub] = argv;
  const groups = groupsOf(commands);
  if (!groups.includes(group)) {
    throw new UsageError(
      `Unknown command "${group}".${didYouMean(closest(group, [...groups, ...commands.map((c) => c.name)]))}`,
    );
  }
  const single = commands.find((command) => command.name === group);
  if (single) return { command: single, rest: argv.slice(1) };
  const members = commands.filter((command) => command.name.startsWith(`${group} `));
  const names = members.map((command) => command.name);
  if (sub === undefined || sub.startsWith("-")) {
    throw new UsageError(
      `"${group}" needs a subcommand: ${names.map((name) => `"${name}"`).join(" or ")}.`,
    );
  }
  const command = members.find((member) => member.name === `${group} ${sub}`);
  if (!command) {
    throw new UsageError(
      `Unknown command "${group} ${sub}".${didYouMean(closest(`${group} ${sub}`, names))}`,
    );
  }
  return { command, rest: argv.slice(2) };
}

/** Runs the CLI on argv and returns its exit code; prints everything through context.io. */
export async function runCli(
  argv: string[],
  context: CliContext,
  commands: Command[] = COMMANDS,
): Promise<number> {
  const { io } = context;
  try {
    if (argv.length === 0) throw new UsageError("Name a command.");
    if (argv[0] === "--help" || argv[0] === "-h") {
      io.out(topHelp(commands));
      return 0;
    }
    if (argv[0] === "help") {
      if (argv.length === 1) {
        io.out(topHelp(commands));
        return 0;
      }
      const members = commands.filter((command) => command.name.startsWith(`${argv[1]} `));
      if (members.length > 0 && argv.length === 2) {
        io.out(topHelp(members));
        return 0;
      }
      const { command, rest } = resolve(argv.slice(1), commands);
      if (rest.length > 0) throw new UsageError(`help takes a command, not "${rest.join(" ")}".`);
      io.out(commandHelp(command));
      return 0;
    }
    const group = argv[0];
    const members = commands.filter((command) => command.name.startsWith(`${group} `));
    if (members.length > 0 && (argv[1] === "--help" || argv[1] === "-h")) {
      io.out(topHelp(members));
      return 0;
    }
    const { command, rest } = resolve(argv, commands);
    if (wantsHelp(rest)) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(rest, context);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `${error.message}\n\n${error.command ? `usage: ${usageLine(error.command)}\n(${PREFIX} ${error.command.name} --help explains each option)` : topHelp(commands)}`,
      );
      return 2;
    }
    if (error instanceof ConnectionError || error instanceof CliFailure) {
      io.err(error.message);
      return 1;
    }
    io.err(`Error: ${(error as Error).message}`);
    return 1;
  }
}
