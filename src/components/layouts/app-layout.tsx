import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { cn } from '@/lib/cn.ts';
import { Brand } from '../brand.tsx';
import { LiveAnnouncer } from '../live-announcer.tsx';
import { LiveBadge } from '../live-badge.tsx';

export interface NavItem {
  to: string;
  label: string;
  /** A count shown beside the label (items in the cart). */
  badge?: number | undefined;
}

function Navigation({ items, className }: { items: NavItem[]; className?: string }) {
  return (
    <nav aria-label="Main" className={className}>
      <ul className="flex gap-1">
        {items.map(({ to, label, badge }) => (
          <li key={to} className="shrink-0">
            <NavLink
              to={to}
              className={({ isActive }) =>
                cn(
                  'inline-flex items-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600',
                  isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
                )
              }
            >
              {label}
              {badge !== undefined && badge > 0 && (
                <span className="rounded-full bg-indigo-600 px-1.5 text-xs leading-5 font-semibold text-white tabular-nums" data-testid={`nav-badge-${label.toLowerCase()}`}>
                  <span className="sr-only">(</span>
                  {badge}
                  <span className="sr-only">)</span>
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The shell of every page but sign-in: brand, the navigation the user's role can use, the live
 * badge and the account menu (or a sign-in link). On phones the navigation moves to a second row.
 */
export function AppLayout({ navigation, headerEnd, children }: { navigation: NavItem[]; headerEnd: ReactNode; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-[96rem] items-center justify-between gap-3 px-4 sm:px-6">
          <div className="flex min-w-0 items-center gap-6">
            <Link to="/" className="shrink-0 rounded focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600" aria-label="Stockroom home">
              <Brand />
            </Link>
            <Navigation items={navigation} className="hidden md:block" />
          </div>
          <div className="flex shrink-0 items-center gap-2 sm:gap-3">
            <LiveBadge />
            {headerEnd}
          </div>
        </div>
        {navigation.length > 0 && <Navigation items={navigation} className="overflow-x-auto border-t border-slate-100 px-2 py-1 md:hidden" />}
      </header>
      <main id="main" className="mx-auto w-full max-w-[96rem] flex-1 px-4 py-6 sm:px-6">
        {children}
      </main>
      <LiveAnnouncer />
    </div>
  );
}
