import { Link, useLocation } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout.tsx';
import { AuthForm } from '@/features/auth/components/auth-form.tsx';
import { RedirectIfSignedIn } from '@/features/auth/components/redirect-if-signed-in.tsx';

export function SignUpRoute() {
  const location = useLocation();
  return (
    <RedirectIfSignedIn>
      <AuthLayout
        title="Create your account"
        subtitle="Sign up with your email address and a password."
        footer={
          <>
            Already have an account?{' '}
            <Link to="/sign-in" state={location.state} className="font-semibold text-indigo-600 hover:text-indigo-500">
              Sign in
            </Link>
          </>
        }
      >
        <AuthForm key="sign-up" mode="sign-up" />
      </AuthLayout>
    </RedirectIfSignedIn>
  );
}
