// The stack's log, one line per call, written in batches: a synchronous write per request (stdout
// to a pipe or file is synchronous in Node) was a large share of the stack's busy time under load.
// Lines wait at most FLUSH_MS; flush() writes them at once (before other output, and at exit).
import type { Writable } from 'node:stream';

const FLUSH_MS = 25;
const MAX_PENDING_CHARS = 64 * 1024;

export interface LineLog {
  log: (line: string) => void;
  flush: () => void;
}

export function bufferedLineLog(stream: Writable = process.stdout): LineLog {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    stream.write(chunk);
  };
  process.on('exit', flush);
  return {
    log: (line) => {
      pending += `${line}\n`;
      if (pending.length >= MAX_PENDING_CHARS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS).unref();
    },
    flush,
  };
}
