import { randomBytes } from 'node:crypto';

export interface Address {
  Name: string;
  Address: string;
}

/** One captured mail, with Mailpit's field names. */
export interface Mail {
  ID: string;
  MessageID: string;
  From: Address;
  To: Address[];
  Subject: string;
  Created: string;
  Text: string;
  HTML: string;
  Size: number;
  Read: boolean;
  /** The GoTrue action (signup, recovery, magiclink, invite, email_change, reauthentication): Mailpit's Tags. */
  Tags: string[];
}

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  tag: string;
}

/** Where the Auth service delivers: the stack's catcher (an in-process mailbox). */
export interface MailSink {
  deliver(mail: OutgoingMail): Mail;
}

const MAX_MAILS = 1000;
export const SENDER: Address = { Name: 'Supabase Auth', Address: 'admin@email.com' };

/** GoTrue sends HTML only; the text part is the HTML's text, links kept, for people and tests. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => `${label} (${href.replaceAll('&amp;', '&')})`)
    .replace(/<\/(p|h\d|div|li)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An in-memory mailbox of the newest 1000 mails, newest first as Mailpit lists them. */
export class MailStore implements MailSink {
  private mails: Mail[] = [];
  private listeners = new Set<(mail: Mail) => void>();

  deliver(out: OutgoingMail): Mail {
    const id = randomBytes(11).toString('base64url');
    const mail: Mail = {
      ID: id,
      MessageID: `${id}@stack.local`,
      From: SENDER,
      To: [{ Name: '', Address: out.to }],
      Subject: out.subject,
      Created: new Date().toISOString(),
      Text: htmlToText(out.html),
      HTML: out.html,
      Size: Buffer.byteLength(out.html) + Buffer.byteLength(out.subject),
      Read: false,
      Tags: [out.tag],
    };
    this.mails.unshift(mail);
    if (this.mails.length > MAX_MAILS) this.mails.length = MAX_MAILS;
    for (const listener of this.listeners) listener(mail);
    return mail;
  }

  list(): Mail[] {
    return this.mails;
  }

  get(id: string): Mail | undefined {
    return id === 'latest' ? this.mails[0] : this.mails.find((m) => m.ID === id);
  }

  /** Mailpit's search, for the terms the stack needs: `to:`, `from:`, `subject:`, `tag:` and plain words (AND). */
  search(query: string): Mail[] {
    const terms = query.match(/(?:[^\s"]+:"[^"]*"|"[^"]*"|\S+)/g) ?? [];
    return this.mails.filter((mail) =>
      terms.every((raw) => {
        const match = /^(to|from|subject|tag):(.*)$/i.exec(raw);
        const value = (match ? match[2]! : raw).replace(/^"|"$/g, '').toLowerCase();
        switch (match?.[1]?.toLowerCase()) {
          case 'to':
            return mail.To.some((a) => a.Address.toLowerCase().includes(value));
          case 'from':
            return mail.From.Address.toLowerCase().includes(value);
          case 'subject':
            return mail.Subject.toLowerCase().includes(value);
          case 'tag':
            return mail.Tags.some((t) => t.toLowerCase() === value);
          default:
            return `${mail.Subject}\n${mail.Text}\n${mail.To.map((a) => a.Address).join(' ')}`.toLowerCase().includes(value);
        }
      }),
    );
  }

  /** Deletes the given IDs, or everything when none are given. */
  delete(ids?: string[]): void {
    if (!ids || ids.length === 0) this.mails = [];
    else this.mails = this.mails.filter((m) => !ids.includes(m.ID));
  }

  onMail(listener: (mail: Mail) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
