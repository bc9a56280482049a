/**
 * JSON over HTTP to `/api/` (protocol section 4), with Django's CSRF header on writes.
 * Errors come back as `ApiError` carrying the server's own text, so the page can show it.
 */
import { isObject } from "../protocol/parse";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The value of a cookie, e.g. Django's `csrftoken`. */
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** The message to show for a failed answer: the server's `error`, else a plain fallback. */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isObject(body) && typeof body.error === "string") {
    const field = typeof body.field === "string" ? body.field : null;
    return new ApiError(body.error, status, field);
  }
  if (isObject(body) && typeof body.detail === "string") return new ApiError(body.detail, status);
  if (status === 0) return new ApiError("The server cannot be reached. Check the network.", 0);
  if (status >= 500) return new ApiError(`The server failed (HTTP ${status}). Try again.`, status);
  return new ApiError(`The request was refused (HTTP ${status}).`, status);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function api(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    const csrf = readCookie("csrftoken");
    if (csrf) headers["X-CSRFToken"] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw errorFromBody(0, null);
  }
  const answer = await readBody(response);
  if (!response.ok) throw errorFromBody(response.status, answer);
  return answer;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
