import { expect, test, type Page } from './test.ts';
import { latestMailTo } from '../stack/mail/client.ts';
import { TOTP_PERIOD_SECONDS, totpCode } from '../stack/auth/totp.ts';
import { db } from './stock-fixtures.ts';
import { createUser, expectAccessible, nodeClient, PASSWORD, uniqueEmail } from './support.ts';

// Accounts in Chromium against the real stack (issue 12): forgot password through the mail
// catcher, two-factor enrolment and sign-in with the code, an admin removing a lost factor.

const NEW_PASSWORD = 'a-brand-new-password';

function mailUrl(): string {
  const url = process.env.E2E_MAIL_URL;
  if (!url) throw new Error('E2E_MAIL_URL is not set: run the specs through playwright.config.ts (its global setup starts the mail catcher)');
  return url;
}

const stepOf = (ms: number) => Math.floor(ms / 1000 / TOTP_PERIOD_SECONDS);

/**
 * A code for a 30-second step no earlier verification of this secret used: Auth may refuse a
 * code used twice. Waits at most one step (bounded, whatever the machine's speed).
 */
async function freshCode(secret: string, used: Set<number>): Promise<string> {
  while (used.has(stepOf(Date.now()))) await new Promise((r) => setTimeout(r, 250));
  const now = Date.now();
  used.add(stepOf(now));
  return totpCode(secret, now);
}

/** A code that is certainly wrong now: the current one with its last digit changed. */
function wrongCode(secret: string): string {
  const right = totpCode(secret);
  return right.slice(0, 5) + ((Number(right[5]) + 5) % 10);
}

async function signInWithPassword(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page, email: string) {
  await page.getByRole('button', { name: `Account: ${email}` }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** Enrols a TOTP factor for `email` through supabase-js in Node (another device), and answers its secret. */
async function enrolInNode(email: string, used: Set<number>): Promise<string> {
  const client = nodeClient();
  const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error) throw signedIn.error;
  const enrolled = await client.auth.mfa.enroll({ factorType: 'totp' });
  if (enrolled.error) throw enrolled.error;
  const verified = await client.auth.mfa.challengeAndVerify({ factorId: enrolled.data.id, code: await freshCode(enrolled.data.totp.secret, used) });
  if (verified.error) throw verified.error;
  return enrolled.data.totp.secret;
}

test('forgot password: the mail, the link, a new password, signed in; the old password and the used link no longer work', async ({ page }) => {
  const email = uniqueEmail('reset');
  await createUser(email);
  const asked = new Date();

  // An address without an account gets the same answer: the page tells no one who has one.
  await page.goto('/forgot-password');
  await page.getByLabel('Email address').fill(uniqueEmail('nobody'));
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeFocused();

  // Each request keeps its own PKCE code verifier in this browser, replacing the last one: the
  // real request comes last, as a user would use the newest mail.
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByLabel('Email address')).toHaveValue(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeFocused();
  await expect(page.getByText(`If an account uses ${email}`)).toBeVisible();

  const mail = await latestMailTo(mailUrl(), email, { after: asked, timeoutMs: 30_000 });
  const link = mail.links[0];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await expect(page).toHaveURL(/\/reset-password/);
  await expect(page.getByText(`Choose a new password for ${email}.`)).toBeVisible();
  await expectAccessible(page, 'reset-password form');

  // The project's password rules, with their messages, before the server is asked.
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat new password').fill('short');
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page.getByText('Use at least 6 characters.')).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toBeFocused();

  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page).toHaveURL(/\/shop$/);
  await expect(page.getByRole('button', { name: `Account: ${email}` })).toBeVisible();

  const old = await nodeClient().auth.signInWithPassword({ email, password: PASSWORD });
  expect(old.error?.code).toBe('invalid_credentials');
  const fresh = await nodeClient().auth.signInWithPassword({ email, password: NEW_PASSWORD });
  expect(fresh.error).toBeNull();

  // The link works once.
  await page.goto(link!);
  await expect(page.getByRole('heading', { name: /expired or has already been used|does not work|another browser/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Request a new link' })).toBeVisible();
  await expectAccessible(page, 'reset-password used link');
});

test('the reset page without a link, or with an expired one, says so and offers a new one', async ({ page }) => {
  await page.goto('/reset-password');
  await expect(page.getByRole('heading', { name: 'Open the link from your email' })).toBeFocused();
  await expectAccessible(page, 'reset-password without a link');
  // How GoTrue's /verify redirects an expired link.
  await page.goto('/reset-password?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired');
  await expect(page.getByRole('heading', { name: 'This reset link has expired or has already been used.' })).toBeFocused();
  await expectAccessible(page, 'reset-password with an expired link');
  await page.getByRole('link', { name: 'Request a new link' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test('two-factor: enrol with the key from the page, a wrong code is refused, the right one signs in', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const email = uniqueEmail('totp');
  await createUser(email);
  const used = new Set<number>();

  await signInWithPassword(page, email);
  await expect(page).toHaveURL(/\/shop$/);
  await page.getByRole('button', { name: `Account: ${email}` }).click();
  await page.getByRole('link', { name: 'Account and security' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('two-factor-off')).toBeVisible();

  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeFocused();
  await expect(page.getByTestId('totp-qr')).toHaveAttribute('src', /^data:image\/svg\+xml/);
  const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expectAccessible(page, 'account with enrolment open');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  await page.getByLabel('Code from the app').fill(wrongCode(secret!));
  await page.getByRole('button', { name: 'Verify and turn on' }).click();
  await expect(page.getByText('That code is wrong or has expired.', { exact: false }).first()).toBeVisible();

  await page.getByLabel('Code from the app').fill(await freshCode(secret!, used));
  await page.getByRole('button', { name: 'Verify and turn on' }).click();
  await expect(page.getByRole('list', { name: 'Your authenticators' })).toBeVisible();
  await expect(page.getByTestId('two-factor-off')).toHaveCount(0);

  await signOut(page, email);
  await signInWithPassword(page, email);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  await expect(page.getByLabel('Authentication code')).toBeFocused();
  // Nothing behind the guard opens with the password alone.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();

  await page.getByLabel('Authentication code').fill(wrongCode(secret!));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That code is wrong or has expired.', { exact: false }).first()).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel('Authentication code').fill(await freshCode(secret!, used));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
});

test('an admin signed in with their own code removes the factors of a user who lost theirs', async ({ page }) => {
  const adminEmail = uniqueEmail('admin');
  const userEmail = uniqueEmail('lost');
  await Promise.all([createUser(adminEmail), createUser(userEmail)]);
  await db().query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}' where email = $1`, [adminEmail]);
  const adminUsed = new Set<number>();
  const [adminSecret] = await Promise.all([enrolInNode(adminEmail, adminUsed), enrolInNode(userEmail, new Set())]);

  await signInWithPassword(page, adminEmail);
  await page.getByLabel('Authentication code').fill(await freshCode(adminSecret, adminUsed));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/admin$/);

  const panel = page.getByTestId('panel-factor-recovery');
  await panel.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('factor-recovery-needs-aal2')).toHaveCount(0);
  await panel.getByLabel("User's email address").fill(userEmail);
  await panel.getByRole('button', { name: 'Look up' }).click();
  await expect(panel.getByText('has 1 factor:')).toBeVisible();
  await panel.getByRole('button', { name: 'Remove two-factor from this account' }).click();
  const dialog = page.getByRole('dialog', { name: "Remove this user's two-factor?" });
  await dialog.getByRole('button', { name: 'Remove two-factor' }).click();
  await expect(panel.getByText(`Removed 1 factor from ${userEmail}.`, { exact: false })).toBeVisible();

  const { rows } = await db().query(`select count(*)::int as n from auth.mfa_factors f join auth.users u on u.id = f.user_id where u.email = $1`, [userEmail]);
  expect(rows[0].n).toBe(0);
  // The user signs in with the password alone again.
  const client = nodeClient();
  expect((await client.auth.signInWithPassword({ email: userEmail, password: PASSWORD })).error).toBeNull();
  const { data } = await client.auth.mfa.getAuthenticatorAssuranceLevel();
  expect(data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal1' });
});
