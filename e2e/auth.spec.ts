import { expect, test, type Page } from './test.ts';
import { createUser, PASSWORD, uniqueEmail } from './support.ts';

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

/** A new user has no vendor: they land in the shop, and the account menu says who they are. */
async function expectSignedInAs(page: Page, email: string) {
  await expect(page).toHaveURL(/\/shop$/);
  await expectAccount(page, email, 'Shopper');
}

async function expectAccount(page: Page, email: string, role: string) {
  await page.getByRole('button', { name: `Account: ${email}` }).click();
  await expect(page.getByTestId('user-email')).toHaveText(email);
  await expect(page.getByTestId('user-role')).toHaveText(role);
  await page.keyboard.press('Escape');
}

test('sign up, stay signed in across a reload, sign out, sign in again', async ({ page }) => {
  const email = uniqueEmail('signup');

  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();

  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectSignedInAs(page, email);

  await page.reload();
  await expectSignedInAs(page, email);

  await page.getByRole('button', { name: `Account: ${email}` }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);

  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, email);
});

test('a wrong password shows the error and keeps the user out', async ({ page }) => {
  const email = uniqueEmail('wrong-password');
  await createUser(email);

  await page.goto('/sign-in');
  await fillCredentials(page, email, 'not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in$/);
  const { origins } = await page.context().storageState();
  expect(origins.flatMap((origin) => origin.localStorage.map((item) => item.name)).filter((name) => name.includes('auth-token'))).toEqual([]);

  // Editing clears the error; the right password then gets in.
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, email);
});

test('signing up with a taken email says so on the email field', async ({ page }) => {
  const email = uniqueEmail('taken');
  await createUser(email);

  await page.goto('/sign-up');
  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  const field = page.getByLabel('Email address');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('An account with this email already exists. Sign in instead.');
  await expect(field).toBeFocused();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test('the guard sends a signed-out visitor to sign-in and back to the deep link, which refuses a shopper', async ({ page }) => {
  const email = uniqueEmail('guard');
  await createUser(email);

  await page.goto('/inventory?q=lantern');
  await expect(page).toHaveURL(/\/sign-in$/);
  await fillCredentials(page, email, PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/inventory\?q=lantern$/);
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByText('This page is for members of a vendor.', { exact: false })).toBeVisible();
  // Navigation offers only what a shopper can use.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Shop', 'Cart', 'Orders']);
  await page.getByRole('link', { name: 'Go to your start page' }).click();
  await expect(page).toHaveURL(/\/shop$/);
});

for (const { email, landing, role, nav } of [
  { email: 'vendor.a@example.com', landing: '/inventory', role: 'Owner · Northwind Outfitters', nav: ['Inventory', 'Team', 'Shop', 'Cart', 'Orders'] },
  { email: 'admin@example.com', landing: '/admin', role: 'Platform admin', nav: ['Shop', 'Cart', 'Orders', 'Admin'] },
  { email: 'shopper@example.com', landing: '/shop', role: 'Shopper', nav: ['Shop', 'Cart', 'Orders'] },
]) {
  test(`${email} lands on ${landing} with the navigation of that role`, async ({ page }) => {
    await page.goto('/sign-in');
    await fillCredentials(page, email, 'demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`${landing}$`));
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(nav);
    await expectAccount(page, email, role);
  });
}

test('an unknown address renders inside the shell with a way back; /admin refuses a non-admin', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Stockroom home' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/sign-in');
  await fillCredentials(page, 'vendor.b@example.com', 'demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/inventory$/);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByText('This page is for platform admins.', { exact: false })).toBeVisible();
});
