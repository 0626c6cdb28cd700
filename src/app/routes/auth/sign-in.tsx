import { Link, useLocation } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout.tsx';
import { AuthForm } from '@/features/auth/components/auth-form.tsx';
import { RedirectIfSignedIn } from '@/features/auth/components/redirect-if-signed-in.tsx';

export function SignInRoute() {
  const location = useLocation();
  return (
    <RedirectIfSignedIn>
      <AuthLayout
        title="Sign in"
        subtitle="Welcome back. Sign in with your email and password."
        footer={
          <>
            New here?{' '}
            <Link to="/sign-up" state={location.state} className="font-semibold text-indigo-600 hover:text-indigo-500">
              Create an account
            </Link>
          </>
        }
      >
        <AuthForm key="sign-in" mode="sign-in" />
      </AuthLayout>
    </RedirectIfSignedIn>
  );
}
