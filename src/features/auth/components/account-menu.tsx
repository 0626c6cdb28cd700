import { useId, useRef } from 'react';
import { Check, ChevronDown, LogOut, UserCog } from 'lucide-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toast } from '@/lib/toast.ts';
import { initialsOf, roleLabel, type Viewer } from '@/lib/viewer.ts';
import { useSignOut } from '../api/sign-out.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';

const itemClass =
  'flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus-visible:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600';

/**
 * Who is signed in, the vendor switcher (members of several vendors) and sign out: a native
 * popover (Escape and a click outside close it; Tab moves from the button into it).
 */
export function AccountMenu({ viewer }: { viewer: Viewer }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const current = params.get('vendor') ?? viewer.memberships[0]?.vendorId;
  const close = () => panel.current?.hidePopover();
  return (
    <>
      <button
        type="button"
        popoverTarget={id}
        className="flex items-center gap-1.5 rounded-full py-1 pr-2 pl-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={`Account: ${viewer.email}`}
      >
        <span className="flex size-8 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white" aria-hidden="true">
          {initialsOf(viewer.email)}
        </span>
        <ChevronDown className="size-4 text-slate-500" aria-hidden="true" />
      </button>
      <div
        ref={panel}
        id={id}
        popover="auto"
        aria-label="Account"
        className="fixed inset-auto top-14 right-2 m-0 w-72 max-w-[calc(100vw-1rem)] rounded-xl bg-white p-1.5 shadow-lg ring-1 ring-slate-900/10 sm:right-6"
      >
        <div className="px-3 py-2">
          <p className="truncate text-sm font-medium text-slate-900" data-testid="user-email">
            {viewer.email}
          </p>
          <p className="text-xs text-slate-600" data-testid="user-role">
            {roleLabel(viewer)}
          </p>
        </div>
        {viewer.memberships.length > 1 && (
          <nav aria-label="Switch vendor" className="border-t border-slate-100 pt-1">
            <p className="px-3 pt-1 pb-1 text-xs font-semibold text-slate-600 uppercase">Switch vendor</p>
            {viewer.memberships.map((m) => (
              <Link key={m.vendorId} to={`/inventory?vendor=${m.vendorId}`} onClick={close} className={itemClass} aria-current={m.vendorId === current ? 'true' : undefined}>
                <Check className={m.vendorId === current ? 'size-4 text-indigo-600' : 'invisible size-4'} aria-hidden="true" />
                <span className="truncate">{m.vendorName}</span>
              </Link>
            ))}
          </nav>
        )}
        <div className="mt-1 border-t border-slate-100 pt-1">
          <Link to="/account" onClick={close} className={itemClass}>
            <UserCog className="size-4 text-slate-500" aria-hidden="true" />
            Account and security
          </Link>
          <button
            type="button"
            className={itemClass}
            onClick={() => {
              close();
              signOut.mutate(undefined, {
                onSuccess: () => void navigate('/sign-in', { replace: true }),
                onError: (error) => toast.error(`Could not sign out: ${authErrorMessage(error).message}`),
              });
            }}
          >
            <LogOut className="size-4 text-slate-500" aria-hidden="true" />
            Sign out
          </button>
        </div>
      </div>
    </>
  );
}
