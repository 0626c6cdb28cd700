export function Brand() {
  return (
    <span className="inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900">
      <img src="/favicon.svg" alt="" className="size-7" />
      Stockroom
    </span>
  );
}
