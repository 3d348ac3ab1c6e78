import type { CliIo } from "./io";

export type Progress = { done: number; total: number | null };

const BAR_WIDTH = 24;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/**
 * The backfill's progress on stderr (stdout keeps the JSON summary): on a terminal one line
 * redrawn in place, a bar with done/total, orders per second and time left; otherwise a plain
 * line per page.
 */
export function progressReporter(io: CliIo, label: string) {
  const started = io.now().getTime();
  let startDone: number | null = null;
  let drewBar = false;

  const describe = ({ done, total }: Progress) => {
    startDone ??= done;
    const seconds = (io.now().getTime() - started) / 1000;
    const rate = seconds > 0 ? (done - startDone) / seconds : 0;
    const rateText = `${rate.toFixed(1)} orders/s`;
    if (total === null || total <= 0) return { counts: `${done} orders`, rateText, eta: null };
    const shown = Math.max(done, 0);
    const left = Math.max(total - shown, 0);
    const eta = rate > 0 ? formatDuration(left / rate) : null;
    const percent = Math.min(100, Math.floor((shown / total) * 100));
    return { counts: `${shown}/${total} orders (${percent}%)`, rateText, eta, percent };
  };

  return {
    update(progress: Progress) {
      const { counts, rateText, eta, percent } = describe(progress);
      if (io.errIsTTY) {
        const filled = percent === undefined ? 0 : Math.round((percent / 100) * BAR_WIDTH);
        const bar =
          percent === undefined ? "" : `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] `;
        io.errRaw(`\r${label} ${bar}${counts}  ${rateText}${eta ? `  ${eta} left` : ""}\x1b[K`);
        drewBar = true;
      } else {
        io.err(`${label}: ${counts}, ${rateText}${eta ? `, about ${eta} left` : ""}`);
      }
    },
    /** Ends the bar's line, so what follows starts on its own. */
    finish() {
      if (drewBar) io.errRaw("\n");
    },
  };
}
