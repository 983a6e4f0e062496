// End to end through the SDK only: domains, uploads, paging, aggregates, tenancy, tokens.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRuadClient, rawBody, type Counts, type RuadClient } from "@ruad/client";
import { corpusDir, Ruad } from "./ruad.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DMARC = "aggregate/samuelba-visualizer__google.com!example.com!1701129600!1701215999.xml.gz";
const TLS = "smtp_tls/mail-auth__rpt02.json";

interface Expected {
  [key: string]: unknown;
}

let ruad: Ruad;
before(async () => {
  ruad = await Ruad.start();
});
after(async () => {
  await ruad?.stop();
});

function corpus(): { dmarc: Expected; tls: Expected; dmarcBytes: Blob; tlsBytes: Blob } {
  const dir = corpusDir();
  const files = JSON.parse(fs.readFileSync(path.join(dir, "EXPECTED.json"), "utf8")).files;
  const blob = (f: string) => new Blob([fs.readFileSync(path.join(dir, f))]);
  return { dmarc: files[DMARC], tls: files[TLS], dmarcBytes: blob(DMARC), tlsBytes: blob(TLS) };
}

const day = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10);
const nonzero = (counts: Counts) => Object.fromEntries(Object.entries(counts).filter(([, v]) => v));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function upload(client: RuadClient, body: Blob) {
  const { data, error } = await client.POST("/api/v1/reports", { body, ...rawBody });
  assert.ok(data, JSON.stringify(error));
  return data;
}

test("the SDK covers domains, uploads, paging, aggregates, tenancy and tokens", async () => {
  const c = corpus();
  const client = createRuadClient({ baseUrl: ruad.baseUrl, token: ruad.bootstrap("Operator").key });
  const other = createRuadClient({ baseUrl: ruad.baseUrl, token: ruad.bootstrap("Other").key });

  const created = await client.POST("/api/v1/domains", { body: { name: "example.com" } });
  assert.equal(created.response.status, 201);
  assert.equal(created.data?.name, "example.com");
  assert.ok((await other.POST("/api/v1/domains", { body: { name: "other.example" } })).data);

  const dmarc = await upload(client, c.dmarcBytes);
  assert.deepEqual(
    dmarc.reports.map((r) => [r.kind, r.domain, r.duplicate]),
    [["dmarc_aggregate", "example.com", false]],
  );
  const tls = await upload(client, c.tlsBytes);
  assert.deepEqual(
    tls.reports.map((r) => [r.kind, r.domain, r.duplicate]),
    [["tls_report", "example.com", false]],
  );
  assert.equal((await upload(client, c.tlsBytes)).reports[0].duplicate, true);

  // Two reports, one per page.
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, error } = await client.GET("/api/v1/reports", {
      params: { query: { limit: 1, cursor } },
    });
    assert.ok(data, JSON.stringify(error));
    assert.ok(data.items.length <= 1);
    seen.push(...data.items.map((r) => r.id));
    cursor = data.next_cursor ?? undefined;
    pages += 1;
  } while (cursor);
  assert.deepEqual(seen.sort(), [dmarc.reports[0].id, tls.reports[0].id].sort());
  assert.ok(pages >= 2);

  const dmarcRange = {
    path: { domain: "example.com" },
    query: { from: day(c.dmarc.begin as number), to: day(c.dmarc.end as number) },
  };
  const byResult = await client.GET("/api/v1/domains/{domain}/dmarc/by-result", { params: dmarcRange });
  assert.ok(byResult.data, JSON.stringify(byResult.error));
  assert.equal(byResult.data.total_messages, c.dmarc.messages);
  assert.equal(byResult.data.dmarc_pass_messages, c.dmarc.dmarc_pass_messages);
  assert.deepEqual(nonzero(byResult.data.disposition), c.dmarc.disposition);
  assert.deepEqual(nonzero(byResult.data.dkim_aligned), c.dmarc.dkim_aligned);
  assert.deepEqual(nonzero(byResult.data.spf_aligned), c.dmarc.spf_aligned);
  const bySource = await client.GET("/api/v1/domains/{domain}/dmarc/by-source", { params: dmarcRange });
  assert.ok(bySource.data, JSON.stringify(bySource.error));
  assert.equal(bySource.data.total_sources, c.dmarc.distinct_source_ips);
  assert.equal(sum(bySource.data.sources.map((s) => s.messages)), c.dmarc.messages);

  const tlsRange = {
    path: { domain: "example.com" },
    query: { from: (c.tls.begin_date as string).slice(0, 10), to: (c.tls.end_date as string).slice(0, 10) },
  };
  const tlsResult = await client.GET("/api/v1/domains/{domain}/tls/by-result", { params: tlsRange });
  assert.ok(tlsResult.data, JSON.stringify(tlsResult.error));
  assert.equal(tlsResult.data.successful_sessions, c.tls.successful_sessions);
  assert.equal(tlsResult.data.failed_sessions, c.tls.failed_sessions);
  assert.deepEqual(nonzero(tlsResult.data.failed_sessions_by_result_type), c.tls.failed_sessions_by_result_type);
  const tlsSource = await client.GET("/api/v1/domains/{domain}/tls/by-source", { params: tlsRange });
  assert.ok(tlsSource.data, JSON.stringify(tlsSource.error));
  assert.equal(sum(tlsSource.data.organizations.map((o) => o.successful_sessions)), c.tls.successful_sessions);
  assert.equal(sum(tlsSource.data.organizations.map((o) => o.failed_sessions)), c.tls.failed_sessions);
  assert.equal(
    sum(tlsSource.data.failures.map((f) => f.failed_sessions)),
    sum(Object.values(c.tls.failed_sessions_by_result_type as Record<string, number>)),
  );

  // Another tenant's domain does not exist for this key: a typed 404 problem.
  const missing = await client.GET("/api/v1/domains/{domain}", {
    params: { path: { domain: "other.example" } },
  });
  assert.equal(missing.response.status, 404);
  assert.equal(missing.response.headers.get("content-type"), "application/problem+json");
  assert.equal(missing.error?.code, "not_found");
  assert.equal(missing.error?.status, 404);

  // The key buys a short-lived reader JWT; the JWT reads but may not write.
  const token = await client.POST("/api/v1/auth/token", { body: { role: "reader", ttl_seconds: 600 } });
  assert.ok(token.data, JSON.stringify(token.error));
  assert.equal(token.data.role, "reader");
  const reader = createRuadClient({ baseUrl: ruad.baseUrl, token: token.data.token });
  const domains = await reader.GET("/api/v1/domains");
  assert.deepEqual(domains.data?.items.map((d) => d.name), ["example.com"]);
  const refused = await reader.POST("/api/v1/domains", { body: { name: "example.org" } });
  assert.equal(refused.error?.code, "forbidden");
});

test("the README example runs as written", async () => {
  const readme = fs.readFileSync(path.join(here, "..", "README.md"), "utf8");
  const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, "no js example in README.md");
  // Inside the package, so `@ruad/client` resolves to this build (as an installed one would).
  const dir = fs.mkdtempSync(path.join(here, "readme-"));
  // A server of its own: domain names are unique across tenants.
  const ruad = await Ruad.start();
  try {
    fs.writeFileSync(path.join(dir, "quickstart.mjs"), example);
    fs.writeFileSync(path.join(dir, "report.xml.gz"), fs.readFileSync(path.join(corpusDir(), DMARC)));
    const env = { ...process.env, RUAD_URL: ruad.baseUrl, RUAD_KEY: ruad.bootstrap("Readme").key };
    const messages = corpus().dmarc.messages;
    for (const duplicate of [false, true]) {
      const out = execFileSync(process.execPath, ["quickstart.mjs", "report.xml.gz"], { cwd: dir, env });
      assert.match(out.toString(), new RegExp(`\\(duplicate: ${duplicate}\\)`));
      assert.match(out.toString(), new RegExp(`DMARC: ${messages} messages`));
      // Years-old reports: at least "no recent reports" is open.
      assert.match(out.toString(), /[1-9]\d* open issues of example\.com/);
    }
  } finally {
    await ruad.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
