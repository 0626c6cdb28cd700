// The mail catcher's Mailpit-style API and page, on the shared test stack.
import { describe, expect, it } from 'vitest';
import { latestMailTo } from '../mail/client.ts';
import { signedUpUser } from './auth-support.ts';
import { anonClient, stack } from './support.ts';

describe('mail catcher', () => {
  it('lists, searches, shows and deletes mails as Mailpit answers; the page lists them', async () => {
    const { email } = await signedUpUser('mail-api');
    expect((await anonClient().auth.resetPasswordForEmail(email)).error).toBeNull();
    const mail = await latestMailTo(stack().mailUrl, email);
    const list = await (await fetch(`${stack().mailUrl}/api/v1/messages?limit=5`)).json();
    expect(list).toMatchObject({ total: expect.any(Number), count: expect.any(Number), start: 0, messages: expect.any(Array) });
    const search: any = await (await fetch(`${stack().mailUrl}/api/v1/search?query=${encodeURIComponent(`to:${email}`)}`)).json();
    expect(search.messages).toEqual([expect.objectContaining({ ID: mail.id, Subject: 'Reset your password', To: [{ Name: '', Address: email }], From: { Name: 'Supabase Auth', Address: 'admin@email.com' }, Tags: ['recovery'] })]);
    const one: any = await (await fetch(`${stack().mailUrl}/api/v1/message/${mail.id}`)).json();
    expect(one.HTML).toContain('Reset password');
    expect(one.Text).toContain('/auth/v1/verify?token=');
    expect((await fetch(`${stack().mailUrl}/api/v1/message/nope`)).status).toBe(404);
    expect((await fetch(`${stack().mailUrl}/api/v1/search`)).status).toBe(400);
    const page = await (await fetch(`${stack().mailUrl}/`)).text();
    expect(page).toContain(email);
    const bad = await fetch(`${stack().mailUrl}/api/v1/messages`, { method: 'DELETE', body: '{"IDs": 5}' });
    expect(bad.status).toBe(400);
    const del = await fetch(`${stack().mailUrl}/api/v1/messages`, { method: 'DELETE', body: JSON.stringify({ IDs: [mail.id] }) });
    expect(del.status).toBe(200);
    expect((await fetch(`${stack().mailUrl}/api/v1/message/${mail.id}`)).status).toBe(404);
  });
});
