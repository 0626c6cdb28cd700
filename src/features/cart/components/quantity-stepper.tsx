import { useId } from 'react';
import { Minus, Plus } from 'lucide-react';
import { cn } from '@/lib/cn.ts';

const stepClass =
  'flex size-10 items-center justify-center text-slate-600 hover:bg-slate-50 hover:text-slate-900 disabled:cursor-not-allowed disabled:opacity-40 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600';

/** A number field with − and + buttons, kept within 1..max. */
export function QuantityStepper({ value, max, onChange, disabled, label = 'Quantity' }: { value: number; max: number; onChange: (value: number) => void; disabled?: boolean; label?: string }) {
  const id = useId();
  const clamp = (n: number) => Math.min(Math.max(1, n), Math.max(1, max));
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <div className={cn('inline-flex items-stretch overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-300 ring-inset', disabled && 'opacity-60')}>
        <button type="button" className={stepClass} aria-label="One fewer" disabled={disabled || value <= 1} onClick={() => onChange(clamp(value - 1))}>
          <Minus className="size-4" aria-hidden="true" />
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={1}
          max={Math.max(1, max)}
          value={value}
          disabled={disabled}
          onChange={(event) => {
            const n = Number.parseInt(event.target.value, 10);
            if (Number.isInteger(n)) onChange(clamp(n));
          }}
          className="w-14 [appearance:textfield] border-x border-slate-200 text-center text-sm font-semibold text-slate-900 tabular-nums focus:outline-2 focus:-outline-offset-2 focus:outline-indigo-600 [&::-webkit-inner-spin-button]:appearance-none"
        />
        <button type="button" className={stepClass} aria-label="One more" disabled={disabled || value >= max} onClick={() => onChange(clamp(value + 1))}>
          <Plus className="size-4" aria-hidden="true" />
        </button>
      </div>
    </div>
  );
}
