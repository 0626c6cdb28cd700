// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '@/lib/query-client.ts';
import { AuthForm } from '../auth-form.tsx';
import type { AuthMode } from '../../utils/validate-credentials.ts';

afterEach(cleanup);

function renderForm(mode: AuthMode) {
  const queryClient = createQueryClient({ queries: { retry: false }, mutations: { retry: false } });
  render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>
        <AuthForm mode={mode} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return {
    queryClient,
    email: screen.getByLabelText('Email address') as HTMLInputElement,
    password: screen.getByLabelText('Password') as HTMLInputElement,
  };
}

describe('AuthForm', () => {
  it('labels its fields for password managers and screen readers', () => {
    const { email, password } = renderForm('sign-in');
    expect(email.type).toBe('email');
    expect(email.autocomplete).toBe('email');
    expect(password.type).toBe('password');
    expect(password.autocomplete).toBe('current-password');
    cleanup();
    expect(renderForm('sign-up').password.autocomplete).toBe('new-password');
  });

  it('shows field errors, marks the fields invalid and focuses the first one, without calling the server', () => {
    const { email, password, queryClient } = renderForm('sign-in');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toBe('Enter your email address.');
    expect(document.getElementById(password.getAttribute('aria-describedby')!)?.textContent).toBe('Enter your password.');
    expect(document.activeElement).toBe(email);
    expect(queryClient.getMutationCache().getAll()).toHaveLength(0);
  });

  it('focuses the password when only the password is wrong', () => {
    const { email, password } = renderForm('sign-up');
    fireEvent.change(email, { target: { value: 'ada@example.com' } });
    fireEvent.change(password, { target: { value: '123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(email.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByText('Use at least 6 characters.')).toBeTruthy();
    expect(document.activeElement).toBe(password);
  });

  it('updates errors while typing once the user has tried to submit', () => {
    const { email } = renderForm('sign-in');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    fireEvent.change(email, { target: { value: 'ada@' } });
    expect(screen.getByText('Enter an email address like name@example.com.')).toBeTruthy();
    fireEvent.change(email, { target: { value: 'ada@example.com' } });
    expect(screen.queryByText('Enter an email address like name@example.com.')).toBeNull();
    expect(email.getAttribute('aria-invalid')).toBeNull();
  });

  it('does not nag before the first submit', () => {
    const { email } = renderForm('sign-in');
    fireEvent.change(email, { target: { value: 'ada@' } });
    expect(email.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows and hides the password with a toggle named after what it does', () => {
    const { password } = renderForm('sign-in');
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect(password.type).toBe('text');
    fireEvent.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(password.type).toBe('password');
  });

  it('keeps the tab order email, password, toggle, submit', () => {
    renderForm('sign-in');
    const focusable = [...document.querySelectorAll('input, button')].map((el) => el.getAttribute('name') ?? el.getAttribute('aria-label') ?? el.textContent);
    expect(focusable).toEqual(['email', 'password', 'Show password', 'Sign in']);
  });

  it('offers a way to reset a forgotten password when signing in, not when signing up', () => {
    renderForm('sign-in');
    expect(screen.getByRole('link', { name: 'Forgot password?' }).getAttribute('href')).toBe('/forgot-password');
    cleanup();
    renderForm('sign-up');
    expect(screen.queryByRole('link', { name: 'Forgot password?' })).toBeNull();
  });
});
