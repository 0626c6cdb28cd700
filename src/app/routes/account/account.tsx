import { AccountPage } from '@/features/account/components/account-page.tsx';
import { RequireArea } from '@/features/auth/components/require-area.tsx';

export function AccountRoute() {
  return <RequireArea area="account">{(viewer) => <AccountPage viewer={viewer} />}</RequireArea>;
}
