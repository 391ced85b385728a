// Calls to the corridor REST API (all under /api) and the errors they return.

/** An error answer of the API, with the problems it names per request field. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the server could not be reached).
   * @param {string} message A sentence for the user.
   * @param {Array<{field: string|null, message: string, suggestions: string[]}>} problems
   */
  constructor(status, message, problems = []) {
    super(message);
    this.status = status;
    this.problems = problems;
  }
}

const BASE = new URL("api/", document.baseURI);

/**
 * Turn any error body of the API into a list of problems.
 *
 * Understands FastAPI's validation list (`{"detail": [{"loc": [...], "msg": ...}]}`), one
 * problem object (`{"detail": {"field", "message", "suggestions"}}`), and a plain string.
 */
export function problemsOf(body) {
  const detail = body && typeof body === "object" && "detail" in body ? body.detail : body;
  const items = Array.isArray(detail) ? detail : detail == null ? [] : [detail];
  return items.map((item) => {
    if (typeof item === "string") return { field: null, message: item, suggestions: [] };
    const loc = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body" && p !== "query") : [];
    const field = item.field ?? (loc.length > 0 ? String(loc[0]) : null);
    const suggestions =
      item.suggestions ?? item.ctx?.suggestions ?? item.did_you_mean ?? [];
    return {
      field,
      message: String(item.message ?? item.msg ?? item.error ?? JSON.stringify(item)),
      suggestions: Array.isArray(suggestions) ? suggestions.map(String) : [],
    };
  });
}

async function request(method, path, body, { signal } = {}) {
  const url = new URL(path, BASE);
  const init = { method, headers: { Accept: "application/json" }, signal };
  const token = sessionStorage.getItem("corridor-token");
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "The corridor server cannot be reached. Is `corridor serve` running?");
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const problems = problemsOf(data);
    const message =
      problems.length > 0
        ? problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join("; ")
        : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, problems);
  }
  return data;
}

export const api = {
  get: (path, opts) => request("GET", path, undefined, opts),
  post: (path, body, opts) => request("POST", path, body, opts),
  put: (path, body, opts) => request("PUT", path, body, opts),
  del: (path, opts) => request("DELETE", path, undefined, opts),
};

/**
 * GET a path, returning `fallback` when the API does not offer it (404/405/501).
 * Lets the page hide panels whose backend part is not there yet.
 */
export async function getOptional(path, fallback = null) {
  try {
    return await api.get(path);
  } catch (err) {
    if (err instanceof ApiError && [404, 405, 501].includes(err.status)) return fallback;
    throw err;
  }
}

/**
 * Poll a background job until it is done or failed.
 *
 * @param {string} jobId
 * @param {(job: object) => void} onProgress called with every job state seen.
 * @param {{intervalMs?: number, signal?: AbortSignal}} options
 */
export async function waitForJob(jobId, onProgress, { intervalMs = 500, signal } = {}) {
  for (;;) {
    const job = await api.get(`jobs/${encodeURIComponent(jobId)}`, { signal });
    onProgress(job);
    if (job.status === "done") return job;
    if (job.status === "failed") {
      const problems = problemsOf(job.error ?? {});
      throw new ApiError(
        job.error?.status ?? 500,
        job.error?.message ?? "the job failed",
        problems.length > 0 ? problems : [{ field: null, message: job.error?.message ?? "the job failed", suggestions: [] }],
      );
    }
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, intervalMs);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
  }
}
