import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { toast } from 'sonner';

/** Copies `value` to the clipboard and says so (the label names what is copied). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const Icon = copied ? Check : Copy;
  return (
    <button
      type="button"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      onClick={(event) => {
        event.stopPropagation();
        navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => toast.error(`Could not copy the ${label}`, { description: value }),
        );
      }}
      className="inline-flex rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <Icon className="size-3.5" aria-hidden="true" />
    </button>
  );
}
