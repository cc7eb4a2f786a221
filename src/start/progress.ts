/**
 * The terminal's download progress: a bar with bytes, speed and time left. On a terminal it redraws one line;
 * in a log (CI, a pipe) it prints a line every tenth of the file, so the output stays short and readable.
 */
import type { DownloadProgress } from '../core/backends/embedded/download';
import { formatBytes } from '../core/backends/embedded/models';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** `[██████░░░░]  60%  318 MB of 531 MB · 12.4 MB/s · 17 s left` (no bar or time left without a total). */
export function renderProgress(p: DownloadProgress, width = 24): string {
  const speed = `${formatBytes(p.bytesPerSecond)}/s`;
  if (!p.total) return `${formatBytes(p.received)} · ${speed}`;
  const frac = Math.min(1, p.received / p.total);
  const filled = Math.round(frac * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const left =
    p.received >= p.total
      ? 'done'
      : p.bytesPerSecond > 0
        ? `${formatDuration((p.total - p.received) / p.bytesPerSecond)} left`
        : 'time left unknown';
  return `${bar} ${pct}  ${formatBytes(p.received)} of ${formatBytes(p.total)} · ${speed} · ${left}`;
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
}

/** Feeds progress events to the output: redraws on a terminal, one line per 10% otherwise. */
export function progressPrinter(out: ProgressOutput): { update(p: DownloadProgress): void; end(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p) {
      if (out.isTTY) {
        out.write(`\r  ${renderProgress(p)}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = p.total ? Math.floor((10 * p.received) / p.total) : -1;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`  ${renderProgress(p)}\n`);
      }
    },
    end() {
      if (drawn) out.write('\n');
      drawn = false;
      lastTenth = -1;
    },
  };
}
