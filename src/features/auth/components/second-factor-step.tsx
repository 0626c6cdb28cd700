import { useNavigate } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout.tsx';
import { toast } from '@/lib/toast.ts';
import { useSignOut } from '../api/sign-out.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import { SecondFactorForm } from './second-factor-form.tsx';

/** Sign-in's second step, for accounts with a verified authenticator app. */
export function SecondFactorStep() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <AuthLayout
      title="Two-factor sign-in"
      subtitle="Your password was right. Open your authenticator app and enter the code it shows for Stockroom."
      footer={
        <>
          Lost your authenticator? A platform admin can remove it for you.{' '}
          <button
            type="button"
            className="font-semibold text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
            onClick={() =>
              signOut.mutate(undefined, {
                onSuccess: () => void navigate('/sign-in', { replace: true }),
                onError: (error) => toast.error(`Could not sign out: ${authErrorMessage(error).message}`),
              })
            }
          >
            Use another account
          </button>
        </>
      }
    >
      <SecondFactorForm />
    </AuthLayout>
  );
}
