import { expect, test, type Page } from '@playwright/test';
import { createUser, PASSWORD, uniqueEmail } from './support.ts';

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

async function expectSignedInAs(page: Page, email: string) {
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  await expect(page.getByTestId('session-email')).toHaveText(email);
  await expect(page.getByTestId('session-role')).toHaveText('authenticated');
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
  await expect(page.getByTestId('user-email')).toHaveText(email);

  await page.reload();
  await expectSignedInAs(page, email);

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

test('the guard sends a signed-out visitor to sign-in and back to where they were going', async ({ page }) => {
  const email = uniqueEmail('guard');
  await createUser(email);

  await page.goto('/?from=link');
  await expect(page).toHaveURL(/\/sign-in$/);
  await fillCredentials(page, email, PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/\?from=link$/);
  await expect(page.getByTestId('session-email')).toHaveText(email);
});
