import { useState, type FormEvent } from 'react';
import { toast } from '@/lib/toast.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useCreateLocation } from '../api/create-location.ts';

function locationError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === '23505') return 'You already have a location with this name.';
  if (code === '42501') return 'Only members of this vendor can add its locations.';
  return message || 'The location could not be added. Try again.';
}

/** A new warehouse or store: a new group of columns in the grid. */
export function AddLocationDialog({ open, onClose, vendorId }: { open: boolean; onClose: () => void; vendorId: string }) {
  const create = useCreateLocation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const close = () => {
    create.reset();
    setName('');
    setError(undefined);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 200) return setError('Name the location (up to 200 characters).');
    create.mutate({ vendorId, name: trimmed }, { onSuccess: () => (toast.success(`${trimmed} added`), close()) });
  };
  return (
    <Modal open={open} onClose={close} title="Add a location" description="A warehouse, store or counter where you keep stock.">
      <form noValidate onSubmit={submit} className="space-y-4">
        {create.error && <Alert tone="error">{locationError(create.error)}</Alert>}
        <Field label="Name" error={error}>
          {(control) => <Input {...control} value={name} placeholder="e.g. Riverside store" onChange={(e) => (setName(e.target.value), setError(undefined), create.reset())} />}
        </Field>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add location
          </Button>
        </div>
      </form>
    </Modal>
  );
}
