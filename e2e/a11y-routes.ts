import { expect, type Page } from '@playwright/test';
import type { TestVendor } from './stock-fixtures.ts';

// Every route × the roles that can open it, for the accessibility check (a11y-routes.spec.ts).
// A new route is one entry; a drawer, dialog or state of it is one entry in its `states`.

export type Role = 'signed out' | 'shopper' | 'vendor' | 'admin';
export const ROLES: Role[] = ['signed out', 'shopper', 'vendor', 'admin'];

/** What the spec arranged for the role before the walk (a vendor with stock; a shopper's hold and order). */
export interface A11yData {
  vendor: TestVendor;
  /** A product of `vendor` in the shop (in stock), one low and one sold out. */
  inStock: { id: string; sku: string; name: string };
  /** The shopper's placed order (shopper only). */
  orderId?: string;
}

export interface A11yState {
  name: string;
  /** Opens the drawer or dialog, or brings the page into the state, from the route as loaded. */
  open: (page: Page, data: A11yData) => Promise<void>;
  /** How to get back to the route as loaded: Escape closes the dialog (the default), or load it again. */
  leave?: 'escape' | 'reload';
}

export interface A11yRoute {
  name: string;
  path: string | ((data: A11yData) => string);
  roles: Role[];
  /** Resolves once the page shows its data (not a spinner). */
  ready: (page: Page, data: A11yData) => Promise<void>;
  states?: A11yState[];
  /** axe reads every node of many charts: give the walk more time. */
  slow?: boolean;
}

const heading = (page: Page, name: string | RegExp) => expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
const dialog = (page: Page, name: string | RegExp) => expect(page.getByRole('dialog', { name })).toBeVisible();
const gridRow = (page: Page, sku: string) => page.getByRole('row', { name: new RegExp(`^${sku} `) });
const refused = (page: Page) => heading(page, "You don't have access to this page");

export const A11Y_ROUTES: A11yRoute[] = [
  {
    name: 'sign in',
    path: '/sign-in',
    roles: ['signed out'],
    ready: (page) => expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible(),
    states: [
      {
        name: 'wrong password',
        open: async (page) => {
          await page.getByLabel('Email address').fill('nobody-here@example.com');
          await page.getByLabel('Password', { exact: true }).fill('wrong-password-1');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await expect(page.getByRole('alert')).toBeVisible();
        },
        leave: 'reload',
      },
    ],
  },
  {
    name: 'sign up',
    path: '/sign-up',
    roles: ['signed out'],
    ready: (page) => expect(page.getByRole('button', { name: 'Create account' })).toBeVisible(),
    states: [
      {
        name: 'invalid fields',
        open: async (page) => {
          await page.getByLabel('Email address').fill('not-an-address');
          await page.getByLabel('Password', { exact: true }).fill('short');
          await page.getByRole('button', { name: 'Create account' }).click();
          await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
        },
        leave: 'reload',
      },
    ],
  },
  {
    name: 'shop',
    path: ({ vendor }) => `/shop?q=${vendor.label}`,
    roles: ['signed out', 'shopper', 'vendor', 'admin'],
    ready: (page, { inStock }) => expect(page.getByRole('article', { name: inStock.name })).toBeVisible(),
  },
  {
    name: 'product',
    path: ({ inStock }) => `/shop/p/${inStock.id}`,
    roles: ['signed out', 'shopper', 'vendor', 'admin'],
    ready: (page, { inStock }) => heading(page, inStock.name),
  },
  {
    name: 'product, sold out',
    path: ({ vendor }) => `/shop/p/${vendor.products[2]!.id}`,
    roles: ['signed out'],
    ready: (page) => expect(page.getByTestId('stock-state')).toHaveText('Sold out'),
  },
  {
    name: 'cart',
    path: '/cart',
    roles: ['shopper'],
    ready: (page) => expect(page.getByTestId('cart-line').first()).toBeVisible(),
    states: [
      {
        name: 'checkout dialog',
        open: async (page, { vendor }) => {
          await page.getByRole('button', { name: `Checkout ${vendor.vendorName}` }).click();
          await dialog(page, /Place your order/);
        },
      },
    ],
  },
  {
    name: 'empty cart',
    path: '/cart',
    roles: ['vendor', 'admin'],
    ready: (page) => expect(page.getByText('Your cart is empty')).toBeVisible(),
  },
  {
    name: 'orders',
    path: '/orders',
    roles: ['shopper', 'vendor'],
    ready: async (page, { orderId }) =>
      orderId ? expect(page.getByTestId('order-row').first()).toBeVisible() : expect(page.getByText('No orders yet')).toBeVisible(),
  },
  {
    name: 'order',
    path: ({ orderId }) => `/orders/${orderId}`,
    roles: ['shopper'],
    ready: (page) => expect(page.getByTestId('order-line').first()).toBeVisible(),
  },
  {
    name: 'inventory',
    path: ({ vendor }) => `/inventory?q=${vendor.label}`,
    roles: ['vendor'],
    ready: async (page, { vendor }) => {
      await expect(gridRow(page, vendor.products[0]!.sku)).toBeVisible();
      await expect(page.getByTestId('live-status')).toHaveText('Live');
    },
    states: [
      {
        name: 'product drawer',
        open: async (page, { vendor }) => {
          await gridRow(page, vendor.products[0]!.sku).click();
          await dialog(page, vendor.products[0]!.name);
        },
      },
      {
        name: 'product drawer, history',
        open: async (page, { vendor }) => {
          await gridRow(page, vendor.products[0]!.sku).click();
          await page.getByRole('tab', { name: 'History' }).click();
          await expect(page.getByRole('tabpanel')).toBeVisible();
        },
      },
      {
        name: 'product drawer, details',
        open: async (page, { vendor }) => {
          await gridRow(page, vendor.products[0]!.sku).click();
          await page.getByRole('tab', { name: 'Details' }).click();
          await expect(page.getByRole('tabpanel')).toBeVisible();
        },
      },
      {
        name: 'adjust dialog',
        open: async (page, { vendor }) => {
          await gridRow(page, vendor.products[0]!.sku).focus();
          await page.keyboard.press('a');
          await dialog(page, /^Change stock/);
        },
      },
      {
        name: 'set dialog',
        open: async (page, { vendor }) => {
          await gridRow(page, vendor.products[0]!.sku).focus();
          await page.keyboard.press('s');
          await dialog(page, /^Change stock/);
        },
      },
      {
        name: 'add product',
        open: async (page) => {
          await page.getByRole('button', { name: 'Add product' }).click();
          await dialog(page, 'Add a product');
        },
      },
      {
        name: 'add location',
        open: async (page) => {
          await page.getByRole('button', { name: 'Add location' }).click();
          await dialog(page, 'Add a location');
        },
      },
      {
        name: 'import preview',
        open: async (page, { vendor }) => {
          await page.getByRole('button', { name: 'Import count' }).click();
          const csv = ['SKU,Location,On hand', `${vendor.products[0]!.sku},Main warehouse,12`, `NOPE-1,Main warehouse,3`].join('\n');
          await page.getByLabel('CSV file with the counts').setInputFiles({ name: 'count.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
          await expect(page.getByRole('dialog', { name: 'Import a stock count' }).getByRole('status').first()).toContainText('1 to change');
        },
      },
    ],
  },
  {
    name: 'inventory product link',
    path: ({ vendor }) => `/inventory/p/${vendor.products[1]!.id}`,
    roles: ['vendor'],
    ready: (page, { vendor }) => dialog(page, vendor.products[1]!.name),
  },
  {
    name: 'inventory, refused',
    path: '/inventory',
    roles: ['shopper', 'admin'],
    ready: refused,
  },
  {
    name: 'admin dashboard',
    path: '/admin?range=1h',
    roles: ['admin'],
    slow: true,
    ready: async (page) => {
      await expect(page.getByTestId('health-score')).toBeVisible({ timeout: 30_000 });
      // Charts are drawn as they come into view: scroll past all of them, so axe reads them too.
      for (const slug of ['latency', 'throughput', 'cache', 'realtime', 'saturation', 'health', 'ledger', 'rejections']) {
        await page.getByTestId(`panel-${slug}`).scrollIntoViewIfNeeded();
        await expect(page.getByTestId(`panel-${slug}`).locator('[role="status"][aria-busy], .animate-pulse')).toHaveCount(0, { timeout: 30_000 });
      }
      // Paused, so the page holds still while axe reads it.
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
    },
  },
  {
    name: 'admin, refused',
    path: '/admin',
    roles: ['shopper', 'vendor'],
    ready: refused,
  },
  {
    name: 'forgot password',
    path: '/forgot-password',
    roles: ['signed out'],
    ready: (page) => heading(page, 'Reset your password'),
  },
  {
    name: 'reset password, no link',
    path: '/reset-password',
    roles: ['signed out'],
    ready: (page) => expect(page.getByRole('heading', { name: 'Open the link from your email' })).toBeVisible(),
  },
  {
    name: 'invitation, signed out',
    path: '/invite/not-a-real-token',
    roles: ['signed out'],
    ready: (page) => heading(page, "You're invited to join a team"),
  },
  {
    name: 'invitation, unknown link',
    path: '/invite/not-a-real-token',
    roles: ['shopper'],
    ready: (page) => heading(page, 'This invitation link is not valid'),
  },
  {
    name: 'team',
    path: '/team',
    roles: ['vendor'],
    ready: (page, { vendor }) => heading(page, new RegExp(`${vendor.vendorName}`)),
  },
  {
    name: 'account',
    path: '/account',
    roles: ['shopper', 'vendor', 'admin'],
    ready: (page) => heading(page, 'Your account'),
  },
  {
    name: 'not found',
    path: '/no-such-page',
    roles: ['signed out', 'shopper', 'vendor', 'admin'],
    ready: (page) => heading(page, 'Page not found'),
  },
];

/** The routes a role opens, in table order. */
export const routesOf = (role: Role) => A11Y_ROUTES.filter((r) => r.roles.includes(role));
