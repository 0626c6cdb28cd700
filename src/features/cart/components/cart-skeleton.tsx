export function CartSkeleton() {
  return (
    <div role="status" className="space-y-6">
      <span className="sr-only">Loading your cart</span>
      {[3, 2].map((lines, i) => (
        <div key={i} className="animate-pulse rounded-xl bg-white px-6 shadow-sm ring-1 ring-slate-900/5" aria-hidden="true">
          <div className="flex items-center justify-between border-b border-slate-100 py-4">
            <div className="space-y-2">
              <div className="h-5 w-48 rounded bg-slate-200" />
              <div className="h-3 w-32 rounded bg-slate-100" />
            </div>
            <div className="h-10 w-44 rounded-lg bg-slate-200" />
          </div>
          {Array.from({ length: lines }, (_, j) => (
            <div key={j} className="flex items-center gap-6 border-b border-slate-100 py-5 last:border-0">
              <div className="flex-1 space-y-2">
                <div className="h-4 w-1/2 rounded bg-slate-200" />
                <div className="h-3 w-1/3 rounded bg-slate-100" />
              </div>
              <div className="h-8 w-16 rounded bg-slate-100" />
              <div className="h-4 w-20 rounded bg-slate-100" />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
