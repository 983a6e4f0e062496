/**
 * The ruad API client: `openapi-fetch` typed by the generated `schema.ts`.
 *
 * Every operation of the API is `client.GET/POST/PATCH/DELETE(path, { params, body })`;
 * paths, parameters, bodies and answers are checked against the OpenAPI spec at compile
 * time. Errors are `Problem` documents (RFC 9457) in `error`.
 */
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { paths } from "./schema.js";

export type * from "./schema.js";

/**
 * The media types the client's answers are typed by: JSON and problem+json. Aggregates and
 * record lists also answer `text/csv` (`format: "csv"` in the query, read with
 * `parseAs: "text"` or `"stream"`), raw downloads and documents their own types
 * (`parseAs: "blob"`); typing every answer as JSON keeps `data` precise for the JSON calls.
 */
export type RuadMedia = `${string}/${string}json`;

/** A client for every ruad endpoint. */
export type RuadClient = Client<paths, RuadMedia>;

export interface RuadClientOptions extends ClientOptions {
  /** Where ruad listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An API key (`ruad_…`) or a JWT from `POST /api/v1/auth/token`. */
  token?: string;
}

/** Creates a client; with `token`, every request carries `Authorization: Bearer <token>`. */
export function createRuadClient({ token, ...options }: RuadClientOptions): RuadClient {
  const client = createClient<paths, RuadMedia>(options);
  if (token !== undefined) {
    client.use(bearerAuth(token));
  }
  return client;
}

/** Middleware that authenticates every request with `token`. */
export function bearerAuth(token: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
}

/**
 * Request options that send a `Blob` body as raw bytes (`POST /api/v1/reports` with one
 * report file) instead of JSON: `client.POST("/api/v1/reports", { body, ...rawBody })`.
 */
export const rawBody = {
  bodySerializer: (body: Blob): Blob => body,
  headers: { "Content-Type": "application/octet-stream" },
} as const;
