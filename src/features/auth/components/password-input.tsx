import { useState, type Ref } from 'react';
import type { FieldControlProps } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';

/** A password input with a Show/Hide toggle after it (Tab: input, toggle, next field). */
export function PasswordInput({
  control,
  inputRef,
  name,
  autoComplete,
  value,
  onChange,
  autoFocus,
}: {
  control: FieldControlProps;
  inputRef?: Ref<HTMLInputElement>;
  name: string;
  autoComplete: 'new-password' | 'current-password';
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className="relative">
      <Input
        {...control}
        ref={inputRef}
        name={name}
        type={shown ? 'text' : 'password'}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        className="pr-16"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <button
        type="button"
        className="absolute inset-y-1 right-1 rounded-md px-2.5 text-sm font-medium text-indigo-600 hover:bg-indigo-50 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={shown ? 'Hide password' : 'Show password'}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
