import type { ReactNode } from 'react';
import { Brand } from '../brand.tsx';
import { Card } from '../ui/card.tsx';

/** A centred card on a quiet background, with a short pitch beside it on wide screens. */
export function AuthLayout({ title, subtitle, footer, children }: { title: string; subtitle: string; footer: ReactNode; children: ReactNode }) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-2">
      <aside className="relative hidden overflow-hidden bg-indigo-950 p-12 text-indigo-100 lg:flex lg:flex-col lg:justify-between">
        <div className="absolute -top-24 -right-24 size-96 rounded-full bg-indigo-600/30 blur-3xl" aria-hidden="true" />
        <div className="absolute -bottom-32 -left-16 size-96 rounded-full bg-sky-500/20 blur-3xl" aria-hidden="true" />
        <p className="relative text-lg font-semibold text-white">Stockroom</p>
        <div className="relative space-y-4">
          <p className="text-3xl font-semibold tracking-tight text-white">Stock you can trust, live.</p>
          <p className="max-w-md text-indigo-200">
            Vendors watch inventory change as it happens, shoppers see what is really available, and nothing is ever sold twice.
          </p>
        </div>
        <p className="relative text-sm text-indigo-300">Runs on Supabase, or on the local stack without Docker.</p>
      </aside>
      <main className="flex items-center justify-center px-4 py-12 sm:px-6">
        <div className="w-full max-w-sm space-y-8">
          <div className="space-y-3">
            <Brand />
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
            <p className="text-sm text-slate-600">{subtitle}</p>
          </div>
          <Card>{children}</Card>
          <div className="text-center text-sm text-slate-600">{footer}</div>
        </div>
      </main>
    </div>
  );
}
