import type { Ref } from 'react';
import type { FieldControlProps } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';

/** A one-time code: digits keyboard on phones, and the browser may offer a code it received. */
export function CodeInput({
  control,
  inputRef,
  name,
  value,
  onChange,
  autoFocus,
}: {
  control: FieldControlProps;
  inputRef?: Ref<HTMLInputElement>;
  name: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <Input
      {...control}
      ref={inputRef}
      name={name}
      inputMode="numeric"
      autoComplete="one-time-code"
      autoFocus={autoFocus}
      spellCheck={false}
      maxLength={14}
      className="font-mono tracking-widest"
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
