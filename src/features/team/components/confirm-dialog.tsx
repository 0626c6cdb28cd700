import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';

/** Asks before an action that cannot be undone from here (removing a member, revoking a link). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error?: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal open={props.open} onClose={props.onClose} title={props.title}>
      <div className="space-y-4">
        {props.error && <Alert tone="error">{props.error}</Alert>}
        <div className="text-sm text-slate-700">{props.children}</div>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button variant="secondary" onClick={props.onClose}>
            Cancel
          </Button>
          <Button className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600" loading={props.pending} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
