import { Link, Outlet, useLocation } from 'react-router';
import { AppLayout, type NavItem } from '@/components/layouts/app-layout.tsx';
import { AccountMenu } from '@/features/auth/components/account-menu.tsx';
import { useViewer } from '@/features/auth/api/use-viewer.ts';
import { useHeldCount } from '@/features/cart/api/get-cart.ts';
import { canUse, type Area, type Viewer } from '@/lib/viewer.ts';

const areas: Array<{ area: Area; to: string; label: string }> = [
  { area: 'inventory', to: '/inventory', label: 'Inventory' },
  { area: 'team', to: '/team', label: 'Team' },
  { area: 'shop', to: '/shop', label: 'Shop' },
  { area: 'cart', to: '/cart', label: 'Cart' },
  { area: 'orders', to: '/orders', label: 'Orders' },
  { area: 'admin', to: '/admin', label: 'Admin' },
];

function navigationFor(viewer: Viewer | null, heldInCart: number): NavItem[] {
  return areas.filter(({ area }) => canUse(viewer, area)).map(({ area, to, label }) => ({ to, label, badge: area === 'cart' ? heldInCart : undefined }));
}

function SignInLink() {
  const location = useLocation();
  // Pages that need the way back (a product with a quantity) say so; otherwise each user lands on their own screen.
  return (
    <Link
      to="/sign-in"
      state={location.pathname.startsWith('/shop/') ? { from: location.pathname + location.search } : undefined}
      className="rounded-lg px-3 py-2 text-sm font-semibold text-indigo-600 hover:bg-indigo-50 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      Sign in
    </Link>
  );
}

/** The shell of every page but sign-in and sign-up: navigation by role, live badge, account menu. */
export function AppRoot() {
  const state = useViewer();
  const viewer = state.status === 'signed-in' ? state.viewer : null;
  // Units held for the shopper: the server's holds, read with the cart's own query.
  const heldInCart = useHeldCount(viewer !== null);
  const headerEnd = state.status === 'pending' ? null : viewer ? <AccountMenu viewer={viewer} /> : state.status === 'signed-out' || state.status === 'second-factor' ? <SignInLink /> : null;
  return (
    <AppLayout navigation={state.status === 'pending' ? [] : navigationFor(viewer, heldInCart)} headerEnd={headerEnd}>
      <Outlet />
    </AppLayout>
  );
}
