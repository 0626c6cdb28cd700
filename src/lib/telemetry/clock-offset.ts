// The server's clock seen from the browser, NTP-style: for each round trip the browser notes when
// it asked (t0) and when the answer arrived (t3), the server when it answered (server). Assuming
// the answer was taken halfway, offset = server - (t0 + t3) / 2, wrong by at most half the round
// trip. The round trip with the smallest delay gives the best estimate (as NTP's clock filter does).

export interface ClockSample {
  t0: number;
  server: number;
  t3: number;
}

export interface ClockEstimate {
  /** Add to the browser's clock to get the server's, in ms. */
  offsetMs: number;
  /** Half the round trip of the sample used: the estimate is within this of the truth. */
  uncertaintyMs: number;
  samples: number;
}

export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockSample | null = null;
  for (const s of samples) {
    if (!(s.t3 >= s.t0) || !Number.isFinite(s.server)) continue;
    if (!best || s.t3 - s.t0 < best.t3 - best.t0) best = s;
  }
  if (!best) return null;
  return { offsetMs: best.server - (best.t0 + best.t3) / 2, uncertaintyMs: (best.t3 - best.t0) / 2, samples: samples.length };
}

/** How long a message stamped `sentAt` on the server's clock took to arrive at browser time `arrivedAt`. */
export function lagOnServerClock(sentAt: number, arrivedAt: number, estimate: ClockEstimate): number {
  return arrivedAt + estimate.offsetMs - sentAt;
}
