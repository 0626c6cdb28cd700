import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppRoot } from './routes/app/root.tsx';
import { HomeRoute } from './routes/app/home.tsx';
import { SignInRoute } from './routes/auth/sign-in.tsx';
import { SignUpRoute } from './routes/auth/sign-up.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { RouteError } from './routes/route-error.tsx';
import { ShopRoute } from './routes/shop/shop.tsx';

const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/sign-in', element: <SignInRoute /> },
      { path: '/sign-up', element: <SignUpRoute /> },
      { path: '/shop', element: <ShopRoute /> },
      { path: '/', element: <AppRoot />, children: [{ index: true, element: <HomeRoute /> }] },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
