import { Button } from '@/components/ui/button.tsx';
import { useSession } from '../api/get-session.ts';
import { useSignOut } from '../api/sign-out.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';

export function UserMenu() {
  const { data: session } = useSession();
  const signOut = useSignOut();
  if (!session) return null;
  return (
    <div className="flex items-center gap-3">
      {signOut.error && (
        <p role="alert" className="text-sm text-red-600">
          {authErrorMessage(signOut.error).message}
        </p>
      )}
      <span className="hidden max-w-56 truncate text-sm text-slate-600 sm:block" data-testid="user-email">
        {session.user.email}
      </span>
      <Button variant="secondary" loading={signOut.isPending} onClick={() => signOut.mutate()}>
        Sign out
      </Button>
    </div>
  );
}
