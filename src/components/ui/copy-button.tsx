import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { toast } from '@/lib/toast.ts';

/** Copies `value` to the clipboard; `label` names what is copied ("order id"). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      className="inline-flex size-7 shrink-0 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      onClick={() => {
        navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true);
            toast.success(`Copied the ${label}`);
            setTimeout(() => setCopied(false), 1500);
          },
          () => toast.error(`Could not copy the ${label}; select it and copy it instead.`),
        );
      }}
    >
      {copied ? <Check className="size-4 text-emerald-600" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
    </button>
  );
}
