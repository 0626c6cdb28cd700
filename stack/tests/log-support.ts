// Reading the test stack's log (global-setup.ts writes it to a file), to check what a request logged.
import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { stack } from './support.ts';

/** The log lines with `marker`, and the indented (stack trace) lines after the first; waits (bounded) until a line with `marker` is written. */
export async function logLinesFor(marker: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await fs.readFile(stack().logFile, 'utf8')).split('\n');
    const at = lines.findIndex((line) => line.includes(marker));
    if (at >= 0) {
      // A stack trace continues on indented lines ("    at ...").
      let end = at + 1;
      while (end < lines.length && /^\s/.test(lines[end]!)) end++;
      return lines.slice(at, end).concat(lines.slice(end).filter((line) => line.includes(marker)));
    }
    if (Date.now() > deadline) throw new Error(`no log line with ${marker} within ${timeoutMs} ms`);
    await sleep(50);
  }
}
