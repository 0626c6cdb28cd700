import { Menu, MenuButton, MenuHeading, MenuItem, MenuItems, MenuSection, MenuSeparator } from '@headlessui/react';
import { Check, ChevronDown, LogOut } from 'lucide-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { useSignOut } from '../api/sign-out.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import { initialsOf, roleLabel, type Viewer } from '@/lib/viewer.ts';

const itemClass =
  'flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 data-focus:bg-slate-100 data-focus:text-slate-900';

/** Who is signed in, the vendor switcher (members of several vendors) and sign out. */
export function AccountMenu({ viewer }: { viewer: Viewer }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const current = params.get('vendor') ?? viewer.memberships[0]?.vendorId;
  return (
    <Menu>
      <MenuButton
        className="flex items-center gap-1.5 rounded-full py-1 pr-2 pl-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 data-open:bg-slate-100"
        aria-label={`Account: ${viewer.email}`}
      >
        <span className="flex size-8 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white" aria-hidden="true">
          {initialsOf(viewer.email)}
        </span>
        <ChevronDown className="size-4 text-slate-500" aria-hidden="true" />
      </MenuButton>
      <MenuItems
        anchor="bottom end"
        className="z-50 mt-2 w-72 rounded-xl bg-white p-1.5 shadow-lg ring-1 ring-slate-900/10 focus:outline-none [--anchor-gap:4px]"
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
          <>
            <MenuSeparator className="my-1 h-px bg-slate-100" />
            <MenuSection>
              <MenuHeading className="px-3 pt-1 pb-1 text-xs font-semibold text-slate-500 uppercase">Switch vendor</MenuHeading>
              {viewer.memberships.map((m) => (
                <MenuItem key={m.vendorId}>
                  <Link to={`/inventory?vendor=${m.vendorId}`} className={itemClass} aria-current={m.vendorId === current ? 'true' : undefined}>
                    <Check className={m.vendorId === current ? 'size-4 text-indigo-600' : 'size-4 invisible'} aria-hidden="true" />
                    <span className="truncate">{m.vendorName}</span>
                  </Link>
                </MenuItem>
              ))}
            </MenuSection>
          </>
        )}
        <MenuSeparator className="my-1 h-px bg-slate-100" />
        <MenuItem>
          <button
            type="button"
            className={itemClass}
            onClick={() =>
              signOut.mutate(undefined, {
                onSuccess: () => void navigate('/sign-in', { replace: true }),
                onError: (error) => toast.error(`Could not sign out: ${authErrorMessage(error).message}`),
              })
            }
          >
            <LogOut className="size-4 text-slate-500" aria-hidden="true" />
            Sign out
          </button>
        </MenuItem>
      </MenuItems>
    </Menu>
  );
}
