export function CatalogSkeleton() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading products</span>
      <div className="grid animate-pulse gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-hidden="true">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-36 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-900/5">
            <div className="h-4 w-2/3 rounded bg-slate-200" />
            <div className="mt-2 h-3 w-1/4 rounded bg-slate-100" />
            <div className="mt-4 h-3 w-full rounded bg-slate-100" />
            <div className="mt-6 h-5 w-1/3 rounded-full bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
