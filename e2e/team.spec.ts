import { expect, test, type Browser, type Page } from './test.ts';
import { closeDb, createVendor, db, levelOf } from './stock-fixtures.ts';
import { createUser, expectAccessible, PASSWORD, signIn, uniqueEmail } from './support.ts';

// Vendor teams in real Chromium against the real stack: an owner invites, the invitee signs up
// from the link in another browser, accepts, moves stock, and is kept off the team page; links
// that were revoked, expired or never existed say so.

test.afterAll(closeDb);

async function newPage(browser: Browser, width?: number): Promise<Page> {
  const context = await browser.newContext(width ? { viewport: { width, height: 844 } } : {});
  return context.newPage();
}

/** Creates an invitation in the team page's dialog and returns the link it shows once. */
async function inviteInDialog(page: Page, email: string, role: 'Staff' | 'Owner'): Promise<string> {
  await page.getByRole('button', { name: 'Invite someone' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  await expect(dialog.getByLabel('Email')).toBeFocused();
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role').selectOption({ label: role });
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const ready = page.getByRole('dialog', { name: 'Invitation ready' });
  const link = ready.getByRole('textbox', { name: 'Invitation link' });
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(link).toBeFocused();
  return link.inputValue();
}

const noHorizontalScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

test('an owner invites staff; the invitee signs up from the link, accepts, adjusts stock, and cannot open the team page', async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 10 });
  const staffEmail = uniqueEmail('staff');

  const owner = await newPage(browser);
  await signIn(owner, v.ownerEmail, /\/inventory/);
  await owner.getByRole('link', { name: 'Team' }).click();
  await expect(owner.getByRole('heading', { level: 1 })).toContainText(`${v.vendorName} · Team`);
  await expect(owner.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(1);
  await expect(owner.getByText('No open invitations')).toBeVisible();
  await expectAccessible(owner, 'team page');
  const link = await inviteInDialog(owner, staffEmail, 'Staff');
  await expectAccessible(owner, 'invitation link dialog');
  await owner.getByRole('button', { name: 'Done' }).click();
  await expect(owner.getByRole('list', { name: 'Invitations' }).getByRole('listitem')).toContainText(staffEmail);

  // The invitee, on a phone-sized screen in another browser, opens the link signed out.
  const invitee = await newPage(browser, 390);
  await invitee.goto(new URL(link).pathname);
  await expect(invitee.getByRole('heading', { name: "You're invited to join a team" })).toBeVisible();
  await expectAccessible(invitee, 'invitation, signed out');
  await invitee.getByRole('link', { name: 'Create an account' }).click();
  await invitee.getByLabel('Email address').fill(staffEmail);
  await invitee.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  // Back on the invitation after signing up.
  await expect(invitee).toHaveURL(new URL(link).pathname);
  await expect(invitee.getByRole('heading', { name: `Join ${v.vendorName}` })).toBeFocused();
  await expect(invitee.getByText(`as staff`)).toBeVisible();
  expect(await noHorizontalScroll(invitee)).toBe(true);
  await expectAccessible(invitee, 'invitation, signed in');
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(invitee).toHaveURL(/\/inventory\?vendor=/);
  await expect(invitee.getByRole('heading', { level: 1 })).toContainText(v.vendorName);

  // Staff move stock.
  const [p] = v.products;
  const main = v.locations.find((l) => l.name === 'Main warehouse')!;
  await invitee.getByRole('row', { name: new RegExp(`^${p!.sku} `) }).getByRole('button', { name: /^On hand at Main warehouse:/ }).click();
  const dialog = invitee.getByRole('dialog');
  await expect(dialog.getByLabel('Location')).toHaveValue(/.+/);
  await dialog.getByLabel('Change (units)').fill('-3');
  await dialog.getByLabel('Reason').selectOption({ label: 'Damaged' });
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(async () => (await levelOf(p!.id, main.id)).on_hand).toBe(7);

  // ...but the team page is for owners: not in their navigation, and refused when opened.
  await expect(invitee.getByRole('link', { name: 'Team' })).toHaveCount(0);
  await invitee.goto('/team');
  await expect(invitee.getByRole('heading', { name: 'Only owners manage the team' })).toBeVisible();
  await expect(invitee.getByRole('button', { name: 'Invite someone' })).toHaveCount(0);
  expect(await noHorizontalScroll(invitee)).toBe(true);

  // The same link again: used.
  await invitee.goto(new URL(link).pathname);
  await expect(invitee.getByRole('heading', { name: `You're a member of ${v.vendorName}` })).toBeVisible();

  // The owner sees the new member and no open invitation.
  await owner.reload();
  const members = owner.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem')).toHaveCount(2);
  await expect(members).toContainText(staffEmail);
  await expect(owner.getByText('No open invitations')).toBeVisible();
  // The only owner cannot remove themselves; staff can be made an owner.
  await expect(owner.getByRole('button', { name: `Leave ${v.vendorName}` })).toBeDisabled();
  await owner.getByLabel(`Role of ${staffEmail.split('@')[0]}`).selectOption('owner');
  await expect.poll(async () => (await db().query(`select m.role from public.vendor_members m join auth.users u on u.id = m.user_id where u.email = $1`, [staffEmail])).rows[0]?.role).toBe('owner');
  await expect(owner.getByRole('button', { name: `Leave ${v.vendorName}` })).toBeEnabled();
});

test('revoked, expired and unknown invitation links say what happened and what to do', async ({ browser }) => {
  const v = await createVendor({ products: 1 });
  const inviteeEmail = uniqueEmail('invitee');
  await createUser(inviteeEmail);

  const owner = await newPage(browser);
  await signIn(owner, v.ownerEmail, /\/inventory/);
  await owner.goto('/team');
  const revoked = await inviteInDialog(owner, inviteeEmail, 'Staff');
  await owner.getByRole('button', { name: 'Done' }).click();
  await owner.getByRole('button', { name: `Revoke the invitation for ${inviteeEmail}` }).click();
  await owner.getByRole('dialog', { name: 'Revoke this invitation?' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(owner.getByText('No open invitations')).toBeVisible();

  const expired = await inviteInDialog(owner, inviteeEmail, 'Owner');
  await owner.getByRole('button', { name: 'Done' }).click();
  await db().query(`update public.vendor_invitations set expires_at = now() - interval '1 minute' where vendor_id = $1 and revoked_at is null`, [v.vendorId]);
  await owner.reload();
  await expect(owner.getByRole('list', { name: 'Invitations' })).toContainText('Expired: invite again for a new link');

  const invitee = await newPage(browser);
  await signIn(invitee, inviteeEmail, /\/shop/);
  await invitee.goto(new URL(revoked).pathname);
  await expect(invitee.getByRole('heading', { name: 'This invitation was withdrawn' })).toBeVisible();
  await expect(invitee.getByText(`Ask an owner of ${v.vendorName} to invite you again`)).toBeVisible();
  await invitee.goto(new URL(expired).pathname);
  await expect(invitee.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();
  await expectAccessible(invitee, 'expired invitation');
  await invitee.goto('/invite/not-a-real-invitation-token-at-all');
  await expect(invitee.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  const { rows } = await db().query(`select count(*)::int as n from public.vendor_members where vendor_id = $1`, [v.vendorId]);
  expect(rows[0].n).toBe(1);
});

test('a team that requires two-factor tells a member signed in without it what to do, instead of showing errors', async ({ browser }) => {
  const v = await createVendor({ products: 1 });
  await db().query('update public.vendors set require_mfa = true where id = $1', [v.vendorId]);
  const page = await newPage(browser);
  await signIn(page, v.ownerEmail, /\/inventory/);
  await expect(page.getByRole('heading', { name: `${v.vendorName} requires two-factor authentication` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Set up two-factor in your account' })).toBeVisible();
  await page.goto('/team');
  await expect(page.getByRole('heading', { name: `${v.vendorName} requires two-factor authentication` })).toBeVisible();
  await expectAccessible(page, 'two-factor required');
});
