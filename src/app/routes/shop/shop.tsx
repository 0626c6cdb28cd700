import { Link } from 'react-router';
import { AppLayout } from '@/components/layouts/app-layout.tsx';
import { useSession } from '@/features/auth/api/get-session.ts';
import { UserMenu } from '@/features/auth/components/user-menu.tsx';
import { Catalog } from '@/features/catalog/components/catalog.tsx';

function SignInLink() {
  return (
    <Link
      to="/sign-in"
      state={{ from: '/shop' }}
      className="rounded-lg px-3.5 py-2.5 text-sm font-semibold text-indigo-600 hover:bg-indigo-50 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      Sign in
    </Link>
  );
}

/** The public catalog: open to everyone; signed-in users keep their menu in the shell. */
export function ShopRoute() {
  const session = useSession();
  const headerEnd = session.isPending ? null : session.data ? <UserMenu /> : <SignInLink />;
  return (
    <AppLayout headerEnd={headerEnd}>
      <Catalog />
    </AppLayout>
  );
}
