/** Runs once when the server starts: the stores, the fleet and the gateway come up before traffic. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { boot } = await import('./server/boot');
  // Not awaited: the server listens at once and /api/ready answers 503 until boot has finished.
  void boot();
}
