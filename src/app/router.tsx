import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { LandingRedirect } from '@/features/auth/components/require-area.tsx';
import { AdminRoute } from './routes/admin/admin.tsx';
import { AppRoot } from './routes/app/root.tsx';
import { SignInRoute } from './routes/auth/sign-in.tsx';
import { SignUpRoute } from './routes/auth/sign-up.tsx';
import { CartRoute } from './routes/cart/cart.tsx';
import { InventoryRoute } from './routes/inventory/inventory.tsx';
import { InventoryProductRoute } from './routes/inventory/product.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { OrderRoute } from './routes/orders/order.tsx';
import { OrdersRoute } from './routes/orders/orders.tsx';
import { RouteError } from './routes/route-error.tsx';
import { ProductRoute } from './routes/shop/product.tsx';
import { ShopRoute } from './routes/shop/shop.tsx';

const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/sign-in', element: <SignInRoute /> },
      { path: '/sign-up', element: <SignUpRoute /> },
      {
        element: <AppRoot />,
        children: [
          { index: true, element: <LandingRedirect /> },
          { path: 'shop', element: <ShopRoute /> },
          { path: 'shop/p/:productId', element: <ProductRoute /> },
          { path: 'cart', element: <CartRoute /> },
          { path: 'orders', element: <OrdersRoute /> },
          { path: 'orders/:orderId', element: <OrderRoute /> },
          { path: 'inventory', element: <InventoryRoute />, children: [{ path: 'p/:productId', element: <InventoryProductRoute /> }] },
          { path: 'admin', element: <AdminRoute /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
