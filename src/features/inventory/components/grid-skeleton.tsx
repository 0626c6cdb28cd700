/** The grid's shape while the snapshot loads: header, then rows of placeholder bars. */
export function GridSkeleton() {
  return (
    <div className="overflow-hidden rounded-xl bg-white ring-1 ring-slate-900/10" role="status" aria-label="Loading stock">
      <div className="h-16 border-b border-slate-200 bg-slate-50" />
      {Array.from({ length: 10 }, (_, i) => (
        <div key={i} className="flex h-10 items-center gap-4 border-b border-slate-100 px-3">
          <div className="h-3 w-16 animate-pulse rounded bg-slate-200 motion-reduce:animate-none" />
          <div className="h-3 w-48 animate-pulse rounded bg-slate-200 motion-reduce:animate-none" />
          <div className="ml-auto h-3 w-1/2 animate-pulse rounded bg-slate-100 motion-reduce:animate-none" />
        </div>
      ))}
    </div>
  );
}

export function TilesSkeleton() {
  return (
    <div className="grid grid-cols-3 gap-2 sm:gap-3 lg:grid-cols-5" aria-hidden="true">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="h-[4.25rem] animate-pulse rounded-xl bg-white ring-1 ring-slate-900/10 motion-reduce:animate-none" />
      ))}
    </div>
  );
}
