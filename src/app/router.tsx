import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { LandingRedirect } from '@/features/auth/components/require-area.tsx';
import { AppRoot } from './routes/app/root.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { RouteError } from './routes/route-error.tsx';

// Each area is its own chunk, loaded when first visited: the shop never downloads the inventory,
// the inventory never downloads the cart or the charts.
const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    // Shown while the first route's chunk loads.
    hydrateFallbackElement: <PageSpinner label="Loading" />,
    children: [
      { path: '/sign-in', lazy: async () => ({ Component: (await import('./routes/auth/sign-in.tsx')).SignInRoute }) },
      { path: '/sign-up', lazy: async () => ({ Component: (await import('./routes/auth/sign-up.tsx')).SignUpRoute }) },
      { path: '/forgot-password', lazy: async () => ({ Component: (await import('./routes/auth/forgot-password.tsx')).ForgotPasswordRoute }) },
      { path: '/reset-password', lazy: async () => ({ Component: (await import('./routes/auth/reset-password.tsx')).ResetPasswordRoute }) },
      {
        element: <AppRoot />,
        children: [
          { index: true, element: <LandingRedirect /> },
          { path: 'shop', lazy: async () => ({ Component: (await import('./routes/shop/shop.tsx')).ShopRoute }) },
          { path: 'shop/p/:productId', lazy: async () => ({ Component: (await import('./routes/shop/product.tsx')).ProductRoute }) },
          { path: 'cart', lazy: async () => ({ Component: (await import('./routes/cart/cart.tsx')).CartRoute }) },
          { path: 'orders', lazy: async () => ({ Component: (await import('./routes/orders/orders.tsx')).OrdersRoute }) },
          { path: 'orders/:orderId', lazy: async () => ({ Component: (await import('./routes/orders/order.tsx')).OrderRoute }) },
          {
            path: 'inventory',
            lazy: async () => ({ Component: (await import('./routes/inventory/inventory.tsx')).InventoryRoute }),
            children: [{ path: 'p/:productId', lazy: async () => ({ Component: (await import('./routes/inventory/product.tsx')).InventoryProductRoute }) }],
          },
          { path: 'team', lazy: async () => ({ Component: (await import('./routes/team/team.tsx')).TeamRoute }) },
          { path: 'invite/:token', lazy: async () => ({ Component: (await import('./routes/invite/invite.tsx')).InviteRoute }) },
          { path: 'account', lazy: async () => ({ Component: (await import('./routes/account/account.tsx')).AccountRoute }) },
          { path: 'admin', lazy: async () => ({ Component: (await import('./routes/admin/admin.tsx')).AdminRoute }) },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
