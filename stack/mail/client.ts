// For tests and e2e: read what the stack's mail catcher (Mailpit's API) holds.

export interface CaughtMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every href in the HTML, entities decoded (the first is GoTrue's action link). */
  links: string[];
  created: string;
  tags: string[];
}

interface Summary {
  ID: string;
  Created: string;
}

export function linksOf(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

export async function getMail(mailUrl: string, id: string): Promise<CaughtMail> {
  const res = await fetch(`${mailUrl}/api/v1/message/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`mail catcher: GET message ${id}: ${res.status}`);
  const m = (await res.json()) as { ID: string; To: Array<{ Address: string }>; Subject: string; Text: string; HTML: string; Date: string; Tags: string[] };
  return { id: m.ID, to: m.To.map((a) => a.Address), subject: m.Subject, text: m.Text, html: m.HTML, links: linksOf(m.HTML), created: m.Date, tags: m.Tags };
}

/** All mails to `email`, newest first. */
export async function mailsTo(mailUrl: string, email: string): Promise<CaughtMail[]> {
  const res = await fetch(`${mailUrl}/api/v1/search?query=${encodeURIComponent(`to:"${email}"`)}&limit=100`);
  if (!res.ok) throw new Error(`mail catcher: search: ${res.status}`);
  const { messages } = (await res.json()) as { messages: Summary[] };
  return Promise.all(messages.filter((m) => m.ID).map((m) => getMail(mailUrl, m.ID)));
}

/**
 * The newest mail to `email` (optionally: whose subject contains `subject`, received after `after`),
 * polling the catcher every 100 ms until `timeoutMs` (default 10 s) has passed.
 */
export async function latestMailTo(
  mailUrl: string,
  email: string,
  opts: { timeoutMs?: number; subject?: string; after?: Date | string } = {},
): Promise<CaughtMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const after = opts.after ? new Date(opts.after).getTime() : -Infinity;
  for (;;) {
    const res = await fetch(`${mailUrl}/api/v1/search?query=${encodeURIComponent(`to:"${email}"`)}&limit=50`);
    if (!res.ok) throw new Error(`mail catcher: search: ${res.status}`);
    const { messages } = (await res.json()) as { messages: Array<Summary & { Subject: string }> };
    const hit = messages.find((m) => Date.parse(m.Created) > after && (!opts.subject || m.Subject.includes(opts.subject)));
    if (hit) return getMail(mailUrl, hit.ID);
    if (Date.now() >= deadline) throw new Error(`mail catcher: no mail to ${email}${opts.subject ? ` with subject "${opts.subject}"` : ''} within ${opts.timeoutMs ?? 10_000} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes every mail in the catcher. */
export async function clearMail(mailUrl: string): Promise<void> {
  const res = await fetch(`${mailUrl}/api/v1/messages`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`mail catcher: DELETE: ${res.status}`);
}
