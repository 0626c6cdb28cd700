import { Dialog, DialogPanel, DialogTitle, Description } from '@headlessui/react';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** Tailwind max-width class of the panel. */
  width?: string;
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button
      type="button"
      onClick={onClose}
      className="-m-1.5 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
      aria-label="Close"
    >
      <X className="size-5" aria-hidden="true" />
    </button>
  );
}

/**
 * A centred modal: focus moves into it, stays there (Tab cycles), Escape or the close button
 * leaves, and focus returns to what opened it (Headless UI's Dialog).
 */
export function Modal({ open, onClose, title, description, children, width = 'max-w-md' }: DialogProps) {
  return (
    <Dialog open={open} onClose={onClose} className="fixed inset-0 z-50">
      <div className="fixed inset-0 bg-slate-900/40" aria-hidden="true" />
      <div className="fixed inset-0 flex items-end justify-center overflow-y-auto p-2 sm:items-center sm:p-4">
        <DialogPanel className={cn('w-full rounded-2xl bg-white p-5 shadow-xl ring-1 ring-slate-900/10 sm:p-6', width)}>
          <div className="flex items-start justify-between gap-4">
            <DialogTitle className="text-base font-semibold text-slate-900">{title}</DialogTitle>
            <CloseButton onClose={onClose} />
          </div>
          {description && <Description className="mt-1 text-sm text-slate-600">{description}</Description>}
          <div className="mt-4">{children}</div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}

/** A panel that slides in from the right (full width on phones), for details beside a list. */
export function SlideOver({ open, onClose, title, description, children, width = 'max-w-xl' }: DialogProps) {
  return (
    <Dialog open={open} onClose={onClose} className="fixed inset-0 z-40">
      <div className="fixed inset-0 bg-slate-900/30" aria-hidden="true" />
      <div className="fixed inset-y-0 right-0 flex w-full justify-end">
        <DialogPanel
          className={cn(
            'flex h-full w-full flex-col bg-white shadow-xl ring-1 ring-slate-900/10',
            'motion-safe:animate-[slide-in_160ms_ease-out]',
            width,
          )}
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-4 py-4 sm:px-6">
            <div className="min-w-0">
              <DialogTitle className="truncate text-lg font-semibold text-slate-900">{title}</DialogTitle>
              {description && <Description className="mt-0.5 text-sm text-slate-600">{description}</Description>}
            </div>
            <CloseButton onClose={onClose} />
          </div>
          <div className="flex-1 overflow-y-auto px-4 py-5 sm:px-6">{children}</div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}
