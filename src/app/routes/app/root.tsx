import { Outlet } from 'react-router';
import { AppLayout } from '@/components/layouts/app-layout.tsx';
import { RequireSession } from '@/features/auth/components/require-session.tsx';
import { UserMenu } from '@/features/auth/components/user-menu.tsx';

/** Every signed-in page: the guard, then the shell with the user's menu. */
export function AppRoot() {
  return (
    <RequireSession>
      <AppLayout headerEnd={<UserMenu />}>
        <Outlet />
      </AppLayout>
    </RequireSession>
  );
}
