// Signing in: a username and password (a login token is issued), or an API token pasted as is.
import type { InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { unwrap, type Api } from '../api/client.ts';
import { fieldErrors } from '../api/problems.ts';
import type { Session } from '../session.ts';

export function LoginPage(props: { api: Api; session: Session }) {
  const { api, session } = props;
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function signIn(form: FormData) {
    setBusy(true);
    setErrors({});
    try {
      if (mode === 'password') {
        const body = { username: String(form.get('username')), password: String(form.get('password')) };
        const { token, user } = unwrap(await api.POST('/api/v1/auth/login', { body }));
        session.signIn({
          token: token.token,
          tokenId: token.id,
          username: user.username,
          isAdmin: user.admin,
          pasted: false,
        });
      } else {
        const token = String(form.get('token')).trim();
        const me = unwrap(await api.GET('/api/v1/me', { headers: { authorization: `Bearer ${token}` } }));
        session.signIn({
          token,
          tokenId: me.tokenId,
          username: me.user.username,
          isAdmin: me.user.admin,
          pasted: true,
        });
      }
    } catch (error) {
      const found = fieldErrors(error);
      setErrors(mode === 'token' && found[''] ? { token: found[''] } : found);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: string, label: string, input: InputHTMLAttributes<HTMLInputElement>) => (
    <div class="field">
      <label for={`login-${name}`}>{label}</label>
      <input
        id={`login-${name}`}
        name={name}
        required
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `login-${name}-error` : undefined}
        {...input}
      />
      {errors[name] && (
        <p class="field-error" id={`login-${name}-error`}>
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <main class="login" id="main">
      <h1>cloudplane</h1>
      {session.reason && (
        <p class="notice" role="status">
          {session.reason}
        </p>
      )}
      <form
        aria-label="Sign in"
        onSubmit={(event) => {
          event.preventDefault();
          void signIn(new FormData(event.currentTarget));
        }}
      >
        <fieldset class="choice">
          <legend>Sign in with</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'password'} onChange={() => setMode('password')} />
            Username and password
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} />
            An API token
          </label>
        </fieldset>
        {mode === 'password' ? (
          <>
            {field('username', 'Username', { autocomplete: 'username', maxLength: 64 })}
            {field('password', 'Password', { type: 'password', autocomplete: 'current-password', maxLength: 1024 })}
          </>
        ) : (
          field('token', 'API token', { type: 'password', autocomplete: 'off' })
        )}
        {errors[''] && (
          <p class="error" role="alert">
            {errors['']}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
