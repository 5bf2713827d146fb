import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; next?: string; retry?: string }>;
}) {
  const { error, next, retry } = await searchParams;
  const wait = Math.max(1, Number(retry) || 1);
  const message =
    error === 'throttled'
      ? `Too many failed sign-ins. Try again in ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.`
      : 'Wrong email or password.';
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-50 to-brand-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-3">
          <span
            aria-hidden="true"
            className="grid h-10 w-10 place-items-center rounded-xl bg-brand-600 font-bold text-white"
          >
            T
          </span>
          <div>
            <h1 className="font-semibold text-lg">Tekup Dashboard</h1>
            <p className="text-slate-500 text-sm">Sign in to talk to your business systems</p>
          </div>
        </div>
        <form
          method="post"
          action="/api/auth/login"
          className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
        >
          {error ? (
            <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700 text-sm">
              {message}
            </p>
          ) : null}
          <input type="hidden" name="next" value={next ?? '/'} />
          <div className="space-y-1">
            <label htmlFor="email" className="font-medium text-sm">
              Email
            </label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              className="w-full rounded-lg border border-slate-300 px-3 py-2"
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="password" className="font-medium text-sm">
              Password
            </label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="w-full rounded-lg border border-slate-300 px-3 py-2"
            />
          </div>
          <button
            type="submit"
            className="w-full rounded-lg bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700"
          >
            Sign in
          </button>
        </form>
        <section
          aria-label="Demo accounts"
          className="mt-4 rounded-xl bg-white/70 p-4 text-slate-600 text-xs"
        >
          <p className="font-medium">
            Demo accounts (password <code>tekup-demo</code>)
          </p>
          <ul className="mt-1 list-inside list-disc">
            <li>admin@tekup.dk — admin, Tekup Demo ApS</li>
            <li>member@tekup.dk — member, Tekup Demo ApS</li>
            <li>anna@nordlys.dk — member, Nordlys Rengøring ApS</li>
          </ul>
        </section>
      </div>
    </main>
  );
}
