/** The server's HTTP API: JSON in and out, every refusal as { error, code }. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request<T>(method: 'GET' | 'POST', path: string, options: { body?: unknown; token?: string | null } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(path, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const refusal = (answer ?? {}) as { error?: string; code?: string };
    throw new ApiError(response.status, refusal.code ?? 'HTTP_ERROR', refusal.error ?? `the server answered ${response.status}`);
  }
  return answer as T;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
